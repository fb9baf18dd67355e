//! Exam session states, as CERES names them (« En préparation », « DTE envoyé », « Convocations envoyées » are
//! confirmed; the later ones follow docs/domain.md §3).

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum StatutSession {
    EnPreparation,
    DteEnvoye,
    ConvocationsEnvoyees,
    ResultatsSaisis,
    Validee,
    Annulee,
}

impl StatutSession {
    pub const ALL: [StatutSession; 6] = [
        StatutSession::EnPreparation,
        StatutSession::DteEnvoye,
        StatutSession::ConvocationsEnvoyees,
        StatutSession::ResultatsSaisis,
        StatutSession::Validee,
        StatutSession::Annulee,
    ];

    /// The code stored in the database and used in URLs.
    pub fn code(self) -> &'static str {
        match self {
            StatutSession::EnPreparation => "en_preparation",
            StatutSession::DteEnvoye => "dte_envoye",
            StatutSession::ConvocationsEnvoyees => "convocations_envoyees",
            StatutSession::ResultatsSaisis => "resultats_saisis",
            StatutSession::Validee => "validee",
            StatutSession::Annulee => "annulee",
        }
    }

    pub fn from_code(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|s| s.code() == code)
    }

    pub fn label(self) -> &'static str {
        match self {
            StatutSession::EnPreparation => "En préparation",
            StatutSession::DteEnvoye => "DTE envoyé",
            StatutSession::ConvocationsEnvoyees => "Convocations envoyées",
            StatutSession::ResultatsSaisis => "Résultats saisis",
            StatutSession::Validee => "Validée",
            StatutSession::Annulee => "Annulée",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::StatutSession;

    #[test]
    fn codes_go_back_and_forth() {
        for s in StatutSession::ALL {
            assert_eq!(StatutSession::from_code(s.code()), Some(s));
        }
        assert_eq!(StatutSession::from_code("inconnu"), None);
    }
}
