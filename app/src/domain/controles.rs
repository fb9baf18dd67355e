//! « Contrôles avant validation »: what the UD checks before validating a session (domain notes §6), worked out from
//! the session's own data — the agrément on the session's dates, the deadlines (or the window that lifted them), the
//! jury, a jury member who is also a candidate, the results. A check that fails does not block « Valider »: the UD
//! decides, knowing.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use super::candidats::{Resultat, alertes_jury};
use super::format::{count_fr, date_fr};
use super::text::normalize;

/// One check and what it found.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Controle {
    /// Stable code, for the page's ids: `agrement`, `delais`, `jury`, `conflits`, `resultats`.
    pub code: String,
    pub libelle: String,
    pub conforme: bool,
    /// What the check found, sentence by sentence.
    pub constats: Vec<String>,
}

/// An agrément of the session's site for the session's titre.
pub struct AgrementSession<'a> {
    pub statut: &'a str,
    pub accorde_le: NaiveDate,
    pub date_fin: Option<NaiveDate>,
}

/// An entry of the trail made after a deadline: when, what, and the rule (and window) it names.
pub struct SaisieHorsDelai<'a> {
    pub jour: &'a str,
    pub action: &'a str,
    pub explication: &'a str,
}

/// What the checks read.
pub struct Faits<'a> {
    pub debut: NaiveDate,
    pub fin: NaiveDate,
    pub agrements: &'a [AgrementSession<'a>],
    /// One per audit event flagged late (an entry changing three fields gives three).
    pub hors_delai: &'a [SaisieHorsDelai<'a>],
    /// « NOM Prénom », end of habilitation.
    pub jury: &'a [(String, NaiveDate)],
    /// « NOM Prénom », result if entered.
    pub candidats: &'a [(String, Option<Resultat>)],
}

pub fn controles(f: &Faits<'_>) -> Vec<Controle> {
    vec![agrement(f), delais(f), jury(f), conflits(f), resultats(f)]
}

fn controle(code: &str, libelle: &str, conforme: bool, constats: Vec<String>) -> Controle {
    Controle { code: code.into(), libelle: libelle.into(), conforme, constats }
}

fn agrement(f: &Faits<'_>) -> Controle {
    let valable = |a: &AgrementSession<'_>| {
        a.accorde_le <= f.debut
            && match a.date_fin {
                Some(fin) => fin >= f.fin,
                None => a.statut == "accorde",
            }
    };
    let libelle = "Agrément du site pour ce titre";
    if let Some(a) = f.agrements.iter().find(|a| valable(a)) {
        let jusqu = a.date_fin.map(|d| format!(" jusqu'au {}", date_fr(d))).unwrap_or_default();
        let constat = format!("Accordé le {}{jusqu}, valable sur toute la durée de la session.", date_fr(a.accorde_le));
        return controle("agrement", libelle, true, vec![constat]);
    }
    if f.agrements.is_empty() {
        return controle("agrement", libelle, false, vec!["Le site n'a aucun agrément pour ce titre.".into()]);
    }
    let constats = f
        .agrements
        .iter()
        .map(|a| {
            let mut s = format!("Agrément accordé le {}", date_fr(a.accorde_le));
            if a.accorde_le > f.debut {
                s.push_str(", après le début de la session");
            }
            match (a.date_fin, a.statut) {
                (Some(d), _) if d < f.fin => {
                    s.push_str(&format!(", terminé le {}, avant la fin de la session", date_fr(d)))
                }
                (None, "suspendu") => s.push_str(", suspendu"),
                (None, "retire") => s.push_str(", retiré"),
                _ => {}
            }
            s.push('.');
            s
        })
        .collect();
    controle("agrement", libelle, false, constats)
}

fn delais(f: &Faits<'_>) -> Controle {
    let libelle = "Délais des saisies";
    // One line per entry (day and action), not per field it changed.
    let mut constats: Vec<String> = Vec::new();
    for s in f.hors_delai {
        let line = format!("{} le {} : {}.", s.action, s.jour, s.explication);
        if !constats.contains(&line) {
            constats.push(line);
        }
    }
    if constats.is_empty() {
        return controle("delais", libelle, true, vec!["Toutes les saisies ont été faites dans les délais.".into()]);
    }
    constats.insert(0, format!("{} hors délai :", count_fr(constats.len() as u64, "saisie faite", "saisies faites")));
    controle("delais", libelle, false, constats)
}

fn jury(f: &Faits<'_>) -> Controle {
    let alertes = alertes_jury(f.jury, f.fin);
    let libelle = "Jury";
    if alertes.is_empty() {
        let n = count_fr(f.jury.len() as u64, "membre habilité", "membres habilités");
        return controle("jury", libelle, true, vec![format!("{n} jusqu'à la fin de la session.")]);
    }
    controle("jury", libelle, false, alertes)
}

fn conflits(f: &Faits<'_>) -> Controle {
    let libelle = "Membres du jury parmi les candidats";
    let candidats: Vec<String> = f.candidats.iter().map(|(nom, _)| normalize(nom)).collect();
    let constats: Vec<String> = f
        .jury
        .iter()
        .filter(|(nom, _)| candidats.contains(&normalize(nom)))
        .map(|(nom, _)| format!("{nom} est à la fois membre du jury et candidat."))
        .collect();
    if constats.is_empty() {
        return controle("conflits", libelle, true, vec!["Aucun membre du jury n'est candidat à la session.".into()]);
    }
    controle("conflits", libelle, false, constats)
}

