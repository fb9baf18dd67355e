//! The deadline rules of exam sessions, as data, and the one engine that judges an action against them: the
//! browser runs it to show the verdict before the click, the server runs it again to decide. Time is a parameter
//! (`aujourdhui`): nothing here reads a clock.
//!
//! A rule says that an action (programming the session, requesting the DTE, convening the candidates) must happen at
//! least so many months and days before the session starts, for some session types, and whether breaking it blocks
//! or only warns. A relaxation window (« dérogation ») lifts some rules for a period, nationally, for one région, or
//! for one session; an action inside it that breaks a lifted rule succeeds and is recorded « hors délai ».

use chrono::{Datelike, Months, NaiveDate};
use serde::{Deserialize, Serialize};

use crate::domain::format::date_fr;

/// The actions a rule can guard.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum ActionDelai {
    Programmation,
    DemandeDte,
    Convocation,
}

impl ActionDelai {
    pub const ALL: [ActionDelai; 3] = [ActionDelai::Programmation, ActionDelai::DemandeDte, ActionDelai::Convocation];

    /// The code stored in `regle_delai.action`.
    pub fn code(self) -> &'static str {
        match self {
            ActionDelai::Programmation => "programmation",
            ActionDelai::DemandeDte => "demande_dte",
            ActionDelai::Convocation => "convocation",
        }
    }

    pub fn from_code(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|a| a.code() == code)
    }

    /// « Plus que N jours pour … »
    pub fn objet(self) -> &'static str {
        match self {
            ActionDelai::Programmation => "programmer la session",
            ActionDelai::DemandeDte => "la demande de DTE",
            ActionDelai::Convocation => "l'envoi des convocations",
        }
    }

    /// « La demande de DTE doit être faite au plus tard le … »
    fn obligation(self) -> &'static str {
        match self {
            ActionDelai::Programmation => "La session doit être programmée au plus tard le",
            ActionDelai::DemandeDte => "La demande de DTE doit être faite au plus tard le",
            ActionDelai::Convocation => "Les convocations doivent être envoyées au plus tard le",
        }
    }
}

/// Session types a rule can apply to.
pub const TYPES_SESSION: [(&str, &str); 3] = [
    ("titre", "Titre professionnel"),
    ("ccp", "Certificat de compétences (CCP)"),
    ("ccs", "Certificat complémentaire (CCS)"),
];

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Regle {
    pub code: String,
    pub libelle: String,
    pub action: ActionDelai,
    pub delai_mois: u32,
    pub delai_jours: u32,
    pub types_session: Vec<String>,
    pub bloquante: bool,
}

impl Regle {
    /// The last day the action may happen for a session starting on `debut`.
    pub fn limite(&self, debut: NaiveDate) -> NaiveDate {
        let d = debut.checked_sub_months(Months::new(self.delai_mois)).unwrap_or(NaiveDate::MIN);
        d.checked_sub_days(chrono::Days::new(u64::from(self.delai_jours))).unwrap_or(NaiveDate::MIN)
    }

    /// « 3 mois », « 15 jours », « 1 mois et 15 jours ».
    pub fn delai_fr(&self) -> String {
        let jours = match self.delai_jours {
            0 => String::new(),
            1 => "1 jour".into(),
            n => format!("{n} jours"),
        };
        match (self.delai_mois, jours.is_empty()) {
            (0, true) => "le jour même".into(),
            (0, false) => jours,
            (m, true) => format!("{m} mois"),
            (m, false) => format!("{m} mois et {jours}"),
        }
    }

    fn applies(&self, action: ActionDelai, type_session: &str) -> bool {
        self.action == action && self.types_session.iter().any(|t| t == type_session)
    }

