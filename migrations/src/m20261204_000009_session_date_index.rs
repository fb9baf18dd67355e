//! The sessions list shows the newest sessions first, a page at a time: with the sessions indexed by start date (and
//! id, the list's second key), the database reads them in that order and stops at the end of the page, instead of
//! reading every session of the territory and sorting them (BENCHMARKS.md, « Eighth round »). A centre's or a
//! département's list keeps its own plan (by site, by commune): the planner takes this index for a région or the
//! whole country.

use sea_orm_migration::prelude::*;

use crate::index;

pub struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m20261204_000009_session_date_index"
    }
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_index(index("session", &["date_debut", "id"])).await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.drop_index(Index::drop().name("ix_session_date_debut_id").table("session").to_owned()).await
    }
}
