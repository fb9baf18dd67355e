//! Starting CERES: configuration, database, migrations twice.

use server::testing::{Backend, TestServer};
use server::{StartError, prepare};

#[tokio::test]
async fn an_unreachable_database_stops_the_start_with_a_french_message() {
    let dir = std::env::temp_dir();
    let config = TestServer::config(UNREACHABLE, 0.05, dir.join("unused.json"));
    let err = match prepare(&config).await {
        Err(e) => e,
        Ok(_) => panic!("must not start"),
    };
    assert!(matches!(err, StartError::Database(_)));
    let message = err.to_string();
    assert!(message.contains("impossible de se connecter à la base de données"), "{message}");
    assert!(message.contains("ceres:****@127.0.0.1:1"), "the password is masked: {message}");
}

#[tokio::test]
async fn a_second_start_on_the_same_database_reloads_nothing() {
    let srv = TestServer::start(Backend::Sqlite, 0.05).await;
    let config = srv.config.clone();
    let again = prepare(&config).await.expect("second start");
    use sea_orm::{EntityTrait, PaginatorTrait};
    let n = app::db::entity::centre::Entity::find().count(&again.db).await.expect("count");
    assert_eq!(n, app::db::entity::centre::Entity::find().count(&srv.state.db).await.expect("count"));
    srv.stop().await;
}

/// Every connection to an SQLite database reads its file through a memory map (`PRAGMA mmap_size`), not page by
/// page into a cache of its own: the setting is read back from the pool's connections.
#[tokio::test]
async fn sqlite_connections_map_the_database_file() {
    use sea_orm::{ConnectionTrait, Statement};
    let srv = TestServer::start(Backend::Sqlite, 0.05).await;
    let db = &srv.state.db;
    // Several at once, so that the pool hands out more than the one connection it keeps open.
    let pragma = || db.query_one_raw(Statement::from_string(db.get_database_backend(), "PRAGMA mmap_size"));
    let (a, b, c, d) = tokio::join!(pragma(), pragma(), pragma(), pragma());
    for row in [a, b, c, d] {
        let row = row.expect("pragma").expect("one row");
        let bytes: i64 = row.try_get_by_index(0).expect("a number");
        assert_eq!(bytes as u64, server::database::SQLITE_MMAP_BYTES);
    }
    srv.stop().await;
}

/// An unreachable database, with a password the output must never show.
const UNREACHABLE: &str = "postgres://ceres:secret@127.0.0.1:1/ceres";

/// The server binary, run from the repository root (where Leptos.toml is) on the database `url`.
fn server_binary(url: &str) -> std::process::Command {
    let mut command = std::process::Command::new(env!("CARGO_BIN_EXE_server"));
    command.current_dir(server::testing::repo_root()).env("CERES_DATABASE_URL", url);
    command
}

#[test]
fn the_server_binary_exits_non_zero_and_says_why_in_french() {
    let out =
        server_binary(UNREACHABLE).env("LEPTOS_SITE_ADDR", "127.0.0.1:0").output().expect("run the server binary");
    assert!(!out.status.success());
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("CERES n'a pas pu démarrer"), "{stderr}");
    assert!(stderr.contains("impossible de se connecter à la base de données"), "{stderr}");
    assert!(!stderr.contains("secret"), "the password never reaches the log: {stderr}");
}

#[test]
fn a_missing_configuration_file_is_explained() {
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_server"))
        .current_dir(std::env::temp_dir())
        .env("CERES_CONFIG", "/nulle-part/Leptos.toml")
        .output()
        .expect("run the server binary");
    assert!(!out.status.success());
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("fichier de configuration /nulle-part/Leptos.toml est illisible"), "{stderr}");
}

/// `server preparer-base` on a new SQLite file: migrated, reference and demo data loaded, the demo registry written,
/// then the process ends without serving; a second run on the same file loads nothing again.
#[tokio::test]
async fn preparer_base_prepares_the_database_and_exits() {
    use sea_orm::{EntityTrait, PaginatorTrait};
    let dir = std::env::temp_dir().join(format!("ceres-preparer-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    let file = dir.join("ceres.db");
    let registry = dir.join("registre.json");
    let url = format!("sqlite://{}?mode=rwc", file.display());
    let prepare = || {
        server_binary(&url)
            .arg("preparer-base")
            .env("CERES_DEMO_DATA", "true")
            .env("CERES_DEMO_SCALE", "0.05")
            .env("CERES_DEMO_REGISTRY_FILE", &registry)
            .env("RUST_LOG", "error")
            .output()
            .expect("run server preparer-base")
    };
    let out = prepare();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success(), "{stdout}{}", String::from_utf8_lossy(&out.stderr));
    assert!(
        stdout.contains("est prête : migrations faites, données de référence et de démonstration chargées"),
        "{stdout}"
    );
    assert!(registry.exists(), "the demo registry is written with the demo data");
    let db = sea_orm::Database::connect(&url).await.expect("open the prepared file");
    let centres = app::db::entity::centre::Entity::find().count(&db).await.expect("count");
    assert!(centres > 0, "the demo centres are there");
    assert!(app::db::entity::region::Entity::find().count(&db).await.expect("count") > 0, "reference data");

    let again = prepare();
    assert!(again.status.success(), "{}", String::from_utf8_lossy(&again.stderr));
    assert_eq!(app::db::entity::centre::Entity::find().count(&db).await.expect("count"), centres, "loaded once");
    db.close().await.ok();
    std::fs::remove_dir_all(&dir).ok();
}

#[test]
fn preparer_base_says_in_french_why_it_could_not() {
    let out = server_binary(UNREACHABLE).arg("preparer-base").output().expect("run server preparer-base");
    assert!(!out.status.success());
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("La base de données n'a pas pu être préparée"), "{stderr}");
    assert!(stderr.contains("impossible de se connecter à la base de données"), "{stderr}");
    assert!(!stderr.contains("secret"), "the password never reaches the output: {stderr}");
    assert!(out.stdout.is_empty(), "nothing said ready: {}", String::from_utf8_lossy(&out.stdout));
}
