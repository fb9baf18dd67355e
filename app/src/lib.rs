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
use leptos_router::{Lazy, LazyRoute, SsrMode, path};

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

/// The content hash the release build put in the names of one kind of file (`js`, `wasm` or `css` in the
/// `hash.txt` Leptos reads next to the server), or `None` when the names carry none (a debug build, the tests).
fn release_hash(options: &LeptosOptions, kind: &str) -> Option<String> {
    if !options.hash_files {
        return None;
    }
    let exe = std::env::current_exe().ok()?;
    let text = std::fs::read_to_string(exe.parent()?.join(options.hash_file.as_ref())).ok()?;
    text.lines().find_map(|l| Some(l.trim().strip_prefix(kind)?.strip_prefix(':')?.trim().to_owned()))
}

/// The address of CERES' own stylesheet: with its content hash when the release build wrote one, so that it can be
/// cached for a year like the WASM.
fn stylesheet_href(options: &LeptosOptions) -> String {
    static HREF: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    HREF.get_or_init(|| {
        let pkg = options.site_pkg_dir.to_string();
        match release_hash(options, "css") {
            Some(h) => format!("/{pkg}/{}.{h}.css", options.output_name),
            None => format!("/{pkg}/{}.css", options.output_name),
        }
    })
    .clone()
}

/// The bootstrap Leptos' `HydrationScripts` writes into each page, copied from leptos 0.8.23
/// (`src/hydration/hydration_script.js`, MIT): it imports the main module and hydrates the page. The test
/// `the_main_modules_links_and_bootstrap_are_those_of_leptos` fails if an upgrade of Leptos changes what it writes.
const HYDRATION_SCRIPT: &str = include_str!("hydration_script.js");

/// What [`MainModule`] writes, worked out for one build: the addresses of the main module's JS and WASM, and the
/// bootstrap's call, with the release hash in the names when there is one (`js_hash`, `wasm_hash`).
struct MainModuleTags {
    js_href: String,
    wasm_href: String,
    bootstrap: String,
}

impl MainModuleTags {
    fn new(options: &LeptosOptions, js_hash: Option<&str>, wasm_hash: Option<&str>) -> Self {
        let pkg = &*options.site_pkg_dir;
        let name = |hash: Option<&str>| match hash {
            Some(h) => format!("{}.{h}", options.output_name),
            None => options.output_name.to_string(),
        };
        let (js, wasm) = (name(js_hash), name(wasm_hash));
        MainModuleTags {
            js_href: format!("/{pkg}/{js}.js"),
            wasm_href: format!("/{pkg}/{wasm}.wasm"),
            // The bootstrap's arguments: the site's root (CERES is served at the origin's), the package directory,
            // the two names, and no deferring until the browser is idle.
            bootstrap: format!("{HYDRATION_SCRIPT}(\"\", {pkg:?}, {js:?}, {wasm:?}, false);"),
        }
    }

    /// Those of the running server, read from `hash.txt` once.
    fn of_this_build(options: &LeptosOptions) -> &'static Self {
        static TAGS: std::sync::OnceLock<MainModuleTags> = std::sync::OnceLock::new();
        TAGS.get_or_init(|| {
            MainModuleTags::new(
                options,
                release_hash(options, "js").as_deref(),
                release_hash(options, "wasm").as_deref(),
            )
        })
    }
}

/// The main module's links and bootstrap: the markup of Leptos' `HydrationScripts`, without its work at each page
/// (it finds the server's executable, then reads and parses `hash.txt`: seven system calls per page, BENCHMARKS.md
/// « Ninth round »). As Leptos does, the preload links carry the nonce as `crossorigin`, which browsers read as
/// `anonymous` (the value the loader's own requests match); the split-out pages are the business of [`SplitPreloads`].
#[component]
fn MainModule(options: LeptosOptions) -> impl IntoView {
    let tags = MainModuleTags::of_this_build(&options);
    let nonce = leptos::nonce::use_nonce();
    let anonymous = nonce.as_ref().map(|n| n.to_string()).unwrap_or_default();
    view! {
        <link rel="modulepreload" href=tags.js_href.as_str() crossorigin=nonce.clone()/>
        <link rel="preload" href=tags.wasm_href.as_str() r#as="fetch" r#type="application/wasm" crossorigin=anonymous/>
        <script type="module" nonce=nonce>
            {tags.bootstrap.as_str()}
        </script>
    }
}

