//! Session lists are narrowed to each role's territory; validation and administration to their roles.

use reqwest::StatusCode;
use serde_json::Value;
use server::testing::Backend;

use crate::helpers::{Browser, start};
use crate::on_both_databases;

async fn rows(b: &Browser, endpoint: &str, args: &[(&str, &str)]) -> Value {
    let r = b.call(endpoint, args).await;
    assert_eq!(r.status(), StatusCode::OK, "{endpoint}");
    r.json().await.expect("json")
}

/// All pages of the sessions list of a user.
async fn all_sessions(b: &Browser) -> Vec<Value> {
    let mut out = Vec::new();
    for page in 1.. {
        let list = rows(b, "sessions", &[("filtre[statut]", ""), ("page", &page.to_string())]).await;
        let batch = list["rows"].as_array().cloned().unwrap_or_default();
        out.extend(batch);
        if page >= list["total"].as_u64().unwrap_or(0).div_ceil(50) {
            break;
        }
    }
    out
}

async fn each_role_sees_the_sessions_of_its_territory_only(backend: Backend) {
    let srv = start(backend).await;

    let centre = Browser::new(&srv);
    centre.sign_in("centre-1630").await;
    let own = all_sessions(&centre).await;
    assert_eq!(own.len(), 6, "the six sessions of 16 30 FORMATION");
    assert!(own.iter().all(|s| s["site_nom"] == "16 30 FORMATION – Bagnols-sur-Cèze"));

    let ud = Browser::new(&srv);
    ud.sign_in("ud-30").await;
    let gard = all_sessions(&ud).await;
    assert!(gard.len() >= 6);
    assert!(gard.iter().all(|s| s["commune"].as_str().unwrap_or_default().starts_with("30")), "Gard only");

    // Nouvelle-Aquitaine: postal codes of its twelve départements.
    let dreets = Browser::new(&srv);
    dreets.sign_in("dreets-naq").await;
    let naq = all_sessions(&dreets).await;
    assert!(!naq.is_empty());
    let naq_departements = ["16", "17", "19", "23", "24", "33", "40", "47", "64", "79", "86", "87"];
    for s in &naq {
        let cp = s["commune"].as_str().unwrap_or_default();
        assert!(naq_departements.iter().any(|d| cp.starts_with(d)), "{cp} is not in Nouvelle-Aquitaine");
    }
    assert!(naq.iter().any(|s| s["site_nom"] == "FCMB- Floirac"), "the orphan site's sessions are the région's");

    let admin = Browser::new(&srv);
    admin.sign_in("admin").await;
    let national =
        rows(&admin, "sessions", &[("filtre[statut]", ""), ("page", "1")]).await["total"].as_u64().unwrap_or(0);
    assert!(national > gard.len() as u64 + naq.len() as u64);
    srv.stop().await;
}
on_both_databases!(each_role_sees_the_sessions_of_its_territory_only);

async fn the_state_filter_narrows_and_a_wrong_state_is_explained(backend: Backend) {
    let srv = start(backend).await;
    let b = Browser::new(&srv);
    b.sign_in("admin").await;
    let validated = rows(&b, "sessions", &[("filtre[statut]", "validee"), ("page", "1")]).await;
    assert!(validated["total"].as_u64().unwrap_or(0) > 0);
    assert!(validated["rows"].as_array().into_iter().flatten().all(|s| s["statut"] == "Validee"));
    let r = b.call("sessions", &[("filtre[statut]", "n'importe quoi"), ("page", "1")]).await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.text().await.unwrap_or_default().contains("n'est pas un statut de session"));
    let (status, html) = b.get_text("/sessions?statut=validee").await;
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains("Validée") && html.contains("id=\"table-sessions\""));
    // The national list has pages: « Page précédente » and « Page suivante » lead to the same path as the page,
    // yet only « Page 2 sur N » is the current one (aria-current, drawn by the DSFR as the selected page).
    let (_, html) = b.get_text("/sessions?page=2").await;
    let nav = &html[html.find("class=\"fr-pagination\"").expect("the national list has pages")..];
    let nav = &nav[..nav.find("</nav>").expect("end of the pagination")];
    assert!(nav.contains("href=\"/sessions\"") && nav.contains("href=\"/sessions?page=3\""), "{nav}");
    assert_eq!(nav.matches("aria-current").count(), 1, "{nav}");
    let current = &nav[nav.find("aria-current=\"page\"").expect("the current page")..];
    assert!(current[..current.find("</a>").expect("end of the link")].contains(">Page 2 sur "), "{nav}");
    srv.stop().await;
}
on_both_databases!(the_state_filter_narrows_and_a_wrong_state_is_explained);

