//! A session's people: candidates (typed one by one or imported from a CSV file, previewed line by line before
//! anything is saved), their results, the « Responsable de session », the « Surveillant(s) » and the jury.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::domain::contact::{parse_email, parse_name, parse_telephone};
use crate::domain::format::date_fr;
use crate::domain::programmation::parse_date;

/// Most candidates one import may hold.
pub const MAX_LIGNES_IMPORT: usize = 500;

/// How a candidate comes to the titre.
pub const VOIES_ACCES: [(&str, &str); 2] = [("formation", "Formation"), ("vae", "VAE")];

pub fn voie_label(code: &str) -> &'static str {
    VOIES_ACCES.iter().find(|(c, _)| *c == code).map_or("—", |(_, l)| l)
}

/// What the candidate form (or one CSV line) holds.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct CandidatInput {
    pub nom: String,
    pub prenom: String,
    /// `AAAA-MM-JJ` or `JJ/MM/AAAA`
    pub date_naissance: String,
    pub email: String,
    /// formation | vae
    pub voie_acces: String,
}

/// A valid candidate.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Candidat {
    pub nom: String,
    pub prenom: String,
    pub date_naissance: NaiveDate,
    pub email: Option<String>,
    pub voie_acces: String,
}

pub fn refus_candidat(errors: &[String]) -> String {
    format!("Le candidat n'a pas été enregistré : {}", errors.join(" "))
}

fn required_name(label: &str, raw: &str, errors: &mut Vec<String>) -> Option<String> {
    match parse_name(label, raw) {
        Ok(Some(n)) => Some(n),
        Ok(None) => {
            errors.push(format!("Saisissez le {label} du candidat."));
            None
        }
        Err(e) => {
            errors.push(e);
            None
        }
    }
}

impl CandidatInput {
    /// The candidate, or every reason it cannot be registered, for a session starting on `debut`.
    pub fn parse(&self, debut: NaiveDate) -> Result<Candidat, Vec<String>> {
        let mut errors = Vec::new();
        let nom = required_name("nom", &self.nom, &mut errors);
        let prenom = required_name("prénom", &self.prenom, &mut errors);
        let naissance = match parse_date(&self.date_naissance) {
            None if self.date_naissance.trim().is_empty() => {
                errors.push("Saisissez la date de naissance du candidat (JJ/MM/AAAA).".to_owned());
                None
            }
            None => {
                errors.push(format!(
                    "« {} » n'est pas une date de naissance : écrivez-la JJ/MM/AAAA.",
                    self.date_naissance.trim()
                ));
                None
            }
            Some(d) if d > debut.checked_sub_months(chrono::Months::new(12 * 16)).unwrap_or(NaiveDate::MIN) => {
                errors.push(format!(
                    "Né(e) le {}, le candidat aurait moins de 16 ans le jour de la session : vérifiez l'année.",
                    date_fr(d)
                ));
                None
            }
            Some(d) if d < NaiveDate::from_ymd_opt(1920, 1, 1).unwrap_or(NaiveDate::MIN) => {
                errors.push(format!("Né(e) le {} ? Vérifiez l'année de naissance.", date_fr(d)));
                None
            }
            Some(d) => Some(d),
        };
        let email = parse_email(&self.email).unwrap_or_else(|e| {
            errors.push(e);
            None
        });
        let voie = self.voie_acces.trim().to_lowercase();
        let voie = VOIES_ACCES.iter().find(|(c, l)| *c == voie || l.to_lowercase() == voie).map(|(c, _)| *c);
        if voie.is_none() {
            errors.push("Choisissez la voie d'accès : formation ou VAE.".to_owned());
        }
        match (errors.is_empty(), nom, prenom, naissance, voie) {
            (true, Some(nom), Some(prenom), Some(date_naissance), Some(voie)) => {
                Ok(Candidat { nom: nom.to_uppercase(), prenom, date_naissance, email, voie_acces: voie.to_owned() })
            }
            _ => Err(errors),
        }
    }
}

