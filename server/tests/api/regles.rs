//! « Règles de délai »: the seeded rules, who changes them, who opens which relaxation window, refusals in French,
//! and the audit trail.

use app::db::entity::{audit_event, derogation, regle_delai};
use reqwest::StatusCode;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
use server::testing::Backend;

use crate::helpers::{Browser, start};
use crate::on_both_databases;

async fn page(b: &Browser) -> serde_json::Value {
    let r = b.call("regles", &[]).await;
    assert_eq!(r.status(), StatusCode::OK);
    r.json().await.expect("json")
}

async fn the_national_admin_changes_a_rule_and_it_is_audited(backend: Backend) {
    let srv = start(backend).await;
    let db = &srv.state.db;
    let admin = Browser::new(&srv);
    admin.sign_in("admin").await;
    let p = page(&admin).await;
    let codes: Vec<&str> =
        p["regles"].as_array().expect("rules").iter().map(|r| r["regle"]["code"].as_str().unwrap_or("")).collect();
    assert_eq!(codes, ["programmation_3_mois", "demande_dte_3_mois", "convocation_1_mois"]);
    assert_eq!(p["can_edit_rules"], true);
    let dte = regle_delai::Entity::find().filter(regle_delai::Column::Code.eq("demande_dte_3_mois")).one(db).await;
    let id = dte.expect("q").expect("rule").id.to_string();
    let change = |mois: &'static str, types: &'static str| {
        vec![
            ("id", id.clone()),
            ("input[delai_mois]", mois.to_owned()),
            ("input[delai_jours]", "15".to_owned()),
            ("input[types_session]", types.to_owned()),
            ("input[bloquante]", "false".to_owned()),
        ]
    };
    let call = async |b: &Browser, args: Vec<(&str, String)>| {
        let args: Vec<(&str, &str)> = args.iter().map(|(k, v)| (*k, v.as_str())).collect();
        b.call("regles/modifier", &args).await
    };

    let r = call(&admin, change("99", "titre")).await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.text().await.unwrap_or_default().contains("un nombre entier de 0 à 24"));
    let r = call(&admin, change("2", "")).await;
    assert!(r.text().await.unwrap_or_default().contains("au moins un type de session"));

    let occ = Browser::new(&srv);
    occ.sign_in("dreets-occ").await;
    assert_eq!(page(&occ).await["can_edit_rules"], false);
    assert_eq!(call(&occ, change("2", "titre")).await.status(), StatusCode::FORBIDDEN);

    let r = call(&admin, change("2", "titre,ccp")).await;
    assert_eq!(r.status(), StatusCode::OK);
    let row: serde_json::Value = r.json().await.expect("json");
    assert_eq!((row["regle"]["delai_mois"].as_u64(), row["regle"]["bloquante"].as_bool()), (Some(2), Some(false)));
    let events =
        audit_event::Entity::find().filter(audit_event::Column::ObjectType.eq("regle")).all(db).await.expect("q");
    let delai = events.iter().find(|e| e.field.as_deref() == Some("delai")).expect("delay audited");
    assert_eq!((delai.before.as_deref(), delai.after.as_deref()), (Some("3 mois"), Some("2 mois et 15 jours")));
    assert_eq!(events.len(), 3, "delay, types and effect: {events:?}");
    srv.stop().await;
}
on_both_databases!(the_national_admin_changes_a_rule_and_it_is_audited);

fn window(portee: &str, debut: &str, fin: &str) -> Vec<(&'static str, String)> {
    vec![
        ("input[nom]", "Assouplissement".to_owned()),
        ("input[portee]", portee.to_owned()),
        ("input[debut]", debut.to_owned()),
        ("input[fin]", fin.to_owned()),
        ("input[regles][0]", "demande_dte_3_mois".to_owned()),
        ("input[regles][1]", "convocation_1_mois".to_owned()),
        ("input[motif]", "Mise en service de CERES".to_owned()),
    ]
}

async fn open(b: &Browser, args: Vec<(&'static str, String)>) -> reqwest::Response {
    let args: Vec<(&str, &str)> = args.iter().map(|(k, v)| (*k, v.as_str())).collect();
    b.call("derogations", &args).await
}

async fn windows_are_opened_within_the_readers_scope(backend: Backend) {
    let srv = start(backend).await;
    let db = &srv.state.db;
    // The demo's own window (its history): a past national one.
    let demo = derogation::Entity::find().all(db).await.expect("q");
    assert_eq!(demo.len(), 1);
    let occ = Browser::new(&srv);
    occ.sign_in("dreets-occ").await;
    let portees = page(&occ).await["portees"].clone();
    assert_eq!(portees, serde_json::json!([["region:76", "Région Occitanie"]]));
    assert_eq!(open(&occ, window("nationale", "2019-02-11", "2019-04-10")).await.status(), StatusCode::FORBIDDEN);
    assert_eq!(open(&occ, window("region:75", "2019-02-11", "2019-04-10")).await.status(), StatusCode::FORBIDDEN);
    let r = open(&occ, window("region:76", "2019-04-10", "2019-02-11")).await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.text().await.unwrap_or_default().contains("La date de fin doit être postérieure"));
    let r = open(&occ, window("region:76", "2019-02-11", "2019-04-10")).await;
    assert_eq!(r.status(), StatusCode::OK, "{}", r.text().await.unwrap_or_default());

    let admin = Browser::new(&srv);
    admin.sign_in("admin").await;
    let r = open(&admin, window("nationale", "2019-02-11", "2019-04-10")).await;
    assert_eq!(r.status(), StatusCode::OK);
    let p = page(&admin).await;
    let listed: Vec<&str> =
        p["derogations"].as_array().expect("list").iter().map(|d| d["portee"].as_str().unwrap_or("")).collect();
    assert_eq!(listed.len(), 3);
    assert_eq!(listed.iter().filter(|p| **p == "Nationale").count(), 2, "{listed:?}");
    assert!(listed.contains(&"Région Occitanie"), "{listed:?}");
    assert_eq!(derogation::Entity::find().all(db).await.expect("q").len(), 3);
    let created =
        audit_event::Entity::find().filter(audit_event::Column::ObjectType.eq("derogation")).all(db).await.expect("q");
    assert_eq!(created.iter().filter(|e| e.field.as_deref() == Some("motif")).count(), 3);

    // A centre user sees none of it.
    let centre = Browser::new(&srv);
    centre.sign_in("centre-1630").await;
    assert_eq!(centre.call("regles", &[]).await.status(), StatusCode::FORBIDDEN);
    srv.stop().await;
}
on_both_databases!(windows_are_opened_within_the_readers_scope);
