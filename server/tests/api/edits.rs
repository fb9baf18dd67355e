//! « MODIFIER » on the représentant blocks: who may, what is refused and why, one transaction, audited per field.

use app::db::entity::{audit_event, centre, site};
use reqwest::StatusCode;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder};
use server::testing::{Backend, TestServer};

use crate::helpers::{Browser, centre_by_siret, fcmb_floirac_id, shown, start};
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

/// The edit as the page sends it from a form opened just now (what it showed goes along as `avant`).
async fn call(
    srv: &TestServer,
    b: &Browser,
    endpoint: &str,
    id: &str,
    fields: Vec<(&'static str, &str)>,
) -> reqwest::Response {
    let shown = shown(&srv.state.db, endpoint, id.parse().expect("id")).await;
    let mut args: Vec<(&str, &str)> = vec![("id", id)];
    args.extend(shown.iter().map(|(k, v)| (k.as_str(), v.as_str())));
    args.extend(fields);
    b.call(endpoint, &args).await
}

async fn a_centre_user_updates_its_representant_and_it_is_audited(backend: Backend) {
    let srv = start(backend).await;
    let db = &srv.state.db;
    let c = centre_by_siret(db, "53060076600022").await;
    let id = c.id.to_string();
    let b = Browser::new(&srv);
    b.sign_in("centre-1630").await;
    let (_, page) = b.get_text(&format!("/centres/{id}")).await;
    assert!(page.contains("representant-centre-modifier"), "the centre's own user has « Modifier »");

    let r = call(&srv, &b, "centre/representant", &id, rep("Dupont", "0466123456", "Marie.Dupont@16-30.fr")).await;
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
    call(&srv, &b, "centre/representant", &id, rep("Dupont", "04 66 12 34 56", "marie.dupont@16-30.fr")).await;
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
    let r =
        call(&srv, &b, "site/representant", &site_id.to_string(), rep("<b>Dupont</b>", "123", "pas-une-adresse")).await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let body = r.text().await.unwrap_or_default();
    for reason in ["lettres, espaces", "10 chiffres", "n'est pas une adresse e-mail"] {
        assert!(body.contains(reason), "{reason} missing in {body}");
    }
    let s = site::Entity::find_by_id(site_id).one(db).await.expect("q").expect("site");
    assert_eq!(s.rep_nom, None, "nothing half-saved");
    // The same agent may edit the site (its région); the UD may not; nor another région's DREETS.
    assert_eq!(
        call(&srv, &b, "site/representant", &site_id.to_string(), rep("Dupont", "", "")).await.status(),
        StatusCode::OK
    );
    for who in ["ud-33", "dreets-occ", "centre-1630"] {
        let other = Browser::new(&srv);
        other.sign_in(who).await;
        assert_eq!(
            call(&srv, &other, "site/representant", &site_id.to_string(), rep("Intrus", "", "")).await.status(),
            StatusCode::FORBIDDEN,
            "{who}"
        );
    }
    let s = site::Entity::find_by_id(site_id).one(db).await.expect("q").expect("site");
    assert_eq!(s.rep_nom.as_deref(), Some("Dupont"));
    srv.stop().await;
}
on_both_databases!(bad_values_are_explained_and_nothing_is_saved);

fn identification<'a>(raison: &'a str, cp: &'a str, commune: &'a str) -> Vec<(&'static str, &'a str)> {
    vec![
        ("input[raison_sociale]", raison),
        ("input[adresse]", "RUE DU 19 MARS 1962 IMMEUBLE LE MUREL"),
        ("input[code_postal]", cp),
        ("input[commune_code]", commune),
        ("input[type_centre_id]", ""),
        ("input[reseau_id]", ""),
        ("input[commentaires]", "Accès PMR par la cour."),
    ]
}

