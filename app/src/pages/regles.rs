//! « /administration/regles »: the deadline rules (changed by the national admin) and the relaxation windows
//! (« dérogations », opened by the national admin nationally or for a région, by a DREETS for its région).

use leptos::prelude::*;
use leptos_meta::Title;

use crate::api::{OpenDerogation, UpdateRegle, get_regles};
use crate::components::blocks::{DsfrTable, ErrorAlert};
use crate::domain::delais::{DerogationInput, RegleInput, TYPES_SESSION, refus_derogation, refus_regle};
use crate::domain::format::date_fr;
use crate::dto::{RegleRow, ReglesPage};

#[component]
pub fn ReglesPage() -> impl IntoView {
    let update = ServerAction::<UpdateRegle>::new();
    let open = ServerAction::<OpenDerogation>::new();
    let page = Resource::new(move || (update.version().get(), open.version().get()), |_| get_regles());
    view! {
        <Title text="Règles de délai"/>
        <h1 class="fr-h2">"Règles de délai"</h1>
        <p>"Chaque règle fixe le délai minimal entre une étape et le début de la session. Une dérogation lève des règles pendant une période : les saisies faites hors délai sous une dérogation restent signalées aux UD dans la traçabilité des sessions."</p>
        <Transition fallback=|| view! { <p>"Chargement des règles…"</p> }>
            {move || Suspend::new(async move {
                match page.await {
                    Ok(p) => view! { <Content page=p update=update open=open/> }.into_any(),
                    Err(e) => view! { <ErrorAlert error=e/> }.into_any(),
                }
            })}
        </Transition>
    }
}

#[component]
fn Content(page: ReglesPage, update: ServerAction<UpdateRegle>, open: ServerAction<OpenDerogation>) -> impl IntoView {
    let editing = RwSignal::new(None::<RegleRow>);
    let can_edit = page.can_edit_rules;
    let codes: Vec<(String, String)> =
        page.regles.iter().map(|r| (r.regle.code.clone(), r.regle.libelle.clone())).collect();
    let types_label = |types: &[String]| {
        types
            .iter()
            .map(|t| TYPES_SESSION.iter().find(|(c, _)| c == t).map_or(t.as_str(), |(_, l)| l))
            .collect::<Vec<_>>()
            .join(", ")
    };
    let rule_names = codes.clone();
    view! {
        <h2 class="fr-h4 fr-mt-4w">"Règles"</h2>
        <DsfrTable id="table-regles" caption="Règles de délai" headers=&["Règle", "Délai avant le début", "Types de session", "Effet", "Modifiée le", ""]>
            {page.regles.into_iter().map(|r| {
                let row = r.clone();
                let id = format!("regle-modifier-{}", r.regle.code);
                view! {
                    <tr>
                        <td class="fr-cell--multiline">{r.regle.libelle.clone()}</td>
                        <td class="ceres-nowrap">{r.regle.delai_fr()}</td>
                        <td>{types_label(&r.regle.types_session)}</td>
                        <td>{if r.regle.bloquante { "Bloquante" } else { "Avertissement" }}</td>
                        <td class="ceres-nowrap">{r.modifiee_le.clone()}</td>
                        <td>{can_edit.then(|| view! {
                            <button class="fr-btn fr-btn--tertiary fr-btn--sm" id=id on:click=move |_| {
                                update.value().set(None);
                                editing.set(Some(row.clone()));
                            }>"Modifier"</button>
                        })}</td>
                    </tr>
                }
            }).collect_view()}
        </DsfrTable>
        {move || editing.get().map(|r| view! { <RegleForm row=r update=update editing=editing/> })}

        <h2 class="fr-h4 fr-mt-4w">"Dérogations"</h2>
        {if page.derogations.is_empty() {
            view! { <p class="ceres-empty" id="aucune-derogation">"Aucune dérogation n'a été ouverte."</p> }.into_any()
        } else {
            view! {
                <DsfrTable id="table-derogations" caption="Dérogations" headers=&["Nom", "Portée", "Période", "Règles levées", "Motif"]>
                    {page.derogations.into_iter().map(|d| {
                        let lifted = d.derogation.regles.iter()
                            .map(|c| rule_names.iter().find(|(code, _)| code == c).map_or(c.clone(), |(_, l)| l.clone()))
                            .collect::<Vec<_>>();
                        view! {
                            <tr>
                                <td class="fr-cell--multiline">{d.derogation.nom}</td>
                                <td>{d.portee}</td>
                                <td class="ceres-nowrap">{format!("du {} au {}", date_fr(d.derogation.debut), date_fr(d.derogation.fin))}</td>
                                <td class="fr-cell--multiline"><ul class="ceres-ccps">{lifted.into_iter().map(|l| view! { <li>{l}</li> }).collect_view()}</ul></td>
                                <td class="fr-cell--multiline">{d.motif}</td>
                            </tr>
                        }
                    }).collect_view()}
                </DsfrTable>
            }.into_any()
        }}
        {(!page.portees.is_empty()).then(|| view! { <DerogationForm portees=page.portees.clone() regles=codes.clone() open=open/> })}
    }
    .into_any()
}

