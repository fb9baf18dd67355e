//! Responses for failures outside the Leptos pages, in French.

use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};

/// When the database cannot answer: a plain French page, status 503.
pub fn unavailable_page() -> Response {
    (
        StatusCode::SERVICE_UNAVAILABLE,
        [(header::CONTENT_TYPE, "text/html; charset=utf-8")],
        "<!DOCTYPE html><html lang=\"fr\"><head><meta charset=\"utf-8\"><title>CERES indisponible</title></head>\
         <body><h1>CERES est momentanément indisponible</h1>\
         <p>La base de données ne répond pas. Réessayez dans quelques instants ; si le problème persiste, \
         contactez l'assistance.</p></body></html>",
    )
        .into_response()
}
