//! « MODIFIER » on the représentant blocks: who may, what is refused and why, one transaction, audited per field.

use app::db::entity::{audit_event, centre, site};
use reqwest::StatusCode;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder};
use server::testing::Backend;

use crate::helpers::{Browser, fcmb_floirac_id, start};
use crate::on_both_databases;

fn rep<'a>(nom: &'a str, telephone: &'a str, email: &'a str) -> Vec<(&'static str, &'a str)> {
    vec![
        ("input[nom]", nom),
        ("input[prenom]", "Marie"),
        ("input[genre]", "Madame"),
        ("input[telephone]", telephone),
        ("input[email]", email),
    ]
}

async fn call(b: &Browser, endpoint: &str, id: &str, fields: Vec<(&'static str, &str)>) -> reqwest::Response {
    let mut args = vec![("id", id)];
    args.extend(fields);
    b.call(endpoint, &args).await
}

async fn a_centre_user_updates_its_representant_and_it_is_audited(backend: Backend) {
    let srv = start(backend).await;
    let db = &srv.state.db;
    let c = centre::Entity::find()
        .filter(centre::Column::Siret.eq("53060076600022"))
        .one(db)
        .await
        .expect("q")
        .expect("1630");
    let id = c.id.to_string();
    let b = Browser::new(&srv);
    b.sign_in("centre-1630").await;
    let (_, page) = b.get_text(&format!("/centres/{id}")).await;
    assert!(page.contains("representant-centre-modifier"), "the centre's own user has « Modifier »");

    let r = call(&b, "centre/representant", &id, rep("Dupont", "0466123456", "Marie.Dupont@16-30.fr")).await;
    assert_eq!(r.status(), StatusCode::OK);
    let saved: serde_json::Value = r.json().await.expect("json");
    assert_eq!(saved["telephone"], "04 66 12 34 56");
    assert_eq!(saved["email"], "marie.dupont@16-30.fr");
    let after = centre::Entity::find_by_id(c.id).one(db).await.expect("q").expect("c");
    assert_eq!((after.rep_nom.as_deref(), after.rep_genre.as_deref()), (Some("Dupont"), Some("Madame")));
    let events = audit_event::Entity::find()
        .filter(audit_event::Column::ObjectType.eq("centre"))
        .filter(audit_event::Column::ObjectId.eq(c.id))
        .order_by_asc(audit_event::Column::Id)
        .all(db)
        .await
        .expect("events");
    let fields: Vec<_> = events.iter().filter_map(|e| e.field.clone()).collect();
    assert_eq!(fields.len(), 5, "one event per changed field: {fields:?}");
    assert!(events.iter().all(|e| e.action == "modification" && e.role == "centre"));
    let tel = events.iter().find(|e| e.field.as_deref() == Some("representant.telephone")).expect("tel");
    assert_eq!((tel.before.as_deref(), tel.after.as_deref()), (None, Some("04 66 12 34 56")));

    // Saving the same values again writes nothing.
    call(&b, "centre/representant", &id, rep("Dupont", "04 66 12 34 56", "marie.dupont@16-30.fr")).await;
    let again = audit_event::Entity::find()
        .filter(audit_event::Column::ObjectId.eq(c.id))
        .filter(audit_event::Column::ObjectType.eq("centre"))
        .all(db)
        .await
        .expect("n");
    assert_eq!(again.len(), 5);
    srv.stop().await;
}
on_both_databases!(a_centre_user_updates_its_representant_and_it_is_audited);

async fn bad_values_are_explained_and_nothing_is_saved(backend: Backend) {
    let srv = start(backend).await;
    let db = &srv.state.db;
    let b = Browser::new(&srv);
    b.sign_in("dreets-naq").await;
    let site_id = fcmb_floirac_id(&b).await as i32;
    let r = call(&b, "site/representant", &site_id.to_string(), rep("<b>Dupont</b>", "123", "pas-une-adresse")).await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let body = r.text().await.unwrap_or_default();
    for reason in ["lettres, espaces", "10 chiffres", "n'est pas une adresse e-mail"] {
        assert!(body.contains(reason), "{reason} missing in {body}");
    }
    let s = site::Entity::find_by_id(site_id).one(db).await.expect("q").expect("site");
    assert_eq!(s.rep_nom, None, "nothing half-saved");
    // The same agent may edit the site (its région); the UD may not; nor another région's DREETS.
    assert_eq!(
        call(&b, "site/representant", &site_id.to_string(), rep("Dupont", "", "")).await.status(),
        StatusCode::OK
    );
    for who in ["ud-33", "dreets-occ", "centre-1630"] {
        let other = Browser::new(&srv);
        other.sign_in(who).await;
        assert_eq!(
            call(&other, "site/representant", &site_id.to_string(), rep("Intrus", "", "")).await.status(),
            StatusCode::FORBIDDEN,
            "{who}"
        );
    }
    let s = site::Entity::find_by_id(site_id).one(db).await.expect("q").expect("site");
    assert_eq!(s.rep_nom.as_deref(), Some("Dupont"));
    srv.stop().await;
}
on_both_databases!(bad_values_are_explained_and_nothing_is_saved);
