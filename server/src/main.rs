//! `server`: starts CERES with the configuration of Leptos.toml (see README); `server verifier-audit` checks the
//! audit trail instead, `server preparer-base` prepares the database and exits. All of it is in the library
//! (server/src/cli.rs; its allocator in server/src/lib.rs), compiled once with it.

use std::process::ExitCode;

fn main() -> ExitCode {
    server::cli::main()
}
