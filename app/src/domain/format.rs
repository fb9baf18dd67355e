//! French formatting: dates dd/mm/yyyy, numbers grouped by thousands with a no-break space (« 11 603 »).

use chrono::{Datelike, NaiveDate};

/// The no-break space that groups digits, so « 11 603 » never wraps.
pub const GROUP_SEPARATOR: char = '\u{a0}';

/// « 22/01/2019 ». Written by hand rather than with chrono's `format`, whose pattern interpreter would otherwise be
/// compiled into the WASM for this alone.
pub fn date_fr(date: NaiveDate) -> String {
    format!("{:02}/{:02}/{:04}", date.day(), date.month(), date.year())
}

/// « 2019-01-22 », the value of an `<input type="date">`.
pub fn date_iso(date: NaiveDate) -> String {
    format!("{:04}-{:02}-{:02}", date.year(), date.month(), date.day())
}

pub fn number_fr(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(GROUP_SEPARATOR);
        }
        out.push(c);
    }
    out
}

/// « 1 résultat », « 11 603 résultats ».
pub fn count_fr(n: u64, singular: &str, plural: &str) -> String {
    format!("{} {}", number_fr(n), if n <= 1 { singular } else { plural })
}

/// A commune as CERES prints it: « 30200 - BAGNOLS SUR CEZE ».
pub fn commune_label(code_postal: &str, nom: &str) -> String {
    let upper: String = crate::domain::text::normalize(nom).to_uppercase();
    format!("{code_postal} - {upper}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_are_grouped_the_french_way() {
        assert_eq!(number_fr(0), "0");
        assert_eq!(number_fr(999), "999");
        assert_eq!(number_fr(3803), "3\u{a0}803");
        assert_eq!(number_fr(11603), "11\u{a0}603");
        assert_eq!(number_fr(1_160_300), "1\u{a0}160\u{a0}300");
        assert_eq!(count_fr(1, "résultat", "résultats"), "1 résultat");
        assert_eq!(count_fr(11603, "résultat", "résultats"), "11\u{a0}603 résultats");
    }

    #[test]
    fn dates_are_day_month_year() {
        let d = NaiveDate::from_ymd_opt(2018, 10, 19).expect("date");
        assert_eq!(date_fr(d), "19/10/2018");
        assert_eq!(date_iso(d), "2018-10-19");
        let early = NaiveDate::from_ymd_opt(987, 2, 3).expect("date");
        assert_eq!(date_fr(early), "03/02/0987");
        assert_eq!(date_iso(early), "0987-02-03");
    }

    #[test]
    fn communes_are_printed_like_the_support_note() {
        assert_eq!(commune_label("30200", "Bagnols-sur-Cèze"), "30200 - BAGNOLS SUR CEZE");
        assert_eq!(commune_label("92350", "Le Plessis-Robinson"), "92350 - LE PLESSIS ROBINSON");
    }
}
