//! Reference data every CERES database holds, demo or not: the INSEE geography (from the npm package
//! @etalab/decoupage-administratif), the « Type de centre » and « Réseau » lists, and the titres professionnels.
//! Loaded once, when the database has no région yet.

pub mod titres;

use std::path::Path;

use app::db::entity::{ccp, commune, departement, region, reseau, titre, type_centre};
use app::db::insert_batches;
use chrono::NaiveDate;
use sea_orm::{ActiveModelTrait, DatabaseConnection, DbErr, EntityTrait, PaginatorTrait, Set, TransactionTrait};
use serde::Deserialize;

#[derive(Debug, thiserror::Error)]
pub enum ReferenceError {
    #[error(
        "fichier {path} illisible ({cause}) : lancez `npm ci` (scripts/setup.sh le fait) ou corrigez geography-dir dans Leptos.toml"
    )]
    Read { path: String, cause: std::io::Error },
    #[error("fichier {path} invalide : {cause}")]
    Parse { path: String, cause: serde_json::Error },
    #[error("écriture en base impossible : {0}")]
    Db(#[from] DbErr),
}

pub const TYPES_CENTRE: &[&str] = &[
    "AFPA",
    "GRETA (Éducation nationale)",
    "Centre de formation d'apprentis (CFA)",
    "Organisme de formation privé",
    "Organisme consulaire (CCI, CMA)",
    "Établissement public",
    "Association",
    "Entreprise (formation interne)",
];

pub const RESEAUX: &[&str] = &[
    "Aucun réseau",
    "AFPA",
    "Éducation nationale",
    "CCI France",
    "CMA France",
    "Compagnons du Devoir",
    "Fédération compagnonnique",
    "Service militaire adapté",
    "Fédération de la formation professionnelle (FFP)",
];

#[derive(Deserialize)]
struct RegionJson {
    code: String,
    nom: String,
    zone: String,
}

#[derive(Deserialize)]
struct DepartementJson {
    code: String,
    nom: String,
    region: String,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct CommuneJson {
    code: String,
    nom: String,
    #[serde(rename = "type")]
    kind: String,
    departement: Option<String>,
    region: Option<String>,
    #[serde(default)]
    codes_postaux: Vec<String>,
    #[serde(default)]
    population: Option<i64>,
}

fn read_json<T: serde::de::DeserializeOwned>(dir: &Path, file: &str) -> Result<T, ReferenceError> {
    let path = dir.join(file);
    let display = path.display().to_string();
    let text = std::fs::read_to_string(&path).map_err(|cause| ReferenceError::Read { path: display.clone(), cause })?;
    serde_json::from_str(&text).map_err(|cause| ReferenceError::Parse { path: display, cause })
}

pub async fn load_if_empty(db: &DatabaseConnection, geography_dir: &Path) -> Result<(), ReferenceError> {
    let txn = db.begin().await?;
    if region::Entity::find().count(&txn).await? > 0 {
        return Ok(());
    }
    let started = std::time::Instant::now();
    let regions: Vec<RegionJson> = read_json(geography_dir, "regions.json")?;
    let departements: Vec<DepartementJson> = read_json(geography_dir, "departements.json")?;
    let communes: Vec<CommuneJson> = read_json(geography_dir, "communes.json")?;

    insert_batches(
        &txn,
        regions
            .into_iter()
            .map(|r| region::ActiveModel { code: Set(r.code), nom: Set(r.nom), zone: Set(r.zone) })
            .collect(),
    )
    .await?;
    insert_batches(
        &txn,
        departements
            .into_iter()
            .map(|d| departement::ActiveModel { code: Set(d.code), nom: Set(d.nom), region_code: Set(d.region) })
            .collect(),
    )
    .await?;
    // Current communes, plus the arrondissements of Paris, Lyon and Marseille (addresses use them).
    let communes: Vec<commune::ActiveModel> = communes
        .into_iter()
        .filter(|c| c.kind == "commune-actuelle" || c.kind == "arrondissement-municipal")
        .filter_map(|c| {
            Some(commune::ActiveModel {
                code: Set(c.code),
                nom: Set(c.nom),
                departement_code: Set(c.departement?),
                region_code: Set(c.region?),
                codes_postaux: Set(c.codes_postaux.join(",")),
                population: Set(i32::try_from(c.population.unwrap_or(0)).unwrap_or(i32::MAX)),
            })
        })
        .collect();
    let n_communes = communes.len();
    insert_batches(&txn, communes).await?;

    for libelle in TYPES_CENTRE {
        type_centre::ActiveModel { libelle: Set((*libelle).to_owned()), ..Default::default() }.insert(&txn).await?;
    }
    for libelle in RESEAUX {
        reseau::ActiveModel { libelle: Set((*libelle).to_owned()), ..Default::default() }.insert(&txn).await?;
    }
    for t in titres::TITRES {
        let fin = NaiveDate::parse_from_str(t.fin_validite, "%Y-%m-%d").unwrap_or(NaiveDate::MAX);
        let saved = titre::ActiveModel {
            code: Set(t.code.to_owned()),
            libelle: Set(t.libelle.to_owned()),
            niveau: Set(t.niveau),
            fin_validite: Set(fin),
            ..Default::default()
        }
        .insert(&txn)
        .await?;
        for (i, (code, libelle)) in t.ccps.iter().enumerate() {
            ccp::ActiveModel {
                titre_id: Set(saved.id),
                code: Set((*code).to_owned()),
                libelle: Set((*libelle).to_owned()),
                ordre: Set(i16::try_from(i + 1).unwrap_or(i16::MAX)),
                ..Default::default()
            }
            .insert(&txn)
            .await?;
        }
    }
    txn.commit().await?;
    tracing::info!(communes = n_communes, titres = titres::TITRES.len(), elapsed = ?started.elapsed(), "reference data loaded");
    Ok(())
}
