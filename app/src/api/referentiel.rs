//! Server functions for the referentials.

use leptos::prelude::*;

use crate::error::AppError;

/// The titres professionnels referential.
#[server(prefix = "/api", endpoint = "titres", output = crate::api::codec::JsonText)]
pub async fn list_titres() -> Result<Vec<crate::dto::TitreRow>, AppError> {
    use crate::auth::Action;
    use crate::db::{authorize, db, queries};
    authorize(&Action::ViewReferentiel)?;
    queries::titres(&db()?).await.map_err(AppError::internal)
}
