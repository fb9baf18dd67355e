//! « Organismes de formation conventionnés »: the centre declares a convention from the training body's SIRET (the
//! registry names the body), updates it (the yearly avenant), every mistake is explained and nothing half-saved,
//! only the centre's own users may write, and every save is audited per field.

use app::db::entity::{audit_event, convention, convention_titre, titre};
use chrono::{Datelike, Duration, NaiveDate};
use reqwest::StatusCode;
use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder};
use server::testing::Backend;

use crate::helpers::{Browser, centre_by_siret, start};
use crate::on_both_databases;

/// Conventioned with the AFPA in the demo, not with 16 30 FORMATION (server/src/demo/conventions.rs).
const AFC: &str = "79344120500028";
/// Conventioned with 16 30 FORMATION in the demo.
const IMM: &str = "84213567500010";

async fn titre_id(db: &sea_orm::DatabaseConnection, code: &str) -> String {
    let t = titre::Entity::find().filter(titre::Column::Code.eq(code)).one(db).await.expect("q").expect(code);
    t.id.to_string()
}

fn iso(d: NaiveDate) -> String {
    app::domain::format::date_iso(d)
}

/// The arguments of one call: the centre, the convention (none for a new one), what the form showed, what it holds.
fn args(
    centre: &str,
    convention: Option<&str>,
    avant: &[(&'static str, String)],
    input: &[(&'static str, String)],
) -> Vec<(String, String)> {
    let mut out = vec![("centre_id".to_owned(), centre.to_owned())];
    if let Some(id) = convention {
        out.push(("convention_id".into(), id.to_owned()));
    }
    // `titres[0]` of the form is `input[titres][0]` of the call.
    let key = |arg: &str, k: &str| match k.split_once('[') {
        Some((name, index)) => format!("{arg}[{name}][{index}"),
        None => format!("{arg}[{k}]"),
    };
    out.extend(avant.iter().map(|(k, v)| (key("avant", k), v.clone())));
    out.extend(input.iter().map(|(k, v)| (key("input", k), v.clone())));
    out
}

async fn call(b: &Browser, args: &[(String, String)]) -> reqwest::Response {
    let pairs: Vec<(&str, &str)> = args.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
    b.call("centre/convention", &pairs).await
}

/// What a form holds: (field, value) pairs.
type Form = Vec<(&'static str, String)>;

/// A form's content: SIRET, titre ids, envoi, effet, the two forecasts.
fn form(siret: &str, titres: &[&str], envoi: NaiveDate, effet: NaiveDate, n: &str, n1: &str) -> Form {
    let mut f: Form = vec![("siret", siret.to_owned())];
    const KEYS: [&str; 4] = ["titres[0]", "titres[1]", "titres[2]", "titres[3]"];
    f.extend(titres.iter().zip(KEYS).map(|(t, k)| (k, (*t).to_owned())));
    f.extend([
        ("date_envoi_prefet", iso(envoi)),
        ("date_effet", iso(effet)),
        ("prevision_n", n.to_owned()),
        ("prevision_n1", n1.to_owned()),
    ]);
    f
}

/// The conventions a successful call answers (the body shown when it fails).
async fn saved(r: reqwest::Response) -> serde_json::Value {
    let status = r.status();
    let body = r.text().await.unwrap_or_default();
    assert_eq!(status, StatusCode::OK, "{body}");
    serde_json::from_str(&body).expect("json")
}

async fn convention_events(db: &sea_orm::DatabaseConnection) -> Vec<audit_event::Model> {
    audit_event::Entity::find()
        .filter(audit_event::Column::ObjectType.eq("convention"))
        .order_by_asc(audit_event::Column::Id)
        .all(db)
        .await
        .expect("events")
}

async fn a_centre_declares_a_convention_then_records_its_avenant(backend: Backend) {
    let srv = start(backend).await;
    let db = &srv.state.db;
    let today = chrono::Local::now().date_naive();
    let year = today.year();
    let c = centre_by_siret(db, "53060076600022").await;
    let centre = c.id.to_string();
    let b = Browser::new(&srv);
    b.sign_in("centre-1630").await;
    let (_, page) = b.get_text(&format!("/centres/{centre}")).await;
    assert!(page.contains("INSTITUT MEDITERRANEEN DES METIERS"), "the demo's convention is listed");
    assert!(page.contains(&format!("Avenant {} attendu avant le 01/01/{}", year + 1, year + 1)), "{page}");
    assert!(page.contains("convention-declarer"), "the centre's own user may declare one");

    let (cuisine, serveur) = (titre_id(db, "TP-01318").await, titre_id(db, "TP-00402").await);
    let (envoi, effet) = (today - Duration::days(30), today - Duration::days(10));
    let declared = form("793 441 205 00028", &[&cuisine], envoi, effet, "5", "7");
    let list = saved(call(&b, &args(&centre, None, &[], &declared)).await).await;
    let rows = list.as_array().expect("rows");
    assert_eq!(rows.len(), 2, "{list}");
    let afc = rows.iter().find(|r| r["siret"] == AFC).expect("the new convention");
    assert_eq!(afc["raison_sociale"], "ATELIERS FORMATION CEVENNES", "named by the registry");
    assert_eq!(afc["commune"], "30100 - ALES");
    assert!(afc["titres"][0]["libelle"].as_str().unwrap_or_default().starts_with("TP-01318 – "), "{afc}");
    assert_eq!((afc["annee"].as_i64(), afc["prevision_n"].as_i64()), (Some(i64::from(year)), Some(5)));
    assert_eq!(afc["avenant_attendu"], serde_json::Value::Null);
    let id = afc["id"].as_i64().expect("id").to_string();
    let stored = convention::Entity::find_by_id(id.parse::<i32>().expect("id")).one(db).await.expect("q").expect("row");
    assert_eq!((stored.centre_id, stored.date_effet, stored.commune_code.as_str()), (c.id, effet, "30007"));
    let events = convention_events(db).await;
    let fields: Vec<_> = events.iter().filter_map(|e| e.field.as_deref()).collect();
    assert_eq!(fields, ["siret", "titres", "date_envoi_prefet", "date_effet", "prevision_n", "prevision_n1"]);
    assert!(events.iter().all(|e| e.action == "declaration_convention" && e.user_id.is_some()));
    assert_eq!(events[1].after.as_deref(), Some("TP-01318"));

    // « Modifier »: one more titre and next year's forecast; only what changed is audited. The form shows what is
    // stored (the SIRET as 14 digits).
    let shown = form(AFC, &[&cuisine], envoi, effet, "5", "7");
    let updated = form(AFC, &[&cuisine, &serveur], envoi, effet, "5", "9");
    saved(call(&b, &args(&centre, Some(&id), &shown, &updated)).await).await;
    let after: Vec<_> = convention_events(db).await.into_iter().skip(events.len()).collect();
    let changed: Vec<_> = after.iter().map(|e| (e.field.as_deref(), e.before.as_deref(), e.after.as_deref())).collect();
    let n1 = (format!("{} : 7", year + 1), format!("{} : 9", year + 1));
    assert_eq!(
        changed,
        [
            (Some("titres"), Some("TP-01318"), Some("TP-00402, TP-01318")),
            (Some("prevision_n1"), Some(n1.0.as_str()), Some(n1.1.as_str())),
        ]
    );
    let links = convention_titre::Entity::find()
        .filter(convention_titre::Column::ConventionId.eq(id.parse::<i32>().expect("id")))
        .count(db)
        .await
        .expect("n");
    assert_eq!(links, 2);
    // A form opened before that update is refused, and so is changing the body; saving the same values writes nothing.
    let r = call(&b, &args(&centre, Some(&id), &shown, &form(AFC, &[&cuisine], envoi, effet, "1", "1"))).await;
    assert_eq!(r.status(), StatusCode::CONFLICT);
    assert!(r.text().await.unwrap_or_default().contains("viennent d'être modifiées"));
    let other = form(IMM, &[&cuisine, &serveur], envoi, effet, "5", "9");
    let r = call(&b, &args(&centre, Some(&id), &updated, &other)).await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.text().await.unwrap_or_default().contains("ne change pas"));
    let count = convention_events(db).await.len();
    saved(call(&b, &args(&centre, Some(&id), &updated, &updated)).await).await;
    assert_eq!(convention_events(db).await.len(), count, "nothing changed, nothing written");

    // The demo's convention gets its avenant: the forecasts now reach next year, and the reminder goes.
    let imm = convention::Entity::find()
        .filter(convention::Column::Siret.eq(IMM))
        .filter(convention::Column::CentreId.eq(c.id))
        .one(db)
        .await
        .expect("q")
        .expect("demo convention");
    // Declared last year (14 candidates then, 18 this year): its form shows this year's 18, next year's to fill in.
    let demo = form(IMM, &[&cuisine, &serveur], imm.date_envoi_prefet, imm.date_effet, "18", "");
    let avenant = form(IMM, &[&cuisine, &serveur], imm.date_envoi_prefet, imm.date_effet, "16", "20");
    saved(call(&b, &args(&centre, Some(&imm.id.to_string()), &demo, &avenant)).await).await;
    let (_, page) = b.get_text(&format!("/centres/{centre}")).await;
    assert!(!page.contains("attendu avant le"), "no avenant due any more");
    // A year later, the next one is due; every reader sees it, only the centre may act.
    let later = srv.replica_on(today + Duration::days(366)).await;
    let agent = Browser::new(&later);
    agent.sign_in("dreets-occ").await;
    let (_, page) = agent.get_text(&format!("/centres/{centre}")).await;
    let next = year + 2;
    assert!(page.contains(&format!("Avenant {next} attendu avant le 01/01/{next}")), "{page}");
    assert!(page.contains("ATELIERS FORMATION CEVENNES") && !page.contains("convention-declarer"));
    later.stop().await;
    srv.stop().await;
}
on_both_databases!(a_centre_declares_a_convention_then_records_its_avenant);

async fn bad_conventions_are_explained_and_nothing_is_saved(backend: Backend) {
    let srv = start(backend).await;
    let db = &srv.state.db;
    let today = chrono::Local::now().date_naive();
    let centre = centre_by_siret(db, "53060076600022").await.id.to_string();
    let b = Browser::new(&srv);
    b.sign_in("centre-1630").await;
    let cuisine = titre_id(db, "TP-01318").await;
    let afpa_only = titre_id(db, "TP-91248").await;
    let (envoi, effet) = (today - Duration::days(30), today - Duration::days(10));
    let before = convention::Entity::find().count(db).await.expect("n");
    let cases: Vec<(Form, StatusCode, &str)> = vec![
        (form(AFC, &[&cuisine], effet, envoi, "5", "7"), StatusCode::UNPROCESSABLE_ENTITY, "avant sa prise d'effet"),
        (
            form(AFC, &[&cuisine], today + Duration::days(1), today + Duration::days(9), "5", "7"),
            StatusCode::UNPROCESSABLE_ENTITY,
            "est dans le futur",
        ),
        (
            form("79344120500029", &[&cuisine], envoi, effet, "5", "7"),
            StatusCode::UNPROCESSABLE_ENTITY,
            "clé de contrôle",
        ),
        (form("", &[&cuisine], envoi, effet, "5", "7"), StatusCode::UNPROCESSABLE_ENTITY, "SIRET de l'organisme"),
        (
            form("53060076600022", &[&cuisine], envoi, effet, "5", "7"),
            StatusCode::UNPROCESSABLE_ENTITY,
            "centre lui-même",
        ),
        (
            form("73282932000074", &[&cuisine], envoi, effet, "5", "7"),
            StatusCode::UNPROCESSABLE_ENTITY,
            "inconnu du répertoire des entreprises",
        ),
        (form(AFC, &[&afpa_only], envoi, effet, "5", "7"), StatusCode::UNPROCESSABLE_ENTITY, "pas d'agrément en cours"),
        (form(AFC, &["999999"], envoi, effet, "5", "7"), StatusCode::UNPROCESSABLE_ENTITY, "n'existe plus"),
        (form(AFC, &[], envoi, effet, "5", "7"), StatusCode::UNPROCESSABLE_ENTITY, "au moins un titre"),
        (form(AFC, &[&cuisine], envoi, effet, "douze", "7"), StatusCode::UNPROCESSABLE_ENTITY, "un nombre entier"),
        (form(IMM, &[&cuisine], envoi, effet, "5", "7"), StatusCode::CONFLICT, "déjà une convention avec INSTITUT"),
    ];
    for (input, status, why) in cases {
        let r = call(&b, &args(&centre, None, &[], &input)).await;
        assert_eq!(r.status(), status, "{why}");
        let body = r.text().await.unwrap_or_default();
        assert!(body.contains(why) && body.contains("La convention n'a pas été enregistrée"), "{why}: {body}");
    }
    // Only the centre's own users may write: not the DREETS, the UD, the national admin, nor a visitor.
    let good = form(AFC, &[&cuisine], envoi, effet, "5", "7");
    for who in ["dreets-occ", "ud-30", "admin"] {
        let other = Browser::new(&srv);
        other.sign_in(who).await;
        assert_eq!(call(&other, &args(&centre, None, &[], &good)).await.status(), StatusCode::FORBIDDEN, "{who}");
    }
    let afpa = centre_by_siret(db, "82422814201098").await.id.to_string();
    assert_eq!(call(&b, &args(&afpa, None, &[], &good)).await.status(), StatusCode::FORBIDDEN, "another centre's");
    let visitor = Browser::new(&srv);
    assert_eq!(call(&visitor, &args(&centre, None, &[], &good)).await.status(), StatusCode::UNAUTHORIZED);
    assert_eq!(convention::Entity::find().count(db).await.expect("n"), before, "nothing half-saved");
    assert!(convention_events(db).await.is_empty());
    srv.stop().await;
}
on_both_databases!(bad_conventions_are_explained_and_nothing_is_saved);

/// When the registry does not answer, or says the body is closed, the user is told so and nothing is written (the
/// real HTTP client of the registry, against a local fake).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_registry_down_or_a_closed_body_is_explained_and_nothing_is_saved() {
    use crate::registry::{ELEGIA, client, elegia_json, fake};
    use app::auth::{AuthUser, Role};
    use app::db::conventions::{Cible, save};
    use app::domain::convention::ConventionInput;
    use app::error::AppError;
    use axum::response::IntoResponse;
    let srv = start(Backend::Sqlite).await;
    let db = &srv.state.db;
    let today = chrono::Local::now().date_naive();
    let c = centre_by_siret(db, "53060076600022").await;
    let user = app::db::entity::app_user::Entity::find()
        .filter(app::db::entity::app_user::Column::Identifiant.eq("centre-1630"))
        .one(db)
        .await
        .expect("q")
        .expect("demo account");
    let actor = AuthUser {
        id: user.id,
        identifiant: user.identifiant,
        nom_affiche: user.nom_affiche,
        role: Role::Centre { centre_id: c.id },
        perimetre: "16 30 FORMATION".into(),
    };
    let input = ConventionInput {
        siret: ELEGIA.into(),
        titres: vec![titre_id(db, "TP-01318").await.parse().expect("id")],
        date_envoi_prefet: iso(today - Duration::days(30)),
        date_effet: iso(today - Duration::days(10)),
        prevision_n: "5".into(),
        prevision_n1: "7".into(),
    };
    let before = convention::Entity::find().count(db).await.expect("n");
    let (down, _) = fake(|| (reqwest::StatusCode::INTERNAL_SERVER_ERROR, "boom").into_response()).await;
    let (closed, _) = fake(|| ([("content-type", "application/json")], elegia_json("F")).into_response()).await;
    for (base, why) in [(down, "ne répond pas"), (closed, "indique que ELEGIA est fermé")] {
        let answer = save(db, &client(&base), &actor, c.id, Cible::Nouvelle, &input, today).await.expect("db");
        match answer {
            Err(AppError::Invalide(m)) => assert!(m.contains(why) && m.contains("enregistré"), "{why}: {m}"),
            other => panic!("{why}: {other:?}"),
        }
    }
    assert_eq!(convention::Entity::find().count(db).await.expect("n"), before, "nothing saved");
    assert!(convention_events(db).await.is_empty());
    srv.stop().await;
}
