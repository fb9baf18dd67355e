//! Sign-in, sessions, throttling and the cross-origin guard.

use futures_util::FutureExt;
use reqwest::StatusCode;
use server::testing::Backend;

use crate::helpers::{Browser, location, start};
use crate::on_both_databases;

async fn an_anonymous_page_view_is_sent_to_sign_in(backend: Backend) {
    let srv = start(backend).await;
    let b = Browser::new(&srv);
    let r = b.get("/etablissements?q=floirac").await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    assert_eq!(location(&r), "/connexion?suite=%2Fetablissements%3Fq%3Dfloirac");
    let (status, html) = b.get_text("/connexion").await;
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains("Identifiant") && html.contains("Mot de passe") && html.contains("Se connecter"));
    srv.stop().await;
}
on_both_databases!(an_anonymous_page_view_is_sent_to_sign_in);

async fn signing_in_sets_a_strict_cookie_and_lands_on_the_role_page(backend: Backend) {
    let srv = start(backend).await;
    let b = Browser::new(&srv);
    let r = b.sign_in("dreets-naq").await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    assert_eq!(location(&r), "/etablissements");
    let cookie = r.headers().get("set-cookie").and_then(|v| v.to_str().ok()).unwrap_or_default().to_owned();
    assert!(cookie.starts_with("ceres_session="), "{cookie}");
    for attr in ["HttpOnly", "SameSite=Strict", "Path=/"] {
        assert!(cookie.contains(attr), "{attr} missing in {cookie}");
    }
    let (status, html) = b.get_text("/etablissements").await;
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains("DREETS Nouvelle-Aquitaine"), "the header names the user's territory");
    assert!(html.contains("Se déconnecter"));

    // A centre user lands on its own centre.
    let c = Browser::new(&srv);
    let r = c.sign_in("centre-1630").await;
    assert!(location(&r).starts_with("/centres/"), "{}", location(&r));
    srv.stop().await;
}
on_both_databases!(signing_in_sets_a_strict_cookie_and_lands_on_the_role_page);

async fn a_wrong_password_is_explained_in_french(backend: Backend) {
    let srv = start(backend).await;
    let b = Browser::new(&srv);
    let r = b.post_form("/connexion", &[("identifiant", "dreets-naq"), ("mot_de_passe", "faux"), ("suite", "")]).await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    assert_eq!(location(&r), "/connexion?erreur=identifiants");
    assert!(r.headers().get("set-cookie").is_none());
    let (_, html) = b.get_text(&location(&r)).await;
    assert!(html.contains("Identifiant ou mot de passe incorrect"), "{html}");
    // An unknown account gets the very same answer.
    let r = b.post_form("/connexion", &[("identifiant", "personne"), ("mot_de_passe", "x"), ("suite", "")]).await;
    assert_eq!(location(&r), "/connexion?erreur=identifiants");
    srv.stop().await;
}
on_both_databases!(a_wrong_password_is_explained_in_french);

async fn repeated_failures_lock_the_account_for_a_while(backend: Backend) {
    let srv = start(backend).await;
    let b = Browser::new(&srv);
    for _ in 0..5 {
        b.post_form("/connexion", &[("identifiant", "ud-33"), ("mot_de_passe", "mauvais"), ("suite", "")]).await;
    }
    // Even the right password is refused now.
    let r = b.sign_in("ud-33").await;
    assert_eq!(location(&r), "/connexion?erreur=trop-de-tentatives");
    let (status, html) = b.get_text(&location(&r)).await;
    assert_eq!(status, StatusCode::TOO_MANY_REQUESTS);
    assert!(html.contains("patientez 15 minutes"));
    // Another account from the same address is not locked by these five failures.
    let r = b.sign_in("ud-30").await;
    assert_eq!(location(&r), "/etablissements");
    srv.stop().await;
}
on_both_databases!(repeated_failures_lock_the_account_for_a_while);

async fn too_many_failures_from_one_address_are_throttled(backend: Backend) {
    let srv = start(backend).await;
    let b = Browser::new(&srv);
    for i in 0..20 {
        let who = format!("inconnu-{i}");
        b.post_form("/connexion", &[("identifiant", &who), ("mot_de_passe", "x"), ("suite", "")]).await;
    }
    let r = b.sign_in("admin").await;
    assert_eq!(location(&r), "/connexion?erreur=trop-de-tentatives");
    srv.stop().await;
}
on_both_databases!(too_many_failures_from_one_address_are_throttled);