    /// « La demande de DTE doit être faite au plus tard le 20/02/2019, 3 mois avant le début de la session. »
    pub fn message(&self, debut: NaiveDate) -> String {
        format!(
            "{} {}, {} avant le début de la session.",
            self.action.obligation(),
            date_fr(self.limite(debut)),
            self.delai_fr()
        )
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum PorteeDerogation {
    Nationale,
    Region(String),
    Session(i32),
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Derogation {
    pub id: i32,
    pub nom: String,
    pub portee: PorteeDerogation,
    pub debut: NaiveDate,
    pub fin: NaiveDate,
    /// Codes of the rules it lifts.
    pub regles: Vec<String>,
}

impl Derogation {
    fn lifts(&self, regle: &str, ctx: &Contexte<'_>) -> bool {
        let here = match &self.portee {
            PorteeDerogation::Nationale => true,
            PorteeDerogation::Region(r) => r == ctx.region,
            PorteeDerogation::Session(id) => Some(*id) == ctx.session_id,
        };
        here && self.debut <= ctx.aujourdhui && ctx.aujourdhui <= self.fin && self.regles.iter().any(|r| r == regle)
    }
}

/// Where and when an action happens.
#[derive(Debug, Clone)]
pub struct Contexte<'a> {
    pub aujourdhui: NaiveDate,
    pub debut_session: NaiveDate,
    pub type_session: &'a str,
    /// Région of the session's site.
    pub region: &'a str,
    /// `None` while the session is being created.
    pub session_id: Option<i32>,
}

/// What the engine says of an action, most severe last.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum Verdict {
    DansLesDelais,
    /// A warning-only rule is broken: the action may go ahead.
    Avertissement {
        regle: String,
        message: String,
    },
    /// A rule is broken but lifted by a dérogation: the action goes ahead, recorded « hors délai ».
    HorsDelaiAutorise {
        regle: String,
        derogation_id: i32,
        derogation: String,
        message: String,
    },
    /// A blocking rule is broken and nothing lifts it.
    Refuse {
        regle: String,
        message: String,
    },
}

impl Verdict {
    fn severity(&self) -> u8 {
        match self {
            Verdict::DansLesDelais => 0,
            Verdict::Avertissement { .. } => 1,
            Verdict::HorsDelaiAutorise { .. } => 2,
            Verdict::Refuse { .. } => 3,
        }
    }

    pub fn permis(&self) -> bool {
        !matches!(self, Verdict::Refuse { .. })
    }

