//! Browser benchmark: the time from a keystroke in the establishment search box to the updated results being in the
//! DOM, in Chromium and Firefox ESR over WebDriver, on the national demo dataset. The page is instrumented from the
//! outside: a `keydown` listener notes the time of the key, a MutationObserver on the page's content notes the time
//! of the last change that follows; each key is followed by a pause long enough for the update to finish (as a person
//! typing at about three keys a second), and its latency is the last change minus the key.
//!
//!     cargo run --release -p end2end --example bench_keystrokes -- [--keys 100]
//!
//! Requires the site built (`scripts/build.sh --release` or `--wasm-release`) and the browsers and drivers that
//! `scripts/setup.sh --tests` installs. Prints one Markdown table row per browser.

#[path = "../tests/browsers/support.rs"]
#[allow(dead_code)]
mod support;

use std::time::Duration;

use fantoccini::Locator;
use support::{Browser, Session};

/// Words agents type, letter by letter: names, communes, a SIRET's first digits.
const WORDS: [&str; 12] = [
    "formation",
    "bordeaux",
    "floirac",
    "afpa",
    "nantes",
    "plaquiste",
    "greta",
    "toulouse",
    "lycee",
    "824228",
    "batiment",
    "lille",
];

async fn measure(browser: Browser, keys: usize) -> Vec<f64> {
    let s = Session::start(browser).await;
    s.sign_in_at("/etablissements", "dreets-naq").await;
    let input = s.wait_for(Locator::Css("input#q")).await;
    s.client
        .execute(
            "window.__ceres = { t0: 0, last: 0 };
             const q = document.getElementById('q');
             q.addEventListener('keydown', () => { window.__ceres.t0 = performance.now(); window.__ceres.last = 0; }, true);
             new MutationObserver(() => { if (window.__ceres.t0) { window.__ceres.last = performance.now(); } })
               .observe(document.getElementById('contenu'), { childList: true, subtree: true, characterData: true });
             return true;",
            vec![],
        )
        .await
        .expect("instrument");
    let mut latencies = Vec::with_capacity(keys);
    'outer: loop {
        for word in WORDS {
            for c in word.chars() {
                input.send_keys(&c.to_string()).await.expect("key");
                tokio::time::sleep(Duration::from_millis(350)).await;
                let v =
                    s.client.execute("return [window.__ceres.t0, window.__ceres.last];", vec![]).await.expect("read");
                let (t0, last) = (v[0].as_f64().unwrap_or(0.0), v[1].as_f64().unwrap_or(0.0));
                if last > t0 {
                    latencies.push(last - t0);
                }
                if latencies.len() == keys {
                    break 'outer;
                }
            }
            // Empty the box (not measured) and let the page settle.
            input.send_keys("\u{E009}a\u{E000}\u{E003}").await.expect("clear");
            tokio::time::sleep(Duration::from_millis(400)).await;
        }
    }
    s.abandon().await;
    latencies
}

fn percentile(sorted: &[f64], q: f64) -> f64 {
    sorted[((sorted.len() as f64 * q).ceil() as usize).clamp(1, sorted.len()) - 1]
}

#[tokio::main(flavor = "multi_thread", worker_threads = 2)]
async fn main() {
    let args: Vec<String> = std::env::args().collect();
    let keys: usize = args
        .iter()
        .position(|a| a == "--keys")
        .and_then(|i| args.get(i + 1))
        .and_then(|k| k.parse().ok())
        .unwrap_or(100);
    println!("| Browser | Keystrokes | Median | p95 | max |");
    println!("|---|---|---|---|---|");
    for browser in [Browser::Chromium, Browser::Firefox] {
        let mut l = measure(browser, keys).await;
        l.sort_by(f64::total_cmp);
        println!(
            "| {browser:?} | {} | {:.1} ms | {:.1} ms | {:.1} ms |",
            l.len(),
            percentile(&l, 0.5),
            percentile(&l, 0.95),
            l.last().copied().unwrap_or(0.0)
        );
    }
}
