//! Pages rendered on the server: search, centre and site, errors, security headers.

use reqwest::StatusCode;
use server::testing::Backend;

use crate::helpers::{Browser, fcmb_floirac_id, start};
use crate::on_both_databases;

async fn the_search_page_is_rendered_on_the_server_for_its_query(backend: Backend) {
    let srv = start(backend).await;
    let b = Browser::new(&srv);
    b.sign_in("dreets-naq").await;
    let (status, html) = b.get_text("/etablissements?q=floirac").await;
    assert_eq!(status, StatusCode::OK);
    assert!(
        html.contains("Saisissez un SIRET, SIREN, Nom d&#x27;entreprise")
            || html.contains("Saisissez un SIRET, SIREN, Nom d'entreprise")
    );
    assert!(html.contains(">FCMB- Floirac<"), "the site is in the HTML itself, before any script runs");
    assert!(html.contains("Centre de reprise"));
    // Accents, case and hyphens do not matter; words may come in any order.
    for q in ["FLOIRAC%20fcmb", "fcmb-floirac", "Fl%C3%B4irac"] {
        let (_, html) = b.get_text(&format!("/etablissements?q={q}")).await;
        assert!(html.contains(">FCMB- Floirac<"), "query {q}");
    }
    srv.stop().await;
}
on_both_databases!(the_search_page_is_rendered_on_the_server_for_its_query);

async fn an_empty_search_counts_everything_in_french(backend: Backend) {
    let srv = start(backend).await;
    let b = Browser::new(&srv);
    b.sign_in("admin").await;
    let r = b.search_call("").await;
    let json: serde_json::Value = r.json().await.expect("json");
    let total = json["centres_total"].as_u64().unwrap_or(0) + json["sites_total"].as_u64().unwrap_or(0);
    assert!(total > 100);
    let (_, html) = b.get_text("/etablissements").await;
    let expected = format!("{} résultats", app::domain::format::number_fr(total));
    assert!(html.contains(&expected), "{expected} not in page");
    srv.stop().await;
}
on_both_databases!(an_empty_search_counts_everything_in_french);

async fn the_site_page_shows_its_agrements_as_the_support_note_does(backend: Backend) {
    let srv = start(backend).await;
    let b = Browser::new(&srv);
    b.sign_in("dreets-naq").await;
    let id = fcmb_floirac_id(&b).await;
    let (status, html) = b.get_text(&format!("/sites/{id}")).await;
    assert_eq!(status, StatusCode::OK);
    for text in [
        "Identification du site",
        "Représentant du site",
        "Plaquiste-plâtrier",
        "Agrément accordé le 19/10/2018",
        "Agrément accordé le 02/08/2017",
        "Agrément terminé depuis le 22/01/2019",
        "Identification du centre",
        "0000000000000",
        "92350 - LE PLESSIS ROBINSON",
        "Gironde (33)",
        "Nouvelle-Aquitaine",
    ] {
        assert!(html.contains(text), "« {text} » missing");
    }
    assert_eq!(html.matches("Agrément terminé depuis le 22/01/2019").count(), 3);
    srv.stop().await;
}
on_both_databases!(the_site_page_shows_its_agrements_as_the_support_note_does);

async fn the_centre_page_lists_its_sites_and_agrements(backend: Backend) {
    let srv = start(backend).await;
    let b = Browser::new(&srv);
    b.sign_in("admin").await;
    let r = b.search_call("53060076600022").await;
    let json: serde_json::Value = r.json().await.expect("json");
    let id = json["centres"][0]["id"].as_i64().expect("16 30 FORMATION found by SIRET");
    let (status, html) = b.get_text(&format!("/centres/{id}")).await;
    assert_eq!(status, StatusCode::OK);
    for text in [
        "Centre 16 30 FORMATION (53060076600022)",
        "RUE DU 19 MARS 1962 IMMEUBLE LE MUREL",
        "30200 - BAGNOLS SUR CEZE",
        "Représentant du centre",
        "Sites rattachés",
        "16 30 FORMATION – Bagnols-sur-Cèze",
        "Organismes de formation conventionnés",
        "Secrétaire comptable",
    ] {
        assert!(html.contains(text), "« {text} » missing");
    }
    srv.stop().await;
}
on_both_databases!(the_centre_page_lists_its_sites_and_agrements);

