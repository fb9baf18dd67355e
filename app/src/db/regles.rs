//! Deadline rules and relaxation windows in the database: seeded once, changed by the national admin, windows opened
//! by the national admin or a DREETS; every change audited.

use chrono::Utc;
use sea_orm::{
    ActiveModelTrait, ConnectionTrait, DatabaseConnection, DbErr, EntityTrait, PaginatorTrait, QueryOrder, Set,
    TransactionTrait,
};

use super::audit::{self, Change};
use super::entity::{derogation, region, regle_delai};
use crate::auth::AuthUser;
use crate::domain::delais::{ActionDelai, Derogation, PorteeDerogation, Regle, RegleChange, regles_initiales};
use crate::domain::format::date_fr;
use crate::dto::{DerogationRow, RegleRow};

/// Inserts the rules CERES starts with when the table is empty (a fresh database).
pub async fn seed_if_empty(db: &impl ConnectionTrait) -> Result<(), DbErr> {
    if regle_delai::Entity::find().count(db).await? > 0 {
        return Ok(());
    }
    for r in regles_initiales() {
        regle_delai::ActiveModel {
            code: Set(r.code),
            libelle: Set(r.libelle),
            action: Set(r.action.code().to_owned()),
            delai_mois: Set(i32::try_from(r.delai_mois).unwrap_or(0)),
            delai_jours: Set(i32::try_from(r.delai_jours).unwrap_or(0)),
            types_session: Set(r.types_session.join(",")),
            bloquante: Set(r.bloquante),
            updated_at: Set(Utc::now()),
            ..Default::default()
        }
        .insert(db)
        .await?;
    }
    Ok(())
}

fn regle(m: &regle_delai::Model) -> Option<Regle> {
    Some(Regle {
        code: m.code.clone(),
        libelle: m.libelle.clone(),
        action: ActionDelai::from_code(&m.action)?,
        delai_mois: u32::try_from(m.delai_mois).unwrap_or(0),
        delai_jours: u32::try_from(m.delai_jours).unwrap_or(0),
        types_session: m.types_session.split(',').filter(|t| !t.is_empty()).map(str::to_owned).collect(),
        bloquante: m.bloquante,
    })
}

fn row(m: &regle_delai::Model) -> Option<RegleRow> {
    Some(RegleRow { id: m.id, regle: regle(m)?, modifiee_le: date_fr(m.updated_at.date_naive()) })
}

/// Every rule, in the order of the actions.
pub async fn regles(db: &impl ConnectionTrait) -> Result<Vec<RegleRow>, DbErr> {
    let models = regle_delai::Entity::find().order_by_asc(regle_delai::Column::Id).all(db).await?;
    Ok(models.iter().filter_map(row).collect())
}

/// Every window, the latest first, with its scope in words.
pub async fn derogations(db: &impl ConnectionTrait) -> Result<Vec<DerogationRow>, DbErr> {
    let regions: Vec<region::Model> = region::Entity::find().all(db).await?;
    let models = derogation::Entity::find().order_by_desc(derogation::Column::Debut).all(db).await?;
    Ok(models
        .into_iter()
        .filter_map(|m| {
            let portee = PorteeDerogation::from_code(&m.portee)?;
            let label = match &portee {
                PorteeDerogation::Nationale => "Nationale".to_owned(),
                PorteeDerogation::Region(code) => {
                    let nom = regions.iter().find(|r| &r.code == code).map_or(code.as_str(), |r| r.nom.as_str());
                    format!("Région {nom}")
                }
                PorteeDerogation::Session(id) => format!("Session n° {id}"),
            };
            Some(DerogationRow {
                derogation: Derogation {
                    id: m.id,
                    nom: m.nom,
                    portee,
                    debut: m.debut,
                    fin: m.fin,
                    regles: m.regles.split(',').filter(|r| !r.is_empty()).map(str::to_owned).collect(),
                },
                portee: label,
                motif: m.motif,
            })
        })
        .collect())
}

/// A rule's effect in words.
fn effet(bloquante: bool) -> String {
    if bloquante { "bloquante".into() } else { "avertissement".into() }
}

