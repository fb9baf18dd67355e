//! What the rest of a session's lifecycle needs: its « Responsable de session », the reason of a cancellation or of
//! a correction asked by the UD, each candidate's result, the « Surveillant(s) » and the jury.

use crate::{fk, index};
use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

const SESSION_COLUMNS: [&str; 7] = [
    "responsable_nom",
    "responsable_prenom",
    "responsable_telephone",
    "responsable_email",
    "motif_annulation",
    "demande_correction",
    "cree_par",
];

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        // One ALTER per column: SQLite adds one at a time.
        for c in SESSION_COLUMNS {
            let col = if c == "cree_par" { integer_null(c) } else { text_null(c) };
            m.alter_table(Table::alter().table("session").add_column(col).to_owned()).await?;
        }
        // reussite | reussite_partielle | echec | absent
        m.alter_table(Table::alter().table("candidat").add_column(string_len_null("resultat", 24)).to_owned()).await?;
        // Comma-separated CCP codes obtained (partial success).
        m.alter_table(Table::alter().table("candidat").add_column(text_null("ccps_obtenus")).to_owned()).await?;

        m.create_table(
            Table::create()
                .table("surveillant")
                .col(pk_auto("id"))
                .col(integer("session_id"))
                .col(string("nom"))
                .col(string("prenom"))
                .col(timestamp_with_time_zone("created_at"))
                .foreign_key(&mut fk("surveillant", "session_id", "session", "id"))
                .to_owned(),
        )
        .await?;
        m.create_index(index("surveillant", &["session_id"])).await?;

        m.create_table(
            Table::create()
                .table("jury_membre")
                .col(pk_auto("id"))
                .col(integer("session_id"))
                .col(string("nom"))
                .col(string("prenom"))
                .col(date("habilitation_fin"))
                .col(timestamp_with_time_zone("created_at"))
                .foreign_key(&mut fk("jury_membre", "session_id", "session", "id"))
                .to_owned(),
        )
        .await?;
        m.create_index(index("jury_membre", &["session_id"])).await?;
        m.create_index(index("session", &["titre_id", "date_debut"])).await?;
        Ok(())
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.drop_index(Index::drop().name("ix_session_titre_id_date_debut").table("session").to_owned()).await?;
        for t in ["jury_membre", "surveillant"] {
            m.drop_table(Table::drop().table(t).to_owned()).await?;
        }
        for c in ["ccps_obtenus", "resultat"] {
            m.alter_table(Table::alter().table("candidat").drop_column(c).to_owned()).await?;
        }
        for c in SESSION_COLUMNS.iter().rev() {
            m.alter_table(Table::alter().table("session").drop_column(*c).to_owned()).await?;
        }
        Ok(())
    }
}
