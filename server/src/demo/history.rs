//! The demo sessions' « Traçabilité »: what their centre and their UD would have entered, in the order and with
//! the values the application itself records (the change builders of `app::db`), each entry judged against the
//! deadline rules as the application judges it. A past national relaxation window let some centres request their DTE
//! or send their convocations late: those entries are flagged « hors délai », as in 2019, so that the UD's
//! « Saisies hors délai » has something to review. The events are chained into the audit trail like any other.

use std::collections::{HashMap, HashSet};

use app::auth::Role;
use app::db::audit::{Change, Entry, HorsDelai};
use app::db::entity::{app_user, audit_event, titre};
use app::db::insert_batches;
use app::db::regles::{new_derogation, ouverture};
use app::db::session_detail::dte_changes;
use app::db::session_edit::{candidat_ajoute, creation_changes, jury_nomme, resultat_saisi, statut_change};
use app::domain::candidats::{Candidat, Resultat};
use app::domain::delais::{ActionDelai, Contexte, Derogation, Dte, PorteeDerogation, Regle, Verdict, verdict};
use app::domain::programmation::NouvelleSession;
use app::domain::session::StatutSession;
use app::domain::text::normalize;
use chrono::{DateTime, Duration, NaiveDate, NaiveTime, Utc};
use sea_orm::{ActiveModelTrait, ConnectionTrait, DbErr, EntityTrait, QueryOrder, Set};

use super::names::{FIRST_NAMES_F, FIRST_NAMES_M, SURNAMES};
use super::rng::Rng;

/// Where a session is held: the centre that enters, the UD that validates, the région whose windows apply.
#[derive(Clone)]
pub(super) struct Lieu {
    pub centre_id: i32,
    pub departement: String,
    pub region: String,
}

/// The dates of a session's entries and how the rules judged the two that have a deadline.
pub(super) struct Timeline {
    pub dte: Option<(NaiveDate, Verdict)>,
    convocations: Option<(NaiveDate, Verdict)>,
    resultats: Option<NaiveDate>,
    decision: Option<NaiveDate>,
}

/// What the generator decided for one session, that its history tells.
pub(super) struct Story<'a> {
    pub id: i32,
    pub lieu: &'a Lieu,
    pub session: NouvelleSession,
    pub identifiant: &'a str,
    pub statut: StatutSession,
    pub created: NaiveDate,
    pub candidats: &'a [(Candidat, Option<Resultat>)],
    pub jury: &'a [(String, String, NaiveDate)],
    pub dte: Option<&'a Dte>,
}

/// The history being written, and what judging it needs.
#[derive(Default)]
pub(super) struct History {
    /// False above the national scale: the benchmark volumes measure the search, and a history would multiply them.
    enabled: bool,
    today: NaiveDate,
    regles: Vec<Regle>,
    fenetre: Option<Derogation>,
    titres: HashMap<i32, titre::Model>,
    /// Every event, with who made it (resolved to accounts once they exist).
    events: Vec<(Who, audit_event::ActiveModel)>,
    /// The centre de reprise, whose entries came with the migration.
    reprise: Option<i32>,
}

#[derive(Clone, PartialEq, Eq, Hash)]
enum Who {
    Centre(i32),
    Ud(String),
    National,
}

impl Who {
    fn role(&self) -> Role {
        match self {
            Who::Centre(centre_id) => Role::Centre { centre_id: *centre_id },
            Who::Ud(departement) => Role::Ud { departement: departement.clone() },
            Who::National => Role::National,
        }
    }
}

/// The demo's relaxation window: national, every rule lifted, ended a month and a half ago.
fn fenetre(id: i32, today: NaiveDate, regles: &[Regle]) -> Derogation {
    Derogation {
        id,
        nom: "Assouplissement national des délais".into(),
        portee: PorteeDerogation::Nationale,
        debut: today - Duration::days(75),
        fin: today - Duration::days(45),
        regles: regles.iter().map(|r| r.code.clone()).collect(),
    }
}

/// When the national administration opened the window: two days before it starts.
fn opened(window: &Derogation) -> DateTime<Utc> {
    at(window.debut - Duration::days(2), NaiveTime::from_hms_opt(10, 0, 0))
}

/// Why the demo's cancelled sessions were cancelled (also the session's `motif_annulation`).
pub(super) const MOTIF_ANNULATION: &str = "Session annulée par le centre faute de candidats.";

const MOTIF: &str = "Reprise des sessions reportées : les délais sont levés, chaque saisie reste archivée et visible \
des unités départementales.";