/// The addresses of the WASM files each split-out module needs, by module (`split_pages!`): its chunks, then its own
/// file, as `split-manifest.json` lists them (`scripts/build.sh` writes it from the loader), with the release hash
/// in the names when there is one. An empty map, said in the log, when the file is missing or unreadable: pages
/// then work as before, their modules fetched after the main one.
#[cfg(feature = "ssr")]
fn split_preloads(options: &LeptosOptions) -> &'static std::collections::HashMap<String, Vec<String>> {
    static HREFS: std::sync::OnceLock<std::collections::HashMap<String, Vec<String>>> = std::sync::OnceLock::new();
    HREFS.get_or_init(|| {
        let path = std::path::Path::new(&*options.site_root).join(&*options.site_pkg_dir).join("split-manifest.json");
        let text = std::fs::read_to_string(&path).map_err(|e| e.to_string());
        match text.and_then(|t| {
            preload_hrefs(&t, &options.site_pkg_dir, release_hash(options, "wasm").as_deref())
                .map_err(|e| e.to_string())
        }) {
            Ok(hrefs) => hrefs,
            Err(e) => {
                tracing::warn!(
                    path = %path.display(),
                    "no preload links for the split-out pages ({e}): run scripts/build.sh to write the file"
                );
                Default::default()
            }
        }
    })
}

/// Reads `split-manifest.json` (module → file names) into module → addresses under `/{pkg}`, `chunk_3.wasm`
/// becoming `chunk_3.{hash}.wasm` when the release build hashed the names.
#[cfg(feature = "ssr")]
fn preload_hrefs(
    manifest: &str,
    pkg: &str,
    hash: Option<&str>,
) -> Result<std::collections::HashMap<String, Vec<String>>, serde_json::Error> {
    let files: std::collections::HashMap<String, Vec<String>> = serde_json::from_str(manifest)?;
    let href = |name: &str| match (hash, name.strip_suffix(".wasm")) {
        (Some(h), Some(stem)) => format!("/{pkg}/{stem}.{h}.wasm"),
        _ => format!("/{pkg}/{name}"),
    };
    Ok(files.into_iter().map(|(module, names)| (module, names.iter().map(|n| href(n)).collect())).collect())
}

/// `<link rel="preload">` for the WASM files of the split-out page being served, if it is one: the browser fetches
/// them alongside the main module instead of when hydration asks for them, after the main module has arrived (one
/// round trip and the main module's start-up less, on a first visit). Each link matches the loader's own `fetch`
/// (CORS mode, same-origin credentials: `crossorigin` anonymous), so that the file is downloaded once.
#[component]
fn SplitPreloads(options: LeptosOptions) -> impl IntoView {
    #[cfg(feature = "ssr")]
    let hrefs = with_context::<axum::http::request::Parts, _>(|parts| SplitPage::for_path(parts.uri.path()))
        .flatten()
        .and_then(|page| split_preloads(&options).get(page.module()).cloned())
        .unwrap_or_default();
    #[cfg(not(feature = "ssr"))]
    let hrefs: Vec<String> = {
        let _ = options;
        Vec::new()
    };
    hrefs
        .into_iter()
        .map(|href| view! { <link rel="preload" href=href r#as="fetch" r#type="application/wasm" crossorigin=""/> })
        .collect_view()
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
                <MainModule options=options.clone()/>
                // After the main module's links, so that its requests go first.
                <SplitPreloads options/>
                <MetaTags/>
            </head>
            <body>
                <App/>
            </body>
        </html>
    }
}

/// Pages whose code is split out of the main WASM (`scripts/build.sh` runs `wasm-split-cli`): the browser fetches
/// a page's module when the page is first shown. The DREETS agents' daily path (search, centre, site) and the
/// sign-in stay in the main file, so that it alone serves them; the session and administration pages, each used by
/// a smaller group, come on demand.
///
/// Each entry gives the route's type, the page, the [`SplitPage`] variant (also the name of a module holding the
/// split point), the path's segments, in the order they are tried, and the name of the split-out WASM module.
///
/// The split points are written with `wasm_split(…, fallible)` rather than Leptos' `#[lazy_route]`, whose failed
/// load panics: a module that cannot be fetched (the network dropped, or the page being left while it loads) then
/// shows a message in the page instead of stopping the application.
macro_rules! split_pages {
    ($($route:ident => $page:ident as $variant:ident at $segments:pat in $module:ident),* $(,)?) => {
        $(
            struct $route;

            impl LazyRoute for $route {
                fn data() -> Self {
                    Self
                }

                async fn view(_this: Self) -> AnyView {
                    match $variant::view().await {
                        Ok(view) => view,
                        Err(_) => view! { <PageNotLoaded/> }.into_any(),
                    }
                }

                async fn preload() {
                    // A failure shows when the page is asked for (`view`).
                    let _ = $variant::preload().await;
                }
            }

            #[allow(non_snake_case)]
            mod $variant {
                use leptos::prelude::*;

                #[leptos::wasm_split::wasm_split($module, fallible, wasm_split_path = ::leptos::wasm_split, preload(preload))]
                pub fn view() -> Result<AnyView, leptos::wasm_split::SplitLoaderError> {
                    Ok(view! { <super::$page/> }.into_any())
                }
            }
        )*

        /// The split-out page a path shows, if any: hydration needs its module loaded first.
        #[derive(Debug, Clone, Copy, PartialEq, Eq)]
        pub enum SplitPage {
            $($variant),*
        }

        impl SplitPage {
            /// Every split-out page.
            pub const ALL: &[SplitPage] = &[$(Self::$variant),*];

            /// Mirrors the `<Routes>` of [`App`]: a split-out page missing here would make the router panic when that
            /// page is opened by a full page load (« lazy routes should not be used with hydrate_body() »). The unit
            /// test below checks each path; the browser test `each_split_out_page_hydrates_when_opened_directly`
            /// opens the pages.
            pub fn for_path(path: &str) -> Option<Self> {
                let segments: Vec<&str> = path.split('/').filter(|s| !s.is_empty()).collect();
                match segments.as_slice() {
                    $($segments => Some(Self::$variant),)*
                    _ => None,
                }
            }

            /// The name of the page's split-out module (`split_<module>.wasm`, a key of `split-manifest.json`).
            pub fn module(self) -> &'static str {
                match self {
                    $(Self::$variant => stringify!($module),)*
                }
            }

            /// Fetches and instantiates the page's module (a no-op on the server, where nothing is split).
            pub async fn load(self) -> Result<(), leptos::wasm_split::SplitLoaderError> {
                match self {
                    $(Self::$variant => $variant::preload().await,)*
                }
            }
        }
    };
}
split_pages!(
    SplitActivation => Activation as Activation at ["activation"] in activation,
    SplitSessions => SessionsPage as Sessions at ["sessions"] in sessions,
    SplitValidation => ValidationPage as Validation at ["validation"] in validation,
    SplitAdministration => AdministrationPage as Administration at ["administration"] in administration,
    SplitRegles => ReglesPage as Regles at ["administration", "regles"] in regles,
    SplitDemandesDte => DemandesDtePage as DemandesDte at ["administration", "demandes-dte"] in demandes_dte,
    SplitNouvelleSession => NouvelleSessionPage as NouvelleSession at ["sessions", "nouvelle"] in nouvelle_session,
    SplitSession => SessionPage as Session at ["sessions", _] in session,
);

