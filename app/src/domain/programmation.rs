//! « Enregistrer la session »: what a centre may programme, on which site, for which titre and dates. The browser
//! checks the form with these rules before sending; the server checks again against what it stores.

use chrono::{Months, NaiveDate, NaiveTime};
use serde::{Deserialize, Serialize};

use crate::domain::delais::TYPES_SESSION;
use crate::domain::format::date_fr;

/// Longest session CERES accepts (a titre's tests last a few days).
pub const DUREE_MAX_JOURS: i64 = 31;
/// How far ahead a session can be programmed.
pub const HORIZON_MOIS: u32 = 24;

/// An agrément as the form sees it: one titre on one site, with the titre's end of validity.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AgrementOuvert {
    pub site_id: i32,
    pub titre_id: i32,
    pub titre_code: String,
    pub titre_libelle: String,
    /// accorde | suspendu | retire | termine
    pub statut: String,
    pub accorde_le: NaiveDate,
    pub date_fin: Option<NaiveDate>,
    pub titre_fin_validite: NaiveDate,
}

/// Why an agrément does not allow a session on some dates, or `Ok` with whether the session falls in the titre's
/// « délai de prolongation ».
pub fn agrement_couvre(
    a: &AgrementOuvert,
    debut: NaiveDate,
    fin: NaiveDate,
    aujourdhui: NaiveDate,
) -> Result<bool, String> {
    let titre = format!("{} – {}", a.titre_code, a.titre_libelle);
    if a.statut != "accorde" {
        return Err(format!(
            "L'agrément du site pour « {titre} » n'est plus accordé : choisissez un titre pour lequel le site est agréé."
        ));
    }
    if a.accorde_le > debut {
        return Err(format!(
            "L'agrément du site pour « {titre} » ne commence que le {} : la session doit débuter à cette date ou après.",
            date_fr(a.accorde_le)
        ));
    }
    let prolongation = fin > a.titre_fin_validite;
    if prolongation {
        let limite = a.titre_fin_validite.checked_add_months(Months::new(12)).unwrap_or(NaiveDate::MAX);
        if fin > limite {
            return Err(format!(
                "Le titre « {titre} » a pris fin le {} et son délai de prolongation d'un an s'achève le {} : la session doit se terminer au plus tard ce jour-là.",
                date_fr(a.titre_fin_validite),
                date_fr(limite)
            ));
        }
        if aujourdhui > a.titre_fin_validite {
            return Err(format!(
                "Le titre « {titre} » a pris fin le {} : une session dans son délai de prolongation devait être enregistrée avant cette date.",
                date_fr(a.titre_fin_validite)
            ));
        }
        // The prolongation is granted to the centres whose agrément ran to the titre's end.
        if a.date_fin.is_some_and(|f| f < a.titre_fin_validite) {
            return Err(format!(
                "L'agrément du site pour « {titre} » s'est terminé avant la fin du titre : il ne donne pas droit au délai de prolongation."
            ));
        }
    } else if let Some(f) = a.date_fin.filter(|f| *f < fin) {
        return Err(format!(
            "L'agrément du site pour « {titre} » prend fin le {} : la session doit se terminer au plus tard ce jour-là.",
            date_fr(f)
        ));
    }
    Ok(prolongation)
}

/// What « Enregistrer la session » sends.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct NouvelleSessionInput {
    pub site_id: String,
    pub titre_id: String,
    /// titre | ccp | ccs
    pub type_session: String,
    /// `AAAA-MM-JJ`
    pub date_debut: String,
    /// `HH:MM`
    pub heure_debut: String,
    /// `AAAA-MM-JJ`
    pub date_fin: String,
    pub commentaires: String,
}

/// A session ready to be stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NouvelleSession {
    pub site_id: i32,
    pub titre_id: i32,
    pub type_session: String,
    pub date_debut: NaiveDate,
    pub heure_debut: NaiveTime,
    pub date_fin: NaiveDate,
    pub commentaires: Option<String>,
    /// The titre has ended: the session is held in its « délai de prolongation ».
    pub prolongation: bool,
}