    /// For an action that goes ahead after a deadline: the rule broken and the window that lifted it (`None` for a
    /// warning-only rule). The audit trail flags the entry « hors délai » with them.
    pub fn hors_delai(&self) -> Option<(&str, Option<i32>)> {
        match self {
            Verdict::HorsDelaiAutorise { regle, derogation_id, .. } => Some((regle, Some(*derogation_id))),
            Verdict::Avertissement { regle, .. } => Some((regle, None)),
            Verdict::DansLesDelais | Verdict::Refuse { .. } => None,
        }
    }
}

/// Judges `action` in `ctx` against every rule and window.
pub fn verdict(action: ActionDelai, regles: &[Regle], derogations: &[Derogation], ctx: &Contexte<'_>) -> Verdict {
    let mut worst = Verdict::DansLesDelais;
    for r in regles.iter().filter(|r| r.applies(action, ctx.type_session)) {
        if ctx.aujourdhui <= r.limite(ctx.debut_session) {
            continue;
        }
        let message = r.message(ctx.debut_session);
        let v = if let Some(d) = derogations.iter().find(|d| d.lifts(&r.code, ctx)) {
            Verdict::HorsDelaiAutorise {
                regle: r.code.clone(),
                derogation_id: d.id,
                message: format!("{message} Saisie autorisée hors délai par la dérogation « {} ».", d.nom),
                derogation: d.nom.clone(),
            }
        } else if r.bloquante {
            Verdict::Refuse { regle: r.code.clone(), message }
        } else {
            Verdict::Avertissement { regle: r.code.clone(), message }
        };
        if v.severity() > worst.severity() {
            worst = v;
        }
    }
    worst
}

/// The countdown of a session header: « Plus que 12 jours pour la demande de DTE », or « Délai dépassé depuis le
/// 20/02/2019 pour la demande de DTE », for the earliest rule of `action` that applies.
pub fn compte_a_rebours(
    action: ActionDelai,
    regles: &[Regle],
    type_session: &str,
    debut: NaiveDate,
    aujourdhui: NaiveDate,
) -> Option<String> {
    let limite = regles.iter().filter(|r| r.applies(action, type_session)).map(|r| r.limite(debut)).min()?;
    let jours = (limite - aujourdhui).num_days();
    Some(match jours {
        0 => format!("Dernier jour pour {}", action.objet()),
        1 => format!("Plus que 1 jour pour {}", action.objet()),
        n if n > 1 => format!("Plus que {n} jours pour {}", action.objet()),
        _ => format!("Délai dépassé depuis le {} pour {}", date_fr(limite), action.objet()),
    })
}

/// The rules CERES starts with (2019): programming the session and requesting the DTE at least 3 months before the
/// start, convening the candidates at least 1 month before, for every session type. The DTE and convocation rules
/// block; the programming one warns (docs/domain.md §6: whether the 3 months bind the creation or only the DTE
/// request is uncertain, and a session programmed late is still refused its DTE by the blocking rule). The national
/// admin can make it blocking at /administration/regles.
pub fn regles_initiales() -> Vec<Regle> {
    let all: Vec<String> = TYPES_SESSION.iter().map(|(c, _)| (*c).to_owned()).collect();
    vec![
        Regle {
            code: "programmation_3_mois".into(),
            libelle: "Programmation de la session au moins 3 mois avant son début".into(),
            action: ActionDelai::Programmation,
            delai_mois: 3,
            delai_jours: 0,
            types_session: all.clone(),
            bloquante: false,
        },
        Regle {
            code: "demande_dte_3_mois".into(),
            libelle: "Demande de DTE au moins 3 mois avant le début de la session".into(),
            action: ActionDelai::DemandeDte,
            delai_mois: 3,
            delai_jours: 0,
            types_session: all.clone(),
            bloquante: true,
        },
        Regle {
            code: "convocation_1_mois".into(),
            libelle: "Envoi des convocations au moins 1 mois avant le début de la session".into(),
            action: ActionDelai::Convocation,
            delai_mois: 1,
            delai_jours: 0,
            types_session: all,
            bloquante: true,
        },
    ]
}

/// The first Monday on or before `date` (« la semaine du 11 février »).
pub fn lundi(date: NaiveDate) -> NaiveDate {
    date - chrono::Days::new(u64::from(date.weekday().num_days_from_monday()))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).expect("date")
    }

    fn ctx(today: NaiveDate, start: NaiveDate) -> Contexte<'static> {
        Contexte { aujourdhui: today, debut_session: start, type_session: "titre", region: "76", session_id: Some(7) }
    }

    #[test]
    fn a_late_dte_request_is_refused_with_the_rule_and_the_date() {
        let v = verdict(ActionDelai::DemandeDte, &regles_initiales(), &[], &ctx(d(2019, 2, 25), d(2019, 5, 20)));
        assert_eq!(
            v,
            Verdict::Refuse {
                regle: "demande_dte_3_mois".into(),
                message:
                    "La demande de DTE doit être faite au plus tard le 20/02/2019, 3 mois avant le début de la session."
                        .into()
            }
        );
        // The last day itself is still in time.
        let v = verdict(ActionDelai::DemandeDte, &regles_initiales(), &[], &ctx(d(2019, 2, 20), d(2019, 5, 20)));
        assert_eq!(v, Verdict::DansLesDelais);
    }

    /// The 2019 case: every deadline rule lifted nationally for two months from the week of 11 February 2019.
    #[test]
    fn the_2019_national_relaxation_lets_late_entries_through_flagged() {
        let start = lundi(d(2019, 2, 13));
        assert_eq!(start, d(2019, 2, 11));
        let window = Derogation {
            id: 1,
            nom: "Assouplissement national février-avril 2019".into(),
            portee: PorteeDerogation::Nationale,
            debut: start,
            fin: start.checked_add_months(Months::new(2)).expect("date") - chrono::Days::new(1),
            regles: regles_initiales().into_iter().map(|r| r.code).collect(),
        };
        let inside = ctx(d(2019, 3, 20), d(2019, 4, 15));
        for action in ActionDelai::ALL {
            let v = verdict(action, &regles_initiales(), std::slice::from_ref(&window), &inside);
            assert!(matches!(&v, Verdict::HorsDelaiAutorise { derogation_id: 1, .. }), "{action:?}: {v:?}");
            assert!(v.permis());
        }
        // After the window, the same late request is refused again.
        let after = ctx(d(2019, 4, 11), d(2019, 6, 1));
        let v = verdict(ActionDelai::DemandeDte, &regles_initiales(), std::slice::from_ref(&window), &after);
        assert!(matches!(v, Verdict::Refuse { .. }), "{v:?}");
    }

    #[test]
    fn regional_and_session_windows_lift_only_there() {
        let mut window = Derogation {
            id: 2,
            nom: "Occitanie".into(),
            portee: PorteeDerogation::Region("76".into()),
            debut: d(2019, 1, 1),
            fin: d(2019, 12, 31),
            regles: vec!["demande_dte_3_mois".into()],
        };
        let late = ctx(d(2019, 3, 1), d(2019, 4, 1));
        let w = std::slice::from_ref(&window);
        assert!(verdict(ActionDelai::DemandeDte, &regles_initiales(), w, &late).permis());
        assert!(
            !verdict(ActionDelai::Convocation, &regles_initiales(), w, &ctx(d(2019, 3, 20), d(2019, 4, 1))).permis(),
            "other rule"
        );
        let elsewhere = Contexte { region: "75", ..late.clone() };
        assert!(!verdict(ActionDelai::DemandeDte, &regles_initiales(), w, &elsewhere).permis());
        window.portee = PorteeDerogation::Session(8);
        let w = std::slice::from_ref(&window);
        assert!(!verdict(ActionDelai::DemandeDte, &regles_initiales(), w, &late).permis(), "another session");
    }

    #[test]
    fn a_warning_rule_lets_the_action_through() {
        let mut rules = regles_initiales();
        rules[1].bloquante = false;
        let v = verdict(ActionDelai::DemandeDte, &rules, &[], &ctx(d(2019, 3, 1), d(2019, 4, 1)));
        assert!(matches!(v, Verdict::Avertissement { .. }) && v.permis());
        let other = Contexte { type_session: "ccs", ..ctx(d(2019, 3, 1), d(2019, 4, 1)) };
        rules[1].types_session = vec!["titre".into()];
        assert_eq!(verdict(ActionDelai::DemandeDte, &rules, &[], &other), Verdict::DansLesDelais, "type not covered");
    }

    #[test]
    fn countdowns_and_delays_in_french() {
        let r = regles_initiales();
        let c = |today| compte_a_rebours(ActionDelai::DemandeDte, &r, "titre", d(2019, 5, 20), today).expect("rule");
        assert_eq!(c(d(2019, 2, 8)), "Plus que 12 jours pour la demande de DTE");
        assert_eq!(c(d(2019, 2, 19)), "Plus que 1 jour pour la demande de DTE");
        assert_eq!(c(d(2019, 2, 20)), "Dernier jour pour la demande de DTE");
        assert_eq!(c(d(2019, 3, 1)), "Délai dépassé depuis le 20/02/2019 pour la demande de DTE");
        let mut rule = r[2].clone();
        rule.delai_jours = 15;
        assert_eq!(rule.delai_fr(), "1 mois et 15 jours");
        rule.delai_mois = 0;
        assert_eq!(rule.delai_fr(), "15 jours");
        // End of month: 31 May minus 3 months is 28 February.
        assert_eq!(r[1].limite(d(2019, 5, 31)), d(2019, 2, 28));
    }
}

