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
    sessions::list(&db()?, &user.role.territory(), statut, false, page).await.map_err(AppError::internal)
}

/// The sessions awaiting validation (« Résultats saisis ») in the user's territory.
#[server(prefix = "/api", endpoint = "validation")]
/// `hors_delai`: only those with an entry made after a deadline under a relaxation window (« Saisies hors délai »).
pub async fn list_sessions_to_validate(page: u64, hors_delai: bool) -> Result<crate::dto::SessionList, AppError> {
    use crate::auth::Action;
    use crate::db::{authorize, db, sessions};
    use crate::domain::session::StatutSession;
    let user = authorize(&Action::ListSessionsToValidate)?;
    sessions::list(&db()?, &user.role.territory(), Some(StatutSession::ResultatsSaisis), hors_delai, page)
        .await
        .map_err(AppError::internal)
}

/// The page of a session: `Ok(None)` when no session has this id.
#[server(prefix = "/api", endpoint = "session")]
pub async fn get_session(id: i32) -> Result<Option<crate::dto::SessionDetail>, AppError> {
    use crate::auth::{Action, is_allowed};
    use crate::db::{authorize, db, require_user, session_detail};
    require_user()?;
    let db = db()?;
    let Some(ctx) = session_detail::context(&db, id).await.map_err(AppError::internal)? else {
        AppError::Introuvable(String::new()).respond();
        return Ok(None);
    };
    let user = authorize(&Action::ViewSession {
        centre_id: ctx.centre.id,
        region: ctx.commune.region_code.clone(),
        departement: ctx.commune.departement_code.clone(),
    })?;
    let can_request = is_allowed(Some(&user), &Action::RequestDte { centre_id: ctx.centre.id });
    let today = crate::clock::today();
    session_detail::detail(&db, ctx, today, can_request).await.map(Some).map_err(AppError::internal)
}

/// « CONTINUER » on « Vérifiez et complétez la demande de DTE »: checked against the deadline rules (the same engine
/// the page ran before the click), recorded once per session, audited.
#[server(prefix = "/api", endpoint = "session/dte")]
pub async fn request_dte(
    session_id: i32,
    input: crate::domain::delais::DteInput,
) -> Result<crate::dto::SessionDetail, AppError> {
    use crate::auth::Action;
    use crate::db::{authorize, db, regles, require_user, session_detail};
    use crate::domain::delais::{ActionDelai, Contexte, verdict};
    use crate::domain::session::StatutSession;
    require_user()?;
    let db = db()?;
    let gone = || AppError::Introuvable("Cette session n'existe plus : rechargez la page.".into());
    let Some(ctx) = session_detail::context(&db, session_id).await.map_err(AppError::internal)? else {
        return Err(gone().respond());
    };
    let user = authorize(&Action::RequestDte { centre_id: ctx.centre.id })?;
    if StatutSession::from_code(&ctx.session.statut) != Some(StatutSession::EnPreparation) {
        return Err(AppError::Conflit(
            "La demande de DTE de cette session a déjà été envoyée : une seule demande par session. Rechargez la page pour la voir.".into(),
        )
        .respond());
    }
    let today = crate::clock::today();
    let dte = input
        .parse(ctx.session.date_debut, today)
        .map_err(|e| AppError::Invalide(crate::domain::delais::refus_dte(&e)).respond())?;
    let rules: Vec<_> = regles::regles(&db).await.map_err(AppError::internal)?.into_iter().map(|r| r.regle).collect();
    let windows: Vec<_> =
        regles::derogations(&db).await.map_err(AppError::internal)?.into_iter().map(|d| d.derogation).collect();
    let v = verdict(
        ActionDelai::DemandeDte,
        &rules,
        &windows,
        &Contexte {
            aujourdhui: today,
            debut_session: ctx.session.date_debut,
            type_session: &ctx.session.type_session,
            region: &ctx.commune.region_code,
            session_id: Some(ctx.session.id),
        },
    );
    if let crate::domain::delais::Verdict::Refuse { message, .. } = &v {
        return Err(AppError::Invalide(message.clone()).respond());
    }
    session_detail::request_dte(&db, &user, &ctx, &dte, &v)
        .await
        .map_err(AppError::internal)?
        .map_err(AppError::respond)?;
    tracing::info!(session_id, by = %user.identifiant, hors_delai = matches!(v, crate::domain::delais::Verdict::HorsDelaiAutorise { .. }), "DTE requested");
    let ctx =
        session_detail::context(&db, session_id).await.map_err(AppError::internal)?.ok_or_else(|| gone().respond())?;
    session_detail::detail(&db, ctx, today, true).await.map_err(AppError::internal)
}

/// Every DTE request, by wanted delivery date (national admin).
#[server(prefix = "/api", endpoint = "demandes-dte")]
pub async fn list_dte_requests() -> Result<Vec<crate::dto::DteListRow>, AppError> {
    use crate::auth::Action;
    use crate::db::{authorize, db, session_detail};
    authorize(&Action::ListDteRequests)?;
    session_detail::dte_requests(&db()?).await.map_err(AppError::internal)
}
