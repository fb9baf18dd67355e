//! Starting a real CERES for tests: its own fresh database (a SQLite file, or a PostgreSQL database created for
//! it and dropped afterwards), the demo data at a chosen scale, the same router as `main`, on 127.0.0.1:0.
//! Used by the API tests (server/tests) and the browser tests (end2end/).

use std::path::PathBuf;
use std::sync::Arc;
use std::sync::atomic::{AtomicU32, Ordering};

use app::search::{Index, SearchIndex};
use sea_orm::{ConnectionTrait, Database, DatabaseConnection, DbErr};
use tokio::sync::oneshot;

use crate::{AppState, Config, bind, prepare, serve};

/// Where PostgreSQL listens for tests (trust auth on these machines); override with CERES_TEST_POSTGRES_URL.
pub fn postgres_admin_url() -> String {
    std::env::var("CERES_TEST_POSTGRES_URL").unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/postgres".into())
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

/// The search index loaded as the server loads it at start ([`SearchIndex::load`]), for the benchmark program, which
/// times it. That program is compiled without optimisations (`Cargo.toml`, `[profile.release.package.end2end]`): the
/// load, generic, is instantiated here instead, with the server's optimisations, and runs on a task of its own,
/// polled by the runtime rather than through the program's unoptimised futures. Measured at ×100 (BENCHMARKS.md,
/// thirteenth round): 13.4 to 16.5 s with the program optimised; unoptimised, 17.1 to 18.5 s without the task,
/// 14.7 to 16.1 s with it.
pub async fn load_search_index(db: &DatabaseConnection) -> Result<SearchIndex, DbErr> {
    let db = db.clone();
    tokio::spawn(async move { SearchIndex::load(&db).await }).await.map_err(|e| DbErr::Custom(e.to_string()))?
}

/// [`SearchIndex::fresh`] on a connection, instantiated here rather than by its caller, for the same reason.
pub async fn search_index_fresh(search: &SearchIndex, db: &DatabaseConnection) -> Result<Arc<Index>, DbErr> {
    search.fresh(db).await
}

/// The repository root (where Leptos.toml, node_modules and target/site are).
pub fn repo_root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("..")
}

fn unique_name() -> String {
    static COUNTER: AtomicU32 = AtomicU32::new(0);
    let nanos = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map_or(0, |d| d.subsec_nanos());
    format!("ceres_t_{}_{}_{nanos}", std::process::id(), COUNTER.fetch_add(1, Ordering::Relaxed))
}

/// A database that exists for one test.
struct TestDatabase {
    backend: Backend,
    name: String,
    dir: PathBuf,
}

impl TestDatabase {
    async fn create(backend: Backend) -> Self {
        let name = unique_name();
        let dir = std::env::temp_dir().join(&name);
        std::fs::create_dir_all(&dir).expect("temporary directory");
        if backend == Backend::Postgres {
            let admin = Database::connect(postgres_admin_url())
                .await
                .expect("PostgreSQL must listen on 127.0.0.1:5432 for the tests (see README)");
            admin.execute_unprepared(&format!("CREATE DATABASE \"{name}\"")).await.expect("create test database");
            admin.close().await.ok();
        }
        TestDatabase { backend, name, dir }
    }

    fn url(&self) -> String {
        match self.backend {
            Backend::Sqlite => format!("sqlite://{}?mode=rwc", self.dir.join("ceres.db").display()),
            Backend::Postgres => {
                let admin = postgres_admin_url();
                let base = admin.rsplit_once('/').map_or(admin.as_str(), |(b, _)| b).to_owned();
                format!("{base}/{}", self.name)
            }
        }
    }
}

impl Drop for TestDatabase {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.dir);
        if self.backend == Backend::Postgres {
            let name = self.name.clone();
            // Drop runs outside async: use a small runtime of its own on a plain thread.
            let _ = std::thread::spawn(move || {
                let rt = tokio::runtime::Builder::new_current_thread().enable_all().build().ok()?;
                rt.block_on(async {
                    let admin = Database::connect(postgres_admin_url()).await.ok()?;
                    admin.execute_unprepared(&format!("DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)")).await.ok()?;
                    admin.close().await.ok()
                })
            })
            .join();
        }
    }
}

/// A running CERES.
pub struct TestServer {
    /// `http://127.0.0.1:PORT`
    pub base: String,
    pub state: AppState,
    pub config: Config,
    shutdown: Option<oneshot::Sender<()>>,
    task: Option<tokio::task::JoinHandle<()>>,
    /// The database this server created, dropped with it (a replica shares its primary's and owns none).
    _db: Option<TestDatabase>,
    backend: Backend,
}

