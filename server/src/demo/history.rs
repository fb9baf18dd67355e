//! The demo sessions' « Traçabilité »: what their centre and their UD would have entered, in the order and with
//! the values the application itself records (the change builders of `app::db`), each entry judged against the
//! deadline rules as the application judges it. A past national relaxation window let some centres request their DTE
//! or send their convocations late: those entries are flagged « hors délai », as in 2019, so that the UD's
//! « Saisies hors délai » has something to review. The events are chained into the audit trail like any other.

use std::collections::HashMap;

use app::auth::Role;
use app::db::audit::{Change, Entry, HorsDelai};
use app::db::entity::{app_user, audit_event, titre};
use app::db::regles::{new_derogation, ouverture};
use app::db::session_detail::dte_changes;
use app::db::session_edit::{candidat_ajoute, creation_changes, jury_nomme, resultat_saisi, statut_change};
use app::domain::candidats::{Candidat, Resultat};
use app::domain::delais::{ActionDelai, Contexte, Derogation, Dte, PorteeDerogation, Regle, Verdict, verdict};
use app::domain::programmation::NouvelleSession;
use app::domain::session::StatutSession;
use chrono::{DateTime, Duration, NaiveDate, NaiveTime, Utc};
use sea_orm::{ActiveModelTrait, ConnectionTrait, DbErr, EntityTrait, Set};

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
    /// Every event, with who made it (resolved to the demo accounts once they exist).
    events: Vec<(Who, audit_event::ActiveModel)>,
}

#[derive(Clone, PartialEq, Eq)]
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

    /// Stores the window and chains the history into the audit trail, each entry made by the demo account of its
    /// centre, its UD or the national administration when there is one (the accounts must exist).
    pub async fn write(self, db: &impl ConnectionTrait) -> Result<(), DbErr> {
        let users = app_user::Entity::find().all(db).await?;
        let account = |who: &Who| {
            users
                .iter()
                .find(|u| match who {
                    Who::Centre(id) => u.role == "centre" && u.centre_id == Some(*id),
                    Who::Ud(dep) => u.role == "ud" && u.departement_code.as_deref() == Some(dep),
                    Who::National => u.role == "national",
                })
                .map(|u| u.id)
        };
        if let Some(d) = &self.fenetre {
            let mut row = new_derogation(d, MOTIF, account(&Who::National), opened(d));
            row.id = Set(d.id);
            row.insert(db).await?;
        }
        let events = self
            .events
            .into_iter()
            .map(|(who, mut e)| {
                e.user_id = Set(account(&who));
                e
            })
            .collect();
        app::db::audit::append(db, events).await
    }
}

fn rng_between(rng: &mut Rng, lo: u32, hi: u32) -> u32 {
    u32::try_from(rng.between(i64::from(lo), i64::from(hi))).unwrap_or(lo)
}

/// A moment of `day` (UTC), 09:00 when no time is given.
fn at(day: NaiveDate, time: Option<NaiveTime>) -> DateTime<Utc> {
    day.and_time(time.unwrap_or(NaiveTime::from_hms_opt(9, 0, 0).unwrap_or(NaiveTime::MIN))).and_utc()
}
