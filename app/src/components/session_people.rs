//! The people of a session, one side-menu entry each: « Responsable de session », « Liste des candidats » (typed
//! one by one, or imported from a CSV file previewed line by line, then their results), « Jury », « Surveillant ».
//! Every form checks with the shared rules before sending; the server checks again and answers with the session.

use leptos::prelude::*;

use crate::api::{
    AddPersonne, ImportCandidats, RemoveCandidat, RemovePersonne, SaveCandidat, SaveResponsable, SaveResultats,
};
use crate::components::blocks::{DsfrTable, Field};
use crate::domain::candidats::{
    CandidatInput, ENTETE_MODELE, LigneImport, PersonneInput, ResponsableInput, Resultat, ResultatInput, VOIES_ACCES,
    lire_csv, refus_candidat, verifier_resultats, voie_label,
};
use crate::domain::format::date_fr;
use crate::dto::{CandidatRow, SessionDetail};
use crate::error::AppError;

/// The error of a server action's last answer, or of the browser's own check.
fn error_view(
    local: RwSignal<Option<String>>,
    server: impl Fn() -> Option<AppError> + Send + Sync + 'static,
    id: &'static str,
) -> impl IntoView {
    move || {
        local.get().or_else(|| server().map(|e| e.to_string())).map(|e| {
            view! { <div class="fr-alert fr-alert--error fr-alert--sm fr-mb-2w" role="alert" id=id><p>{e}</p></div> }
        })
    }
}

/// Puts the session a server action answered into the page, then runs `after`.
fn on_saved<S>(action: ServerAction<S>, current: RwSignal<SessionDetail>, after: impl Fn() + 'static)
where
    S: leptos::server_fn::ServerFn<Output = SessionDetail, Error = AppError> + Clone + Send + Sync + 'static,
    S::Output: Clone + Send + Sync + 'static,
{
    Effect::new(move |_| {
        if let Some(Ok(updated)) = action.value().get() {
            current.set(updated);
            after();
        }
    });
}

fn text_input(
    id: &'static str,
    label: &'static str,
    kind: &'static str,
    get: impl Fn() -> String + Send + Sync + 'static,
    set: impl Fn(String) + 'static,
) -> impl IntoView {
    view! {
        <div class="fr-input-group">
            <label class="fr-label" for=id>{label}</label>
            <input class="fr-input" type=kind id=id prop:value=get on:input=move |ev| set(event_target_value(&ev))/>
        </div>
    }
}

#[component]
pub fn ResponsableTab(current: RwSignal<SessionDetail>) -> impl IntoView {
    let editing = RwSignal::new(false);
    let form = RwSignal::new(ResponsableInput::default());
    let local = RwSignal::new(None::<String>);
    let save = ServerAction::<SaveResponsable>::new();
    on_saved(save, current, move || editing.set(false));
    let start = move |_| {
        let r = current.with_untracked(|s| s.responsable.clone()).unwrap_or_default();
        form.set(ResponsableInput {
            nom: r.nom,
            prenom: r.prenom,
            telephone: r.telephone.unwrap_or_default(),
            email: r.email.unwrap_or_default(),
        });
        save.value().set(None);
        local.set(None);
        editing.set(true);
    };
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let input = form.get_untracked();
        match input.parse() {
            Err(e) => local.set(Some(format!("Le responsable n'a pas été enregistré : {}", e.join(" ")))),
            Ok(_) => {
                local.set(None);
                save.dispatch(SaveResponsable { session_id: current.with_untracked(|s| s.id), input });
            }
        }
    };
    view! {
        <h2 class="fr-h5">"Responsable de session"</h2>
        <p class="fr-text--sm">"Présent sur le site pendant toute la session, il vérifie les identités, relève les absences et fait ouvrir les plis."</p>
        {move || {
            let s = current.get();
            if editing.get() {
                view! {
                    <form on:submit=submit id="form-responsable" novalidate>
                        {error_view(local, move || save.value().get().and_then(|r| r.err()), "responsable-erreur")}
                        {text_input("responsable-nom", "Nom *", "text", move || form.get().nom, move |v| form.update(|f| f.nom = v))}
                        {text_input("responsable-prenom", "Prénom *", "text", move || form.get().prenom, move |v| form.update(|f| f.prenom = v))}
                        {text_input("responsable-telephone", "Téléphone", "tel", move || form.get().telephone, move |v| form.update(|f| f.telephone = v))}
                        {text_input("responsable-email", "E-mail", "email", move || form.get().email, move |v| form.update(|f| f.email = v))}
                        <ul class="fr-btns-group fr-btns-group--inline">
                            <li><button type="button" class="fr-btn fr-btn--secondary" on:click=move |_| editing.set(false)>"Annuler"</button></li>
                            <li><button type="submit" class="fr-btn" id="responsable-enregistrer" disabled=move || save.pending().get()>"Enregistrer"</button></li>
                        </ul>
                    </form>
                }.into_any()
            } else {
                let r = s.responsable.clone();
                view! {
                    {match r {
                        Some(r) => view! {
                            <dl class="ceres-fields" id="responsable">
                                <Field label="Nom" value=Some(r.nom)/>
                                <Field label="Prénom" value=Some(r.prenom)/>
                                <Field label="Téléphone" value=r.telephone/>
                                <Field label="E-mail" value=r.email/>
                            </dl>
                        }.into_any(),
                        None => view! { <p class="ceres-empty" id="responsable">"Aucun responsable de session n'est encore nommé."</p> }.into_any(),
                    }}
                    {s.droits.modifier.then(|| view! {
                        <button class="fr-btn fr-btn--secondary" id="responsable-modifier" on:click=start>"Modifier"</button>
                    })}
                }.into_any()
            }
        }}
    }
}

