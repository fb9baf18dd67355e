//! Text folding for search: lowercase, without diacritics, apostrophes and hyphens turned into spaces, so that
//! « l'AFPA », « Saint-Nazaire » and « saint nazaire » meet.

/// Folds one character to its lowercase ASCII base, or to a space for separators; `None` drops it.
fn fold(c: char, out: &mut String) {
    let base = match c {
        'a'..='z' | '0'..='9' => {
            out.push(c);
            return;
        }
        'A'..='Z' => {
            out.push(c.to_ascii_lowercase());
            return;
        }
        'à' | 'â' | 'ä' | 'á' | 'ã' | 'å' | 'À' | 'Â' | 'Ä' | 'Á' | 'Ã' | 'Å' => "a",
        'ç' | 'Ç' => "c",
        'é' | 'è' | 'ê' | 'ë' | 'É' | 'È' | 'Ê' | 'Ë' => "e",
        'î' | 'ï' | 'í' | 'ì' | 'Î' | 'Ï' | 'Í' | 'Ì' => "i",
        'ô' | 'ö' | 'ó' | 'ò' | 'õ' | 'Ô' | 'Ö' | 'Ó' | 'Ò' | 'Õ' => "o",
        'ù' | 'û' | 'ü' | 'ú' | 'Ù' | 'Û' | 'Ü' | 'Ú' => "u",
        'ÿ' | 'ý' | 'Ÿ' | 'Ý' => "y",
        'ñ' | 'Ñ' => "n",
        'œ' | 'Œ' => "oe",
        'æ' | 'Æ' => "ae",
        'ß' => "ss",
        _ if c.is_alphanumeric() => {
            out.extend(c.to_lowercase());
            return;
        }
        _ => " ",
    };
    out.push_str(base);
}

/// The searchable form of a text: folded words separated by single spaces.
pub fn normalize(input: &str) -> String {
    let mut folded = String::with_capacity(input.len());
    for c in input.chars() {
        fold(c, &mut folded);
    }
    folded.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[cfg(test)]
mod tests {
    use super::normalize;

    #[test]
    fn accents_case_apostrophes_and_hyphens_are_folded() {
        assert_eq!(normalize("l'AFPA de Saint-Nazaire"), "l afpa de saint nazaire");
        assert_eq!(normalize("  Bagnols-sur-Cèze "), "bagnols sur ceze");
        assert_eq!(normalize("Œuvre ÉLÈVE"), "oeuvre eleve");
        assert_eq!(normalize("FCMB- Floirac"), "fcmb floirac");
    }

    #[test]
    fn digits_are_kept_so_sirets_match() {
        assert_eq!(normalize("SIRET 781 842 802"), "siret 781 842 802");
    }
}
