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
    /// List the sessions of one's own territory (the query narrows to it).
    ListSessions,
    /// List the sessions awaiting validation in one's territory.
    ListSessionsToValidate,
    /// Read the titres professionnels referential.
    ViewReferentiel,
    /// Move a site (with its agréments and sessions) to another centre. Only the DREETS of the site's région may,
    /// whatever the centre's address (2019 support note), and the national administration.
    TransferSite { site_region: String },
    /// Register a centre from its SIRET (« Enregistrer un centre »).
    RegisterCentre,
    /// Issue a centre's activation code and print its letter (« Éditer le courrier d'activation »).
    IssueActivationLetter,
    /// « MODIFIER » a « Représentant » block of a centre or of a site belonging to `centre_id`. `regions`: for a
    /// centre, the régions of its sites and of the DREETS that registered it; for a site, the site's région.
    EditRepresentant { centre_id: i32, regions: Vec<String> },
    /// Declare and update the centre's conventions with training bodies (« Organismes de formation conventionnés »).
    ManageConventions { centre_id: i32 },
    /// « MODIFIER » on « Identification du centre ». `regions`: those of its sites and of the DREETS that
    /// registered it.
    EditCentreIdentification { regions: Vec<String> },
    /// Read the deadline rules and the relaxation windows (« Règles de délai »).
    ViewRegles,
    /// Change a deadline rule (delay, session types, blocking or not).
    EditRegle,
    /// Open a relaxation window with this scope: nationally (national admin), for a région (national admin or that
    /// région's DREETS).
    OpenDerogation { portee: crate::domain::delais::PorteeDerogation },
    /// Read one session (its site's centre, région and département).
    ViewSession { centre_id: i32, region: String, departement: String },
    /// « Demande de DTE » for a session of `centre_id`.
    RequestDte { centre_id: i32 },
    /// List and export every DTE request (the national admin, who has the sealed envelopes shipped).
    ListDteRequests,
    /// « Enregistrer la session » on a site of `centre_id`.
    CreateSession { centre_id: i32 },
    /// Change a session of `centre_id`: practical information, candidates, responsable, jury, surveillants,
    /// convocations, results, and its cancellation before the start.
    EditSession { centre_id: i32 },
    /// The UD's decisions on a session of `departement`: « Valider », « Demander une correction », « Annuler la
    /// session » for an irregularity, and a derogation to the deadline rules for this session alone.
    ReviewSession { departement: String },
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
        Action::ListSessions => true,
        Action::ListSessionsToValidate => matches!(user.role, Role::National | Role::Ud { .. }),
        Action::ViewReferentiel => matches!(user.role, Role::National),
        Action::TransferSite { site_region } => match &user.role {
            Role::National => true,
            Role::Dreets { region } => region == site_region,
            Role::Ud { .. } | Role::Centre { .. } => false,
        },
        Action::EditRepresentant { centre_id, regions } => match &user.role {
            Role::National => true,
            Role::Dreets { region } => regions.contains(region),
            Role::Centre { centre_id: own } => own == centre_id,
            Role::Ud { .. } => false,
        },
        Action::EditCentreIdentification { regions } => match &user.role {
            Role::National => true,
            Role::Dreets { region } => regions.contains(region),
            Role::Ud { .. } | Role::Centre { .. } => false,
        },
        Action::ViewRegles => matches!(user.role, Role::National | Role::Dreets { .. } | Role::Ud { .. }),
        Action::EditRegle => matches!(user.role, Role::National),
        Action::OpenDerogation { portee } => {
            use crate::domain::delais::PorteeDerogation;
            match (&user.role, portee) {
                (Role::National, PorteeDerogation::Nationale | PorteeDerogation::Region(_)) => true,
                (Role::Dreets { region }, PorteeDerogation::Region(r)) => region == r,
                // One session's derogation is granted from the session (UD of its département): not here.
                _ => false,
            }
        }
        Action::ViewSession { centre_id, region, departement } => match &user.role {
            Role::National => true,
            Role::Dreets { region: own } => own == region,
            Role::Ud { departement: own } => own == departement,
            Role::Centre { centre_id: own } => own == centre_id,
        },
        Action::ManageConventions { centre_id } => match &user.role {
            Role::Centre { centre_id: own } => own == centre_id,
            Role::National | Role::Dreets { .. } | Role::Ud { .. } => false,
        },
        Action::RequestDte { centre_id } => match &user.role {
            Role::Centre { centre_id: own } => own == centre_id,
            Role::National => true,
            Role::Dreets { .. } | Role::Ud { .. } => false,
        },
        Action::ListDteRequests => matches!(user.role, Role::National),
        // Sessions are the centre's work; the national administration may step in for support.
        Action::CreateSession { centre_id } | Action::EditSession { centre_id } => match &user.role {
            Role::Centre { centre_id: own } => own == centre_id,
            Role::National => true,
            Role::Dreets { .. } | Role::Ud { .. } => false,
        },
        Action::ReviewSession { departement } => match &user.role {
            Role::Ud { departement: own } => own == departement,
            Role::National => true,
            Role::Dreets { .. } | Role::Centre { .. } => false,
        },
        Action::RegisterCentre | Action::IssueActivationLetter => {
            matches!(user.role, Role::National | Role::Dreets { .. })
        }
    }
}

