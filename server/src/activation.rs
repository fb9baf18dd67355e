//! Activation codes. An agent edits a centre's activation letter (a new code, valid `activation-code-days`,
//! invalidating the previous one, audited); the centre's staff enter SIRET + code on /activation, choose an
//! identifiant and a password, and get the centre's user account. A code works once; wrong attempts are throttled
//! like sign-ins. Both are form POSTs, so they work without JavaScript.

use std::net::SocketAddr;

use app::auth::{Action, AuthUser, is_allowed};
use app::db::audit::{self, Change};
use app::db::entity::{app_user, centre, commune, login_attempt};
use app::domain::format::{commune_label, date_fr};
use app::domain::siret::{CENTRE_DE_REPRISE_SIRET, Siret};
use axum::Extension;
use axum::extract::{ConnectInfo, Form, Path, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use chrono::{Duration, Utc};
use rand::Rng;
use sea_orm::{ActiveModelTrait, ColumnTrait, DbErr, EntityTrait, IntoActiveModel, QueryFilter, Set, TransactionTrait};
use serde::Deserialize;
use sha2::{Digest, Sha256};

use crate::AppState;
use crate::auth::{open_session, recent_failures, record_attempt};
use crate::letters::{ActivationLetter, activation_letter};

/// Letters and digits that cannot be mistaken for one another on paper (no 0/O, 1/I/L).
const ALPHABET: &[u8] = b"ABCDEFGHJKMNPQRSTUVWXYZ23456789";

/// A new code, printed in groups: « K7QF-9XPM-2HDA ».
pub fn new_code() -> String {
    let mut rng = rand::rng();
    let raw: String = (0..12).map(|_| char::from(ALPHABET[rng.random_range(0..ALPHABET.len())])).collect();
    format!("{}-{}-{}", &raw[0..4], &raw[4..8], &raw[8..12])
}

/// The stored form of a code as typed: case, spaces and dashes do not matter.
pub fn code_hash(typed: &str) -> String {
    let canonical: String =
        typed.chars().filter(|c| c.is_ascii_alphanumeric()).map(|c| c.to_ascii_uppercase()).collect();
    hex::encode(Sha256::digest(canonical.as_bytes()))
}

fn text(status: StatusCode, message: &'static str) -> Response {
    (status, [(header::CONTENT_TYPE, "text/plain; charset=utf-8")], message).into_response()
}

/// POST /centres/{id}/courrier-activation: a new code and the PDF letter that carries it.
pub async fn issue_letter(
    State(state): State<AppState>,
    user: Option<Extension<AuthUser>>,
    headers: HeaderMap,
    Path(id): Path<String>,
) -> Response {
    let Some(Extension(user)) = user else {
        return Redirect::to("/connexion").into_response();
    };
    if !is_allowed(Some(&user), &Action::IssueActivationLetter) {
        return text(StatusCode::FORBIDDEN, "Vous n'avez pas les droits nécessaires pour éditer ce courrier.");
    }
    let Ok(id) = id.parse::<i32>() else {
        return text(StatusCode::NOT_FOUND, "Ce centre n'existe pas.");
    };
    match issue(&state, &user, id, &headers).await {
        Ok(Some(pdf)) => pdf,
        Ok(None) => text(StatusCode::NOT_FOUND, "Ce centre n'existe pas."),
        Err(e) => {
            tracing::error!(error = %e, "activation letter failed");
            crate::errors::unavailable_page()
        }
    }
}

async fn issue(state: &AppState, user: &AuthUser, id: i32, headers: &HeaderMap) -> Result<Option<Response>, DbErr> {
    let Some(c) = centre::Entity::find_by_id(id).one(&state.db).await? else {
        return Ok(None);
    };
    if c.siret == CENTRE_DE_REPRISE_SIRET {
        return Ok(Some(text(
            StatusCode::UNPROCESSABLE_ENTITY,
            "Le « Centre de reprise » n'a pas de compte : aucun courrier d'activation.",
        )));
    }
    let code = new_code();
    let now = Utc::now();
    let valid_until = (now + Duration::days(state.config.activation_code_days)).date_naive();
    let had_code = c.activation_code_hash.is_some();
    let commune_nom = commune::Entity::find_by_id(c.commune_code.clone()).one(&state.db).await?.map(|x| x.nom);

    let txn = state.db.begin().await?;
    let mut active = c.clone().into_active_model();
    active.activation_code_hash = Set(Some(code_hash(&code)));
    active.activation_code_expires_at = Set(Some(now + Duration::days(state.config.activation_code_days)));
    active.updated_at = Set(now);
    active.update(&txn).await?;
    audit::record(
        &txn,
        user,
        "centre",
        c.id,
        "courrier_activation",
        &[Change {
            field: "code_activation",
            before: had_code.then(|| "code précédent invalidé".to_owned()),
            after: Some(format!("nouveau code, valable jusqu'au {}", date_fr(valid_until))),
        }],
    )
    .await?;
    txn.commit().await?;

    let host = headers.get(header::HOST).and_then(|h| h.to_str().ok()).unwrap_or("ceres");
    let scheme = if state.config.https { "https" } else { "http" };
    let url = format!("{scheme}://{host}/activation");
    let pdf = activation_letter(&ActivationLetter {
        raison_sociale: &c.raison_sociale,
        adresse: &c.adresse,
        commune: &commune_label(&c.code_postal, commune_nom.as_deref().unwrap_or_default()),
        siret: &c.siret,
        code: &code,
        valid_until,
        issued_on: now.date_naive(),
        activation_url: &url,
    });
    tracing::info!(centre_id = c.id, by = %user.identifiant, "activation letter issued");
    let disposition = format!("attachment; filename=\"courrier-activation-{}.pdf\"", c.siret);
    let mut res = (StatusCode::OK, pdf).into_response();
    let h = res.headers_mut();
    h.insert(header::CONTENT_TYPE, HeaderValue::from_static("application/pdf"));
    h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    if let Ok(v) = HeaderValue::from_str(&disposition) {
        h.insert(header::CONTENT_DISPOSITION, v);
    }
    Ok(Some(res))
}

#[derive(Deserialize, Default)]
pub struct ActivationForm {
    #[serde(default)]
    siret: String,
    #[serde(default)]
    code: String,
    #[serde(default)]
    identifiant: String,
    #[serde(default)]
    mot_de_passe: String,
    #[serde(default)]
    confirmation: String,
}

/// Back to the form with the reason, keeping what was typed (never the password or the code; nor more than a
/// SIRET or an identifiant can hold, so that the address stays short).
fn back(code: &str, form: &ActivationForm) -> Response {
    let kept = |s: &str| app::domain::recherche::encode_query_value(&s.trim().chars().take(64).collect::<String>());
    Redirect::to(&format!(
        "/activation?erreur={code}&siret={}&identifiant={}",
        kept(&form.siret),
        kept(&form.identifiant)
    ))
    .into_response()
}

fn valid_identifiant(s: &str) -> bool {
    (3..=64).contains(&s.len())
        && s.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b"._-".contains(&b))
}

