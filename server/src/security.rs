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

/// Largest form body accepted (a 5,000-line candidate import is about 1 MB).
pub(crate) const MAX_FORM_BYTES: usize = 4 * 1024 * 1024;

/// Whether every name and value of a form body decodes to UTF-8 (the form decoders downstream would silently
/// replace what does not by U+FFFD, and store it).
fn form_is_utf8(body: &[u8]) -> bool {
    fn hex(b: u8) -> Option<u8> {
        (b as char).to_digit(16).and_then(|d| u8::try_from(d).ok())
    }
    body.split(|b| matches!(b, b'&' | b'=')).all(|part| {
        let mut out = Vec::with_capacity(part.len());
        let mut i = 0;
        while i < part.len() {
            match part[i] {
                b'%' if i + 2 < part.len() => match (hex(part[i + 1]), hex(part[i + 2])) {
                    (Some(h), Some(l)) => {
                        out.push(h * 16 + l);
                        i += 3;
                        continue;
                    }
                    _ => out.push(b'%'),
                },
                b'+' => out.push(b' '),
                b => out.push(b),
            }
            i += 1;
        }
        std::str::from_utf8(&out).is_ok()
    })
}

/// A refusal, as JSON for server functions (their error type) and as text for forms.
fn refusal(status: StatusCode, api: bool, message: &str) -> Response {
    if api {
        let body = serde_json::to_string(&app::error::AppError::Invalide(message.to_owned())).unwrap_or_default();
        (status, [(header::CONTENT_TYPE, "application/json")], body).into_response()
    } else {
        (status, [(header::CONTENT_TYPE, "text/plain; charset=utf-8")], message.to_owned()).into_response()
    }
}

/// Form bodies are read once here: too large, or not UTF-8, they are refused with a French message before any
/// handler sees them.
async fn checked_form(req: Request) -> Result<Request, Response> {
    let is_form = req
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("application/x-www-form-urlencoded"));
    if !is_form {
        return Ok(req);
    }
    let api = req.uri().path().starts_with("/api/");
    let (parts, body) = req.into_parts();
    let Ok(bytes) = axum::body::to_bytes(body, MAX_FORM_BYTES).await else {
        return Err(refusal(
            StatusCode::PAYLOAD_TOO_LARGE,
            api,
            "La demande est trop volumineuse (4 Mo au plus) : envoyez moins de lignes à la fois.",
        ));
    };
    if !form_is_utf8(&bytes) {
        return Err(refusal(
            StatusCode::UNPROCESSABLE_ENTITY,
            api,
            "Le formulaire contient des caractères illisibles (encodage autre que UTF-8) : retapez le texte dans CERES et recommencez.",
        ));
    }
    Ok(Request::from_parts(parts, axum::body::Body::from(bytes)))
}

pub async fn guard(State(state): State<AppState>, req: Request, next: Next) -> Response {
    let safe = matches!(*req.method(), Method::GET | Method::HEAD | Method::OPTIONS);
    let mut res = if safe || same_origin(req.headers()) {
        match checked_form(req).await {
            Ok(req) => next.run(req).await,
            Err(refused) => refused,
        }
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

    #[test]
    fn form_bodies_must_decode_to_utf8() {
        assert!(form_is_utf8(b"nom=Dupont&prenom=L%C3%A9a+Marie&vide=&x"));
        assert!(form_is_utf8("nom=Léa".as_bytes()));
        assert!(form_is_utf8(b"taux=100%&bout=%4"), "a lone % is kept as it is");
        assert!(!form_is_utf8(b"nom=Dup%FFont"));
        assert!(!form_is_utf8(b"nom=%C3%28"));
        assert!(!form_is_utf8(b"%FF=1"));
        assert!(!form_is_utf8(b"nom=\xff"));
    }

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