async fn bad_addresses_get_french_404_pages(backend: Backend) {
    let srv = start(backend).await;
    let b = Browser::new(&srv);
    b.sign_in("admin").await;
    for (path, text) in [
        ("/centres/abc", "n&#x27;est pas un identifiant de centre"),
        ("/sites/-4", "n&#x27;est pas un identifiant de site"),
        ("/centres/99999999", "Aucun centre ne porte l&#x27;identifiant 99999999"),
        ("/sites/99999999", "Aucun site ne porte l&#x27;identifiant 99999999"),
        ("/page-qui-n-existe-pas", "La page demandée n&#x27;existe pas"),
    ] {
        let (status, html) = b.get_text(path).await;
        assert_eq!(status, StatusCode::NOT_FOUND, "{path}");
        let html = html.replace('\'', "&#x27;");
        assert!(html.contains(text), "{path}: « {text} » missing");
    }
    srv.stop().await;
}
on_both_databases!(bad_addresses_get_french_404_pages);

async fn every_response_carries_the_security_headers(backend: Backend) {
    let srv = start(backend).await;
    let b = Browser::new(&srv);
    for path in ["/connexion", "/pkg/app.css", "/nulle-part", "/etablissements"] {
        let r = b.get(path).await;
        let h = r.headers();
        assert_eq!(h.get("x-content-type-options").map(|v| v.as_bytes()), Some(&b"nosniff"[..]), "{path}");
        let csp = h.get("content-security-policy").and_then(|v| v.to_str().ok()).unwrap_or_default().to_owned();
        assert!(csp.contains("frame-ancestors 'none'") && csp.contains("'wasm-unsafe-eval'"), "{path}: {csp}");
        assert!(!csp.contains("'unsafe-inline'") && !csp.contains("'unsafe-eval'"), "{path}: {csp}");
        assert!(h.get("referrer-policy").is_some(), "{path}");
        // A page's inline scripts run only with the nonce its policy names.
        let html = r.text().await.unwrap_or_default();
        if html.contains("<script") {
            let nonce = csp.split("'nonce-").nth(1).and_then(|s| s.split('\'').next()).unwrap_or_default();
            assert!(!nonce.is_empty(), "{path}: {csp}");
            let scripts = html.matches("<script").count();
            assert_eq!(
                html.matches(&format!("<script nonce=\"{nonce}\"")).count()
                    + html.matches(&format!("<script type=\"module\" nonce=\"{nonce}\"")).count(),
                scripts,
                "{path}: every inline script carries the nonce"
            );
        }
    }
    srv.stop().await;
}
on_both_databases!(every_response_carries_the_security_headers);

/// A facet's values past the first six are not in the page until asked for: without JavaScript, « Afficher N de
/// plus » is a link to the same search with that facet in full.
async fn a_facets_other_values_come_when_asked_for(backend: Backend) {
    let srv = start(backend).await;
    let b = Browser::new(&srv);
    b.sign_in("admin").await;
    let (status, html) = b.get_text("/etablissements").await;
    assert_eq!(status, StatusCode::OK);
    let shown = html.matches("name=\"departement\"").count();
    assert_eq!(shown, 6, "six départements in the page");
    assert!(html.contains("id=\"plus-departement\""), "the link to the others");
    assert!(html.contains("href=\"/etablissements?ouvrir=departement\""), "without JavaScript, a link");
    let (_, full) = b.get_text("/etablissements?ouvrir=departement").await;
    let all = full.matches("name=\"departement\"").count();
    assert!(all > 50, "every département once asked for: {all}");
    assert!(!full.contains("id=\"plus-departement\""));
    assert!(full.len() > html.len());
    srv.stop().await;
}
on_both_databases!(a_facets_other_values_come_when_asked_for);

