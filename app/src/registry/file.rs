//! A registry read from a JSON file of `Company` entries (the embedded demo's).

use std::collections::HashMap;
use std::path::Path;

use super::{Company, CompanyRegistry, RegistryError};
use crate::domain::siret::Siret;

pub struct FileRegistry {
    entries: HashMap<String, Company>,
}

impl FileRegistry {
    pub fn load(path: &Path) -> Result<Self, String> {
        let text = std::fs::read(path).map_err(|e| format!("{}: {e}", path.display()))?;
        let list: Vec<Company> = serde_json::from_slice(&text).map_err(|e| format!("{}: {e}", path.display()))?;
        Ok(Self::from_entries(list))
    }

    pub fn from_entries(list: Vec<Company>) -> Self {
        FileRegistry { entries: list.into_iter().map(|c| (c.siret.clone(), c)).collect() }
    }
}

#[async_trait::async_trait]
impl CompanyRegistry for FileRegistry {
    async fn lookup(&self, siret: &Siret) -> Result<Option<Company>, RegistryError> {
        Ok(self.entries.get(siret.as_str()).cloned())
    }
}
