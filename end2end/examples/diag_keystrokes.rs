//! Diagnosis of bench_keystrokes' figures: where the time from a keystroke to the results in the DOM goes, in
//! Chromium and Firefox ESR. The page's `fetch` is wrapped to note when the search request starts and when its
//! answer's headers arrive; the Resource Timing entry of the request tells how long it waited in the browser before
//! being sent and how long the server took; a MessageChannel message posted at the fetch tells when the page's main
//! thread is free again. Prints, on standard error, one `RT`, `IDLE` and `DIAG` line per key.
//!
//!     cargo run --release -p end2end --example diag_keystrokes -- [--keys 40]
//!
//! `DIAG_PAGE=1`: the page types by itself (a script, 350 ms between keys), without WebDriver in the loop.
//! `DIAG_FETCH=1`: first, ten search requests sent at rest, as a reference for the request's own cost.
//! `DIAG_SMALL=1`: a 375 px wide window. Figures of 02/12/2026 in BENCHMARKS.md.

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
    if std::env::var("DIAG_SMALL").is_ok() {
        s.client.set_window_size(375, 800).await.expect("size");
    }
    let input = s.wait_for(Locator::Css("input#q")).await;
    s.client
        .execute(
            "window.__ceres = { t0: 0, last: 0 };
             const q = document.getElementById('q');
             q.addEventListener('keydown', () => { window.__ceres.t0 = performance.now(); window.__ceres.last = 0; window.__ceres.first = 0; window.__ceres.f0 = 0; window.__ceres.f1 = 0; }, true);
             const of = window.fetch;
             window.fetch = function(...a) { window.__ceres.f0 = performance.now(); const mc = new MessageChannel(); mc.port1.onmessage = () => { window.__ceres.idle = performance.now(); }; mc.port2.postMessage(0); return of.apply(window, a).then(r => { window.__ceres.f1 = performance.now(); return r; }); };
             new MutationObserver(() => { if (window.__ceres.t0) { if (!window.__ceres.first) window.__ceres.first = performance.now(); window.__ceres.last = performance.now(); } })
               .observe(document.getElementById('contenu'), { childList: true, subtree: true, characterData: true });
             return true;",
            vec![],
        )
        .await
        .expect("instrument");
    if std::env::var("DIAG_FETCH").is_ok() {
        for i in 0..10 {
            let v = s.client.execute_async("
                const done = arguments[arguments.length - 1];
                const t = performance.now();
                fetch('/api/etablissements', { method: 'POST', headers: { 'Content-Type': 'application/x-www-form-urlencoded', 'Accept': 'application/json' }, body: 'qs=q%3Dform' + arguments[0] })
                  .then(r => r.text()).then(() => { const rs = performance.getEntriesByType('resource'); const r = rs[rs.length - 1]; done([performance.now() - t, r.requestStart - r.startTime, r.responseStart - r.requestStart, r.responseEnd - r.responseStart]); });",
                vec![serde_json::json!(i)]).await.expect("fetch");
            eprintln!("FETCH {browser:?} total/queue/server/body {v}");
            tokio::time::sleep(Duration::from_millis(300)).await;
        }
    }
    if std::env::var("DIAG_PAGE").is_ok() {
        s.client.execute("
            const c = window.__ceres; c.lat = []; c.diag = [];
            const q = document.getElementById('q');
            const text = 'formationbordeauxfloiracnantesplaquistegretatoulouse';
            let i = 0;
            const step = () => {
                if (i > 0) { c.lat.push(c.last - c.t0); const rs = performance.getEntriesByType('resource').filter(e => e.name.includes('/api/etablissements')); const r = rs[rs.length - 1] || {}; c.diag.push([c.f0 - c.t0, c.f1 - c.f0, r.requestStart - r.startTime, r.responseStart - r.requestStart, c.first - c.f1]); }
                if (i >= arguments[0]) { c.done = true; return; }
                const ch = text[i % text.length]; i++;
                if (i % 10 == 0) { q.value = ''; }
                q.dispatchEvent(new KeyboardEvent('keydown', { key: ch, bubbles: true }));
                q.value += ch;
                q.dispatchEvent(new InputEvent('input', { bubbles: true, data: ch, inputType: 'insertText' }));
                setTimeout(step, 350);
            };
            step();
            return true;", vec![serde_json::json!(keys)]).await.expect("page typing");
        tokio::time::sleep(Duration::from_millis(350 * keys as u64 + 1500)).await;
        let v = s.client.execute("return [window.__ceres.lat, window.__ceres.diag];", vec![]).await.expect("read");
        for d in v[1].as_array().into_iter().flatten() {
            eprintln!("PAGE {browser:?} {d}");
        }
        let l: Vec<f64> =
            v[0].as_array().into_iter().flatten().filter_map(|x| x.as_f64()).filter(|x| *x > 0.0).collect();
        s.abandon().await;
        return l;
    }
    let mut latencies = Vec::with_capacity(keys);
    'outer: loop {
        for word in WORDS {
            for c in word.chars() {
                if std::env::var("DIAG_JS").is_ok() {
                    s.client.execute("const q = document.getElementById('q'); q.dispatchEvent(new KeyboardEvent('keydown', { key: arguments[0], bubbles: true })); q.value += arguments[0]; q.dispatchEvent(new InputEvent('input', { bubbles: true, data: arguments[0], inputType: 'insertText' })); return true;", vec![serde_json::json!(c.to_string())]).await.expect("js key");
                } else {
                    input.send_keys(&c.to_string()).await.expect("key");
                }
                tokio::time::sleep(Duration::from_millis(350)).await;
                let v =
                    s.client.execute("const c = window.__ceres; const rs = performance.getEntriesByType('resource').filter(e => e.name.includes('/api/etablissements')); const r = rs[rs.length - 1] || {}; return [c.t0, c.last, c.f0, c.f1, c.first, r.startTime, r.connectStart, r.connectEnd, r.requestStart, r.responseStart, r.responseEnd, r.nextHopProtocol || '', c.idle, performance.getEntriesByType('resource').filter(e => e.startTime >= c.t0).map(e => e.name.split('/').slice(3).join('/') + '@' + Math.round(e.startTime - c.t0) + '-' + Math.round(e.responseEnd - c.t0)).join(' ')];", vec![]).await.expect("read");
                let (t0, last) = (v[0].as_f64().unwrap_or(0.0), v[1].as_f64().unwrap_or(0.0));
                if last > t0 {
                    latencies.push(last - t0);
                    let f = |i: usize| v[i].as_f64().unwrap_or(0.0) - t0;
                    eprintln!("IDLE {:.1} {}", f(12), v[13]);
                    eprintln!(
                        "RT start {:.1} connect {:.1}-{:.1} request {:.1} response {:.1}-{:.1} {}",
                        f(5),
                        f(6),
                        f(7),
                        f(8),
                        f(9),
                        f(10),
                        v[11]
                    );
                    eprintln!(
                        "DIAG {browser:?} key→fetch {:.1} fetch→headers {:.1} headers→first {:.1} first→last {:.1} total {:.1}",
                        f(2),
                        f(3) - f(2),
                        f(4) - f(3),
                        last - t0 - f(4),
                        last - t0
                    );
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
    for browser in [Browser::Firefox, Browser::Chromium] {
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