impl History {
    /// A history written when `enabled` (at most national scale), judged by `regles` and the demo's window, which
    /// takes the id `derogation_id`.
    pub fn new(
        enabled: bool,
        today: NaiveDate,
        regles: Vec<Regle>,
        derogation_id: i32,
        titres: &[titre::Model],
    ) -> History {
        let window = fenetre(derogation_id, today, &regles);
        let mut events = Vec::new();
        if enabled {
            let opening = Entry {
                at: opened(&window),
                user_id: None,
                role: &Role::National,
                object_type: "derogation",
                object_id: window.id,
                action: "creation",
                hors_delai: None,
            };
            events.extend(opening.events(&ouverture(&window, MOTIF)).into_iter().map(|e| (Who::National, e)));
        }
        History {
            enabled,
            today,
            regles,
            fenetre: Some(window),
            titres: titres.iter().map(|t| (t.id, t.clone())).collect(),
            events,
            reprise: None,
        }
    }

    fn judge(&self, action: ActionDelai, on: NaiveDate, s: &NouvelleSession, region: &str, id: i32) -> Verdict {
        let ctx = Contexte {
            aujourdhui: on,
            debut_session: s.date_debut,
            type_session: &s.type_session,
            region,
            session_id: Some(id),
        };
        verdict(action, &self.regles, self.fenetre.as_slice(), &ctx)
    }

    /// When each entry was made. Most are on time; where the dates allow, about a third of the DTE requests and of
    /// the convocations went out late, inside the window (which the rules then record as « hors délai »).
    pub fn timeline(&self, rng: &mut Rng, story: &Story<'_>) -> Timeline {
        use StatutSession::*;
        let (id, lieu, s, statut, created) = (story.id, story.lieu, &story.session, story.statut, story.created);
        let today = self.today;
        let window = self.fenetre.as_ref().map(|d| (d.debut, d.fin));
        // A day in [lo, hi], if there is one, about one time in three.
        let late = |lo: NaiveDate, hi: NaiveDate, rng: &mut Rng| {
            (lo <= hi && rng.chance(35)).then(|| lo + Duration::days(rng.between(0, (hi - lo).num_days())))
        };
        let judged = |action, on: NaiveDate| (on, self.judge(action, on, s, &lieu.region, id));
        // An entry refused by the rules was not made then: the on-time date stands.
        let permitted = |late: Option<(NaiveDate, Verdict)>, on_time: (NaiveDate, Verdict)| {
            late.filter(|(_, v)| v.permis()).unwrap_or(on_time)
        };
        let dte = matches!(statut, DteEnvoye | ConvocationsEnvoyees | ResultatsSaisis | Validee).then(|| {
            let on_time = judged(ActionDelai::DemandeDte, (created + Duration::days(5)).min(today));
            let late = window.and_then(|(debut, fin)| {
                let lo = debut.max(s.date_debut - Duration::days(90)).max(created + Duration::days(1));
                late(lo, fin.min(s.date_debut - Duration::days(35)).min(today), rng)
            });
            permitted(late.map(|on| judged(ActionDelai::DemandeDte, on)), on_time)
        });
        let dte_on = dte.as_ref().map_or(created, |(on, _)| *on);
        let convocations = matches!(statut, ConvocationsEnvoyees | ResultatsSaisis | Validee).then(|| {
            let usual = (s.date_debut - Duration::days(rng.between(32, 50))).max(dte_on + Duration::days(1));
            let on_time = judged(ActionDelai::Convocation, usual.min(today));
            let late = window.and_then(|(debut, fin)| {
                let lo = debut.max(s.date_debut - Duration::days(29)).max(dte_on + Duration::days(1));
                late(lo, fin.min(s.date_debut - Duration::days(1)).min(today), rng)
            });
            permitted(late.map(|on| judged(ActionDelai::Convocation, on)), on_time)
        });
        let resultats = matches!(statut, ResultatsSaisis | Validee)
            .then(|| (s.date_fin + Duration::days(rng.between(1, 6))).min(today));
        let decision = match statut {
            Validee => resultats.map(|r| (r + Duration::days(rng.between(3, 25))).min(today)),
            Annulee => Some((created + Duration::days(rng.between(3, 40))).min(today).min(s.date_debut)),
            _ => None,
        };
        Timeline { dte, convocations, resultats, decision }
    }

