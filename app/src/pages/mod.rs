//! One module per page.

pub mod accueil;
pub mod activation;
pub mod administration;
pub mod centre;
pub mod connexion;
pub mod demandes_dte;
pub mod etablissements;
pub mod mentions;
pub mod not_found;
pub mod nouvelle_session;
pub mod regles;
pub mod session;
pub mod sessions;
pub mod site;

use leptos::prelude::*;
use leptos_router::hooks::use_params_map;

/// The numeric id in the URL (`/centres/{id}`): `Err` holds what was typed when it is not a positive integer.
pub(crate) fn id_param() -> Memo<Result<i32, String>> {
    let params = use_params_map();
    Memo::new(move |_| {
        let raw = params.read().get("id").unwrap_or_default();
        raw.parse::<i32>().ok().filter(|id| *id > 0).ok_or(raw)
    })
}