/// The sentences shown (by the browser before sending, by the server after) when a form of this module is refused.
pub fn refus_regle(errors: &[String]) -> String {
    format!("La règle n'a pas été modifiée : {}", errors.join(" "))
}

pub fn refus_derogation(errors: &[String]) -> String {
    format!("La dérogation n'a pas été ouverte : {}", errors.join(" "))
}

pub fn refus_dte(errors: &[String]) -> String {
    format!("La demande de DTE n'a pas été envoyée : {}", errors.join(" "))
}

/// What the « Modifier la règle » form sends.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct RegleInput {
    pub delai_mois: String,
    pub delai_jours: String,
    /// Session type codes, comma-separated (`titre,ccp`).
    pub types_session: String,
    pub bloquante: bool,
}

/// A valid change of a rule.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RegleChange {
    pub delai_mois: u32,
    pub delai_jours: u32,
    pub types_session: Vec<String>,
    pub bloquante: bool,
}

fn small_number(label: &str, raw: &str, max: u32) -> Result<u32, String> {
    let t = raw.trim();
    if t.is_empty() {
        return Ok(0);
    }
    match t.parse::<u32>() {
        Ok(n) if n <= max => Ok(n),
        _ => Err(format!("{label} : un nombre entier de 0 à {max}.")),
    }
}