async fn signing_out_ends_the_session_on_the_server(backend: Backend) {
    let srv = start(backend).await;
    let b = Browser::new(&srv);
    let r = b.sign_in("admin").await;
    let cookie = r.headers().get("set-cookie").and_then(|v| v.to_str().ok()).unwrap_or_default();
    let token = cookie.split(';').next().unwrap_or_default().to_owned();
    let r = b.post_form("/deconnexion", &[]).await;
    assert_eq!(location(&r), "/connexion?deconnecte=1");
    // Replaying the old cookie from elsewhere no longer works: the session is gone from the database.
    let other = reqwest::Client::builder().redirect(reqwest::redirect::Policy::none()).build().expect("client");
    let r = other.get(srv.url("/etablissements")).header("cookie", token).send().await.expect("GET");
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    srv.stop().await;
}
on_both_databases!(signing_out_ends_the_session_on_the_server);

async fn a_post_from_another_origin_is_refused(backend: Backend) {
    let srv = start(backend).await;
    let b = Browser::new(&srv);
    b.sign_in("admin").await;
    for origin in ["http://evil.example", "null"] {
        let r = b
            .client
            .post(srv.url("/api/etablissements"))
            .header("origin", origin)
            .form(&[("q", "floirac")])
            .send()
            .await
            .expect("POST");
        assert_eq!(r.status(), StatusCode::FORBIDDEN);
        assert!(r.text().await.unwrap_or_default().contains("ne provient pas de CERES"));
    }
    // No Origin and no Referer: refused too.
    let r = b.client.post(srv.url("/connexion")).form(&[("identifiant", "admin")]).send().await.expect("POST");
    assert_eq!(r.status(), StatusCode::FORBIDDEN);
    srv.stop().await;
}
on_both_databases!(a_post_from_another_origin_is_refused);

async fn server_functions_refuse_anonymous_callers_in_french(backend: Backend) {
    let srv = start(backend).await;
    let b = Browser::new(&srv);
    let r = b.search_call("floirac").await;
    assert_eq!(r.status(), StatusCode::UNAUTHORIZED);
    let body = r.text().await.unwrap_or_default();
    assert!(body.contains("NonConnecte"), "{body}");
    srv.stop().await;
}
on_both_databases!(server_functions_refuse_anonymous_callers_in_french);

async fn a_centre_user_cannot_read_another_centre_or_search(backend: Backend) {
    let srv = start(backend).await;
    let agent = Browser::new(&srv);
    agent.sign_in("admin").await;
    let site = crate::helpers::fcmb_floirac_id(&agent).await.to_string();

    let centre = Browser::new(&srv);
    let home = location(&centre.sign_in("centre-1630").await);
    let own_id = home.trim_start_matches("/centres/").to_owned();
    assert_eq!(centre.call("centre", &[("id", &own_id)]).await.status(), StatusCode::OK);
    assert_eq!(centre.call("site", &[("id", &site)]).await.status(), StatusCode::FORBIDDEN);
    assert_eq!(centre.search_call("").await.status(), StatusCode::FORBIDDEN);
    let other = (own_id.parse::<i64>().expect("id") + 1).to_string();
    assert_eq!(centre.call("centre", &[("id", &other)]).await.status(), StatusCode::FORBIDDEN);
    let (status, html) = centre.get_text(&format!("/centres/{other}")).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    assert!(html.contains("Vous n&#x27;avez pas les droits") || html.contains("Vous n'avez pas les droits"), "{html}");
    srv.stop().await;
}
on_both_databases!(a_centre_user_cannot_read_another_centre_or_search);

/// The `ceres_session=…` pair a response sets.
fn set_token(r: &reqwest::Response) -> String {
    let cookie = r.headers().get("set-cookie").and_then(|v| v.to_str().ok()).unwrap_or_default();
    cookie.split(';').next().unwrap_or_default().to_owned()
}

/// A page view with exactly this cookie, from a client that keeps none: 200 if the session lives.
/// The id of the account `identifiant`.
async fn user_id(db: &sea_orm::DatabaseConnection, identifiant: &str) -> i32 {
    use app::db::entity::app_user;
    use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
    app_user::Entity::find()
        .filter(app_user::Column::Identifiant.eq(identifiant))
        .one(db)
        .await
        .expect("q")
        .unwrap_or_else(|| panic!("no account {identifiant}"))
        .id
}

