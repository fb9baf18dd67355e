//! Browser benchmark: the time from a keystroke in the establishment search box to the updated results being in the
//! DOM, in Chromium and Firefox ESR over WebDriver, on the national demo dataset. The page is instrumented from the
//! outside: a `keydown` listener notes the time of the key, a MutationObserver on the page's content notes the time
//! of the last change that follows; each key is followed by a pause long enough for the update to finish (`PAUSE`, as a
//! person typing at about four keys a second), and its latency is the last change minus the key.
//!
//!     cargo run --release -p end2end --example bench -- keystrokes [--keys 100]
//!
//! `--diagnose` splits each key's time into its parts, on standard error (one `RT` line: the search request's
//! Resource Timing entry, from its start; one `DIAG` line: key → request made → answer's headers → results in the
//! DOM), the page's `fetch` being wrapped for it. With it, `--at-rest` first sends ten search requests with nothing
//! else happening (the request's own cost), `--page-types` lets the page type by itself (a script, no WebDriver in
//! the loop: `PAGE` lines) and `--narrow` uses a 375 px wide window. BENCHMARKS.md (« Keystrokes in Firefox »).
//!
//! Requires the site built (`scripts/build.sh --release` or `--wasm-release`) and the browsers and drivers that
//! `scripts/setup.sh --tests` installs. Prints one Markdown table row per browser.

use std::time::Duration;

use crate::support::{Browser, Session};
use fantoccini::Locator;

/// The pause after each key: a person typing at about four keys a second, and four times the slowest update seen
/// (63 ms, Firefox, 04/12/2026), so that each key's update is over before the next key. 350 ms until 04/12/2026.
const PAUSE: Duration = Duration::from_millis(250);

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

/// What `--diagnose` and its options ask for.
#[derive(Clone, Copy, Default)]
struct Diagnosis {
    on: bool,
    at_rest: bool,
    page_types: bool,
    narrow: bool,
}

/// Wraps the page's `fetch` to note when the search request is made and when its answer's headers arrive.
const WRAP_FETCH: &str = "const of = window.fetch;
    window.fetch = function(...a) {
        window.__ceres.f0 = performance.now();
        return of.apply(window, a).then(r => { window.__ceres.f1 = performance.now(); return r; });
    };";

/// The last search request's Resource Timing entry and the notes of the wrapped `fetch`, from the key.
const READ_DIAGNOSIS: &str = "const c = window.__ceres;
    const rs = performance.getEntriesByType('resource').filter(e => e.name.includes('/api/etablissements'));
    const r = rs[rs.length - 1] || {};
    return [c.t0, c.last, c.f0, c.f1, c.first, r.startTime, r.requestStart, r.responseStart, r.responseEnd];";

