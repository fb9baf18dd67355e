//! The documents of a session: the convocations (one page per candidate) and the « procès-verbal de session » (PV)
//! with every candidate's decision and room for the jury's signatures.

use app::domain::candidats::{Resultat, voie_label};
use app::domain::format::date_fr;
use app::dto::SessionDetail;

use super::pdf::{Font, Page, document};

fn header(p: &mut Page) {
    p.line(Font::Bold, 11.0, "MINISTÈRE DU TRAVAIL");
    p.line(Font::Regular, 9.0, "Liberté – Égalité – Fraternité");
    p.line(Font::Regular, 9.0, "Titres professionnels – CERES");
    p.gap(16.0);
}

fn type_label(code: &str) -> &'static str {
    match code {
        "ccp" => "Session CCP (certificat de compétences professionnelles)",
        "ccs" => "Session CCS (certificat complémentaire de spécialisation)",
        _ => "Session titre professionnel",
    }
}

fn dates(s: &SessionDetail) -> String {
    if s.date_debut == s.date_fin {
        format!("le {} à {}", date_fr(s.date_debut), s.heure_debut)
    } else {
        format!("du {} au {}, à {} le premier jour", date_fr(s.date_debut), date_fr(s.date_fin), s.heure_debut)
    }
}

/// One convocation page per candidate.
pub fn convocations(s: &SessionDetail, issued_on: chrono::NaiveDate) -> Vec<u8> {
    let pages: Vec<Page> = s
        .candidats
        .iter()
        .map(|c| {
            let mut p = Page::default();
            header(&mut p);
            p.line(Font::Bold, 10.0, &s.centre_raison_sociale);
            p.line(Font::Regular, 10.0, &format!("Le {}", date_fr(issued_on)));
            p.gap(18.0);
            p.line(Font::Bold, 14.0, "CONVOCATION À UNE SESSION D'EXAMEN");
            p.gap(8.0);
            p.line(Font::Bold, 11.0, &format!("{} {}", c.nom, c.prenom));
            p.line(
                Font::Regular,
                10.0,
                &format!("Né(e) le {} – voie d'accès : {}", date_fr(c.date_naissance), voie_label(&c.voie_acces)),
            );
            p.gap(10.0);
            p.paragraph(
                Font::Regular,
                10.5,
                &format!(
                    "Vous êtes convoqué(e) aux épreuves du titre professionnel {} – {} ({}).",
                    s.titre_code,
                    s.titre_libelle,
                    type_label(&s.type_session).to_lowercase()
                ),
            );
            p.line(Font::Bold, 10.5, "Date et heure :");
            p.paragraph(Font::Regular, 10.5, &dates(s));
            p.line(Font::Bold, 10.5, "Lieu :");
            p.paragraph(Font::Regular, 10.5, &format!("{} – {}", s.site_nom, s.lieu));
            p.line(Font::Bold, 10.5, "Session :");
            p.paragraph(Font::Regular, 10.5, &s.identifiant);
            if let Some(r) = &s.responsable {
                let contact = [r.telephone.clone(), r.email.clone()].into_iter().flatten().collect::<Vec<_>>();
                p.line(Font::Bold, 10.5, "Responsable de session :");
                p.paragraph(Font::Regular, 10.5, &format!("{} {} {}", r.prenom, r.nom, contact.join(" – ")));
            }
            p.gap(6.0);
            p.paragraph(
                Font::Regular,
                10.0,
                "Présentez-vous un quart d'heure avant le début des épreuves, muni(e) d'une pièce d'identité en cours de validité et de votre dossier professionnel. Le règlement général des sessions est affiché sur le lieu de l'examen. Un candidat en retard peut être admis par le responsable de session ; l'heure de fin des épreuves reste inchangée.",
            );
            p.gap(10.0);
            p.rule();
            p.paragraph(
                Font::Regular,
                9.0,
                "En cas d'empêchement, prévenez le centre sans délai. Cette convocation est établie par le centre agréé via CERES, l'application du ministère du Travail.",
            );
            p
        })
        .collect();
    document(&format!("Convocations – {}", s.identifiant), &pages)
}

