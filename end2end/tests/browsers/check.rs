//! What a user sees.

use std::time::Duration;

use fantoccini::Locator;
use fantoccini::elements::Element;

use crate::support::Session;

pub async fn wait_for(s: &Session, locator: Locator<'_>) -> Element {
    s.wait_for(locator).await
}

/// The WASM has hydrated the page (CERES sets `data-hydrated` on <body> from an effect).
pub async fn hydrated(s: &Session) {
    wait_for(s, Locator::Css("body[data-hydrated]")).await;
}

pub async fn still_same_page(s: &Session) -> bool {
    s.client.execute("return window.__ceresMarker === 'même page';", vec![]).await.expect("script") == true
}

pub async fn text_of(s: &Session, css: &str) -> String {
    wait_for(s, Locator::Css(css)).await.text().await.expect("text")
}

pub async fn current_path(s: &Session) -> String {
    let url = s.client.current_url().await.expect("url");
    format!("{}{}", url.path(), url.query().map(|q| format!("?{q}")).unwrap_or_default())
}

/// Waits until the address bar shows `expected` (path and query).
pub async fn wait_for_path(s: &Session, expected: &str) {
    for _ in 0..300 {
        if current_path(s).await == expected {
            return;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    panic!("{:?}: the address stayed {} instead of {expected}", s.browser, current_path(s).await);
}

/// Waits until the text of `css` contains `needle`, and returns it.
pub async fn wait_for_text(s: &Session, css: &str, needle: &str) -> String {
    let mut last = String::new();
    for _ in 0..300 {
        if let Ok(el) = s.client.find(Locator::Css(css)).await {
            last = el.text().await.unwrap_or_default();
            if last.contains(needle) {
                return last;
            }
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    panic!("{:?}: « {needle} » never appeared in {css} (last: {last})", s.browser);
}

/// Waits until the checkbox `css` is ticked. The list it belongs to may be drawn again meanwhile (the results follow
/// the address): an element found just before that is gone, so each try looks it up again.
pub async fn wait_for_checked(s: &Session, css: &str) {
    for _ in 0..300 {
        if let Ok(el) = s.client.find(Locator::Css(css)).await
            && el.is_selected().await.unwrap_or(false)
        {
            return;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    panic!("{:?}: {css} never showed as ticked", s.browser);
}

/// The DSFR icon of `css` is drawn: its `::before` is masked with the icon's SVG, and that SVG was served.
/// (CERES' stylesheet carries only the icons it uses, with absolute addresses: scripts/subset-icons.py.)
pub async fn icon_drawn(s: &Session, css: &str, svg: &str) {
    wait_for(s, Locator::Css(css)).await;
    let mask = s
        .client
        .execute(
            "const st = getComputedStyle(document.querySelector(arguments[0]), '::before');
             return st.maskImage || st.webkitMaskImage || '';",
            vec![css.into()],
        )
        .await
        .expect("script");
    let mask = mask.as_str().unwrap_or_default().to_owned();
    assert!(mask.contains(&format!("/dsfr/icons/{svg}")), "{:?}: {css} is not drawn with {svg}: « {mask} »", s.browser);
    let status = s
        .client
        .execute(
            "return fetch(arguments[0]).then(r => r.status + ' ' + r.headers.get('content-type'));",
            vec![format!("/dsfr/icons/{svg}").into()],
        )
        .await
        .expect("fetch");
    assert_eq!(status.as_str(), Some("200 image/svg+xml"), "{:?}: /dsfr/icons/{svg}", s.browser);
}
