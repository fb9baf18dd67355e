//! Any unknown address: a French page with status 404.

use leptos::prelude::*;
use leptos_meta::Title;

use crate::components::blocks::NotFoundAlert;

#[component]
pub fn NotFound() -> impl IntoView {
    view! {
        <Title text="Page introuvable"/>
        <NotFoundAlert
            title="Page introuvable".to_string()
            message="La page demandée n'existe pas ou a été déplacée. Vérifiez l'adresse, ou repartez de l'accueil.".to_string()
        />
    }
}
