//! « Transférer le site »: only the DREETS of the site's région (or national), whatever is sent; the site moves
//! with its agréments and sessions in one transaction, audited once (concurrent transfers: `concurrency.rs`).

use app::db::entity::{agrement, audit_event, centre, exam_session, site};
use reqwest::StatusCode;
use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter};
use server::testing::Backend;

use crate::helpers::{Browser, fcmb_floirac_id, start};
use crate::on_both_databases;

const AFPA: &str = "82422814201098";

async fn transfer(b: &Browser, site: &str, siret: &str, expected: &str) -> reqwest::Response {
    b.call("transfert", &[("site_id", site), ("siret", siret), ("expected_centre_id", expected)]).await
}

async fn only_the_dreets_of_the_sites_region_may_transfer_it(backend: Backend) {
    let srv = start(backend).await;
    let naq = Browser::new(&srv);
    naq.sign_in("dreets-naq").await;
    let site = fcmb_floirac_id(&naq).await.to_string();
    let reprise = site::Entity::find_by_id(site.parse::<i32>().expect("id"))
        .one(&srv.state.db)
        .await
        .expect("q")
        .expect("site")
        .centre_id
        .to_string();

    // The DREETS of Occitanie sees no button and its forged requests are refused.
    let occ = Browser::new(&srv);
    occ.sign_in("dreets-occ").await;
    let (_, html) = occ.get_text(&format!("/sites/{site}")).await;
    assert!(html.contains("FCMB- Floirac") && !html.contains("id=\"transferer-site\""));
    assert_eq!(
        occ.call("transfert/apercu", &[("site_id", &site), ("siret", AFPA)]).await.status(),
        StatusCode::FORBIDDEN
    );
    assert_eq!(transfer(&occ, &site, AFPA, &reprise).await.status(), StatusCode::FORBIDDEN);
    for who in ["ud-33", "centre-1630"] {
        let b = Browser::new(&srv);
        b.sign_in(who).await;
        assert_eq!(transfer(&b, &site, AFPA, &reprise).await.status(), StatusCode::FORBIDDEN, "{who}");
    }
    // Anonymous: not even that.
    assert_eq!(transfer(&Browser::new(&srv), &site, AFPA, &reprise).await.status(), StatusCode::UNAUTHORIZED);

    let (_, html) = naq.get_text(&format!("/sites/{site}")).await;
    assert!(html.contains("id=\"transferer-site\""), "the DREETS of Nouvelle-Aquitaine has the button");
    let still =
        site::Entity::find_by_id(site.parse::<i32>().expect("id")).one(&srv.state.db).await.expect("q").expect("site");
    assert_eq!(still.centre_id.to_string(), reprise, "nothing moved");
    srv.stop().await;
}
on_both_databases!(only_the_dreets_of_the_sites_region_may_transfer_it);

async fn a_siret_that_no_centre_has_gets_the_support_note_message(backend: Backend) {
    let srv = start(backend).await;
    let b = Browser::new(&srv);
    b.sign_in("dreets-naq").await;
    let site = fcmb_floirac_id(&b).await.to_string();
    // The lookup answers (200) with what to tell the agent; only the transfer itself refuses.
    let lookup = async |siret: &str| {
        let r = b.call("transfert/apercu", &[("site_id", &site), ("siret", siret)]).await;
        assert_eq!(r.status(), StatusCode::OK, "{siret}");
        r.json::<serde_json::Value>().await.expect("json")
    };
    let unknown = lookup("78184280200048").await;
    let message = unknown["Unknown"].as_str().unwrap_or_default();
    assert!(message.contains("Le siret saisi ne correspond pas à un centre enregistré dans CERES"), "{unknown}");
    for (siret, why) in
        [("7818428020004", "14 chiffres"), ("78184280200049", "clé de contrôle"), ("0000000000000", "réservé")]
    {
        let refused = lookup(siret).await;
        assert!(refused["Refused"].as_str().unwrap_or_default().contains(why), "{siret}: {refused}");
    }
    // The transfer itself refuses them, and nothing moves.
    assert_eq!(transfer(&b, &site, "78184280200048", "1").await.status(), StatusCode::NOT_FOUND);
    assert_eq!(transfer(&b, &site, "78184280200049", "1").await.status(), StatusCode::UNPROCESSABLE_ENTITY);
    srv.stop().await;
}
on_both_databases!(a_siret_that_no_centre_has_gets_the_support_note_message);

