//! « Organismes de formation conventionnés »: the conventions a centre signs with training bodies (one per body),
//! with the titres they cover, the date each was sent to the préfet, the date it takes effect and the forecast
//! numbers of candidates (the yearly avenant).

use crate::{fk, index};
use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table("convention")
                .col(pk_auto("id"))
                .col(integer("centre_id"))
                // The training body, as the company registry described it when the convention was declared.
                .col(string_len("siret", 14))
                .col(string("raison_sociale"))
                .col(string("adresse"))
                .col(string_len("code_postal", 5))
                .col(string_len("commune_code", 5))
                .col(string("libelle_commune"))
                .col(date("date_envoi_prefet"))
                .col(date("date_effet"))
                // The year of `prevision_n`; `prevision_n1` is the next year's.
                .col(integer("annee"))
                .col(integer("prevision_n"))
                .col(integer("prevision_n1"))
                .col(timestamp_with_time_zone("created_at"))
                .col(timestamp_with_time_zone("updated_at"))
                .foreign_key(&mut fk("convention", "centre_id", "centre", "id"))
                .to_owned(),
        )
        .await?;
        // One convention per centre and training body.
        m.create_index(index("convention", &["centre_id", "siret"]).unique().to_owned()).await?;
        m.create_table(
            Table::create()
                .table("convention_titre")
                .col(integer("convention_id"))
                .col(integer("titre_id"))
                .primary_key(Index::create().col("convention_id").col("titre_id"))
                .foreign_key(&mut fk("convention_titre", "convention_id", "convention", "id"))
                .foreign_key(&mut fk("convention_titre", "titre_id", "titre", "id"))
                .to_owned(),
        )
        .await?;
        Ok(())
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.drop_table(Table::drop().table("convention_titre").to_owned()).await?;
        m.drop_table(Table::drop().table("convention").to_owned()).await?;
        Ok(())
    }
}
