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

/// How « Traçabilité de la session » names an audited action (the code stays in the data and the API).
pub fn action_label(code: &str) -> String {
    match code {
        "creation" => "Création de la session",
        "demande_dte" => "Demande de DTE",
        "candidat_ajout" => "Ajout d'un candidat",
        "candidats_import" => "Import de candidats",
        "candidat_modification" => "Modification d'un candidat",
        "candidat_retrait" => "Retrait d'un candidat",
        "responsable" => "Responsable de session",
        "ajout" => "Nomination",
        "retrait" => "Retrait",
        "convocations" => "Envoi des convocations",
        "resultats" => "Saisie des résultats",
        "validation" => "Validation par l'UD",
        "demande_correction" => "Correction demandée par l'UD",
        "annulation" => "Annulation",
        "derogation" => "Dérogation accordée",
        "transfert" => "Transfert du site",
        other => return other.replace('_', " "),
    }
    .to_owned()
}

/// The label of a changed field in « Traçabilité de la session »: the audit keeps the field's code
/// (`dte.date_reception_plis`), the UD reads « DTE : date de réception des plis ».
pub fn champ_label(code: &str) -> String {
    let simple = |c: &str| -> Option<&'static str> {
        Some(match c {
            "identifiant" => "Identifiant",
            "titre" => "Titre professionnel",
            "type_session" => "Type de session",
            "date_debut" => "Date de début",
            "heure_debut" => "Heure de début",
            "date_fin" => "Date de fin",
            "statut" => "Statut",
            "delai_prolongation" => "Délai de prolongation",
            "commentaires" => "Commentaires",
            "candidat" => "Candidat",
            "jury" => "Jury",
            "surveillant" => "Surveillant",
            "motif_annulation" => "Motif d'annulation",
            "demande_correction" => "Demande de correction",
            "centre" => "Centre",
            "siret" => "SIRET",
            "dte.nombre_candidats" => "DTE : nombre de candidats",
            "dte.date_reception_plis" => "DTE : date de réception des plis",
            "dte.commentaires" => "DTE : commentaires",
            "responsable.nom" => "Responsable : nom",
            "responsable.prenom" => "Responsable : prénom",
            "responsable.telephone" => "Responsable : téléphone",
            "responsable.email" => "Responsable : e-mail",
            "nom" => "nom",
            "prenom" => "prénom",
            "date_naissance" => "date de naissance",
            "email" => "e-mail",
            "voie_acces" => "voie d'accès",
            _ => return None,
        })
    };
    if let Some(label) = simple(code) {
        return label.to_owned();
    }
    // « candidat DUPONT Jeanne : date_naissance » (a candidate's field changed).
    if let Some((who, field)) = code.rsplit_once(" : ")
        && let Some(label) = simple(field)
    {
        return format!("{who} : {label}");
    }
    code.to_owned()
}

/// Who made an entry, by the role code the audit keeps: « Centre », « UD », « DREETS », « Administration nationale ».
pub fn role_label(code: &str) -> String {
    match code {
        "centre" => "Centre",
        "ud" => "UD",
        "dreets" => "DREETS",
        "national" => "Administration nationale",
        other => other,
    }
    .to_owned()
}

/// A value of « Traçabilité » as the UD reads it: the session type's label instead of its code.
pub fn valeur_label(champ: Option<&str>, value: String) -> String {
    match champ {
        Some("type_session") => crate::domain::delais::TYPES_SESSION
            .iter()
            .find(|(code, _)| *code == value)
            .map_or(value, |(_, label)| (*label).to_owned()),
        _ => value,
    }
}

/// What can happen to a session after its creation (the DTE request has its own rules, in `delais`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Operation {
    /// Change the practical information, the candidates, the responsable, the jury or the surveillants.
    Modifier,
    /// « Envoyer les convocations ».
    EnvoyerConvocations,
    /// « Enregistrer les résultats ».
    SaisirResultats,
    /// The UD's « Valider ».
    Valider,
    /// The UD's « Demander une correction »: the results go back to the centre.
    DemanderCorrection,
    /// « Annuler la session » by the centre, before it starts.
    AnnulerParLeCentre,
    /// « Annuler la session » by the UD, for an irregularity.
    AnnulerParLaUd,
}

impl StatutSession {
    /// Whether the centre may still change what the session holds.
    pub fn modifiable(self) -> bool {
        matches!(self, StatutSession::EnPreparation | StatutSession::DteEnvoye | StatutSession::ConvocationsEnvoyees)
    }
}

