//! The HTTP client of the API Recherche d'entreprises against a local fake that answers with the real API's field
//! names: found, not found, 429 with Retry-After, 500, timeout, malformed JSON; cache and circuit breaker.

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use app::domain::siret::Siret;
use app::registry::http::{HttpRegistry, HttpSettings};
use app::registry::{CompanyRegistry, RegistryError};
use axum::Router;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::get;

pub(crate) const ELEGIA: &str = "38939456000020";

pub(crate) fn elegia_json(etat: &str) -> String {
    format!(
        r#"{{"results":[{{"siren":"389394560","nom_complet":"ELEGIA (ELEGIA FORMATION)","nom_raison_sociale":"ELEGIA",
        "siege":{{"siret":"38939456000012","adresse":"1 RUE DU SIEGE 75009 PARIS","code_postal":"75009","libelle_commune":"PARIS","commune":"75109","etat_administratif":"A"}},
        "matching_etablissements":[{{"siret":"{ELEGIA}","adresse":"76 BD PASTEUR 75015 PARIS 15","code_postal":"75015",
        "libelle_commune":"PARIS 15","commune":"75115","etat_administratif":"{etat}"}}]}}],
        "total_results":1,"page":1,"per_page":1,"total_pages":1}}"#
    )
}

/// A fake registry answering every request with `respond`, counting the requests.
pub(crate) async fn fake(respond: fn() -> Response) -> (String, Arc<AtomicUsize>) {
    let hits = Arc::new(AtomicUsize::new(0));
    let counter = hits.clone();
    let app = Router::new().route(
        "/search",
        get(move || {
            let counter = counter.clone();
            async move {
                counter.fetch_add(1, Ordering::SeqCst);
                if respond().status() == StatusCode::REQUEST_TIMEOUT {
                    tokio::time::sleep(Duration::from_millis(800)).await;
                }
                respond()
            }
        }),
    );
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("bind");
    let base = format!("http://{}", listener.local_addr().expect("addr"));
    tokio::spawn(async move { axum::serve(listener, app).await.ok() });
    (base, hits)
}

pub(crate) fn client(base: &str) -> HttpRegistry {
    let mut s = HttpSettings::new(base);
    s.timeout = Duration::from_millis(300);
    s.failure_threshold = 3;
    HttpRegistry::new(s).expect("client")
}

fn siret(s: &str) -> Siret {
    Siret::parse(s).expect("valid")
}

#[tokio::test]
async fn an_establishment_is_read_from_matching_etablissements_and_cached() {
    let (base, hits) = fake(|| ([("content-type", "application/json")], elegia_json("A")).into_response()).await;
    let r = client(&base);
    let c = r.lookup(&siret(ELEGIA)).await.expect("ok").expect("found");
    assert_eq!(c.nom_raison_sociale, "ELEGIA");
    assert_eq!(
        (c.adresse.as_str(), c.code_postal.as_str(), c.libelle_commune.as_str()),
        ("76 BD PASTEUR", "75015", "PARIS 15")
    );
    assert_eq!(c.commune, "75115");
    assert!(!c.is_closed());
    r.lookup(&siret(ELEGIA)).await.expect("ok");
    assert_eq!(hits.load(Ordering::SeqCst), 1, "the second lookup comes from the cache");
}

#[tokio::test]
async fn a_closed_establishment_is_reported_as_such() {
    let (base, _) = fake(|| ([("content-type", "application/json")], elegia_json("F")).into_response()).await;
    assert!(client(&base).lookup(&siret(ELEGIA)).await.expect("ok").expect("found").is_closed());
}

#[tokio::test]
async fn an_unknown_siret_is_none() {
    let (base, _) = fake(|| {
        (
            [("content-type", "application/json")],
            r#"{"results":[],"total_results":0,"page":1,"per_page":1,"total_pages":0}"#,
        )
            .into_response()
    })
    .await;
    assert_eq!(client(&base).lookup(&siret(ELEGIA)).await, Ok(None));
}

#[tokio::test]
async fn a_429_suspends_calls_for_the_retry_after_delay() {
    let (base, hits) =
        fake(|| (StatusCode::TOO_MANY_REQUESTS, [("retry-after", "120")], "slow down").into_response()).await;
    let r = client(&base);
    let first = r.lookup(&siret(ELEGIA)).await.expect_err("refused");
    assert!(matches!(&first, RegistryError::Unavailable(why) if why.contains("120 s")), "{first:?}");
    assert_eq!(r.lookup(&siret("53060076600022")).await, Err(RegistryError::CircuitOpen));
    assert_eq!(hits.load(Ordering::SeqCst), 1, "no call while suspended");
}

#[tokio::test]
async fn repeated_server_errors_open_the_circuit() {
    let (base, hits) = fake(|| (StatusCode::INTERNAL_SERVER_ERROR, "boom").into_response()).await;
    let r = client(&base);
    for _ in 0..3 {
        assert!(matches!(r.lookup(&siret(ELEGIA)).await, Err(RegistryError::Unavailable(_))));
    }
    assert_eq!(r.lookup(&siret(ELEGIA)).await, Err(RegistryError::CircuitOpen));
    assert_eq!(hits.load(Ordering::SeqCst), 3);
}

#[tokio::test]
async fn a_slow_registry_times_out() {
    let (base, _) = fake(|| (StatusCode::REQUEST_TIMEOUT, "").into_response()).await;
    let err = client(&base).lookup(&siret(ELEGIA)).await.expect_err("timeout");
    assert_eq!(err, RegistryError::Unavailable("délai dépassé".into()));
}

#[tokio::test]
async fn malformed_json_is_unavailable_not_a_panic() {
    let (base, _) = fake(|| ([("content-type", "application/json")], "{\"results\": [ oops").into_response()).await;
    let err = client(&base).lookup(&siret(ELEGIA)).await.expect_err("malformed");
    assert!(matches!(&err, RegistryError::Unavailable(why) if why.contains("illisible")), "{err:?}");
}
