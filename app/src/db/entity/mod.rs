//! sea-orm entities, one per table of the migrations crate.

pub mod compte;
pub mod etablissement;
pub mod geo;
pub mod referentiel;
pub mod session;

pub use compte::{app_user, audit_event, login_attempt, user_session};
pub use etablissement::{agrement, centre, site};
pub use geo::{commune, departement, region};
pub use referentiel::{ccp, reseau, titre, type_centre};
pub use session::{candidat, demande_dte, derogation, regle_delai, session as exam_session};