fn resultat_text(r: Option<Resultat>, ccps: &[String]) -> String {
    match r {
        Some(Resultat::ReussitePartielle) => format!("Réussite partielle : {}", ccps.join(", ")),
        Some(r) => r.label().to_owned(),
        None => "—".to_owned(),
    }
}

/// The PV: the session, every candidate with the decision, then the jury with room to sign.
pub fn proces_verbal(s: &SessionDetail) -> Vec<u8> {
    let mut pages = Vec::new();
    let mut p = Page::default();
    header(&mut p);
    p.line(Font::Bold, 14.0, "PROCÈS-VERBAL DE SESSION");
    p.gap(4.0);
    p.line(Font::Bold, 10.5, &format!("{} – {}", s.titre_code, s.titre_libelle));
    p.line(Font::Regular, 10.0, &format!("{} – {}", type_label(&s.type_session), s.identifiant));
    p.line(Font::Regular, 10.0, &format!("Centre : {}", s.centre_raison_sociale));
    p.line(Font::Regular, 10.0, &format!("Site : {} – {}", s.site_nom, s.lieu));
    p.line(Font::Regular, 10.0, &format!("Session {}", dates(s)));
    if let Some(r) = &s.responsable {
        p.line(Font::Regular, 10.0, &format!("Responsable de session : {} {}", r.prenom, r.nom));
    }
    p.gap(8.0);
    p.rule();
    p.line(Font::Bold, 10.5, "Candidats et décisions du jury");
    p.gap(2.0);
    for (i, c) in s.candidats.iter().enumerate() {
        if p.cursor() < 90.0 {
            pages.push(std::mem::take(&mut p));
            p.line(Font::Bold, 10.5, &format!("Procès-verbal {} (suite)", s.identifiant));
            p.gap(6.0);
        }
        let y = p.cursor();
        p.text_at(60.0, y, Font::Regular, 9.5, &format!("{}.", i + 1));
        p.text_at(80.0, y, Font::Regular, 9.5, &format!("{} {}", c.nom, c.prenom));
        p.text_at(250.0, y, Font::Regular, 9.5, &format!("né(e) le {}", date_fr(c.date_naissance)));
        p.text_at(350.0, y, Font::Bold, 9.5, &resultat_text(c.resultat, &c.ccps_obtenus));
        p.gap(14.0);
    }
    let total = s.candidats.len();
    let count = |r: Resultat| s.candidats.iter().filter(|c| c.resultat == Some(r)).count();
    p.gap(6.0);
    p.line(
        Font::Regular,
        9.5,
        &format!(
            "{total} candidat(s) : {} réussite(s), {} réussite(s) partielle(s), {} échec(s), {} absent(s).",
            count(Resultat::Reussite),
            count(Resultat::ReussitePartielle),
            count(Resultat::Echec),
            count(Resultat::Absent)
        ),
    );
    p.gap(10.0);
    if p.cursor() < 60.0 + 50.0 * (s.jury.len().max(2) as f32) {
        pages.push(std::mem::take(&mut p));
    }
    p.rule();
    p.line(Font::Bold, 10.5, "Le jury");
    p.paragraph(Font::Regular, 9.5, "Les membres du jury attestent l'exactitude des décisions ci-dessus.");
    let members: Vec<String> = if s.jury.is_empty() {
        vec!["Nom, prénom :".to_owned(), "Nom, prénom :".to_owned()]
    } else {
        s.jury.iter().map(|j| format!("{} {}", j.nom, j.prenom)).collect()
    };
    for m in members {
        let y = p.cursor();
        p.text_at(60.0, y, Font::Regular, 10.0, &m);
        p.text_at(330.0, y, Font::Regular, 10.0, "Signature :");
        p.gap(44.0);
    }
    p.line(
        Font::Regular,
        9.0,
        "Fait le ........................................ à ........................................",
    );
    pages.push(p);
    document(&format!("Procès-verbal – {}", s.identifiant), &pages)
}
