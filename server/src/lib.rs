//! The CERES server: starts from the configuration, connects to the database, migrates it, loads the reference
//! data (and the demo data when asked), and serves the Leptos app with sessions and security layers. `main` and
//! the integration tests build the server through the same functions.

#![recursion_limit = "256"]

/// Server-side rendering allocates and frees many small strings and boxes per page: with glibc's allocator that was
/// 45 % of the instructions of a search page (scripts/profile.sh; BENCHMARKS.md has the before and after). Declared
/// here rather than in the binary: every program linking the server (the binary, the tests, the benchmark programs)
/// allocates as production does.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

pub mod activation;
pub mod assets;
pub mod auth;
pub mod batch;
pub mod cli;
pub mod config;
pub mod database;
pub mod demo;
pub mod documents;
pub mod errors;
pub mod export;
pub mod letters;
pub mod passwords;
pub mod reference;
pub mod security;
pub mod testing;

use std::net::SocketAddr;
use std::sync::Arc;

use app::registry::SharedRegistry;
use app::registry::file::FileRegistry;
use app::registry::http::{HttpRegistry, HttpSettings};
use app::search::SearchIndex;
use app::{App, shell};
use axum::Router;
use axum::extract::FromRef;
use axum::routing::{get, post};
use axum::serve::ListenerExt;
use leptos::config::LeptosOptions;
use leptos::prelude::provide_context;
use leptos_axum::{LeptosRoutes, file_and_error_handler_with_context, generate_route_list};
use sea_orm::DatabaseConnection;
use tokio::net::TcpListener;

pub use config::{CeresConfig, Config};

/// What every request handler can reach. Cheap to clone.
#[derive(Clone, FromRef)]
pub struct AppState {
    pub leptos_options: LeptosOptions,
    pub db: DatabaseConnection,
    pub config: Arc<CeresConfig>,
    pub registry: SharedRegistry,
    pub search: Arc<SearchIndex>,
    /// The sign-in sessions read for the requests that arrive together (`auth::user_for_token`).
    pub user_sessions: Arc<auth::SessionReads>,
}

impl AppState {
    /// Today as the deadline rules see it (`fixed-date` in Leptos.toml, otherwise the real date).
    pub fn clock(&self) -> app::clock::Clock {
        app::clock::Clock { fixed: self.config.fixed_date }
    }
}

