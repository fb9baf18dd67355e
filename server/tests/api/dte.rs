//! « Demande de DTE » under the deadline rules, with a fixed clock: refused late with the rule and the date, allowed
//! and flagged « hors délai » inside a national relaxation window, zero candidates accepted, one request per session,
//! only the session's centre, and the « Traçabilité » shows it.

use app::db::entity::{audit_event, demande_dte};
use app::domain::format::count_fr;
use chrono::NaiveDate;
use reqwest::StatusCode;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
use server::testing::{Backend, TestServer};

use crate::helpers::{Browser, SMALL};
use crate::on_both_databases;

/// A session of 16 30 FORMATION starting on `debut`, in preparation.
async fn session_of_1630(srv: &TestServer, debut: NaiveDate) -> i32 {
    srv.insert_session("53060076600022", debut).await
}

async fn ask(b: &Browser, id: i32, n: &str, plis: &str) -> reqwest::Response {
    let id = id.to_string();
    b.call(
        "session/dte",
        &[
            ("session_id", id.as_str()),
            ("input[nombre_candidats]", n),
            ("input[date_reception_plis]", plis),
            ("input[commentaires]", ""),
        ],
    )
    .await
}

async fn a_late_dte_request_is_refused_then_allowed_and_flagged_under_a_window(backend: Backend) {
    // The clock says 25 February 2019; the session starts on 20 April 2019 (DTE limit: 20 January).
    let srv = TestServer::start_with(backend, SMALL, |c| {
        c.ceres.fixed_date = Some(NaiveDate::from_ymd_opt(2019, 2, 25).expect("date"))
    })
    .await;
    let db = &srv.state.db;
    let id = session_of_1630(&srv, NaiveDate::from_ymd_opt(2019, 4, 20).expect("date")).await;
    let centre = Browser::new(&srv);
    centre.sign_in("centre-1630").await;

    let page: serde_json::Value = centre.call("session", &[("id", &id.to_string())]).await.json().await.expect("json");
    assert_eq!(page["compte_a_rebours"], "Délai dépassé depuis le 20/01/2019 pour la demande de DTE");
    assert_eq!(page["can_request_dte"], true);

    let r = ask(&centre, id, "12", "2019-04-01").await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.text().await.unwrap_or_default().contains(
        "La demande de DTE doit être faite au plus tard le 20/01/2019, 3 mois avant le début de la session."
    ));
    assert!(
        demande_dte::Entity::find().filter(demande_dte::Column::SessionId.eq(id)).all(db).await.expect("q").is_empty(),
        "nothing saved"
    );

    // Other people may not ask, and bad numbers are explained.
    let ud = Browser::new(&srv);
    ud.sign_in("ud-30").await;
    assert_eq!(ask(&ud, id, "12", "2019-04-01").await.status(), StatusCode::FORBIDDEN);
    let r = ask(&centre, id, "-2", "2019-04-01").await;
    assert!(r.text().await.unwrap_or_default().contains("ne peut pas être négatif"));

    // The national admin opens the 2019 window: the same request goes through, flagged.
    let admin = Browser::new(&srv);
    admin.sign_in("admin").await;
    let r = admin
        .call(
            "derogations",
            &[
                ("input[nom]", "Assouplissement national 2019"),
                ("input[portee]", "nationale"),
                ("input[debut]", "2019-02-11"),
                ("input[fin]", "2019-04-10"),
                ("input[regles][0]", "demande_dte_3_mois"),
                ("input[regles][1]", "convocation_1_mois"),
                ("input[motif]", "Mise en service de CERES"),
            ],
        )
        .await;
    assert_eq!(r.status(), StatusCode::OK);
    let r = ask(&centre, id, "0", "2019-04-01").await;
    assert_eq!(r.status(), StatusCode::OK, "{}", r.text().await.unwrap_or_default());
    let page: serde_json::Value = r.json().await.expect("json");
    assert_eq!(page["statut"], "DteEnvoye");
    assert_eq!(page["dte"]["nombre_candidats"], 0, "zero candidates accepted");
    assert_eq!(page["dte"]["hors_delai"], true);
    let trace = page["tracabilite"].as_array().expect("trace");
    let rule = "Demande de DTE au moins 3 mois avant le début de la session — dérogation «\u{a0}Assouplissement national \
                2019\u{a0}»";
    assert!(trace.iter().all(|t| t["hors_delai"] == rule), "the rule and the window by name: {trace:?}");
    assert!(trace.iter().any(|t| t["champ"] == "DTE : nombre de candidats"), "{trace:?}");
    assert!(trace.iter().any(|t| t["apres"] == "0 (matériel déjà pris en charge)"));
    let events = audit_event::Entity::find()
        .filter(audit_event::Column::ObjectType.eq("session"))
        .filter(audit_event::Column::ObjectId.eq(id))
        .all(db)
        .await
        .expect("q");
    assert!(events.iter().all(|e| e.hors_delai && e.regle_code.as_deref() == Some("demande_dte_3_mois")));

    // A second request is refused: one per session.
    let r = ask(&centre, id, "5", "2019-04-01").await;
    assert_eq!(r.status(), StatusCode::CONFLICT);
    assert!(r.text().await.unwrap_or_default().contains("une seule demande par session"));

    // The national admin lists the requests still to ship by wanted delivery date, page by page, and exports them.
    let list = every_page(&admin, false).await;
    let dates: Vec<&str> = list.iter().map(|r| r["date_reception_plis"].as_str().unwrap_or("")).collect();
    assert!(dates.windows(2).all(|w| w[0] <= w[1]), "by delivery date: {dates:?}");
    let ours = list.iter().find(|r| r["session_id"] == id).expect("our request is listed");
    assert_eq!((ours["nombre_candidats"].as_i64(), ours["hors_delai"].as_bool()), (Some(0), Some(true)));
    let csv = admin.get("/administration/demandes-dte.csv").await;
    assert_eq!(csv.status(), StatusCode::OK);
    let body = csv.text().await.expect("csv");
    assert!(body.starts_with("\u{feff}Date de réception des plis;Session;"));
    assert!(body.contains(";0;oui;"), "our request, flagged");
    assert_eq!(ud.call("demandes-dte", &[]).await.status(), StatusCode::FORBIDDEN);
    assert_eq!(ud.get("/administration/demandes-dte.csv").await.status(), StatusCode::FORBIDDEN);
    assert_eq!(
        demande_dte::Entity::find().filter(demande_dte::Column::SessionId.eq(id)).all(db).await.expect("q").len(),
        1
    );
    srv.stop().await;
}
on_both_databases!(a_late_dte_request_is_refused_then_allowed_and_flagged_under_a_window);

