//! Who may do what: roles with their territory, and the one deny-by-default check every server function goes
//! through. Pure, so the browser can hide what the server would refuse anyway.

use serde::{Deserialize, Serialize};

/// A user's role and the territory it covers.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum Role {
    /// DGEFP: national scope.
    National,
    /// DREETS (ex-DIRECCTE) agent of one région (INSEE code, e.g. "75" Nouvelle-Aquitaine).
    Dreets { region: String },
    /// UD / DDETS validator of one département (e.g. "33").
    Ud { departement: String },
    /// Staff of one centre.
    Centre { centre_id: i32 },
}

impl Role {
    /// The role's short name as stored and audited.
    pub fn code(&self) -> &'static str {
        match self {
            Role::National => "national",
            Role::Dreets { .. } => "dreets",
            Role::Ud { .. } => "ud",
            Role::Centre { .. } => "centre",
        }
    }
}

/// The signed-in user, as the pages and server functions see it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuthUser {
    pub id: i32,
    pub identifiant: String,
    pub nom_affiche: String,
    pub role: Role,
    /// Human label of role and territory: « DREETS Nouvelle-Aquitaine », « UD Gironde (33) ».
    pub perimetre: String,
}

/// Everything a user can ask CERES to do. A new server function adds its action here, and `is_allowed` must then
/// say who may perform it: the match below has no wildcard, so the compiler enforces deny-by-default.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Action {
    /// Search all centres and sites (« Établissements »).
    SearchEtablissements,
    /// Read one centre's page.
    ViewCentre { centre_id: i32 },
    /// Read one site's page (the site belongs to `centre_id`).
    ViewSite { centre_id: i32 },
}

/// The one authorization rule of CERES. `None` is an anonymous visitor, who may do nothing listed here.
pub fn is_allowed(user: Option<&AuthUser>, action: &Action) -> bool {
    let Some(user) = user else {
        return false;
    };
    match action {
        Action::SearchEtablissements => matches!(user.role, Role::National | Role::Dreets { .. } | Role::Ud { .. }),
        Action::ViewCentre { centre_id } | Action::ViewSite { centre_id } => match &user.role {
            Role::National | Role::Dreets { .. } | Role::Ud { .. } => true,
            Role::Centre { centre_id: own } => own == centre_id,
        },
    }
}

/// An entry of the header's navigation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NavItem {
    pub label: &'static str,
    pub href: String,
}

/// The navigation a role sees. Only pages that exist are listed.
pub fn navigation(role: &Role) -> Vec<NavItem> {
    match role {
        Role::National | Role::Dreets { .. } | Role::Ud { .. } => {
            vec![NavItem { label: "Établissements", href: "/etablissements".into() }]
        }
        Role::Centre { centre_id } => vec![NavItem { label: "Mon centre", href: format!("/centres/{centre_id}") }],
    }
}

/// Where a user lands after signing in.
pub fn home_path(role: &Role) -> String {
    navigation(role).into_iter().next().map(|n| n.href).unwrap_or_else(|| "/etablissements".into())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn user(role: Role) -> AuthUser {
        AuthUser { id: 1, identifiant: "x".into(), nom_affiche: "X".into(), role, perimetre: String::new() }
    }

    #[test]
    fn anonymous_visitors_may_do_nothing() {
        for a in [Action::SearchEtablissements, Action::ViewCentre { centre_id: 1 }, Action::ViewSite { centre_id: 1 }]
        {
            assert!(!is_allowed(None, &a), "{a:?}");
        }
    }

    #[test]
    fn a_centre_user_reads_only_its_own_centre_and_does_not_search() {
        let u = user(Role::Centre { centre_id: 7 });
        assert!(is_allowed(Some(&u), &Action::ViewCentre { centre_id: 7 }));
        assert!(is_allowed(Some(&u), &Action::ViewSite { centre_id: 7 }));
        assert!(!is_allowed(Some(&u), &Action::ViewCentre { centre_id: 8 }));
        assert!(!is_allowed(Some(&u), &Action::ViewSite { centre_id: 8 }));
        assert!(!is_allowed(Some(&u), &Action::SearchEtablissements));
    }

    #[test]
    fn agents_search_and_read_every_establishment() {
        for role in [Role::National, Role::Dreets { region: "75".into() }, Role::Ud { departement: "33".into() }] {
            let u = user(role);
            assert!(is_allowed(Some(&u), &Action::SearchEtablissements));
            assert!(is_allowed(Some(&u), &Action::ViewSite { centre_id: 99 }));
        }
    }
}