fn resultats(f: &Faits<'_>) -> Controle {
    let libelle = "Résultats";
    if f.candidats.is_empty() {
        return controle("resultats", libelle, false, vec!["Aucun candidat n'est inscrit à la session.".into()]);
    }
    let sans: Vec<&str> = f.candidats.iter().filter(|(_, r)| r.is_none()).map(|(nom, _)| nom.as_str()).collect();
    if !sans.is_empty() {
        let n = count_fr(sans.len() as u64, "candidat n'a pas de résultat", "candidats n'ont pas de résultat");
        return controle("resultats", libelle, false, vec![format!("{n} : {}.", sans.join(", "))]);
    }
    let count = |r: Resultat, one: &str, many: &str| {
        let n = f.candidats.iter().filter(|(_, x)| *x == Some(r)).count() as u64;
        (n > 0).then(|| count_fr(n, one, many))
    };
    let detail: Vec<String> = [
        count(Resultat::Reussite, "réussite", "réussites"),
        count(Resultat::ReussitePartielle, "réussite partielle", "réussites partielles"),
        count(Resultat::Echec, "échec", "échecs"),
        count(Resultat::Absent, "absent", "absents"),
    ]
    .into_iter()
    .flatten()
    .collect();
    let total = count_fr(f.candidats.len() as u64, "candidat", "candidats");
    controle("resultats", libelle, true, vec![format!("{total}, tous avec un résultat : {}.", detail.join(", "))])
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, j: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, j).expect("date")
    }

    fn faits<'a>(
        agrements: &'a [AgrementSession<'a>],
        hors_delai: &'a [SaisieHorsDelai<'a>],
        jury: &'a [(String, NaiveDate)],
        candidats: &'a [(String, Option<Resultat>)],
    ) -> Faits<'a> {
        Faits { debut: d(2019, 4, 20), fin: d(2019, 4, 22), agrements, hors_delai, jury, candidats }
    }

    fn by_code<'a>(c: &'a [Controle], code: &str) -> &'a Controle {
        c.iter().find(|c| c.code == code).expect("check")
    }

    #[test]
    fn a_clean_session_passes_every_check() {
        let agrements = [AgrementSession { statut: "accorde", accorde_le: d(2019, 3, 4), date_fin: None }];
        let jury = [("MARTIN Paul".to_owned(), d(2020, 1, 1)), ("DURAND Léa".to_owned(), d(2019, 4, 22))];
        let candidats = [
            ("DUPONT Jeanne".to_owned(), Some(Resultat::Reussite)),
            ("LEROY Marc".to_owned(), Some(Resultat::Reussite)),
            ("PETIT Anne".to_owned(), Some(Resultat::Absent)),
        ];
        let c = controles(&faits(&agrements, &[], &jury, &candidats));
        assert!(c.iter().all(|c| c.conforme), "{c:?}");
        assert_eq!(
            by_code(&c, "agrement").constats,
            ["Accordé le 04/03/2019, valable sur toute la durée de la session."]
        );
        assert_eq!(by_code(&c, "resultats").constats, ["3 candidats, tous avec un résultat : 2 réussites, 1 absent."]);
        assert_eq!(by_code(&c, "jury").constats, ["2 membres habilités jusqu'à la fin de la session."]);
    }

    #[test]
    fn each_check_says_what_is_wrong() {
        let agrements = [
            AgrementSession { statut: "termine", accorde_le: d(2017, 1, 1), date_fin: Some(d(2019, 4, 21)) },
            AgrementSession { statut: "accorde", accorde_le: d(2019, 5, 1), date_fin: None },
        ];
        let late = "Demande de DTE au moins 3 mois avant le début de la session — dérogation « 2019 »";
        let hors_delai = [
            SaisieHorsDelai { jour: "25/02/2019", action: "Demande de DTE", explication: late },
            SaisieHorsDelai { jour: "25/02/2019", action: "Demande de DTE", explication: late },
        ];
        let jury = [("DUPONT Jeanne".to_owned(), d(2019, 4, 21))];
        let candidats = [("Dupont Jeanne".to_owned(), Some(Resultat::Echec)), ("LEROY Marc".to_owned(), None)];
        let c = controles(&faits(&agrements, &hors_delai, &jury, &candidats));
        assert!(c.iter().all(|c| !c.conforme), "{c:?}");
        assert_eq!(
            by_code(&c, "agrement").constats,
            [
                "Agrément accordé le 01/01/2017, terminé le 21/04/2019, avant la fin de la session.",
                "Agrément accordé le 01/05/2019, après le début de la session."
            ]
        );
        assert_eq!(
            by_code(&c, "delais").constats,
            ["1 saisie faite hors délai :".to_owned(), format!("Demande de DTE le 25/02/2019 : {late}.")]
        );
        assert_eq!(by_code(&c, "jury").constats.len(), 2, "one member, whose habilitation ends too early");
        assert_eq!(by_code(&c, "conflits").constats, ["DUPONT Jeanne est à la fois membre du jury et candidat."]);
        assert_eq!(by_code(&c, "resultats").constats, ["1 candidat n'a pas de résultat : LEROY Marc."]);
        let none = controles(&faits(&[], &[], &jury, &[]));
        assert_eq!(by_code(&none, "agrement").constats, ["Le site n'a aucun agrément pour ce titre."]);
        assert_eq!(by_code(&none, "resultats").constats, ["Aucun candidat n'est inscrit à la session."]);
    }
}
