//! The append-only audit trail (« Traçabilité »). This module only inserts: no code path updates or deletes an
//! audit event. The events form a hash chain: each one's `hash` is the SHA-256 of the previous event's hash and of
//! its own content, so that `verify_chain` finds the first event altered, removed or inserted out of band.

use chrono::{DateTime, SubsecRound, Utc};
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DbErr, EntityTrait, QueryFilter, QueryOrder, QuerySelect, Set,
};
use sha2::{Digest, Sha256};

use super::entity::{audit_chain, audit_event};
use crate::auth::{AuthUser, Role};

/// One changed field: name, value before, value after.
pub struct Change<'a> {
    pub field: &'a str,
    pub before: Option<String>,
    pub after: Option<String>,
}

fn scope(role: &Role) -> Option<String> {
    match role {
        Role::National => None,
        Role::Dreets { region } => Some(format!("region:{region}")),
        Role::Ud { departement } => Some(format!("departement:{departement}")),
        Role::Centre { centre_id } => Some(format!("centre:{centre_id}")),
    }
}

/// An entry made after a deadline: the rule broken and the relaxation window that allowed it (`None` when the rule
/// only warns).
pub struct HorsDelai<'a> {
    pub regle: &'a str,
    pub derogation_id: Option<i32>,
}

impl<'a> HorsDelai<'a> {
    pub fn of(v: &'a crate::domain::delais::Verdict) -> Option<Self> {
        v.hors_delai().map(|(regle, derogation_id)| HorsDelai { regle, derogation_id })
    }
}