/// POST /activation.
pub async fn activate(
    State(state): State<AppState>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    form: Result<Form<ActivationForm>, axum::extract::rejection::FormRejection>,
) -> Response {
    // A body the form decoder refuses (a field given twice, say) is an incomplete form for the user.
    let Ok(Form(form)) = form else {
        return back("champs", &ActivationForm::default());
    };
    match try_activate(&state, peer, &form).await {
        Ok(r) => r,
        Err(e) => {
            tracing::error!(error = %e, "activation failed on a database error");
            back("indisponible", &form)
        }
    }
}

async fn try_activate(state: &AppState, peer: SocketAddr, form: &ActivationForm) -> Result<Response, DbErr> {
    if [&form.siret, &form.code, &form.identifiant, &form.mot_de_passe].iter().any(|f| f.trim().is_empty()) {
        return Ok(back("champs", form));
    }
    let Ok(siret) = Siret::parse(&form.siret) else {
        return Ok(back("siret", form));
    };
    let key = format!("activation:{siret}");
    let ip = peer.ip().to_string();
    let c = &state.config;
    if recent_failures(state, login_attempt::Column::Identifiant, &key).await? >= c.login_max_failures_per_account
        || recent_failures(state, login_attempt::Column::Ip, &ip).await? >= c.login_max_failures_per_address
    {
        return Ok(back("trop-de-tentatives", form));
    }
    let identifiant = form.identifiant.trim().to_owned();
    if !valid_identifiant(&identifiant) {
        return Ok(back("identifiant", form));
    }
    if form.mot_de_passe.chars().count() < 12 {
        return Ok(back("mot-de-passe", form));
    }
    if form.mot_de_passe != form.confirmation {
        return Ok(back("confirmation", form));
    }
    let now = Utc::now();
    let centre = centre::Entity::find().filter(centre::Column::Siret.eq(siret.as_str())).one(&state.db).await?;
    let matches = centre.as_ref().is_some_and(|x| {
        x.activation_code_hash.as_deref() == Some(code_hash(&form.code).as_str())
            && x.activation_code_expires_at.is_some_and(|until| until > now)
    });
    let (Some(centre), true) = (centre, matches) else {
        record_attempt(state, &key, &ip, false).await?;
        return Ok(back("code", form));
    };
    if app_user::Entity::find()
        .filter(app_user::Column::Identifiant.eq(identifiant.clone()))
        .one(&state.db)
        .await?
        .is_some()
    {
        return Ok(back("identifiant-pris", form));
    }
    let password = form.mot_de_passe.clone();
    let hash = tokio::task::spawn_blocking(move || crate::passwords::hash(&password).unwrap_or_default())
        .await
        .unwrap_or_default();

    let txn = state.db.begin().await?;
    // The code works once: clearing it is part of the same transaction, conditional on it being unchanged.
    let cleared = centre::Entity::update_many()
        .col_expr(centre::Column::ActivationCodeHash, sea_orm::sea_query::Expr::value(Option::<String>::None))
        .col_expr(
            centre::Column::ActivationCodeExpiresAt,
            sea_orm::sea_query::Expr::value(Option::<chrono::DateTime<Utc>>::None),
        )
        .filter(centre::Column::Id.eq(centre.id))
        .filter(centre::Column::ActivationCodeHash.eq(code_hash(&form.code)))
        .exec(&txn)
        .await?;
    if cleared.rows_affected != 1 {
        txn.rollback().await?;
        return Ok(back("code", form));
    }
    let user = app_user::ActiveModel {
        identifiant: Set(identifiant.clone()),
        password_hash: Set(hash),
        nom_affiche: Set(identifiant.clone()),
        role: Set("centre".into()),
        region_code: Set(None),
        departement_code: Set(None),
        centre_id: Set(Some(centre.id)),
        active: Set(true),
        created_at: Set(now),
        ..Default::default()
    }
    .insert(&txn)
    .await;
    let user = match user {
        Ok(u) => u,
        Err(e) if matches!(e.sql_err(), Some(sea_orm::SqlErr::UniqueConstraintViolation(_))) => {
            txn.rollback().await?;
            return Ok(back("identifiant-pris", form));
        }
        Err(e) => return Err(e),
    };
    let actor = AuthUser {
        id: user.id,
        identifiant: user.identifiant.clone(),
        nom_affiche: user.nom_affiche.clone(),
        role: app::auth::Role::Centre { centre_id: centre.id },
        perimetre: String::new(),
    };
    audit::record(
        &txn,
        &actor,
        "centre",
        centre.id,
        "activation",
        &[Change { field: "compte", before: None, after: Some(identifiant.clone()) }],
    )
    .await?;
    txn.commit().await?;
    record_attempt(state, &key, &ip, true).await?;
    tracing::info!(centre_id = centre.id, %identifiant, "centre account activated");
    let cookie = open_session(state, user.id).await?;
    let mut res = Redirect::to(&format!("/centres/{}?active=1", centre.id)).into_response();
    res.headers_mut().insert(header::SET_COOKIE, cookie);
    Ok(res)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_unambiguous_and_typed_loosely() {
        let code = new_code();
        assert_eq!(code.len(), 14);
        assert!(code.chars().all(|c| c == '-' || ALPHABET.contains(&(c as u8))));
        assert_eq!(code_hash(&code), code_hash(&code.to_lowercase().replace('-', " ")));
        assert_ne!(code_hash(&code), code_hash(&new_code()));
    }

    #[test]
    fn identifiants_are_plain() {
        assert!(valid_identifiant("sophie.martin"));
        assert!(!valid_identifiant("Sophie"));
        assert!(!valid_identifiant("ab"));
        assert!(!valid_identifiant("a b c"));
    }
}