/// Changes a rule and audits what changed; `None` if no such rule.
pub async fn update_regle(
    db: &DatabaseConnection,
    actor: &AuthUser,
    id: i32,
    change: RegleChange,
) -> Result<Option<RegleRow>, DbErr> {
    let Some(m) = regle_delai::Entity::find_by_id(id).one(db).await? else {
        return Ok(None);
    };
    let Some(before) = regle(&m) else {
        return Ok(None);
    };
    let after = Regle {
        delai_mois: change.delai_mois,
        delai_jours: change.delai_jours,
        types_session: change.types_session.clone(),
        bloquante: change.bloquante,
        ..before.clone()
    };
    let diff: Vec<(&str, String, String)> = [
        ("delai", before.delai_fr(), after.delai_fr()),
        ("types_session", before.types_session.join(","), after.types_session.join(",")),
        ("bloquante", effet(before.bloquante), effet(after.bloquante)),
    ]
    .into_iter()
    .filter(|(_, b, a)| b != a)
    .collect();
    if diff.is_empty() {
        return Ok(row(&m));
    }
    let txn = db.begin().await?;
    let mut am: regle_delai::ActiveModel = m.into();
    am.delai_mois = Set(i32::try_from(change.delai_mois).unwrap_or(0));
    am.delai_jours = Set(i32::try_from(change.delai_jours).unwrap_or(0));
    am.types_session = Set(change.types_session.join(","));
    am.bloquante = Set(change.bloquante);
    am.updated_at = Set(Utc::now());
    let saved = am.update(&txn).await?;
    let changes: Vec<Change<'_>> =
        diff.iter().map(|(f, b, a)| Change { field: f, before: Some(b.clone()), after: Some(a.clone()) }).collect();
    audit::record(&txn, actor, "regle", id, "modification", &changes).await?;
    txn.commit().await?;
    Ok(row(&saved))
}

/// What opening a window records: one event per field.
pub fn ouverture(d: &Derogation, motif: &str) -> Vec<Change<'static>> {
    let field = |f: &'static str, v: String| Change { field: f, before: None, after: Some(v) };
    vec![
        field("nom", d.nom.clone()),
        field("portee", d.portee.code()),
        field("periode", format!("du {} au {}", date_fr(d.debut), date_fr(d.fin))),
        field("regles", d.regles.join(",")),
        field("motif", motif.to_owned()),
    ]
}

/// A window's row, not yet stored (`created_by` is `None` for the demo's).
pub fn new_derogation(
    d: &Derogation,
    motif: &str,
    created_by: Option<i32>,
    created_at: chrono::DateTime<Utc>,
) -> derogation::ActiveModel {
    derogation::ActiveModel {
        nom: Set(d.nom.clone()),
        portee: Set(d.portee.code()),
        region_code: Set(match &d.portee {
            PorteeDerogation::Region(r) => Some(r.clone()),
            _ => None,
        }),
        session_id: Set(match &d.portee {
            PorteeDerogation::Session(s) => Some(*s),
            _ => None,
        }),
        debut: Set(d.debut),
        fin: Set(d.fin),
        regles: Set(d.regles.join(",")),
        motif: Set(motif.to_owned()),
        created_by: Set(created_by),
        created_at: Set(created_at),
        ..Default::default()
    }
}

/// Stores a new window and audits it (one event per field).
pub async fn open_derogation(
    db: &DatabaseConnection,
    actor: &AuthUser,
    d: &Derogation,
    motif: &str,
) -> Result<i32, DbErr> {
    let txn = db.begin().await?;
    let saved = new_derogation(d, motif, Some(actor.id), Utc::now()).insert(&txn).await?;
    audit::record(&txn, actor, "derogation", saved.id, "creation", &ouverture(d, motif)).await?;
    let field = |f: &'static str, v: String| Change { field: f, before: None, after: Some(v) };
    // A derogation granted to one session is part of that session's « Traçabilité ».
    if let PorteeDerogation::Session(session_id) = d.portee {
        audit::record(
            &txn,
            actor,
            "session",
            session_id,
            "derogation",
            &[field(
                "derogation",
                format!(
                    "« {} » du {} au {}, règles levées : {} ; motif : {motif}",
                    d.nom,
                    date_fr(d.debut),
                    date_fr(d.fin),
                    d.regles.join(", ")
                ),
            )],
        )
        .await?;
    }
    txn.commit().await?;
    Ok(saved.id)
}