/// One line of an imported file, as the preview shows it: what it holds and what is wrong with it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LigneImport {
    /// Line number in the file (the header is line 1).
    pub numero: usize,
    pub candidat: CandidatInput,
    pub erreurs: Vec<String>,
}

/// The columns an import needs, as the header names them (accents, case and spaces do not matter).
pub const COLONNES: [(&str, &[&str]); 5] = [
    ("nom", &["nom", "nom de famille"]),
    ("prenom", &["prenom"]),
    ("date_naissance", &["date de naissance", "date_naissance", "naissance", "ne le", "ne(e) le"]),
    ("email", &["email", "e-mail", "courriel", "adresse e-mail", "mail"]),
    ("voie_acces", &["voie d'acces", "voie_acces", "voie acces", "voie"]),
];

/// The header line a file must start with.
pub const ENTETE_MODELE: &str = "Nom;Prénom;Date de naissance;E-mail;Voie d'accès";

fn fold(s: &str) -> String {
    crate::domain::text::normalize(s).replace('_', " ")
}

/// Splits one CSV line (separator `sep`, double quotes around fields that hold it).
fn split_line(line: &str, sep: char) -> Vec<String> {
    let mut fields = Vec::new();
    let mut cur = String::new();
    let mut quoted = false;
    let mut chars = line.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '"' if quoted && chars.peek() == Some(&'"') => {
                cur.push('"');
                chars.next();
            }
            '"' => quoted = !quoted,
            c if c == sep && !quoted => fields.push(std::mem::take(&mut cur)),
            c => cur.push(c),
        }
    }
    fields.push(cur);
    fields
}

/// Reads a candidates file: UTF-8 text, `;` or `,` separated, with a header line naming the columns. `Err` is a
/// sentence about the whole file (encoding, columns); otherwise one `LigneImport` per non-empty line.
pub fn lire_csv(bytes: &[u8], debut: NaiveDate) -> Result<Vec<LigneImport>, String> {
    let text = std::str::from_utf8(bytes).map_err(|_| {
        "Le fichier n'est pas encodé en UTF-8 (les accents seraient perdus) : dans votre tableur, enregistrez-le au format « CSV UTF-8 (délimité par des points-virgules) » puis importez-le à nouveau.".to_owned()
    })?;
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let mut lines = text.lines().enumerate().filter(|(_, l)| !l.trim().is_empty());
    let Some((_, header)) = lines.next() else {
        return Err(format!("Le fichier est vide : sa première ligne doit être « {ENTETE_MODELE} »."));
    };
    let sep = if header.matches(';').count() >= header.matches(',').count() { ';' } else { ',' };
    let names: Vec<String> = split_line(header, sep).iter().map(|h| fold(h)).collect();
    let mut positions = Vec::new();
    let mut missing = Vec::new();
    for (key, aliases) in COLONNES {
        match names.iter().position(|n| aliases.iter().any(|a| fold(a) == *n)) {
            Some(p) => positions.push(Some(p)),
            None if key == "email" => positions.push(None),
            None => {
                missing.push(key);
                positions.push(None);
            }
        }
    }
    if !missing.is_empty() {
        let labels: Vec<&str> = missing
            .iter()
            .map(|k| match *k {
                "nom" => "Nom",
                "prenom" => "Prénom",
                "date_naissance" => "Date de naissance",
                _ => "Voie d'accès",
            })
            .collect();
        return Err(format!(
            "Colonnes manquantes : {}. La première ligne du fichier doit nommer les colonnes, par exemple « {ENTETE_MODELE} ».",
            labels.join(", ")
        ));
    }
    let mut out = Vec::new();
    for (i, line) in lines {
        if out.len() == MAX_LIGNES_IMPORT {
            return Err(format!(
                "Le fichier contient plus de {MAX_LIGNES_IMPORT} candidats : une session n'en accueille pas autant, vérifiez le fichier."
            ));
        }
        let fields = split_line(line, sep);
        let get = |p: Option<usize>| p.and_then(|p| fields.get(p)).map(|f| f.trim().to_owned()).unwrap_or_default();
        let candidat = CandidatInput {
            nom: get(positions[0]),
            prenom: get(positions[1]),
            date_naissance: get(positions[2]),
            email: get(positions[3]),
            voie_acces: get(positions[4]),
        };
        let erreurs = candidat.parse(debut).err().unwrap_or_default();
        out.push(LigneImport { numero: i + 1, candidat, erreurs });
    }
    if out.is_empty() {
        return Err("Le fichier ne contient aucun candidat après sa ligne d'en-tête.".to_owned());
    }
    Ok(out)
}