#[component]
pub fn CandidatsTab(current: RwSignal<SessionDetail>) -> impl IntoView {
    let editing = RwSignal::new(None::<Option<i32>>);
    let form = RwSignal::new(CandidatInput::default());
    let local = RwSignal::new(None::<String>);
    let save = ServerAction::<SaveCandidat>::new();
    let remove = ServerAction::<RemoveCandidat>::new();
    on_saved(save, current, move || editing.set(None));
    on_saved(remove, current, || {});
    let open = move |c: Option<CandidatRow>| {
        form.set(match &c {
            Some(c) => CandidatInput {
                nom: c.nom.clone(),
                prenom: c.prenom.clone(),
                date_naissance: crate::domain::format::date_iso(c.date_naissance),
                email: c.email.clone().unwrap_or_default(),
                voie_acces: c.voie_acces.clone(),
            },
            None => CandidatInput { voie_acces: "formation".into(), ..Default::default() },
        });
        save.value().set(None);
        local.set(None);
        editing.set(Some(c.map(|c| c.id)));
    };
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let input = form.get_untracked();
        let (id, debut) = current.with_untracked(|s| (s.id, s.date_debut));
        match input.parse(debut) {
            Err(e) => local.set(Some(refus_candidat(&e))),
            Ok(_) => {
                local.set(None);
                save.dispatch(SaveCandidat { session_id: id, candidat_id: editing.get_untracked().flatten(), input });
            }
        }
    };
    view! {
        <h2 class="fr-h5">"Liste des candidats"</h2>
        {move || remove.value().get().and_then(|r| r.err()).map(|e| view! {
            <div class="fr-alert fr-alert--error fr-alert--sm fr-mb-2w" role="alert"><p>{e.to_string()}</p></div>
        })}
        {move || {
            let s = current.get();
            if s.droits.saisir_resultats {
                return view! { <ResultatsForm current=current/> }.into_any();
            }
            let can = s.droits.modifier;
            let n = s.candidats.len();
            view! {
                <p id="nombre-candidats">{crate::domain::format::count_fr(n as u64, "candidat inscrit", "candidats inscrits")}</p>
                {(n > 0).then(|| view! {
                    <DsfrTable id="table-candidats" caption="Candidats" headers=&["Nom", "Prénom", "Né(e) le", "E-mail", "Voie d'accès", "Résultat", ""]>
                        {s.candidats.clone().into_iter().map(|c| {
                            let row = c.clone();
                            let id = c.id;
                            let resultat = c.resultat.map(|r| match r {
                                Resultat::ReussitePartielle => format!("{} ({})", r.label(), c.ccps_obtenus.join(", ")),
                                r => r.label().to_owned(),
                            });
                            view! {
                                <tr>
                                    <td>{c.nom.clone()}</td>
                                    <td>{c.prenom.clone()}</td>
                                    <td class="ceres-nowrap">{date_fr(c.date_naissance)}</td>
                                    <td>{c.email.clone()}</td>
                                    <td>{voie_label(&c.voie_acces)}</td>
                                    <td>{resultat}</td>
                                    <td class="ceres-nowrap">{can.then(|| view! {
                                        <button class="fr-btn fr-btn--sm fr-btn--tertiary-no-outline" id=format!("candidat-modifier-{id}")
                                            on:click=move |_| open(Some(row.clone()))>"Modifier"</button>
                                        <button class="fr-btn fr-btn--sm fr-btn--tertiary-no-outline" id=format!("candidat-retirer-{id}")
                                            on:click=move |_| { remove.dispatch(RemoveCandidat { session_id: current.with_untracked(|s| s.id), candidat_id: id }); }>"Retirer"</button>
                                    })}</td>
                                </tr>
                            }
                        }).collect_view()}
                    </DsfrTable>
                }.into_any())}
                {can.then(|| view! {
                    <ul class="fr-btns-group fr-btns-group--inline fr-mt-2w">
                        <li><button class="fr-btn fr-btn--secondary" id="candidat-ajouter" on:click=move |_| open(None)>"Ajouter un candidat"</button></li>
                    </ul>
                    <ImportCsv current=current/>
                }.into_any())}
            }.into_any()
        }}
        {move || editing.get().map(|which| view! {
            <form class="fr-card fr-p-3w fr-mt-2w" id="form-candidat" on:submit=submit novalidate>
                <h3 class="fr-h6">{if which.is_some() { "Modifier le candidat" } else { "Ajouter un candidat" }}</h3>
                {error_view(local, move || save.value().get().and_then(|r| r.err()), "candidat-erreur")}
                <CandidatFields form=form prefix="candidat"/>
                <ul class="fr-btns-group fr-btns-group--inline">
                    <li><button type="button" class="fr-btn fr-btn--secondary" on:click=move |_| editing.set(None)>"Annuler"</button></li>
                    <li><button type="submit" class="fr-btn" id="candidat-enregistrer" disabled=move || save.pending().get()>"Enregistrer"</button></li>
                </ul>
            </form>
        })}
    }
}

