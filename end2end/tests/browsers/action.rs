//! What a user does.

use fantoccini::Locator;

use crate::check::wait_for;
use crate::support::Session;

/// Opens a page, signs in on the form CERES shows, and waits for the page to hydrate.
pub async fn sign_in_at(s: &Session, path: &str, identifiant: &str) {
    s.sign_in_at(path, identifiant).await;
}

/// Types into the search box, key by key like a person.
pub async fn type_search(s: &Session, text: &str) {
    let input = wait_for(s, Locator::Css("input#q")).await;
    input.send_keys(text).await.expect("type");
}

/// Leaves a marker in the page: it survives client-side updates and vanishes on any full page load.
pub async fn mark_page(s: &Session) {
    s.client.execute("window.__ceresMarker = 'même page'; return true;", vec![]).await.expect("mark");
}

pub async fn click(s: &Session, locator: Locator<'_>) {
    wait_for(s, locator).await.click().await.expect("click");
}

/// Empties a text field as a person does (select all, delete), so that the page sees `input` events; WebDriver's
/// own « clear » does not send them in every browser.
pub async fn empty_field(field: &fantoccini::elements::Element) {
    field.send_keys("\u{E009}a\u{E000}\u{E003}").await.expect("select all and delete");
}

/// Clicks once the element is shown (a dialog's content while the dialog is still opening is not).
pub async fn click_when_shown(s: &Session, locator: Locator<'_>) {
    let el = wait_for(s, locator).await;
    for _ in 0..50 {
        if el.is_displayed().await.unwrap_or(false) && el.clone().click().await.is_ok() {
            return;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    panic!("{:?}: {locator:?} never became clickable", s.browser);
}

/// Sets a date field as its picker would: typing into one depends on the browser's language.
pub async fn set_date(s: &Session, id: &str, value: &str) {
    s.client
        .execute(
            "const el = document.getElementById(arguments[0]); el.value = arguments[1];
             el.dispatchEvent(new Event('input', { bubbles: true })); return el.value;",
            vec![serde_json::json!(id), serde_json::json!(value)],
        )
        .await
        .expect("date");
}
