//! « Enregistrer un centre » through the API, with the demo's file-backed registry.

use app::db::entity::{audit_event, centre};
use reqwest::StatusCode;
use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter};
use serde_json::Value;
use server::testing::Backend;

use crate::helpers::{Browser, fcmb_floirac_id, start};
use crate::on_both_databases;

const FCB_FLOIRAC: &str = "78184280200048";

async fn lookup(b: &Browser, siret: &str) -> Value {
    let r = b.call("enregistrement/apercu", &[("siret", siret)]).await;
    assert_eq!(r.status(), StatusCode::OK, "{siret}");
    r.json().await.expect("json")
}

async fn register(b: &Browser, siret: &str, type_centre: &str) -> reqwest::Response {
    b.call("enregistrement", &[("siret", siret), ("type_centre_id", type_centre), ("confirm_closed", "false")]).await
}

async fn a_dreets_agent_registers_a_centre_from_the_registry_then_transfers_to_it(backend: Backend) {
    let srv = start(backend).await;
    let db = &srv.state.db;
    let b = Browser::new(&srv);
    b.sign_in("dreets-naq").await;

    let found = lookup(&b, "781 842 802 00048").await;
    let company = &found["Found"]["company"];
    assert_eq!(company["raison_sociale"], "FEDERATION COMPAGNONNIQUE BATIMENT FLOIRAC");
    assert_eq!(company["commune"], "33270 - FLOIRAC");
    assert_eq!(company["closed"], false);
    assert!(found["Found"]["types"].as_array().is_some_and(|t| t.len() >= 5));
    let type_id = found["Found"]["types"][0]["id"].to_string();

    let r = register(&b, FCB_FLOIRAC, &type_id).await;
    assert_eq!(r.status(), StatusCode::OK);
    let id: i32 = r.json().await.expect("id");
    let created = centre::Entity::find_by_id(id).one(db).await.expect("q").expect("created");
    assert_eq!(created.raison_sociale, "FEDERATION COMPAGNONNIQUE BATIMENT FLOIRAC");
    assert_eq!((created.commune_code.as_str(), created.code_postal.as_str()), ("33167", "33270"));
    assert_eq!(created.registered_by_region.as_deref(), Some("75"));
    let events = audit_event::Entity::find()
        .filter(audit_event::Column::ObjectType.eq("centre"))
        .filter(audit_event::Column::ObjectId.eq(id))
        .count(db)
        .await
        .expect("n");
    assert_eq!(events, 1);
    let (_, html) = b.get_text(&format!("/centres/{id}")).await;
    assert!(html.contains("Centre FEDERATION COMPAGNONNIQUE BATIMENT FLOIRAC (78184280200048)"));

    // Registered once only.
    assert!(lookup(&b, FCB_FLOIRAC).await["AlreadyRegistered"]["centre_id"] == id);
    let r = register(&b, FCB_FLOIRAC, &type_id).await;
    assert_eq!(r.status(), StatusCode::CONFLICT);
    assert!(r.text().await.unwrap_or_default().contains("déjà enregistré"));

    // Procedure A ends: the orphan site goes to its centre.
    let site = fcmb_floirac_id(&b).await.to_string();
    let reprise = centre::Entity::find()
        .filter(centre::Column::Siret.eq("0000000000000"))
        .one(db)
        .await
        .expect("q")
        .expect("reprise");
    let r = b
        .call(
            "transfert",
            &[("site_id", site.as_str()), ("siret", FCB_FLOIRAC), ("expected_centre_id", &reprise.id.to_string())],
        )
        .await;
    assert_eq!(r.status(), StatusCode::OK);
    let (_, html) = b.get_text(&format!("/centres/{id}")).await;
    assert!(html.contains("FCMB- Floirac") && html.contains("Agrément accordé le 19/10/2018"));
    srv.stop().await;
}
on_both_databases!(a_dreets_agent_registers_a_centre_from_the_registry_then_transfers_to_it);

async fn bad_or_unknown_sirets_and_other_roles_are_refused(backend: Backend) {
    let srv = start(backend).await;
    let b = Browser::new(&srv);
    b.sign_in("admin").await;
    assert!(lookup(&b, "7818428020004").await["Refused"].as_str().unwrap_or_default().contains("14 chiffres"));
    assert!(lookup(&b, "00000000000000").await["Refused"].as_str().unwrap_or_default().contains("réservé"));
    // A valid SIRET that the registry does not know.
    let unknown = lookup(&b, "35600000049837").await;
    assert!(unknown["NotInRegistry"].as_str().unwrap_or_default().contains("inconnu du répertoire"), "{unknown}");
    assert_eq!(register(&b, "35600000049837", "1").await.status(), StatusCode::NOT_FOUND);
    // A centre already in CERES.
    assert!(lookup(&b, "53060076600022").await["AlreadyRegistered"]["raison_sociale"] == "16 30 FORMATION");
    // A type that does not exist.
    let r = register(&b, "38939456000020", "99999").await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.text().await.unwrap_or_default().contains("type de centre n'existe pas"));
    assert_eq!(
        centre::Entity::find()
            .filter(centre::Column::Siret.eq("38939456000020"))
            .count(&srv.state.db)
            .await
            .expect("n"),
        0
    );

    for who in ["ud-33", "centre-1630"] {
        let other = Browser::new(&srv);
        other.sign_in(who).await;
        assert_eq!(
            other.call("enregistrement/apercu", &[("siret", FCB_FLOIRAC)]).await.status(),
            StatusCode::FORBIDDEN
        );
        assert_eq!(register(&other, FCB_FLOIRAC, "1").await.status(), StatusCode::FORBIDDEN);
    }
    srv.stop().await;
}
on_both_databases!(bad_or_unknown_sirets_and_other_roles_are_refused);

async fn two_agents_registering_the_same_siret_create_one_centre(backend: Backend) {
    let srv = start(backend).await;
    let agents: Vec<Browser> = (0..2).map(|_| Browser::new(&srv)).collect();
    agents[0].sign_in("dreets-naq").await;
    agents[1].sign_in("admin").await;
    let (a, b) = tokio::join!(register(&agents[0], "38939456000020", "1"), register(&agents[1], "38939456000020", "1"));
    let mut statuses = [a.status(), b.status()];
    statuses.sort();
    assert_eq!(statuses, [StatusCode::OK, StatusCode::CONFLICT]);
    assert_eq!(
        centre::Entity::find()
            .filter(centre::Column::Siret.eq("38939456000020"))
            .count(&srv.state.db)
            .await
            .expect("n"),
        1
    );
    srv.stop().await;
}
on_both_databases!(two_agents_registering_the_same_siret_create_one_centre);