async fn page_with(srv: &server::testing::TestServer, token: &str) -> StatusCode {
    let client = reqwest::Client::builder().redirect(reqwest::redirect::Policy::none()).build().expect("client");
    client.get(srv.url("/etablissements")).header("cookie", token).send().await.expect("GET").status()
}

async fn sessions_rotate_at_sign_in_and_end_when_idle_or_too_old(backend: Backend) {
    use app::db::entity::user_session;
    use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, sea_query::Expr};
    let srv = start(backend).await;
    let db = &srv.state.db;
    let admin_id = user_id(db, "admin").await;
    let sessions_of_admin = async || {
        user_session::Entity::find().filter(user_session::Column::UserId.eq(admin_id)).all(db).await.expect("q")
    };

    // A cookie chosen before sign-in (session fixation) is never adopted: signing in issues a new id, and signing
    // in again replaces the previous session.
    let client = reqwest::Client::builder().redirect(reqwest::redirect::Policy::none()).build().expect("client");
    let fixed = "ceres_session=choisi-par-un-attaquant";
    let sign_in = async |cookie: &str| {
        client
            .post(srv.url("/connexion"))
            .header("origin", &srv.base)
            .header("cookie", cookie)
            .form(&[("identifiant", "admin"), ("mot_de_passe", "ceres-demo"), ("suite", "")])
            .send()
            .await
            .expect("POST")
    };
    let first = set_token(&sign_in(fixed).await);
    assert!(first.starts_with("ceres_session=") && first != fixed, "{first}");
    assert_eq!(page_with(&srv, fixed).await, StatusCode::SEE_OTHER);
    assert_eq!(page_with(&srv, &first).await, StatusCode::OK);
    let second = set_token(&sign_in(&first).await);
    assert_ne!(second, first, "a new id at each sign-in");
    assert_eq!(page_with(&srv, &first).await, StatusCode::SEE_OTHER, "the previous session is over");
    assert_eq!(page_with(&srv, &second).await, StatusCode::OK);
    assert_eq!(sessions_of_admin().await.len(), 1);

    // Idle: unused for longer than the idle timeout, the session ends and is deleted.
    let idle = chrono::Duration::from_std(srv.config.ceres.session_idle()).expect("idle");
    let now = chrono::Utc::now();
    user_session::Entity::update_many()
        .col_expr(user_session::Column::LastSeenAt, Expr::value(now - idle - chrono::Duration::minutes(1)))
        .filter(user_session::Column::UserId.eq(admin_id))
        .exec(db)
        .await
        .expect("age");
    assert_eq!(page_with(&srv, &second).await, StatusCode::SEE_OTHER);
    assert!(sessions_of_admin().await.is_empty(), "an idle session is deleted");

    // Absolute: even in constant use, a session ends at its absolute limit.
    let third = set_token(&sign_in("").await);
    assert_eq!(page_with(&srv, &third).await, StatusCode::OK);
    let session = sessions_of_admin().await.pop().expect("session");
    let absolute = chrono::Duration::from_std(srv.config.ceres.session_absolute()).expect("absolute");
    assert!((session.expires_at - session.created_at - absolute).num_seconds().abs() <= 1);
    user_session::Entity::update_many()
        .col_expr(user_session::Column::ExpiresAt, Expr::value(now - chrono::Duration::seconds(1)))
        .col_expr(user_session::Column::LastSeenAt, Expr::value(now))
        .filter(user_session::Column::UserId.eq(admin_id))
        .exec(db)
        .await
        .expect("expire");
    assert_eq!(page_with(&srv, &third).await, StatusCode::SEE_OTHER);
    assert!(sessions_of_admin().await.is_empty(), "an expired session is deleted");
    srv.stop().await;
}
on_both_databases!(sessions_rotate_at_sign_in_and_end_when_idle_or_too_old);

