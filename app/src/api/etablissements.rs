//! Server functions for establishments: who is signed in, search, centre and site pages, site transfer.

use leptos::prelude::*;

use crate::auth::AuthUser;
use crate::dto::{CentreDetail, SearchResults, SiteDetail};
use crate::error::AppError;

/// The signed-in user, or `None` for an anonymous visitor.
#[server(prefix = "/api", endpoint = "utilisateur", output = crate::api::codec::JsonText)]
pub async fn get_current_user() -> Result<Option<AuthUser>, AppError> {
    Ok(crate::db::current_user())
}

/// Search over all centres and sites: the rows of the view, the totals and every facet with its counts.
#[server(prefix = "/api", endpoint = "etablissements", output = crate::api::codec::JsonText)]
/// `qs` is the page's query string (`domain::recherche`): one codec for the URL, this call and the CSV export.
pub async fn search_etablissements(qs: String) -> Result<SearchResults, AppError> {
    use crate::auth::Action;
    use crate::db::{authorize, db};
    use crate::domain::recherche::Recherche;
    use crate::dto::{CentreHit, SiteHit};
    authorize(&Action::SearchEtablissements)?;
    if qs.len() > 8 * 1024 {
        return Err(AppError::Invalide("La recherche est trop longue : retirez des filtres.".into()).respond());
    }
    let recherche = Recherche::from_query_string(&qs);
    let index = crate::search::search_index()?.fresh(&db()?).await.map_err(AppError::internal)?;
    let outcome = index.search(&recherche);
    let commune = |d: &crate::search::Doc| crate::domain::format::commune_label(&d.code_postal, &d.commune);
    Ok(SearchResults {
        centres_total: outcome.centres_total,
        sites_total: outcome.sites_total,
        centres: outcome
            .centres
            .iter()
            .map(|d| CentreHit {
                id: d.id,
                raison_sociale: d.title.clone(),
                siret: d.siret.clone(),
                commune: commune(d),
            })
            .collect(),
        sites: outcome
            .sites
            .iter()
            .map(|d| SiteHit {
                id: d.id,
                nom: d.title.clone(),
                centre_raison_sociale: d.centre_raison_sociale.clone(),
                commune: commune(d),
            })
            .collect(),
        facets: outcome.facets,
        recherche,
    })
}

/// A centre's page; `Ok(None)` when no centre has this id.
#[server(prefix = "/api", endpoint = "centre", output = crate::api::codec::JsonText)]
pub async fn get_centre(id: i32) -> Result<Option<CentreDetail>, AppError> {
    use crate::auth::Action;
    use crate::db::{authorize, db, queries, require_user};
    require_user()?;
    let user = authorize(&Action::ViewCentre { centre_id: id })?;
    let mut detail = queries::centre_detail(&db()?, id).await.map_err(AppError::internal)?;
    if let Some(d) = detail.as_mut() {
        d.can_issue_letter = crate::auth::is_allowed(Some(&user), &Action::IssueActivationLetter)
            && d.identification.siret != crate::domain::siret::CENTRE_DE_REPRISE_SIRET;
        let regions =
            crate::db::edits::centre_regions(&db()?, id).await.map_err(AppError::internal)?.unwrap_or_default();
        d.can_edit_identification =
            crate::auth::is_allowed(Some(&user), &Action::EditCentreIdentification { regions: regions.clone() });
        d.can_edit_representant =
            crate::auth::is_allowed(Some(&user), &Action::EditRepresentant { centre_id: id, regions });
        d.conventions.can_manage = crate::auth::is_allowed(Some(&user), &Action::ManageConventions { centre_id: id });
        if d.conventions.can_manage {
            d.conventions.titres =
                crate::db::conventions::titres_possibles(&db()?, id).await.map_err(AppError::internal)?;
        }
    }
    if detail.is_none() {
        AppError::Introuvable(String::new()).respond();
    }
    Ok(detail)
}

/// A site's page; `Ok(None)` when no site has this id.
#[server(prefix = "/api", endpoint = "site", output = crate::api::codec::JsonText)]
pub async fn get_site(id: i32) -> Result<Option<SiteDetail>, AppError> {
    use crate::auth::Action;
    use crate::db::{authorize, db, queries, require_user};
    require_user()?;
    let db = db()?;
    let Some(centre_id) = queries::site_centre_id(&db, id).await.map_err(AppError::internal)? else {
        AppError::Introuvable(String::new()).respond();
        return Ok(None);
    };
    let user = authorize(&Action::ViewSite { centre_id })?;
    queries::site_detail(&db, id, &user).await.map_err(AppError::internal)
}

/// The transfer dialog's check of a typed SIRET: the target centre, and what would move with the site.
#[server(prefix = "/api", endpoint = "transfert/apercu", output = crate::api::codec::JsonText)]
pub async fn preview_site_transfer(site_id: i32, siret: String) -> Result<crate::dto::TransferLookup, AppError> {
    use crate::auth::Action;
    use crate::db::{authorize, db, require_user, transfer};
    require_user()?;
    let db = db()?;
    let Some((site, region)) = transfer::site_and_region(&db, site_id).await.map_err(AppError::internal)? else {
        return Err(AppError::Introuvable("Ce site n'existe plus : rechargez la page.".into()).respond());
    };
    authorize(&Action::TransferSite { site_region: region })?;
    transfer::preview(&db, &site, &siret).await.map_err(AppError::internal)
}

