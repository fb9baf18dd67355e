//! « /centres/{id} »: the centre's identification, représentant, agréments of all its sites, attached sites and
//! conventioned training bodies.

use leptos::prelude::*;
use leptos_meta::Title;

use super::id_param;
use crate::api::get_centre;
use crate::components::blocks::{AgrementList, Field, missing_object_view};
use crate::components::conventions::ConventionsBlock;
use crate::components::identification::IdentificationEditor;
use crate::components::representant::{Owner, RepresentantEditor};
use crate::dto::{CentreDetail, CentreIdentification};

#[component]
pub fn CentrePage() -> impl IntoView {
    let id = id_param();
    let centre = Resource::new(
        move || id.get(),
        |id| async move {
            match id {
                Ok(id) => get_centre(id).await,
                Err(_) => Ok(None),
            }
        },
    );
    view! {
        <Suspense fallback=|| view! { <p>"Chargement du centre…"</p> }>
            {move || Suspend::new(async move {
                match centre.await {
                    Ok(Some(c)) => view! { <Centre centre=c/> }.into_any(),
                    Ok(None) => missing_object_view("Centre", "/centres", id.get_untracked(), None),
                    Err(e) => missing_object_view("Centre", "/centres", id.get_untracked(), Some(e)),
                }
            })}
        </Suspense>
    }
}

/// The « Identification du centre » fields, also shown on each site page.
#[component]
pub fn IdentificationFields(centre: CentreIdentification) -> impl IntoView {
    view! {
        <dl class="ceres-fields">
            <Field label="SIRET" value=Some(centre.siret)/>
            <Field label="Raison sociale" value=Some(centre.raison_sociale)/>
            <Field label="Adresse" value=Some(centre.adresse)/>
            <Field label="Commune" value=Some(centre.commune)/>
            <Field label="Type de centre" value=centre.type_centre/>
            <Field label="Réseau" value=centre.reseau/>
            <Field label="Commentaires" value=centre.commentaires/>
        </dl>
    }
}

/// « Éditer le courrier d'activation »: a form POST that issues a new code and downloads the PDF letter.
#[component]
pub fn ActivationLetterButton(centre_id: i32) -> impl IntoView {
    view! {
        <form method="post" action=format!("/centres/{centre_id}/courrier-activation") class="ceres-inline-form">
            <button type="submit" class="fr-btn fr-btn--secondary fr-btn--sm fr-icon-mail-line fr-btn--icon-left" id="courrier-activation"
                title="Un nouveau code est émis ; le précédent ne fonctionne plus.">
                "Éditer le courrier d'activation"
            </button>
        </form>
    }
}

#[component]
fn Centre(centre: CentreDetail) -> impl IntoView {
    let ident = centre.identification;
    let centre_id = ident.id;
    let activated = leptos_router::hooks::use_query_map().read_untracked().get("active").is_some();
    let heading = format!("Centre {} ({})", ident.raison_sociale, ident.siret);
    view! {
        <Title text=ident.raison_sociale.clone()/>
        <nav role="navigation" class="fr-breadcrumb" aria-label="vous êtes ici :">
            <ol class="fr-breadcrumb__list">
                <li><a class="fr-breadcrumb__link" href="/etablissements">"Établissements"</a></li>
                <li><a class="fr-breadcrumb__link" aria-current="page">{ident.raison_sociale.clone()}</a></li>
            </ol>
        </nav>
        <div class="ceres-section-head">
            <h1 class="fr-h3" id="titre-centre">{heading}</h1>
            {centre.can_issue_letter.then(|| view! { <ActivationLetterButton centre_id=ident.id/> })}
        </div>
        {activated.then(|| view! {
            <div class="fr-alert fr-alert--success fr-mb-3w" role="status" id="compte-active">
                <p>"Le compte de votre centre est activé : vous êtes connecté à CERES."</p>
            </div>
        })}
        <IdentificationEditor centre=ident can_edit=centre.can_edit_identification/>
        <RepresentantEditor title="Représentant du centre" rep=centre.representant owner=Owner::Centre(centre_id)
            can_edit=centre.can_edit_representant/>
        <section class="fr-card fr-p-3w fr-mb-3w" aria-labelledby="agrements-centre">
            <h2 class="fr-h5" id="agrements-centre">"Agréments"</h2>
            <AgrementList agrements=centre.agrements show_site=true/>
        </section>
        <section class="fr-card fr-p-3w fr-mb-3w" aria-labelledby="sites-centre">
            <h2 class="fr-h5" id="sites-centre">"Sites rattachés"</h2>
            {if centre.sites.is_empty() {
                view! { <p class="ceres-empty">"Aucun site rattaché."</p> }.into_any()
            } else {
                view! {
                    <ul class="ceres-results" id="sites-rattaches">
                        {centre.sites.into_iter().map(|s| view! {
                            <li class="ceres-result">
                                <a href=format!("/sites/{}", s.id) class="ceres-result__link">
                                    <span class="ceres-result__title">{s.nom}</span>
                                    <span class="ceres-result__meta">{s.commune}</span>
                                </a>
                            </li>
                        }).collect_view()}
                    </ul>
                }.into_any()
            }}
        </section>
        <ConventionsBlock centre_id=centre_id conventions=centre.conventions/>
    }
}
