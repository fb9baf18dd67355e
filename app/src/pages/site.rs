//! « /sites/{id} »: the site's identification, représentant, agréments (as the support note shows them) and the
//! identification of its centre.

use leptos::prelude::*;
use leptos_meta::Title;

use super::centre::IdentificationFields;
use super::id_param;
use crate::api::get_site;
use crate::components::blocks::{AgrementList, Field, missing_object_view};
use crate::components::representant::{Owner, RepresentantEditor};
use crate::components::transfer::TransferSiteButton;
use crate::dto::SiteDetail;

#[component]
pub fn SitePage() -> impl IntoView {
    let id = id_param();
    let site = Resource::new(
        move || id.get(),
        |id| async move {
            match id {
                Ok(id) => get_site(id).await,
                Err(_) => Ok(None),
            }
        },
    );
    view! {
        <Suspense fallback=|| view! { <p>"Chargement du site…"</p> }>
            {move || Suspend::new(async move {
                match site.await {
                    Ok(Some(s)) => view! { <Site site=s on_transfer=move || site.refetch()/> }.into_any(),
                    Ok(None) => missing_object_view("Site", "/sites", id.get_untracked(), None),
                    Err(e) => missing_object_view("Site", "/sites", id.get_untracked(), Some(e)),
                }
            })}
        </Suspense>
    }
}

#[component]
fn Site(site: SiteDetail, #[prop(into)] on_transfer: Callback<()>) -> impl IntoView {
    let transfer = site.can_transfer.then(|| {
        view! { <TransferSiteButton site_id=site.id site_nom=site.nom.clone() on_done=on_transfer/> }.into_any()
    });
    let centre_href = format!("/centres/{}", site.centre.id);
    view! {
        <Title text=site.nom.clone()/>
        <nav role="navigation" class="fr-breadcrumb" aria-label="vous êtes ici :">
            <ol class="fr-breadcrumb__list">
                <li><a class="fr-breadcrumb__link" href="/etablissements">"Établissements"</a></li>
                <li><a class="fr-breadcrumb__link" href=centre_href.clone()>{site.centre.raison_sociale.clone()}</a></li>
                <li><a class="fr-breadcrumb__link" aria-current="page">{site.nom.clone()}</a></li>
            </ol>
        </nav>
        <h1 class="fr-h3" id="titre-site">{site.nom.clone()}</h1>
        <section class="fr-card fr-p-3w fr-mb-3w" aria-labelledby="identification-site">
            <h2 class="fr-h5" id="identification-site">"Identification du site"</h2>
            <dl class="ceres-fields">
                <Field label="Nom du site" value=Some(site.nom)/>
                <Field label="Adresse" value=Some(site.adresse)/>
                <Field label="Commune" value=Some(site.commune)/>
                <Field label="Département" value=Some(site.departement)/>
                <Field label="Région" value=Some(site.region)/>
            </dl>
        </section>
        <RepresentantEditor title="Représentant du site" rep=site.representant owner=Owner::Site(site.id)
            can_edit=site.can_edit_representant/>
        <section class="fr-card fr-p-3w fr-mb-3w" aria-labelledby="agrements-site">
            <h2 class="fr-h5" id="agrements-site">"Agréments"</h2>
            <AgrementList agrements=site.agrements/>
        </section>
        <section class="fr-card fr-p-3w fr-mb-3w" aria-labelledby="identification-centre">
            <div class="ceres-section-head">
                <h2 class="fr-h5" id="identification-centre">"Identification du centre"</h2>
                <div class="ceres-actions">
                    <a href=centre_href class="fr-btn fr-btn--secondary fr-btn--sm" id="acceder-centre">
                        "Accéder au détail du centre"
                    </a>
                    {transfer}
                </div>
            </div>
            <IdentificationFields centre=site.centre/>
        </section>
    }
}
