//! The « Organismes de formation conventionnés » block of a centre page: every reader sees the conventions; the
//! centre's own users « Déclarer une convention » from the training body's SIRET and « Modifier » one (its titres,
//! dates and forecast numbers of candidates, which is how the yearly avenant is recorded). The form checks the
//! shared rules before sending; the server checks them again with the registry and the centre's agréments.

use chrono::Datelike;
use leptos::prelude::*;

use crate::api::SaveConvention;
use crate::components::blocks::Field;
use crate::domain::convention::{ConventionInput, refusal};
use crate::domain::format::date_fr;
use crate::dto::{Choice, ConventionRow, Conventions};

/// What the form is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Editing {
    Closed,
    New,
    Existing(i32),
}

/// What the block and its form share (reactive handles: `Copy`).
#[derive(Clone, Copy)]
pub struct FormState {
    centre_id: i32,
    today: chrono::NaiveDate,
    editing: RwSignal<Editing>,
    form: RwSignal<ConventionInput>,
    /// What the form showed when opened (an update is refused if the convention changed since).
    shown: RwSignal<ConventionInput>,
    local_error: RwSignal<Option<String>>,
    save: ServerAction<SaveConvention>,
    titres: StoredValue<Vec<Choice>>,
    rows: RwSignal<Vec<ConventionRow>>,
}

/// The form lives in its own WASM module, fetched when a centre's user first opens it (the agents who read the
/// page never need it).
mod split {
    use leptos::prelude::*;

    #[leptos::wasm_split::wasm_split(convention_form, fallible, wasm_split_path = ::leptos::wasm_split)]
    pub fn form(state: super::FormState) -> Result<AnyView, leptos::wasm_split::SplitLoaderError> {
        Ok(view! { <super::ConventionForm state=state/> }.into_any())
    }
}

#[component]
pub fn ConventionsBlock(centre_id: i32, conventions: Conventions) -> impl IntoView {
    let Conventions { rows, can_manage, titres, today } = conventions;
    let state = FormState {
        centre_id,
        today,
        editing: RwSignal::new(Editing::Closed),
        form: RwSignal::new(ConventionInput::default()),
        shown: RwSignal::new(ConventionInput::default()),
        local_error: RwSignal::new(None),
        save: ServerAction::new(),
        titres: StoredValue::new(titres),
        rows: RwSignal::new(rows),
    };
    let FormState { editing, form, shown, local_error, save, rows, .. } = state;
    let saved_message = RwSignal::new(None::<String>);

    Effect::new(move |_| {
        if let Some(Ok(list)) = save.value().get() {
            let siret = form.get_untracked().siret.chars().filter(char::is_ascii_digit).collect::<String>();
            let name = list.iter().find(|r| r.siret == siret).map(|r| r.raison_sociale.clone()).unwrap_or_default();
            saved_message.set(Some(match editing.get_untracked() {
                Editing::Existing(_) => format!("La convention avec {name} a été mise à jour."),
                _ => format!("La convention avec {name} a été enregistrée."),
            }));
            rows.set(list);
            editing.set(Editing::Closed);
        }
    });
    let open = move |what: Editing, input: ConventionInput| {
        save.value().set(None);
        local_error.set(None);
        saved_message.set(None);
        shown.set(input.clone());
        form.set(input);
        editing.set(what);
    };
    let form_view = move || {
        (editing.get() != Editing::Closed).then(|| {
            view! {
                <Suspense fallback=|| view! { <p class="ceres-empty">"Chargement du formulaire…"</p> }>
                    {Suspend::new(async move {
                        split::form(state).await.unwrap_or_else(|_| view! {
                            <div class="fr-alert fr-alert--error fr-alert--sm fr-mb-2w" role="alert" id="convention-erreur">
                                <p>"Le formulaire n'a pas pu être chargé : vérifiez votre connexion, puis rechargez la page."</p>
                            </div>
                        }.into_any())
                    })}
                </Suspense>
            }
        })
    };

    view! {
        <section class="fr-card fr-p-3w fr-mb-3w" aria-labelledby="organismes-centre" id="conventions">
            <div class="ceres-section-head">
                <h2 class="fr-h5" id="organismes-centre">"Organismes de formation conventionnés"</h2>
                {move || (can_manage && editing.get() == Editing::Closed).then(|| view! {
                    <button class="fr-btn fr-btn--secondary fr-btn--sm fr-icon-add-line fr-btn--icon-left" id="convention-declarer"
                        on:click=move |_| open(Editing::New, ConventionInput::default())>
                        "Déclarer une convention"
                    </button>
                })}
            </div>
            {move || saved_message.get().map(|m| view! {
                <div class="fr-alert fr-alert--success fr-alert--sm fr-mb-2w" role="status" id="convention-enregistree"><p>{m}</p></div>
            })}
            {form_view}
            {move || {
                let list = rows.get();
                if list.is_empty() {
                    view! { <p class="ceres-empty" id="conventions-vide">"Aucun organisme de formation conventionné."</p> }.into_any()
                } else {
                    view! {
                        <ul class="ceres-conventions" id="conventions-liste">
                            {list.into_iter().map(|r| view! { <ConventionItem row=r can_manage=can_manage editing=editing open=open year=today.year()/> }).collect_view()}
                        </ul>
                    }.into_any()
                }
            }}
        </section>
    }
}

