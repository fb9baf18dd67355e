//! GET /sessions/{id}/convocations.pdf and /sessions/{id}/pv.pdf: a session's documents, for those who may read the
//! session, once the session has reached the state that produces them.

use app::auth::{Action, AuthUser, is_allowed};
use app::dto::SessionDetail;
use axum::Extension;
use axum::extract::{Path, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};

use crate::AppState;
use crate::letters::session::{convocations, proces_verbal};

enum Doc {
    Convocations,
    Pv,
}

pub async fn convocations_pdf(
    State(state): State<AppState>,
    user: Option<Extension<AuthUser>>,
    Path(id): Path<String>,
) -> Response {
    document(state, user, &id, Doc::Convocations).await
}

pub async fn pv_pdf(
    State(state): State<AppState>,
    user: Option<Extension<AuthUser>>,
    Path(id): Path<String>,
) -> Response {
    document(state, user, &id, Doc::Pv).await
}

fn text(status: StatusCode, message: &'static str) -> Response {
    (status, [(header::CONTENT_TYPE, "text/plain; charset=utf-8")], message).into_response()
}

async fn document(state: AppState, user: Option<Extension<AuthUser>>, id: &str, doc: Doc) -> Response {
    let Some(Extension(user)) = user else {
        return Redirect::to("/connexion").into_response();
    };
    let Some(id) = id.parse::<i32>().ok().filter(|id| *id > 0) else {
        return text(StatusCode::NOT_FOUND, "Cette session n'existe pas : vérifiez l'adresse.");
    };
    let today = state.clock().today();
    let detail: Result<Option<SessionDetail>, sea_orm::DbErr> = async {
        let Some(ctx) = app::db::session_detail::context(&state.db, id).await? else { return Ok(None) };
        let action = Action::ViewSession {
            centre_id: ctx.centre.id,
            region: ctx.commune.region_code.clone(),
            departement: ctx.commune.departement_code.clone(),
        };
        if !is_allowed(Some(&user), &action) {
            return Ok(None);
        }
        app::db::session_detail::detail(&state.db, ctx, today, &user).await.map(Some)
    }
    .await;
    let s = match detail {
        Ok(Some(s)) => s,
        // Another centre's session reads as a missing one: its existence is not disclosed.
        Ok(None) => return text(StatusCode::NOT_FOUND, "Cette session n'existe pas ou ne vous est pas accessible."),
        Err(e) => {
            tracing::error!(error = %e, "session document failed");
            return crate::errors::unavailable_page();
        }
    };
    let (pdf, name) = match doc {
        Doc::Convocations if s.droits.convocations_pdf => (convocations(&s, today), "convocations"),
        Doc::Convocations => {
            return text(StatusCode::CONFLICT, "Les convocations de cette session n'ont pas encore été envoyées.");
        }
        Doc::Pv if s.droits.pv_pdf => (proces_verbal(&s), "pv"),
        Doc::Pv => return text(StatusCode::CONFLICT, "Le PV existe une fois les résultats de la session saisis."),
    };
    let mut res = (StatusCode::OK, pdf).into_response();
    let h = res.headers_mut();
    h.insert(header::CONTENT_TYPE, HeaderValue::from_static("application/pdf"));
    h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    if let Ok(v) = HeaderValue::from_str(&format!("attachment; filename=\"{name}-{}.pdf\"", s.identifiant)) {
        h.insert(header::CONTENT_DISPOSITION, v);
    }
    res
}
