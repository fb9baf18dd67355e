//! Crash safety: a real server process (the `server` binary), killed with SIGKILL while it imports candidates and
//! transfers a site, leaves no partial state. After each kill a new process starts on the same database; then
//! every import is there whole or not at all, the site is where its last audited transfer put it (with all its
//! agréments and sessions), and the audit chain verifies.

use std::process::{Child, Command, Stdio};
use std::time::Duration;

use app::db::entity::{agrement, audit_event, candidat, centre, exam_session, site};
use chrono::NaiveDate;
use reqwest::StatusCode;
use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder};
use server::testing::{Backend, TestServer, repo_root};

use crate::helpers::{Browser, fcmb_floirac_id, start};
use crate::on_both_databases;

/// Candidates per import: each import is one transaction.
const LOT: usize = 60;

struct Process {
    child: Child,
    base: String,
}

impl Process {
    /// Starts the `server` binary on the test's database and waits until it answers.
    async fn start(url: &str, registry: &std::path::Path) -> Process {
        let port = std::net::TcpListener::bind("127.0.0.1:0").expect("free port").local_addr().expect("addr").port();
        let mut child = Command::new(env!("CARGO_BIN_EXE_server"))
            .current_dir(repo_root())
            .env("CERES_CONFIG", repo_root().join("Leptos.toml"))
            .env("CERES_DATABASE_URL", url)
            .env("CERES_DEMO_DATA", "false")
            .env("CERES_DEMO_REGISTRY_FILE", registry)
            .env("LEPTOS_SITE_ADDR", format!("127.0.0.1:{port}"))
            .env("RUST_LOG", "error")
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("start the server binary");
        let base = format!("http://127.0.0.1:{port}");
        let client = reqwest::Client::new();
        for _ in 0..600 {
            if client.get(format!("{base}/connexion")).send().await.is_ok_and(|r| r.status() == StatusCode::OK) {
                return Process { child, base };
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        let _ = child.kill();
        let _ = child.wait();
        panic!("the server binary did not answer within 30 s");
    }

    /// SIGKILL: no shutdown, no rollback by the process itself.
    fn kill(mut self) {
        self.stop();
    }

    fn stop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }

    async fn browser(&self, srv: &TestServer, login: &str) -> Browser {
        let b = Browser::new(srv);
        let b = Browser { client: b.client, base: self.base.clone() };
        b.sign_in(login).await;
        b
    }
}

/// A failing test leaves no server process behind.
impl Drop for Process {
    fn drop(&mut self) {
        self.stop();
    }
}

/// « Lot-ab »: letters only, as names must be.
fn tag(k: usize) -> String {
    let letter = |n: usize| char::from(b'a' + (n % 26) as u8);
    format!("Lot-{}{}{}", letter(k / 676), letter(k / 26), letter(k))
}

async fn import(b: &Browser, session: i32, k: usize) -> Option<StatusCode> {
    let mut args = vec![("session_id".to_owned(), session.to_string())];
    for i in 0..LOT {
        let p = |f: &str| format!("lignes[{i}][{f}]");
        args.extend([
            (p("nom"), tag(k)),
            (p("prenom"), format!("Candidat-{}", tag(i).trim_start_matches("Lot-"))),
            (p("date_naissance"), "12/03/1990".to_owned()),
            (p("email"), String::new()),
            (p("voie_acces"), "formation".to_owned()),
        ]);
    }
    let pairs: Vec<(&str, &str)> = args.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
    // The answer may never come: the process is killed meanwhile.
    b.client
        .post(format!("{}/api/session/candidats/import", b.base))
        .header("origin", &b.base)
        .header("accept", "application/json")
        .form(&pairs)
        .send()
        .await
        .ok()
        .map(|r| r.status())
}

async fn a_killed_server_leaves_no_partial_state(backend: Backend) {
    // The database, with the demo data, and a connection to inspect it; the in-process server stays idle.
    let srv = start(backend).await;
    let db = srv.state.db.clone();
    let url = srv.config.ceres.database_url.clone();
    let registry = srv.config.ceres.demo_registry_file.clone();
    let session = srv.insert_session("53060076600022", NaiveDate::from_ymd_opt(2030, 6, 3).expect("date")).await;
    let naq = Browser::new(&srv);
    naq.sign_in("dreets-naq").await;
    let site_id = fcmb_floirac_id(&naq).await as i32;
    let home = site::Entity::find_by_id(site_id).one(&db).await.expect("q").expect("site").centre_id;
    let away = crate::helpers::centre_by_siret(&db, "82422814201098").await.id;
    let sirets = std::collections::HashMap::from([
        (home, centre::Entity::find_by_id(home).one(&db).await.expect("q").expect("c").siret),
        (away, "82422814201098".to_owned()),
    ]);
    let agrements = agrement::Entity::find().filter(agrement::Column::SiteId.eq(site_id)).count(&db).await.expect("n");
    let sessions =
        exam_session::Entity::find().filter(exam_session::Column::SiteId.eq(site_id)).count(&db).await.expect("n");

    let mut next_lot = 0usize;
    let mut answered_imports = 0usize;
    for round in 0..4u64 {
        let p = Process::start(&url, &registry).await;
        let centre_user = p.browser(&srv, "centre-1630").await;
        let agent = p.browser(&srv, "dreets-naq").await;
        // Imports, one after the other.
        let first = next_lot;
        next_lot += 40;
        let importer = tokio::spawn(async move {
            let mut ok = 0;
            for k in first..first + 40 {
                match import(&centre_user, session, k).await {
                    Some(StatusCode::OK) => ok += 1,
                    Some(other) => panic!("import refused: {other}"),
                    None => break,
                }
            }
            ok
        });
        // Transfers back and forth, each from where the database says the site is.
        let (db2, sirets2) = (db.clone(), sirets.clone());
        let transferrer = tokio::spawn(async move {
            for _ in 0..200 {
                let Ok(Some(s)) = site::Entity::find_by_id(site_id).one(&db2).await else { break };
                let to = if s.centre_id == home { away } else { home };
                let args = [
                    ("site_id", site_id.to_string()),
                    ("siret", sirets2[&to].clone()),
                    ("expected_centre_id", s.centre_id.to_string()),
                ];
                let pairs: Vec<(&str, &str)> = args.iter().map(|(k, v)| (*k, v.as_str())).collect();
                let sent = agent
                    .client
                    .post(format!("{}/api/transfert", agent.base))
                    .header("origin", &agent.base)
                    .header("accept", "application/json")
                    .form(&pairs)
                    .send()
                    .await;
                if sent.is_err() {
                    break;
                }
            }
        });
        // Killed at a different moment each round, in the middle of the work.
        tokio::time::sleep(Duration::from_millis(400 + 350 * round)).await;
        p.kill();
        answered_imports += importer.await.expect("importer");
        transferrer.await.expect("transferrer");
    }

    // A new process starts on what the killed ones left, and serves.
    let p = Process::start(&url, &registry).await;
    let agent = p.browser(&srv, "dreets-naq").await;

    // Every import is whole or absent, and audited exactly when it is there.
    let all = candidat::Entity::find().filter(candidat::Column::SessionId.eq(session)).all(&db).await.expect("q");
    let mut lots = std::collections::BTreeMap::<String, usize>::new();
    for c in &all {
        *lots.entry(c.nom.clone()).or_default() += 1;
    }
    for (lot, n) in &lots {
        assert_eq!(*n, LOT, "{lot}: {n} candidates of {LOT}: a partial import");
    }
    assert!(lots.len() >= answered_imports, "every import answered OK is there ({answered_imports})");
    assert!(!lots.is_empty(), "the kills let some imports through");
    let import_events = audit_event::Entity::find()
        .filter(audit_event::Column::ObjectType.eq("session"))
        .filter(audit_event::Column::ObjectId.eq(session))
        .filter(audit_event::Column::Action.eq("candidats_import"))
        .count(&db)
        .await
        .expect("n");
    assert_eq!(import_events as usize, lots.len() * LOT, "one event per imported candidate, no more, no less");

    // The site is where its last audited transfer put it, with all its agréments and sessions.
    let s = site::Entity::find_by_id(site_id).one(&db).await.expect("q").expect("site");
    let last = audit_event::Entity::find()
        .filter(audit_event::Column::ObjectType.eq("site"))
        .filter(audit_event::Column::ObjectId.eq(site_id))
        .filter(audit_event::Column::Action.eq("transfert"))
        .order_by_desc(audit_event::Column::Id)
        .one(&db)
        .await
        .expect("q");
    let expected = match last.and_then(|e| e.after) {
        Some(after) => {
            if after.contains(&sirets[&away]) {
                away
            } else {
                home
            }
        }
        None => home,
    };
    assert_eq!(s.centre_id, expected, "state and audit trail agree");
    assert_eq!(
        agrement::Entity::find().filter(agrement::Column::SiteId.eq(site_id)).count(&db).await.expect("n"),
        agrements
    );
    assert_eq!(
        exam_session::Entity::find().filter(exam_session::Column::SiteId.eq(site_id)).count(&db).await.expect("n"),
        sessions
    );
    let report = app::db::audit::verify_chain(&db).await.expect("verify");
    assert_eq!(report.first_break, None, "{report:?}");

    // The restarted process's search index agrees with the database.
    let owner = centre::Entity::find_by_id(expected).one(&db).await.expect("q").expect("centre").raison_sociale;
    let hits: serde_json::Value = agent.search_call("FCMB- Floirac").await.json().await.expect("json");
    assert_eq!(hits["sites"][0]["centre_raison_sociale"].as_str(), Some(owner.as_str()), "{hits}");
    p.kill();
    srv.stop().await;
}
on_both_databases!(a_killed_server_leaves_no_partial_state);