/// A candidate's result.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Resultat {
    Reussite,
    ReussitePartielle,
    Echec,
    Absent,
}

impl Resultat {
    pub const ALL: [Resultat; 4] = [Resultat::Reussite, Resultat::ReussitePartielle, Resultat::Echec, Resultat::Absent];

    pub fn code(self) -> &'static str {
        match self {
            Resultat::Reussite => "reussite",
            Resultat::ReussitePartielle => "reussite_partielle",
            Resultat::Echec => "echec",
            Resultat::Absent => "absent",
        }
    }

    pub fn from_code(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|r| r.code() == code)
    }

    pub fn label(self) -> &'static str {
        match self {
            Resultat::Reussite => "Réussite",
            Resultat::ReussitePartielle => "Réussite partielle",
            Resultat::Echec => "Échec",
            Resultat::Absent => "Absent",
        }
    }
}

/// One candidate's line of « Saisir les résultats ».
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(default)]
pub struct ResultatInput {
    pub candidat_id: i32,
    /// A `Resultat` code, or empty when not chosen yet.
    pub resultat: String,
    /// CCP codes obtained (réussite partielle).
    pub ccps: Vec<String>,
}

/// A checked result: candidate id, decision, CCP codes obtained (partial success).
pub type ResultatCandidat = (i32, Resultat, Vec<String>);

/// Checks a whole results sheet: every candidate of `candidats` (id, « NOM Prénom ») has a result, partial
/// successes name at least one CCP of the titre (`ccps_titre`) and not all of them.
pub fn verifier_resultats(
    lignes: &[ResultatInput],
    candidats: &[(i32, String)],
    ccps_titre: &[String],
) -> Result<Vec<ResultatCandidat>, Vec<String>> {
    let mut errors = Vec::new();
    let mut out = Vec::new();
    for (id, nom) in candidats {
        let Some(l) = lignes.iter().find(|l| l.candidat_id == *id) else {
            errors.push(format!("{nom} : choisissez un résultat."));
            continue;
        };
        match Resultat::from_code(&l.resultat) {
            None => errors.push(format!("{nom} : choisissez un résultat.")),
            Some(Resultat::ReussitePartielle) => {
                let mut ccps: Vec<String> = l.ccps.iter().filter(|c| ccps_titre.contains(c)).cloned().collect();
                ccps.sort();
                ccps.dedup();
                if ccps.is_empty() {
                    errors.push(format!("{nom} : cochez les CCP obtenus pour une réussite partielle."));
                } else if !ccps_titre.is_empty() && ccps.len() == ccps_titre.len() {
                    errors.push(format!(
                        "{nom} : tous les CCP sont obtenus, c'est une réussite au titre et non une réussite partielle."
                    ));
                } else {
                    out.push((*id, Resultat::ReussitePartielle, ccps));
                }
            }
            Some(r) => out.push((*id, r, Vec::new())),
        }
    }
    if lignes.iter().any(|l| !candidats.iter().any(|(id, _)| *id == l.candidat_id)) {
        errors.push("Un candidat saisi n'est plus inscrit à la session : rechargez la page.".to_owned());
    }
    if errors.is_empty() { Ok(out) } else { Err(errors) }
}

/// « Responsable de session »: identity and contact.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct ResponsableInput {
    pub nom: String,
    pub prenom: String,
    pub telephone: String,
    pub email: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct Responsable {
    pub nom: String,
    pub prenom: String,
    pub telephone: Option<String>,
    pub email: Option<String>,
}

