//! Connection and migrations, for SQLite (embedded default) and PostgreSQL (production).

use std::time::Duration;

use migrations::{Migrator, MigratorTrait};
use sea_orm::{ConnectOptions, ConnectionTrait, Database, DatabaseConnection, DbBackend};

use crate::config::CeresConfig;

#[derive(Debug, thiserror::Error)]
pub enum DatabaseError {
    #[error(
        "impossible de se connecter à la base de données {url} ({cause}). Vérifiez database-url dans Leptos.toml ou la variable CERES_DATABASE_URL, et que le serveur de base de données est démarré"
    )]
    Connect { url: String, cause: sea_orm::DbErr },
    #[error("la mise à jour du schéma de la base de données a échoué : {0}")]
    Migrate(sea_orm::DbErr),
}

/// How much of an SQLite database file each connection maps into memory (`PRAGMA mmap_size`).
pub const SQLITE_MMAP_BYTES: u64 = 256 * 1024 * 1024;

pub async fn connect(config: &CeresConfig) -> Result<DatabaseConnection, DatabaseError> {
    let url = config.database_url.clone();
    let mut opt = ConnectOptions::new(url.clone());
    opt.max_connections(config.database_max_connections)
        .min_connections(1)
        .connect_timeout(Duration::from_secs(5))
        .acquire_timeout(Duration::from_secs(10))
        .sqlx_logging(false)
        // Each SQLite connection reads the database file through a memory map (up to 256 MiB of it) instead of a
        // system call per page into its own 2 MB cache: the pages are the system's, shared by every connection of
        // the pool. A list joining sessions, sites and communes read them page by page, call by call.
        .map_sqlx_sqlite_opts(|o| o.pragma("mmap_size", SQLITE_MMAP_BYTES.to_string()));
    let err = |cause| DatabaseError::Connect { url: config.database_url_for_display(), cause };
    if url.starts_with("sqlite:")
        && let Some(dir) = sqlite_parent_dir(&url)
    {
        let _ = std::fs::create_dir_all(dir);
    }
    let db = Database::connect(opt).await.map_err(err)?;
    if db.get_database_backend() == DbBackend::Sqlite {
        // WAL (persistent in the database file) lets readers run while one connection writes. sqlx already turns
        // foreign keys on for every SQLite connection.
        db.execute_unprepared("PRAGMA journal_mode = WAL").await.map_err(err)?;
    }
    db.ping().await.map_err(err)?;
    Ok(db)
}

fn sqlite_parent_dir(url: &str) -> Option<&std::path::Path> {
    let path = url.trim_start_matches("sqlite://").trim_start_matches("sqlite:");
    let path = path.split('?').next()?;
    if path.is_empty() || path.starts_with(':') {
        return None;
    }
    std::path::Path::new(path).parent().filter(|p| !p.as_os_str().is_empty())
}

pub async fn migrate(db: &DatabaseConnection) -> Result<(), DatabaseError> {
    Migrator::up(db, None).await.map_err(DatabaseError::Migrate)
}