/// One page of the national list: (total, pages, rows).
async fn dte_page(admin: &Browser, page: u64, toutes: bool) -> (u64, u64, Vec<serde_json::Value>) {
    let (page, toutes) = (page.to_string(), toutes.to_string());
    let r = admin.call("demandes-dte", &[("page", page.as_str()), ("toutes", toutes.as_str())]).await;
    assert_eq!(r.status(), StatusCode::OK);
    let list: serde_json::Value = r.json().await.expect("json");
    let (total, per_page) = (list["total"].as_u64().expect("total"), list["per_page"].as_u64().expect("per_page"));
    assert_eq!(list["toutes"].as_bool(), Some(toutes == "true"));
    (total, total.div_ceil(per_page).max(1), list["rows"].as_array().expect("rows").clone())
}

/// Every row of the list, page after page.
async fn every_page(admin: &Browser, toutes: bool) -> Vec<serde_json::Value> {
    let (total, pages, mut rows) = dte_page(admin, 1, toutes).await;
    for page in 2..=pages {
        rows.extend(dte_page(admin, page, toutes).await.2);
    }
    assert_eq!(rows.len() as u64, total);
    rows
}

/// The national list shows the requests still to ship (envelopes wanted today or later) unless « Toutes les
/// demandes » is chosen, 50 a page, on the page and through its server function; the export keeps every request.
async fn the_dte_list_shows_those_to_ship_fifty_a_page(backend: Backend) {
    // The demo's sessions and requests are dated from the real today, which the server's clock gives too.
    let srv = TestServer::start(backend, SMALL).await;
    let today = chrono::Local::now().date_naive();
    let db = &srv.state.db;
    let all = demande_dte::Entity::find().all(db).await.expect("q");
    let to_ship = all.iter().filter(|d| d.date_reception_plis >= today).count() as u64;
    assert!(
        all.len() > 100 && to_ship > 0 && to_ship < all.len() as u64,
        "the demo's requests: {}, {to_ship}",
        all.len()
    );
    let admin = Browser::new(&srv);
    admin.sign_in("admin").await;

    // Through the server function: those to ship by default, every request with `toutes`.
    let (total, pages, first) = dte_page(&admin, 1, false).await;
    assert_eq!((total, pages, first.len() as u64), (to_ship, to_ship.div_ceil(50), to_ship.min(50)));
    let shown = every_page(&admin, false).await;
    let from = today.format("%Y-%m-%d").to_string();
    assert!(shown.iter().all(|r| r["date_reception_plis"].as_str().unwrap_or("") >= from.as_str()));
    let mut ids: Vec<i64> = shown.iter().map(|r| r["session_id"].as_i64().expect("id")).collect();
    ids.sort_unstable();
    ids.dedup();
    assert_eq!(ids.len() as u64, to_ship, "each request once");
    let every = every_page(&admin, true).await;
    assert_eq!(every.len(), all.len());
    let dates: Vec<&str> = every.iter().map(|r| r["date_reception_plis"].as_str().unwrap_or("")).collect();
    assert!(dates.windows(2).all(|w| w[0] <= w[1]), "by delivery date: {dates:?}");
    // A page past the last one is empty; a page number out of range is brought back to 1.
    assert!(dte_page(&admin, pages + 1, false).await.2.is_empty());
    assert_eq!(dte_page(&admin, 0, false).await.2, first);

    // The page, rendered on the server: the count, the rows, the two periods, the pagination.
    let (status, html) = admin.get_text("/administration/demandes-dte").await;
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains(&count_fr(to_ship, "demande à expédier", "demandes à expédier")), "count");
    assert_eq!(html.matches("<tr>").count() as u64, to_ship.min(50) + 1, "the header and the first requests");
    assert!(html.contains(r#"href="/administration/demandes-dte?toutes=1""#), "every request");
    let every_pages = (all.len() as u64).div_ceil(50);
    let (_, html) = admin.get_text("/administration/demandes-dte?toutes=1").await;
    assert_eq!(html.matches("<tr>").count(), 51, "the header and 50 requests");
    assert!(html.contains(&format!("Page 1 sur {every_pages}")));
    assert!(html.contains(r#"href="/administration/demandes-dte?toutes=1&amp;page=2""#), "next page");
    assert!(html.contains(r#"href="/administration/demandes-dte""#), "those to ship");
    let (_, html) = admin.get_text(&format!("/administration/demandes-dte?toutes=1&page={every_pages}")).await;
    assert!(html.contains(&count_fr(all.len() as u64, "demande", "demandes")), "count");
    assert!(html.contains(&format!("Page {every_pages} sur {every_pages}")));
    assert!(html.contains(&format!(r#"href="/administration/demandes-dte?toutes=1&amp;page={}""#, every_pages - 1)));
    assert_eq!(html.matches("<tr>").count() - 1, all.len() - 50 * (every_pages as usize - 1), "the last page's rest");

    // The export holds every request, whatever the page shows.
    let csv = admin.get("/administration/demandes-dte.csv").await.text().await.expect("csv");
    assert_eq!(csv.lines().count(), all.len() + 1, "a header and a line a request");
    srv.stop().await;
}
on_both_databases!(the_dte_list_shows_those_to_ship_fifty_a_page);