impl ResponsableInput {
    pub fn parse(&self) -> Result<Responsable, Vec<String>> {
        let mut errors = Vec::new();
        let nom = required_name("nom", &self.nom, &mut errors);
        let prenom = required_name("prénom", &self.prenom, &mut errors);
        let telephone = parse_telephone(&self.telephone).unwrap_or_else(|e| {
            errors.push(e);
            None
        });
        let email = parse_email(&self.email).unwrap_or_else(|e| {
            errors.push(e);
            None
        });
        if telephone.is_none() && email.is_none() && errors.is_empty() {
            errors.push("Saisissez au moins un téléphone ou un e-mail pour joindre le responsable.".to_owned());
        }
        match (errors.is_empty(), nom, prenom) {
            (true, Some(nom), Some(prenom)) => Ok(Responsable { nom: nom.to_uppercase(), prenom, telephone, email }),
            _ => Err(errors),
        }
    }
}

/// A jury member or a surveillant as typed (`habilitation_fin` only for the jury).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct PersonneInput {
    pub nom: String,
    pub prenom: String,
    pub habilitation_fin: String,
}

impl PersonneInput {
    /// (NOM, Prénom, end of habilitation when `jury`).
    pub fn parse(&self, jury: bool) -> Result<(String, String, Option<NaiveDate>), Vec<String>> {
        let mut errors = Vec::new();
        let nom = required_name("nom", &self.nom, &mut errors);
        let prenom = required_name("prénom", &self.prenom, &mut errors);
        let fin = if jury {
            let d = parse_date(&self.habilitation_fin);
            if d.is_none() {
                errors.push("Saisissez la date de fin d'habilitation du membre du jury (JJ/MM/AAAA).".to_owned());
            }
            d
        } else {
            None
        };
        match (errors.is_empty(), nom, prenom) {
            (true, Some(n), Some(p)) => Ok((n.to_uppercase(), p, fin)),
            _ => Err(errors),
        }
    }
}

