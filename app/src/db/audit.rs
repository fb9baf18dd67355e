//! The append-only audit trail (« Traçabilité »). This module only inserts: no code path updates or deletes an
//! audit event.

use chrono::Utc;
use sea_orm::{ActiveModelTrait, ConnectionTrait, DbErr, Set};

use super::entity::audit_event;
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
    let now = Utc::now();
    let event = |field: Option<&str>, before: Option<String>, after: Option<String>| audit_event::ActiveModel {
        at: Set(now),
        user_id: Set(Some(actor.id)),
        role: Set(actor.role.code().to_owned()),
        scope: Set(scope(&actor.role)),
        object_type: Set(object_type.to_owned()),
        object_id: Set(object_id),
        action: Set(action.to_owned()),
        field: Set(field.map(str::to_owned)),
        before: Set(before),
        after: Set(after),
        hors_delai: Set(hors_delai.is_some()),
        regle_code: Set(hors_delai.as_ref().map(|h| h.regle.to_owned())),
        derogation_id: Set(hors_delai.as_ref().and_then(|h| h.derogation_id)),
        ..Default::default()
    };
    if changes.is_empty() {
        event(None, None, None).insert(db).await?;
    }
    for c in changes {
        event(Some(c.field), c.before.clone(), c.after.clone()).insert(db).await?;
    }
    Ok(())
}
