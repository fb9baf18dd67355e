//! Server-side data access: sea-orm entities and the queries behind the server functions. Compiled only with the
//! `ssr` feature, so neither sea-orm nor sqlx ever reaches the WASM.

pub mod audit;
pub mod conventions;
pub mod edits;
pub mod entity;
pub mod queries;
pub mod registration;
pub mod regles;
pub mod session_detail;
pub mod session_edit;
pub mod sessions;
pub mod transfer;

use leptos::prelude::{use_context, with_context};
use sea_orm::DatabaseConnection;

use crate::auth::{Action, AuthUser, is_allowed};
use crate::error::AppError;

/// Rows per INSERT: well under the bind-parameter limits of SQLite (32 766) and PostgreSQL (65 535).
pub const BATCH: usize = 500;

/// The INSERT statements of `rows`, `BATCH` rows each, each built when the iterator is asked for it.
pub fn insert_statements<A>(rows: Vec<A>, backend: sea_orm::DbBackend) -> impl Iterator<Item = sea_orm::Statement>
where
    A: sea_orm::ActiveModelTrait,
{
    use sea_orm::{EntityTrait, QueryTrait};
    let mut rows = rows.into_iter().peekable();
    std::iter::from_fn(move || {
        rows.peek().is_some().then(|| {
            let chunk: Vec<A> = rows.by_ref().take(BATCH).collect();
            <A::Entity as EntityTrait>::insert_many(chunk).build(backend)
        })
    })
}

/// Inserts `rows` a batch at a time (the reference data, the demo's history). Each batch's statement is built
/// while the database runs the one before (SQLite on its connection's own thread, PostgreSQL in its process): one
/// after the other, the two took turns on one core.
pub async fn insert_batches<A, C>(db: &C, rows: Vec<A>) -> Result<(), sea_orm::DbErr>
where
    A: sea_orm::ActiveModelTrait + Send,
    C: sea_orm::ConnectionTrait,
{
    let mut statements = insert_statements(rows, db.get_database_backend());
    let mut next = statements.next();
    while let Some(statement) = next {
        // The insert is polled first: it hands its statement to the database, then the next one is built.
        let (done, built) = tokio::join!(db.execute_raw(statement), async { statements.next() });
        done?;
        next = built;
    }
    Ok(())
}

/// Rows inserted with explicit ids: moves PostgreSQL's identity sequences of `tables` past them, so that later
/// inserts do not collide (SQLite needs nothing).
pub async fn sync_sequences(db: &impl sea_orm::ConnectionTrait, tables: &[&str]) -> Result<(), sea_orm::DbErr> {
    if db.get_database_backend() != sea_orm::DbBackend::Postgres {
        return Ok(());
    }
    for table in tables {
        db.execute_unprepared(&format!(
            "SELECT setval(pg_get_serial_sequence('{table}', 'id'), COALESCE((SELECT MAX(id) FROM \"{table}\"), 0) + 1, false)"
        ))
        .await?;
    }
    Ok(())
}

/// The database connection of the current request (provided to every route and server function by the server).
pub fn db() -> Result<DatabaseConnection, AppError> {
    use_context::<DatabaseConnection>().ok_or_else(|| AppError::internal("DatabaseConnection missing from context"))
}

/// The signed-in user of the current request, put in the request's extensions by the server's session layer (read
/// in place: `use_context` would clone the request's head, its headers and extensions, to take one of them).
pub fn current_user() -> Option<AuthUser> {
    with_context::<axum::http::request::Parts, _>(|parts| parts.extensions.get::<AuthUser>().cloned()).flatten()
}

/// The single authorization gate: every server function calls it before touching data.
pub fn authorize(action: &Action) -> Result<AuthUser, AppError> {
    match current_user() {
        None => Err(AppError::NonConnecte.respond()),
        Some(user) if is_allowed(Some(&user), action) => Ok(user),
        Some(user) => {
            tracing::warn!(user = %user.identifiant, ?action, "refused by authorization");
            Err(AppError::Interdit.respond())
        }
    }
}

/// Requires a signed-in user without deciding anything else yet (the object must be loaded to know its territory).
pub fn require_user() -> Result<AuthUser, AppError> {
    current_user().ok_or_else(|| AppError::NonConnecte.respond())
}

/// The company registry of the current request (provided by the server).
pub fn registry() -> Result<crate::registry::SharedRegistry, AppError> {
    use_context::<crate::registry::SharedRegistry>().ok_or_else(|| AppError::internal("registry missing from context"))
}

/// Runs a select and reads every row as `T`.
pub async fn fetch_all<T: sea_orm::FromQueryResult>(
    db: &impl sea_orm::ConnectionTrait,
    stmt: &sea_orm::sea_query::SelectStatement,
) -> Result<Vec<T>, sea_orm::DbErr> {
    db.query_all(stmt).await?.iter().map(|r| T::from_query_result(r, "")).collect()
}

/// Runs a select whose single column `n` is a count.
pub async fn fetch_count(
    db: &impl sea_orm::ConnectionTrait,
    stmt: &sea_orm::sea_query::SelectStatement,
) -> Result<u64, sea_orm::DbErr> {
    let n: i64 = match db.query_one(stmt).await? {
        Some(r) => r.try_get("", "n")?,
        None => 0,
    };
    Ok(u64::try_from(n).unwrap_or(0))
}
