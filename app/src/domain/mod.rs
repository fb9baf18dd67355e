//! Pure domain rules shared by the browser and the server: what a valid SIRET is, how text is folded for search,
//! how dates and numbers are written in French.

pub mod candidats;
pub mod contact;
pub mod controles;
pub mod convention;
pub mod delais;
pub mod format;
pub mod html;
pub mod identification;
pub mod programmation;
pub mod recherche;
pub mod session;
pub mod siret;
pub mod text;
