//! The public API Recherche d'entreprises (`GET {base}/search?q=<siret>`), with what a shared public API asks of its
//! clients: a timeout (≤ 3 s), at most 7 requests per second from this client, answers cached 30 minutes, and a
//! circuit breaker that stops calling after repeated failures (or for as long as a 429 says) and says so.

use std::collections::{HashMap, VecDeque};
use std::sync::Mutex;
use std::time::Duration;

use serde::Deserialize;
use tokio::time::Instant;

use super::{Company, CompanyRegistry, RegistryError};
use crate::domain::siret::Siret;

#[derive(Debug, Clone)]
pub struct HttpSettings {
    pub base_url: String,
    pub timeout: Duration,
    pub max_per_second: usize,
    pub cache_ttl: Duration,
    /// Consecutive failures that open the circuit, and for how long it stays open.
    pub failure_threshold: u32,
    pub open_for: Duration,
}

impl HttpSettings {
    pub fn new(base_url: &str) -> Self {
        HttpSettings {
            base_url: base_url.trim_end_matches('/').to_owned(),
            timeout: Duration::from_secs(3),
            max_per_second: 7,
            cache_ttl: Duration::from_secs(30 * 60),
            failure_threshold: 5,
            open_for: Duration::from_secs(30),
        }
    }
}

/// The requests of the last second: how long the next one must wait to stay under the limit.
#[derive(Debug, Default)]
pub struct RateWindow {
    sent: VecDeque<Instant>,
}

impl RateWindow {
    /// Records a request at `now` if the limit allows it; otherwise returns how long to wait first.
    pub fn try_send(&mut self, now: Instant, max_per_second: usize) -> Result<(), Duration> {
        while self.sent.front().is_some_and(|t| now.duration_since(*t) >= Duration::from_secs(1)) {
            self.sent.pop_front();
        }
        if self.sent.len() < max_per_second.max(1) {
            self.sent.push_back(now);
            Ok(())
        } else {
            let oldest = self.sent.front().copied().unwrap_or(now);
            Err(Duration::from_secs(1).saturating_sub(now.duration_since(oldest)))
        }
    }
}

#[derive(Default)]
struct State {
    cache: HashMap<String, (Instant, Option<Company>)>,
    window: RateWindow,
    failures: u32,
    open_until: Option<Instant>,
}

pub struct HttpRegistry {
    client: reqwest::Client,
    settings: HttpSettings,
    state: Mutex<State>,
}

#[derive(Deserialize)]
struct SearchResponse {
    #[serde(default)]
    results: Vec<ResultItem>,
}

#[derive(Deserialize)]
struct ResultItem {
    nom_raison_sociale: Option<String>,
    nom_complet: Option<String>,
    siege: Option<Etablissement>,
    #[serde(default)]
    matching_etablissements: Vec<Etablissement>,
}

#[derive(Deserialize, Clone)]
struct Etablissement {
    siret: String,
    adresse: Option<String>,
    code_postal: Option<String>,
    libelle_commune: Option<String>,
    commune: Option<String>,
    etat_administratif: Option<String>,
}

impl HttpRegistry {
    pub fn new(settings: HttpSettings) -> Result<Self, String> {
        let client = reqwest::Client::builder()
            .timeout(settings.timeout)
            .user_agent("CERES (ministère du Travail)")
            .build()
            .map_err(|e| e.to_string())?;
        Ok(HttpRegistry { client, settings, state: Mutex::new(State::default()) })
    }

    fn state(&self) -> std::sync::MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    fn failed(&self, why: String, open_for: Option<Duration>) -> RegistryError {
        let mut s = self.state();
        s.failures += 1;
        let now = Instant::now();
        if let Some(d) = open_for {
            s.open_until = Some(now + d);
        } else if s.failures >= self.settings.failure_threshold {
            s.open_until = Some(now + self.settings.open_for);
        }
        tracing::warn!(failures = s.failures, %why, "company registry call failed");
        RegistryError::Unavailable(why)
    }

    async fn fetch(&self, siret: &str) -> Result<Option<Company>, RegistryError> {
        let url = format!("{}/search", self.settings.base_url);
        let response = self
            .client
            .get(&url)
            .query(&[("q", siret), ("page", "1"), ("per_page", "1")])
            .send()
            .await
            .map_err(|e| self.failed(if e.is_timeout() { "délai dépassé".into() } else { e.to_string() }, None))?;
        let status = response.status();
        if status.as_u16() == 429 {
            let wait = response
                .headers()
                .get("retry-after")
                .and_then(|v| v.to_str().ok())
                .and_then(|v| v.trim().parse::<u64>().ok())
                .map_or(self.settings.open_for, Duration::from_secs);
            return Err(self.failed(format!("trop de demandes, réessayer dans {} s", wait.as_secs()), Some(wait)));
        }
        if !status.is_success() {
            return Err(self.failed(format!("réponse {status}"), None));
        }
        let body: SearchResponse =
            response.json().await.map_err(|e| self.failed(format!("réponse illisible ({e})"), None))?;
        self.state().failures = 0;
        Ok(body.results.into_iter().find_map(|item| {
            let etab = item
                .matching_etablissements
                .iter()
                .find(|e| e.siret == siret)
                .cloned()
                .or_else(|| item.siege.clone().filter(|e| e.siret == siret))?;
            let code_postal = etab.code_postal.unwrap_or_default();
            let libelle = etab.libelle_commune.unwrap_or_default();
            // The API gives the whole address line; CERES keeps the street part (postal code and town apart).
            let full = etab.adresse.unwrap_or_default();
            let suffix = format!(" {code_postal} {libelle}");
            let adresse = full.strip_suffix(&suffix).unwrap_or(&full).trim().to_owned();
            Some(Company {
                siret: etab.siret,
                nom_raison_sociale: item.nom_raison_sociale.or(item.nom_complet).unwrap_or_default(),
                adresse,
                code_postal,
                libelle_commune: libelle,
                commune: etab.commune.unwrap_or_default(),
                etat_administratif: etab.etat_administratif.unwrap_or_else(|| "A".into()),
            })
        }))
    }
}

#[async_trait::async_trait]
impl CompanyRegistry for HttpRegistry {
    async fn lookup(&self, siret: &Siret) -> Result<Option<Company>, RegistryError> {
        let key = siret.as_str().to_owned();
        loop {
            let wait = {
                let mut s = self.state();
                let now = Instant::now();
                if let Some((at, hit)) = s.cache.get(&key)
                    && now.duration_since(*at) < self.settings.cache_ttl
                {
                    return Ok(hit.clone());
                }
                if s.open_until.is_some_and(|until| until > now) {
                    return Err(RegistryError::CircuitOpen);
                }
                s.open_until = None;
                s.window.try_send(now, self.settings.max_per_second).err()
            };
            match wait {
                Some(d) => tokio::time::sleep(d).await,
                None => break,
            }
        }
        let found = self.fetch(&key).await?;
        self.state().cache.insert(key, (Instant::now(), found.clone()));
        Ok(found)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_eighth_request_within_a_second_waits() {
        let mut w = RateWindow::default();
        let t0 = Instant::now();
        for _ in 0..7 {
            assert!(w.try_send(t0, 7).is_ok());
        }
        let wait = w.try_send(t0 + Duration::from_millis(300), 7).expect_err("limited");
        assert_eq!(wait, Duration::from_millis(700));
        assert!(w.try_send(t0 + Duration::from_secs(1), 7).is_ok(), "a second later it goes");
    }
}
