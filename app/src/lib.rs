//! CERES: the pages, components, DTOs, server functions and domain rules shared by the server (SSR, feature `ssr`)
//! and the browser (hydration, feature `hydrate`).

// Leptos views are deeply nested types; the default limit (128) is too small for the larger pages.
#![recursion_limit = "256"]

pub mod api;
pub mod auth;
pub mod clock;
pub mod components;
#[cfg(feature = "ssr")]
pub mod db;
pub mod domain;
pub mod dto;
pub mod error;
pub mod pages;
#[cfg(feature = "ssr")]
pub mod registry;
#[cfg(feature = "ssr")]
pub mod search;

use leptos::prelude::*;
use leptos_meta::{MetaTags, Title, provide_meta_context};
use leptos_router::components::{Route, Router, Routes};
use leptos_router::{SsrMode, path};

use crate::api::get_current_user;
use crate::auth::AuthUser;
use crate::components::layout::{Footer, Header};
use crate::error::AppError;
use crate::pages::{
    accueil::Accueil,
    activation::Activation,
    administration::AdministrationPage,
    centre::CentrePage,
    connexion::Connexion,
    demandes_dte::DemandesDtePage,
    etablissements::Etablissements,
    mentions::MentionsLegales,
    not_found::NotFound,
    nouvelle_session::NouvelleSessionPage,
    regles::ReglesPage,
    session::SessionPage,
    sessions::{SessionsPage, ValidationPage},
    site::SitePage,
};

/// The product version shown in the footer.
pub const VERSION: &str = env!("CARGO_PKG_VERSION");

/// The signed-in user, loaded once per page load and shared by the header and the pages.
pub type UserResource = Resource<Result<Option<AuthUser>, AppError>>;

/// The address of CERES' own stylesheet: with its content hash when the release build wrote one (`css: …` in the
/// `hash.txt` Leptos reads next to the server), so that it can be cached for a year like the WASM.
fn stylesheet_href(options: &LeptosOptions) -> String {
    static HREF: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    HREF.get_or_init(|| {
        let pkg = options.site_pkg_dir.to_string();
        let hash = options
            .hash_files
            .then(|| {
                let exe = std::env::current_exe().ok()?;
                let text = std::fs::read_to_string(exe.parent()?.join(options.hash_file.as_ref())).ok()?;
                text.lines().find_map(|l| l.trim().strip_prefix("css:").map(|h| h.trim().to_owned()))
            })
            .flatten();
        match hash {
            Some(h) => format!("/{pkg}/{}.{h}.css", options.output_name),
            None => format!("/{pkg}/{}.css", options.output_name),
        }
    })
    .clone()
}

/// The Content-Security-Policy of CERES: this origin only, WASM compilation allowed, nothing may frame it. Scripts
/// run only from this origin or inline with the page's `nonce` (Leptos' hydration bootstrap and resource data carry
/// it): no 'unsafe-inline', no 'unsafe-eval'.
pub fn content_security_policy(nonce: Option<&str>) -> String {
    let inline = nonce.map(|n| format!(" 'nonce-{n}'")).unwrap_or_default();
    format!(
        "default-src 'self'; script-src 'self'{inline} 'wasm-unsafe-eval'; style-src 'self'; img-src 'self' data:; \
         font-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'; \
         frame-ancestors 'none'"
    )
}

/// The HTML document around the app, rendered on the server only.
pub fn shell(options: LeptosOptions) -> impl IntoView {
    // A page's policy names the nonce Leptos gave its inline scripts (the server sets a nonce-less one on the rest).
    #[cfg(feature = "ssr")]
    if let (Some(nonce), Some(res)) = (leptos::nonce::use_nonce(), use_context::<leptos_axum::ResponseOptions>())
        && let Ok(v) = axum::http::HeaderValue::from_str(&content_security_policy(Some(&nonce)))
    {
        res.insert_header(axum::http::header::CONTENT_SECURITY_POLICY, v);
    }
    view! {
        <!DOCTYPE html>
        <html lang="fr" data-fr-scheme="light">
            <head>
                <meta charset="utf-8"/>
                <meta name="viewport" content="width=device-width, initial-scale=1, shrink-to-fit=no"/>
                <meta name="format-detection" content="telephone=no"/>
                <link rel="icon" href="/favicon.ico"/>
                <link rel="stylesheet" href="/dsfr/dsfr.min.css"/>
                <link rel="stylesheet" href=stylesheet_href(&options)/>
                <HydrationScripts options/>
                <MetaTags/>
            </head>
            <body>
                <App/>
            </body>
        </html>
    }
}

#[component]
pub fn App() -> impl IntoView {
    provide_meta_context();
    let user: UserResource = Resource::new(|| (), |_| get_current_user());
    provide_context(user);

    // Effects run only in the browser: the attribute appears once the WASM has hydrated the page (tests wait on it).
    Effect::new(move |_| {
        if let Some(body) = document().body() {
            let _ = body.set_attribute("data-hydrated", "true");
        }
    });

    view! {
        <Title formatter=|page: String| if page.is_empty() { "CERES".to_string() } else { format!("{page} – CERES") }/>
        <Router>
            <div class="fr-skiplinks">
                <nav class="fr-container" role="navigation" aria-label="Accès rapide">
                    <ul class="fr-skiplinks__list">
                        <li><a class="fr-link" href="#contenu">"Contenu"</a></li>
                    </ul>
                </nav>
            </div>
            <Header/>
            <main id="contenu" class="fr-container fr-py-4w ceres-main" tabindex="-1">
                <Routes fallback=NotFound>
                    // Pages that load data render fully before the response starts (SsrMode::Async), so their
                    // HTTP status (404, 403) is right and the HTML is complete without JavaScript.
                    <Route path=path!("/") view=Accueil ssr=SsrMode::Async/>
                    <Route path=path!("/connexion") view=Connexion/>
                    <Route path=path!("/activation") view=Activation/>
                    <Route path=path!("/etablissements") view=Etablissements ssr=SsrMode::Async/>
                    <Route path=path!("/centres/:id") view=CentrePage ssr=SsrMode::Async/>
                    <Route path=path!("/sites/:id") view=SitePage ssr=SsrMode::Async/>
                    <Route path=path!("/sessions") view=SessionsPage ssr=SsrMode::Async/>
                    <Route path=path!("/validation") view=ValidationPage ssr=SsrMode::Async/>
                    <Route path=path!("/administration") view=AdministrationPage ssr=SsrMode::Async/>
                    <Route path=path!("/administration/regles") view=ReglesPage ssr=SsrMode::Async/>
                    <Route path=path!("/administration/demandes-dte") view=DemandesDtePage ssr=SsrMode::Async/>
                    <Route path=path!("/sessions/nouvelle") view=NouvelleSessionPage ssr=SsrMode::Async/>
                    <Route path=path!("/sessions/:id") view=SessionPage ssr=SsrMode::Async/>
                    <Route path=path!("/mentions-legales") view=MentionsLegales/>
                </Routes>
            </main>
            <Footer/>
        </Router>
    }
}
