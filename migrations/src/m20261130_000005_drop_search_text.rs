//! The establishment search moved to an in-memory index built from the columns themselves (app::search): the
//! folded `search_text` copies of centres and sites are no longer read, and keeping them in step was a chore.

use sea_orm_migration::prelude::*;

pub struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m20261130_000005_drop_search_text"
    }
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        for table in ["centre", "site"] {
            m.alter_table(Table::alter().table(table).drop_column("search_text").to_owned()).await?;
        }
        Ok(())
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        for table in ["centre", "site"] {
            m.alter_table(
                Table::alter()
                    .table(table)
                    .add_column(ColumnDef::new("search_text").text().not_null().default(""))
                    .to_owned(),
            )
            .await?;
        }
        Ok(())
    }
}
