//! Reference data: INSEE geography (régions, départements, communes), titres professionnels and their CCPs,
//! and the « Type de centre » and « Réseau » lists.

use crate::{fk, index};
use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table("region")
                .col(string_len("code", 3).primary_key())
                .col(string("nom"))
                .col(string_len("zone", 8))
                .to_owned(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table("departement")
                .col(string_len("code", 3).primary_key())
                .col(string("nom"))
                .col(string_len("region_code", 3))
                .foreign_key(&mut fk("departement", "region_code", "region", "code"))
                .to_owned(),
        )
        .await?;
        m.create_index(index("departement", &["region_code"])).await?;
        m.create_table(
            Table::create()
                .table("commune")
                .col(string_len("code", 5).primary_key())
                .col(string("nom"))
                .col(string_len("departement_code", 3))
                .col(string_len("region_code", 3))
                // Postal codes of the commune, comma-separated, the main one first.
                .col(string("codes_postaux"))
                .col(integer("population"))
                .foreign_key(&mut fk("commune", "departement_code", "departement", "code"))
                .foreign_key(&mut fk("commune", "region_code", "region", "code"))
                .to_owned(),
        )
        .await?;
        m.create_index(index("commune", &["departement_code"])).await?;
        for list in ["type_centre", "reseau"] {
            m.create_table(Table::create().table(list).col(pk_auto("id")).col(string_uniq("libelle")).to_owned())
                .await?;
        }
        m.create_table(
            Table::create()
                .table("titre")
                .col(pk_auto("id"))
                .col(string_len_uniq("code", 8))
                .col(string("libelle"))
                .col(small_integer("niveau"))
                .col(date("fin_validite"))
                .to_owned(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table("ccp")
                .col(pk_auto("id"))
                .col(integer("titre_id"))
                .col(string_len("code", 9))
                .col(string("libelle"))
                .col(small_integer("ordre"))
                .foreign_key(&mut fk("ccp", "titre_id", "titre", "id"))
                .to_owned(),
        )
        .await?;
        m.create_index(index("ccp", &["titre_id", "ordre"]).unique().to_owned()).await?;
        Ok(())
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        for t in ["ccp", "titre", "reseau", "type_centre", "commune", "departement", "region"] {
            m.drop_table(Table::drop().table(t).to_owned()).await?;
        }
        Ok(())
    }
}
