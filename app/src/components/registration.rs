//! « Enregistrer un centre » (support note, procedure C): « Quel centre souhaitez-vous enregistrer ? » → « Saisir
//! le SIRET du centre » → « CONTINUER » → « Compléter les informations du centre »: name, address and commune from
//! the company registry, read-only; « Type de centre » and « Réseau » to choose → « CRÉER » / « ABANDONNER ».

use leptos::prelude::*;
use leptos_router::NavigateOptions;
use leptos_router::hooks::use_navigate;

use crate::api::{LookupCentreToRegister, RegisterCentre};
use crate::components::blocks::{Field, Modal};
use crate::dto::{Choice, RegistrationLookup, RegistryCompany};

#[derive(Debug, Clone, PartialEq)]
enum Step {
    Closed,
    Siret,
    Complete { company: RegistryCompany, types: Vec<Choice>, reseaux: Vec<Choice> },
}

fn parse_choice(v: &str) -> Option<i32> {
    v.parse::<i32>().ok()
}

#[component]
pub fn RegisterCentreButton(initial_siret: Option<String>) -> impl IntoView {
    let opened_with = initial_siret.clone();
    let step = RwSignal::new(if initial_siret.is_some() { Step::Siret } else { Step::Closed });
    let siret = RwSignal::new(initial_siret.unwrap_or_default());
    let type_centre = RwSignal::new(String::new());
    let reseau = RwSignal::new(String::new());
    let confirm_closed = RwSignal::new(false);
    let lookup = ServerAction::<LookupCentreToRegister>::new();
    let register = ServerAction::<RegisterCentre>::new();
    let navigate = use_navigate();

    let run_lookup = move || {
        lookup.dispatch(LookupCentreToRegister { siret: siret.get_untracked() });
    };
    if opened_with.is_some() {
        // Arriving from the transfer dialog with the SIRET already typed: look it up at once (browser only).
        Effect::new(move |_| run_lookup());
    }
    Effect::new(move |_| {
        if let Some(Ok(RegistrationLookup::Found { company, types, reseaux })) = lookup.value().get() {
            step.set(Step::Complete { company, types, reseaux });
        }
    });
    Effect::new(move |_| {
        if let Some(Ok(id)) = register.value().get() {
            step.set(Step::Closed);
            navigate(&format!("/centres/{id}"), NavigateOptions::default());
        }
    });
    let open = move |_| {
        siret.set(String::new());
        lookup.value().set(None);
        register.value().set(None);
        step.set(Step::Siret);
    };
    let close = move |_| step.set(Step::Closed);

    let siret_step = move || {
        view! {
            <h1 id="titre-enregistrement" class="fr-modal__title">"Quel centre souhaitez-vous enregistrer ?"</h1>
            <div class="fr-input-group">
                <label class="fr-label" for="enregistrement-siret">"Saisir le SIRET du centre"</label>
                <input class="fr-input" id="enregistrement-siret" inputmode="numeric" autocomplete="off" maxlength="20"
                    prop:value=move || siret.get()
                    on:input=move |ev| siret.set(event_target_value(&ev))
                    on:keydown=move |ev| if ev.key() == "Enter" { run_lookup(); }
                />
            </div>
            {move || lookup.value().get().map(|r| match r {
                Ok(RegistrationLookup::AlreadyRegistered { centre_id, raison_sociale }) => view! {
                    <div class="fr-alert fr-alert--info fr-alert--sm" id="enregistrement-message">
                        <p>{format!("Ce SIRET est déjà enregistré dans CERES : centre {raison_sociale}.")}</p>
                        <p><a class="fr-link" href=format!("/centres/{centre_id}")>"Accéder au détail du centre"</a></p>
                    </div>
                }.into_any(),
                Ok(RegistrationLookup::Refused(m)) | Ok(RegistrationLookup::NotInRegistry(m)) => view! {
                    <p class="fr-message fr-message--error" id="enregistrement-message">{m}</p>
                }.into_any(),
                Ok(RegistrationLookup::RegistryDown(m)) => view! {
                    <div class="fr-alert fr-alert--warning fr-alert--sm" id="enregistrement-message">
                        <p>{m}</p>
                        <button class="fr-btn fr-btn--tertiary fr-btn--sm" on:click=move |_| run_lookup()>"Réessayer"</button>
                    </div>
                }.into_any(),
                Ok(RegistrationLookup::Found { .. }) => ().into_any(),
                Err(e) => view! { <p class="fr-message fr-message--error" id="enregistrement-message">{e.to_string()}</p> }.into_any(),
            })}
            <ul class="fr-btns-group fr-btns-group--right fr-btns-group--inline-reverse fr-btns-group--inline-lg fr-mt-3w">
                <li>
                    <button class="fr-btn" id="enregistrement-continuer" disabled=move || lookup.pending().get()
                        on:click=move |_| run_lookup()>"Continuer"</button>
                </li>
                <li><button class="fr-btn fr-btn--secondary" on:click=close>"Abandonner"</button></li>
            </ul>
        }
    };

    let complete_step = move |company: RegistryCompany, types: Vec<Choice>, reseaux: Vec<Choice>| {
        let closed = company.closed;
        let request_siret = company.siret.clone();
        view! {
            <h1 id="titre-enregistrement" class="fr-modal__title">"Compléter les informations du centre"</h1>
            <dl class="ceres-fields" id="enregistrement-identite">
                <Field label="SIRET" value=Some(company.siret)/>
                <Field label="Nom du centre" value=Some(company.raison_sociale)/>
                <Field label="Adresse" value=Some(company.adresse)/>
                <Field label="Commune" value=Some(company.commune)/>
            </dl>
            {closed.then(|| view! {
                <div class="fr-alert fr-alert--warning fr-alert--sm fr-mt-2w" id="enregistrement-ferme">
                    <p>"Le répertoire des entreprises indique que cet établissement est fermé."</p>
                    <div class="fr-checkbox-group fr-mt-1w">
                        <input type="checkbox" id="confirmer-ferme" on:change=move |ev| confirm_closed.set(event_target_checked(&ev))/>
                        <label class="fr-label" for="confirmer-ferme">"Je confirme l'enregistrement de cet établissement fermé"</label>
                    </div>
                </div>
            })}
            <div class="fr-select-group fr-mt-3w">
                <label class="fr-label" for="type-centre">"Type de centre"</label>
                <select class="fr-select" id="type-centre" on:change=move |ev| type_centre.set(event_target_value(&ev))>
                    <option value="" selected>"Sélectionner une option"</option>
                    {types.into_iter().map(|t| view! { <option value=t.id.to_string()>{t.libelle}</option> }).collect_view()}
                </select>
            </div>
            <div class="fr-select-group">
                <label class="fr-label" for="reseau">"Réseau"</label>
                <select class="fr-select" id="reseau" on:change=move |ev| reseau.set(event_target_value(&ev))>
                    <option value="" selected>"Sélectionner une option"</option>
                    {reseaux.into_iter().map(|r| view! { <option value=r.id.to_string()>{r.libelle}</option> }).collect_view()}
                </select>
            </div>
            {move || register.value().get().and_then(|r| r.err()).map(|e| view! {
                <div class="fr-alert fr-alert--error fr-alert--sm" role="alert" id="enregistrement-erreur"><p>{e.to_string()}</p></div>
            })}
            <ul class="fr-btns-group fr-btns-group--right fr-btns-group--inline-reverse fr-btns-group--inline-lg fr-mt-3w">
                <li>
                    <button class="fr-btn" id="enregistrement-creer"
                        disabled=move || register.pending().get() || (closed && !confirm_closed.get())
                        on:click=move |_| {
                            register.dispatch(RegisterCentre {
                                siret: request_siret.clone(),
                                type_centre_id: parse_choice(&type_centre.get_untracked()),
                                reseau_id: parse_choice(&reseau.get_untracked()),
                                confirm_closed: confirm_closed.get_untracked(),
                            });
                        }>"Créer"</button>
                </li>
                <li><button class="fr-btn fr-btn--secondary" on:click=close>"Abandonner"</button></li>
            </ul>
        }
    };

    view! {
        <button class="fr-btn fr-btn--secondary fr-icon-add-line fr-btn--icon-left" id="enregistrer-centre" on:click=open>
            "Enregistrer un centre"
        </button>
        <Show when=move || step.get() != Step::Closed>
            <Modal id="modal-enregistrement" labelledby="titre-enregistrement" on_close=move || step.set(Step::Closed)>
                <div class="fr-modal__content">
                    {move || match step.get() {
                        Step::Complete { company, types, reseaux } => complete_step(company, types, reseaux).into_any(),
                        _ => siret_step().into_any(),
                    }}
                </div>
            </Modal>
        </Show>
    }
    .into_any()
}