impl RegleInput {
    pub fn parse(&self) -> Result<RegleChange, Vec<String>> {
        let mut errors = Vec::new();
        let delai_mois = small_number("Les mois", &self.delai_mois, 24).unwrap_or_else(|e| {
            errors.push(e);
            0
        });
        let delai_jours = small_number("Les jours", &self.delai_jours, 365).unwrap_or_else(|e| {
            errors.push(e);
            0
        });
        let mut types_session: Vec<String> =
            self.types_session.split(',').map(str::trim).filter(|t| !t.is_empty()).map(str::to_owned).collect();
        types_session.sort();
        types_session.dedup();
        if let Some(bad) = types_session.iter().find(|t| !TYPES_SESSION.iter().any(|(c, _)| c == t)) {
            errors.push(format!("« {bad} » n'est pas un type de session : choisissez parmi titre, CCP et CCS."));
        }
        if types_session.is_empty() {
            errors.push("Choisissez au moins un type de session auquel la règle s'applique.".into());
        }
        if errors.is_empty() {
            Ok(RegleChange { delai_mois, delai_jours, types_session, bloquante: self.bloquante })
        } else {
            Err(errors)
        }
    }
}

/// What the « Ouvrir une dérogation » form sends. `portee`: `nationale` or `region:CODE`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct DerogationInput {
    pub nom: String,
    pub portee: String,
    /// `AAAA-MM-JJ`, as a date field gives it.
    pub debut: String,
    pub fin: String,
    pub regles: Vec<String>,
    pub motif: String,
}

/// Longest relaxation window, in days.
pub const MAX_DEROGATION_JOURS: i64 = 366;