/// Each request reads its session, its account and the account's territory in one query: the header's label follows
/// the role, the idle clock moves on, and a session of an account switched off no longer opens anything.
async fn a_session_carries_its_role_and_territory_and_ends_with_its_account(backend: Backend) {
    use app::db::entity::{app_user, user_session};
    use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, sea_query::Expr};
    let srv = start(backend).await;
    let db = &srv.state.db;
    for (identifiant, perimetre) in [
        ("admin", "Administration nationale (DGEFP)"),
        ("dreets-naq", "DREETS Nouvelle-Aquitaine"),
        ("ud-33", "UD Gironde (33)"),
        ("centre-1630", "Centre 16 30 FORMATION"),
    ] {
        let b = Browser::new(&srv);
        b.sign_in(identifiant).await;
        let r = b.call("utilisateur", &[]).await;
        assert_eq!(r.status(), StatusCode::OK);
        let user: serde_json::Value = r.json().await.expect("json");
        assert_eq!(user["identifiant"], identifiant, "{user}");
        assert_eq!(user["perimetre"], perimetre, "{user}");
    }

    let b = Browser::new(&srv);
    b.sign_in("dreets-naq").await;
    let id = user_id(db, "dreets-naq").await;
    // Used again after more than a minute: its idle clock is reset.
    let before = chrono::Utc::now() - chrono::Duration::minutes(5);
    user_session::Entity::update_many()
        .col_expr(user_session::Column::LastSeenAt, Expr::value(before))
        .filter(user_session::Column::UserId.eq(id))
        .exec(db)
        .await
        .expect("age");
    assert_eq!(b.get("/etablissements").await.status(), StatusCode::OK);
    // (The loop above left another session of this account, untouched.)
    let seen = user_session::Entity::find().filter(user_session::Column::UserId.eq(id)).all(db).await.expect("q");
    assert_eq!(seen.iter().filter(|s| s.last_seen_at > before + chrono::Duration::minutes(4)).count(), 1, "{seen:?}");

    let switch = async |active: bool| {
        app_user::Entity::update_many()
            .col_expr(app_user::Column::Active, Expr::value(active))
            .filter(app_user::Column::Id.eq(id))
            .exec(db)
            .await
            .expect("switch");
    };
    switch(false).await;
    let r = b.get("/etablissements").await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER, "an account switched off: its session opens nothing");
    assert!(location(&r).starts_with("/connexion"), "{}", location(&r));
    let r = b.call("utilisateur", &[]).await;
    assert_eq!(r.json::<serde_json::Value>().await.expect("json"), serde_json::Value::Null, "nobody signed in");
    switch(true).await;
    assert_eq!(b.get("/etablissements").await.status(), StatusCode::OK);
    srv.stop().await;
}
on_both_databases!(a_session_carries_its_role_and_territory_and_ends_with_its_account);

/// The requests that arrive while a read of sessions runs share the next one (`server::batch`), each session its own,
/// and each request sees the sessions as they are when it arrives: here one was ended on another replica just before.
async fn requests_arriving_together_share_one_read_of_their_sessions(backend: Backend) {
    let one = start(backend).await;
    let two = one.replica().await;
    let mut signed_in = Vec::new();
    for identifiant in ["admin", "dreets-naq", "ud-33", "centre-1630"] {
        let pair = set_token(&Browser::new(&one).sign_in(identifiant).await);
        let token = pair.strip_prefix("ceres_session=").expect("a session cookie").to_owned();
        signed_in.push((token, Some(identifiant)));
    }
    let leaving = Browser::new(&one);
    let pair = set_token(&leaving.sign_in("dreets-naq").await);
    let r = leaving.on(&two).post_form("/deconnexion", &[]).await;
    assert_eq!(location(&r), "/connexion?deconnecte=1");
    signed_in.push((pair.strip_prefix("ceres_session=").expect("a session cookie").to_owned(), None));

    let sessions = &one.state.user_sessions;
    let before = sessions.reads();
    let now = chrono::Utc::now();
    let expected = (0..40).map(|i| signed_in[i % signed_in.len()].1);
    let mut lookups: Vec<_> = (0..40)
        .map(|i| Box::pin(server::auth::user_for_token(&one.state, &signed_in[i % signed_in.len()].0, now)))
        .collect();
    // 40 requests arrive while a read runs (held here, so that none can end before the last has arrived).
    let running = sessions.hold().await;
    for lookup in &mut lookups {
        assert!(lookup.as_mut().now_or_never().is_none(), "it waits for the read that runs");
    }
    assert_eq!(sessions.reads(), before);
    drop(running);
    let users = futures_util::future::join_all(lookups).await;
    for (expected, user) in expected.zip(users) {
        let user = user.expect("session read");
        assert_eq!(user.map(|u| u.identifiant).as_deref(), expected, "each request its own session");
    }
    assert_eq!(sessions.reads() - before, 1, "one read for the 40");

    // Alone, a request reads for itself.
    assert!(server::auth::user_for_token(&one.state, &signed_in[0].0, now).await.expect("read").is_some());
    assert_eq!(sessions.reads() - before, 2);
    two.stop().await;
    one.stop().await;
}
on_both_databases!(requests_arriving_together_share_one_read_of_their_sessions);