/// « Déclarer une convention » / « Modifier la convention ».
#[component]
fn ConventionForm(state: FormState) -> impl IntoView {
    let FormState { centre_id, today, editing, form, shown, local_error, save, titres, rows } = state;
    let year = today.year();
    let submit = move |_| {
        let input = form.get_untracked();
        if let Err(errors) = input.parse(today) {
            local_error.set(Some(refusal(&errors)));
            return;
        }
        local_error.set(None);
        let convention_id = match editing.get_untracked() {
            Editing::Existing(id) => Some(id),
            _ => None,
        };
        save.dispatch(SaveConvention { centre_id, convention_id, avant: shown.get_untracked(), input });
    };
    let text_input = move |label: String,
                           id: &'static str,
                           kind: &'static str,
                           get: fn(&ConventionInput) -> String,
                           set: fn(&mut ConventionInput, String)| {
        view! {
            <div class="fr-input-group">
                <label class="fr-label" for=id>{label}</label>
                <input class="fr-input" id=id type=kind maxlength="32" inputmode=(kind == "text").then_some("numeric")
                    prop:value=move || get(&form.get())
                    on:input=move |ev| form.update(|f| set(f, event_target_value(&ev)))/>
            </div>
        }
    };
    let what = editing.get_untracked();
    let existing = matches!(what, Editing::Existing(_));
    // The titres the centre may cover, and those the convention covers already (an agrément may have ended since:
    // the server then asks to untick it, so it must be shown).
    let mut choices = titres.get_value();
    let agreed: Vec<i32> = choices.iter().map(|c| c.id).collect();
    if let Editing::Existing(id) = what {
        let covered = rows.with_untracked(|rs| rs.iter().find(|r| r.id == id).map(|r| r.titres.clone()));
        for t in covered.unwrap_or_default() {
            if !choices.iter().any(|c| c.id == t.id) {
                choices.push(t);
            }
        }
    }
    let none = choices.is_empty();
    view! {
        <div class="ceres-convention-form fr-mb-3w" id="convention-formulaire">
            <h3 class="fr-h6">{if existing { "Modifier la convention" } else { "Déclarer une convention" }}</h3>
            {move || local_error.get().or_else(|| save.value().get().and_then(|r| r.err()).map(|e| e.to_string())).map(|e| view! {
                <div class="fr-alert fr-alert--error fr-alert--sm fr-mb-2w" role="alert" id="convention-erreur"><p>{e}</p></div>
            })}
            <div class="fr-input-group">
                <label class="fr-label" for="convention-siret">
                    "SIRET de l'organisme de formation"
                    <span class="fr-hint-text">{if existing {
                        "L'organisme d'une convention ne change pas."
                    } else {
                        "14 chiffres : sa raison sociale et son adresse viennent du répertoire des entreprises."
                    }}</span>
                </label>
                <input class="fr-input" id="convention-siret" maxlength="20" inputmode="numeric" disabled=existing
                    prop:value=move || form.get().siret
                    on:input=move |ev| form.update(|f| f.siret = event_target_value(&ev))/>
            </div>
            <fieldset class="fr-fieldset" id="convention-titres" aria-labelledby="convention-titres-legende">
                <legend class="fr-fieldset__legend fr-text--regular" id="convention-titres-legende">
                    "Titres professionnels couverts"
                    <span class="fr-hint-text">"Ceux pour lesquels un site du centre a un agrément en cours."</span>
                </legend>
                {none.then(|| view! {
                    <p class="ceres-empty fr-ml-1w">"Le centre n'a aucun agrément en cours : une convention ne peut couvrir que les titres pour lesquels il est agréé."</p>
                })}
                {choices.into_iter().map(|t| {
                    let field = format!("convention-titre-{}", t.id);
                    let id = t.id;
                    // Covered by the convention, but no site of the centre holds its agrément any more.
                    let ended = (!agreed.contains(&id)).then(|| view! {
                        <span class="fr-hint-text ceres-convention__sans-agrement">"Plus d'agrément en cours pour ce titre : décochez-le."</span>
                    });
                    view! {
                        <div class="fr-fieldset__element">
                            <div class="fr-checkbox-group fr-checkbox-group--sm">
                                <input type="checkbox" id=field.clone()
                                    prop:checked=move || form.with(|f| f.titres.contains(&id))
                                    on:change=move |_| form.update(|f| {
                                        if let Some(p) = f.titres.iter().position(|x| *x == id) { f.titres.remove(p); } else { f.titres.push(id); }
                                    })/>
                                <label class="fr-label" for=field>{t.libelle}{ended}</label>
                            </div>
                        </div>
                    }
                }).collect_view()}
            </fieldset>
            <div class="ceres-convention-form__row">
                {text_input("Date d'envoi au préfet".into(), "convention-envoi", "date", |f| f.date_envoi_prefet.clone(), |f, v| f.date_envoi_prefet = v)}
                {text_input("Date de prise d'effet".into(), "convention-effet", "date", |f| f.date_effet.clone(), |f, v| f.date_effet = v)}
            </div>
            <div class="ceres-convention-form__row">
                {text_input(format!("Candidats prévus en {year}"), "convention-prevision-n", "text", |f| f.prevision_n.clone(), |f, v| f.prevision_n = v)}
                {text_input(format!("Candidats prévus en {}", year + 1), "convention-prevision-n1", "text", |f| f.prevision_n1.clone(), |f, v| f.prevision_n1 = v)}
            </div>
            <ul class="fr-btns-group fr-btns-group--inline fr-btns-group--right">
                <li><button class="fr-btn fr-btn--secondary" id="convention-annuler" on:click=move |_| editing.set(Editing::Closed)>"Annuler"</button></li>
                <li><button class="fr-btn" id="convention-enregistrer" disabled=move || none || save.pending().get() on:click=submit>"Enregistrer"</button></li>
            </ul>
        </div>
    }
}