/// Records what `actor` did to an object: one event per changed field (one event without field if none).
pub async fn record(
    db: &impl ConnectionTrait,
    actor: &AuthUser,
    object_type: &str,
    object_id: i32,
    action: &str,
    changes: &[Change<'_>],
) -> Result<(), DbErr> {
    record_flagged(db, actor, object_type, object_id, action, changes, None).await
}

/// As `record`, flagging every event « hors délai » when `hors_delai` is given.
pub async fn record_flagged(
    db: &impl ConnectionTrait,
    actor: &AuthUser,
    object_type: &str,
    object_id: i32,
    action: &str,
    changes: &[Change<'_>],
    hors_delai: Option<HorsDelai<'_>>,
) -> Result<(), DbErr> {
    let entry = Entry {
        at: Utc::now(),
        user_id: Some(actor.id),
        role: &actor.role,
        object_type,
        object_id,
        action,
        hors_delai,
    };
    let mut prev = lock_head(db).await?;
    let mut last_id = 0i64;
    for mut e in entry.events(changes) {
        let hash = digest(&prev, &content(&e));
        e.hash = Set(Some(hash.clone()));
        last_id = e.insert(db).await?.id;
        prev = hash;
    }
    set_head(db, last_id, prev).await
}

/// One entry in the trail: who made it, when, on what, and whether it was late. Its events are one per changed field.
pub struct Entry<'a> {
    pub at: DateTime<Utc>,
    /// `None` when no account is known (the demo's history of centres without users).
    pub user_id: Option<i32>,
    pub role: &'a Role,
    pub object_type: &'a str,
    pub object_id: i32,
    pub action: &'a str,
    pub hors_delai: Option<HorsDelai<'a>>,
}

impl Entry<'_> {
    /// The entry's events, not yet chained: one per changed field, or one without field when nothing names a field.
    pub fn events(&self, changes: &[Change<'_>]) -> Vec<audit_event::ActiveModel> {
        // Microseconds: what PostgreSQL keeps, so that the hash of the stored event is the hash computed here.
        let at = self.at.trunc_subsecs(6);
        let event = |field: Option<&str>, before: Option<String>, after: Option<String>| audit_event::ActiveModel {
            at: Set(at),
            user_id: Set(self.user_id),
            role: Set(self.role.code().to_owned()),
            scope: Set(scope(self.role)),
            object_type: Set(self.object_type.to_owned()),
            object_id: Set(self.object_id),
            action: Set(self.action.to_owned()),
            field: Set(field.map(str::to_owned)),
            before: Set(before),
            after: Set(after),
            hors_delai: Set(self.hors_delai.is_some()),
            regle_code: Set(self.hors_delai.as_ref().map(|h| h.regle.to_owned())),
            derogation_id: Set(self.hors_delai.as_ref().and_then(|h| h.derogation_id)),
            ..Default::default()
        };
        if changes.is_empty() {
            return vec![event(None, None, None)];
        }
        changes.iter().map(|c| event(Some(c.field), c.before.clone(), c.after.clone())).collect()
    }
}

/// Chains `events` (in the order given) after the chain's head and inserts them a batch at a time, with the ids
/// that follow the last event's: a history written in one go (the demo's).
pub async fn append(db: &impl ConnectionTrait, mut events: Vec<audit_event::ActiveModel>) -> Result<(), DbErr> {
    if events.is_empty() {
        return Ok(());
    }
    let mut prev = lock_head(db).await?;
    let mut id: i64 = audit_event::Entity::find()
        .select_only()
        .column_as(audit_event::Column::Id.max(), "max")
        .into_tuple::<Option<i64>>()
        .one(db)
        .await?
        .flatten()
        .unwrap_or(0);
    for e in &mut events {
        id += 1;
        e.id = Set(id);
        let hash = digest(&prev, &content(e));
        e.hash = Set(Some(hash.clone()));
        prev = hash;
    }
    super::insert_batches(db, events).await?;
    super::sync_sequences(db, &["audit_event"]).await?;
    set_head(db, id, prev).await
}

/// Locks the chain's head and returns its hash. The lock (an UPDATE takes the row lock on PostgreSQL and the write
/// lock on SQLite) makes concurrent writers chain their events one after the other, never onto the same predecessor.
async fn lock_head(db: &impl ConnectionTrait) -> Result<String, DbErr> {
    audit_chain::Entity::update_many()
        .col_expr(audit_chain::Column::LastEventId, Expr::col(audit_chain::Column::LastEventId))
        .filter(audit_chain::Column::Id.eq(1))
        .exec(db)
        .await?;
    Ok(audit_chain::Entity::find_by_id(1)
        .one(db)
        .await?
        .ok_or_else(|| DbErr::RecordNotFound("audit_chain head".into()))?
        .last_hash)
}

async fn set_head(db: &impl ConnectionTrait, last_id: i64, last_hash: String) -> Result<(), DbErr> {
    audit_chain::Entity::update_many()
        .col_expr(audit_chain::Column::LastEventId, Expr::value(last_id))
        .col_expr(audit_chain::Column::LastHash, Expr::value(last_hash))
        .filter(audit_chain::Column::Id.eq(1))
        .exec(db)
        .await?;
    Ok(())
}

/// What an event's hash covers: every column but its id and its hash, in a fixed order.
struct Content {
    at: chrono::DateTime<Utc>,
    user_id: Option<i32>,
    role: String,
    scope: Option<String>,
    object_type: String,
    object_id: i32,
    action: String,
    field: Option<String>,
    before: Option<String>,
    after: Option<String>,
    hors_delai: bool,
    regle_code: Option<String>,
    derogation_id: Option<i32>,
}

fn content(e: &audit_event::ActiveModel) -> Content {
    let v = |a: &sea_orm::ActiveValue<Option<String>>| a.clone().unwrap();
    Content {
        at: e.at.clone().unwrap(),
        user_id: e.user_id.clone().unwrap(),
        role: e.role.clone().unwrap(),
        scope: v(&e.scope),
        object_type: e.object_type.clone().unwrap(),
        object_id: e.object_id.clone().unwrap(),
        action: e.action.clone().unwrap(),
        field: v(&e.field),
        before: v(&e.before),
        after: v(&e.after),
        hors_delai: e.hors_delai.clone().unwrap(),
        regle_code: v(&e.regle_code),
        derogation_id: e.derogation_id.clone().unwrap(),
    }
}

impl From<&audit_event::Model> for Content {
    fn from(e: &audit_event::Model) -> Self {
        Content {
            at: e.at,
            user_id: e.user_id,
            role: e.role.clone(),
            scope: e.scope.clone(),
            object_type: e.object_type.clone(),
            object_id: e.object_id,
            action: e.action.clone(),
            field: e.field.clone(),
            before: e.before.clone(),
            after: e.after.clone(),
            hors_delai: e.hors_delai,
            regle_code: e.regle_code.clone(),
            derogation_id: e.derogation_id,
        }
    }
}

/// SHA-256 (hex) of the previous hash and the event's fields, each followed by a separator (absent values by a
/// byte no text holds), so that no two different events hash alike.
fn digest(prev: &str, c: &Content) -> String {
    let mut h = Sha256::new();
    let mut put = |part: Option<&str>| {
        match part {
            Some(p) => h.update(p.as_bytes()),
            None => h.update([0u8]),
        }
        h.update([0x1f]);
    };
    put(Some(prev));
    put(Some(&c.at.to_rfc3339_opts(chrono::SecondsFormat::Micros, true)));
    put(c.user_id.map(|u| u.to_string()).as_deref());
    put(Some(&c.role));
    put(c.scope.as_deref());
    put(Some(&c.object_type));
    put(Some(&c.object_id.to_string()));
    put(Some(&c.action));
    put(c.field.as_deref());
    put(c.before.as_deref());
    put(c.after.as_deref());
    put(Some(if c.hors_delai { "1" } else { "0" }));
    put(c.regle_code.as_deref());
    put(c.derogation_id.map(|d| d.to_string()).as_deref());
    hex::encode(h.finalize())
}

/// What `verify_chain` found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ChainReport {
    /// Events whose hash was recomputed and matched.
    pub verified: u64,
    /// Events written before the chain existed (no hash), all before the first sealed one.
    pub unsealed: u64,
    /// The first break, in French: which event, and what is wrong.
    pub first_break: Option<String>,
}

