//! Read queries behind the pages: establishment search and the centre and site pages. Plain async functions over a
//! connection, testable without HTTP.

use std::collections::HashMap;

use sea_orm::{ColumnTrait, ConnectionTrait, DbErr, EntityTrait, QueryFilter, QueryOrder};

use super::edits::WithRepresentant;
use super::entity::{agrement, centre, commune, reseau, site, titre, type_centre};
use crate::domain::format::commune_label;
use crate::dto::{AgrementRow, CentreDetail, CentreIdentification, SiteDetail, SiteRow, StatutAgrement};

async fn commune_names(
    db: &impl ConnectionTrait,
    codes: impl IntoIterator<Item = String>,
) -> Result<HashMap<String, commune::Model>, DbErr> {
    let codes: Vec<String> = codes.into_iter().collect();
    Ok(commune::Entity::find()
        .filter(commune::Column::Code.is_in(codes))
        .all(db)
        .await?
        .into_iter()
        .map(|c| (c.code.clone(), c))
        .collect())
}

pub(crate) async fn identification(db: &impl ConnectionTrait, c: centre::Model) -> Result<CentreIdentification, DbErr> {
    let commune = commune::Entity::find_by_id(c.commune_code.clone()).one(db).await?;
    let type_centre = match c.type_centre_id {
        Some(id) => type_centre::Entity::find_by_id(id).one(db).await?.map(|t| t.libelle),
        None => None,
    };
    let reseau = match c.reseau_id {
        Some(id) => reseau::Entity::find_by_id(id).one(db).await?.map(|r| r.libelle),
        None => None,
    };
    Ok(CentreIdentification {
        id: c.id,
        siret: c.siret,
        raison_sociale: c.raison_sociale,
        adresse: c.adresse,
        commune: commune_label(&c.code_postal, commune.as_ref().map_or("", |x| x.nom.as_str())),
        type_centre,
        reseau,
        commentaires: c.commentaires,
    })
}

/// The agréments of some sites, active first, then by title.
async fn agrements_of(db: &impl ConnectionTrait, sites: &[site::Model]) -> Result<Vec<AgrementRow>, DbErr> {
    let site_names: HashMap<i32, &str> = sites.iter().map(|s| (s.id, s.nom.as_str())).collect();
    let agrements = agrement::Entity::find()
        .filter(agrement::Column::SiteId.is_in(site_names.keys().copied().collect::<Vec<_>>()))
        .order_by_asc(agrement::Column::Id)
        .all(db)
        .await?;
    let titre_ids: Vec<i32> = agrements.iter().map(|a| a.titre_id).collect();
    let titres: HashMap<i32, titre::Model> = titre::Entity::find()
        .filter(titre::Column::Id.is_in(titre_ids))
        .all(db)
        .await?
        .into_iter()
        .map(|t| (t.id, t))
        .collect();
    let mut rows: Vec<AgrementRow> = agrements
        .into_iter()
        .filter_map(|a| {
            let t = titres.get(&a.titre_id)?;
            Some(AgrementRow {
                id: a.id,
                titre_code: t.code.clone(),
                titre_libelle: t.libelle.clone(),
                titre_fin_validite: t.fin_validite,
                site_id: a.site_id,
                site_nom: site_names.get(&a.site_id).copied().unwrap_or_default().to_owned(),
                statut: StatutAgrement::from_code(&a.statut).unwrap_or(StatutAgrement::Termine),
                accorde_le: a.accorde_le,
                date_fin: a.date_fin,
            })
        })
        .collect();
    rows.sort_by(|a, b| {
        (!a.is_active(), &a.titre_libelle, std::cmp::Reverse(a.accorde_le)).cmp(&(
            !b.is_active(),
            &b.titre_libelle,
            std::cmp::Reverse(b.accorde_le),
        ))
    });
    Ok(rows)
}

/// The centre page: identification, représentant, its sites and all their agréments. `None` if no such centre.
pub async fn centre_detail(db: &impl ConnectionTrait, id: i32) -> Result<Option<CentreDetail>, DbErr> {
    let Some(c) = centre::Entity::find_by_id(id).one(db).await? else {
        return Ok(None);
    };
    let rep = c.representant();
    let sites =
        site::Entity::find().filter(site::Column::CentreId.eq(id)).order_by_asc(site::Column::Nom).all(db).await?;
    let communes = commune_names(db, sites.iter().map(|s| s.commune_code.clone())).await?;
    let agrements = agrements_of(db, &sites).await?;
    let today = crate::clock::today();
    Ok(Some(CentreDetail {
        can_issue_letter: false,
        can_edit_representant: false,
        can_edit_identification: false,
        identification: identification(db, c).await?,
        representant: rep,
        sites: sites
            .iter()
            .map(|s| SiteRow {
                id: s.id,
                nom: s.nom.clone(),
                commune: commune_label(&s.code_postal, communes.get(&s.commune_code).map_or("", |c| c.nom.as_str())),
            })
            .collect(),
        agrements,
        conventions: crate::dto::Conventions {
            rows: super::conventions::of_centre(db, id, today).await?,
            can_manage: false,
            titres: Vec::new(),
            today,
        },
    }))
}

