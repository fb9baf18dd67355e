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

/// Rows that carry the five « Représentant » columns (centres and sites).
pub(crate) trait WithRepresentant {
    fn representant(&self) -> Representant;
}

/// Active models that can take a new représentant (and stamp `updated_at`).
trait SetRepresentant {
    fn set_representant(&mut self, r: Representant);
}

/// Centres and sites name the columns alike: one definition for both.
macro_rules! representant_columns {
    ($entity:ident) => {
        impl WithRepresentant for $entity::Model {
            fn representant(&self) -> Representant {
                Representant {
                    nom: self.rep_nom.clone(),
                    prenom: self.rep_prenom.clone(),
                    genre: self.rep_genre.clone(),
                    telephone: self.rep_telephone.clone(),
                    email: self.rep_email.clone(),
                }
            }
        }

        impl SetRepresentant for $entity::ActiveModel {
            fn set_representant(&mut self, r: Representant) {
                self.rep_nom = Set(r.nom);
                self.rep_prenom = Set(r.prenom);
                self.rep_genre = Set(r.genre);
                self.rep_telephone = Set(r.telephone);
                self.rep_email = Set(r.email);
                self.updated_at = Set(Utc::now());
            }
        }
    };
}
representant_columns!(centre);
representant_columns!(site);

/// Writes `rep` with `apply` (which updates the row) and audits the changed fields, in one transaction. Nothing is
/// written when nothing changed. Returns what is stored.
async fn save_representant<F, Fut>(
    db: &DatabaseConnection,
    actor: &AuthUser,
    object_type: &str,
    id: i32,
    before: Representant,
    rep: Representant,
    apply: F,
) -> Result<Representant, DbErr>
where
    F: FnOnce(sea_orm::DatabaseTransaction, Representant) -> Fut,
    Fut: std::future::Future<Output = Result<sea_orm::DatabaseTransaction, DbErr>>,
{
    let diff = changes(&before, &rep);
    if diff.is_empty() {
        return Ok(before);
    }
    let txn = apply(db.begin().await?, rep.clone()).await?;
    audit_changes(&txn, actor, object_type, id, &diff).await?;
    txn.commit().await?;
    Ok(rep)
}

/// Saves a centre's représentant; `None` if the centre does not exist.
pub async fn centre_representant(
    db: &DatabaseConnection,
    actor: &AuthUser,
    id: i32,
    rep: Representant,
) -> Result<Option<Representant>, DbErr> {
    let Some(c) = centre::Entity::find_by_id(id).one(db).await? else {
        return Ok(None);
    };
    let before = c.representant();
    let saved = save_representant(db, actor, "centre", id, before, rep, |txn, r| async move {
        let mut m = c.into_active_model();
        m.set_representant(r);
        m.update(&txn).await?;
        Ok(txn)
    })
    .await?;
    Ok(Some(saved))
}

/// Saves a site's représentant; `None` if the site does not exist.
pub async fn site_representant(
    db: &DatabaseConnection,
    actor: &AuthUser,
    id: i32,
    rep: Representant,
) -> Result<Option<Representant>, DbErr> {
    let Some(s) = site::Entity::find_by_id(id).one(db).await? else {
        return Ok(None);
    };
    let before = s.representant();
    let saved = save_representant(db, actor, "site", id, before, rep, |txn, r| async move {
        let mut m = s.into_active_model();
        m.set_representant(r);
        m.update(&txn).await?;
        Ok(txn)
    })
    .await?;
    Ok(Some(saved))
}