    /// The session's entries, in the order they were made; the time of the last one.
    pub fn tell(&mut self, rng: &mut Rng, story: &Story<'_>, t: &Timeline) -> Option<DateTime<Utc>> {
        use StatutSession::*;
        if !self.enabled {
            return None;
        }
        let today = self.today;
        let centre = Who::Centre(story.lieu.centre_id);
        let s = &story.session;
        // A moment of the day, office hours (no entry is dated after today).
        let on = |day: NaiveDate, rng: &mut Rng| {
            let time = NaiveTime::from_hms_opt(rng_between(rng, 8, 16), rng_between(rng, 0, 59), 0);
            at(day.min(today), time)
        };
        // Each entry's events, built as the application builds them.
        let entry = |when: DateTime<Utc>, who: &Who, action: &str, changes: &[Change<'_>], v: Option<&Verdict>| {
            let role = who.role();
            let e = Entry {
                at: when,
                user_id: None,
                role: &role,
                object_type: "session",
                object_id: story.id,
                action,
                hors_delai: v.and_then(HorsDelai::of),
            };
            (when, who.clone(), e.events(changes))
        };
        let mut entries = Vec::new();
        let programmation = self.judge(ActionDelai::Programmation, story.created, s, &story.lieu.region, story.id);
        let created = creation_changes(s, story.identifiant, self.titres.get(&s.titre_id));
        // At the session's own creation time.
        let creation = at(story.created, None);
        entries.push(entry(creation, &centre, "creation", &created, Some(&programmation)));
        if !story.candidats.is_empty() {
            let changes: Vec<_> = story.candidats.iter().map(|(c, _)| candidat_ajoute(c)).collect();
            let day = on(story.created + Duration::days(2), rng);
            entries.push(entry(day, &centre, "candidats_import", &changes, None));
        }
        for (nom, prenom, fin) in story.jury {
            let change = Change { field: "jury", before: None, after: Some(jury_nomme(nom, prenom, *fin)) };
            entries.push(entry(on(story.created + Duration::days(4), rng), &centre, "ajout", &[change], None));
        }
        if let (Some((day, v)), Some(dte)) = (&t.dte, story.dte) {
            entries.push(entry(on(*day, rng), &centre, "demande_dte", &dte_changes(dte), Some(v)));
        }
        if let Some((day, v)) = &t.convocations {
            let change = statut_change(Some(DteEnvoye), ConvocationsEnvoyees);
            entries.push(entry(on(*day, rng), &centre, "convocations", &[change], Some(v)));
        }
        if let Some(day) = t.resultats {
            let saisis: Vec<(String, String)> = story
                .candidats
                .iter()
                .filter_map(|(c, r)| Some(resultat_saisi(&c.nom, &c.prenom, (*r)?, None)))
                .collect();
            let mut changes = vec![statut_change(Some(ConvocationsEnvoyees), ResultatsSaisis)];
            changes.extend(saisis.iter().map(|(f, a)| Change { field: f, before: None, after: Some(a.clone()) }));
            entries.push(entry(on(day, rng), &centre, "resultats", &changes, None));
        }
        match (story.statut, t.decision) {
            (Validee, Some(day)) => {
                let ud = Who::Ud(story.lieu.departement.clone());
                let change = statut_change(Some(ResultatsSaisis), Validee);
                entries.push(entry(on(day, rng), &ud, "validation", &[change], None));
            }
            (Annulee, Some(day)) => {
                let changes = [
                    statut_change(Some(EnPreparation), Annulee),
                    Change { field: "motif_annulation", before: None, after: Some(MOTIF_ANNULATION.into()) },
                ];
                entries.push(entry(on(day, rng), &centre, "annulation", &changes, None));
            }
            _ => {}
        }
        // In the order they were made: by day, and within a day in the order of the session's life (an entry
        // clamped to today comes after those it follows), each some minutes after the one before.
        let mut entries: Vec<_> = entries.into_iter().enumerate().collect();
        entries.sort_by_key(|(i, e)| (e.0.date_naive(), *i));
        let mut previous: Option<DateTime<Utc>> = None;
        for (_, (mut when, who, mut events)) in entries {
            if let Some(p) = previous.filter(|p| *p >= when) {
                when = p + Duration::minutes(rng.between(1, 20));
                for e in &mut events {
                    e.at = Set(when);
                }
            }
            previous = Some(when);
            self.events.extend(events.into_iter().map(|e| (who.clone(), e)));
        }
        previous
    }

    /// The centre whose entries came with the VALCE migration (the centre de reprise): it has no staff, so its
    /// entries are the migration's.
    pub fn set_reprise(&mut self, centre_id: i32) {
        self.reprise = Some(centre_id);
    }

