//! « Organismes de formation conventionnés »: a centre's conventions with training bodies. The centre declares
//! each one from the body's SIRET (the company registry gives its identity, never the browser) and updates its
//! titres, dates and forecasts; every save is one transaction with its audit events.

use std::collections::HashMap;

use chrono::{NaiveDate, Utc};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseConnection, DbErr, EntityTrait, IntoActiveModel,
    QueryFilter, QueryOrder, Set, SqlErr, TransactionTrait,
};

use super::audit::{self, Change};
use super::entity::{agrement, centre, convention, convention_titre, site, titre};
use crate::auth::AuthUser;
use crate::domain::convention::{ConventionInput, ConventionValide, avenant_attendu, refusal};
use crate::domain::format::{commune_label, date_iso};
use crate::dto::{Choice, ConventionRow};
use crate::error::AppError;
use crate::registry::CompanyRegistry;

fn titre_choice(t: &titre::Model) -> Choice {
    Choice { id: t.id, libelle: format!("{} – {}", t.code, t.libelle) }
}

/// A centre's conventions, by training body's name, as `today` sees their avenants.
pub async fn of_centre(
    db: &impl ConnectionTrait,
    centre_id: i32,
    today: NaiveDate,
) -> Result<Vec<ConventionRow>, DbErr> {
    let rows = convention::Entity::find()
        .filter(convention::Column::CentreId.eq(centre_id))
        .order_by_asc(convention::Column::RaisonSociale)
        .order_by_asc(convention::Column::Id)
        .all(db)
        .await?;
    let links = convention_titre::Entity::find()
        .filter(convention_titre::Column::ConventionId.is_in(rows.iter().map(|c| c.id).collect::<Vec<_>>()))
        .all(db)
        .await?;
    let titres: HashMap<i32, titre::Model> = titre::Entity::find()
        .filter(titre::Column::Id.is_in(links.iter().map(|l| l.titre_id).collect::<Vec<_>>()))
        .all(db)
        .await?
        .into_iter()
        .map(|t| (t.id, t))
        .collect();
    Ok(rows
        .into_iter()
        .map(|c| {
            let mut covered: Vec<&titre::Model> =
                links.iter().filter(|l| l.convention_id == c.id).filter_map(|l| titres.get(&l.titre_id)).collect();
            covered.sort_by(|a, b| a.code.cmp(&b.code));
            ConventionRow {
                id: c.id,
                avenant_attendu: avenant_attendu(c.date_effet, c.annee, today),
                commune: commune_label(&c.code_postal, &c.libelle_commune),
                siret: c.siret,
                raison_sociale: c.raison_sociale,
                adresse: c.adresse,
                titres: covered.into_iter().map(titre_choice).collect(),
                date_envoi_prefet: c.date_envoi_prefet,
                date_effet: c.date_effet,
                annee: c.annee,
                prevision_n: c.prevision_n,
                prevision_n1: c.prevision_n1,
            }
        })
        .collect())
}

/// The titres a convention of the centre may cover: those of its sites' agréments in force, by code.
pub async fn titres_possibles(db: &impl ConnectionTrait, centre_id: i32) -> Result<Vec<Choice>, DbErr> {
    let site_ids: Vec<i32> =
        site::Entity::find().filter(site::Column::CentreId.eq(centre_id)).all(db).await?.iter().map(|s| s.id).collect();
    let titre_ids: Vec<i32> = agrement::Entity::find()
        .filter(agrement::Column::SiteId.is_in(site_ids))
        .filter(agrement::Column::Statut.eq("accorde"))
        .all(db)
        .await?
        .iter()
        .map(|a| a.titre_id)
        .collect();
    let titres = titre::Entity::find()
        .filter(titre::Column::Id.is_in(titre_ids))
        .order_by_asc(titre::Column::Code)
        .all(db)
        .await?;
    Ok(titres.iter().map(titre_choice).collect())
}

async fn titre_ids(db: &impl ConnectionTrait, convention_id: i32) -> Result<Vec<i32>, DbErr> {
    let mut ids: Vec<i32> = convention_titre::Entity::find()
        .filter(convention_titre::Column::ConventionId.eq(convention_id))
        .all(db)
        .await?
        .iter()
        .map(|l| l.titre_id)
        .collect();
    ids.sort_unstable();
    Ok(ids)
}