/// « OUI »: moves the site to the centre of `siret`, provided it is still attached to `expected_centre_id`.
#[server(prefix = "/api", endpoint = "transfert", output = crate::api::codec::JsonText)]
pub async fn transfer_site(
    site_id: i32,
    siret: String,
    expected_centre_id: i32,
) -> Result<crate::dto::TransferDone, AppError> {
    use crate::auth::Action;
    use crate::db::{authorize, db, require_user, transfer};
    require_user()?;
    let db = db()?;
    let Some((site, region)) = transfer::site_and_region(&db, site_id).await.map_err(AppError::internal)? else {
        return Err(AppError::Introuvable("Ce site n'existe plus : rechargez la page.".into()).respond());
    };
    let user = authorize(&Action::TransferSite { site_region: region })?;
    let done = transfer::transfer(&db, &user, &site, &siret, expected_centre_id).await.map_err(AppError::internal)?;
    if let Ok(d) = &done {
        tracing::info!(site_id, to = d.centre_id, by = %user.identifiant, "site transferred");
    }
    done.map_err(AppError::respond)
}

/// « Quel centre souhaitez-vous enregistrer ? »: what the registry says of a SIRET (an answer, not an error).
#[server(prefix = "/api", endpoint = "enregistrement/apercu", output = crate::api::codec::JsonText)]
pub async fn lookup_centre_to_register(siret: String) -> Result<crate::dto::RegistrationLookup, AppError> {
    use crate::auth::Action;
    use crate::db::{authorize, db, registration, registry};
    authorize(&Action::RegisterCentre)?;
    let registry = registry()?;
    registration::lookup(&db()?, registry.as_ref(), &siret).await.map_err(AppError::internal)
}

/// « CRÉER »: registers the centre of `siret` with the chosen type and network; returns its id.
#[server(prefix = "/api", endpoint = "enregistrement", output = crate::api::codec::JsonText)]
pub async fn register_centre(
    siret: String,
    type_centre_id: Option<i32>,
    reseau_id: Option<i32>,
    confirm_closed: bool,
) -> Result<i32, AppError> {
    use crate::auth::Action;
    use crate::db::{authorize, db, registration, registry};
    let user = authorize(&Action::RegisterCentre)?;
    let registry = registry()?;
    let created =
        registration::register(&db()?, registry.as_ref(), &user, &siret, type_centre_id, reseau_id, confirm_closed)
            .await
            .map_err(AppError::internal)?;
    if let Ok(id) = &created {
        tracing::info!(centre_id = id, %siret, by = %user.identifiant, "centre registered");
    }
    created.map_err(AppError::respond)
}

#[cfg(feature = "ssr")]
fn invalid_representant(errors: Vec<String>) -> AppError {
    AppError::Invalide(crate::domain::contact::refusal(&errors))
}

/// What an edit of a représentant answers: the stored one, or why nothing was written.
#[cfg(feature = "ssr")]
fn representant_saved(
    edit: crate::db::edits::Edit<crate::dto::Representant>,
    gone: &str,
) -> Result<crate::dto::Representant, AppError> {
    use crate::db::edits::{CHANGED_MEANWHILE, Edit};
    match edit {
        Edit::Saved(rep) => Ok(rep),
        Edit::Gone => Err(AppError::Introuvable(gone.into()).respond()),
        Edit::Changed => Err(AppError::Conflit(CHANGED_MEANWHILE.into()).respond()),
    }
}

/// « MODIFIER » on « Représentant du centre ». `avant` is what the form showed: if someone else saved another
/// représentant meanwhile, nothing is written and the user is told to reload.
#[server(prefix = "/api", endpoint = "centre/representant", output = crate::api::codec::JsonText)]
pub async fn update_centre_representant(
    id: i32,
    #[server(default)] avant: crate::dto::Representant,
    input: crate::domain::contact::RepresentantInput,
) -> Result<crate::dto::Representant, AppError> {
    use crate::auth::Action;
    use crate::db::{authorize, db, edits, require_user};
    require_user()?;
    let db = db()?;
    let Some(regions) = edits::centre_regions(&db, id).await.map_err(AppError::internal)? else {
        return Err(AppError::Introuvable("Ce centre n'existe plus : rechargez la page.".into()).respond());
    };
    let user = authorize(&Action::EditRepresentant { centre_id: id, regions })?;
    let rep = input.parse().map_err(|e| invalid_representant(e).respond())?;
    let edit = edits::centre_representant(&db, &user, id, avant, rep).await.map_err(AppError::internal)?;
    representant_saved(edit, "Ce centre n'existe plus : rechargez la page.")
}

