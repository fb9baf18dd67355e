//! Sign-in and sessions. Sessions live in the database (table `user_session`), so any replica serves any request;
//! the cookie holds a random token and the table only its SHA-256. Failed sign-ins are throttled per account and
//! per address, counted in the database for the same reason.

use std::net::SocketAddr;

use app::auth::{AuthUser, Role, home_path};
use app::db::entity::{app_user, centre, departement, login_attempt, region, user_session};
use axum::extract::{ConnectInfo, Form, Request, State};
use axum::http::{HeaderMap, HeaderValue, Method, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Redirect, Response};
use chrono::{DateTime, Utc};
use rand::RngCore;
use sea_orm::sea_query::{Expr, ExprTrait, Query, SelectStatement};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseConnection, DbErr, EntityTrait, FromQueryResult,
    PaginatorTrait, QueryFilter, Set,
};
use serde::Deserialize;
use sha2::{Digest, Sha256};

use crate::AppState;
use crate::batch::{Batched, Found};
use crate::passwords;

/// How often `last_seen_at` is written back (keeps a busy page from writing on every request).
const TOUCH_EVERY_SECS: i64 = 60;

pub fn cookie_name(https: bool) -> &'static str {
    // The __Host- prefix pins the cookie to this exact host, path / and HTTPS.
    if https { "__Host-ceres_session" } else { "ceres_session" }
}

fn token_hash(token: &str) -> String {
    hex::encode(Sha256::digest(token.as_bytes()))
}

fn new_token() -> String {
    let mut bytes = [0u8; 32];
    rand::rng().fill_bytes(&mut bytes);
    hex::encode(bytes)
}

fn session_cookie(state: &AppState, value: &str, clear: bool) -> HeaderValue {
    let name = cookie_name(state.config.https);
    let secure = if state.config.https { "; Secure" } else { "" };
    let expiry = if clear { "; Max-Age=0" } else { "" };
    HeaderValue::from_str(&format!("{name}={value}; Path=/; HttpOnly; SameSite=Strict{secure}{expiry}"))
        .unwrap_or_else(|_| HeaderValue::from_static(""))
}

fn cookie_token(headers: &HeaderMap, name: &str) -> Option<String> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(k, v)| *k == name && v.len() == 64 && v.bytes().all(|b| b.is_ascii_hexdigit()))
        .map(|(_, v)| v.to_owned())
}

/// What an account is, for its role: the columns of `app_user` that the session needs (not the password hash).
#[derive(Debug, Clone, FromQueryResult)]
struct Account {
    id: i32,
    identifiant: String,
    nom_affiche: String,
    role: String,
    region_code: Option<String>,
    departement_code: Option<String>,
    centre_id: Option<i32>,
    active: bool,
}

impl From<app_user::Model> for Account {
    fn from(u: app_user::Model) -> Self {
        let app_user::Model {
            id,
            identifiant,
            nom_affiche,
            role,
            region_code,
            departement_code,
            centre_id,
            active,
            ..
        } = u;
        Account { id, identifiant, nom_affiche, role, region_code, departement_code, centre_id, active }
    }
}

/// The role and territory of an account, with the label the header shows; `nom` is the name of its région,
/// département or centre.
fn auth_user_named(u: Account, nom: Option<String>) -> Option<AuthUser> {
    let nom = nom.unwrap_or_default();
    let (role, perimetre) = match u.role.as_str() {
        "national" => (Role::National, "Administration nationale (DGEFP)".to_owned()),
        "dreets" => (Role::Dreets { region: u.region_code? }, format!("DREETS {nom}")),
        "ud" => {
            let code = u.departement_code?;
            (Role::Ud { departement: code.clone() }, format!("UD {nom} ({code})"))
        }
        "centre" => (Role::Centre { centre_id: u.centre_id? }, format!("Centre {nom}")),
        _ => return None,
    };
    Some(AuthUser { id: u.id, identifiant: u.identifiant, nom_affiche: u.nom_affiche, role, perimetre })
}

/// A session with its account and the name of the account's territory: one row, read by every request.
#[derive(Debug, Clone, FromQueryResult)]
struct SessionRow {
    token_hash: String,
    last_seen_at: DateTime<Utc>,
    expires_at: DateTime<Utc>,
    #[sea_orm(nested)]
    account: Account,
    territoire: Option<String>,
}