/// Hydrates the page the server rendered, after loading its split-out module if it has one: the router then finds
/// the page's code ready and hydrates synchronously, as for the pages of the main file (Leptos' `hydrate_lazy` would
/// instead need an asynchronous copy of every view's hydration, which CERES' tachys patch leaves out).
#[cfg(feature = "hydrate")]
pub fn hydrate() {
    wasm_bindgen_futures::spawn_local(async {
        let path = window().location().pathname().unwrap_or_default();
        if let Some(page) = SplitPage::for_path(&path)
            && page.load().await.is_err()
        {
            // The page stays as the server rendered it, usable without JavaScript (links and forms).
            return;
        }
        leptos::mount::hydrate_body(App);
    });
}

/// Shown in place of a split-out page whose module could not be fetched.
#[component]
fn PageNotLoaded() -> impl IntoView {
    view! {
        <div class="fr-alert fr-alert--error" id="page-non-chargee">
            <h1 class="fr-alert__title">"La page n'a pas pu être chargée"</h1>
            <p>"Vérifiez votre connexion au réseau, puis rechargez la page."</p>
        </div>
    }
}

#[component]
pub fn App() -> impl IntoView {
    provide_meta_context();
    // The server functions' futures are boxed: the resource wraps them in several layers, each moving the whole
    // future (on the server, the function's body with its database calls: kilobytes copied again and again).
    let user: UserResource = Resource::new(|| (), |_| Box::pin(get_current_user()));
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
                    <Route path=path!("/activation") view={Lazy::<SplitActivation>::new()}/>
                    <Route path=path!("/etablissements") view=Etablissements ssr=SsrMode::Async/>
                    <Route path=path!("/centres/:id") view=CentrePage ssr=SsrMode::Async/>
                    <Route path=path!("/sites/:id") view=SitePage ssr=SsrMode::Async/>
                    <Route path=path!("/sessions") view={Lazy::<SplitSessions>::new()} ssr=SsrMode::Async/>
                    <Route path=path!("/validation") view={Lazy::<SplitValidation>::new()} ssr=SsrMode::Async/>
                    <Route path=path!("/administration") view={Lazy::<SplitAdministration>::new()} ssr=SsrMode::Async/>
                    <Route path=path!("/administration/regles") view={Lazy::<SplitRegles>::new()} ssr=SsrMode::Async/>
                    <Route path=path!("/administration/demandes-dte") view={Lazy::<SplitDemandesDte>::new()} ssr=SsrMode::Async/>
                    <Route path=path!("/sessions/nouvelle") view={Lazy::<SplitNouvelleSession>::new()} ssr=SsrMode::Async/>
                    <Route path=path!("/sessions/:id") view={Lazy::<SplitSession>::new()} ssr=SsrMode::Async/>
                    <Route path=path!("/mentions-legales") view=MentionsLegales/>
                </Routes>
            </main>
            <Footer/>
        </Router>
    }
}

