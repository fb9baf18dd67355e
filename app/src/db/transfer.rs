//! « Transférer le site »: a site moves to another centre with all its agréments and sessions (they hang on the
//! site), in one transaction, recorded in the audit trail. Two agents moving the same site at once: the update only
//! applies if the site is still where the agent saw it, so one succeeds and the other is told.

use chrono::Utc;
use sea_orm::sea_query::Expr;
use sea_orm::{
    ColumnTrait, ConnectionTrait, DatabaseConnection, DbErr, EntityTrait, PaginatorTrait, QueryFilter, TransactionTrait,
};

use super::audit::{self, Change};
use super::entity::{agrement, app_user, centre, commune, exam_session, site};
use crate::auth::AuthUser;
use crate::domain::format::commune_label;
use crate::domain::siret::{CENTRE_DE_REPRISE_SIRET, Siret};
use crate::dto::{TransferDone, TransferLookup, TransferPreview};
use crate::error::AppError;

/// The message of the support note for a SIRET that no centre has.
pub const UNKNOWN_SIRET: &str = "Le siret saisi ne correspond pas à un centre enregistré dans CERES. Vérifiez le numéro, ou enregistrez d'abord ce centre depuis « Établissements ».";

/// A site and the région it stands in (from its commune).
pub async fn site_and_region(db: &impl ConnectionTrait, site_id: i32) -> Result<Option<(site::Model, String)>, DbErr> {
    let Some(s) = site::Entity::find_by_id(site_id).one(db).await? else {
        return Ok(None);
    };
    let region = commune::Entity::find_by_id(s.commune_code.clone()).one(db).await?.map(|c| c.region_code);
    Ok(region.map(|r| (s, r)))
}

fn label(c: &centre::Model) -> String {
    format!("{} ({})", c.raison_sociale, c.siret)
}

/// Checks the target typed in the dialog; `Err` carries the French reason to show.
async fn target(
    db: &impl ConnectionTrait,
    site: &site::Model,
    siret: &str,
) -> Result<Result<centre::Model, AppError>, DbErr> {
    let siret = match Siret::parse(siret) {
        Ok(s) => s,
        Err(e) => return Ok(Err(AppError::Invalide(e.to_string()))),
    };
    let Some(c) = centre::Entity::find().filter(centre::Column::Siret.eq(siret.as_str())).one(db).await? else {
        return Ok(Err(AppError::Introuvable(UNKNOWN_SIRET.into())));
    };
    if c.siret == CENTRE_DE_REPRISE_SIRET {
        return Ok(Err(AppError::Invalide("Un site ne peut pas être transféré vers le « Centre de reprise ».".into())));
    }
    if c.id == site.centre_id {
        return Ok(Err(AppError::Invalide(format!(
            "Le site est déjà rattaché au centre {} : saisissez le SIRET d'un autre centre.",
            c.raison_sociale
        ))));
    }
    Ok(Ok(c))
}

pub async fn preview(db: &impl ConnectionTrait, site: &site::Model, siret: &str) -> Result<TransferLookup, DbErr> {
    let c = match target(db, site, siret).await? {
        Ok(c) => c,
        Err(AppError::Introuvable(m)) => return Ok(TransferLookup::Unknown(m)),
        Err(e) => return Ok(TransferLookup::Refused(e.to_string())),
    };
    let commune = commune::Entity::find_by_id(c.commune_code.clone()).one(db).await?;
    Ok(TransferLookup::Found(TransferPreview {
        centre_id: c.id,
        commune: commune_label(&c.code_postal, commune.as_ref().map_or("", |x| x.nom.as_str())),
        siret: c.siret,
        raison_sociale: c.raison_sociale,
        adresse: c.adresse,
        from_centre_id: site.centre_id,
        agrements: agrement::Entity::find().filter(agrement::Column::SiteId.eq(site.id)).count(db).await?,
        sessions: exam_session::Entity::find().filter(exam_session::Column::SiteId.eq(site.id)).count(db).await?,
    }))
}

/// Moves `site` to the centre of `siret`, if it is still attached to `expected_centre_id`.
pub async fn transfer(
    db: &DatabaseConnection,
    actor: &AuthUser,
    site: &site::Model,
    siret: &str,
    expected_centre_id: i32,
) -> Result<Result<TransferDone, AppError>, DbErr> {
    let to = match target(db, site, siret).await? {
        Ok(c) => c,
        Err(e) => return Ok(Err(e)),
    };
    let from = centre::Entity::find_by_id(expected_centre_id).one(db).await?;

    let txn = db.begin().await?;
    // The write comes first: it takes SQLite's write lock at once, and the filter on the current centre is what
    // makes a concurrent transfer of the same site lose cleanly.
    let moved = site::Entity::update_many()
        .col_expr(site::Column::CentreId, Expr::value(to.id))
        .col_expr(site::Column::UpdatedAt, Expr::value(Utc::now()))
        .filter(site::Column::Id.eq(site.id))
        .filter(site::Column::CentreId.eq(expected_centre_id))
        .exec(&txn)
        .await?;
    if moved.rows_affected != 1 {
        txn.rollback().await?;
        let now_at = site::Entity::find_by_id(site.id).one(db).await?.map(|s| s.centre_id);
        let now_name = match now_at {
            Some(id) => centre::Entity::find_by_id(id).one(db).await?.map(|c| c.raison_sociale),
            None => None,
        };
        return Ok(Err(AppError::Conflit(format!(
            "Ce site vient d'être modifié par un autre agent : il est maintenant rattaché au centre {}. Rechargez la page avant de recommencer.",
            now_name.unwrap_or_else(|| "inconnu".into())
        ))));
    }
    audit::record(
        &txn,
        actor,
        "site",
        site.id,
        "transfert",
        &[Change { field: "centre", before: from.as_ref().map(label), after: Some(label(&to)) }],
    )
    .await?;
    txn.commit().await?;
    let has_account = app_user::Entity::find()
        .filter(app_user::Column::CentreId.eq(to.id))
        .filter(app_user::Column::Active.eq(true))
        .count(db)
        .await?
        > 0;
    Ok(Ok(TransferDone { centre_id: to.id, raison_sociale: to.raison_sociale, has_account }))
}