#[component]
fn CandidatFields(form: RwSignal<CandidatInput>, prefix: &'static str) -> impl IntoView {
    let id = move |f: &str| format!("{prefix}-{f}");
    view! {
        <div class="fr-grid-row fr-grid-row--gutters">
            <div class="fr-col-12 fr-col-md-6"><div class="fr-input-group">
                <label class="fr-label" for=id("nom")>"Nom *"</label>
                <input class="fr-input" id=id("nom") prop:value=move || form.get().nom on:input=move |ev| form.update(|f| f.nom = event_target_value(&ev))/>
            </div></div>
            <div class="fr-col-12 fr-col-md-6"><div class="fr-input-group">
                <label class="fr-label" for=id("prenom")>"Prénom *"</label>
                <input class="fr-input" id=id("prenom") prop:value=move || form.get().prenom on:input=move |ev| form.update(|f| f.prenom = event_target_value(&ev))/>
            </div></div>
            <div class="fr-col-12 fr-col-md-4"><div class="fr-input-group">
                <label class="fr-label" for=id("naissance")>"Date de naissance *"</label>
                <input class="fr-input" type="date" id=id("naissance") prop:value=move || form.get().date_naissance on:input=move |ev| form.update(|f| f.date_naissance = event_target_value(&ev))/>
            </div></div>
            <div class="fr-col-12 fr-col-md-5"><div class="fr-input-group">
                <label class="fr-label" for=id("email")>"E-mail"</label>
                <input class="fr-input" type="email" id=id("email") prop:value=move || form.get().email on:input=move |ev| form.update(|f| f.email = event_target_value(&ev))/>
            </div></div>
            <div class="fr-col-12 fr-col-md-3"><div class="fr-select-group">
                <label class="fr-label" for=id("voie")>"Voie d'accès *"</label>
                <select class="fr-select" id=id("voie") prop:value=move || form.get().voie_acces on:change=move |ev| form.update(|f| f.voie_acces = event_target_value(&ev))>
                    {VOIES_ACCES.iter().map(|(c, l)| view! { <option value=*c>{*l}</option> }).collect_view()}
                </select>
            </div></div>
        </div>
    }
}