#[cfg(test)]
mod tests {
    use super::SplitPage;

    #[test]
    fn each_split_out_page_is_found_from_its_path() {
        for (path, page) in [
            ("/activation", Some(SplitPage::Activation)),
            ("/sessions", Some(SplitPage::Sessions)),
            ("/sessions/", Some(SplitPage::Sessions)),
            ("/validation", Some(SplitPage::Validation)),
            ("/administration", Some(SplitPage::Administration)),
            ("/administration/regles", Some(SplitPage::Regles)),
            ("/administration/demandes-dte", Some(SplitPage::DemandesDte)),
            ("/sessions/nouvelle", Some(SplitPage::NouvelleSession)),
            ("/sessions/42", Some(SplitPage::Session)),
            ("/", None),
            ("/connexion", None),
            ("/etablissements", None),
            ("/centres/7", None),
            ("/sites/7", None),
            ("/mentions-legales", None),
            ("/sessions/42/autre", None),
        ] {
            assert_eq!(SplitPage::for_path(path), page, "{path}");
        }
    }

    #[cfg(feature = "ssr")]
    #[test]
    fn preload_links_name_each_file_of_a_module_with_the_release_hash() {
        let manifest = r#"{"session": ["chunk_9.wasm", "split_session.wasm"], "activation": []}"#;
        let plain = super::preload_hrefs(manifest, "pkg", None).expect("manifest");
        assert_eq!(plain["session"], ["/pkg/chunk_9.wasm", "/pkg/split_session.wasm"]);
        assert!(plain["activation"].is_empty());
        let hashed = super::preload_hrefs(manifest, "pkg", Some("0123abcd")).expect("manifest");
        assert_eq!(hashed["session"], ["/pkg/chunk_9.0123abcd.wasm", "/pkg/split_session.0123abcd.wasm"]);
        assert!(super::preload_hrefs("{\"session\": \"chunk_9.wasm\"}", "pkg", None).is_err());
    }

    /// The main module's links and bootstrap are what Leptos' own `HydrationScripts` writes, nonce included (a test
    /// build has no `hash.txt`: the names carry no hash); with a release hash, it goes in both names.
    #[cfg(feature = "ssr")]
    #[test]
    fn the_main_modules_links_and_bootstrap_are_those_of_leptos() {
        use leptos::prelude::*;
        let options = LeptosOptions::builder().output_name("app").site_pkg_dir("pkg").build();
        let owner = Owner::new();
        owner.with(|| {
            leptos::nonce::provide_nonce();
            let nonce = leptos::nonce::use_nonce().expect("a nonce").to_string();
            let ours = view! { <super::MainModule options=options.clone()/> }.to_html();
            let leptos = view! { <leptos::hydration::HydrationScripts options=options.clone()/> }.to_html();
            assert_eq!(ours, leptos);
            assert!(ours.contains(&format!(r#"<script type="module" nonce="{nonce}">(function"#)), "{ours}");
            assert!(ours.contains(r#"("", "pkg", "app", "app", false);</script>"#), "{ours}");
        });
        let hashed = super::MainModuleTags::new(&options, Some("0123abcd"), Some("4567ef"));
        assert_eq!(hashed.js_href, "/pkg/app.0123abcd.js");
        assert_eq!(hashed.wasm_href, "/pkg/app.4567ef.wasm");
        assert!(hashed.bootstrap.ends_with(
            r#"})
("", "pkg", "app.0123abcd", "app.4567ef", false);"#
        ));
    }

    /// Each split-out page's module is in the manifest the build wrote: the key the server looks it up by.
    #[cfg(feature = "ssr")]
    #[test]
    fn the_build_lists_the_files_of_every_split_out_module() {
        let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../target/site/pkg/split-manifest.json");
        let text = std::fs::read_to_string(path).expect("split-manifest.json: run scripts/build.sh first");
        let files = super::preload_hrefs(&text, "pkg", None).expect("manifest");
        for page in SplitPage::ALL {
            let hrefs = files.get(page.module()).unwrap_or_else(|| panic!("{page:?} is not in {path}"));
            assert!(hrefs.iter().any(|h| h == &format!("/pkg/split_{}.wasm", page.module())), "{page:?}: {hrefs:?}");
        }
    }
}