/// The sentence shown when a session is refused.
pub fn refus_session(errors: &[String]) -> String {
    format!("La session n'a pas été enregistrée : {}", errors.join(" "))
}

pub fn parse_date(raw: &str) -> Option<NaiveDate> {
    let t = raw.trim();
    NaiveDate::parse_from_str(t, "%Y-%m-%d").or_else(|_| NaiveDate::parse_from_str(t, "%d/%m/%Y")).ok()
}

impl NouvelleSessionInput {
    /// The session, or every reason it cannot be programmed, given the agréments of the centre's sites.
    pub fn parse(&self, agrements: &[AgrementOuvert], aujourdhui: NaiveDate) -> Result<NouvelleSession, Vec<String>> {
        let mut errors = Vec::new();
        let site_id = self.site_id.trim().parse::<i32>().ok();
        if site_id.is_none_or(|s| !agrements.iter().any(|a| a.site_id == s)) {
            errors.push("Choisissez le site où se tiendra la session.".to_owned());
        }
        let titre_id = self.titre_id.trim().parse::<i32>().ok();
        let agrement = match (site_id, titre_id) {
            (Some(s), Some(t)) => agrements.iter().find(|a| a.site_id == s && a.titre_id == t),
            _ => None,
        };
        if site_id.is_some() && agrement.is_none() {
            errors.push(
                "Choisissez un titre pour lequel le site est agréé : le site n'a pas d'agrément pour ce titre."
                    .to_owned(),
            );
        }
        let type_session = self.type_session.trim();
        if !TYPES_SESSION.iter().any(|(c, _)| *c == type_session) {
            errors.push("Choisissez le type de session : titre, CCP ou CCS.".to_owned());
        }
        let debut = parse_date(&self.date_debut);
        let fin = parse_date(&self.date_fin);
        let heure = NaiveTime::parse_from_str(self.heure_debut.trim(), "%H:%M").ok();
        match debut {
            None => errors.push("Saisissez la date de début de la session (JJ/MM/AAAA).".to_owned()),
            Some(d) if d < aujourdhui => errors.push(format!(
                "La date de début ({}) est passée : choisissez une date à partir d'aujourd'hui.",
                date_fr(d)
            )),
            Some(d) if d > aujourdhui.checked_add_months(Months::new(HORIZON_MOIS)).unwrap_or(NaiveDate::MAX) => {
                errors.push(format!(
                    "Une session se programme au plus {HORIZON_MOIS} mois à l'avance : vérifiez l'année de la date de début."
                ))
            }
            Some(_) => {}
        }
        match (debut, fin) {
            (_, None) => errors.push("Saisissez la date de fin de la session (JJ/MM/AAAA).".to_owned()),
            (Some(d), Some(f)) if f < d => errors.push(format!(
                "La date de fin ({}) est avant la date de début ({}) : elles sont inversées ?",
                date_fr(f),
                date_fr(d)
            )),
            (Some(d), Some(f)) if (f - d).num_days() >= DUREE_MAX_JOURS => {
                errors.push(format!("Une session dure au plus {DUREE_MAX_JOURS} jours : vérifiez la date de fin."))
            }
            _ => {}
        }
        if heure.is_none() {
            errors.push("Saisissez l'heure de début (HH:MM, par exemple 08:30).".to_owned());
        }
        let commentaires = super::text::free_text("Les commentaires", &self.commentaires, 1000).unwrap_or_else(|e| {
            errors.push(e);
            String::new()
        });
        let mut prolongation = false;
        if let (Some(a), Some(d), Some(f)) = (agrement, debut, fin)
            && errors.is_empty()
        {
            match agrement_couvre(a, d, f, aujourdhui) {
                Ok(p) => prolongation = p,
                Err(e) => errors.push(e),
            }
        }
        match (errors.is_empty(), site_id, titre_id, debut, heure, fin) {
            (true, Some(site_id), Some(titre_id), Some(date_debut), Some(heure_debut), Some(date_fin)) => {
                Ok(NouvelleSession {
                    site_id,
                    titre_id,
                    type_session: type_session.to_owned(),
                    date_debut,
                    heure_debut,
                    date_fin,
                    commentaires: (!commentaires.is_empty()).then_some(commentaires),
                    prolongation,
                })
            }
            _ => Err(errors),
        }
    }
}

