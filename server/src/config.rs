//! Configuration: Leptos.toml (the one file), overridden by environment variables.

use std::path::PathBuf;
use std::time::Duration;

use leptos::config::{LeptosOptions, get_config_from_str};
use serde::Deserialize;

#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    #[error(
        "le fichier de configuration {path} est illisible ({cause}) : lancez le serveur depuis la racine du projet, ou indiquez le fichier avec CERES_CONFIG"
    )]
    Read { path: String, cause: std::io::Error },
    #[error("le fichier de configuration {path} est invalide : {cause}")]
    Parse { path: String, cause: String },
    #[error("la variable d'environnement {name} vaut « {value} », qui n'est pas une valeur possible ({expected})")]
    Env { name: &'static str, value: String, expected: &'static str },
}

/// The `[ceres]` section of Leptos.toml.
#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "kebab-case", deny_unknown_fields)]
pub struct CeresConfig {
    pub database_url: String,
    #[serde(default = "default_max_connections")]
    pub database_max_connections: u32,
    #[serde(default)]
    pub demo_data: bool,
    #[serde(default = "default_scale")]
    pub demo_scale: f64,
    pub geography_dir: PathBuf,
    pub demo_registry_file: PathBuf,
    pub registry: RegistryKind,
    pub registry_url: String,
    pub registry_timeout_ms: u64,
    pub activation_code_days: i64,
    pub session_idle_minutes: u64,
    pub session_absolute_hours: u64,
    #[serde(default)]
    pub https: bool,
    pub login_max_failures_per_account: u64,
    pub login_max_failures_per_address: u64,
    pub login_window_minutes: u64,
    /// Judge deadlines as on this day instead of today (demonstrations, tests); absent in production.
    #[serde(default)]
    pub fixed_date: Option<chrono::NaiveDate>,
}

/// Which company registry « Enregistrer un centre » asks.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum RegistryKind {
    Api,
    File,
}

fn default_max_connections() -> u32 {
    8
}
fn default_scale() -> f64 {
    1.0
}

impl CeresConfig {
    pub fn session_idle(&self) -> Duration {
        Duration::from_secs(self.session_idle_minutes * 60)
    }
    pub fn session_absolute(&self) -> Duration {
        Duration::from_secs(self.session_absolute_hours * 3600)
    }
    pub fn login_window(&self) -> Duration {
        Duration::from_secs(self.login_window_minutes * 60)
    }
    /// The database URL with any password masked, for logs and error messages.
    pub fn database_url_for_display(&self) -> String {
        mask_password(&self.database_url)
    }
}

fn mask_password(url: &str) -> String {
    match (url.find("://"), url.find('@')) {
        (Some(scheme_end), Some(at)) if at > scheme_end => {
            let creds = &url[scheme_end + 3..at];
            match creds.find(':') {
                Some(colon) => format!("{}{}:****{}", &url[..scheme_end + 3], &creds[..colon], &url[at..]),
                None => url.to_owned(),
            }
        }
        _ => url.to_owned(),
    }
}

#[derive(Deserialize)]
struct FileWithCeres {
    ceres: CeresConfig,
}

/// Everything the server needs to start.
#[derive(Debug, Clone)]
pub struct Config {
    pub leptos: LeptosOptions,
    pub ceres: CeresConfig,
}

impl Config {
    /// Reads Leptos.toml (or the file named by CERES_CONFIG) and applies environment overrides.
    pub fn load() -> Result<Self, ConfigError> {
        let path = std::env::var("CERES_CONFIG").unwrap_or_else(|_| "Leptos.toml".into());
        let text = std::fs::read_to_string(&path).map_err(|cause| ConfigError::Read { path: path.clone(), cause })?;
        let mut config = Self::from_str(&path, &text, |name| std::env::var(name).ok())?;
        // A release build writes hash.txt next to the server and content-hashed asset names: serve those.
        config.leptos.hash_files = crate::assets::hashes_next_to_executable().is_some();
        Ok(config)
    }