impl DerogationInput {
    /// The window to store (id 0 until stored), or every reason it cannot be. `known_rules`: the codes that exist.
    pub fn parse(&self, known_rules: &[String]) -> Result<Derogation, Vec<String>> {
        let mut errors = Vec::new();
        let nom = self.nom.split_whitespace().collect::<Vec<_>>().join(" ");
        if let Some(why) = super::text::unreadable("Le nom de la dérogation", &nom, false) {
            errors.push(why);
        } else if nom.is_empty() || nom.chars().count() > 120 || nom.chars().any(|c| "<>{}".contains(c)) {
            errors.push("Donnez à la dérogation un nom de 1 à 120 caractères (sans < > { }).".into());
        }
        let portee = match self.portee.trim() {
            "nationale" => Some(PorteeDerogation::Nationale),
            p => match p.strip_prefix("region:") {
                Some(code) if !code.is_empty() && code.len() <= 3 && code.bytes().all(|b| b.is_ascii_digit()) => {
                    Some(PorteeDerogation::Region(code.to_owned()))
                }
                None if p.strip_prefix("session:").and_then(|s| s.parse::<i32>().ok()).is_some() => {
                    p.strip_prefix("session:").and_then(|s| s.parse().ok()).map(PorteeDerogation::Session)
                }
                _ => {
                    errors.push("Choisissez la portée de la dérogation : nationale ou votre région.".into());
                    None
                }
            },
        };
        let date = |label: &str, raw: &str, errors: &mut Vec<String>| match NaiveDate::parse_from_str(
            raw.trim(),
            "%Y-%m-%d",
        ) {
            Ok(d) if d.year() >= 2000 && d.year() <= 2100 => Some(d),
            _ => {
                errors.push(format!("Saisissez la date {label} au format JJ/MM/AAAA."));
                None
            }
        };
        let debut = date("de début", &self.debut, &mut errors);
        let fin = date("de fin", &self.fin, &mut errors);
        if let (Some(d), Some(f)) = (debut, fin) {
            if f < d {
                errors.push("La date de fin doit être postérieure ou égale à la date de début.".into());
            } else if (f - d).num_days() >= MAX_DEROGATION_JOURS {
                errors.push("Une dérogation dure au plus un an : raccourcissez la période.".into());
            }
        }
        let mut regles: Vec<String> =
            self.regles.iter().map(|r| r.trim().to_owned()).filter(|r| !r.is_empty()).collect();
        regles.sort();
        regles.dedup();
        if regles.is_empty() {
            errors.push("Cochez au moins une règle à lever.".into());
        } else if regles.iter().any(|r| !known_rules.contains(r)) {
            errors.push("Une des règles cochées n'existe plus : rechargez la page.".into());
        }
        match super::text::free_text("Le motif", &self.motif, 1000) {
            Ok(motif) if !motif.is_empty() => {}
            Ok(_) => errors.push("Saisissez le motif de la dérogation : il sera lu par les UD.".into()),
            Err(e) => errors.push(format!("{e} Il sera lu par les UD.")),
        }
        match (errors.is_empty(), portee, debut, fin) {
            (true, Some(portee), Some(debut), Some(fin)) => Ok(Derogation { id: 0, nom, portee, debut, fin, regles }),
            _ => Err(errors),
        }
    }

    /// The reason given (kept apart from the window the engine reads).
    pub fn motif(&self) -> String {
        self.motif.trim().to_owned()
    }
}

impl PorteeDerogation {
    pub fn code(&self) -> String {
        match self {
            PorteeDerogation::Nationale => "nationale".into(),
            PorteeDerogation::Region(r) => format!("region:{r}"),
            PorteeDerogation::Session(s) => format!("session:{s}"),
        }
    }

    pub fn from_code(code: &str) -> Option<Self> {
        if code == "nationale" {
            return Some(PorteeDerogation::Nationale);
        }
        if let Some(r) = code.strip_prefix("region:") {
            return Some(PorteeDerogation::Region(r.to_owned()));
        }
        code.strip_prefix("session:").and_then(|s| s.parse().ok()).map(PorteeDerogation::Session)
    }
}

#[cfg(test)]
mod input_tests {
    use super::*;

    #[test]
    fn rule_changes_are_checked() {
        let ok = RegleInput {
            delai_mois: "2".into(),
            delai_jours: "".into(),
            types_session: "titre, ccp".into(),
            bloquante: false,
        };
        let c = ok.parse().expect("valid");
        assert_eq!((c.delai_mois, c.delai_jours, c.types_session.len()), (2, 0, 2));
        let bad = RegleInput {
            delai_mois: "-1".into(),
            delai_jours: "9999".into(),
            types_session: "".into(),
            bloquante: true,
        };
        assert_eq!(bad.parse().expect_err("refused").len(), 3);
    }

    #[test]
    fn windows_are_checked() {
        let known = vec!["demande_dte_3_mois".to_owned()];
        let ok = DerogationInput {
            nom: " Assouplissement  2019 ".into(),
            portee: "nationale".into(),
            debut: "2019-02-11".into(),
            fin: "2019-04-10".into(),
            regles: vec!["demande_dte_3_mois".into()],
            motif: "Mise en service de CERES".into(),
        };
        let d = ok.parse(&known).expect("valid");
        assert_eq!((d.nom.as_str(), d.portee.clone()), ("Assouplissement 2019", PorteeDerogation::Nationale));
        let bad = DerogationInput {
            fin: "2019-01-01".into(),
            regles: vec![],
            motif: " ".into(),
            portee: "monde".into(),
            ..ok
        };
        let errors = bad.parse(&known).expect_err("refused");
        assert_eq!(errors.len(), 4, "{errors:?}");
        assert_eq!(PorteeDerogation::from_code("region:76"), Some(PorteeDerogation::Region("76".into())));
    }
}

