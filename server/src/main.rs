//! `server`: starts CERES with the configuration of Leptos.toml (see README).
//!
//! `server verifier-audit` checks the audit trail's hash chain of the configured database instead: it names the
//! first event altered, removed or inserted outside CERES, and exits with 1 if there is one (SECURITY.md).

use std::process::ExitCode;

use server::{Config, StartError, bind, prepare, serve};
use tracing_subscriber::EnvFilter;

/// Server-side rendering allocates and frees many small strings and boxes per page: with glibc's allocator that was
/// 45 % of the instructions of a search page (scripts/profile.sh; BENCHMARKS.md has the before and after).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

#[tokio::main]
async fn main() -> ExitCode {
    tracing_subscriber::fmt()
        .with_env_filter(EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new("info,sqlx=warn")))
        .init();
    if std::env::args().nth(1).as_deref() == Some("verifier-audit") {
        return verify_audit().await;
    }
    match run().await {
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
        let db = server::database::connect(&config.ceres).await.map_err(|e| e.to_string())?;
        server::database::migrate(&db).await.map_err(|e| e.to_string())?;
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

async fn run() -> Result<(), StartError> {
    let config = Config::load()?;
    tracing::info!(database = %config.ceres.database_url_for_display(), "starting CERES");
    let state = prepare(&config).await?;
    let listener = bind(config.leptos.site_addr).await?;
    let addr = listener.local_addr().map_err(StartError::Serve)?;
    if config.ceres.demo_data {
        println!("\n{}", server::demo::accounts_banner());
    }
    println!("CERES est prêt : http://{addr}\n");
    serve(listener, state, async {
        let _ = tokio::signal::ctrl_c().await;
    })
    .await
}