    /// Stores the window and chains the history into the audit trail, each entry made by an account of its centre,
    /// its UD or the national administration. The demo accounts are used where they exist; every other centre and
    /// UD that made entries gets one account of its staff (as a centre that works in CERES has activated one), whose
    /// password nobody knows: only the demo accounts sign in.
    pub async fn write(self, db: &impl ConnectionTrait) -> Result<(), DbErr> {
        let mut accounts = Accounts::load(db).await?;
        let mut seen = HashSet::new();
        let missing: Vec<&Who> = self
            .events
            .iter()
            .map(|(who, _)| who)
            .filter(|who| accounts.of(who).is_none() && seen.insert(*who))
            .collect();
        if !missing.is_empty() {
            let hash = crate::passwords::unknown_password_hash();
            let mut rng = Rng::new(0x000C_E7E5_57AF);
            let now = Utc::now();
            let rows = missing.iter().filter_map(|who| staff(&mut rng, who, self.reprise, &hash, now)).collect();
            insert_batches(db, rows).await?;
            accounts = Accounts::load(db).await?;
        }
        if let Some(d) = &self.fenetre {
            let mut row = new_derogation(d, MOTIF, accounts.of(&Who::National), opened(d));
            row.id = Set(d.id);
            row.insert(db).await?;
        }
        let events = self
            .events
            .into_iter()
            .map(|(who, mut e)| {
                e.user_id = Set(accounts.of(&who));
                e
            })
            .collect();
        app::db::audit::append(db, events).await
    }
}

/// The first account of each centre, each UD and the national administration.
struct Accounts {
    centres: HashMap<i32, i32>,
    uds: HashMap<String, i32>,
    national: Option<i32>,
}

impl Accounts {
    async fn load(db: &impl ConnectionTrait) -> Result<Accounts, DbErr> {
        let mut a = Accounts { centres: HashMap::new(), uds: HashMap::new(), national: None };
        for u in app_user::Entity::find().order_by_asc(app_user::Column::Id).all(db).await? {
            match (u.role.as_str(), u.centre_id, u.departement_code) {
                ("centre", Some(centre_id), _) => {
                    a.centres.entry(centre_id).or_insert(u.id);
                }
                ("ud", _, Some(dep)) => {
                    a.uds.entry(dep).or_insert(u.id);
                }
                ("national", _, _) => {
                    a.national.get_or_insert(u.id);
                }
                _ => {}
            }
        }
        Ok(a)
    }

    fn of(&self, who: &Who) -> Option<i32> {
        match who {
            Who::Centre(id) => self.centres.get(id).copied(),
            Who::Ud(dep) => self.uds.get(dep).copied(),
            Who::National => self.national,
        }
    }
}

/// The account of a centre's or a UD's staff member who made the entries of `who`; the centre de reprise's is the
/// migration's, and cannot sign in.
fn staff(
    rng: &mut Rng,
    who: &Who,
    reprise: Option<i32>,
    hash: &str,
    now: DateTime<Utc>,
) -> Option<app_user::ActiveModel> {
    let row = |identifiant: String, nom: String, role: &str, active: bool| app_user::ActiveModel {
        identifiant: Set(identifiant),
        password_hash: Set(hash.to_owned()),
        nom_affiche: Set(nom),
        role: Set(role.to_owned()),
        active: Set(active),
        created_at: Set(now),
        ..Default::default()
    };
    let female = rng.chance(55);
    let prenom = *rng.pick(if female { FIRST_NAMES_F } else { FIRST_NAMES_M });
    let nom = *rng.pick(SURNAMES);
    let login = |suffix: String| format!("{}.{}.{suffix}", normalize(prenom), normalize(nom)).replace(' ', "-");
    let display = format!("{prenom} {}", title_case(nom));
    match who {
        Who::Centre(id) if Some(*id) == reprise => Some(app_user::ActiveModel {
            centre_id: Set(Some(*id)),
            ..row("reprise-valce".into(), "Reprise des données VALCE".into(), "centre", false)
        }),
        Who::Centre(id) => Some(app_user::ActiveModel {
            centre_id: Set(Some(*id)),
            ..row(login(format!("c{id}")), display, "centre", true)
        }),
        Who::Ud(dep) => Some(app_user::ActiveModel {
            departement_code: Set(Some(dep.clone())),
            ..row(login(format!("ud{}", dep.to_lowercase())), display, "ud", true)
        }),
        Who::National => None,
    }
}

/// « DUPONT » → « Dupont », « LE GALL » → « Le Gall ».
fn title_case(name: &str) -> String {
    let mut out = String::with_capacity(name.len());
    let mut start = true;
    for c in name.chars() {
        if start {
            out.extend(c.to_uppercase());
        } else {
            out.extend(c.to_lowercase());
        }
        start = matches!(c, ' ' | '-' | '\'');
    }
    out
}

fn rng_between(rng: &mut Rng, lo: u32, hi: u32) -> u32 {
    u32::try_from(rng.between(i64::from(lo), i64::from(hi))).unwrap_or(lo)
}

/// A moment of `day` (UTC), 09:00 when no time is given.
fn at(day: NaiveDate, time: Option<NaiveTime>) -> DateTime<Utc> {
    day.and_time(time.unwrap_or(NaiveTime::from_hms_opt(9, 0, 0).unwrap_or(NaiveTime::MIN))).and_utc()
}