#[component]
fn ConventionItem(
    row: ConventionRow,
    can_manage: bool,
    editing: RwSignal<Editing>,
    open: impl Fn(Editing, ConventionInput) + Copy + Send + Sync + 'static,
    /// This year: « Modifier » asks for its forecast and the next's.
    year: i32,
) -> impl IntoView {
    let id = row.id;
    let input = row.input(year);
    let previsions = format!(
        "{} : {} · {} : {}",
        row.annee,
        crate::domain::format::count_fr(u64::try_from(row.prevision_n).unwrap_or(0), "candidat", "candidats"),
        row.annee + 1,
        crate::domain::format::count_fr(u64::try_from(row.prevision_n1).unwrap_or(0), "candidat", "candidats"),
    );
    let titres = row.titres.iter().map(|t| t.libelle.clone()).collect::<Vec<_>>();
    view! {
        <li class="ceres-convention" id=format!("convention-{id}")>
            <div class="ceres-section-head">
                <div>
                    <p class="ceres-convention__nom">{row.raison_sociale.clone()}</p>
                    <p class="ceres-result__meta">{format!("SIRET {} — {}, {}", row.siret, row.adresse, row.commune)}</p>
                </div>
                {move || (can_manage && editing.get() == Editing::Closed).then(|| {
                    let input = input.clone();
                    view! {
                        <button class="fr-btn fr-btn--tertiary fr-btn--sm fr-icon-edit-line fr-btn--icon-left" id=format!("convention-{id}-modifier")
                            on:click=move |_| open(Editing::Existing(id), input.clone())>
                            "Modifier"
                        </button>
                    }
                })}
            </div>
            <dl class="ceres-fields">
                <div class="ceres-field">
                    <dt class="ceres-field__label">"Titres couverts"</dt>
                    <dd class="ceres-field__value"><ul class="ceres-ccps">{titres.into_iter().map(|t| view! { <li>{t}</li> }).collect_view()}</ul></dd>
                </div>
                <Field label="Envoyée au préfet le" value=Some(date_fr(row.date_envoi_prefet))/>
                <Field label="Prise d'effet le" value=Some(date_fr(row.date_effet))/>
                <Field label="Candidats prévus" value=Some(previsions)/>
            </dl>
            {row.avenant_attendu.map(|y| view! {
                <p class="fr-badge fr-badge--warning fr-badge--sm fr-mt-1w" id=format!("convention-{id}-avenant")>
                    {format!("Avenant {y} attendu avant le 01/01/{y}")}
                </p>
            })}
        </li>
    }
}
