//! Server functions for exam sessions.

use leptos::prelude::*;

use crate::error::AppError;

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
