//! « Enregistrer un centre »: from a SIRET, the company registry fills in the identity; the agent chooses the type
//! and the network; the centre is created in one transaction with its audit event. One centre per SIRET.

use chrono::Utc;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseConnection, DbErr, EntityTrait, QueryFilter, Set, SqlErr,
    TransactionTrait,
};

use super::audit::{self, Change};
use super::entity::{centre, commune, reseau, type_centre};
use crate::auth::{AuthUser, Role};
use crate::domain::siret::Siret;
use crate::dto::{RegistrationLookup, RegistryCompany};
use crate::error::AppError;
use crate::registry::{Company, CompanyRegistry, RegistryError};

const NOT_IN_REGISTRY: &str =
    "Ce SIRET est inconnu du répertoire des entreprises (Sirene) : vérifiez le numéro auprès du centre.";

pub(crate) fn registry_down(e: &RegistryError) -> String {
    match e {
        RegistryError::CircuitOpen => "Le répertoire des entreprises est momentanément suspendu après plusieurs échecs : réessayez dans une minute. Rien n'a été enregistré.".into(),
        RegistryError::Unavailable(why) => format!("Le répertoire des entreprises ne répond pas ({why}) : réessayez dans quelques instants. Rien n'a été enregistré."),
    }
}

async fn existing(db: &impl ConnectionTrait, siret: &Siret) -> Result<Option<centre::Model>, DbErr> {
    centre::Entity::find().filter(centre::Column::Siret.eq(siret.as_str())).one(db).await
}

fn shown(c: &Company) -> RegistryCompany {
    RegistryCompany {
        siret: c.siret.clone(),
        raison_sociale: c.nom_raison_sociale.clone(),
        adresse: c.adresse.clone(),
        commune: format!("{} - {}", c.code_postal, c.libelle_commune),
        closed: c.is_closed(),
    }
}

pub async fn lookup(
    db: &impl ConnectionTrait,
    registry: &dyn CompanyRegistry,
    siret: &str,
) -> Result<RegistrationLookup, DbErr> {
    let siret = match Siret::parse(siret) {
        Ok(s) => s,
        Err(e) => return Ok(RegistrationLookup::Refused(e.to_string())),
    };
    if let Some(c) = existing(db, &siret).await? {
        return Ok(RegistrationLookup::AlreadyRegistered { centre_id: c.id, raison_sociale: c.raison_sociale });
    }
    let company = match registry.lookup(&siret).await {
        Ok(Some(c)) => c,
        Ok(None) => return Ok(RegistrationLookup::NotInRegistry(NOT_IN_REGISTRY.into())),
        Err(e) => return Ok(RegistrationLookup::RegistryDown(registry_down(&e))),
    };
    let (types, reseaux) = super::queries::type_and_reseau_choices(db).await?;
    Ok(RegistrationLookup::Found { company: shown(&company), types, reseaux })
}

/// Creates the centre; the identity comes from the registry again (never from what the browser sends).
pub async fn register(
    db: &DatabaseConnection,
    registry: &dyn CompanyRegistry,
    actor: &AuthUser,
    siret: &str,
    type_centre_id: Option<i32>,
    reseau_id: Option<i32>,
    confirm_closed: bool,
) -> Result<Result<i32, AppError>, DbErr> {
    let siret = match Siret::parse(siret) {
        Ok(s) => s,
        Err(e) => return Ok(Err(AppError::Invalide(e.to_string()))),
    };
    if let Some(c) = existing(db, &siret).await? {
        return Ok(Err(already(&c)));
    }
    let company = match registry.lookup(&siret).await {
        Ok(Some(c)) => c,
        Ok(None) => return Ok(Err(AppError::Introuvable(NOT_IN_REGISTRY.into()))),
        Err(e) => return Ok(Err(AppError::Invalide(registry_down(&e)))),
    };
    if company.is_closed() && !confirm_closed {
        return Ok(Err(AppError::Invalide(
            "Le répertoire indique que cet établissement est fermé : confirmez l'enregistrement en cochant la case prévue, ou abandonnez.".into(),
        )));
    }
    if let Some(id) = type_centre_id
        && type_centre::Entity::find_by_id(id).one(db).await?.is_none()
    {
        return Ok(Err(AppError::Invalide("Ce type de centre n'existe pas : choisissez-en un dans la liste.".into())));
    }
    if let Some(id) = reseau_id
        && reseau::Entity::find_by_id(id).one(db).await?.is_none()
    {
        return Ok(Err(AppError::Invalide("Ce réseau n'existe pas : choisissez-en un dans la liste.".into())));
    }
    let Some(commune) = commune::Entity::find_by_id(company.commune.clone()).one(db).await? else {
        return Ok(Err(AppError::Invalide(format!(
            "La commune « {} » ({}) indiquée par le répertoire est inconnue de CERES : signalez-le à l'assistance.",
            company.libelle_commune, company.commune
        ))));
    };
    let now = Utc::now();
    let region = match &actor.role {
        Role::Dreets { region } => Some(region.clone()),
        _ => None,
    };
    let txn = db.begin().await?;
    let inserted = centre::ActiveModel {
        siret: Set(siret.as_str().to_owned()),
        raison_sociale: Set(company.nom_raison_sociale.clone()),
        adresse: Set(company.adresse.clone()),
        code_postal: Set(company.code_postal.clone()),
        commune_code: Set(commune.code.clone()),
        type_centre_id: Set(type_centre_id),
        reseau_id: Set(reseau_id),
        commentaires: Set(None),
        rep_nom: Set(None),
        rep_prenom: Set(None),
        rep_genre: Set(None),
        rep_telephone: Set(None),
        rep_email: Set(None),
        activation_code_hash: Set(None),
        activation_code_expires_at: Set(None),
        registered_by_region: Set(region),
        created_at: Set(now),
        updated_at: Set(now),
        ..Default::default()
    }
    .insert(&txn)
    .await;
    let created = match inserted {
        Ok(c) => c,
        // Another agent registered the same SIRET a moment ago.
        Err(e) if matches!(e.sql_err(), Some(SqlErr::UniqueConstraintViolation(_))) => {
            txn.rollback().await?;
            return Ok(match existing(db, &siret).await? {
                Some(c) => Err(already(&c)),
                None => Err(AppError::Conflit("Ce SIRET vient d'être enregistré par un autre agent.".into())),
            });
        }
        Err(e) => return Err(e),
    };
    audit::record(
        &txn,
        actor,
        "centre",
        created.id,
        "enregistrement",
        &[Change { field: "siret", before: None, after: Some(created.siret.clone()) }],
    )
    .await?;
    txn.commit().await?;
    Ok(Ok(created.id))
}

fn already(c: &centre::Model) -> AppError {
    AppError::Conflit(format!(
        "Ce SIRET est déjà enregistré dans CERES : centre {} (/centres/{}).",
        c.raison_sociale, c.id
    ))
}