/// The sessions of `hashes` joined to their accounts and to each account's région, département or centre (one
/// query: it runs before every page and every server function, for the requests that arrived together).
fn session_query(hashes: Vec<String>) -> SelectStatement {
    use app_user::Column as U;
    use user_session::Column as S;
    let mut q = Query::select();
    q.columns([S::TokenHash, S::LastSeenAt, S::ExpiresAt].map(|c| (user_session::Entity, c)))
        .columns(
            [U::Id, U::Identifiant, U::NomAffiche, U::Role, U::RegionCode, U::DepartementCode, U::CentreId, U::Active]
                .map(|c| (app_user::Entity, c)),
        )
        .expr_as(
            Expr::case(
                Expr::col((app_user::Entity, U::Role)).eq("dreets"),
                Expr::col((region::Entity, region::Column::Nom)),
            )
            .case(
                Expr::col((app_user::Entity, U::Role)).eq("ud"),
                Expr::col((departement::Entity, departement::Column::Nom)),
            )
            .case(
                Expr::col((app_user::Entity, U::Role)).eq("centre"),
                Expr::col((centre::Entity, centre::Column::RaisonSociale)),
            ),
            "territoire",
        )
        .from(user_session::Entity)
        .inner_join(app_user::Entity, Expr::col((app_user::Entity, U::Id)).equals((user_session::Entity, S::UserId)))
        .left_join(
            region::Entity,
            Expr::col((region::Entity, region::Column::Code)).equals((app_user::Entity, U::RegionCode)),
        )
        .left_join(
            departement::Entity,
            Expr::col((departement::Entity, departement::Column::Code)).equals((app_user::Entity, U::DepartementCode)),
        )
        .left_join(
            centre::Entity,
            Expr::col((centre::Entity, centre::Column::Id)).equals((app_user::Entity, U::CentreId)),
        )
        .and_where(Expr::col((user_session::Entity, S::TokenHash)).is_in(hashes));
    q
}

/// The sessions read for the requests that arrive together (`crate::batch`): one query answers all of them.
#[derive(Default)]
pub struct SessionReads(Batched<SessionRow>);

impl SessionReads {
    /// The session of `hash`, read with those of the requests waiting with it.
    async fn get(&self, db: &DatabaseConnection, hash: &str) -> Result<Option<SessionRow>, DbErr> {
        let read = async |hashes: Vec<String>| -> Found<SessionRow> {
            let rows = db.query_all(&session_query(hashes)).await.map_err(|e| e.to_string())?;
            rows.iter()
                .map(|row| SessionRow::from_query_result(row, "").map(|s| (s.token_hash.clone(), s)))
                .collect::<Result<_, _>>()
                .map_err(|e| e.to_string())
        };
        self.0.get(hash, read).await.map_err(DbErr::Custom)
    }

    /// Holds the reads of sessions back until the guard is dropped, as a running read does (tests).
    pub async fn hold(&self) -> tokio::sync::MutexGuard<'_, ()> {
        self.0.hold().await
    }

    /// How many reads of sessions have started (tests: how many requests shared one).
    pub fn reads(&self) -> u64 {
        self.0.reads()
    }
}

/// The user behind a session token, if the session is alive; refreshes its idle clock now and then.
pub async fn user_for_token(state: &AppState, token: &str, now: DateTime<Utc>) -> Result<Option<AuthUser>, DbErr> {
    let db = &state.db;
    let hash = token_hash(token);
    let Some(session) = state.user_sessions.get(db, &hash).await? else {
        return Ok(None);
    };
    let idle = chrono::Duration::from_std(state.config.session_idle()).unwrap_or_default();
    if session.expires_at <= now || session.last_seen_at + idle <= now {
        user_session::Entity::delete_by_id(hash).exec(db).await?;
        return Ok(None);
    }
    if !session.account.active {
        return Ok(None);
    }
    if (now - session.last_seen_at).num_seconds() >= TOUCH_EVERY_SECS {
        user_session::Entity::update_many()
            .col_expr(user_session::Column::LastSeenAt, Expr::value(now))
            .filter(user_session::Column::TokenHash.eq(hash))
            .exec(db)
            .await?;
    }
    Ok(auth_user_named(session.account, session.territoire))
}

