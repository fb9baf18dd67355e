//! Static assets, served from the site root: `/pkg` (the WASM, its JS glue, the split-out pages' modules, the CSS)
//! and `/dsfr` (the State design system). A browser that accepts brotli or gzip gets the `.br` or `.gz` file written
//! next to the original at build time (`scripts/build.sh --release`), never a compression on the fly. Names that
//! carry a content hash (`app.3f2a…9c.wasm`, `chunk_12.3f2a…9c.wasm`, written with `hash.txt` by the release build)
//! are cached for a year as immutable; the DSFR for a day; anything else is revalidated.

use std::path::Path;

use axum::Router;
use axum::extract::Request;
use axum::http::{HeaderValue, header};
use axum::middleware::Next;
use axum::response::Response;
use tower_http::services::ServeDir;

/// A year: what a hashed name may be cached for (its content never changes under that name).
pub const IMMUTABLE: &str = "public, max-age=31536000, immutable";
pub const ONE_DAY: &str = "public, max-age=86400";
pub const REVALIDATE: &str = "no-cache";

/// `app.<hex hash>.js|wasm|css`: a file whose name changes when its content does.
pub fn is_hashed(path: &str) -> bool {
    let name = path.rsplit('/').next().unwrap_or_default();
    let mut parts = name.split('.');
    match (parts.next(), parts.next(), parts.next(), parts.next()) {
        (Some(_), Some(hash), Some("js" | "wasm" | "css"), None) => {
            hash.len() >= 16 && hash.bytes().all(|b| b.is_ascii_hexdigit())
        }
        _ => false,
    }
}

/// The cache lifetime of an asset path.
pub fn cache_control(path: &str) -> &'static str {
    if is_hashed(path) {
        IMMUTABLE
    } else if path.starts_with("/dsfr/") {
        ONE_DAY
    } else {
        REVALIDATE
    }
}

async fn with_cache_headers(req: Request, next: Next) -> Response {
    let policy = cache_control(req.uri().path());
    let mut res = next.run(req).await;
    if res.status().is_success() || res.status() == axum::http::StatusCode::NOT_MODIFIED {
        res.headers_mut().insert(header::CACHE_CONTROL, HeaderValue::from_static(policy));
    }
    res
}

/// The routes of `/pkg` and `/dsfr` under `site_root`.
pub fn routes<S: Clone + Send + Sync + 'static>(site_root: &Path, pkg_dir: &str) -> Router<S> {
    let dir = |sub: &str| ServeDir::new(site_root.join(sub)).precompressed_br().precompressed_gzip();
    Router::new()
        .nest_service(&format!("/{pkg_dir}"), dir(pkg_dir))
        .nest_service("/dsfr", dir("dsfr"))
        .layer(axum::middleware::from_fn(with_cache_headers))
}

/// The content hashes of the release build (`js: …`, `wasm: …`, `css: …`), read from `hash.txt` next to the
/// server's executable, where Leptos looks for it too; `None` in a debug build, which serves plain names.
pub fn hashes_next_to_executable() -> Option<String> {
    let exe = std::env::current_exe().ok()?;
    std::fs::read_to_string(exe.parent()?.join("hash.txt")).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_hashed_names_are_immutable() {
        assert_eq!(cache_control("/pkg/app.0123456789abcdef.wasm"), IMMUTABLE);
        assert_eq!(cache_control("/pkg/app.0123456789abcdef.css"), IMMUTABLE);
        // The split-out pages' loader and modules carry the hash of the whole set (scripts/build.sh).
        assert_eq!(cache_control("/pkg/__wasm_split.0123456789abcdef0123.js"), IMMUTABLE);
        assert_eq!(cache_control("/pkg/split___split_session_view_1567.0123456789abcdef0123.wasm"), IMMUTABLE);
        assert_eq!(cache_control("/pkg/chunk_12.0123456789abcdef0123.wasm"), IMMUTABLE);
        assert_eq!(cache_control("/pkg/app.wasm"), REVALIDATE);
        assert_eq!(cache_control("/pkg/chunk_12.wasm"), REVALIDATE);
        assert_eq!(cache_control("/pkg/app.css"), REVALIDATE);
        assert_eq!(cache_control("/pkg/app.nothexnothexnothe.js"), REVALIDATE);
        assert_eq!(cache_control("/dsfr/dsfr.min.css"), ONE_DAY);
    }
}
