//! Web hardening applied to every response and every state-changing request: security headers, and refusal of
//! requests that come from another origin (CSRF), on top of SameSite=Strict cookies.

use axum::extract::{Request, State};
use axum::http::{HeaderMap, HeaderValue, Method, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

use crate::AppState;

/// The authority (host[:port]) of an `Origin` or `Referer` URL.
fn authority(url: &str) -> Option<&str> {
    let rest = url.split_once("://")?.1;
    Some(rest.split(['/', '?', '#']).next().unwrap_or(rest))
}

/// A state-changing request must say it comes from this very host (Origin, else Referer).
fn same_origin(headers: &HeaderMap) -> bool {
    let Some(host) = headers.get(header::HOST).and_then(|h| h.to_str().ok()) else {
        return false;
    };
    let claimed = headers
        .get(header::ORIGIN)
        .or_else(|| headers.get(header::REFERER))
        .and_then(|v| v.to_str().ok())
        .and_then(authority);
    claimed == Some(host)
}

pub async fn guard(State(state): State<AppState>, req: Request, next: Next) -> Response {
    let safe = matches!(*req.method(), Method::GET | Method::HEAD | Method::OPTIONS);
    let mut res = if safe || same_origin(req.headers()) {
        next.run(req).await
    } else {
        tracing::warn!(method = %req.method(), path = %req.uri().path(), "cross-origin request refused");
        (
            StatusCode::FORBIDDEN,
            [(header::CONTENT_TYPE, "text/plain; charset=utf-8")],
            "Demande refusée : elle ne provient pas de CERES. Rechargez la page dans CERES et recommencez.",
        )
            .into_response()
    };
    let h = res.headers_mut();
    h.insert("x-content-type-options", HeaderValue::from_static("nosniff"));
    h.insert("x-frame-options", HeaderValue::from_static("DENY"));
    h.insert("referrer-policy", HeaderValue::from_static("same-origin"));
    // Pages set their own policy, with the nonce of their inline scripts; everything else gets it without one.
    if !h.contains_key(header::CONTENT_SECURITY_POLICY)
        && let Ok(v) = HeaderValue::from_str(&app::content_security_policy(None))
    {
        h.insert(header::CONTENT_SECURITY_POLICY, v);
    }
    if state.config.https {
        h.insert("strict-transport-security", HeaderValue::from_static("max-age=63072000; includeSubDomains"));
    }
    res
}

#[cfg(test)]
mod tests {
    use super::*;

    fn headers(pairs: &[(&'static str, &'static str)]) -> HeaderMap {
        let mut h = HeaderMap::new();
        for (k, v) in pairs {
            h.insert(*k, HeaderValue::from_static(v));
        }
        h
    }

    #[test]
    fn a_request_from_the_same_host_passes() {
        assert!(same_origin(&headers(&[("host", "127.0.0.1:3000"), ("origin", "http://127.0.0.1:3000")])));
        assert!(same_origin(&headers(&[("host", "ceres.example"), ("referer", "https://ceres.example/sites/2")])));
    }

    #[test]
    fn another_origin_or_no_origin_is_refused() {
        assert!(!same_origin(&headers(&[("host", "127.0.0.1:3000"), ("origin", "http://evil.example")])));
        assert!(!same_origin(&headers(&[
            ("host", "127.0.0.1:3000"),
            ("origin", "http://127.0.0.1:3000.evil.example")
        ])));
        assert!(!same_origin(&headers(&[("host", "127.0.0.1:3000")])));
        assert!(!same_origin(&headers(&[("host", "127.0.0.1:3000"), ("origin", "null")])));
    }
}