async fn validation_and_administration_belong_to_their_roles(backend: Backend) {
    let srv = start(backend).await;
    let ud = Browser::new(&srv);
    ud.sign_in("ud-30").await;
    let pending = rows(&ud, "validation", &[("page", "1"), ("hors_delai", "false")]).await;
    let list = pending["rows"].as_array().cloned().unwrap_or_default();
    assert!(!list.is_empty(), "16 30 FORMATION has a session with results entered");
    assert!(list.iter().all(|s| s["statut"] == "ResultatsSaisis"));
    assert_eq!(ud.call("titres", &[]).await.status(), StatusCode::FORBIDDEN);

    let centre = Browser::new(&srv);
    centre.sign_in("centre-1630").await;
    assert_eq!(
        centre.call("validation", &[("page", "1"), ("hors_delai", "false")]).await.status(),
        StatusCode::FORBIDDEN
    );
    let (status, _) = centre.get_text("/validation").await;
    assert_eq!(status, StatusCode::FORBIDDEN);

    let admin = Browser::new(&srv);
    admin.sign_in("admin").await;
    let (status, html) = admin.get_text("/administration").await;
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains("TP-01318") && html.contains("CP-003056 Assurer les travaux administratifs"));
    let nav = |html: &str| {
        ["Établissements", "Sessions", "Validation", "Administration"].map(|l| html.contains(&format!(">{l}<")))
    };
    assert_eq!(nav(&html), [true; 4]);
    let (_, centre_home) = centre.get_text("/sessions").await;
    assert_eq!(nav(&centre_home), [false, true, false, false]);
    srv.stop().await;
}
on_both_databases!(validation_and_administration_belong_to_their_roles);

async fn the_ud_filters_sessions_with_late_entries(backend: Backend) {
    use app::db::entity::{audit_event, exam_session};
    use sea_orm::{ActiveModelTrait, EntityTrait, Set};
    let srv = start(backend).await;
    let db = &srv.state.db;
    let ids = |v: &serde_json::Value| -> Vec<i64> {
        v["rows"].as_array().cloned().unwrap_or_default().iter().filter_map(|r| r["id"].as_i64()).collect()
    };
    let ud = Browser::new(&srv);
    ud.sign_in("ud-30").await;
    // The demo's own late entries (its history), before ours.
    let demo_late = ids(&rows(&ud, "validation", &[("page", "1"), ("hors_delai", "true")]).await);
    let id = srv.insert_session("53060076600022", chrono::NaiveDate::from_ymd_opt(2019, 4, 20).expect("date")).await;
    let mut s: exam_session::ActiveModel =
        exam_session::Entity::find_by_id(id).one(db).await.expect("q").expect("s").into();
    s.statut = Set("resultats_saisis".into());
    s.update(db).await.expect("update");
    audit_event::ActiveModel {
        at: Set(chrono::Utc::now()),
        user_id: Set(None),
        role: Set("centre".into()),
        scope: Set(None),
        object_type: Set("session".into()),
        object_id: Set(id),
        action: Set("demande_dte".into()),
        field: Set(None),
        before: Set(None),
        after: Set(None),
        hors_delai: Set(true),
        regle_code: Set(Some("demande_dte_3_mois".into())),
        derogation_id: Set(None),
        ..Default::default()
    }
    .insert(db)
    .await
    .expect("event");

    let all = rows(&ud, "validation", &[("page", "1"), ("hors_delai", "false")]).await;
    let late = rows(&ud, "validation", &[("page", "1"), ("hors_delai", "true")]).await;
    let mut expected = demo_late.clone();
    expected.push(i64::from(id));
    let mut got = ids(&late);
    got.sort_unstable();
    expected.sort_unstable();
    assert_eq!(got, expected, "the sessions with a late entry: the demo's and ours");
    assert!(ids(&late).iter().all(|l| ids(&all).contains(l)), "the late ones are among all of them");
    assert!(late["rows"].as_array().into_iter().flatten().all(|r| r["hors_delai"] == true));
    let (_, html) = ud.get_text("/validation?hors_delai=1").await;
    assert!(html.contains("Saisies hors délai") && html.contains("TITRE_T_2019_"), "the page renders the filter");
    // The chosen filter is pressed; neither is « the current page ».
    let tags = &html[html.find("id=\"filtre-toutes\"").expect("filters")..];
    let tags = &tags[..tags.find("</ul>").expect("end of the filters")];
    assert!(!tags.contains("aria-current"), "{tags}");
    assert!(tags.contains("id=\"filtre-hors-delai\" aria-pressed=\"true\""), "{tags}");
    // The sessions export flags them too, and only them.
    let flagged: Vec<&str> =
        late["rows"].as_array().into_iter().flatten().filter_map(|r| r["identifiant"].as_str()).collect();
    let csv = csv_rows(&ud, "/sessions/export.csv?statut=resultats_saisis").await;
    assert_eq!(csv.len() as u64 - 1, all["total"].as_u64().expect("total"));
    for line in &csv[1..] {
        assert_eq!(line[16], if flagged.contains(&line[0].as_str()) { "oui" } else { "non" }, "{}", line[0]);
    }
    srv.stop().await;
}
on_both_databases!(the_ud_filters_sessions_with_late_entries);