/// Pages that an anonymous visitor may open (everything else sends them to /connexion).
fn is_public(path: &str) -> bool {
    path == "/connexion"
        || path == "/activation"
        || path == "/mentions-legales"
        || path.starts_with("/pkg/")
        || path.starts_with("/dsfr/")
        || path.starts_with("/api/")
        || path == "/favicon.ico"
}

/// Puts the signed-in user in the request's extensions (read by `app::db::current_user`), and sends anonymous
/// page views to the sign-in page.
pub async fn session_layer(State(state): State<AppState>, mut req: Request, next: Next) -> Response {
    let name = cookie_name(state.config.https);
    let mut user = None;
    if let Some(token) = cookie_token(req.headers(), name) {
        match user_for_token(&state, &token, Utc::now()).await {
            Ok(u) => user = u,
            Err(e) => {
                tracing::error!(error = %e, "session lookup failed");
                return crate::errors::unavailable_page();
            }
        }
    }
    let path = req.uri().path().to_owned();
    if user.is_none() && req.method() == Method::GET && !is_public(&path) {
        let suite = req.uri().path_and_query().map(|p| p.as_str().to_owned()).unwrap_or_default();
        let target = if suite == "/" {
            "/connexion".to_owned()
        } else {
            format!("/connexion?suite={}", app::domain::recherche::encode_query_value(&suite))
        };
        return Redirect::to(&target).into_response();
    }
    if let Some(u) = user {
        req.extensions_mut().insert(u);
    }
    next.run(req).await
}

#[derive(Deserialize)]
pub struct LoginForm {
    #[serde(default)]
    identifiant: String,
    #[serde(default)]
    mot_de_passe: String,
    #[serde(default)]
    suite: String,
}

/// Only a local path may follow sign-in (never another site: open-redirect guard).
fn safe_next(suite: &str) -> Option<&str> {
    (suite.starts_with('/')
        && !suite.starts_with("//")
        && !suite.contains('\\')
        && !suite.starts_with("/connexion")
        && suite.len() <= 512)
        .then_some(suite)
}

fn login_error(code: &str, suite: &str) -> Response {
    let mut url = format!("/connexion?erreur={code}");
    if let Some(s) = safe_next(suite) {
        url.push_str("&suite=");
        url.push_str(&app::domain::recherche::encode_query_value(s));
    }
    Redirect::to(&url).into_response()
}

pub(crate) async fn recent_failures(
    state: &AppState,
    column: login_attempt::Column,
    value: &str,
) -> Result<u64, DbErr> {
    let since = Utc::now() - chrono::Duration::from_std(state.config.login_window()).unwrap_or_default();
    login_attempt::Entity::find()
        .filter(column.eq(value))
        .filter(login_attempt::Column::Success.eq(false))
        .filter(login_attempt::Column::At.gt(since))
        .count(&state.db)
        .await
}

/// POST /connexion.
pub async fn login(
    State(state): State<AppState>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    headers: HeaderMap,
    form: Result<Form<LoginForm>, axum::extract::rejection::FormRejection>,
) -> Response {
    // A body the form decoder refuses (a field given twice, say) is an incomplete form for the user.
    let Ok(Form(form)) = form else {
        return login_error("champs", "");
    };
    match try_login(&state, peer, &headers, form).await {
        Ok(r) => r,
        Err(e) => {
            tracing::error!(error = %e, "sign-in failed on a database error");
            login_error("indisponible", "")
        }
    }
}