/// The bytes of the file chosen in a file input (the browser reads it; nothing is sent yet).
async fn read_chosen_file(input: web_sys::HtmlInputElement) -> Option<Vec<u8>> {
    let file = input.files()?.get(0)?;
    let buffer = wasm_bindgen_futures::JsFuture::from(file.array_buffer()).await.ok()?;
    Some(js_sys::Uint8Array::new(&buffer).to_vec())
}

/// « Importer un fichier CSV »: the file is read and checked in the browser, each line shown with its errors and
/// editable; « Importer » sends only a preview without errors, and the server saves every line or none.
#[component]
fn ImportCsv(current: RwSignal<SessionDetail>) -> impl IntoView {
    let lines = RwSignal::new(Vec::<LigneImport>::new());
    let file_error = RwSignal::new(None::<String>);
    let send = ServerAction::<ImportCandidats>::new();
    let input_ref = NodeRef::<leptos::html::Input>::new();
    on_saved(send, current, move || {
        lines.set(Vec::new());
        if let Some(i) = input_ref.get_untracked() {
            i.set_value("");
        }
    });
    let debut = move || current.with_untracked(|s| s.date_debut);
    let on_file = move |_| {
        let Some(input) = input_ref.get_untracked() else { return };
        send.value().set(None);
        leptos::task::spawn_local(async move {
            match read_chosen_file(input).await {
                None => file_error.set(Some("Le fichier n'a pas pu être lu : choisissez-le à nouveau.".into())),
                Some(bytes) => match lire_csv(&bytes, debut()) {
                    Ok(l) => {
                        file_error.set(None);
                        lines.set(l);
                    }
                    Err(e) => {
                        file_error.set(Some(e));
                        lines.set(Vec::new());
                    }
                },
            }
        });
    };
    let edit = move |i: usize, f: fn(&mut CandidatInput, String), v: String| {
        let d = debut();
        lines.update(|ls| {
            if let Some(l) = ls.get_mut(i) {
                f(&mut l.candidat, v);
                l.erreurs = l.candidat.parse(d).err().unwrap_or_default();
            }
        });
    };
    let bad = move || lines.with(|ls| ls.iter().filter(|l| !l.erreurs.is_empty()).count());
    let import = move |_| {
        let list: Vec<CandidatInput> = lines.with_untracked(|ls| ls.iter().map(|l| l.candidat.clone()).collect());
        send.dispatch(ImportCandidats { session_id: current.with_untracked(|s| s.id), lignes: list });
    };
    view! {
        <div class="fr-upload-group fr-mt-2w">
            <label class="fr-label" for="import-csv">"Importer des candidats depuis un fichier CSV"
                <span class="fr-hint-text">{format!("Format CSV UTF-8, séparateur « ; » ou « , », première ligne : {ENTETE_MODELE}. Rien n'est enregistré avant « Importer ».")}</span>
            </label>
            <input class="fr-upload" type="file" id="import-csv" accept=".csv,text/csv" node_ref=input_ref on:change=on_file/>
        </div>
        {move || file_error.get().map(|e| view! { <div class="fr-alert fr-alert--error fr-alert--sm fr-mt-2w" role="alert" id="import-erreur"><p>{e}</p></div> })}
        {move || send.value().get().and_then(|r| r.err()).map(|e| view! { <div class="fr-alert fr-alert--error fr-alert--sm fr-mt-2w" role="alert" id="import-erreur-serveur"><p>{e.to_string()}</p></div> })}
        {move || (!lines.with(Vec::is_empty)).then(|| {
            let n = lines.with(Vec::len);
            view! {
                <div class="fr-mt-2w" id="apercu-import">
                    <p class="fr-text--bold">{move || match bad() {
                        0 => format!("Aperçu : {n} ligne(s) prête(s) à importer."),
                        b => format!("Aperçu : {b} ligne(s) sur {n} à corriger avant d'importer. Corrigez-les ci-dessous ou retirez-les."),
                    }}</p>
                    <DsfrTable id="table-apercu" caption="Aperçu de l'import" headers=&["Ligne", "Nom", "Prénom", "Date de naissance", "E-mail", "Voie d'accès", "Erreurs", ""]>
                        {move || lines.get().into_iter().enumerate().map(|(i, l)| {
                            let cell = move |field: &'static str, value: String, f: fn(&mut CandidatInput, String)| view! {
                                <input class="fr-input fr-input--sm" id=format!("apercu-{i}-{field}") aria-label=format!("Ligne {} : {field}", l.numero) value=value
                                    on:change=move |ev| edit(i, f, event_target_value(&ev))/>
                            };
                            let c = l.candidat.clone();
                            let has_errors = !l.erreurs.is_empty();
                            view! {
                                <tr class:ceres-row-error=has_errors id=format!("apercu-ligne-{}", l.numero)>
                                    <td>{l.numero}</td>
                                    <td>{cell("nom", c.nom, |c, v| c.nom = v)}</td>
                                    <td>{cell("prenom", c.prenom, |c, v| c.prenom = v)}</td>
                                    <td>{cell("naissance", c.date_naissance, |c, v| c.date_naissance = v)}</td>
                                    <td>{cell("email", c.email, |c, v| c.email = v)}</td>
                                    <td>{cell("voie", c.voie_acces, |c, v| c.voie_acces = v)}</td>
                                    <td class="ceres-small">{l.erreurs.join(" ")}</td>
                                    <td><button class="fr-btn fr-btn--sm fr-btn--tertiary-no-outline" on:click=move |_| lines.update(|ls| { ls.remove(i); })>"Retirer"</button></td>
                                </tr>
                            }
                        }).collect_view()}
                    </DsfrTable>
                    <ul class="fr-btns-group fr-btns-group--inline">
                        <li><button class="fr-btn fr-btn--secondary" on:click=move |_| lines.set(Vec::new())>"Abandonner l'import"</button></li>
                        <li><button class="fr-btn" id="import-valider" on:click=import disabled=move || { bad() > 0 || send.pending().get() }>
                            {move || format!("Importer {} candidat(s)", lines.with(Vec::len))}</button></li>
                    </ul>
                </div>
            }
        })}
    }
}

