//! 100 concurrent conflicting operations on one object, on SQLite and PostgreSQL: transfers of one site to 100
//! different centres, 100 DTE requests on one session, 100 edits of one centre's représentant and of its
//! identification, each made from a form showing the same values. Exactly one wins; every loser gets a French
//! message saying what happened and what to do; the final state is consistent; the winning change is in the
//! audit trail exactly once and the chain still verifies.

use app::db::entity::{agrement, audit_event, centre, demande_dte, exam_session, site};
use app::error::AppError;
use chrono::NaiveDate;
use reqwest::StatusCode;
use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter};
use server::testing::{Backend, TestServer};

use crate::helpers::{Browser, SMALL, centre_by_siret, fcmb_floirac_id, shown, start};
use crate::on_both_databases;

const N: usize = 100;

/// One call: who sends it, to which server function, with which arguments.
type Call = (Browser, &'static str, Vec<(String, String)>);

/// Sends every request at once (one task each) and returns each one's status and French message.
async fn all_at_once(calls: Vec<Call>) -> Vec<(StatusCode, String)> {
    let mut tasks = tokio::task::JoinSet::new();
    for (i, (b, endpoint, args)) in calls.into_iter().enumerate() {
        tasks.spawn(async move {
            let pairs: Vec<(&str, &str)> = args.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
            let r = b.call(endpoint, &pairs).await;
            let status = r.status();
            let text = r.text().await.unwrap_or_default();
            let message = serde_json::from_str::<AppError>(&text).map(|e| e.to_string()).unwrap_or(text);
            (i, status, message)
        });
    }
    let mut out = tasks.join_all().await;
    out.sort_by_key(|(i, _, _)| *i);
    out.into_iter().map(|(_, s, m)| (s, m)).collect()
}

/// Exactly one success; every other answer a 409 with `why` in its message. Returns the winner's index.
fn one_winner(answers: &[(StatusCode, String)], why: &str) -> usize {
    let winners: Vec<usize> = (0..answers.len()).filter(|i| answers[*i].0 == StatusCode::OK).collect();
    assert_eq!(winners.len(), 1, "one winner: {answers:?}");
    for (status, message) in answers.iter().filter(|(s, _)| *s != StatusCode::OK) {
        assert_eq!(*status, StatusCode::CONFLICT, "{message}");
        assert!(message.contains(why), "the loser is told what happened: {message}");
    }
    winners[0]
}

async fn audit_count(srv: &TestServer, object_type: &str, id: i32, action: &str) -> u64 {
    audit_event::Entity::find()
        .filter(audit_event::Column::ObjectType.eq(object_type))
        .filter(audit_event::Column::ObjectId.eq(id))
        .filter(audit_event::Column::Action.eq(action))
        .count(&srv.state.db)
        .await
        .expect("count")
}

async fn chain_verifies(srv: &TestServer) {
    let report = app::db::audit::verify_chain(&srv.state.db).await.expect("verify");
    assert_eq!(report.first_break, None, "{report:?}");
}

async fn signed_in(srv: &TestServer, login: &str) -> Browser {
    let b = Browser::new(srv);
    b.sign_in(login).await;
    b
}

async fn transfers_of_one_site_to_100_centres(backend: Backend) {
    let srv = start(backend).await;
    let db = &srv.state.db;
    let admin = signed_in(&srv, "admin").await;
    let naq = signed_in(&srv, "dreets-naq").await;
    let site_id = fcmb_floirac_id(&admin).await as i32;
    let from = site::Entity::find_by_id(site_id).one(db).await.expect("q").expect("site").centre_id;
    let agrements = agrement::Entity::find().filter(agrement::Column::SiteId.eq(site_id)).count(db).await.expect("n");
    let sessions =
        exam_session::Entity::find().filter(exam_session::Column::SiteId.eq(site_id)).count(db).await.expect("n");
    assert!(agrements > 0 && sessions > 0, "the site has agréments and sessions to move");
    let targets: Vec<centre::Model> =
        centre::Entity::find().filter(centre::Column::Id.ne(from)).all(db).await.expect("centres");
    assert!(targets.len() >= N);

    let calls = targets[..N]
        .iter()
        .enumerate()
        .map(|(i, c)| {
            let b = if i % 2 == 0 { admin.clone() } else { naq.clone() };
            let args = vec![
                ("site_id".to_owned(), site_id.to_string()),
                ("siret".to_owned(), c.siret.clone()),
                ("expected_centre_id".to_owned(), from.to_string()),
            ];
            (b, "transfert", args)
        })
        .collect();
    let answers = all_at_once(calls).await;
    let winner = one_winner(&answers, "vient d'être modifié par un autre agent");

    // The site is with the winner's centre, with all its agréments and sessions; moved once, audited once.
    let now = site::Entity::find_by_id(site_id).one(db).await.expect("q").expect("site");
    assert_eq!(now.centre_id, targets[winner].id);
    assert_eq!(
        agrement::Entity::find().filter(agrement::Column::SiteId.eq(site_id)).count(db).await.expect("n"),
        agrements
    );
    assert_eq!(
        exam_session::Entity::find().filter(exam_session::Column::SiteId.eq(site_id)).count(db).await.expect("n"),
        sessions
    );
    assert_eq!(audit_count(&srv, "site", site_id, "transfert").await, 1);
    chain_verifies(&srv).await;
    srv.stop().await;
}
on_both_databases!(transfers_of_one_site_to_100_centres);

async fn dte_requests_on_one_session(backend: Backend) {
    let srv = TestServer::start_with(backend, SMALL, |c| {
        c.ceres.fixed_date = Some(NaiveDate::from_ymd_opt(2019, 1, 2).expect("date"))
    })
    .await;
    let id = srv.insert_session("53060076600022", NaiveDate::from_ymd_opt(2019, 6, 3).expect("date")).await;
    let centre = signed_in(&srv, "centre-1630").await;
    let calls = (0..N)
        .map(|i| {
            let args = vec![
                ("session_id".to_owned(), id.to_string()),
                ("input[nombre_candidats]".to_owned(), (i % 20 + 1).to_string()),
                ("input[date_reception_plis]".to_owned(), "2019-05-20".to_owned()),
                ("input[commentaires]".to_owned(), format!("Demande n° {i}")),
            ];
            (centre.clone(), "session/dte", args)
        })
        .collect();
    let answers = all_at_once(calls).await;
    let winner = one_winner(&answers, "déjà");

    let requests =
        demande_dte::Entity::find().filter(demande_dte::Column::SessionId.eq(id)).all(&srv.state.db).await.expect("q");
    assert_eq!(requests.len(), 1, "no duplicate DTE request");
    assert_eq!(requests[0].commentaires.as_deref(), Some(format!("Demande n° {winner}").as_str()));
    // One request: its fields are audited once each (one event per field, as for any change).
    let events = audit_event::Entity::find()
        .filter(audit_event::Column::ObjectType.eq("session"))
        .filter(audit_event::Column::ObjectId.eq(id))
        .filter(audit_event::Column::Action.eq("demande_dte"))
        .all(&srv.state.db)
        .await
        .expect("events");
    let nombre: Vec<_> = events.iter().filter(|e| e.field.as_deref() == Some("dte.nombre_candidats")).collect();
    assert_eq!(nombre.len(), 1, "the request is audited once");
    assert_eq!(nombre[0].after, Some((winner % 20 + 1).to_string()));
    chain_verifies(&srv).await;
    srv.stop().await;
}
on_both_databases!(dte_requests_on_one_session);

/// 100 distinct surnames: « Martin-Aa » … « Martin-Dv ».
fn surname(i: usize) -> String {
    let letter = |n: usize| char::from(b'a' + (n % 26) as u8);
    format!("Martin-{}{}", letter(i / 26).to_ascii_uppercase(), letter(i))
}

async fn edits_of_one_centre_from_forms_showing_the_same_values(backend: Backend) {
    let srv = start(backend).await;
    let db = &srv.state.db;
    let c = centre_by_siret(db, "53060076600022").await;
    let own = signed_in(&srv, "centre-1630").await;
    let occ = signed_in(&srv, "dreets-occ").await;
    let admin = signed_in(&srv, "admin").await;

    // The représentant: the centre's own user and the DREETS of Occitanie, each from a form opened before any save.
    let avant = shown(db, "centre/representant", c.id).await;
    let calls = (0..N)
        .map(|i| {
            let b = if i % 2 == 0 { own.clone() } else { occ.clone() };
            let mut args = vec![("id".to_owned(), c.id.to_string())];
            args.extend(avant.clone());
            args.extend([
                ("input[nom]".to_owned(), surname(i)),
                ("input[prenom]".to_owned(), "Claire".to_owned()),
                ("input[genre]".to_owned(), "Madame".to_owned()),
                ("input[telephone]".to_owned(), "0466000000".to_owned()),
                ("input[email]".to_owned(), String::new()),
            ]);
            (b, "centre/representant", args)
        })
        .collect();
    let answers = all_at_once(calls).await;
    let winner = one_winner(&answers, "viennent d'être modifiées par quelqu'un d'autre");
    let stored = centre::Entity::find_by_id(c.id).one(db).await.expect("q").expect("c");
    assert_eq!(stored.rep_nom, Some(surname(winner)));
    let nom_events = audit_event::Entity::find()
        .filter(audit_event::Column::ObjectType.eq("centre"))
        .filter(audit_event::Column::ObjectId.eq(c.id))
        .filter(audit_event::Column::Field.eq("representant.nom"))
        .all(db)
        .await
        .expect("events");
    assert_eq!(nom_events.len(), 1, "the change is audited once");
    assert_eq!(nom_events[0].after, Some(surname(winner)));

    // The identification: the DREETS of Occitanie and the national admin.
    let avant = shown(db, "centre/identification", c.id).await;
    let calls = (0..N)
        .map(|i| {
            let b = if i % 2 == 0 { occ.clone() } else { admin.clone() };
            let mut args = vec![("id".to_owned(), c.id.to_string())];
            args.extend(avant.clone());
            let mut input: Vec<(String, String)> = avant
                .iter()
                .map(|(k, v)| (k.replacen("avant[", "input[", 1), v.clone()))
                .filter(|(k, _)| k != "input[commentaires]")
                .collect();
            input.push(("input[commentaires]".to_owned(), format!("Consigne d'accueil n° {i}")));
            args.extend(input);
            (b, "centre/identification", args)
        })
        .collect();
    let answers = all_at_once(calls).await;
    let winner = one_winner(&answers, "viennent d'être modifiées par quelqu'un d'autre");
    let stored = centre::Entity::find_by_id(c.id).one(db).await.expect("q").expect("c");
    assert_eq!(stored.commentaires, Some(format!("Consigne d'accueil n° {winner}")));
    let events = audit_event::Entity::find()
        .filter(audit_event::Column::ObjectType.eq("centre"))
        .filter(audit_event::Column::ObjectId.eq(c.id))
        .filter(audit_event::Column::Field.eq("identification.commentaires"))
        .count(db)
        .await
        .expect("n");
    assert_eq!(events, 1);
    chain_verifies(&srv).await;

    // A form opened before a save is refused once the save is in: nothing is overwritten unseen.
    let mut args: Vec<(String, String)> = vec![("id".to_owned(), c.id.to_string())];
    args.extend(avant.iter().cloned());
    args.extend(avant.iter().map(|(k, v)| (k.replacen("avant[", "input[", 1), v.clone())));
    let pairs: Vec<(&str, &str)> = args.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
    assert_eq!(occ.call("centre/identification", &pairs).await.status(), StatusCode::CONFLICT);
    srv.stop().await;
}
on_both_databases!(edits_of_one_centre_from_forms_showing_the_same_values);
