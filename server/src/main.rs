//! `server`: starts CERES with the configuration of Leptos.toml (see README); `server verifier-audit` checks the
//! audit trail instead. What both do is in the library (server/src/cli.rs), compiled once with it.

use std::process::ExitCode;

/// Server-side rendering allocates and frees many small strings and boxes per page: with glibc's allocator that was
/// 45 % of the instructions of a search page (scripts/profile.sh; BENCHMARKS.md has the before and after).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    server::cli::main()
}
