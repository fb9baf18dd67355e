//! Letters CERES prints: the activation-code letter to a centre.

pub mod pdf;
pub mod session;

use chrono::NaiveDate;
use pdf::{Font, Page, document};

use app::domain::format::date_fr;

/// What the activation letter says.
pub struct ActivationLetter<'a> {
    pub raison_sociale: &'a str,
    pub adresse: &'a str,
    pub commune: &'a str,
    pub siret: &'a str,
    pub code: &'a str,
    pub valid_until: NaiveDate,
    pub issued_on: NaiveDate,
    /// Where the centre activates its account, e.g. `https://ceres.example/activation`.
    pub activation_url: &'a str,
}

pub fn activation_letter(l: &ActivationLetter<'_>) -> Vec<u8> {
    let mut p = Page::default();
    p.line(Font::Bold, 11.0, "MINISTÈRE DU TRAVAIL");
    p.line(Font::Regular, 9.0, "Liberté – Égalité – Fraternité");
    p.line(Font::Regular, 9.0, "Délégation générale à l'emploi et à la formation professionnelle (DGEFP)");
    p.line(Font::Regular, 9.0, "CERES – Certifications professionnelles");
    p.gap(30.0);
    // Address block, on the right as in a windowed envelope.
    let x = 320.0;
    let mut y = p_y(&p);
    for (font, text) in [
        (Font::Bold, l.raison_sociale.to_owned()),
        (Font::Regular, l.adresse.to_owned()),
        (Font::Regular, l.commune.to_owned()),
    ] {
        p.text_at(x, y, font, 10.0, &text);
        y -= 13.5;
    }
    p.gap(70.0);
    p.line(Font::Regular, 10.0, &format!("Paris, le {}", date_fr(l.issued_on)));
    p.gap(10.0);
    p.line(Font::Bold, 11.0, "Objet : votre code d'activation CERES");
    p.gap(12.0);
    p.paragraph(Font::Regular, 10.5, "Madame, Monsieur,");
    p.paragraph(
        Font::Regular,
        10.5,
        &format!(
            "Votre centre {} (SIRET {}) est enregistré dans CERES, l'application du ministère du Travail qui gère les titres professionnels. Pour créer le compte de votre centre, utilisez le code d'activation ci-dessous.",
            l.raison_sociale, l.siret
        ),
    );
    p.gap(6.0);
    p.line(Font::Regular, 10.5, "Code d'activation :");
    p.gap(8.0);
    p.line(Font::Bold, 18.0, l.code);
    p.line(
        Font::Regular,
        10.0,
        &format!("Valable jusqu'au {} inclus, pour une seule activation.", date_fr(l.valid_until)),
    );
    p.gap(10.0);
    p.line(Font::Bold, 10.5, "Pour activer votre compte :");
    for step in [
        format!("1. Ouvrez {} dans Mozilla Firefox ou Google Chrome.", l.activation_url),
        format!("2. Saisissez le SIRET de votre centre ({}) et le code d'activation.", l.siret),
        "3. Choisissez votre identifiant et un mot de passe d'au moins 12 caractères.".to_owned(),
        "4. Vous êtes alors connecté à CERES et pouvez gérer les sessions de votre centre.".to_owned(),
    ] {
        p.paragraph(Font::Regular, 10.5, &step);
    }
    p.gap(6.0);
    p.paragraph(
        Font::Regular,
        10.0,
        "Ce code est personnel : ne le communiquez qu'aux personnes chargées des sessions d'examen de votre centre. Un nouveau courrier annule le code précédent.",
    );
    p.gap(16.0);
    p.rule();
    p.paragraph(
        Font::Regular,
        9.0,
        "Assistance CERES – Délégation générale à l'emploi et à la formation professionnelle, 14 avenue Duquesne, 75350 Paris 07 SP. Pour toute question, adressez-vous à la DREETS de la région de votre site.",
    );
    document("Courrier d'activation CERES", &[p])
}

fn p_y(p: &Page) -> f32 {
    p.cursor()
}