/// What « Vérifiez et complétez la demande de DTE » sends.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct DteInput {
    pub nombre_candidats: String,
    /// `AAAA-MM-JJ`
    pub date_reception_plis: String,
    pub commentaires: String,
}

/// A valid DTE request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Dte {
    pub nombre_candidats: u32,
    pub date_reception_plis: NaiveDate,
    pub commentaires: Option<String>,
}

/// Most candidates one session can take.
pub const MAX_CANDIDATS: u32 = 500;

impl DteInput {
    /// The request, or every reason it cannot be sent, for a session starting on `debut` and judged `aujourdhui`.
    pub fn parse(&self, debut: NaiveDate, aujourdhui: NaiveDate) -> Result<Dte, Vec<String>> {
        let mut errors = Vec::new();
        let nombre = match self.nombre_candidats.trim().parse::<i64>() {
            Ok(n) if (0..=i64::from(MAX_CANDIDATS)).contains(&n) => Some(n as u32),
            Ok(n) if n < 0 => {
                errors.push("Le nombre de candidats ne peut pas être négatif : saisissez 0 ou plus.".into());
                None
            }
            Ok(_) => {
                errors.push(format!(
                    "Une session accueille au plus {MAX_CANDIDATS} candidats : vérifiez le nombre saisi."
                ));
                None
            }
            Err(_) => {
                errors.push(
                    "Saisissez le nombre de candidats en chiffres (0 si le matériel est déjà pris en charge).".into(),
                );
                None
            }
        };
        let plis = match NaiveDate::parse_from_str(self.date_reception_plis.trim(), "%Y-%m-%d") {
            Ok(d) if d < aujourdhui => {
                errors.push("La date de réception des plis est passée : choisissez une date à venir.".into());
                None
            }
            Ok(d) if d > debut => {
                errors.push(format!(
                    "Les plis doivent arriver au plus tard le jour de la session ({}) : choisissez une date antérieure.",
                    date_fr(debut)
                ));
                None
            }
            Ok(d) => Some(d),
            Err(_) => {
                errors.push("Saisissez la date de réception des plis souhaitée (JJ/MM/AAAA).".into());
                None
            }
        };
        let commentaires = super::text::free_text("Les commentaires", &self.commentaires, 1000).unwrap_or_else(|e| {
            errors.push(e);
            String::new()
        });
        match (errors.is_empty(), nombre, plis) {
            (true, Some(nombre_candidats), Some(date_reception_plis)) => Ok(Dte {
                nombre_candidats,
                date_reception_plis,
                commentaires: (!commentaires.is_empty()).then_some(commentaires),
            }),
            _ => Err(errors),
        }
    }
}

#[cfg(test)]
mod dte_tests {
    use super::*;

    #[test]
    fn dte_requests_are_checked_and_zero_is_accepted() {
        let d = |y, m, day| NaiveDate::from_ymd_opt(y, m, day).expect("date");
        let input = |n: &str, plis: &str| DteInput {
            nombre_candidats: n.into(),
            date_reception_plis: plis.into(),
            commentaires: String::new(),
        };
        let ok = input("0", "2019-04-01").parse(d(2019, 4, 15), d(2019, 2, 25)).expect("zero is accepted");
        assert_eq!(ok.nombre_candidats, 0);
        for (n, plis, why) in [
            ("-3", "2019-04-01", "négatif"),
            ("100000", "2019-04-01", "au plus 500"),
            ("douze", "2019-04-01", "en chiffres"),
            ("12", "2019-05-01", "au plus tard le jour de la session (15/04/2019)"),
            ("12", "2019-01-01", "est passée"),
            ("12", "", "date de réception des plis"),
        ] {
            let errors = input(n, plis).parse(d(2019, 4, 15), d(2019, 2, 25)).expect_err(why);
            assert!(errors.join(" ").contains(why), "{why}: {errors:?}");
        }
    }
}
