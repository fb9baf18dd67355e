//! A représentant's contact details, parsed at the edge: a value that exists is valid.

use serde::{Deserialize, Serialize};

use crate::dto::Representant;

/// What a user typed in the « Représentant » form.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct RepresentantInput {
    pub nom: String,
    pub prenom: String,
    pub genre: String,
    pub telephone: String,
    pub email: String,
}

pub const GENRES: [&str; 2] = ["Madame", "Monsieur"];

/// The sentence shown (by the browser before sending, by the server after) when a représentant is refused.
pub fn refusal(errors: &[String]) -> String {
    format!("Le représentant n'a pas été enregistré : {}", errors.join(" "))
}

fn optional(s: &str) -> Option<String> {
    let t = s.trim();
    (!t.is_empty()).then(|| t.to_owned())
}

/// A French phone number, written « 05 56 12 34 56 » (or +33 / overseas +262… kept as typed, spaced).
pub fn parse_telephone(raw: &str) -> Result<Option<String>, String> {
    let Some(t) = optional(raw) else { return Ok(None) };
    let digits: String = t.chars().filter(char::is_ascii_digit).collect();
    let allowed = t.chars().all(|c| c.is_ascii_digit() || " .-+()".contains(c));
    let national = digits.len() == 10 && digits.starts_with('0');
    let international = t.starts_with('+') && (11..=15).contains(&digits.len());
    if !allowed || !(national || international) {
        return Err(format!(
            "« {t} » n'est pas un numéro de téléphone : saisissez 10 chiffres (ex. 05 56 12 34 56) ou un numéro international commençant par +."
        ));
    }
    Ok(Some(if national {
        digits.as_bytes().chunks(2).map(|c| String::from_utf8_lossy(c).into_owned()).collect::<Vec<_>>().join(" ")
    } else {
        format!("+{digits}")
    }))
}

pub fn parse_email(raw: &str) -> Result<Option<String>, String> {
    let Some(e) = optional(raw) else { return Ok(None) };
    let ok = e.len() <= 254
        && !e.chars().any(|c| c.is_whitespace() || c.is_control() || c == '\u{fffd}')
        && !super::text::looks_like_formula(&e)
        && e.split_once('@').is_some_and(|(local, domain)| {
            !local.is_empty()
                && domain.contains('.')
                && !domain.starts_with('.')
                && !domain.ends_with('.')
                && !domain.contains('@')
        });
    if !ok {
        return Err(format!("« {e} » n'est pas une adresse e-mail : elle s'écrit nom@domaine.fr."));
    }
    Ok(Some(e.to_lowercase()))
}

pub fn parse_name(label: &str, raw: &str) -> Result<Option<String>, String> {
    let Some(n) = optional(raw) else { return Ok(None) };
    if n.chars().count() > 100
        || n.chars().any(|c| c.is_control() || "<>{}[]=;\\\u{fffd}".contains(c))
        || super::text::looks_like_formula(&n)
    {
        return Err(format!(
            "Le {label} ne peut contenir que des lettres, espaces, apostrophes et tirets, sans commencer par un tiret (100 caractères au plus)."
        ));
    }
    Ok(Some(n))
}

impl RepresentantInput {
    /// The représentant to store, or every reason it cannot be (one sentence per field).
    pub fn parse(&self) -> Result<Representant, Vec<String>> {
        let mut errors = Vec::new();
        let mut keep = |r: Result<Option<String>, String>| {
            r.unwrap_or_else(|e| {
                errors.push(e);
                None
            })
        };
        let nom = keep(parse_name("nom", &self.nom));
        let prenom = keep(parse_name("prénom", &self.prenom));
        let genre = keep(match optional(&self.genre) {
            None => Ok(None),
            Some(g) if GENRES.contains(&g.as_str()) => Ok(Some(g)),
            Some(g) => Err(format!("« {g} » n'est pas un genre proposé : choisissez Madame ou Monsieur.")),
        });
        let telephone = keep(parse_telephone(&self.telephone));
        let email = keep(parse_email(&self.email));
        if errors.is_empty() { Ok(Representant { nom, prenom, genre, telephone, email }) } else { Err(errors) }
    }

    pub fn from(r: &Representant) -> Self {
        let s = |o: &Option<String>| o.clone().unwrap_or_default();
        RepresentantInput {
            nom: s(&r.nom),
            prenom: s(&r.prenom),
            genre: s(&r.genre),
            telephone: s(&r.telephone),
            email: s(&r.email),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn phones_are_normalised_or_explained() {
        assert_eq!(parse_telephone("0556123456"), Ok(Some("05 56 12 34 56".into())));
        assert_eq!(parse_telephone("05.56.12.34.56"), Ok(Some("05 56 12 34 56".into())));
        assert_eq!(parse_telephone("+262 262 12 34 56"), Ok(Some("+262262123456".into())));
        assert_eq!(parse_telephone("  "), Ok(None));
        assert!(parse_telephone("12345").is_err_and(|e| e.contains("10 chiffres")));
        assert!(parse_telephone("05 56 12 34 5x").is_err());
    }

    #[test]
    fn emails_are_checked() {
        assert_eq!(parse_email(" Marie.Dupont@Exemple.FR "), Ok(Some("marie.dupont@exemple.fr".into())));
        for bad in ["marie", "marie@", "@exemple.fr", "marie@exemple", "ma rie@exemple.fr", "a@b@c.fr"] {
            assert!(parse_email(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn every_wrong_field_is_reported() {
        let input = RepresentantInput {
            nom: "<script>".into(),
            prenom: "Marie".into(),
            genre: "Autre".into(),
            telephone: "123".into(),
            email: "x".into(),
        };
        assert_eq!(input.parse().expect_err("refused").len(), 4);
        let ok = RepresentantInput { nom: "Dupont".into(), genre: "Madame".into(), ..Default::default() };
        assert_eq!(ok.parse().map(|r| r.nom), Ok(Some("Dupont".into())));
    }
}
