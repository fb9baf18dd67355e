//! sea-orm entities, one per table of the migrations crate.

pub mod compte;
pub mod etablissement;
pub mod examen;
pub mod geo;
pub mod referentiel;

pub use compte::{app_user, audit_chain, audit_event, login_attempt, user_session};
pub use etablissement::{agrement, centre, convention, convention_titre, site};
pub use examen::{candidat, demande_dte, derogation, jury_membre, regle_delai, session as exam_session, surveillant};
pub use geo::{commune, departement, region};
pub use referentiel::{ccp, reseau, titre, type_centre};