/// Served over HTTPS (`https = true` behind the TLS proxy): HSTS on every response, and the session cookie is
/// `Secure` with the `__Host-` prefix.
async fn over_https_the_cookie_is_secure_and_hsts_is_sent(backend: Backend) {
    let srv = server::testing::TestServer::start_with(backend, crate::helpers::SMALL, |c| c.ceres.https = true).await;
    let b = Browser::new(&srv);
    for path in ["/connexion", "/pkg/app.css", "/nulle-part"] {
        let r = b.get(path).await;
        let hsts = r.headers().get("strict-transport-security").and_then(|v| v.to_str().ok()).unwrap_or_default();
        assert!(hsts.starts_with("max-age=") && hsts.contains("includeSubDomains"), "{path}: {hsts}");
    }
    let r = b.sign_in("admin").await;
    let cookie = r.headers().get("set-cookie").and_then(|v| v.to_str().ok()).unwrap_or_default().to_owned();
    assert!(cookie.starts_with("__Host-ceres_session="), "{cookie}");
    for attr in ["Secure", "HttpOnly", "SameSite=Strict", "Path=/"] {
        assert!(cookie.contains(attr), "{attr} missing in {cookie}");
    }
    assert!(!cookie.contains("Domain="), "a __Host- cookie names no domain");
    srv.stop().await;
}
on_both_databases!(over_https_the_cookie_is_secure_and_hsts_is_sent);

/// A split-out page names the WASM files of its module in `<link rel="preload">` (so that the browser fetches them
/// with the main module, not after it), each served; a page of the main module names none.
async fn a_split_out_page_preloads_its_modules(backend: Backend) {
    let srv = start(backend).await;
    let id = srv.insert_session("53060076600022", chrono::NaiveDate::from_ymd_opt(2019, 4, 20).expect("date")).await;
    let b = Browser::new(&srv);
    b.sign_in("admin").await;
    let preloads = |html: &str| -> Vec<String> {
        html.split("<link rel=\"preload\" href=\"")
            .skip(1)
            .filter_map(|rest| rest.split('"').next())
            .filter(|href| href.contains("/split_") || href.contains("/chunk_"))
            .map(str::to_owned)
            .collect()
    };
    let (status, html) = b.get_text(&format!("/sessions/{id}")).await;
    assert_eq!(status, StatusCode::OK);
    let hrefs = preloads(&html);
    assert!(hrefs.iter().any(|h| h == "/pkg/split_session.wasm"), "{hrefs:?}");
    assert!(hrefs.iter().any(|h| h.starts_with("/pkg/chunk_")), "{hrefs:?}");
    for href in &hrefs {
        // As the browser asks for it: the same address, then the same file.
        let tag = html.split(&format!("href=\"{href}\"")).nth(1).and_then(|t| t.split('>').next()).unwrap_or_default();
        assert!(
            tag.contains("as=\"fetch\"") && tag.contains("type=\"application/wasm\"") && tag.contains("crossorigin"),
            "{href}: {tag}"
        );
        let r = b.get(href).await;
        assert_eq!(r.status(), StatusCode::OK, "{href}");
        assert_eq!(r.headers().get("content-type").map(|v| v.as_bytes()), Some(&b"application/wasm"[..]), "{href}");
    }
    // The sessions list needs other files; the search page, on the main module alone, none.
    let (_, html) = b.get_text("/sessions").await;
    assert!(preloads(&html).iter().any(|h| h == "/pkg/split_sessions.wasm"));
    assert!(!preloads(&html).iter().any(|h| h == "/pkg/split_session.wasm"));
    let (_, html) = b.get_text("/etablissements?q=floirac").await;
    assert_eq!(preloads(&html), Vec::<String>::new());
    srv.stop().await;
}
on_both_databases!(a_split_out_page_preloads_its_modules);
