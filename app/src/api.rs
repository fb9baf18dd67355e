//! Server functions: the only door from the pages to the data. Each one goes through `db::authorize` first.

use leptos::prelude::*;

use crate::auth::AuthUser;
use crate::dto::{CentreDetail, SearchResults, SiteDetail};
use crate::error::AppError;

/// How many centres and how many sites a search page shows.
pub const SEARCH_PAGE_SIZE: u64 = 20;

/// The signed-in user, or `None` for an anonymous visitor.
#[server(prefix = "/api", endpoint = "utilisateur")]
pub async fn get_current_user() -> Result<Option<AuthUser>, AppError> {
    Ok(crate::db::current_user())
}

/// Search over all centres and sites.
#[server(prefix = "/api", endpoint = "etablissements")]
pub async fn search_etablissements(q: String) -> Result<SearchResults, AppError> {
    use crate::auth::Action;
    use crate::db::{authorize, db, queries};
    authorize(&Action::SearchEtablissements)?;
    if q.chars().count() > 200 {
        return Err(
            AppError::Invalide("La recherche est trop longue : saisissez au plus 200 caractères.".into()).respond()
        );
    }
    queries::search(&db()?, &q, SEARCH_PAGE_SIZE).await.map_err(AppError::internal)
}

/// A centre's page; `Ok(None)` when no centre has this id.
#[server(prefix = "/api", endpoint = "centre")]
pub async fn get_centre(id: i32) -> Result<Option<CentreDetail>, AppError> {
    use crate::auth::Action;
    use crate::db::{authorize, db, queries, require_user};
    require_user()?;
    authorize(&Action::ViewCentre { centre_id: id })?;
    let detail = queries::centre_detail(&db()?, id).await.map_err(AppError::internal)?;
    if detail.is_none() {
        AppError::Introuvable(String::new()).respond();
    }
    Ok(detail)
}

/// A site's page; `Ok(None)` when no site has this id.
#[server(prefix = "/api", endpoint = "site")]
pub async fn get_site(id: i32) -> Result<Option<SiteDetail>, AppError> {
    use crate::auth::Action;
    use crate::db::{authorize, db, queries, require_user};
    require_user()?;
    let db = db()?;
    let Some(centre_id) = queries::site_centre_id(&db, id).await.map_err(AppError::internal)? else {
        AppError::Introuvable(String::new()).respond();
        return Ok(None);
    };
    authorize(&Action::ViewSite { centre_id })?;
    queries::site_detail(&db, id).await.map_err(AppError::internal)
}

/// The sessions of the user's territory, page `page`, optionally in one state (`statut` = a state code or "").
#[server(prefix = "/api", endpoint = "sessions")]
pub async fn list_sessions(statut: String, page: u64) -> Result<crate::dto::SessionList, AppError> {
    use crate::auth::Action;
    use crate::db::{authorize, db, sessions};
    use crate::domain::session::StatutSession;
    let user = authorize(&Action::ListSessions)?;
    let statut = match statut.as_str() {
        "" => None,
        code => Some(StatutSession::from_code(code).ok_or_else(|| {
            AppError::Invalide(format!("« {code} » n'est pas un statut de session : choisissez-en un dans la liste."))
                .respond()
        })?),
    };
    sessions::list(&db()?, &user.role.territory(), statut, page).await.map_err(AppError::internal)
}

/// The sessions awaiting validation (« Résultats saisis ») in the user's territory.
#[server(prefix = "/api", endpoint = "validation")]
pub async fn list_sessions_to_validate(page: u64) -> Result<crate::dto::SessionList, AppError> {
    use crate::auth::Action;
    use crate::db::{authorize, db, sessions};
    use crate::domain::session::StatutSession;
    let user = authorize(&Action::ListSessionsToValidate)?;
    sessions::list(&db()?, &user.role.territory(), Some(StatutSession::ResultatsSaisis), page)
        .await
        .map_err(AppError::internal)
}

/// The titres professionnels referential.
#[server(prefix = "/api", endpoint = "titres")]
pub async fn list_titres() -> Result<Vec<crate::dto::TitreRow>, AppError> {
    use crate::auth::Action;
    use crate::db::{authorize, db, queries};
    authorize(&Action::ViewReferentiel)?;
    queries::titres(&db()?).await.map_err(AppError::internal)
}
