//! User accounts, server-side sign-in sessions (shared by every replica), sign-in attempts for throttling, and the
//! append-only audit events.

use crate::{fk, index};
use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table("app_user")
                .col(pk_auto("id"))
                .col(string_len_uniq("identifiant", 64))
                .col(string("password_hash"))
                .col(string("nom_affiche"))
                // national | dreets | ud | centre
                .col(string_len("role", 16))
                .col(string_len_null("region_code", 3))
                .col(string_len_null("departement_code", 3))
                .col(integer_null("centre_id"))
                .col(boolean("active"))
                .col(timestamp_with_time_zone("created_at"))
                .foreign_key(&mut fk("app_user", "region_code", "region", "code"))
                .foreign_key(&mut fk("app_user", "departement_code", "departement", "code"))
                .foreign_key(&mut fk("app_user", "centre_id", "centre", "id"))
                .to_owned(),
        )
        .await?;

        m.create_table(
            Table::create()
                .table("user_session")
                // SHA-256 of the random cookie value: a leaked table does not give usable cookies.
                .col(string_len("token_hash", 64).primary_key())
                .col(integer("user_id"))
                .col(timestamp_with_time_zone("created_at"))
                .col(timestamp_with_time_zone("last_seen_at"))
                .col(timestamp_with_time_zone("expires_at"))
                .foreign_key(&mut fk("user_session", "user_id", "app_user", "id"))
                .to_owned(),
        )
        .await?;
        m.create_index(index("user_session", &["user_id"])).await?;

        m.create_table(
            Table::create()
                .table("login_attempt")
                .col(big_pk_auto("id"))
                .col(string_len("identifiant", 64))
                .col(string_len("ip", 64))
                .col(boolean("success"))
                .col(timestamp_with_time_zone("at"))
                .to_owned(),
        )
        .await?;
        m.create_index(index("login_attempt", &["identifiant", "at"])).await?;
        m.create_index(index("login_attempt", &["ip", "at"])).await?;

        m.create_table(
            Table::create()
                .table("audit_event")
                .col(big_pk_auto("id"))
                .col(timestamp_with_time_zone("at"))
                .col(integer_null("user_id"))
                .col(string_len("role", 16))
                // Territory of the actor at the time: région, département or centre id.
                .col(string_len_null("scope", 16))
                .col(string_len("object_type", 32))
                .col(integer("object_id"))
                .col(string_len("action", 32))
                .col(string_null("field"))
                .col(text_null("before"))
                .col(text_null("after"))
                .col(boolean("hors_delai"))
                .col(string_len_null("regle_code", 32))
                .col(integer_null("derogation_id"))
                .foreign_key(&mut fk("audit_event", "derogation_id", "derogation", "id"))
                .to_owned(),
        )
        .await?;
        m.create_index(index("audit_event", &["object_type", "object_id"])).await?;
        Ok(())
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        for t in ["audit_event", "login_attempt", "user_session", "app_user"] {
            m.drop_table(Table::drop().table(t).to_owned()).await?;
        }
        Ok(())
    }
}
