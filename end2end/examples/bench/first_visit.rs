//! Browser benchmark: a first visit (empty cache) to a page over an office network, from the start of the navigation
//! to the page being hydrated, in Chromium over WebDriver. Two pages, in the same run: the search page, which the
//! main WASM module serves alone (the baseline), and a session page, whose split-out modules (app/src/lib.rs,
//! `split_pages!`) come on top; the server names those in `<link rel="preload">`, so that the browser fetches them
//! alongside the main module instead of after it.
//!
//!     cargo run --release -p end2end --example bench -- first-visit [--visits 10] [--latency-ms 50] [--mbits 10]
//!
//! The network is Chromium's emulation (chromedriver's `network_conditions`: a latency added to each request and a
//! download throughput); Firefox has no such control over WebDriver, hence Chromium alone. The cache is emptied
//! before each visit (DevTools' `Network.clearBrowserCache`); the sign-in cookie stays. The time of hydration is
//! noted in the page by a MutationObserver installed before any of its scripts (`Page.addScriptToEvaluateOnNewDocument`)
//! on the `data-hydrated` attribute CERES sets once hydrated.
//!
//! Requires the release site (`scripts/build.sh --release`): the server serves the content-hashed, precompressed
//! files as in production when `target/release/hash.txt` is copied next to this example (scripts/bench.sh does),
//! else the plain, uncompressed ones (and says so).

use crate::support::{Browser, Session};
use fantoccini::Locator;
use fantoccini::wd::WebDriverCompatibleCommand;
use serde_json::{Value, json};

/// A chromedriver command that carries a JSON body.
#[derive(Debug)]
struct Post {
    path: &'static str,
    body: Value,
}

impl WebDriverCompatibleCommand for Post {
    fn endpoint(&self, base_url: &url::Url, session_id: Option<&str>) -> Result<url::Url, url::ParseError> {
        base_url.join(&format!("session/{}/{}", session_id.unwrap_or_default(), self.path))
    }

    fn method_and_body(&self, _request_url: &url::Url) -> (http::Method, Option<String>) {
        (http::Method::POST, Some(self.body.to_string()))
    }
}

async fn cdp(s: &Session, cmd: &str, params: Value) {
    s.client
        .issue_cmd(Post { path: "goog/cdp/execute", body: json!({ "cmd": cmd, "params": params }) })
        .await
        .unwrap_or_else(|e| panic!("DevTools {cmd}: {e}"));
}

/// One visit with an empty cache: (hydrated at, WASM files fetched, their bytes over the network), times in ms from
/// the start of the navigation.
async fn visit(s: &Session, path: &str) -> (f64, usize, f64) {
    cdp(s, "Network.clearBrowserCache", json!({})).await;
    s.client.goto(&s.url(path)).await.expect("goto");
    s.wait_for(Locator::Css("body[data-hydrated]")).await;
    let v = s
        .client
        .execute(
            "const wasm = performance.getEntriesByType('resource').filter(e => new URL(e.name).pathname.endsWith('.wasm'));
             return [window.__ceresHydratedAt || 0, wasm.length, wasm.reduce((n, e) => n + e.transferSize, 0)];",
            vec![],
        )
        .await
        .expect("read the timings");
    let hydrated = v[0].as_f64().unwrap_or(0.0);
    assert!(hydrated > 0.0, "{path}: the time of hydration was not noted");
    (hydrated, v[1].as_u64().unwrap_or(0) as usize, v[2].as_f64().unwrap_or(0.0))
}

fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(f64::total_cmp);
    v[v.len() / 2]
}

fn arg<T: std::str::FromStr>(args: &[String], name: &str, default: T) -> T {
    args.iter().position(|a| a == name).and_then(|i| args.get(i + 1)).and_then(|v| v.parse().ok()).unwrap_or(default)
}

/// `bench first-visit [--visits 10] [--latency-ms 50] [--mbits 10]`: one table row per page.
pub async fn run(args: &[String]) {
    let visits: usize = arg(args, "--visits", 10);
    let latency: u64 = arg(args, "--latency-ms", 50);
    let mbits: f64 = arg(args, "--mbits", 10.0);
    let hashed =
        std::env::current_exe().ok().and_then(|e| Some(e.parent()?.join("hash.txt"))).is_some_and(|p| p.exists());
    if !hashed {
        eprintln!(
            "no hash.txt next to this example: the plain, uncompressed files are served (scripts/bench.sh copies it)"
        );
    }
    let s = Session::start_with(Browser::Chromium, |c| c.leptos.hash_files = hashed).await;
    let id =
        s.server.insert_session("53060076600022", chrono::NaiveDate::from_ymd_opt(2019, 4, 20).expect("date")).await;
    // Sign in at full speed, then slow the network down.
    s.sign_in_at("/connexion", "admin").await;
    cdp(
        &s,
        "Page.addScriptToEvaluateOnNewDocument",
        json!({ "source": "new MutationObserver((_, o) => {
                 if (document.body && document.body.dataset.hydrated) { window.__ceresHydratedAt = performance.now(); o.disconnect(); }
               }).observe(document, { attributes: true, subtree: true, attributeFilter: ['data-hydrated'] });" }),
    )
    .await;
    s.client
        .issue_cmd(Post {
            path: "chromium/network_conditions",
            body: json!({ "network_conditions": {
                "offline": false,
                "latency": latency,
                "download_throughput": (mbits * 125_000.0) as u64,
                "upload_throughput": (mbits * 125_000.0 / 4.0) as u64,
            } }),
        })
        .await
        .expect("network conditions");
    let session = format!("/sessions/{id}");
    println!(
        "| Page (first visit, empty cache) | Hydrated, median of {visits} | WASM files | WASM bytes over the network |"
    );
    println!("|---|---|---|---|");
    for (label, path) in [
        ("Search (main module alone: the baseline)", "/etablissements?q=formation"),
        ("Session (split-out modules on top)", session.as_str()),
    ] {
        let mut times = Vec::with_capacity(visits);
        let mut last = (0, 0.0);
        for _ in 0..visits {
            let (t, files, bytes) = visit(&s, path).await;
            times.push(t);
            last = (files, bytes);
        }
        println!("| {label} | {:.0} ms | {} | {:.0} KB |", median(times), last.0, last.1 / 1024.0);
    }
    println!();
    println!("Network: Chromium's emulation, {latency} ms added to each request, {mbits} Mbit/s down.");
    s.abandon().await;
}