/// What is wrong with a jury for a session ending on `fin`: fewer than two members, habilitations ending before.
pub fn alertes_jury(membres: &[(String, NaiveDate)], fin: NaiveDate) -> Vec<String> {
    let mut out = Vec::new();
    if membres.len() < 2 {
        out.push(format!(
            "Le jury doit compter au moins deux membres habilités : {} nommé{}.",
            membres.len(),
            if membres.len() > 1 { "s" } else { "" }
        ));
    }
    for (nom, h) in membres {
        if *h < fin {
            out.push(format!(
                "L'habilitation de {nom} prend fin le {}, avant la fin de la session ({}) : nommez un autre membre.",
                date_fr(*h),
                date_fr(fin)
            ));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).expect("date")
    }

    #[test]
    fn a_csv_is_previewed_line_by_line() {
        let csv = "Nom;Prénom;Date de naissance;E-mail;Voie d'accès\nDupont;Jeanne;12/03/1990;j.dupont@exemple.fr;Formation\n\nMartin;Paul;31/02/1985;;VAE\n\"Le Goff; dit Yann\";Yann;1992-07-01;;vae\n";
        let lines = lire_csv(csv.as_bytes(), d(2019, 5, 13)).expect("readable");
        assert_eq!(lines.len(), 3);
        assert!(lines[0].erreurs.is_empty(), "{:?}", lines[0].erreurs);
        assert_eq!(lines[1].numero, 4);
        assert!(lines[1].erreurs[0].contains("31/02/1985"), "{:?}", lines[1].erreurs);
        assert_eq!(lines[2].candidat.nom, "Le Goff; dit Yann");
        let comma = "nom,prenom,date_naissance,voie_acces\nDurand,Luc,1980-01-01,formation\n";
        assert!(lire_csv(comma.as_bytes(), d(2019, 5, 13)).expect("commas")[0].erreurs.is_empty());
    }

    #[test]
    fn cells_a_spreadsheet_would_run_are_refused_line_by_line() {
        let csv = "Nom;Prénom;Date de naissance;E-mail;Voie d'accès\n\
                   =HYPERLINK(\"http://exemple.invalid\");Jeanne;12/03/1990;;formation\n\
                   +Dupont;Jeanne;12/03/1990;;formation\n\
                   Dupont;@SOMME(A1);12/03/1990;;formation\n\
                   -Dupont;Jeanne;12/03/1990;;formation\n\
                   Dupont;Jeanne;12/03/1990;=cmd@exemple.fr;formation\n\
                   Dupont;Jeanne;12/03/1990;;formation\n";
        let lines = lire_csv(csv.as_bytes(), d(2019, 5, 13)).expect("readable");
        assert_eq!(lines.len(), 6);
        for line in &lines[..5] {
            assert!(!line.erreurs.is_empty(), "line {} is refused: {:?}", line.numero, line.candidat);
        }
        assert!(lines[5].erreurs.is_empty());
    }

    #[test]
    fn a_bad_file_is_refused_as_a_whole_with_what_to_do() {
        let latin1 = b"Nom;Pr\xe9nom;Date de naissance;Voie d'acc\xe8s\n";
        assert!(lire_csv(latin1, d(2019, 5, 13)).expect_err("encoding").contains("CSV UTF-8"));
        let missing = "Nom;Prénom\nDupont;Jeanne\n";
        let e = lire_csv(missing.as_bytes(), d(2019, 5, 13)).expect_err("columns");
        assert!(e.contains("Date de naissance, Voie d'accès"), "{e}");
        assert!(lire_csv(b"", d(2019, 5, 13)).expect_err("empty").contains("vide"));
    }

    #[test]
    fn results_need_one_decision_each_and_ccps_for_partial_success() {
        let candidats = [(1, "DUPONT Jeanne".to_owned()), (2, "MARTIN Paul".to_owned())];
        let ccps = ["CP-000001".to_owned(), "CP-000002".to_owned()];
        let line = |id, r: &str, c: &[&str]| ResultatInput {
            candidat_id: id,
            resultat: r.into(),
            ccps: c.iter().map(|s| (*s).to_owned()).collect(),
        };
        let ok = verifier_resultats(
            &[line(1, "reussite", &[]), line(2, "reussite_partielle", &["CP-000001"])],
            &candidats,
            &ccps,
        )
        .expect("complete");
        assert_eq!(ok[1].2, vec!["CP-000001".to_owned()]);
        let e = verifier_resultats(&[line(1, "", &[]), line(2, "reussite_partielle", &[])], &candidats, &ccps)
            .expect_err("incomplete");
        assert_eq!(e.len(), 2, "{e:?}");
        let all = verifier_resultats(
            &[line(1, "echec", &[]), line(2, "reussite_partielle", &["CP-000001", "CP-000002"])],
            &candidats,
            &ccps,
        )
        .expect_err("all CCPs");
        assert!(all[0].contains("réussite au titre"), "{all:?}");
    }

    #[test]
    fn a_jury_needs_two_members_habilitated_over_the_session() {
        let fin = d(2019, 5, 15);
        assert_eq!(alertes_jury(&[("A".into(), d(2020, 1, 1))], fin).len(), 1);
        let alerts = alertes_jury(&[("A".into(), d(2020, 1, 1)), ("B".into(), d(2019, 5, 1))], fin);
        assert!(alerts[0].contains("01/05/2019"), "{alerts:?}");
        assert!(alertes_jury(&[("A".into(), d(2020, 1, 1)), ("B".into(), d(2019, 5, 15))], fin).is_empty());
    }

    #[test]
    fn candidates_are_checked() {
        let debut = d(2019, 5, 13);
        let ok = CandidatInput {
            nom: "Dupont".into(),
            prenom: "Jeanne".into(),
            date_naissance: "12/03/1990".into(),
            email: String::new(),
            voie_acces: "VAE".into(),
        };
        assert_eq!(ok.parse(debut).expect("valid").voie_acces, "vae");
        let young = CandidatInput { date_naissance: "2010-01-01".into(), ..ok.clone() };
        assert!(young.parse(debut).expect_err("too young")[0].contains("moins de 16 ans"));
        let empty = CandidatInput::default().parse(debut).expect_err("empty");
        assert_eq!(empty.len(), 4, "{empty:?}");
    }
}
