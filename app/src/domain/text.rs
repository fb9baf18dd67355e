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

/// What cannot be stored in any text a user types: control characters (line breaks and tabulations aside, where
/// `multiline`) and U+FFFD, the mark of a file or form read in the wrong encoding. The French reason, if any.
pub fn unreadable(label: &str, text: &str, multiline: bool) -> Option<String> {
    let control = |c: char| c.is_control() && !(multiline && matches!(c, '\n' | '\r' | '\t'));
    if text.chars().any(control) {
        return Some(format!("{label} contient des caractères invisibles (de contrôle) : retirez-les et recommencez."));
    }
    if text.contains('\u{fffd}') {
        return Some(format!(
            "{label} contient un caractère illisible (« \u{fffd} », venu d'un mauvais encodage) : retapez le texte."
        ));
    }
    None
}

/// Free text on several lines (comments, reasons, messages): trimmed; at most `max` characters; nothing
/// [`unreadable`]. `label` starts the French reason, e.g. « Les commentaires ».
pub fn free_text(label: &str, raw: &str, max: usize) -> Result<String, String> {
    let text = raw.trim();
    if text.chars().count() > max {
        return Err(format!("{label} : {} caractères au plus.", thousands(max)));
    }
    match unreadable(label, text, true) {
        Some(why) => Err(why),
        None => Ok(text.to_owned()),
    }
}

/// 1000 → « 1 000 ».
fn thousands(n: usize) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(' ');
        }
        out.push(c);
    }
    out
}

/// Whether a spreadsheet would run the text as a formula if it were a cell (it starts with `=`, `+`, `-` or `@`).
pub fn looks_like_formula(text: &str) -> bool {
    text.starts_with(['=', '+', '-', '@'])
}

#[cfg(test)]
mod tests {
    use super::{free_text, looks_like_formula, normalize, unreadable};

    #[test]
    fn free_text_keeps_line_breaks_and_refuses_what_cannot_be_read() {
        assert_eq!(free_text("Les commentaires", "  Accès\npar la cour\t ", 1000), Ok("Accès\npar la cour".into()));
        assert!(free_text("Les commentaires", "a\u{0}b", 1000).expect_err("control").contains("invisibles"));
        assert!(free_text("Le motif", "Dup\u{fffd}nt", 1000).expect_err("U+FFFD").contains("illisible"));
        assert_eq!(free_text("Le motif", &"é".repeat(1001), 1000), Err("Le motif : 1 000 caractères au plus.".into()));
        assert!(unreadable("Le nom", "Du\npont", false).is_some());
        assert!(looks_like_formula("=SOMME(A1)") && looks_like_formula("@x") && !looks_like_formula("Dupont"));
    }

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
