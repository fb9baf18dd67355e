//! « Organismes de formation conventionnés »: a centre's convention with a training body (code du travail, art.
//! R. 338-8 as cited in the domain notes, source S-15). The convention is sent to the préfet before it takes effect;
//! its forecast numbers of candidates are given for the current year and the next, then renewed each year by an
//! avenant due before 1 January, except in the year it is signed and the year after. The browser checks the form
//! with these rules before sending; the server checks them again, with what only it knows (the registry, the
//! centre's agréments, the conventions already stored).

use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Serialize};

use crate::domain::format::date_fr;
use crate::domain::programmation::parse_date;
use crate::domain::siret::{Siret, SiretError};

/// Largest forecast number of candidates for one year (a typing error above it).
pub const PREVISION_MAX: u32 = 9_999;

/// What the « Déclarer une convention » form holds, as typed.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ConventionInput {
    /// The training body's SIRET (fixed once the convention exists).
    pub siret: String,
    /// Ids of the titres professionnels covered.
    #[serde(default)]
    pub titres: Vec<i32>,
    /// `<input type="date">` values (« 2026-09-01 »; « 01/09/2026 » is accepted too).
    pub date_envoi_prefet: String,
    pub date_effet: String,
    /// Forecast numbers of candidates for `annee` (the current year) and the next.
    pub prevision_n: String,
    pub prevision_n1: String,
}

/// A convention the rules accept.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConventionValide {
    pub siret: Siret,
    pub titres: Vec<i32>,
    pub date_envoi_prefet: NaiveDate,
    pub date_effet: NaiveDate,
    /// The year of `prevision_n`: the year it was declared or last updated.
    pub annee: i32,
    pub prevision_n: u32,
    pub prevision_n1: u32,
}

/// The sentence that tells why nothing was saved.
pub fn refusal(errors: &[String]) -> String {
    format!("La convention n'a pas été enregistrée : {}", errors.join(" "))
}

fn prevision(raw: &str, annee: i32, errors: &mut Vec<String>) -> u32 {
    match raw.trim().replace(['\u{a0}', '\u{202f}', ' '], "").parse::<u32>() {
        Ok(n) if n <= PREVISION_MAX => n,
        _ => {
            errors.push(format!(
                "Indiquez le nombre de candidats prévus en {annee} : un nombre entier de 0 à 9 999 (0 si aucun)."
            ));
            0
        }
    }
}

impl ConventionInput {
    /// A stored convention as its form shows it in `year` (« Modifier »), and as the server compares it with what
    /// that form showed. The form asks for the forecasts of `year` and the next: those stored for `annee` and the
    /// next move to their years (a convention of last year shows its forecast for this year as this year's), and a
    /// year without a forecast is left to fill in.
    pub fn stored(
        siret: &str,
        titres: Vec<i32>,
        (envoi, effet): (NaiveDate, NaiveDate),
        annee: i32,
        previsions: (i32, i32),
        year: i32,
    ) -> Self {
        use crate::domain::format::date_iso;
        let forecast = |y: i32| match y - annee {
            0 => previsions.0.to_string(),
            1 => previsions.1.to_string(),
            _ => String::new(),
        };
        ConventionInput {
            siret: siret.to_owned(),
            titres,
            date_envoi_prefet: date_iso(envoi),
            date_effet: date_iso(effet),
            prevision_n: forecast(year),
            prevision_n1: forecast(year + 1),
        }
    }

    /// The convention, or every reason the form cannot be saved, on `today`.
    pub fn parse(&self, today: NaiveDate) -> Result<ConventionValide, Vec<String>> {
        let mut errors = Vec::new();
        let siret = match Siret::parse(&self.siret) {
            Ok(s) => Some(s),
            Err(SiretError::Vide) => {
                errors.push("Saisissez le SIRET de l'organisme de formation : 14 chiffres.".to_owned());
                None
            }
            Err(e) => {
                errors.push(e.to_string());
                None
            }
        };
        let mut titres = self.titres.clone();
        titres.sort_unstable();
        titres.dedup();
        if titres.is_empty() {
            errors.push("Cochez au moins un titre professionnel couvert par la convention.".to_owned());
        }
        let date = |raw: &str, what: &str, errors: &mut Vec<String>| {
            let d = parse_date(raw);
            if d.is_none() {
                errors.push(if raw.trim().is_empty() {
                    format!("Saisissez la {what}.")
                } else {
                    format!("La {what} n'est pas une date valide : saisissez-la au format jj/mm/aaaa.")
                });
            }
            d
        };
        let envoi = date(&self.date_envoi_prefet, "date d'envoi de la convention au préfet", &mut errors);
        let effet = date(&self.date_effet, "date de prise d'effet de la convention", &mut errors);
        if let Some(envoi) = envoi {
            if envoi > today {
                errors.push(format!(
                    "La date d'envoi au préfet ({}) est dans le futur : déclarez la convention une fois envoyée.",
                    date_fr(envoi)
                ));
            }
            if let Some(effet) = effet.filter(|effet| envoi >= *effet) {
                errors.push(format!(
                    "Elle doit être envoyée au préfet avant sa prise d'effet : la date d'envoi ({}) doit précéder celle de prise d'effet ({}).",
                    date_fr(envoi),
                    date_fr(effet)
                ));
            }
        }
        let annee = today.year();
        let prevision_n = prevision(&self.prevision_n, annee, &mut errors);
        let prevision_n1 = prevision(&self.prevision_n1, annee + 1, &mut errors);
        match (siret, envoi, effet) {
            (Some(siret), Some(date_envoi_prefet), Some(date_effet)) if errors.is_empty() => {
                Ok(ConventionValide { siret, titres, date_envoi_prefet, date_effet, annee, prevision_n, prevision_n1 })
            }
            _ => Err(errors),
        }
    }
}

