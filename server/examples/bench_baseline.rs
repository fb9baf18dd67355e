//! The HTTP baseline of the load benchmark: a bare axum handler answering a fixed body of the same size as the
//! search page, so that the figures of CERES read as a share of what this machine's HTTP stack can do at all.
//!
//!     cargo run --release -p server --example bench_baseline -- <address> <body size in bytes>

use axum::Router;
use axum::routing::get;
use axum::serve::ListenerExt;

#[tokio::main(flavor = "multi_thread", worker_threads = 2)]
async fn main() {
    let args: Vec<String> = std::env::args().collect();
    let addr = args.get(1).cloned().unwrap_or_else(|| "127.0.0.1:3299".into());
    let size: usize = args.get(2).and_then(|s| s.parse().ok()).unwrap_or(30_000);
    let body: &'static str = Box::leak("x".repeat(size).into_boxed_str());
    let app =
        Router::new().route("/", get(move || async move { ([("content-type", "text/html; charset=utf-8")], body) }));
    let listener = tokio::net::TcpListener::bind(&addr).await.expect("bind");
    eprintln!("baseline on http://{addr}/ ({size} bytes)");
    // The same socket setting as CERES (`server::no_delay`): only the handler differs.
    axum::serve(listener.tap_io(server::no_delay), app).await.expect("serve");
}