/// « Saisir les résultats »: one decision per candidate (the CCPs obtained for a partial success).
#[component]
fn ResultatsForm(current: RwSignal<SessionDetail>) -> impl IntoView {
    let s = current.get_untracked();
    let lignes = RwSignal::new(
        s.candidats
            .iter()
            .map(|c| ResultatInput {
                candidat_id: c.id,
                resultat: c.resultat.map(|r| r.code().to_owned()).unwrap_or_default(),
                ccps: c.ccps_obtenus.clone(),
            })
            .collect::<Vec<_>>(),
    );
    let local = RwSignal::new(None::<String>);
    let save = ServerAction::<SaveResultats>::new();
    on_saved(save, current, || {});
    let ccps = StoredValue::new(s.ccps_titre.clone());
    let candidats: Vec<(i32, String)> = s.candidats.iter().map(|c| (c.id, format!("{} {}", c.nom, c.prenom))).collect();
    let names = StoredValue::new(candidats.clone());
    let set = move |id: i32, f: Box<dyn FnOnce(&mut ResultatInput)>| {
        lignes.update(|ls| {
            if let Some(l) = ls.iter_mut().find(|l| l.candidat_id == id) {
                f(l);
            }
        });
    };
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let list = lignes.get_untracked();
        let codes: Vec<String> = ccps.with_value(|c| c.iter().map(|(c, _)| c.clone()).collect());
        match names.with_value(|n| verifier_resultats(&list, n, &codes)) {
            Err(e) => local.set(Some(format!("Les résultats n'ont pas été enregistrés : {}", e.join(" ")))),
            Ok(_) => {
                local.set(None);
                save.dispatch(SaveResultats { session_id: current.with_untracked(|s| s.id), lignes: list });
            }
        }
    };
    view! {
        <form id="form-resultats" on:submit=submit novalidate>
            <p>"Saisissez la décision du jury pour chaque candidat. Une fois enregistrés, les résultats sont transmis à l'unité départementale pour validation et le PV peut être imprimé."</p>
            {error_view(local, move || save.value().get().and_then(|r| r.err()), "resultats-erreur")}
            <DsfrTable id="table-resultats" caption="Résultats" headers=&["Candidat", "Résultat", "CCP obtenus (réussite partielle)"]>
                {candidats.into_iter().map(|(id, nom)| {
                    let current_code = move || lignes.with(|ls| ls.iter().find(|l| l.candidat_id == id).map(|l| l.resultat.clone()).unwrap_or_default());
                    view! {
                        <tr>
                            <td>{nom.clone()}</td>
                            <td>
                                <select class="fr-select" id=format!("resultat-{id}") aria-label=format!("Résultat de {nom}") prop:value=current_code
                                    on:change=move |ev| { let v = event_target_value(&ev); set(id, Box::new(move |l| l.resultat = v)); }>
                                    <option value="">"— Choisir —"</option>
                                    {Resultat::ALL.into_iter().map(|r| view! { <option value=r.code()>{r.label()}</option> }).collect_view()}
                                </select>
                            </td>
                            <td>{move || (current_code() == Resultat::ReussitePartielle.code()).then(|| ccps.get_value().into_iter().map(|(code, libelle)| {
                                let field = format!("ccp-{id}-{code}");
                                let (c1, c2) = (code.clone(), code.clone());
                                view! {
                                    <div class="fr-checkbox-group fr-checkbox-group--sm">
                                        <input type="checkbox" id=field.clone()
                                            prop:checked=move || lignes.with(|ls| ls.iter().any(|l| l.candidat_id == id && l.ccps.contains(&c1)))
                                            on:change=move |_| { let c = c2.clone(); set(id, Box::new(move |l| {
                                                if let Some(p) = l.ccps.iter().position(|x| *x == c) { l.ccps.remove(p); } else { l.ccps.push(c); }
                                            })); }/>
                                        <label class="fr-label" for=field>{format!("{code} – {libelle}")}</label>
                                    </div>
                                }
                            }).collect_view())}</td>
                        </tr>
                    }
                }).collect_view()}
            </DsfrTable>
            <button type="submit" class="fr-btn" id="resultats-enregistrer" disabled=move || save.pending().get()>"Enregistrer les résultats"</button>
        </form>
    }
}