/// The state `op` moves a session to (the same state for `Modifier`), or why it cannot happen now. `debut` is the
/// session's first day, `aujourdhui` today as the server judges it.
pub fn apres(
    op: Operation,
    statut: StatutSession,
    debut: chrono::NaiveDate,
    aujourdhui: chrono::NaiveDate,
) -> Result<StatutSession, String> {
    use StatutSession::*;
    let fige = || {
        match statut {
        Validee => "Cette session est validée : elle ne peut plus être modifiée.".to_owned(),
        Annulee => "Cette session est annulée : elle ne peut plus être modifiée.".to_owned(),
        ResultatsSaisis => {
            "Les résultats sont transmis à l'unité départementale : la session ne peut plus être modifiée, sauf si l'UD demande une correction.".to_owned()
        }
        _ => format!("Impossible dans l'état « {} ».", statut.label()),
    }
    };
    match op {
        Operation::Modifier if statut.modifiable() => Ok(statut),
        Operation::Modifier => Err(fige()),
        Operation::EnvoyerConvocations => match statut {
            DteEnvoye => Ok(ConvocationsEnvoyees),
            EnPreparation => {
                Err("Les convocations s'envoient après la demande de DTE : faites d'abord la demande de DTE.".into())
            }
            ConvocationsEnvoyees => {
                Err("Les convocations ont déjà été envoyées : téléchargez-les à nouveau si besoin.".into())
            }
            _ => Err(fige()),
        },
        Operation::SaisirResultats => match statut {
            ConvocationsEnvoyees if aujourdhui >= debut => Ok(ResultatsSaisis),
            ConvocationsEnvoyees => Err(format!(
                "Les résultats se saisissent à partir du premier jour de la session, le {}.",
                crate::domain::format::date_fr(debut)
            )),
            EnPreparation | DteEnvoye => Err("Les résultats se saisissent une fois les convocations envoyées.".into()),
            _ => Err(fige()),
        },
        Operation::Valider | Operation::DemanderCorrection => match statut {
            ResultatsSaisis => Ok(if op == Operation::Valider { Validee } else { ConvocationsEnvoyees }),
            Validee => Err("Cette session est déjà validée.".into()),
            Annulee => Err("Cette session est annulée.".into()),
            _ => {
                Err("Seule une session dont les résultats sont saisis peut être validée ou renvoyée au centre.".into())
            }
        },
        Operation::AnnulerParLeCentre => match statut {
            EnPreparation | DteEnvoye | ConvocationsEnvoyees if aujourdhui < debut => Ok(Annulee),
            EnPreparation | DteEnvoye | ConvocationsEnvoyees => {
                Err("La session a commencé : le centre ne peut plus l'annuler. Adressez-vous à l'unité départementale."
                    .into())
            }
            _ => Err(fige()),
        },
        Operation::AnnulerParLaUd => match statut {
            Validee | Annulee => Err(fige()),
            _ => Ok(Annulee),
        },
    }
}

#[cfg(test)]
mod tests {
    use super::{Operation, StatutSession, apres, champ_label, role_label, valeur_label};
    use chrono::NaiveDate;

    #[test]
    fn traced_fields_and_values_read_in_french() {
        assert_eq!(champ_label("dte.date_reception_plis"), "DTE : date de réception des plis");
        assert_eq!(champ_label("responsable.email"), "Responsable : e-mail");
        assert_eq!(champ_label("motif_annulation"), "Motif d'annulation");
        assert_eq!(
            champ_label("candidat DUPONT Jeanne : date_naissance"),
            "candidat DUPONT Jeanne : date de naissance"
        );
        assert_eq!(champ_label("résultat DUPONT Jeanne"), "résultat DUPONT Jeanne");
        assert_eq!(valeur_label(Some("type_session"), "ccp".into()), "Certificat de compétences (CCP)");
        assert_eq!(valeur_label(Some("statut"), "ccp".into()), "ccp");
        assert_eq!(role_label("ud"), "UD");
    }

    #[test]
    fn the_lifecycle_goes_forward_and_a_validated_session_is_frozen() {
        let d = |m, day| NaiveDate::from_ymd_opt(2019, m, day).expect("date");
        let (debut, avant, pendant) = (d(5, 13), d(3, 1), d(5, 14));
        use StatutSession::*;
        assert_eq!(apres(Operation::EnvoyerConvocations, DteEnvoye, debut, avant), Ok(ConvocationsEnvoyees));
        assert!(apres(Operation::EnvoyerConvocations, EnPreparation, debut, avant).is_err());
        assert!(apres(Operation::SaisirResultats, ConvocationsEnvoyees, debut, avant).is_err());
        assert_eq!(apres(Operation::SaisirResultats, ConvocationsEnvoyees, debut, pendant), Ok(ResultatsSaisis));
        assert_eq!(apres(Operation::Valider, ResultatsSaisis, debut, pendant), Ok(Validee));
        assert_eq!(apres(Operation::DemanderCorrection, ResultatsSaisis, debut, pendant), Ok(ConvocationsEnvoyees));
        assert!(apres(Operation::Modifier, Validee, debut, pendant).expect_err("frozen").contains("validée"));
        assert!(apres(Operation::Modifier, ResultatsSaisis, debut, pendant).is_err());
        assert_eq!(apres(Operation::AnnulerParLeCentre, DteEnvoye, debut, avant), Ok(Annulee));
        assert!(apres(Operation::AnnulerParLeCentre, DteEnvoye, debut, pendant).is_err());
        assert_eq!(apres(Operation::AnnulerParLaUd, ResultatsSaisis, debut, pendant), Ok(Annulee));
        assert!(apres(Operation::AnnulerParLaUd, Validee, debut, pendant).is_err());
    }

    #[test]
    fn codes_go_back_and_forth() {
        for s in StatutSession::ALL {
            assert_eq!(StatutSession::from_code(s.code()), Some(s));
        }
        assert_eq!(StatutSession::from_code("inconnu"), None);
    }
}
