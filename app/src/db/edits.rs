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

/// What an edit made against the values its form showed comes to.
#[derive(Debug)]
pub enum Edit<T> {
    Saved(T),
    /// The row no longer exists.
    Gone,
    /// Someone else changed it since the form was opened: nothing was written.
    Changed,
}

/// Takes the row's lock before reading it, inside `txn`: a write that changes nothing (`updated_at` to itself),
/// which takes the row lock on PostgreSQL and the write lock on SQLite. Concurrent edits of one row thus queue
/// here, and each reads what the previous one stored. `false` if there is no such row.
pub(crate) async fn lock_row<E: EntityTrait>(
    txn: &sea_orm::DatabaseTransaction,
    (pk, stamp): (E::Column, E::Column),
    id: i32,
) -> Result<bool, DbErr> {
    use sea_orm::sea_query::Expr;
    use sea_orm::{ColumnTrait, QueryFilter};
    let res = E::update_many().col_expr(stamp, Expr::col(stamp)).filter(pk.eq(id)).exec(txn).await?;
    Ok(res.rows_affected == 1)
}

/// Saves the représentant of a centre or a site if it still is `shown` (what the form showed), and audits the
/// changed fields, in one transaction. Nothing is written when nothing changed.
async fn save_representant<E>(
    db: &DatabaseConnection,
    actor: &AuthUser,
    object_type: &str,
    id: i32,
    shown: Representant,
    rep: Representant,
    columns: (E::Column, E::Column),
) -> Result<Edit<Representant>, DbErr>
where
    E: EntityTrait,
    E::Model: WithRepresentant + IntoActiveModel<E::ActiveModel>,
    E::ActiveModel: SetRepresentant + ActiveModelTrait<Entity = E> + Send,
    <E::PrimaryKey as sea_orm::PrimaryKeyTrait>::ValueType: From<i32>,
{
    let txn = db.begin().await?;
    if !lock_row::<E>(&txn, columns, id).await? {
        return Ok(Edit::Gone);
    }
    let Some(row) = E::find_by_id(id).one(&txn).await? else {
        return Ok(Edit::Gone);
    };
    let before = row.representant();
    if before != shown {
        return Ok(Edit::Changed);
    }
    let diff = changes(&before, &rep);
    if diff.is_empty() {
        return Ok(Edit::Saved(before));
    }
    let mut m = row.into_active_model();
    m.set_representant(rep.clone());
    m.update(&txn).await?;
    audit_changes(&txn, actor, object_type, id, &diff).await?;
    txn.commit().await?;
    Ok(Edit::Saved(rep))
}

/// Saves a centre's représentant if it is still the one the form showed.
pub async fn centre_representant(
    db: &DatabaseConnection,
    actor: &AuthUser,
    id: i32,
    shown: Representant,
    rep: Representant,
) -> Result<Edit<Representant>, DbErr> {
    let columns = (centre::Column::Id, centre::Column::UpdatedAt);
    save_representant::<centre::Entity>(db, actor, "centre", id, shown, rep, columns).await
}

/// Saves a site's représentant if it is still the one the form showed.
pub async fn site_representant(
    db: &DatabaseConnection,
    actor: &AuthUser,
    id: i32,
    shown: Representant,
    rep: Representant,
) -> Result<Edit<Representant>, DbErr> {
    save_representant::<site::Entity>(db, actor, "site", id, shown, rep, (site::Column::Id, site::Column::UpdatedAt))
        .await
}

/// A centre's identification as the « MODIFIER » form holds it.
fn identification_input(c: &centre::Model) -> crate::domain::identification::IdentificationInput {
    let id_text = |v: Option<i32>| v.map(|x| x.to_string()).unwrap_or_default();
    crate::domain::identification::IdentificationInput {
        raison_sociale: c.raison_sociale.clone(),
        adresse: c.adresse.clone(),
        code_postal: c.code_postal.clone(),
        commune_code: c.commune_code.clone(),
        type_centre_id: id_text(c.type_centre_id),
        reseau_id: id_text(c.reseau_id),
        commentaires: c.commentaires.clone().unwrap_or_default(),
    }
}

/// The « MODIFIER » form of « Identification du centre », filled with what is stored; `None` if no such centre.
pub async fn centre_identification_form(
    db: &impl ConnectionTrait,
    id: i32,
) -> Result<Option<crate::dto::IdentificationForm>, DbErr> {
    use super::queries::{communes_for_postcode, type_and_reseau_choices};
    let Some(c) = centre::Entity::find_by_id(id).one(db).await? else {
        return Ok(None);
    };
    let (types, reseaux) = type_and_reseau_choices(db).await?;
    let communes = communes_for_postcode(db, &c.code_postal).await?;
    Ok(Some(crate::dto::IdentificationForm { input: identification_input(&c), communes, types, reseaux }))
}