/// What the audit keeps of a convention: one value per field.
fn audited(c: &ConventionValide, titres: &[titre::Model]) -> Vec<(&'static str, String)> {
    let mut codes: Vec<&str> =
        c.titres.iter().filter_map(|id| titres.iter().find(|t| t.id == *id)).map(|t| t.code.as_str()).collect();
    codes.sort_unstable();
    vec![
        ("titres", codes.join(", ")),
        ("date_envoi_prefet", date_iso(c.date_envoi_prefet)),
        ("date_effet", date_iso(c.date_effet)),
        ("prevision_n", format!("{} : {}", c.annee, c.prevision_n)),
        ("prevision_n1", format!("{} : {}", c.annee + 1, c.prevision_n1)),
    ]
}

/// Which convention a save is about: a new one, or an existing one with what its form showed when opened.
pub enum Cible {
    Nouvelle,
    Existante { id: i32, avant: ConventionInput },
}

/// What a save writes: an update of the convention, or a new one with its body as the registry describes it.
enum Target {
    Update { id: i32, avant: ConventionInput },
    Insert(crate::registry::Company),
}

/// Declares or updates a convention of `centre_id` (the caller has authorized `actor`), then answers the centre's
/// conventions as stored. `Ok(Err(_))` says why nothing was written.
pub async fn save(
    db: &DatabaseConnection,
    registry: &dyn CompanyRegistry,
    actor: &AuthUser,
    centre_id: i32,
    cible: Cible,
    input: &ConventionInput,
    today: NaiveDate,
) -> Result<Result<Vec<ConventionRow>, AppError>, DbErr> {
    let refuse = |why: String| Ok(Err(AppError::Invalide(refusal(&[why]))));
    let c = match input.parse(today) {
        Ok(c) => c,
        Err(errors) => return Ok(Err(AppError::Invalide(refusal(&errors)))),
    };
    let Some(centre) = centre::Entity::find_by_id(centre_id).one(db).await? else {
        return Ok(Err(AppError::Introuvable("Ce centre n'existe plus : rechargez la page.".into())));
    };
    if c.siret.as_str() == centre.siret {
        return refuse(
            "Ce SIRET est celui du centre lui-même : une convention lie le centre à un autre organisme de formation."
                .into(),
        );
    }
    let possibles = titres_possibles(db, centre_id).await?;
    let titres = titre::Entity::find().filter(titre::Column::Id.is_in(c.titres.clone())).all(db).await?;
    for id in &c.titres {
        match titres.iter().find(|t| t.id == *id) {
            None => {
                return refuse("Un des titres cochés n'existe plus dans le référentiel : rechargez la page.".into());
            }
            Some(t) if !possibles.iter().any(|p| p.id == t.id) => {
                return refuse(format!(
                    "Le centre n'a pas d'agrément en cours pour « {} – {} » : décochez ce titre.",
                    t.code, t.libelle
                ));
            }
            Some(_) => {}
        }
    }
    // A new convention's body comes from the registry, asked before the transaction (it may take a few seconds).
    let target = match cible {
        Cible::Existante { id, avant } => Target::Update { id, avant },
        Cible::Nouvelle => {
            let existing = convention::Entity::find()
                .filter(convention::Column::CentreId.eq(centre_id))
                .filter(convention::Column::Siret.eq(c.siret.as_str()))
                .one(db)
                .await?;
            if let Some(e) = existing {
                return Ok(Err(already(&e)));
            }
            let company = match registry.lookup(&c.siret).await {
                Ok(Some(company)) => company,
                Ok(None) => {
                    return refuse("Ce SIRET est inconnu du répertoire des entreprises (Sirene) : vérifiez le numéro auprès de l'organisme de formation.".into());
                }
                Err(e) => return Ok(Err(AppError::Invalide(super::registration::registry_down(&e)))),
            };
            if company.is_closed() {
                return refuse(format!(
                    "Le répertoire des entreprises indique que {} est fermé : une convention ne se signe qu'avec un organisme en activité.",
                    company.nom_raison_sociale
                ));
            }
            Target::Insert(company)
        }
    };
    let now = Utc::now();
    let txn = db.begin().await?;
    let (id, action, before) = match target {
        Target::Update { id, avant } => {
            let gone = || Ok(Err(AppError::Introuvable("Cette convention n'existe plus : rechargez la page.".into())));
            if !super::edits::lock_row::<convention::Entity>(
                &txn,
                (convention::Column::Id, convention::Column::UpdatedAt),
                id,
            )
            .await?
            {
                return gone();
            }
            let Some(row) = convention::Entity::find_by_id(id).one(&txn).await?.filter(|r| r.centre_id == centre_id)
            else {
                return gone();
            };
            let stored_titres = titre_ids(&txn, id).await?;
            let mut shown = avant;
            shown.titres.sort_unstable();
            let stored = (row.prevision_n, row.prevision_n1);
            let dates = (row.date_envoi_prefet, row.date_effet);
            // `c.annee`: this year, as the form was.
            if ConventionInput::stored(&row.siret, stored_titres.clone(), dates, row.annee, stored, c.annee) != shown {
                return Ok(Err(AppError::Conflit(super::edits::CHANGED_MEANWHILE.into())));
            }
            if c.siret.as_str() != row.siret {
                return refuse(
                    "L'organisme d'une convention ne change pas : déclarez une nouvelle convention pour un autre organisme."
                        .into(),
                );
            }
            let before_titres =
                titre::Entity::find().filter(titre::Column::Id.is_in(stored_titres.clone())).all(&txn).await?;
            let before = ConventionValide {
                siret: c.siret.clone(),
                titres: stored_titres,
                date_envoi_prefet: row.date_envoi_prefet,
                date_effet: row.date_effet,
                annee: row.annee,
                prevision_n: u32::try_from(row.prevision_n).unwrap_or(0),
                prevision_n1: u32::try_from(row.prevision_n1).unwrap_or(0),
            };
            let before = audited(&before, &before_titres);
            if before == audited(&c, &titres) {
                // Nothing changed: nothing is written.
                txn.rollback().await?;
                return Ok(Ok(of_centre(db, centre_id, today).await?));
            }
            let mut m = row.into_active_model();
            m.date_envoi_prefet = Set(c.date_envoi_prefet);
            m.date_effet = Set(c.date_effet);
            m.annee = Set(c.annee);
            m.prevision_n = Set(i32::try_from(c.prevision_n).unwrap_or(0));
            m.prevision_n1 = Set(i32::try_from(c.prevision_n1).unwrap_or(0));
            m.updated_at = Set(now);
            m.update(&txn).await?;
            convention_titre::Entity::delete_many()
                .filter(convention_titre::Column::ConventionId.eq(id))
                .exec(&txn)
                .await?;
            (id, "modification_convention", Some(before))
        }
        Target::Insert(company) => {
            let inserted = convention::ActiveModel {
                centre_id: Set(centre_id),
                siret: Set(c.siret.as_str().to_owned()),
                raison_sociale: Set(company.nom_raison_sociale),
                adresse: Set(company.adresse),
                code_postal: Set(company.code_postal),
                commune_code: Set(company.commune),
                libelle_commune: Set(company.libelle_commune),
                date_envoi_prefet: Set(c.date_envoi_prefet),
                date_effet: Set(c.date_effet),
                annee: Set(c.annee),
                prevision_n: Set(i32::try_from(c.prevision_n).unwrap_or(0)),
                prevision_n1: Set(i32::try_from(c.prevision_n1).unwrap_or(0)),
                created_at: Set(now),
                updated_at: Set(now),
                ..Default::default()
            }
            .insert(&txn)
            .await;
            match inserted {
                Ok(row) => (row.id, "declaration_convention", None),
                // Another user of the centre declared the same body a moment ago.
                Err(e) if matches!(e.sql_err(), Some(SqlErr::UniqueConstraintViolation(_))) => {
                    txn.rollback().await?;
                    return Ok(Err(AppError::Conflit(
                        "Une convention avec cet organisme vient d'être déclarée par un autre utilisateur du centre : rechargez la page."
                            .into(),
                    )));
                }
                Err(e) => return Err(e),
            }
        }
    };
    convention_titre::Entity::insert_many(
        c.titres.iter().map(|t| convention_titre::ActiveModel { convention_id: Set(id), titre_id: Set(*t) }),
    )
    .exec_without_returning(&txn)
    .await?;
    let after = audited(&c, &titres);
    let mut changes = Vec::new();
    if before.is_none() {
        changes.push(Change { field: "siret", before: None, after: Some(c.siret.as_str().to_owned()) });
    }
    for (i, (field, value)) in after.iter().enumerate() {
        let previous = before.as_ref().map(|b| b[i].1.clone());
        if previous.as_ref() != Some(value) {
            changes.push(Change { field, before: previous, after: Some(value.clone()) });
        }
    }
    audit::record(&txn, actor, "convention", id, action, &changes).await?;
    txn.commit().await?;
    Ok(Ok(of_centre(db, centre_id, today).await?))
}

fn already(c: &convention::Model) -> AppError {
    AppError::Conflit(format!(
        "La convention n'a pas été enregistrée : le centre a déjà une convention avec {} ({}). Modifiez-la dans la liste.",
        c.raison_sociale, c.siret
    ))
}