/// Why the server could not start, in French for the operator.
#[derive(Debug, thiserror::Error)]
pub enum StartError {
    #[error("configuration : {0}")]
    Config(#[from] config::ConfigError),
    #[error(transparent)]
    Database(#[from] database::DatabaseError),
    #[error("données de référence : {0}")]
    Reference(#[from] reference::ReferenceError),
    #[error("données de démonstration : {0}")]
    Demo(#[from] demo::DemoError),
    #[error("répertoire des entreprises : {0}")]
    Registry(String),
    #[error(
        "impossible d'écouter sur {addr} ({cause}) : l'adresse est peut-être déjà utilisée ; changez site-addr dans Leptos.toml ou LEPTOS_SITE_ADDR"
    )]
    Bind { addr: SocketAddr, cause: std::io::Error },
    #[error("index de recherche : {0}")]
    Search(sea_orm::DbErr),
    #[error("le serveur s'est arrêté sur une erreur : {0}")]
    Serve(std::io::Error),
}

/// Connects, migrates and loads data; returns the state the router serves.
pub async fn prepare(config: &Config) -> Result<AppState, StartError> {
    let db = prepare_database(config).await?;
    let registry = registry(&config.ceres)?;
    let search = Arc::new(SearchIndex::load(&db).await.map_err(StartError::Search)?);
    Ok(AppState {
        leptos_options: config.leptos.clone(),
        db,
        config: Arc::new(config.ceres.clone()),
        registry,
        search,
        user_sessions: Arc::default(),
    })
}

/// The database part of [`prepare`]: connected, migrated, the reference data (and the demo data when asked) loaded.
pub async fn prepare_database(config: &Config) -> Result<DatabaseConnection, StartError> {
    let db = database::connect(&config.ceres).await?;
    database::migrate(&db).await?;
    reference::load_if_empty(&db, &config.ceres.geography_dir).await?;
    app::db::regles::seed_if_empty(&db).await.map_err(reference::ReferenceError::Db)?;
    if config.ceres.demo_data {
        demo::load_if_empty(&db, &config.ceres).await?;
    }
    Ok(db)
}

/// The company registry the configuration names.
pub fn registry(config: &CeresConfig) -> Result<SharedRegistry, StartError> {
    Ok(match config.registry {
        config::RegistryKind::File => Arc::new(FileRegistry::load(&config.demo_registry_file).map_err(|e| {
            StartError::Registry(format!("{e} : ce fichier est écrit avec les données de démonstration"))
        })?),
        config::RegistryKind::Api => {
            let mut settings = HttpSettings::new(&config.registry_url);
            settings.timeout = std::time::Duration::from_millis(config.registry_timeout_ms);
            Arc::new(HttpRegistry::new(settings).map_err(StartError::Registry)?)
        }
    })
}

/// The whole HTTP application.
pub fn router(state: AppState) -> Router {
    let routes = generate_route_list(App);
    let db = state.db.clone();
    let registry = state.registry.clone();
    let search = state.search.clone();
    let clock = state.clock();
    let context = move || {
        provide_context(clock);
        provide_context(db.clone());
        provide_context(registry.clone());
        provide_context(search.clone());
    };
    Router::new()
        .route("/connexion", post(auth::login))
        .route("/deconnexion", post(auth::logout))
        .route("/activation", post(activation::activate))
        .route("/centres/{id}/courrier-activation", post(activation::issue_letter))
        .route("/etablissements/export.csv", get(export::etablissements_csv))
        .route("/administration/demandes-dte.csv", get(export::demandes_dte_csv))
        .route("/sessions/export.csv", get(export::sessions_csv))
        .route("/sessions/{id}/convocations.pdf", get(documents::convocations_pdf))
        .route("/sessions/{id}/pv.pdf", get(documents::pv_pdf))
        .merge(assets::routes(
            std::path::Path::new(state.leptos_options.site_root.as_ref()),
            state.leptos_options.site_pkg_dir.as_ref(),
        ))
        .leptos_routes_with_context(&state, routes, context.clone(), {
            let options = state.leptos_options.clone();
            move || shell(options.clone())
        })
        .fallback(file_and_error_handler_with_context::<AppState, _>(context, shell))
        // The guard below reads form bodies up to this size and refuses larger ones in French; without this, axum's
        // default limit (2 MB) cut the bodies between the two inside the server functions, which answered 500.
        .layer(axum::extract::DefaultBodyLimit::max(security::MAX_FORM_BYTES))
        // Pages, server functions, CSV and PDF compressed on the way out (fast levels: the HTML is streamed). Assets
        // carry their precompressed encoding already and pass through untouched.
        .layer(
            tower_http::compression::CompressionLayer::new()
                .quality(tower_http::CompressionLevel::Fastest)
                .compress_when(tower_http::compression::Predicate::and(
                    tower_http::compression::DefaultPredicate::new(),
                    tower_http::compression::predicate::NotForContentType::const_new("font/"),
                )),
        )
        .layer(axum::middleware::from_fn_with_state(state.clone(), auth::session_layer))
        .layer(axum::middleware::from_fn_with_state(state.clone(), security::guard))
        .with_state(state)
}

/// Binds the configured address (port 0 picks a free one).
pub async fn bind(addr: SocketAddr) -> Result<TcpListener, StartError> {
    TcpListener::bind(addr).await.map_err(|cause| StartError::Bind { addr, cause })
}

/// What ends [`serve`]: a boxed future, so that `serve` is not generic and is compiled once, with this library
/// (a caller's own future type would have it, and the whole serving loop, compiled again in the caller's crate).
pub type Shutdown = std::pin::Pin<Box<dyn std::future::Future<Output = ()> + Send + 'static>>;

/// Sends each piece of a response as soon as it is written. A page streams in several pieces (the shell, then what
/// its `Suspense`s resolve), and by default the kernel holds a small piece back until the previous one is
/// acknowledged, which the client delays by up to 40 ms: pages waited, with the processor idle (BENCHMARKS.md).
pub fn no_delay(tcp: &mut tokio::net::TcpStream) {
    if let Err(e) = tcp.set_nodelay(true) {
        tracing::warn!(error = %e, "TCP_NODELAY could not be set on a connection");
    }
}

/// The connections [`serve`] answers: those of `listener`, each set with [`no_delay`].
pub fn connections(listener: TcpListener) -> axum::serve::TapIo<TcpListener, fn(&mut tokio::net::TcpStream)> {
    listener.tap_io(no_delay)
}

/// Serves until `shutdown` resolves.
pub async fn serve(listener: TcpListener, state: AppState, shutdown: Shutdown) -> Result<(), StartError> {
    let app = router(state).into_make_service_with_connect_info::<SocketAddr>();
    axum::serve(connections(listener), app).with_graceful_shutdown(shutdown).await.map_err(StartError::Serve)
}

#[cfg(test)]
mod tests {
    use axum::serve::Listener;

    /// Every connection the server answers sends its bytes without waiting (TCP_NODELAY): the setting is read back
    /// from the socket the server accepted.
    #[tokio::test]
    async fn connections_are_accepted_without_delay() {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("bind");
        let addr = listener.local_addr().expect("address");
        let plain = {
            let client = tokio::net::TcpStream::connect(addr).await.expect("connect");
            let (accepted, _) = listener.accept().await.expect("accept");
            drop(client);
            accepted.nodelay().expect("read the setting")
        };
        assert!(!plain, "a plain accept waits (Nagle), or this test would prove nothing");
        let mut connections = super::connections(listener);
        let _client = tokio::net::TcpStream::connect(addr).await.expect("connect");
        let (accepted, _) = connections.accept().await;
        assert!(accepted.nodelay().expect("read the setting"));
    }
}
