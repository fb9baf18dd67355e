//! The « Identification du centre » block of the centre page, with « MODIFIER » for the national admin and the
//! DREETS of the centre's régions. The SIRET stays as registered; the commune is chosen among those of the code
//! postal. The browser applies the shared rules before sending; the server applies them again.

use leptos::prelude::*;

use crate::api::{CentreIdentificationForm, CommunesForPostcode, UpdateCentreIdentification};
use crate::domain::identification::{IdentificationInput, refusal};
use crate::dto::{CentreIdentification, Choice, CommuneChoice};
use crate::pages::centre::IdentificationFields;

#[component]
pub fn IdentificationEditor(centre: CentreIdentification, can_edit: bool) -> impl IntoView {
    let id = centre.id;
    let siret = centre.siret.clone();
    let current = RwSignal::new(centre);
    let editing = RwSignal::new(false);
    let form = RwSignal::new(IdentificationInput::default());
    // What the form was filled with: the server refuses if someone else saved meanwhile.
    let loaded = RwSignal::new(IdentificationInput::default());
    let communes = RwSignal::new(Vec::<CommuneChoice>::new());
    let lists = RwSignal::new((Vec::<Choice>::new(), Vec::<Choice>::new()));
    let local_error = RwSignal::new(None::<String>);

    let open = ServerAction::<CentreIdentificationForm>::new();
    let lookup = ServerAction::<CommunesForPostcode>::new();
    let save = ServerAction::<UpdateCentreIdentification>::new();

    Effect::new(move |_| {
        if let Some(Ok(f)) = open.value().get() {
            loaded.set(f.input.clone());
            form.set(f.input);
            communes.set(f.communes);
            lists.set((f.types, f.reseaux));
            editing.set(true);
        }
    });
    Effect::new(move |_| {
        if let Some(Ok(list)) = lookup.value().get() {
            // Keep the chosen commune if the new code postal serves it; otherwise, the only one or none.
            form.update(|f| {
                if !list.iter().any(|c| c.code == f.commune_code) {
                    f.commune_code = if list.len() == 1 { list[0].code.clone() } else { String::new() };
                }
            });
            communes.set(list);
        }
    });
    Effect::new(move |_| {
        if let Some(Ok(saved)) = save.value().get() {
            current.set(saved);
            editing.set(false);
        }
    });

    let start = move |_| {
        save.value().set(None);
        local_error.set(None);
        open.dispatch(CentreIdentificationForm { id });
    };
    let submit = move |_| {
        let input = form.get_untracked();
        if let Err(errors) = input.parse() {
            local_error.set(Some(refusal(&errors)));
            return;
        }
        local_error.set(None);
        save.dispatch(UpdateCentreIdentification { id, avant: loaded.get_untracked(), input });
    };
    let on_postcode = move |ev| {
        let value = event_target_value(&ev);
        form.update(|f| f.code_postal = value.clone());
        let digits: String = value.chars().filter(|c| !c.is_whitespace()).collect();
        if digits.len() == 5 && digits.bytes().all(|b| b.is_ascii_digit()) {
            lookup.dispatch(CommunesForPostcode { code_postal: digits });
        } else {
            communes.set(Vec::new());
        }
    };
    let error = move || {
        local_error
            .get()
            .or_else(|| save.value().get().and_then(|r| r.err()).map(|e| e.to_string()))
            .or_else(|| open.value().get().and_then(|r| r.err()).map(|e| e.to_string()))
    };
    let text = move |label: &'static str,
                     name: &'static str,
                     max: &'static str,
                     get: fn(&IdentificationInput) -> String,
                     set: fn(&mut IdentificationInput, String)| {
        let field_id = format!("identification-{name}");
        view! {
            <div class="fr-input-group">
                <label class="fr-label" for=field_id.clone()>{label}</label>
                <input class="fr-input" id=field_id name=name maxlength=max
                    prop:value=move || get(&form.get())
                    on:input=move |ev| form.update(|f| set(f, event_target_value(&ev)))/>
            </div>
        }
    };
    let select = move |label: &'static str,
                       name: &'static str,
                       options: Vec<Choice>,
                       get: fn(&IdentificationInput) -> String,
                       set: fn(&mut IdentificationInput, String)| {
        let field_id = format!("identification-{name}");
        view! {
            <div class="fr-select-group">
                <label class="fr-label" for=field_id.clone()>{label}</label>
                <select class="fr-select" id=field_id on:change=move |ev| form.update(|f| set(f, event_target_value(&ev)))>
                    <option value="" selected=move || get(&form.get()).is_empty()>"Non renseigné"</option>
                    {options.into_iter().map(|o| {
                        let value = o.id.to_string();
                        let v = value.clone();
                        view! { <option value=value selected=move || get(&form.get()) == v>{o.libelle}</option> }
                    }).collect_view()}
                </select>
            </div>
        }
    };

    view! {
        <section class="fr-card fr-p-3w fr-mb-3w" aria-labelledby="identification-centre" id="identification">
            <div class="ceres-section-head">
                <h2 class="fr-h5" id="identification-centre">"Identification du centre"</h2>
                {move || (can_edit && !editing.get()).then(|| view! {
                    <button class="fr-btn fr-btn--tertiary fr-btn--sm fr-icon-edit-line fr-btn--icon-left"
                        id="identification-modifier" disabled=move || open.pending().get() on:click=start>
                        "Modifier"
                    </button>
                })}
            </div>
            {move || error().map(|e| view! {
                <div class="fr-alert fr-alert--error fr-alert--sm fr-mb-2w" role="alert" id="identification-erreur"><p>{e}</p></div>
            })}
            {move || if editing.get() {
                let (types, reseaux) = lists.get();
                view! {
                    <p class="fr-text--sm">"SIRET : " <strong>{siret.clone()}</strong> " (il ne se modifie pas : c'est l'identité du centre)"</p>
                    {text("Raison sociale", "raison_sociale", "200", |f| f.raison_sociale.clone(), |f, v| f.raison_sociale = v)}
                    {text("Adresse", "adresse", "300", |f| f.adresse.clone(), |f, v| f.adresse = v)}
                    <div class="fr-grid-row fr-grid-row--gutters">
                        <div class="fr-col-12 fr-col-sm-4">
                            <div class="fr-input-group">
                                <label class="fr-label" for="identification-code_postal">"Code postal"</label>
                                <input class="fr-input" id="identification-code_postal" inputmode="numeric" maxlength="6"
                                    prop:value=move || form.get().code_postal on:input=on_postcode/>
                            </div>
                        </div>
                        <div class="fr-col-12 fr-col-sm-8">
                            <div class="fr-select-group">
                                <label class="fr-label" for="identification-commune">"Commune"</label>
                                <select class="fr-select" id="identification-commune"
                                    on:change=move |ev| form.update(|f| f.commune_code = event_target_value(&ev))>
                                    <option value="" selected=move || form.get().commune_code.is_empty()>
                                        {move || if communes.get().is_empty() { "Saisissez d'abord un code postal" } else { "Choisissez la commune" }}
                                    </option>
                                    {move || communes.get().into_iter().map(|c| {
                                        let code = c.code.clone();
                                        view! { <option value=c.code selected=move || form.get().commune_code == code>{c.nom}</option> }
                                    }).collect_view()}
                                </select>
                            </div>
                        </div>
                    </div>
                    {select("Type de centre", "type_centre", types, |f| f.type_centre_id.clone(), |f, v| f.type_centre_id = v)}
                    {select("Réseau", "reseau", reseaux, |f| f.reseau_id.clone(), |f, v| f.reseau_id = v)}
                    <div class="fr-input-group">
                        <label class="fr-label" for="identification-commentaires">"Commentaires"</label>
                        <textarea class="fr-input" id="identification-commentaires" maxlength="2000" rows="3"
                            prop:value=move || form.get().commentaires
                            on:input=move |ev| form.update(|f| f.commentaires = event_target_value(&ev))></textarea>
                    </div>
                    <ul class="fr-btns-group fr-btns-group--inline fr-btns-group--right">
                        <li><button class="fr-btn fr-btn--secondary" on:click=move |_| editing.set(false)>"Annuler"</button></li>
                        <li><button class="fr-btn" id="identification-enregistrer" disabled=move || save.pending().get() on:click=submit>"Enregistrer"</button></li>
                    </ul>
                }.into_any()
            } else {
                view! { <IdentificationFields centre=current.get()/> }.into_any()
            }}
        </section>
    }
    .into_any()
}