/// The business identifier: `TITRE_T_2019_299045` (type, year of the start, sequence).
pub fn identifiant(type_session: &str, debut: NaiveDate, id: i32) -> String {
    use chrono::Datelike;
    format!("{}_T_{}_{:06}", type_session.to_uppercase(), debut.year(), 299_000 + i64::from(id))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).expect("date")
    }

    fn agrement(statut: &str, fin: Option<NaiveDate>, titre_fin: NaiveDate) -> AgrementOuvert {
        AgrementOuvert {
            site_id: 1,
            titre_id: 7,
            titre_code: "TP-01234".into(),
            titre_libelle: "Plaquiste plâtrier".into(),
            statut: statut.into(),
            accorde_le: d(2018, 10, 19),
            date_fin: fin,
            titre_fin_validite: titre_fin,
        }
    }

    fn input(debut: &str, fin: &str) -> NouvelleSessionInput {
        NouvelleSessionInput {
            site_id: "1".into(),
            titre_id: "7".into(),
            type_session: "titre".into(),
            date_debut: debut.into(),
            heure_debut: "08:30".into(),
            date_fin: fin.into(),
            commentaires: String::new(),
        }
    }

    #[test]
    fn a_session_within_its_agrement_is_accepted() {
        let a = [agrement("accorde", None, d(2025, 1, 1))];
        let s = input("2019-05-13", "2019-05-15").parse(&a, d(2019, 2, 25)).expect("valid");
        assert_eq!((s.site_id, s.titre_id, s.prolongation), (1, 7, false));
        assert_eq!(identifiant("titre", s.date_debut, 45), "TITRE_T_2019_299045");
    }

    #[test]
    fn bad_inputs_each_say_what_to_fix() {
        let a = [agrement("accorde", Some(d(2019, 6, 1)), d(2025, 1, 1))];
        let today = d(2019, 2, 25);
        for (i, why) in [
            (input("2019-05-15", "2019-05-13"), "inversées"),
            (input("2019-01-15", "2019-01-16"), "est passée"),
            (input("2019-06-10", "2019-06-11"), "prend fin le 01/06/2019"),
            (input("2019-05-13", "2019-07-13"), "au plus 31 jours"),
            (input("2031-05-13", "2031-05-13"), "24 mois"),
            (NouvelleSessionInput { titre_id: "8".into(), ..input("2019-05-13", "2019-05-15") }, "pas d'agrément"),
            (NouvelleSessionInput { heure_debut: "8h".into(), ..input("2019-05-13", "2019-05-15") }, "HH:MM"),
        ] {
            let errors = i.parse(&a, today).expect_err(why);
            assert!(errors.join(" ").contains(why), "{why}: {errors:?}");
        }
        let ended = [agrement("termine", Some(d(2019, 1, 22)), d(2025, 1, 1))];
        let errors = input("2019-05-13", "2019-05-15").parse(&ended, today).expect_err("ended agrément");
        assert!(errors[0].contains("n'est plus accordé"), "{errors:?}");
    }

    #[test]
    fn the_prolongation_year_needs_a_session_registered_before_the_end_of_validity() {
        let a = [agrement("accorde", None, d(2019, 3, 31))];
        let s = input("2019-09-02", "2019-09-04").parse(&a, d(2019, 2, 25)).expect("in the prolongation year");
        assert!(s.prolongation);
        let late = input("2019-09-02", "2019-09-04").parse(&a, d(2019, 4, 2)).expect_err("registered too late");
        assert!(late[0].contains("devait être enregistrée avant"), "{late:?}");
        let beyond = input("2020-04-06", "2020-04-07").parse(&a, d(2019, 2, 25)).expect_err("past the year");
        assert!(beyond[0].contains("31/03/2020"), "{beyond:?}");
    }
}
