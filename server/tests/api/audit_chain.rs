//! The audit trail is a hash chain: concurrent writers chain their events one after the other, and
//! `server verifier-audit` names the first event altered, removed or inserted outside CERES.

use app::db::audit::verify_chain;
use app::db::entity::audit_event;
use sea_orm::{ConnectionTrait, EntityTrait, QueryOrder};
use server::testing::{Backend, repo_root};

use crate::helpers::{Browser, start};
use crate::on_both_databases;

async fn open_window(b: &Browser, n: usize) -> reqwest::StatusCode {
    b.call(
        "derogations",
        &[
            ("input[nom]", &format!("Fenêtre {n}")),
            ("input[portee]", "nationale"),
            ("input[debut]", "2019-02-11"),
            ("input[fin]", "2019-04-10"),
            ("input[regles][0]", "demande_dte_3_mois"),
            ("input[motif]", "Essai de la chaîne"),
        ],
    )
    .await
    .status()
}

/// `server verifier-audit` on the test's database: (exit code, what it printed).
fn command(url: &str) -> (i32, String) {
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_server"))
        .arg("verifier-audit")
        .env("CERES_CONFIG", repo_root().join("Leptos.toml"))
        .env("CERES_DATABASE_URL", url)
        .env("RUST_LOG", "error")
        .output()
        .expect("run server verifier-audit");
    (out.status.code().unwrap_or(-1), String::from_utf8_lossy(&out.stdout).into_owned())
}

async fn the_chain_holds_under_concurrency_and_names_the_first_tampered_event(backend: Backend) {
    let srv = start(backend).await;
    let db = &srv.state.db;
    let admin = Browser::new(&srv);
    admin.sign_in("admin").await;
    // Twenty audited changes at once: each writes five events, chained one after the other.
    let calls = (0..20).map(|n| {
        let b = admin.clone();
        async move { open_window(&b, n).await }
    });
    for status in futures_join_all(calls).await {
        assert_eq!(status, reqwest::StatusCode::OK);
    }
    let report = verify_chain(db).await.expect("verify");
    assert_eq!(report.first_break, None);
    assert!(report.verified >= 100, "{report:?}");
    let (code, out) = command(&srv.config.ceres.database_url);
    assert_eq!(code, 0, "{out}");
    assert!(out.contains("La chaîne est intacte"), "{out}");

    // Someone edits an event in the database: the command names it.
    let events = audit_event::Entity::find().order_by_asc(audit_event::Column::Id).all(db).await.expect("events");
    let target = &events[events.len() / 2];
    db.execute_unprepared(&format!("UPDATE audit_event SET after = 'falsifié' WHERE id = {}", target.id))
        .await
        .expect("tamper");
    let (code, out) = command(&srv.config.ceres.database_url);
    assert_eq!(code, 1, "{out}");
    assert!(out.contains(&format!("L'événement n° {} a été modifié", target.id)), "{out}");

    // Put it back, then remove one: the next event is named.
    let before = target.after.clone().map_or("NULL".to_owned(), |a| format!("'{}'", a.replace('\'', "''")));
    db.execute_unprepared(&format!("UPDATE audit_event SET after = {before} WHERE id = {}", target.id))
        .await
        .expect("restore");
    assert_eq!(verify_chain(db).await.expect("verify").first_break, None);

    // The last event removed: the chain's head still names it.
    let last = events.last().expect("events");
    db.execute_unprepared(&format!("DELETE FROM audit_event WHERE id = {}", last.id)).await.expect("delete");
    let broken = verify_chain(db).await.expect("verify").first_break.expect("a break");
    assert!(broken.contains(&format!("le n° {}", last.id)), "{broken}");

    // One in the middle removed: the event after it is named.
    let removed = &events[10];
    db.execute_unprepared(&format!("DELETE FROM audit_event WHERE id = {}", removed.id)).await.expect("delete");
    let broken = verify_chain(db).await.expect("verify").first_break.expect("a break");
    assert!(broken.contains(&format!("L'événement n° {} a été modifié", events[11].id)), "{broken}");
    srv.stop().await;
}
on_both_databases!(the_chain_holds_under_concurrency_and_names_the_first_tampered_event);

async fn futures_join_all<F: std::future::Future<Output = reqwest::StatusCode> + Send + 'static>(
    calls: impl Iterator<Item = F>,
) -> Vec<reqwest::StatusCode> {
    let handles: Vec<_> = calls.map(tokio::spawn).collect();
    let mut out = Vec::new();
    for h in handles {
        out.push(h.await.expect("task"));
    }
    out
}
