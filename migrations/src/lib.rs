//! The CERES schema as sea-orm migrations: one code path for SQLite (embedded default) and PostgreSQL (production).
//!
//! Rules that keep both backends identical: foreign keys are declared inside `create_table` (SQLite cannot add them
//! later), one `ALTER` per statement, no backend-specific SQL without a branch on `get_database_backend()`.

pub use sea_orm_migration::prelude::*;

mod m20261130_000001_referentials;
mod m20261130_000002_establishments;
mod m20261130_000003_sessions;
mod m20261130_000004_accounts_and_audit;
mod m20261130_000005_drop_search_text;
mod m20261130_000006_session_lifecycle;
mod m20261130_000007_audit_chain;
mod m20261202_000008_conventions;
mod m20261204_000009_session_date_index;

pub struct Migrator;

#[async_trait::async_trait]
impl MigratorTrait for Migrator {
    fn migrations() -> Vec<Box<dyn MigrationTrait>> {
        vec![
            Box::new(m20261130_000001_referentials::Migration),
            Box::new(m20261130_000002_establishments::Migration),
            Box::new(m20261130_000003_sessions::Migration),
            Box::new(m20261130_000004_accounts_and_audit::Migration),
            Box::new(m20261130_000005_drop_search_text::Migration),
            Box::new(m20261130_000006_session_lifecycle::Migration),
            Box::new(m20261130_000007_audit_chain::Migration),
            Box::new(m20261202_000008_conventions::Migration),
            Box::new(m20261204_000009_session_date_index::Migration),
        ]
    }
}

/// A foreign key from `table.column` to `target.id` (or another key column).
pub(crate) fn fk(
    table: &'static str,
    column: &'static str,
    target: &'static str,
    target_col: &'static str,
) -> ForeignKeyCreateStatement {
    ForeignKey::create()
        .name(format!("fk_{table}_{column}"))
        .from(table, column)
        .to(target, target_col)
        .on_delete(ForeignKeyAction::Restrict)
        .on_update(ForeignKeyAction::Restrict)
        .to_owned()
}

/// A plain index on some columns of a table, named after them.
pub(crate) fn index(table: &'static str, columns: &[&'static str]) -> IndexCreateStatement {
    let mut stmt = Index::create();
    stmt.name(format!("ix_{table}_{}", columns.join("_"))).table(table);
    for c in columns {
        stmt.col(*c);
    }
    stmt.to_owned()
}
