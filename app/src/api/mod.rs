//! Server functions: the only door from the pages to the data. Each one goes through `db::authorize` (or, for an
//! object whose territory must be loaded first, `db::require_user` then `db::authorize`) before touching data.

pub mod codec;
pub mod etablissements;
pub mod referentiel;
pub mod regles;
pub mod sessions;

pub use etablissements::*;
pub use referentiel::*;
pub use regles::*;
pub use sessions::*;