/// The part of the country a user's lists are narrowed to.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum Territory {
    All,
    Region(String),
    Departement(String),
    Centre(i32),
}

impl Role {
    pub fn territory(&self) -> Territory {
        match self {
            Role::National => Territory::All,
            Role::Dreets { region } => Territory::Region(region.clone()),
            Role::Ud { departement } => Territory::Departement(departement.clone()),
            Role::Centre { centre_id } => Territory::Centre(*centre_id),
        }
    }
}

/// An entry of the header's navigation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NavItem {
    pub label: &'static str,
    pub href: String,
}

/// The navigation a role sees: only what `is_allowed` lets it open.
pub fn navigation(role: &Role) -> Vec<NavItem> {
    let item = |label: &'static str, href: &str| NavItem { label, href: href.to_owned() };
    let mut items = match role {
        Role::Centre { centre_id } => vec![item("Mon centre", &format!("/centres/{centre_id}"))],
        _ => vec![item("Établissements", "/etablissements")],
    };
    items.push(item("Sessions", "/sessions"));
    if matches!(role, Role::National | Role::Ud { .. }) {
        items.push(item("Validation", "/validation"));
    }
    if matches!(role, Role::National | Role::Dreets { .. } | Role::Ud { .. }) {
        items.push(item("Règles de délai", "/administration/regles"));
    }
    if matches!(role, Role::National) {
        items.push(item("Administration", "/administration"));
    }
    items
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
    fn the_navigation_shows_only_what_the_role_may_open() {
        let labels = |role| navigation(&role).into_iter().map(|n| n.label).collect::<Vec<_>>();
        assert_eq!(
            labels(Role::National),
            ["Établissements", "Sessions", "Validation", "Règles de délai", "Administration"]
        );
        assert_eq!(labels(Role::Dreets { region: "75".into() }), ["Établissements", "Sessions", "Règles de délai"]);
        assert_eq!(
            labels(Role::Ud { departement: "33".into() }),
            ["Établissements", "Sessions", "Validation", "Règles de délai"]
        );
        assert_eq!(labels(Role::Centre { centre_id: 3 }), ["Mon centre", "Sessions"]);
        let centre = user(Role::Centre { centre_id: 3 });
        assert!(!is_allowed(Some(&centre), &Action::ListSessionsToValidate));
        assert!(!is_allowed(Some(&centre), &Action::ViewReferentiel));
        assert!(is_allowed(Some(&centre), &Action::ListSessions));
    }

    #[test]
    fn only_the_dreets_of_the_sites_region_transfers_it() {
        let naq = user(Role::Dreets { region: "75".into() });
        let occ = user(Role::Dreets { region: "76".into() });
        let here = Action::TransferSite { site_region: "75".into() };
        assert!(is_allowed(Some(&naq), &here));
        assert!(!is_allowed(Some(&occ), &here));
        assert!(is_allowed(Some(&user(Role::National)), &here));
        assert!(!is_allowed(Some(&user(Role::Ud { departement: "33".into() })), &here));
        assert!(!is_allowed(Some(&user(Role::Centre { centre_id: 1 })), &here));
    }

    #[test]
    fn representants_are_edited_by_the_territory_or_the_centre_itself() {
        let action = Action::EditRepresentant { centre_id: 7, regions: vec!["75".into(), "52".into()] };
        assert!(is_allowed(Some(&user(Role::National)), &action));
        assert!(is_allowed(Some(&user(Role::Dreets { region: "52".into() })), &action));
        assert!(!is_allowed(Some(&user(Role::Dreets { region: "76".into() })), &action));
        assert!(is_allowed(Some(&user(Role::Centre { centre_id: 7 })), &action));
        assert!(!is_allowed(Some(&user(Role::Centre { centre_id: 8 })), &action));
        assert!(!is_allowed(Some(&user(Role::Ud { departement: "33".into() })), &action));
    }

    #[test]
    fn a_centre_identification_is_edited_by_the_national_admin_and_the_dreets_of_its_regions() {
        let action = Action::EditCentreIdentification { regions: vec!["75".into(), "52".into()] };
        assert!(is_allowed(Some(&user(Role::National)), &action));
        assert!(is_allowed(Some(&user(Role::Dreets { region: "75".into() })), &action));
        assert!(!is_allowed(Some(&user(Role::Dreets { region: "76".into() })), &action));
        assert!(!is_allowed(Some(&user(Role::Centre { centre_id: 7 })), &action), "not the centre itself");
        assert!(!is_allowed(Some(&user(Role::Ud { departement: "33".into() })), &action));
        assert!(!is_allowed(None, &action));
    }

    #[test]
    fn rules_are_changed_nationally_and_windows_opened_within_ones_scope() {
        use crate::domain::delais::PorteeDerogation;
        let national = user(Role::National);
        let occ = user(Role::Dreets { region: "76".into() });
        let ud = user(Role::Ud { departement: "30".into() });
        assert!(is_allowed(Some(&national), &Action::EditRegle));
        assert!(!is_allowed(Some(&occ), &Action::EditRegle));
        assert!(is_allowed(Some(&ud), &Action::ViewRegles));
        let open = |p: PorteeDerogation| Action::OpenDerogation { portee: p };
        assert!(is_allowed(Some(&national), &open(PorteeDerogation::Nationale)));
        assert!(is_allowed(Some(&occ), &open(PorteeDerogation::Region("76".into()))));
        assert!(!is_allowed(Some(&occ), &open(PorteeDerogation::Region("75".into()))));
        assert!(!is_allowed(Some(&occ), &open(PorteeDerogation::Nationale)));
        assert!(!is_allowed(Some(&ud), &open(PorteeDerogation::Region("76".into()))));
        assert!(!is_allowed(Some(&user(Role::Centre { centre_id: 1 })), &Action::ViewRegles));
    }

    #[test]
    fn a_session_is_read_within_its_territory_and_its_dte_requested_by_its_centre() {
        let view = Action::ViewSession { centre_id: 7, region: "76".into(), departement: "30".into() };
        assert!(is_allowed(Some(&user(Role::Centre { centre_id: 7 })), &view));
        assert!(!is_allowed(Some(&user(Role::Centre { centre_id: 8 })), &view), "never another centre's session");
        assert!(is_allowed(Some(&user(Role::Ud { departement: "30".into() })), &view));
        assert!(!is_allowed(Some(&user(Role::Ud { departement: "33".into() })), &view));
        assert!(is_allowed(Some(&user(Role::Dreets { region: "76".into() })), &view));
        assert!(!is_allowed(Some(&user(Role::Dreets { region: "75".into() })), &view));
        let conventions = Action::ManageConventions { centre_id: 7 };
        assert!(is_allowed(Some(&user(Role::Centre { centre_id: 7 })), &conventions));
        assert!(!is_allowed(Some(&user(Role::Centre { centre_id: 8 })), &conventions));
        assert!(!is_allowed(Some(&user(Role::Dreets { region: "75".into() })), &conventions));
        assert!(!is_allowed(Some(&user(Role::National)), &conventions));
        let dte = Action::RequestDte { centre_id: 7 };
        assert!(is_allowed(Some(&user(Role::Centre { centre_id: 7 })), &dte));
        assert!(!is_allowed(Some(&user(Role::Centre { centre_id: 8 })), &dte));
        assert!(!is_allowed(Some(&user(Role::Ud { departement: "30".into() })), &dte));
        assert!(is_allowed(Some(&user(Role::National)), &Action::ListDteRequests));
        assert!(!is_allowed(Some(&user(Role::Dreets { region: "76".into() })), &Action::ListDteRequests));
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