async fn a_dreets_agent_of_the_centres_region_edits_its_identification(backend: Backend) {
    let srv = start(backend).await;
    let db = &srv.state.db;
    let c = centre_by_siret(db, "53060076600022").await;
    let id = c.id.to_string();

    // Only the national admin and the DREETS of a région where the centre has a site (Occitanie here).
    for (who, allowed) in [("dreets-naq", false), ("centre-1630", false), ("ud-30", false), ("dreets-occ", true)] {
        let b = Browser::new(&srv);
        b.sign_in(who).await;
        let (_, page) = b.get_text(&format!("/centres/{id}")).await;
        assert_eq!(page.contains("identification-modifier"), allowed, "{who}: « Modifier » shown?");
        let r = b.call("centre/identification/formulaire", &[("id", &id)]).await;
        assert_eq!(r.status() == StatusCode::OK, allowed, "{who}: form");
        let r = call(&srv, &b, "centre/identification", &id, identification("16 30 FORMATION", "30200", "30028")).await;
        assert_eq!(r.status() == StatusCode::OK, allowed, "{who}: save");
        if !allowed {
            assert_eq!(r.status(), StatusCode::FORBIDDEN, "{who}");
        }
    }
    let b = Browser::new(&srv);
    b.sign_in("dreets-occ").await;

    // Bad input: French sentences, nothing saved.
    for (fields, why) in [
        (identification(" ", "30200", "30028"), "Saisissez la raison sociale"),
        (identification("16 30 FORMATION", "3020", "30028"), "5 chiffres"),
        (identification("16 30 FORMATION", "30200", "33167"), "n'est pas desservie par le code postal 30200"),
    ] {
        let r = call(&srv, &b, "centre/identification", &id, fields).await;
        assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY, "{why}");
        assert!(r.text().await.unwrap_or_default().contains(why), "{why}");
    }

    let r =
        call(&srv, &b, "centre/identification", &id, identification("16 30 FORMATION GARD", "30200", "30028")).await;
    assert_eq!(r.status(), StatusCode::OK);
    let saved: serde_json::Value = r.json().await.expect("json");
    assert_eq!(saved["raison_sociale"], "16 30 FORMATION GARD");
    assert_eq!(saved["commentaires"], "Accès PMR par la cour.");
    let after = centre::Entity::find_by_id(c.id).one(db).await.expect("q").expect("c");
    assert_eq!(after.siret, "53060076600022", "the SIRET never changes");
    assert_eq!(after.type_centre_id, None);

    let events = audit_event::Entity::find()
        .filter(audit_event::Column::ObjectType.eq("centre"))
        .filter(audit_event::Column::ObjectId.eq(c.id))
        .all(db)
        .await
        .expect("events");
    let fields: Vec<String> = events.iter().filter_map(|e| e.field.clone()).collect();
    assert!(fields.contains(&"identification.raison_sociale".to_owned()), "{fields:?}");
    let name = events.iter().find(|e| e.field.as_deref() == Some("identification.raison_sociale")).expect("event");
    assert_eq!(
        (name.before.as_deref(), name.after.as_deref(), name.role.as_str()),
        (Some("16 30 FORMATION"), Some("16 30 FORMATION GARD"), "dreets")
    );
    assert!(events.iter().all(|e| e.field.as_deref() != Some("identification.code_postal")), "unchanged: not audited");

    // The search knows the new name at once, for the centre and for its sites. (Other demo centres match « formation
    // gard » too, by their name and their commune, and their order depends on the generated data: look for this one
    // in a whole page of each kind.)
    let named = |v: &serde_json::Value, list: &str, field: &str| {
        v[list].as_array().expect("list").iter().any(|e| e[field] == "16 30 FORMATION GARD")
    };
    let v: serde_json::Value = b.search_qs("q=formation+gard&portee=centres").await.json().await.expect("json");
    assert!(named(&v, "centres", "raison_sociale"), "{v}");
    let v: serde_json::Value = b.search_qs("q=formation+gard&portee=sites").await.json().await.expect("json");
    assert!(named(&v, "sites", "centre_raison_sociale"), "{v}");
    srv.stop().await;
}
on_both_databases!(a_dreets_agent_of_the_centres_region_edits_its_identification);