/// « Jury » (`jury`) or « Surveillant »: the people named, and a form to name one more.
#[component]
pub fn PersonnesTab(current: RwSignal<SessionDetail>, jury: bool) -> impl IntoView {
    let prefix = if jury { "jury" } else { "surveillant" };
    let form = RwSignal::new(PersonneInput::default());
    let local = RwSignal::new(None::<String>);
    let add = ServerAction::<AddPersonne>::new();
    let remove = ServerAction::<RemovePersonne>::new();
    on_saved(add, current, move || form.set(PersonneInput::default()));
    on_saved(remove, current, || {});
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let input = form.get_untracked();
        match input.parse(jury) {
            Err(e) => local.set(Some(format!(
                "{} n'a pas été enregistré : {}",
                if jury { "Le membre du jury" } else { "Le surveillant" },
                e.join(" ")
            ))),
            Ok(_) => {
                local.set(None);
                add.dispatch(AddPersonne { session_id: current.with_untracked(|s| s.id), jury, input });
            }
        }
    };
    view! {
        <h2 class="fr-h5">{if jury { "Jury" } else { "Surveillant" }}</h2>
        <p class="fr-text--sm">{if jury {
            "Au moins deux membres habilités pour ce titre, dont l'habilitation couvre toute la session."
        } else {
            "Un formateur qui a préparé un candidat ne surveille pas sa session."
        }}</p>
        {move || remove.value().get().and_then(|r| r.err()).map(|e| view! {
            <div class="fr-alert fr-alert--error fr-alert--sm fr-mb-2w" role="alert"><p>{e.to_string()}</p></div>
        })}
        {move || {
            let s = current.get();
            let people = if jury { s.jury.clone() } else { s.surveillants.clone() };
            let can = s.droits.modifier;
            view! {
                {(jury && !s.alertes_jury.is_empty()).then(|| view! {
                    <div class="fr-alert fr-alert--warning fr-alert--sm fr-mb-2w" id="alertes-jury">
                        {s.alertes_jury.iter().map(|a| view! { <p>{a.clone()}</p> }).collect_view()}
                    </div>
                })}
                {if people.is_empty() {
                    view! { <p class="ceres-empty">{if jury { "Aucun membre du jury nommé." } else { "Aucun surveillant nommé." }}</p> }.into_any()
                } else {
                    view! {
                        <ul class="ceres-people" id=format!("liste-{prefix}")>
                            {people.into_iter().map(|p| {
                                let id = p.id;
                                view! {
                                    <li>
                                        {format!("{} {}", p.nom, p.prenom)}
                                        {p.habilitation_fin.map(|h| format!(" — habilité(e) jusqu'au {}", date_fr(h)))}
                                        {can.then(|| view! {
                                            <button class="fr-btn fr-btn--sm fr-btn--tertiary-no-outline fr-ml-1w"
                                                on:click=move |_| { remove.dispatch(RemovePersonne { session_id: current.with_untracked(|s| s.id), jury, id }); }>"Retirer"</button>
                                        })}
                                    </li>
                                }
                            }).collect_view()}
                        </ul>
                    }.into_any()
                }}
                {can.then(|| view! {
                    <form class="fr-card fr-p-3w fr-mt-2w" id=format!("form-{prefix}") on:submit=submit novalidate>
                        <h3 class="fr-h6">{if jury { "Ajouter un membre du jury" } else { "Ajouter un surveillant" }}</h3>
                        {error_view(local, move || add.value().get().and_then(|r| r.err()), if jury { "jury-erreur" } else { "surveillant-erreur" })}
                        <div class="fr-grid-row fr-grid-row--gutters">
                            <div class="fr-col-12 fr-col-md-4"><div class="fr-input-group">
                                <label class="fr-label" for=format!("{prefix}-nom")>"Nom *"</label>
                                <input class="fr-input" id=format!("{prefix}-nom") prop:value=move || form.get().nom on:input=move |ev| form.update(|f| f.nom = event_target_value(&ev))/>
                            </div></div>
                            <div class="fr-col-12 fr-col-md-4"><div class="fr-input-group">
                                <label class="fr-label" for=format!("{prefix}-prenom")>"Prénom *"</label>
                                <input class="fr-input" id=format!("{prefix}-prenom") prop:value=move || form.get().prenom on:input=move |ev| form.update(|f| f.prenom = event_target_value(&ev))/>
                            </div></div>
                            {jury.then(|| view! {
                                <div class="fr-col-12 fr-col-md-4"><div class="fr-input-group">
                                    <label class="fr-label" for="jury-habilitation">"Fin d'habilitation *"</label>
                                    <input class="fr-input" type="date" id="jury-habilitation" prop:value=move || form.get().habilitation_fin on:input=move |ev| form.update(|f| f.habilitation_fin = event_target_value(&ev))/>
                                </div></div>
                            })}
                        </div>
                        <button type="submit" class="fr-btn" id=format!("{prefix}-ajouter") disabled=move || add.pending().get()>"Ajouter"</button>
                    </form>
                })}
            }
        }}
    }
}
