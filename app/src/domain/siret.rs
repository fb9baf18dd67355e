//! SIRET (14 digits: SIREN + NIC). A `Siret` that exists is valid: Luhn over the 14 digits and over the SIREN,
//! the La Poste exception, and the reserved « Centre de reprise » number refused.
//!
//! Sources: INSEE key rules as implemented by python-stdnum `stdnum/fr/siret.py`; the 2019 support note for the
//! « centre de reprise » printed as 0000000000000.

use serde::{Deserialize, Serialize};

/// The SIRET shown for the « Centre de reprise » (13 zeros, as CERES prints it). Reserved: never typed by users.
pub const CENTRE_DE_REPRISE_SIRET: &str = "0000000000000";

/// SIREN of La Poste, whose establishments follow a different key (sum of the digits multiple of 5).
const LA_POSTE_SIREN: &str = "356000000";

#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct Siret(String);

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SiretError {
    #[error("Saisissez le SIRET du centre : 14 chiffres.")]
    Vide,
    #[error("Le SIRET ne contient que des chiffres (les espaces sont acceptés) : retirez les autres caractères.")]
    Caracteres,
    #[error("Le SIRET comporte 14 chiffres ; vous en avez saisi {0}. Vérifiez le numéro.")]
    Longueur(usize),
    #[error("Ce numéro est réservé au « Centre de reprise » et ne peut pas être utilisé.")]
    Reserve,
    #[error("Ce SIRET n'existe pas (sa clé de contrôle est fausse) : vérifiez les chiffres saisis.")]
    Cle,
}

impl Siret {
    /// Parses what a user typed: spaces are tolerated, anything else must be digits.
    pub fn parse(input: &str) -> Result<Self, SiretError> {
        let compact: String = input.chars().filter(|c| !c.is_whitespace()).collect();
        if compact.is_empty() {
            return Err(SiretError::Vide);
        }
        if !compact.chars().all(|c| c.is_ascii_digit()) {
            return Err(SiretError::Caracteres);
        }
        if compact.chars().all(|c| c == '0') {
            return Err(SiretError::Reserve);
        }
        if compact.len() != 14 {
            return Err(SiretError::Longueur(compact.len()));
        }
        let siren = &compact[..9];
        let key_ok = if siren == LA_POSTE_SIREN {
            luhn(&compact) || digit_sum(&compact).is_multiple_of(5)
        } else {
            luhn(&compact)
        };
        if !key_ok || !luhn(siren) {
            return Err(SiretError::Cle);
        }
        Ok(Siret(compact))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The first 9 digits: the company's SIREN.
    pub fn siren(&self) -> &str {
        &self.0[..9]
    }
}

impl std::fmt::Display for Siret {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

fn digit_sum(digits: &str) -> u32 {
    digits.bytes().map(|b| u32::from(b - b'0')).sum()
}

/// Luhn check over a string of ASCII digits.
pub fn luhn(digits: &str) -> bool {
    let sum: u32 = digits
        .bytes()
        .rev()
        .enumerate()
        .map(|(i, b)| {
            let d = u32::from(b - b'0');
            if i % 2 == 1 {
                let dd = d * 2;
                if dd > 9 { dd - 9 } else { dd }
            } else {
                d
            }
        })
        .sum();
    sum.is_multiple_of(10)
}

/// The digit that completes `prefix` so that `prefix + digit` passes Luhn (used to generate demo SIRETs).
pub fn luhn_complete(prefix: &str) -> char {
    (b'0'..=b'9').map(char::from).find(|d| luhn(&format!("{prefix}{d}"))).unwrap_or('0')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_siret_of_the_support_note_is_valid() {
        for s in
            ["78184280200048", "53060076600022", "38939456000020", "13000363500013", "49219528400046", "82422814201098"]
        {
            assert_eq!(Siret::parse(s).map(|x| x.to_string()), Ok(s.to_string()));
        }
    }

    #[test]
    fn spaces_are_tolerated() {
        let s = Siret::parse(" 781 842 802 00048 ").expect("valid");
        assert_eq!(s.as_str(), "78184280200048");
        assert_eq!(s.siren(), "781842802");
    }

    #[test]
    fn a_wrong_key_is_refused() {
        assert_eq!(Siret::parse("78184280200049"), Err(SiretError::Cle));
    }

    #[test]
    fn a_valid_nic_on_an_invalid_siren_is_refused() {
        // 14 digits passing Luhn whose first 9 digits do not.
        let bad_siren = "123456780";
        assert!(!luhn(bad_siren));
        let prefix = format!("{bad_siren}0000");
        let full = format!("{prefix}{}", luhn_complete(&prefix));
        assert!(luhn(&full));
        assert_eq!(Siret::parse(&full), Err(SiretError::Cle));
    }

    #[test]
    fn la_poste_establishments_use_the_sum_of_digits() {
        // Head office passes plain Luhn; other establishments only the multiple-of-5 rule.
        assert!(Siret::parse("35600000000048").is_ok());
        assert!(Siret::parse("35600000049837").is_ok());
        assert_eq!(Siret::parse("35600000049838"), Err(SiretError::Cle));
    }

    #[test]
    fn the_centre_de_reprise_number_is_reserved() {
        assert_eq!(Siret::parse("0000000000000"), Err(SiretError::Reserve));
        assert_eq!(Siret::parse("00000000000000"), Err(SiretError::Reserve));
    }

    #[test]
    fn length_and_characters_are_explained() {
        assert_eq!(Siret::parse(""), Err(SiretError::Vide));
        assert_eq!(Siret::parse("7818428020004"), Err(SiretError::Longueur(13)));
        assert_eq!(Siret::parse("7818428020004A"), Err(SiretError::Caracteres));
        assert!(SiretError::Longueur(13).to_string().contains("13"));
    }
}