    /// Parses a configuration text; `env` looks up overrides (injected so tests do not touch the process env).
    pub fn from_str(path: &str, text: &str, env: impl Fn(&str) -> Option<String>) -> Result<Self, ConfigError> {
        let parse_err = |cause: String| ConfigError::Parse { path: path.to_owned(), cause };
        let leptos = get_config_from_str(text).map_err(|e| parse_err(e.to_string()))?;
        let file: FileWithCeres = toml::from_str(text).map_err(|e| parse_err(e.to_string()))?;
        let mut ceres = file.ceres;
        if let Some(url) = env("CERES_DATABASE_URL").or_else(|| env("DATABASE_URL")) {
            ceres.database_url = url;
        }
        if let Some(v) = env("CERES_DEMO_DATA") {
            ceres.demo_data = parse_bool("CERES_DEMO_DATA", &v)?;
        }
        if let Some(v) = env("CERES_HTTPS") {
            ceres.https = parse_bool("CERES_HTTPS", &v)?;
        }
        if let Some(v) = env("CERES_REGISTRY") {
            ceres.registry = match v.as_str() {
                "api" => RegistryKind::Api,
                "file" => RegistryKind::File,
                _ => return Err(ConfigError::Env { name: "CERES_REGISTRY", value: v, expected: "api ou file" }),
            };
        }
        if ceres.registry_timeout_ms == 0 || ceres.registry_timeout_ms > 3000 {
            return Err(parse_err(format!(
                "registry-timeout-ms vaut {} : choisissez une durée entre 1 et 3000 ms",
                ceres.registry_timeout_ms
            )));
        }
        if let Some(v) = env("CERES_DEMO_REGISTRY_FILE") {
            ceres.demo_registry_file = PathBuf::from(v);
        }
        if let Some(v) = env("CERES_FIXED_DATE") {
            ceres.fixed_date = Some(chrono::NaiveDate::parse_from_str(&v, "%Y-%m-%d").map_err(|_| {
                ConfigError::Env { name: "CERES_FIXED_DATE", value: v, expected: "une date AAAA-MM-JJ" }
            })?);
        }
        if let Some(v) = env("CERES_DEMO_SCALE") {
            ceres.demo_scale = v.parse::<f64>().ok().filter(|s| *s > 0.0 && *s <= 1000.0).ok_or(ConfigError::Env {
                name: "CERES_DEMO_SCALE",
                value: v,
                expected: "un nombre entre 0 et 1000",
            })?;
        }
        Ok(Config { leptos, ceres })
    }
}

fn parse_bool(name: &'static str, value: &str) -> Result<bool, ConfigError> {
    match value.trim().to_ascii_lowercase().as_str() {
        "1" | "true" | "oui" | "yes" => Ok(true),
        "0" | "false" | "non" | "no" => Ok(false),
        _ => Err(ConfigError::Env { name, value: value.to_owned(), expected: "true ou false" }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const FILE: &str = include_str!("../../Leptos.toml");

    #[test]
    fn the_project_file_is_read_with_both_sections() {
        let c = Config::from_str("Leptos.toml", FILE, |_| None).expect("valid");
        assert_eq!(c.leptos.output_name.as_ref(), "app");
        assert_eq!(c.leptos.site_addr.port(), 3000);
        assert!(c.ceres.database_url.starts_with("sqlite://"));
        assert!(c.ceres.demo_data);
    }

    #[test]
    fn environment_variables_override_the_file() {
        let c = Config::from_str("Leptos.toml", FILE, |k| match k {
            "CERES_DATABASE_URL" => Some("postgres://u:secret@h/db".into()),
            "CERES_DEMO_DATA" => Some("false".into()),
            _ => None,
        })
        .expect("valid");
        assert_eq!(c.ceres.database_url, "postgres://u:secret@h/db");
        assert_eq!(c.ceres.database_url_for_display(), "postgres://u:****@h/db");
        assert!(!c.ceres.demo_data);
    }

    #[test]
    fn a_bad_override_is_explained_in_french() {
        let e = Config::from_str("Leptos.toml", FILE, |k| (k == "CERES_HTTPS").then(|| "peut-être".into()))
            .expect_err("refused");
        assert!(e.to_string().contains("CERES_HTTPS"), "{e}");
    }
}