impl TestServer {
    /// The configuration a test server runs with: Leptos.toml, with its paths made absolute.
    pub fn config(database_url: &str, scale: f64, registry_file: PathBuf) -> Config {
        let root = repo_root();
        let text = std::fs::read_to_string(root.join("Leptos.toml")).expect("Leptos.toml");
        let mut config = Config::from_str("Leptos.toml", &text, |_| None).expect("valid Leptos.toml");
        config.ceres.database_url = database_url.to_owned();
        config.ceres.demo_data = true;
        config.ceres.demo_scale = scale;
        config.ceres.database_max_connections = 4;
        config.ceres.geography_dir = root.join(&config.ceres.geography_dir);
        config.ceres.demo_registry_file = registry_file;
        config.leptos.site_root = root.join("target/site").display().to_string().into();
        config.leptos.site_addr = "127.0.0.1:0".parse().expect("address");
        config
    }

    /// Starts CERES on a fresh database filled with the demo data at `scale` (1.0 = national).
    pub async fn start(backend: Backend, scale: f64) -> TestServer {
        Self::start_with(backend, scale, |_| {}).await
    }

    /// As `start`, with the configuration adjusted first (a fixed date, for instance).
    pub async fn start_with(backend: Backend, scale: f64, adjust: impl FnOnce(&mut Config)) -> TestServer {
        let db = TestDatabase::create(backend).await;
        let mut config = Self::config(&db.url(), scale, db.dir.join("registre.json"));
        adjust(&mut config);
        Self::serve_with(config, Some(db), backend).await
    }

    /// A second server process-alike over the same database: its own state, connections and search index, as
    /// another replica behind a load balancer would have.
    pub async fn replica(&self) -> TestServer {
        Self::serve_with(self.config.clone(), None, self.backend).await
    }

    /// A replica whose clock says `date`: the same database seen on a later (or earlier) day, for tests where time
    /// passes.
    pub async fn replica_on(&self, date: chrono::NaiveDate) -> TestServer {
        let mut config = self.config.clone();
        config.ceres.fixed_date = Some(date);
        Self::serve_with(config, None, self.backend).await
    }

    async fn serve_with(config: Config, db: Option<TestDatabase>, backend: Backend) -> TestServer {
        let state = prepare(&config).await.unwrap_or_else(|e| panic!("CERES could not start: {e}"));
        let listener = bind(config.leptos.site_addr).await.expect("bind 127.0.0.1:0");
        let base = format!("http://{}", listener.local_addr().expect("local address"));
        let (tx, rx) = oneshot::channel::<()>();
        let served = state.clone();
        let task = tokio::spawn(async move {
            let _ = serve(
                listener,
                served,
                Box::pin(async {
                    let _ = rx.await;
                }),
            )
            .await;
        });
        TestServer { base, state, config, shutdown: Some(tx), task: Some(task), _db: db, backend }
    }

    /// Adds a session « En préparation » of the centre with this SIRET (on its first site, for the first titre)
    /// starting on `debut`, as set-up data for a test; returns its id.
    pub async fn insert_session(&self, siret: &str, debut: chrono::NaiveDate) -> i32 {
        use app::db::entity::{centre, exam_session, site, titre};
        use chrono::Datelike;
        use sea_orm::{ActiveModelTrait, ColumnTrait, EntityTrait, QueryFilter, Set};
        let db = &self.state.db;
        let c =
            centre::Entity::find().filter(centre::Column::Siret.eq(siret)).one(db).await.expect("q").expect("centre");
        let s = site::Entity::find().filter(site::Column::CentreId.eq(c.id)).one(db).await.expect("q").expect("site");
        let t = titre::Entity::find().one(db).await.expect("q").expect("titre");
        let now = chrono::Utc::now();
        exam_session::ActiveModel {
            // Unique per call: several test sessions can share a site.
            identifiant: Set(format!("TITRE_T_{}_9{:09}", debut.year(), now.timestamp_subsec_nanos())),
            type_session: Set("titre".into()),
            titre_id: Set(t.id),
            site_id: Set(s.id),
            date_debut: Set(debut),
            heure_debut: Set(chrono::NaiveTime::from_hms_opt(9, 0, 0).expect("time")),
            date_fin: Set(debut + chrono::Days::new(2)),
            statut: Set("en_preparation".into()),
            commentaires: Set(None),
            created_at: Set(now),
            updated_at: Set(now),
            ..Default::default()
        }
        .insert(db)
        .await
        .expect("session")
        .id
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }

    pub fn backend(&self) -> Backend {
        self.backend
    }

    /// Stops the server and closes its connections (the database is dropped with the value).
    pub async fn stop(mut self) {
        if let Some(tx) = self.shutdown.take() {
            let _ = tx.send(());
        }
        if let Some(task) = self.task.take() {
            task.abort();
            let _ = task.await;
        }
        let _ = self.state.db.clone().close().await;
    }
}