/// The avenant the centre must send next, if one is due: the year it covers, when the stored forecasts (for
/// `annee` and the year after) do not reach next year and next year is at least the second after the one the
/// convention took effect. It is due before 1 January of that year.
pub fn avenant_attendu(date_effet: NaiveDate, annee: i32, today: NaiveDate) -> Option<i32> {
    let next = today.year() + 1;
    (next >= date_effet.year() + 2 && annee + 1 < next).then_some(next)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).expect("date")
    }

    #[test]
    fn modifier_asks_for_this_years_forecast_and_the_next() {
        let shown = |annee, year| {
            let i = ConventionInput::stored("1", vec![], (d(2024, 8, 11), d(2024, 9, 1)), annee, (14, 18), year);
            (i.prevision_n, i.prevision_n1)
        };
        assert_eq!(shown(2026, 2026), ("14".into(), "18".into()), "declared this year");
        assert_eq!(shown(2025, 2026), ("18".into(), String::new()), "last year's forecast for this year moves up");
        assert_eq!(shown(2023, 2026), (String::new(), String::new()), "nothing forecast for these years");
    }

    fn input() -> ConventionInput {
        ConventionInput {
            siret: "732 829 320 00074".into(),
            titres: vec![3, 1, 3],
            date_envoi_prefet: "2026-08-20".into(),
            date_effet: "01/09/2026".into(),
            prevision_n: "12".into(),
            prevision_n1: " 1 500 ".into(),
        }
    }

    #[test]
    fn a_complete_convention_is_accepted() {
        let ok = input().parse(d(2026, 11, 30)).expect("valid");
        assert_eq!(ok.siret.as_str(), "73282932000074");
        assert_eq!(ok.titres, vec![1, 3]);
        assert_eq!(ok.date_effet, d(2026, 9, 1));
        assert_eq!((ok.annee, ok.prevision_n, ok.prevision_n1), (2026, 12, 1500));
    }

    #[test]
    fn every_mistake_is_told_at_once() {
        let wrong = ConventionInput {
            siret: String::new(),
            titres: vec![],
            date_envoi_prefet: "2026-13-01".into(),
            date_effet: String::new(),
            prevision_n: "-1".into(),
            prevision_n1: "10000".into(),
        };
        let errors = wrong.parse(d(2026, 11, 30)).expect_err("invalid");
        let all = errors.join("\n");
        assert_eq!(errors.len(), 6, "{all}");
        for part in [
            "SIRET de l'organisme",
            "au moins un titre",
            "d'envoi de la convention au préfet n'est pas une date valide",
            "Saisissez la date de prise d'effet",
            "prévus en 2026",
            "prévus en 2027",
        ] {
            assert!(all.contains(part), "{part}: {all}");
        }
    }

    #[test]
    fn the_convention_reaches_the_prefet_before_it_takes_effect() {
        let same_day = ConventionInput { date_envoi_prefet: "2026-09-01".into(), ..input() };
        let errors = same_day.parse(d(2026, 11, 30)).expect_err("same day");
        assert!(errors[0].contains("de prise d'effet (01/09/2026)"), "{errors:?}");
        let future =
            ConventionInput { date_envoi_prefet: "2026-12-10".into(), date_effet: "2027-01-01".into(), ..input() };
        let errors = future.parse(d(2026, 11, 30)).expect_err("future");
        assert!(errors[0].contains("(10/12/2026) est dans le futur"), "{errors:?}");
        let bad_key = ConventionInput { siret: "73282932000075".into(), ..input() };
        assert!(bad_key.parse(d(2026, 11, 30)).expect_err("key")[0].contains("clé de contrôle"));
    }

    #[test]
    fn an_avenant_is_due_from_the_second_year_after_the_convention() {
        // Signed in 2025: no avenant for 2026 (the year after), one for 2027 unless the forecasts reach it.
        let effet = d(2025, 3, 1);
        assert_eq!(avenant_attendu(effet, 2025, d(2025, 12, 1)), None);
        assert_eq!(avenant_attendu(effet, 2025, d(2026, 6, 1)), Some(2027));
        assert_eq!(avenant_attendu(effet, 2026, d(2026, 6, 1)), None);
        assert_eq!(avenant_attendu(effet, 2026, d(2027, 2, 1)), Some(2028));
    }
}
