//! Tamper-evident audit: each event carries the SHA-256 of the previous event's hash and its own content, and one
//! row (`audit_chain`) holds the chain's head. Writers lock that row first, so events are chained one at a time on
//! PostgreSQL as on SQLite. Events written before this migration stay unsealed (`hash` NULL) and precede the chain.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.alter_table(Table::alter().table("audit_event").add_column(string_len_null("hash", 64)).to_owned()).await?;
        m.create_table(
            Table::create()
                .table("audit_chain")
                .col(integer("id").primary_key())
                .col(big_integer("last_event_id"))
                .col(string_len("last_hash", 64))
                .to_owned(),
        )
        .await?;
        let head = Query::insert()
            .into_table("audit_chain")
            .columns(["id", "last_event_id", "last_hash"])
            .values_panic([1.into(), 0i64.into(), "".into()])
            .to_owned();
        m.exec_stmt(head).await?;
        Ok(())
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.drop_table(Table::drop().table("audit_chain").to_owned()).await?;
        m.alter_table(Table::alter().table("audit_event").drop_column("hash").to_owned()).await?;
        Ok(())
    }
}
