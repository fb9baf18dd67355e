//! `server`: starts CERES with the configuration of Leptos.toml (see README).

use std::process::ExitCode;

use server::{Config, StartError, bind, prepare, serve};
use tracing_subscriber::EnvFilter;

#[tokio::main]
async fn main() -> ExitCode {
    tracing_subscriber::fmt()
        .with_env_filter(EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new("info,sqlx=warn")))
        .init();
    match run().await {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            tracing::error!("CERES n'a pas pu démarrer : {e}");
            eprintln!("\nCERES n'a pas pu démarrer : {e}\n");
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
        println!("\n{}", server::demo::accounts_banner());
    }
    println!("CERES est prêt : http://{addr}\n");
    serve(listener, state, async {
        let _ = tokio::signal::ctrl_c().await;
    })
    .await
}
