//! Centres (one per SIRET), their sites, and the agréments held by sites.

use crate::{fk, index};
use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

/// The « Représentant » block shared by centres and sites.
fn representant(t: &mut TableCreateStatement) -> &mut TableCreateStatement {
    t.col(string_null("rep_nom"))
        .col(string_null("rep_prenom"))
        .col(string_len_null("rep_genre", 16))
        .col(string_len_null("rep_telephone", 32))
        .col(string_null("rep_email"))
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        let mut centre = Table::create();
        centre
            .table("centre")
            .col(pk_auto("id"))
            .col(string_len_uniq("siret", 14))
            .col(string("raison_sociale"))
            .col(string("adresse"))
            .col(string_len("code_postal", 5))
            .col(string_len("commune_code", 5))
            .col(integer_null("type_centre_id"))
            .col(integer_null("reseau_id"))
            .col(text_null("commentaires"));
        representant(&mut centre)
            // Hash (SHA-256) of the current activation code and its expiry; the code itself is only printed.
            .col(string_len_null("activation_code_hash", 64))
            .col(timestamp_with_time_zone_null("activation_code_expires_at"))
            // Région of the DREETS that registered the centre (null for migrated or demo centres).
            .col(string_len_null("registered_by_region", 3))
            // Lowercase, accent-free text the search matches against (see app::domain::text::normalize).
            .col(text("search_text"))
            .col(timestamp_with_time_zone("created_at"))
            .col(timestamp_with_time_zone("updated_at"))
            .foreign_key(&mut fk("centre", "commune_code", "commune", "code"))
            .foreign_key(&mut fk("centre", "type_centre_id", "type_centre", "id"))
            .foreign_key(&mut fk("centre", "reseau_id", "reseau", "id"));
        m.create_table(centre.to_owned()).await?;
        m.create_index(index("centre", &["raison_sociale"])).await?;
        m.create_index(index("centre", &["commune_code"])).await?;

        let mut site = Table::create();
        site.table("site")
            .col(pk_auto("id"))
            .col(integer("centre_id"))
            .col(string("nom"))
            .col(string("adresse"))
            .col(string_len("code_postal", 5))
            .col(string_len("commune_code", 5));
        representant(&mut site)
            .col(text("search_text"))
            .col(timestamp_with_time_zone("created_at"))
            .col(timestamp_with_time_zone("updated_at"))
            .foreign_key(&mut fk("site", "centre_id", "centre", "id"))
            .foreign_key(&mut fk("site", "commune_code", "commune", "code"));
        m.create_table(site.to_owned()).await?;
        m.create_index(index("site", &["centre_id"])).await?;
        m.create_index(index("site", &["commune_code"])).await?;
        m.create_index(index("site", &["nom"])).await?;

        m.create_table(
            Table::create()
                .table("agrement")
                .col(pk_auto("id"))
                .col(integer("site_id"))
                .col(integer("titre_id"))
                .col(date("accorde_le"))
                .col(date_null("date_fin"))
                // accorde | suspendu | retire | termine
                .col(string_len("statut", 16))
                .col(timestamp_with_time_zone("created_at"))
                .col(timestamp_with_time_zone("updated_at"))
                .foreign_key(&mut fk("agrement", "site_id", "site", "id"))
                .foreign_key(&mut fk("agrement", "titre_id", "titre", "id"))
                .to_owned(),
        )
        .await?;
        m.create_index(index("agrement", &["site_id"])).await?;
        m.create_index(index("agrement", &["titre_id", "statut"])).await?;
        Ok(())
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        for t in ["agrement", "site", "centre"] {
            m.drop_table(Table::drop().table(t).to_owned()).await?;
        }
        Ok(())
    }
}
