//! The « Représentant » block of a centre or a site, with « MODIFIER » for those allowed: the form checks nothing
//! the server would not check again; what the server stored is shown back.

use leptos::prelude::*;

use crate::api::{UpdateCentreRepresentant, UpdateSiteRepresentant};
use crate::components::blocks::Field;
use crate::domain::contact::{GENRES, RepresentantInput};
use crate::dto::Representant;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Owner {
    Centre(i32),
    Site(i32),
}

#[component]
pub fn RepresentantEditor(title: &'static str, rep: Representant, owner: Owner, can_edit: bool) -> impl IntoView {
    let current = RwSignal::new(rep);
    let editing = RwSignal::new(false);
    // The verdict of the shared rules, shown before anything is sent (the server applies the same rules again).
    let local_error = RwSignal::new(None::<String>);
    let form = RwSignal::new(RepresentantInput::default());
    let save_centre = ServerAction::<UpdateCentreRepresentant>::new();
    let save_site = ServerAction::<UpdateSiteRepresentant>::new();
    let result = move || match owner {
        Owner::Centre(_) => save_centre.value().get(),
        Owner::Site(_) => save_site.value().get(),
    };
    let pending = move || save_centre.pending().get() || save_site.pending().get();
    Effect::new(move |_| {
        if let Some(Ok(saved)) = result() {
            current.set(saved);
            editing.set(false);
        }
    });
    let start = move |_| {
        save_centre.value().set(None);
        save_site.value().set(None);
        local_error.set(None);
        form.set(RepresentantInput::from(&current.get_untracked()));
        editing.set(true);
    };
    let save = move |_| {
        let input = form.get_untracked();
        if let Err(errors) = input.parse() {
            local_error.set(Some(crate::domain::contact::refusal(&errors)));
            return;
        }
        local_error.set(None);
        // What the block showed: the server refuses if someone else saved another représentant meanwhile.
        let avant = current.get_untracked();
        match owner {
            Owner::Centre(id) => {
                save_centre.dispatch(UpdateCentreRepresentant { id, avant, input });
            }
            Owner::Site(id) => {
                save_site.dispatch(UpdateSiteRepresentant { id, avant, input });
            }
        }
    };
    let id = match owner {
        Owner::Centre(_) => "representant-centre",
        Owner::Site(_) => "representant-site",
    };
    // Static ids (the closures below are rebuilt on every render, so they capture only `Copy` values).
    let (modify_id, error_id, genre_id, save_id) = match owner {
        Owner::Centre(_) => (
            "representant-centre-modifier",
            "representant-centre-erreur",
            "representant-centre-genre",
            "representant-centre-enregistrer",
        ),
        Owner::Site(_) => (
            "representant-site-modifier",
            "representant-site-erreur",
            "representant-site-genre",
            "representant-site-enregistrer",
        ),
    };
    let input = move |label: &'static str,
                      name: &'static str,
                      get: fn(&RepresentantInput) -> String,
                      set: fn(&mut RepresentantInput, String)| {
        let field_id = format!("{id}-{name}");
        view! {
            <div class="fr-input-group">
                <label class="fr-label" for=field_id.clone()>{label}</label>
                <input class="fr-input" id=field_id name=name maxlength="254"
                    prop:value=move || get(&form.get())
                    on:input=move |ev| form.update(|f| set(f, event_target_value(&ev)))/>
            </div>
        }
    };

    view! {
        <section class="fr-card fr-p-3w fr-mb-3w" aria-label=title id=id>
            <div class="ceres-section-head">
                <h2 class="fr-h5">{title}</h2>
                {move || (can_edit && !editing.get()).then(|| view! {
                    <button class="fr-btn fr-btn--tertiary fr-btn--sm fr-icon-edit-line fr-btn--icon-left" id=modify_id on:click=start>
                        "Modifier"
                    </button>
                })}
            </div>
            {move || if editing.get() {
                view! {
                    {move || local_error.get().or_else(|| result().and_then(|r| r.err()).map(|e| e.to_string())).map(|e| view! {
                        <div class="fr-alert fr-alert--error fr-alert--sm fr-mb-2w" role="alert" id=error_id><p>{e}</p></div>
                    })}
                    {input("Nom", "nom", |f| f.nom.clone(), |f, v| f.nom = v)}
                    {input("Prénom", "prenom", |f| f.prenom.clone(), |f, v| f.prenom = v)}
                    <div class="fr-select-group">
                        <label class="fr-label" for=genre_id>"Genre"</label>
                        <select class="fr-select" id=genre_id on:change=move |ev| form.update(|f| f.genre = event_target_value(&ev))>
                            <option value="" selected=move || form.get().genre.is_empty()>"Non renseigné"</option>
                            {GENRES.map(|g| view! { <option value=g selected=move || form.get().genre == g>{g}</option> }).collect_view()}
                        </select>
                    </div>
                    {input("Tél", "telephone", |f| f.telephone.clone(), |f, v| f.telephone = v)}
                    {input("E-mail", "email", |f| f.email.clone(), |f, v| f.email = v)}
                    <ul class="fr-btns-group fr-btns-group--inline fr-btns-group--right">
                        <li><button class="fr-btn fr-btn--secondary" on:click=move |_| editing.set(false)>"Annuler"</button></li>
                        <li><button class="fr-btn" id=save_id disabled=pending on:click=save>"Enregistrer"</button></li>
                    </ul>
                }.into_any()
            } else {
                let r = current.get();
                view! {
                    <dl class="ceres-fields">
                        <Field label="Nom" value=r.nom/>
                        <Field label="Prénom" value=r.prenom/>
                        <Field label="Genre" value=r.genre/>
                        <Field label="Tél" value=r.telephone/>
                        <Field label="E-mail" value=r.email/>
                    </dl>
                }.into_any()
            }}
        </section>
    }
    .into_any()
}
