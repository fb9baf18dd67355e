//! CERES's benchmark programs, which scripts/bench.sh runs, in one binary:
//!
//!     cargo run --release -p end2end --example bench -- search [--scales 1,100] [--baseline-scale 1] [--no-postgres]
//!     cargo run --release -p end2end --example bench -- keystrokes [--keys 100] [--diagnose]
//!     cargo run --release -p end2end --example bench -- first-visit [--visits 10] [--latency-ms 50] [--mbits 10]
//!
//! Each module says what it measures and how. One binary rather than three (bench_search, bench_keystrokes and
//! bench_first_visit until 03/12/2026): each of the three compiled its own copy of the server's generic code (a
//! release build shares no generics between crates), about a minute of compiling each on 2 cores.

#[path = "../../tests/browsers/support.rs"]
#[allow(dead_code)]
mod support;

mod first_visit;
mod keystrokes;
mod search;

#[tokio::main(flavor = "multi_thread", worker_threads = 2)]
async fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let rest = args.get(1..).unwrap_or_default();
    match args.first().map(String::as_str) {
        Some("search") => search::run(rest).await,
        Some("keystrokes") => keystrokes::run(rest).await,
        Some("first-visit") => first_visit::run(rest).await,
        other => {
            eprintln!(
                "bench: {}; say which benchmark to run: search, keystrokes or first-visit (end2end/examples/bench/main.rs).",
                other.map_or("no benchmark named".to_owned(), |o| format!("unknown benchmark « {o} »"))
            );
            std::process::exit(2);
        }
    }
}
