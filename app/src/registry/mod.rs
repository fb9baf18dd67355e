//! The company registry behind « Enregistrer un centre »: one trait, two real implementations. `HttpRegistry`
//! calls the public API Recherche d'entreprises (INSEE Sirene data); `FileRegistry` reads a JSON file of entries in
//! the same shape, which the embedded demo writes (every demo centre plus the companies the support note registers).
//! Server side only.

pub mod file;
pub mod http;

use std::sync::Arc;

use serde::{Deserialize, Serialize};

use crate::domain::siret::Siret;

/// An establishment as the registry describes it (field names of the API Recherche d'entreprises).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Company {
    pub siret: String,
    pub nom_raison_sociale: String,
    pub adresse: String,
    pub code_postal: String,
    pub libelle_commune: String,
    /// INSEE code of the commune.
    pub commune: String,
    /// "A" active, "F" closed.
    pub etat_administratif: String,
}

impl Company {
    pub fn is_closed(&self) -> bool {
        self.etat_administratif == "F"
    }
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum RegistryError {
    /// The registry did not answer in time, answered with an error, or with something unreadable.
    #[error("le répertoire des entreprises ne répond pas ({0})")]
    Unavailable(String),
    /// Too many failures in a row: calls are suspended for a while.
    #[error("le répertoire des entreprises est suspendu après des échecs répétés")]
    CircuitOpen,
}

#[async_trait::async_trait]
pub trait CompanyRegistry: Send + Sync {
    /// The establishment with this SIRET, `None` if the registry does not know it.
    async fn lookup(&self, siret: &Siret) -> Result<Option<Company>, RegistryError>;
}

/// The registry every request uses (provided as context by the server).
pub type SharedRegistry = Arc<dyn CompanyRegistry>;