#[component]
fn RegleForm(row: RegleRow, update: ServerAction<UpdateRegle>, editing: RwSignal<Option<RegleRow>>) -> impl IntoView {
    let id = row.id;
    let form = RwSignal::new(RegleInput {
        delai_mois: row.regle.delai_mois.to_string(),
        delai_jours: row.regle.delai_jours.to_string(),
        types_session: row.regle.types_session.join(","),
        bloquante: row.regle.bloquante,
    });
    let local_error = RwSignal::new(None::<String>);
    Effect::new(move |_| {
        if let Some(Ok(_)) = update.value().get() {
            editing.set(None);
        }
    });
    let save = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let input = form.get_untracked();
        match input.parse() {
            Err(e) => local_error.set(Some(refus_regle(&e))),
            Ok(_) => {
                local_error.set(None);
                update.dispatch(UpdateRegle { id, input });
            }
        }
    };
    let number = move |label: &'static str,
                       id: &'static str,
                       get: fn(&RegleInput) -> String,
                       set: fn(&mut RegleInput, String)| {
        view! {
            <div class="fr-col-6 fr-col-md-3">
                <div class="fr-input-group">
                    <label class="fr-label" for=id>{label}</label>
                    <input class="fr-input" id=id inputmode="numeric" maxlength="3"
                        prop:value=move || get(&form.get()) on:input=move |ev| form.update(|f| set(f, event_target_value(&ev)))/>
                </div>
            </div>
        }
    };
    let toggle_type = move |code: &'static str| {
        form.update(|f| {
            let mut types: Vec<String> =
                f.types_session.split(',').filter(|t| !t.is_empty()).map(str::to_owned).collect();
            if let Some(p) = types.iter().position(|t| t == code) {
                types.remove(p);
            } else {
                types.push(code.to_owned());
            }
            f.types_session = types.join(",");
        })
    };
    view! {
        <form class="fr-card fr-p-3w fr-mt-2w" id="form-regle" on:submit=save>
            <h3 class="fr-h5">{format!("Modifier : {}", row.regle.libelle)}</h3>
            {move || local_error.get().or_else(|| update.value().get().and_then(|r| r.err()).map(|e| e.to_string())).map(|e| view! {
                <div class="fr-alert fr-alert--error fr-alert--sm fr-mb-2w" role="alert" id="regle-erreur"><p>{e}</p></div>
            })}
            <div class="fr-grid-row fr-grid-row--gutters">
                {number("Mois", "regle-mois", |f| f.delai_mois.clone(), |f, v| f.delai_mois = v)}
                {number("Jours", "regle-jours", |f| f.delai_jours.clone(), |f, v| f.delai_jours = v)}
            </div>
            <fieldset class="fr-fieldset">
                <legend class="fr-fieldset__legend">"Types de session concernés"</legend>
                {TYPES_SESSION.map(|(code, label)| {
                    let field = format!("regle-type-{code}");
                    view! {
                        <div class="fr-fieldset__element"><div class="fr-checkbox-group">
                            <input type="checkbox" id=field.clone()
                                prop:checked=move || form.get().types_session.split(',').any(|t| t == code)
                                on:change=move |_| toggle_type(code)/>
                            <label class="fr-label" for=field>{label}</label>
                        </div></div>
                    }
                }).collect_view()}
            </fieldset>
            <div class="fr-checkbox-group fr-mb-2w">
                <input type="checkbox" id="regle-bloquante" prop:checked=move || form.get().bloquante
                    on:change=move |ev| form.update(|f| f.bloquante = event_target_checked(&ev))/>
                <label class="fr-label" for="regle-bloquante">"Bloquante (sinon, un simple avertissement)"</label>
            </div>
            <ul class="fr-btns-group fr-btns-group--inline fr-btns-group--right">
                <li><button type="button" class="fr-btn fr-btn--secondary" on:click=move |_| editing.set(None)>"Annuler"</button></li>
                <li><button type="submit" class="fr-btn" id="regle-enregistrer" disabled=move || update.pending().get()>"Enregistrer"</button></li>
            </ul>
        </form>
    }
}

