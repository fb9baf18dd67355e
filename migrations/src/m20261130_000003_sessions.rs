//! Exam sessions, their candidates and DTE requests; the deadline rules and relaxation windows (« dérogations »).

use crate::{fk, index};
use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table("session")
                .col(pk_auto("id"))
                // Business identifier, e.g. TITRE_T_2019_299045.
                .col(string_len_uniq("identifiant", 32))
                // titre | ccp | ccs
                .col(string_len("type_session", 8))
                .col(integer("titre_id"))
                .col(integer("site_id"))
                .col(date("date_debut"))
                .col(time("heure_debut"))
                .col(date("date_fin"))
                // en_preparation | dte_envoye | convocations_envoyees | resultats_saisis | validee | annulee
                .col(string_len("statut", 32))
                .col(text_null("commentaires"))
                .col(timestamp_with_time_zone("created_at"))
                .col(timestamp_with_time_zone("updated_at"))
                .foreign_key(&mut fk("session", "titre_id", "titre", "id"))
                .foreign_key(&mut fk("session", "site_id", "site", "id"))
                .to_owned(),
        )
        .await?;
        m.create_index(index("session", &["site_id", "date_debut"])).await?;
        m.create_index(index("session", &["statut", "date_debut"])).await?;

        m.create_table(
            Table::create()
                .table("candidat")
                .col(pk_auto("id"))
                .col(integer("session_id"))
                .col(string("nom"))
                .col(string("prenom"))
                .col(date("date_naissance"))
                .col(string_null("email"))
                // formation | vae
                .col(string_len("voie_acces", 16))
                .col(timestamp_with_time_zone("created_at"))
                .col(timestamp_with_time_zone("updated_at"))
                .foreign_key(&mut fk("candidat", "session_id", "session", "id"))
                .to_owned(),
        )
        .await?;
        m.create_index(index("candidat", &["session_id"])).await?;

        m.create_table(
            Table::create()
                .table("demande_dte")
                .col(pk_auto("id"))
                // One standing request per session: duplicates overload the plis service (2019 support note).
                .col(integer_uniq("session_id"))
                .col(integer("nombre_candidats"))
                .col(date("date_reception_plis"))
                .col(text_null("commentaires"))
                .col(boolean("hors_delai"))
                .col(integer_null("created_by"))
                .col(timestamp_with_time_zone("created_at"))
                .foreign_key(&mut fk("demande_dte", "session_id", "session", "id"))
                .to_owned(),
        )
        .await?;
        m.create_index(index("demande_dte", &["date_reception_plis"])).await?;

        m.create_table(
            Table::create()
                .table("regle_delai")
                .col(pk_auto("id"))
                .col(string_len_uniq("code", 32))
                .col(string("libelle"))
                // The action the rule guards: programmation | demande_dte | convocation
                .col(string_len("action", 32))
                .col(integer("delai_mois"))
                .col(integer("delai_jours"))
                // Comma-separated session types the rule applies to: titre,ccp,ccs
                .col(string_len("types_session", 32))
                .col(boolean("bloquante"))
                .col(timestamp_with_time_zone("updated_at"))
                .to_owned(),
        )
        .await?;

        m.create_table(
            Table::create()
                .table("derogation")
                .col(pk_auto("id"))
                .col(string("nom"))
                // national | region | session
                .col(string_len("portee", 16))
                .col(string_len_null("region_code", 3))
                .col(integer_null("session_id"))
                .col(date("debut"))
                .col(date("fin"))
                // Comma-separated codes of the rules the window lifts.
                .col(string("regles"))
                .col(text("motif"))
                .col(integer_null("created_by"))
                .col(timestamp_with_time_zone("created_at"))
                .foreign_key(&mut fk("derogation", "region_code", "region", "code"))
                .foreign_key(&mut fk("derogation", "session_id", "session", "id"))
                .to_owned(),
        )
        .await?;
        m.create_index(index("derogation", &["debut", "fin"])).await?;
        Ok(())
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        for t in ["derogation", "regle_delai", "demande_dte", "candidat", "session"] {
            m.drop_table(Table::drop().table(t).to_owned()).await?;
        }
        Ok(())
    }
}