/// « MODIFIER » on « Représentant du site » (`avant` as for the centre's).
#[server(prefix = "/api", endpoint = "site/representant", output = crate::api::codec::JsonText)]
pub async fn update_site_representant(
    id: i32,
    #[server(default)] avant: crate::dto::Representant,
    input: crate::domain::contact::RepresentantInput,
) -> Result<crate::dto::Representant, AppError> {
    use crate::auth::Action;
    use crate::db::{authorize, db, edits, require_user, transfer};
    require_user()?;
    let db = db()?;
    let Some((site, region)) = transfer::site_and_region(&db, id).await.map_err(AppError::internal)? else {
        return Err(AppError::Introuvable("Ce site n'existe plus : rechargez la page.".into()).respond());
    };
    let user = authorize(&Action::EditRepresentant { centre_id: site.centre_id, regions: vec![region] })?;
    let rep = input.parse().map_err(|e| invalid_representant(e).respond())?;
    let edit = edits::site_representant(&db, &user, id, avant, rep).await.map_err(AppError::internal)?;
    representant_saved(edit, "Ce site n'existe plus : rechargez la page.")
}

/// « Déclarer une convention » (`convention_id` `None`) or « Modifier » one (`avant`: what its form showed; if
/// someone else saved it meanwhile, nothing is written). Answers the centre's conventions as stored.
#[server(prefix = "/api", endpoint = "centre/convention", output = crate::api::codec::JsonText)]
pub async fn save_convention(
    centre_id: i32,
    #[server(default)] convention_id: Option<i32>,
    #[server(default)] avant: crate::domain::convention::ConventionInput,
    input: crate::domain::convention::ConventionInput,
) -> Result<Vec<crate::dto::ConventionRow>, AppError> {
    use crate::auth::Action;
    use crate::db::conventions::{Cible, save};
    use crate::db::{authorize, db, registry, require_user};
    require_user()?;
    let user = authorize(&Action::ManageConventions { centre_id })?;
    let cible = match convention_id {
        None => Cible::Nouvelle,
        Some(id) => Cible::Existante { id, avant },
    };
    let saved = save(&db()?, registry()?.as_ref(), &user, centre_id, cible, &input, crate::clock::today())
        .await
        .map_err(AppError::internal)?;
    saved.map_err(AppError::respond)
}

/// Who may edit a centre's identification: authorizes the current user, or says why not.
#[cfg(feature = "ssr")]
async fn authorize_identification_edit(
    db: &sea_orm::DatabaseConnection,
    id: i32,
) -> Result<crate::auth::AuthUser, AppError> {
    use crate::auth::Action;
    use crate::db::{authorize, edits, require_user};
    require_user()?;
    let Some(regions) = edits::centre_regions(db, id).await.map_err(AppError::internal)? else {
        return Err(AppError::Introuvable("Ce centre n'existe plus : rechargez la page.".into()).respond());
    };
    authorize(&Action::EditCentreIdentification { regions })
}

/// « MODIFIER » on « Identification du centre »: the form filled with what is stored, and its lists.
#[server(prefix = "/api", endpoint = "centre/identification/formulaire", output = crate::api::codec::JsonText)]
pub async fn centre_identification_form(id: i32) -> Result<crate::dto::IdentificationForm, AppError> {
    use crate::db::{db, edits};
    let db = db()?;
    authorize_identification_edit(&db, id).await?;
    edits::centre_identification_form(&db, id)
        .await
        .map_err(AppError::internal)?
        .ok_or_else(|| AppError::Introuvable("Ce centre n'existe plus : rechargez la page.".into()).respond())
}

/// The communes a code postal serves (the « Commune » list of the identification form).
#[server(prefix = "/api", endpoint = "communes", output = crate::api::codec::JsonText)]
pub async fn communes_for_postcode(code_postal: String) -> Result<Vec<crate::dto::CommuneChoice>, AppError> {
    use crate::auth::Action;
    use crate::db::{authorize, db, queries};
    authorize(&Action::SearchEtablissements)?;
    let cp: String = code_postal.chars().filter(|c| !c.is_whitespace()).take(5).collect();
    queries::communes_for_postcode(&db()?, &cp).await.map_err(AppError::internal)
}

/// « ENREGISTRER » on « Identification du centre »: validated, saved in one transaction, audited field by field.
/// `avant` is what the form was filled with: if someone else saved the identification meanwhile, nothing is
/// written and the user is told to reload.
#[server(prefix = "/api", endpoint = "centre/identification", output = crate::api::codec::JsonText)]
pub async fn update_centre_identification(
    id: i32,
    avant: crate::domain::identification::IdentificationInput,
    input: crate::domain::identification::IdentificationInput,
) -> Result<crate::dto::CentreIdentification, AppError> {
    use crate::db::{db, edits};
    use crate::domain::identification::refusal;
    let db = db()?;
    let user = authorize_identification_edit(&db, id).await?;
    let new = input.parse().map_err(|e| AppError::Invalide(refusal(&e)).respond())?;
    let saved = edits::centre_identification(&db, &user, id, &avant, new).await.map_err(AppError::internal)?;
    if saved.is_ok() {
        tracing::info!(centre_id = id, by = %user.identifiant, "centre identification edited");
    }
    saved.map_err(AppError::respond)
}
