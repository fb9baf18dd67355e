//! « Identification du centre » as an agent corrects it: parsed at the edge, in the browser before sending and on
//! the server again, with one French sentence per refused field. The SIRET is the centre's identity and is not
//! edited here.

use super::text::{free_text, unreadable};
use serde::{Deserialize, Serialize};

/// What the « MODIFIER » form holds (text as typed; ids of the lists as their `<option>` values).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct IdentificationInput {
    pub raison_sociale: String,
    pub adresse: String,
    pub code_postal: String,
    /// INSEE code of the commune chosen among those of the code postal.
    pub commune_code: String,
    pub type_centre_id: String,
    pub reseau_id: String,
    pub commentaires: String,
}

/// A valid identification, ready to store (the server still checks that the commune, type and réseau exist).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Identification {
    pub raison_sociale: String,
    pub adresse: String,
    pub code_postal: String,
    pub commune_code: String,
    pub type_centre_id: Option<i32>,
    pub reseau_id: Option<i32>,
    pub commentaires: Option<String>,
}

pub const MAX_RAISON_SOCIALE: usize = 200;
pub const MAX_ADRESSE: usize = 300;
pub const MAX_COMMENTAIRES: usize = 2000;

/// The sentence shown when an identification is refused.
pub fn refusal(errors: &[String]) -> String {
    format!("L'identification n'a pas été enregistrée : {}", errors.join(" "))
}

/// Text on one line: trimmed, inner runs of spaces collapsed, no control character.
fn one_line(label: &str, raw: &str, max: usize) -> Result<String, String> {
    let text = raw.split_whitespace().collect::<Vec<_>>().join(" ");
    if text.is_empty() {
        return Err(format!("Saisissez {label}."));
    }
    if text.chars().count() > max {
        return Err(format!("{} : {max} caractères au plus.", capitalise(label)));
    }
    if let Some(why) = unreadable(&capitalise(label), &text, false) {
        return Err(why);
    }
    if text.chars().any(|c| "<>{}".contains(c)) {
        return Err(format!("{} ne peut pas contenir les caractères < > {{ }}.", capitalise(label)));
    }
    Ok(text)
}

fn capitalise(label: &str) -> String {
    let mut c = label.chars();
    c.next().map_or_else(String::new, |f| f.to_uppercase().chain(c).collect())
}

fn choice(label: &str, raw: &str) -> Result<Option<i32>, String> {
    let t = raw.trim();
    if t.is_empty() {
        return Ok(None);
    }
    t.parse::<i32>().map(Some).map_err(|_| format!("Choisissez {label} dans la liste."))
}

impl IdentificationInput {
    pub fn parse(&self) -> Result<Identification, Vec<String>> {
        let mut errors = Vec::new();
        let mut keep = |r: Result<String, String>| {
            r.unwrap_or_else(|e| {
                errors.push(e);
                String::new()
            })
        };
        let raison_sociale = keep(one_line("la raison sociale", &self.raison_sociale, MAX_RAISON_SOCIALE));
        let adresse = keep(one_line("l'adresse", &self.adresse, MAX_ADRESSE));
        let code_postal: String = self.code_postal.chars().filter(|c| !c.is_whitespace()).collect();
        if code_postal.len() != 5 || !code_postal.bytes().all(|b| b.is_ascii_digit()) {
            errors.push("Le code postal s'écrit avec 5 chiffres (par exemple 33270).".into());
        }
        let commune_code = self.commune_code.trim().to_owned();
        if commune_code.is_empty() || commune_code.len() > 5 {
            errors.push("Choisissez la commune parmi celles du code postal.".into());
        }
        let type_centre_id = choice("le type de centre", &self.type_centre_id).unwrap_or_else(|e| {
            errors.push(e);
            None
        });
        let reseau_id = choice("le réseau", &self.reseau_id).unwrap_or_else(|e| {
            errors.push(e);
            None
        });
        let commentaires = free_text("Les commentaires", &self.commentaires, MAX_COMMENTAIRES).unwrap_or_else(|e| {
            errors.push(e);
            String::new()
        });
        if !errors.is_empty() {
            return Err(errors);
        }
        Ok(Identification {
            raison_sociale,
            adresse,
            code_postal,
            commune_code,
            type_centre_id,
            reseau_id,
            commentaires: (!commentaires.is_empty()).then(|| commentaires.replace("\r\n", "\n")),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn valid() -> IdentificationInput {
        IdentificationInput {
            raison_sociale: "  FCMB   FLOIRAC ".into(),
            adresse: "2 rue de la Gare".into(),
            code_postal: "33 270".into(),
            commune_code: "33167".into(),
            type_centre_id: "2".into(),
            reseau_id: "".into(),
            commentaires: "Ouvert le samedi.\r\nParking.".into(),
        }
    }

    #[test]
    fn a_valid_form_is_cleaned() {
        let id = valid().parse().expect("valid");
        assert_eq!(id.raison_sociale, "FCMB FLOIRAC");
        assert_eq!(id.code_postal, "33270");
        assert_eq!((id.type_centre_id, id.reseau_id), (Some(2), None));
        assert_eq!(id.commentaires.as_deref(), Some("Ouvert le samedi.\nParking."));
    }

    #[test]
    fn each_bad_field_gets_its_sentence() {
        let bad = IdentificationInput {
            raison_sociale: " ".into(),
            adresse: "<script>".into(),
            code_postal: "3327".into(),
            commune_code: "".into(),
            type_centre_id: "abc".into(),
            reseau_id: "1".into(),
            commentaires: "x".repeat(MAX_COMMENTAIRES + 1),
        };
        let errors = bad.parse().expect_err("refused");
        assert_eq!(errors.len(), 6, "{errors:?}");
        assert!(errors[0].contains("Saisissez la raison sociale"));
        assert!(errors[1].contains("L'adresse ne peut pas contenir"));
        assert!(errors[2].contains("5 chiffres"));
        assert!(refusal(&errors).starts_with("L'identification n'a pas été enregistrée : "));
    }
}