/// The site page: identification with its département and région, représentant, agréments and its centre, and
/// whether `reader` may transfer it.
pub async fn site_detail(
    db: &impl ConnectionTrait,
    id: i32,
    reader: &crate::auth::AuthUser,
) -> Result<Option<SiteDetail>, DbErr> {
    use super::entity::{departement, region};
    let Some(s) = site::Entity::find_by_id(id).one(db).await? else {
        return Ok(None);
    };
    let Some(c) = centre::Entity::find_by_id(s.centre_id).one(db).await? else {
        return Ok(None);
    };
    let commune = commune::Entity::find_by_id(s.commune_code.clone()).one(db).await?;
    let (departement, region) = match &commune {
        Some(cm) => (
            departement::Entity::find_by_id(cm.departement_code.clone()).one(db).await?,
            region::Entity::find_by_id(cm.region_code.clone()).one(db).await?,
        ),
        None => (None, None),
    };
    let agrements = agrements_of(db, std::slice::from_ref(&s)).await?;
    let can_transfer = commune.as_ref().is_some_and(|c| {
        let action = crate::auth::Action::TransferSite { site_region: c.region_code.clone() };
        crate::auth::is_allowed(Some(reader), &action)
    });
    let can_edit_representant = commune.as_ref().is_some_and(|c| {
        let action =
            crate::auth::Action::EditRepresentant { centre_id: s.centre_id, regions: vec![c.region_code.clone()] };
        crate::auth::is_allowed(Some(reader), &action)
    });
    Ok(Some(SiteDetail {
        can_transfer,
        can_edit_representant,
        id: s.id,
        commune: commune_label(&s.code_postal, commune.as_ref().map_or("", |c| c.nom.as_str())),
        departement: departement.map(|d| format!("{} ({})", d.nom, d.code)).unwrap_or_default(),
        region: region.map(|r| r.nom).unwrap_or_default(),
        representant: s.representant(),
        nom: s.nom,
        adresse: s.adresse,
        agrements,
        centre: identification(db, c).await?,
    }))
}

/// The centre a site belongs to, to authorize before loading the page.
pub async fn site_centre_id(db: &impl ConnectionTrait, site_id: i32) -> Result<Option<i32>, DbErr> {
    Ok(site::Entity::find_by_id(site_id).one(db).await?.map(|s| s.centre_id))
}

/// The titres professionnels referential with their CCPs, by code.
pub async fn titres(db: &impl ConnectionTrait) -> Result<Vec<crate::dto::TitreRow>, DbErr> {
    use super::entity::ccp;
    let mut ccps: HashMap<i32, Vec<(i16, String)>> = HashMap::new();
    for c in ccp::Entity::find().all(db).await? {
        ccps.entry(c.titre_id).or_default().push((c.ordre, format!("{} {}", c.code, c.libelle)));
    }
    Ok(titre::Entity::find()
        .order_by_asc(titre::Column::Code)
        .all(db)
        .await?
        .into_iter()
        .map(|t| {
            let mut list = ccps.remove(&t.id).unwrap_or_default();
            list.sort();
            crate::dto::TitreRow {
                code: t.code,
                libelle: t.libelle,
                niveau: t.niveau,
                fin_validite: t.fin_validite,
                ccps: list.into_iter().map(|(_, l)| l).collect(),
            }
        })
        .collect())
}

/// The centre types and réseaux, as the lists of the forms offer them.
pub async fn type_and_reseau_choices(
    db: &impl ConnectionTrait,
) -> Result<(Vec<crate::dto::Choice>, Vec<crate::dto::Choice>), DbErr> {
    use crate::dto::Choice;
    let types = type_centre::Entity::find().order_by_asc(type_centre::Column::Id).all(db).await?;
    let reseaux = reseau::Entity::find().order_by_asc(reseau::Column::Id).all(db).await?;
    Ok((
        types.into_iter().map(|t| Choice { id: t.id, libelle: t.libelle }).collect(),
        reseaux.into_iter().map(|r| Choice { id: r.id, libelle: r.libelle }).collect(),
    ))
}

/// The communes a code postal serves, by name.
pub async fn communes_for_postcode(
    db: &impl ConnectionTrait,
    code_postal: &str,
) -> Result<Vec<crate::dto::CommuneChoice>, DbErr> {
    if code_postal.len() != 5 || !code_postal.bytes().all(|b| b.is_ascii_digit()) {
        return Ok(Vec::new());
    }
    let mut communes: Vec<crate::dto::CommuneChoice> = commune::Entity::find()
        .filter(commune::Column::CodesPostaux.contains(code_postal))
        .all(db)
        .await?
        .into_iter()
        .filter(|c| c.codes_postaux.split(',').any(|cp| cp == code_postal))
        .map(|c| crate::dto::CommuneChoice { code: c.code, nom: c.nom })
        .collect();
    communes.sort_by(|a, b| a.nom.cmp(&b.nom));
    Ok(communes)
}