/// The rows of a CSV export (fields split on `;`; the demo data quotes none), header first.
async fn csv_rows(b: &Browser, path: &str) -> Vec<Vec<String>> {
    let r = b.get(path).await;
    assert_eq!(r.status(), StatusCode::OK, "{path}");
    assert_eq!(r.headers()["content-type"], "text/csv; charset=utf-8");
    let disposition = r.headers()["content-disposition"].to_str().unwrap_or_default().to_owned();
    assert!(disposition.starts_with("attachment; filename=\"ceres-sessions-"), "{disposition}");
    let body = r.bytes().await.expect("body");
    assert_eq!(&body[..3], b"\xEF\xBB\xBF", "UTF-8 byte-order mark");
    let text = std::str::from_utf8(&body[3..]).expect("UTF-8");
    assert!(!text.contains('"'), "nothing to quote in the demo data");
    text.split("\r\n").filter(|l| !l.is_empty()).map(|l| l.split(';').map(str::to_owned).collect()).collect()
}

const EXPORT_HEADER: &str = "Session;Type;Code titre;Titre;Centre;SIRET du centre;Site;Lieu;Début;Heure;Fin;Statut;\
Candidats inscrits;DTE demandée le;Plis souhaités le;Prochaine échéance;Saisie hors délai";

async fn the_sessions_export_is_the_filtered_list_with_dte_and_candidates(backend: Backend) {
    use app::domain::format::date_fr;
    use app::domain::session::StatutSession;
    let srv = start(backend).await;

    // A centre: its six sessions, each line as the session's own page has it.
    let centre = Browser::new(&srv);
    centre.sign_in("centre-1630").await;
    let listed = all_sessions(&centre).await;
    let csv = csv_rows(&centre, "/sessions/export.csv").await;
    assert_eq!(csv[0].join(";"), EXPORT_HEADER);
    assert_eq!(csv.len() - 1, listed.len(), "every session of the list, on one download");
    for (line, row) in csv[1..].iter().zip(&listed) {
        assert_eq!(line[0], row["identifiant"].as_str().expect("identifiant"), "the list's order");
        assert_eq!((line[4].as_str(), line[5].as_str()), ("16 30 FORMATION", "53060076600022"));
        let id = row["id"].as_i64().expect("id").to_string();
        let detail = rows(&centre, "session", &[("id", id.as_str())]).await;
        let statut: StatutSession = serde_json::from_value(detail["statut"].clone()).expect("statut");
        assert_eq!(line[11], statut.label());
        let candidats = detail["candidats"].as_array().map_or(0, Vec::len);
        assert_eq!(line[12], candidats.to_string(), "{}", line[0]);
        let plis = detail["dte"]["date_reception_plis"]
            .as_str()
            .map(|d| date_fr(chrono::NaiveDate::parse_from_str(d, "%Y-%m-%d").expect("date")));
        assert_eq!(line[14], plis.unwrap_or_default(), "{}", line[0]);
        assert_eq!(line[13].is_empty(), detail["dte"].is_null());
        assert_eq!(line[15], detail["compte_a_rebours"].as_str().unwrap_or_default(), "{}", line[0]);
    }
    assert!(csv[1..].iter().any(|l| !l[14].is_empty()), "some of them have asked for their DTE");

    // A DREETS, filtered: the same sessions as the filtered list, all in its région.
    let dreets = Browser::new(&srv);
    dreets.sign_in("dreets-naq").await;
    let total = rows(&dreets, "sessions", &[("filtre[statut]", "validee"), ("page", "1")]).await["total"]
        .as_u64()
        .expect("total");
    assert!(total > 0);
    let csv = csv_rows(&dreets, "/sessions/export.csv?statut=validee").await;
    assert_eq!(csv.len() as u64 - 1, total);
    let naq = ["16", "17", "19", "23", "24", "33", "40", "47", "64", "79", "86", "87"];
    for line in &csv[1..] {
        assert_eq!(line[11], "Validée");
        assert!(naq.iter().any(|d| line[7].starts_with(d)), "{} is not in Nouvelle-Aquitaine", line[7]);
    }

    // Bad filters are explained, as on the page; signed out, to the sign-in page.
    let r = dreets.get("/sessions/export.csv?du=hier").await;
    assert_eq!(r.status(), StatusCode::BAD_REQUEST);
    assert!(r.text().await.unwrap_or_default().contains("« hier » n'est pas une date de début"));
    let r = dreets.get("/sessions/export.csv?statut=ouverte").await;
    assert_eq!(r.status(), StatusCode::BAD_REQUEST);
    assert!(r.text().await.unwrap_or_default().contains("n'est pas un statut de session"));
    assert_eq!(Browser::new(&srv).get("/sessions/export.csv").await.status(), StatusCode::SEE_OTHER);

    // The page offers the export of what it lists, with its filters.
    let (_, html) = dreets.get_text("/sessions?statut=validee").await;
    assert!(html.contains("href=\"/sessions/export.csv?statut=validee\""), "the export keeps the filter");
    srv.stop().await;
}
on_both_databases!(the_sessions_export_is_the_filtered_list_with_dte_and_candidates);
