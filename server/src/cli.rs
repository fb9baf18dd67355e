//! What the `server` binary does (main.rs only calls [`main`]; the allocator is in lib.rs): starts CERES with the
//! configuration of Leptos.toml (see README), or, as `server verifier-audit`, checks the audit trail's hash chain of
//! the configured database: it names the first event altered, removed or inserted outside CERES, and exits with 1 if
//! there is one (SECURITY.md); or, as `server preparer-base`, prepares the configured database as a start would
//! (migrations, reference data, the demo data when asked) and exits without serving.
//!
//! Here rather than in main.rs: a release build shares no generic code between crates, so the runtime, the
//! subscriber and the serving loop that main.rs instantiated were compiled a second time for the binary, after the
//! library (about a minute on 2 cores, on the critical path of every build). Nothing here is generic: it is compiled
//! once, with the library.

use std::process::ExitCode;

use tracing_subscriber::EnvFilter;

use crate::{Config, StartError, bind, prepare, serve};

/// The binary's entry point: a multi-threaded Tokio runtime running the server (or the audit check) to its end.
pub fn main() -> ExitCode {
    tracing_subscriber::fmt()
        .with_env_filter(EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new("info,sqlx=warn")))
        .init();
    let runtime = match tokio::runtime::Builder::new_multi_thread().enable_all().build() {
        Ok(runtime) => runtime,
        Err(e) => {
            eprintln!("\nCERES n'a pas pu démarrer : le moteur d'exécution (Tokio) n'a pas pu être créé : {e}\n");
            return ExitCode::FAILURE;
        }
    };
    match std::env::args().nth(1).as_deref() {
        Some("verifier-audit") => return runtime.block_on(verify_audit()),
        Some("preparer-base") => return runtime.block_on(prepare_database_only()),
        _ => {}
    }
    match runtime.block_on(run()) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            tracing::error!("CERES n'a pas pu démarrer : {e}");
            eprintln!("\nCERES n'a pas pu démarrer : {e}\n");
            ExitCode::FAILURE
        }
    }
}

async fn verify_audit() -> ExitCode {
    let checked = async {
        let config = Config::load().map_err(|e| e.to_string())?;
        let db = crate::database::connect(&config.ceres).await.map_err(|e| e.to_string())?;
        crate::database::migrate(&db).await.map_err(|e| e.to_string())?;
        app::db::audit::verify_chain(&db).await.map_err(|e| e.to_string())
    }
    .await;
    match checked {
        Ok(r) => {
            println!(
                "Traçabilité : {} événement(s) vérifié(s){}.",
                r.verified,
                if r.unsealed > 0 { format!(", {} antérieur(s) au chaînage", r.unsealed) } else { String::new() }
            );
            match r.first_break {
                None => {
                    println!("La chaîne est intacte.");
                    ExitCode::SUCCESS
                }
                Some(b) => {
                    println!("CHAÎNE ROMPUE : {b}");
                    ExitCode::FAILURE
                }
            }
        }
        Err(e) => {
            eprintln!("La vérification n'a pas pu se faire : {e}");
            ExitCode::from(2)
        }
    }
}

/// `server preparer-base`: the database prepared as a start prepares it, then the process ends. For the replicas
/// of a new version (one process migrates, then they all start on a migrated database), and for the benchmark's
/// HTTP dataset (scripts/bench.sh).
async fn prepare_database_only() -> ExitCode {
    let prepared = async {
        let config = Config::load()?;
        let db = crate::prepare_database(&config).await?;
        // Everything is committed: a failure to close changes nothing to what was prepared.
        let _ = db.close().await;
        Ok::<_, StartError>(config)
    }
    .await;
    match prepared {
        Ok(config) => {
            println!(
                "La base de données {} est prête : migrations faites, données de référence{} chargées.",
                config.ceres.database_url_for_display(),
                if config.ceres.demo_data { " et de démonstration" } else { "" }
            );
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("\nLa base de données n'a pas pu être préparée : {e}\n");
            ExitCode::FAILURE
        }
    }
}

async fn run() -> Result<(), StartError> {
    let config = Config::load()?;
    tracing::info!(database = %config.ceres.database_url_for_display(), "starting CERES");
    let state = prepare(&config).await?;
    let listener = bind(config.leptos.site_addr).await?;
    let addr = listener.local_addr().map_err(StartError::Serve)?;
    if config.ceres.demo_data {
        println!("\n{}", crate::demo::accounts_banner());
    }
    println!("CERES est prêt : http://{addr}\n");
    serve(
        listener,
        state,
        Box::pin(async {
            let _ = tokio::signal::ctrl_c().await;
        }),
    )
    .await
}
