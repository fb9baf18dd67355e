//! « MODIFIER »: edits of the blocks of the centre and site pages, validated before, saved in one transaction, and
//! recorded field by field (before → after) in the audit trail.

use chrono::Utc;
use sea_orm::{
    ActiveModelTrait, ConnectionTrait, DatabaseConnection, DbErr, EntityTrait, IntoActiveModel, Set, TransactionTrait,
};

use super::audit::{self, Change};
use super::entity::{centre, commune, site};
use crate::auth::AuthUser;
use crate::dto::Representant;

/// The régions a centre's représentant may be edited from: those of its sites and of the DREETS that registered it.
pub async fn centre_regions(db: &impl ConnectionTrait, centre_id: i32) -> Result<Option<Vec<String>>, DbErr> {
    use sea_orm::{ColumnTrait, QueryFilter};
    let Some(c) = centre::Entity::find_by_id(centre_id).one(db).await? else {
        return Ok(None);
    };
    let codes: Vec<String> = site::Entity::find()
        .filter(site::Column::CentreId.eq(centre_id))
        .all(db)
        .await?
        .into_iter()
        .map(|s| s.commune_code)
        .collect();
    let mut regions: Vec<String> = commune::Entity::find()
        .filter(commune::Column::Code.is_in(codes))
        .all(db)
        .await?
        .into_iter()
        .map(|c| c.region_code)
        .chain(c.registered_by_region)
        .collect();
    regions.sort();
    regions.dedup();
    Ok(Some(regions))
}

fn changes(before: &Representant, after: &Representant) -> Vec<(&'static str, Option<String>, Option<String>)> {
    [
        ("representant.nom", &before.nom, &after.nom),
        ("representant.prenom", &before.prenom, &after.prenom),
        ("representant.genre", &before.genre, &after.genre),
        ("representant.telephone", &before.telephone, &after.telephone),
        ("representant.email", &before.email, &after.email),
    ]
    .into_iter()
    .filter(|(_, b, a)| b != a)
    .map(|(f, b, a)| (f, b.clone(), a.clone()))
    .collect()
}

async fn audit_changes(
    db: &impl ConnectionTrait,
    actor: &AuthUser,
    object_type: &str,
    id: i32,
    diff: &[(&'static str, Option<String>, Option<String>)],
) -> Result<(), DbErr> {
    let list: Vec<Change<'_>> =
        diff.iter().map(|(f, b, a)| Change { field: f, before: b.clone(), after: a.clone() }).collect();
    audit::record(db, actor, object_type, id, "modification", &list).await
}

/// Saves a centre's représentant; returns what is stored. Nothing is written when nothing changed.
pub async fn centre_representant(
    db: &DatabaseConnection,
    actor: &AuthUser,
    id: i32,
    rep: Representant,
) -> Result<Option<Representant>, DbErr> {
    let Some(c) = centre::Entity::find_by_id(id).one(db).await? else {
        return Ok(None);
    };
    let before = Representant {
        nom: c.rep_nom.clone(),
        prenom: c.rep_prenom.clone(),
        genre: c.rep_genre.clone(),
        telephone: c.rep_telephone.clone(),
        email: c.rep_email.clone(),
    };
    let diff = changes(&before, &rep);
    if diff.is_empty() {
        return Ok(Some(before));
    }
    let txn = db.begin().await?;
    let mut m = c.into_active_model();
    m.rep_nom = Set(rep.nom.clone());
    m.rep_prenom = Set(rep.prenom.clone());
    m.rep_genre = Set(rep.genre.clone());
    m.rep_telephone = Set(rep.telephone.clone());
    m.rep_email = Set(rep.email.clone());
    m.updated_at = Set(Utc::now());
    m.update(&txn).await?;
    audit_changes(&txn, actor, "centre", id, &diff).await?;
    txn.commit().await?;
    Ok(Some(rep))
}

/// Saves a site's représentant; returns what is stored.
pub async fn site_representant(
    db: &DatabaseConnection,
    actor: &AuthUser,
    id: i32,
    rep: Representant,
) -> Result<Option<Representant>, DbErr> {
    let Some(s) = site::Entity::find_by_id(id).one(db).await? else {
        return Ok(None);
    };
    let before = Representant {
        nom: s.rep_nom.clone(),
        prenom: s.rep_prenom.clone(),
        genre: s.rep_genre.clone(),
        telephone: s.rep_telephone.clone(),
        email: s.rep_email.clone(),
    };
    let diff = changes(&before, &rep);
    if diff.is_empty() {
        return Ok(Some(before));
    }
    let txn = db.begin().await?;
    let mut m = s.into_active_model();
    m.rep_nom = Set(rep.nom.clone());
    m.rep_prenom = Set(rep.prenom.clone());
    m.rep_genre = Set(rep.genre.clone());
    m.rep_telephone = Set(rep.telephone.clone());
    m.rep_email = Set(rep.email.clone());
    m.updated_at = Set(Utc::now());
    m.update(&txn).await?;
    audit_changes(&txn, actor, "site", id, &diff).await?;
    txn.commit().await?;
    Ok(Some(rep))
}