async fn try_login(
    state: &AppState,
    peer: SocketAddr,
    headers: &HeaderMap,
    form: LoginForm,
) -> Result<Response, DbErr> {
    let identifiant: String = form.identifiant.trim().chars().take(64).collect();
    if identifiant.is_empty() || form.mot_de_passe.is_empty() {
        return Ok(login_error("champs", &form.suite));
    }
    let ip = peer.ip().to_string();
    let c = &state.config;
    if recent_failures(state, login_attempt::Column::Identifiant, &identifiant).await?
        >= c.login_max_failures_per_account
        || recent_failures(state, login_attempt::Column::Ip, &ip).await? >= c.login_max_failures_per_address
    {
        tracing::warn!(%identifiant, %ip, "sign-in throttled");
        return Ok(login_error("trop-de-tentatives", &form.suite));
    }
    let account =
        app_user::Entity::find().filter(app_user::Column::Identifiant.eq(identifiant.clone())).one(&state.db).await?;
    let password = form.mot_de_passe.clone();
    let phc = account.as_ref().map_or_else(|| passwords::dummy_hash().to_owned(), |a| a.password_hash.clone());
    // Argon2 is deliberately slow: keep it off the async workers.
    let matches = tokio::task::spawn_blocking(move || passwords::verify(&password, &phc)).await.unwrap_or(false);
    let account = account.filter(|a| matches && a.active);
    record_attempt(state, &identifiant, &ip, account.is_some()).await?;
    let Some(account) = account else {
        tracing::info!(%identifiant, %ip, "sign-in refused");
        return Ok(login_error("identifiants", &form.suite));
    };

    // A new session id at every sign-in; the one the browser had (if any) is ended.
    if let Some(old) = cookie_token(headers, cookie_name(c.https)) {
        user_session::Entity::delete_by_id(token_hash(&old)).exec(&state.db).await?;
    }
    let cookie = open_session(state, account.id).await?;
    tracing::info!(identifiant = %account.identifiant, "signed in");
    let next = match safe_next(&form.suite) {
        Some(s) => s.to_owned(),
        // Only the role decides the landing page: no territory name to read.
        None => auth_user_named(account.into(), None).map(|u| home_path(&u.role)).unwrap_or_else(|| "/".into()),
    };
    let mut res = Redirect::to(&next).into_response();
    res.headers_mut().insert(header::SET_COOKIE, cookie);
    Ok(res)
}

/// Starts a new sign-in session for `user_id`; returns the cookie to set.
pub(crate) async fn open_session(state: &AppState, user_id: i32) -> Result<HeaderValue, DbErr> {
    let token = new_token();
    let now = Utc::now();
    user_session::ActiveModel {
        token_hash: Set(token_hash(&token)),
        user_id: Set(user_id),
        created_at: Set(now),
        last_seen_at: Set(now),
        expires_at: Set(now + chrono::Duration::from_std(state.config.session_absolute()).unwrap_or_default()),
    }
    .insert(&state.db)
    .await?;
    Ok(session_cookie(state, &token, false))
}

/// Records a sign-in (or activation) attempt for throttling.
pub(crate) async fn record_attempt(state: &AppState, key: &str, ip: &str, success: bool) -> Result<(), DbErr> {
    login_attempt::ActiveModel {
        identifiant: Set(key.chars().take(64).collect()),
        ip: Set(ip.to_owned()),
        success: Set(success),
        at: Set(Utc::now()),
        ..Default::default()
    }
    .insert(&state.db)
    .await
    .map(|_| ())
}

/// POST /deconnexion: ends the session in the database and clears the cookie.
pub async fn logout(State(state): State<AppState>, headers: HeaderMap) -> Response {
    if let Some(token) = cookie_token(&headers, cookie_name(state.config.https))
        && let Err(e) = user_session::Entity::delete_by_id(token_hash(&token)).exec(&state.db).await
    {
        tracing::error!(error = %e, "could not end a session");
    }
    let mut res = Redirect::to("/connexion?deconnecte=1").into_response();
    res.headers_mut().insert(header::SET_COOKIE, session_cookie(&state, "", true));
    res
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_local_paths_may_follow_sign_in() {
        assert_eq!(safe_next("/sites/3"), Some("/sites/3"));
        assert_eq!(safe_next("//evil.example"), None);
        assert_eq!(safe_next("https://evil.example"), None);
        assert_eq!(safe_next("/\\evil.example"), None);
        assert_eq!(safe_next("/connexion?erreur=x"), None);
    }

    #[test]
    fn the_cookie_token_must_look_like_one_of_ours() {
        let mut h = HeaderMap::new();
        let token = "a".repeat(64);
        h.insert(header::COOKIE, HeaderValue::from_str(&format!("x=1; ceres_session={token}")).expect("hv"));
        assert_eq!(cookie_token(&h, "ceres_session"), Some(token));
        h.insert(header::COOKIE, HeaderValue::from_static("ceres_session=' OR 1=1 --"));
        assert_eq!(cookie_token(&h, "ceres_session"), None);
    }
}