async fn the_site_moves_with_its_agrements_and_sessions_and_is_audited(backend: Backend) {
    let srv = start(backend).await;
    let db = &srv.state.db;
    let b = Browser::new(&srv);
    b.sign_in("dreets-naq").await;
    let site_id = fcmb_floirac_id(&b).await as i32;
    let before = site::Entity::find_by_id(site_id).one(db).await.expect("q").expect("site");
    let afpa = centre::Entity::find().filter(centre::Column::Siret.eq(AFPA)).one(db).await.expect("q").expect("afpa");

    let r = b.call("transfert/apercu", &[("site_id", &site_id.to_string()), ("siret", "824 228 142 01098")]).await;
    assert_eq!(r.status(), StatusCode::OK);
    let preview: serde_json::Value = r.json().await.expect("json");
    let preview = &preview["Found"];
    assert_eq!(preview["raison_sociale"], "AGENCE NATIONALE POUR LA FORMATION PROFESSIONNELLE DES ADULTES");
    assert_eq!(preview["commune"], "44600 - SAINT NAZAIRE");
    assert_eq!(preview["agrements"], 5);
    assert_eq!(preview["sessions"], 2);

    let r = transfer(&b, &site_id.to_string(), AFPA, &before.centre_id.to_string()).await;
    assert_eq!(r.status(), StatusCode::OK);
    let done: serde_json::Value = r.json().await.expect("json");
    assert_eq!(done["centre_id"], afpa.id);
    assert_eq!(done["has_account"], false);

    let after = site::Entity::find_by_id(site_id).one(db).await.expect("q").expect("site");
    assert_eq!(after.centre_id, afpa.id);
    assert_eq!(agrement::Entity::find().filter(agrement::Column::SiteId.eq(site_id)).count(db).await.expect("n"), 5);
    assert_eq!(
        exam_session::Entity::find().filter(exam_session::Column::SiteId.eq(site_id)).count(db).await.expect("n"),
        2
    );
    // The new centre's page lists the site and its agréments; the search finds it under its new centre.
    let (_, html) = b.get_text(&format!("/centres/{}", afpa.id)).await;
    assert!(html.contains("FCMB- Floirac") && html.contains("Plaquiste-plâtrier"));
    let r = b.search_call("fcmb floirac").await;
    let hits: serde_json::Value = r.json().await.expect("json");
    assert_eq!(
        hits["sites"][0]["centre_raison_sociale"],
        "AGENCE NATIONALE POUR LA FORMATION PROFESSIONNELLE DES ADULTES"
    );

    let events = audit_event::Entity::find()
        .filter(audit_event::Column::ObjectType.eq("site"))
        .filter(audit_event::Column::ObjectId.eq(site_id))
        .all(db)
        .await
        .expect("events");
    assert_eq!(events.len(), 1);
    let e = &events[0];
    assert_eq!((e.action.as_str(), e.field.as_deref(), e.role.as_str()), ("transfert", Some("centre"), "dreets"));
    assert_eq!(e.before.as_deref(), Some("Centre de reprise (0000000000000)"));
    assert_eq!(
        e.after.as_deref(),
        Some("AGENCE NATIONALE POUR LA FORMATION PROFESSIONNELLE DES ADULTES (82422814201098)")
    );
    assert_eq!(e.scope.as_deref(), Some("region:75"));

    // Replaying the same request (the site is no longer where it was) is refused with a clear message.
    let r = transfer(&b, &site_id.to_string(), "53060076600022", &before.centre_id.to_string()).await;
    assert_eq!(r.status(), StatusCode::CONFLICT);
    assert!(r.text().await.unwrap_or_default().contains("vient d'être modifié par un autre agent"));
    srv.stop().await;
}
on_both_databases!(the_site_moves_with_its_agrements_and_sessions_and_is_audited);