/// Saves « Identification du centre » (every field but the SIRET) and audits each changed field, in one
/// transaction, if the stored identification is still `shown` (what the form was filled with). The commune must
/// serve the code postal, and the type and réseau must exist; otherwise nothing is written and the answer says
/// what to fix. `Ok(Err(Introuvable))` if the centre does not exist, `Ok(Err(Conflit))` if it changed meanwhile.
pub async fn centre_identification(
    db: &DatabaseConnection,
    actor: &AuthUser,
    id: i32,
    shown: &crate::domain::identification::IdentificationInput,
    new: crate::domain::identification::Identification,
) -> Result<Result<crate::dto::CentreIdentification, crate::error::AppError>, DbErr> {
    use super::entity::{reseau, type_centre};
    use crate::error::AppError;
    let gone = || Ok(Err(AppError::Introuvable("Ce centre n'existe plus : rechargez la page.".into())));
    let txn = db.begin().await?;
    if !lock_row::<centre::Entity>(&txn, (centre::Column::Id, centre::Column::UpdatedAt), id).await? {
        return gone();
    }
    let Some(c) = centre::Entity::find_by_id(id).one(&txn).await? else {
        return gone();
    };
    if identification_input(&c) != *shown {
        return Ok(Err(AppError::Conflit(CHANGED_MEANWHILE.into())));
    }
    let db = &txn;
    let commune = commune::Entity::find_by_id(new.commune_code.clone()).one(db).await?;
    let Some(commune) = commune.filter(|x| x.codes_postaux.split(',').any(|cp| cp == new.code_postal)) else {
        return Ok(Err(AppError::Invalide(format!(
            "L'identification n'a pas été enregistrée : la commune choisie n'est pas desservie par le code postal {}. Choisissez-la dans la liste.",
            new.code_postal
        ))));
    };
    let type_label = |id: Option<i32>| async move {
        match id {
            Some(id) => type_centre::Entity::find_by_id(id).one(db).await.map(|t| t.map(|t| t.libelle).ok_or(())),
            None => Ok(Ok(String::new())),
        }
    };
    let reseau_label = |id: Option<i32>| async move {
        match id {
            Some(id) => reseau::Entity::find_by_id(id).one(db).await.map(|r| r.map(|r| r.libelle).ok_or(())),
            None => Ok(Ok(String::new())),
        }
    };
    let (Ok(new_type), Ok(new_reseau)) = (type_label(new.type_centre_id).await?, reseau_label(new.reseau_id).await?)
    else {
        return Ok(Err(AppError::Invalide(
            "L'identification n'a pas été enregistrée : ce type de centre ou ce réseau n'existe plus. Rechargez la page et choisissez-en un dans la liste.".into(),
        )));
    };
    let old_type = type_label(c.type_centre_id).await?.unwrap_or_default();
    let old_reseau = reseau_label(c.reseau_id).await?.unwrap_or_default();
    let old_commune = commune::Entity::find_by_id(c.commune_code.clone()).one(db).await?.map(|x| x.nom);
    let some = |s: String| (!s.is_empty()).then_some(s);
    let diff: Vec<(&'static str, Option<String>, Option<String>)> = [
        ("identification.raison_sociale", Some(c.raison_sociale.clone()), Some(new.raison_sociale.clone())),
        ("identification.adresse", Some(c.adresse.clone()), Some(new.adresse.clone())),
        ("identification.code_postal", Some(c.code_postal.clone()), Some(new.code_postal.clone())),
        ("identification.commune", old_commune, Some(commune.nom.clone())),
        ("identification.type_centre", some(old_type), some(new_type)),
        ("identification.reseau", some(old_reseau), some(new_reseau)),
        ("identification.commentaires", c.commentaires.clone(), new.commentaires.clone()),
    ]
    .into_iter()
    .filter(|(_, b, a)| b != a)
    .collect();
    if diff.is_empty() {
        return Ok(Ok(super::queries::identification(db, c).await?));
    }
    let mut m = c.into_active_model();
    m.raison_sociale = Set(new.raison_sociale);
    m.adresse = Set(new.adresse);
    m.code_postal = Set(new.code_postal);
    m.commune_code = Set(new.commune_code);
    m.type_centre_id = Set(new.type_centre_id);
    m.reseau_id = Set(new.reseau_id);
    m.commentaires = Set(new.commentaires);
    m.updated_at = Set(Utc::now());
    let saved = m.update(&txn).await?;
    audit_changes(&txn, actor, "centre", id, &diff).await?;
    let shown = super::queries::identification(&txn, saved).await?;
    txn.commit().await?;
    Ok(Ok(shown))
}

/// The refusal of an edit whose form was filled before someone else's edit was saved.
pub const CHANGED_MEANWHILE: &str = "Ces informations viennent d'être modifiées par quelqu'un d'autre : rien n'a été enregistré. Rechargez la page pour voir leurs nouvelles valeurs, puis refaites votre modification.";