#[component]
fn DerogationForm(
    portees: Vec<(String, String)>,
    regles: Vec<(String, String)>,
    open: ServerAction<OpenDerogation>,
) -> impl IntoView {
    let first = portees.first().map(|(c, _)| c.clone()).unwrap_or_default();
    let form = RwSignal::new(DerogationInput { portee: first, ..Default::default() });
    let local_error = RwSignal::new(None::<String>);
    let known: Vec<String> = regles.iter().map(|(c, _)| c.clone()).collect();
    let save = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let input = form.get_untracked();
        match input.parse(&known) {
            Err(e) => local_error.set(Some(refus_derogation(&e))),
            Ok(_) => {
                local_error.set(None);
                open.dispatch(OpenDerogation { input });
            }
        }
    };
    let text = move |label: &'static str,
                     id: &'static str,
                     kind: &'static str,
                     get: fn(&DerogationInput) -> String,
                     set: fn(&mut DerogationInput, String)| {
        view! {
            <div class="fr-input-group">
                <label class="fr-label" for=id>{label}</label>
                <input class="fr-input" type=kind id=id maxlength="120"
                    prop:value=move || get(&form.get()) on:input=move |ev| form.update(|f| set(f, event_target_value(&ev)))/>
            </div>
        }
    };
    view! {
        <form class="fr-card fr-p-3w fr-mt-3w" id="form-derogation" on:submit=save>
            <h3 class="fr-h5">"Ouvrir une dérogation"</h3>
            {move || local_error.get().or_else(|| open.value().get().and_then(|r| r.err()).map(|e| e.to_string())).map(|e| view! {
                <div class="fr-alert fr-alert--error fr-alert--sm fr-mb-2w" role="alert" id="derogation-erreur"><p>{e}</p></div>
            })}
            {move || matches!(open.value().get(), Some(Ok(_))).then(|| view! {
                <div class="fr-alert fr-alert--success fr-alert--sm fr-mb-2w" role="status" id="derogation-ouverte"><p>"La dérogation est ouverte."</p></div>
            })}
            {text("Nom", "derogation-nom", "text", |f| f.nom.clone(), |f, v| f.nom = v)}
            <div class="fr-select-group">
                <label class="fr-label" for="derogation-portee">"Portée"</label>
                <select class="fr-select" id="derogation-portee" on:change=move |ev| form.update(|f| f.portee = event_target_value(&ev))>
                    {portees.into_iter().map(|(code, label)| {
                        let c = code.clone();
                        view! { <option value=code selected=move || form.get().portee == c>{label}</option> }
                    }).collect_view()}
                </select>
            </div>
            <div class="fr-grid-row fr-grid-row--gutters">
                <div class="fr-col-12 fr-col-md-6">{text("Du", "derogation-debut", "date", |f| f.debut.clone(), |f, v| f.debut = v)}</div>
                <div class="fr-col-12 fr-col-md-6">{text("Au (inclus)", "derogation-fin", "date", |f| f.fin.clone(), |f, v| f.fin = v)}</div>
            </div>
            <fieldset class="fr-fieldset">
                <legend class="fr-fieldset__legend">"Règles levées"</legend>
                {regles.into_iter().map(|(code, label)| {
                    let field = format!("derogation-regle-{code}");
                    let (c1, c2) = (code.clone(), code.clone());
                    view! {
                        <div class="fr-fieldset__element"><div class="fr-checkbox-group">
                            <input type="checkbox" id=field.clone()
                                prop:checked=move || form.get().regles.contains(&c1)
                                on:change=move |_| form.update(|f| {
                                    if let Some(p) = f.regles.iter().position(|r| *r == c2) { f.regles.remove(p); } else { f.regles.push(c2.clone()); }
                                })/>
                            <label class="fr-label" for=field>{label}</label>
                        </div></div>
                    }
                }).collect_view()}
            </fieldset>
            <div class="fr-input-group">
                <label class="fr-label" for="derogation-motif">"Motif"<span class="fr-hint-text">"Lu par les UD quand elles valident les sessions."</span></label>
                <textarea class="fr-input" id="derogation-motif" rows="3" maxlength="1000"
                    prop:value=move || form.get().motif on:input=move |ev| form.update(|f| f.motif = event_target_value(&ev))></textarea>
            </div>
            <ul class="fr-btns-group fr-btns-group--inline fr-btns-group--right">
                <li><button type="submit" class="fr-btn" id="derogation-ouvrir" disabled=move || open.pending().get()>"Ouvrir la dérogation"</button></li>
            </ul>
        </form>
    }
}
