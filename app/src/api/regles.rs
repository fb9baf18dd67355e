//! Server functions of « Règles de délai »: the rules and windows, a rule's change, a new window.

use leptos::prelude::*;

use crate::domain::delais::{DerogationInput, RegleInput};
use crate::dto::{RegleRow, ReglesPage};
use crate::error::AppError;

/// The rules and windows, and what the reader may do with them.
#[server(prefix = "/api", endpoint = "regles", output = crate::api::codec::JsonText)]
pub async fn get_regles() -> Result<ReglesPage, AppError> {
    use crate::auth::{Action, Role, is_allowed};
    use crate::db::{authorize, db, regles};
    use crate::domain::delais::PorteeDerogation;
    let user = authorize(&Action::ViewRegles)?;
    let db = db()?;
    let mut portees = Vec::new();
    if is_allowed(Some(&user), &Action::OpenDerogation { portee: PorteeDerogation::Nationale }) {
        portees.push(("nationale".to_owned(), "Nationale".to_owned()));
    }
    // The national admin may open one for any région; a DREETS for its own.
    if matches!(user.role, Role::National | Role::Dreets { .. }) {
        use sea_orm::{EntityTrait, QueryOrder};
        let regions = crate::db::entity::region::Entity::find()
            .order_by_asc(crate::db::entity::region::Column::Nom)
            .all(&db)
            .await
            .map_err(AppError::internal)?;
        for r in regions {
            if is_allowed(Some(&user), &Action::OpenDerogation { portee: PorteeDerogation::Region(r.code.clone()) }) {
                portees.push((format!("region:{}", r.code), format!("Région {}", r.nom)));
            }
        }
    }
    Ok(ReglesPage {
        regles: regles::regles(&db).await.map_err(AppError::internal)?,
        derogations: regles::derogations(&db).await.map_err(AppError::internal)?,
        can_edit_rules: is_allowed(Some(&user), &Action::EditRegle),
        portees,
    })
}

/// « Enregistrer » on a rule (national admin).
#[server(prefix = "/api", endpoint = "regles/modifier", output = crate::api::codec::JsonText)]
pub async fn update_regle(id: i32, input: RegleInput) -> Result<RegleRow, AppError> {
    use crate::auth::Action;
    use crate::db::{authorize, db, regles};
    let user = authorize(&Action::EditRegle)?;
    let change = input.parse().map_err(|e| AppError::Invalide(crate::domain::delais::refus_regle(&e)).respond())?;
    regles::update_regle(&db()?, &user, id, change)
        .await
        .map_err(AppError::internal)?
        .ok_or_else(|| AppError::Introuvable("Cette règle n'existe plus : rechargez la page.".into()).respond())
}

/// « Ouvrir la dérogation »: a relaxation window within the reader's scope.
#[server(prefix = "/api", endpoint = "derogations", output = crate::api::codec::JsonText)]
pub async fn open_derogation(input: DerogationInput) -> Result<i32, AppError> {
    use crate::auth::Action;
    use crate::db::{authorize, db, regles, require_user};
    require_user()?;
    let db = db()?;
    let known: Vec<String> =
        regles::regles(&db).await.map_err(AppError::internal)?.into_iter().map(|r| r.regle.code).collect();
    let window =
        input.parse(&known).map_err(|e| AppError::Invalide(crate::domain::delais::refus_derogation(&e)).respond())?;
    let user = authorize(&Action::OpenDerogation { portee: window.portee.clone() })?;
    let id = regles::open_derogation(&db, &user, &window, &input.motif()).await.map_err(AppError::internal)?;
    tracing::info!(derogation_id = id, portee = %window.portee.code(), by = %user.identifiant, "relaxation window opened");
    Ok(id)
}