/// Recomputes the chain from the first event and compares it with the stored hashes and the chain's head.
pub async fn verify_chain(db: &impl ConnectionTrait) -> Result<ChainReport, DbErr> {
    let mut report = ChainReport { verified: 0, unsealed: 0, first_break: None };
    let mut prev = String::new();
    let mut last_id = 0i64;
    let mut sealed_started = false;
    let mut last_ok: Option<i64> = None;
    loop {
        let batch = audit_event::Entity::find()
            .filter(audit_event::Column::Id.gt(last_id))
            .order_by_asc(audit_event::Column::Id)
            .limit(5000)
            .all(db)
            .await?;
        if batch.is_empty() {
            break;
        }
        for e in batch {
            last_id = e.id;
            let Some(stored) = &e.hash else {
                if sealed_started {
                    report.first_break = Some(format!(
                        "L'événement n° {} n'a pas d'empreinte alors que ceux qui le précèdent en ont une : il a été inséré hors de CERES.",
                        e.id
                    ));
                    return Ok(report);
                }
                report.unsealed += 1;
                continue;
            };
            sealed_started = true;
            let expected = digest(&prev, &Content::from(&e));
            if &expected != stored {
                // Its own content changed, or the event before it was removed (the chain then no longer leads here).
                report.first_break = Some(format!(
                    "L'événement n° {} a été modifié, ou l'événement qui le précédait a été supprimé : son empreinte ne correspond plus (dernier événement intact : {}).",
                    e.id,
                    last_ok.map_or("aucun".to_owned(), |id| format!("n° {id}"))
                ));
                return Ok(report);
            }
            prev = stored.clone();
            last_ok = Some(e.id);
            report.verified += 1;
        }
    }
    let head = audit_chain::Entity::find_by_id(1).one(db).await?;
    if let Some(h) = head
        && h.last_event_id != 0
        && (h.last_event_id != last_id || h.last_hash != prev)
    {
        report.first_break = Some(format!(
            "La chaîne s'arrête à l'événement n° {last_id} mais son dernier maillon enregistré est le n° {} : les derniers événements ont été supprimés ou modifiés.",
            h.last_event_id
        ));
    }
    Ok(report)
}
