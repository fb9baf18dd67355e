//! What a user sees.

use std::time::Duration;

use fantoccini::Locator;
use fantoccini::elements::Element;

use crate::support::Session;

pub async fn wait_for(s: &Session, locator: Locator<'_>) -> Element {
    s.client
        .wait()
        .at_most(Duration::from_secs(30))
        .for_element(locator)
        .await
        .unwrap_or_else(|e| panic!("{:?}: {locator:?} never appeared ({e})", s.browser))
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