async fn measure(browser: Browser, keys: usize, diagnosis: Diagnosis) -> Vec<f64> {
    let s = Session::start(browser).await;
    s.sign_in_at("/etablissements", "dreets-naq").await;
    if diagnosis.narrow {
        s.client.set_window_size(375, 800).await.expect("size");
    }
    let input = s.wait_for(Locator::Css("input#q")).await;
    s.client
        .execute(
            &format!(
                "window.__ceres = {{ t0: 0, last: 0, first: 0, f0: 0, f1: 0 }};
                 const q = document.getElementById('q');
                 q.addEventListener('keydown', () => {{
                     Object.assign(window.__ceres, {{ t0: performance.now(), last: 0, first: 0, f0: 0, f1: 0 }});
                 }}, true);
                 new MutationObserver(() => {{
                     const c = window.__ceres;
                     if (c.t0) {{ c.last = performance.now(); c.first = c.first || c.last; }}
                 }}).observe(document.getElementById('contenu'), {{ childList: true, subtree: true, characterData: true }});
                 {}
                 return true;",
                if diagnosis.on { WRAP_FETCH } else { "" }
            ),
            vec![],
        )
        .await
        .expect("instrument");
    if diagnosis.at_rest {
        at_rest(&s, browser).await;
    }
    if diagnosis.page_types {
        let l = page_types(&s, browser, keys).await;
        s.abandon().await;
        return l;
    }
    let mut latencies = Vec::with_capacity(keys);
    'outer: loop {
        for word in WORDS {
            for c in word.chars() {
                input.send_keys(&c.to_string()).await.expect("key");
                tokio::time::sleep(PAUSE).await;
                let v = s.client.execute(READ_DIAGNOSIS, vec![]).await.expect("read");
                let (t0, last) = (v[0].as_f64().unwrap_or(0.0), v[1].as_f64().unwrap_or(0.0));
                if last > t0 {
                    latencies.push(last - t0);
                    if diagnosis.on {
                        let f = |i: usize| v[i].as_f64().unwrap_or(0.0) - t0;
                        eprintln!(
                            "RT {browser:?} start {:.1} request {:.1} response {:.1}-{:.1}",
                            f(5),
                            f(6),
                            f(7),
                            f(8)
                        );
                        eprintln!(
                            "DIAG {browser:?} key→fetch {:.1} fetch→headers {:.1} headers→first {:.1} total {:.1}",
                            f(2),
                            f(3) - f(2),
                            f(4) - f(3),
                            last - t0
                        );
                    }
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

/// Ten search requests with nothing else happening: total, waiting in the browser, server, body (ms).
async fn at_rest(s: &Session, browser: Browser) {
    for i in 0..10 {
        let v = s
            .client
            .execute_async(
                "const done = arguments[arguments.length - 1];
                 const t = performance.now();
                 fetch('/api/etablissements', { method: 'POST', body: 'qs=q%3Dform' + arguments[0],
                     headers: { 'Content-Type': 'application/x-www-form-urlencoded', 'Accept': 'application/json' } })
                   .then(r => r.text()).then(() => {
                     const rs = performance.getEntriesByType('resource'); const r = rs[rs.length - 1];
                     done([performance.now() - t, r.requestStart - r.startTime, r.responseStart - r.requestStart,
                           r.responseEnd - r.responseStart]);
                   });",
                vec![serde_json::json!(i)],
            )
            .await
            .expect("fetch");
        eprintln!("FETCH {browser:?} total/waiting/server/body {v}");
        tokio::time::sleep(Duration::from_millis(300)).await;
    }
}

/// The page types by itself, `PAUSE` between keys: no WebDriver in the loop. Latencies, and `PAGE` lines (key →
/// request made, request → headers, waiting in the browser, server, headers → results in the DOM).
async fn page_types(s: &Session, browser: Browser, keys: usize) -> Vec<f64> {
    s.client
        .execute(
            "const c = window.__ceres; c.lat = []; c.diag = [];
             const q = document.getElementById('q');
             const text = 'formationbordeauxfloiracnantesplaquistegretatoulouse';
             let i = 0;
             const step = () => {
                 if (i > 0) {
                     c.lat.push(c.last - c.t0);
                     const rs = performance.getEntriesByType('resource').filter(e => e.name.includes('/api/etablissements'));
                     const r = rs[rs.length - 1] || {};
                     c.diag.push([c.f0 - c.t0, c.f1 - c.f0, r.requestStart - r.startTime, r.responseStart - r.requestStart,
                                  c.first - c.f1]);
                 }
                 if (i >= arguments[0]) { return; }
                 const ch = text[i % text.length]; i++;
                 if (i % 10 == 0) { q.value = ''; }
                 q.dispatchEvent(new KeyboardEvent('keydown', { key: ch, bubbles: true }));
                 q.value += ch;
                 q.dispatchEvent(new InputEvent('input', { bubbles: true, data: ch, inputType: 'insertText' }));
                 setTimeout(step, arguments[1]);
             };
             step();
             return true;",
            vec![serde_json::json!(keys), serde_json::json!(PAUSE.as_secs_f64() * 1000.0)],
        )
        .await
        .expect("page typing");
    tokio::time::sleep(PAUSE * keys as u32 + Duration::from_millis(1500)).await;
    let v = s.client.execute("return [window.__ceres.lat, window.__ceres.diag];", vec![]).await.expect("read");
    for d in v[1].as_array().into_iter().flatten() {
        eprintln!("PAGE {browser:?} {d}");
    }
    v[0].as_array().into_iter().flatten().filter_map(|x| x.as_f64()).filter(|x| *x > 0.0).collect()
}

fn percentile(sorted: &[f64], q: f64) -> f64 {
    sorted[((sorted.len() as f64 * q).ceil() as usize).clamp(1, sorted.len()) - 1]
}

/// `bench keystrokes [--keys 100] [--diagnose [--at-rest] [--page-types]] [--narrow]`: one table row per browser.
pub async fn run(args: &[String]) {
    let keys: usize = args
        .iter()
        .position(|a| a == "--keys")
        .and_then(|i| args.get(i + 1))
        .and_then(|k| k.parse().ok())
        .unwrap_or(100);
    let flag = |name: &str| args.iter().any(|a| a == name);
    let on = flag("--diagnose");
    let diagnosis = Diagnosis {
        on,
        at_rest: on && flag("--at-rest"),
        page_types: on && flag("--page-types"),
        narrow: flag("--narrow"),
    };
    println!("| Browser | Keystrokes | Median | p95 | max |");
    println!("|---|---|---|---|---|");
    for browser in [Browser::Chromium, Browser::Firefox] {
        let mut l = measure(browser, keys, diagnosis).await;
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
