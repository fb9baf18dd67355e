//! « /sessions/{id} »: a session's header (titre, centre, dates of creation and change, the next deadline), the
//! actions its state and the reader's role allow (DTE, convocations, PDFs, the UD's decisions, cancellation), and
//! the side menu of the support note: « Informations pratiques », « Responsable de session », « Liste des
//! candidats », « Jury », « Surveillant », « Traçabilité de la session » (`?onglet=…`, so each has its address).

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

use super::id_param;
use crate::api::{DecideSession, Decision, GrantSessionDerogation, RequestDte, SendConvocations, get_session};
use crate::components::blocks::{DsfrTable, Field, Modal, missing_object_view};
use crate::components::session_people::{CandidatsTab, PersonnesTab, ResponsableTab};
use crate::domain::controles::Controle;
use crate::domain::delais::{
    ActionDelai, Contexte, DerogationInput, DteInput, Verdict, refus_derogation, refus_dte, verdict,
};
use crate::domain::format::{count_fr, date_fr};
use crate::domain::session::StatutSession;
use crate::dto::SessionDetail;

#[component]
pub fn SessionPage() -> impl IntoView {
    let id = id_param();
    let session = Resource::new(
        move || id.get(),
        |id| async move {
            match id {
                Ok(id) => get_session(id).await,
                Err(_) => Ok(None),
            }
        },
    );
    view! {
        <Suspense fallback=|| view! { <p>"Chargement de la session…"</p> }>
            {move || Suspend::new(async move {
                match session.await {
                    Ok(Some(s)) => view! { <Session session=s/> }.into_any(),
                    Ok(None) => missing_object_view("Session", "/sessions", id.get_untracked(), None),
                    Err(e) => missing_object_view("Session", "/sessions", id.get_untracked(), Some(e)),
                }
            })}
        </Suspense>
    }
}

/// What the deadline engine says of a DTE request made today (the server says the same after the click).
fn dte_verdict(s: &SessionDetail) -> Verdict {
    verdict(
        ActionDelai::DemandeDte,
        &s.regles,
        &s.derogations,
        &Contexte {
            aujourdhui: s.aujourdhui,
            debut_session: s.date_debut,
            type_session: &s.type_session,
            region: &s.region,
            session_id: Some(s.id),
        },
    )
}

/// The side menu's entries (« onglet » in the URL, label).
const ONGLETS: [(&str, &str); 6] = [
    ("informations", "Informations pratiques"),
    ("responsable", "Responsable de session"),
    ("candidats", "Liste des candidats"),
    ("jury", "Jury"),
    ("surveillant", "Surveillant"),
    ("tracabilite", "Traçabilité de la session"),
];

#[component]
fn Session(session: SessionDetail) -> impl IntoView {
    let current = RwSignal::new(session);
    let dialog = RwSignal::new(None::<Dialog>);
    let query = use_query_map();
    let onglet = Memo::new(move |_| {
        let o = query.read().get("onglet").unwrap_or_default();
        if ONGLETS.iter().any(|(c, _)| *c == o) { o } else { "informations".to_owned() }
    });
    let convoquer = ServerAction::<SendConvocations>::new();
    Effect::new(move |_| {
        if let Some(Ok(updated)) = convoquer.value().get() {
            current.set(updated);
        }
    });
    let s = move || current.get();
    view! {
        <Title text=move || current.with(|s| s.identifiant.clone())/>
        <nav role="navigation" class="fr-breadcrumb" aria-label="vous êtes ici :">
            <ol class="fr-breadcrumb__list">
                <li><a class="fr-breadcrumb__link" href="/sessions">"Sessions"</a></li>
                <li><a class="fr-breadcrumb__link" aria-current="page">{move || current.with(|s| s.identifiant.clone())}</a></li>
            </ol>
        </nav>
        {move || {
            let s = s();
            let late = s.compte_a_rebours.as_deref().is_some_and(|c| c.starts_with("Délai dépassé"));
            let d = s.droits;
            let statut_class = match s.statut {
                StatutSession::Validee => "fr-badge fr-badge--success fr-mr-1w",
                StatutSession::Annulee => "fr-badge fr-badge--error fr-mr-1w",
                _ => "fr-badge fr-badge--info fr-mr-1w",
            };
            view! {
                <div class="ceres-section-head">
                    <div>
                        <h1 class="fr-h3 fr-mb-1w" id="titre-session">{format!("{} – {}", s.titre_code, s.titre_libelle)}</h1>
                        <p class="fr-mb-1w">
                            <span class=statut_class id="statut-session">{s.statut.label()}</span>
                            {s.compte_a_rebours.clone().map(|c| view! {
                                <span class=if late { "fr-badge fr-badge--error" } else { "fr-badge fr-badge--warning" } id="echeance">{c}</span>
                            })}
                        </p>
                        <p class="fr-text--sm fr-mb-0">
                            {format!("{} · Centre ", s.identifiant)}
                            <a href=format!("/centres/{}", s.centre_id)>{s.centre_raison_sociale.clone()}</a>
                            " · Site "
                            <a href=format!("/sites/{}", s.site_id)>{s.site_nom.clone()}</a>
                        </p>
                        <p class="fr-text--sm" id="dates-session">{format!("Session créée le {} · Dernière modification le {}", s.cree_le, s.modifie_le)}</p>
                    </div>
                </div>
                <ul class="fr-btns-group fr-btns-group--inline-md fr-btns-group--sm fr-mb-2w" id="actions-session">
                    {s.can_request_dte.then(|| view! {
                        <li><button class="fr-btn" id="demander-dte" on:click=move |_| dialog.set(Some(Dialog::Dte))>"Demander le DTE"</button></li>
                    })}
                    {d.envoyer_convocations.then(|| view! {
                        <li><button class="fr-btn" id="envoyer-convocations" disabled=move || convoquer.pending().get()
                            on:click=move |_| { convoquer.dispatch(SendConvocations { session_id: current.with_untracked(|s| s.id) }); }>"Envoyer les convocations"</button></li>
                    })}
                    {d.convocations_pdf.then(|| view! {
                        <li><a class="fr-btn fr-btn--secondary" id="pdf-convocations" download
                            href=format!("/sessions/{}/convocations.pdf", s.id)>"Télécharger les convocations (PDF)"</a></li>
                    })}
                    {d.pv_pdf.then(|| view! {
                        <li><a class="fr-btn fr-btn--secondary" id="pdf-pv" download
                            href=format!("/sessions/{}/pv.pdf", s.id)>"Télécharger le PV (PDF)"</a></li>
                    })}
                    {d.valider.then(|| view! {
                        <li><button class="fr-btn" id="valider-session" on:click=move |_| dialog.set(Some(Dialog::Decision(Decision::Valider)))>"Valider"</button></li>
                        <li><button class="fr-btn fr-btn--secondary" id="corriger-session" on:click=move |_| dialog.set(Some(Dialog::Decision(Decision::DemanderCorrection)))>"Demander une correction"</button></li>
                    })}
                    {d.deroger.then(|| view! {
                        <li><button class="fr-btn fr-btn--secondary" id="deroger-session" on:click=move |_| dialog.set(Some(Dialog::Derogation))>"Accorder une dérogation"</button></li>
                    })}
                    {d.annuler.then(|| view! {
                        <li><button class="fr-btn fr-btn--tertiary" id="annuler-session" on:click=move |_| dialog.set(Some(Dialog::Decision(Decision::Annuler)))>"Annuler la session"</button></li>
                    })}
                </ul>
                {(!s.controles.is_empty()).then(|| view! { <Controles controles=s.controles.clone()/> })}
                {convoquer.value().get().and_then(|r| r.err()).map(|e| view! {
                    <div class="fr-alert fr-alert--error fr-alert--sm fr-mb-2w" role="alert" id="convocations-erreur"><p>{e.to_string()}</p></div>
                })}
                {s.motif_annulation.clone().filter(|_| s.statut == StatutSession::Annulee).map(|m| view! {
                    <div class="fr-alert fr-alert--error fr-mb-2w" id="motif-annulation"><h2 class="fr-alert__title">"Session annulée"</h2><p>{m}</p></div>
                })}
                {s.demande_correction.clone().map(|m| view! {
                    <div class="fr-alert fr-alert--warning fr-mb-2w" id="demande-correction"><h2 class="fr-alert__title">"Correction demandée par l'unité départementale"</h2><p>{m}</p></div>
                })}
                {(s.statut == StatutSession::Validee).then(|| view! {
                    <div class="fr-alert fr-alert--success fr-alert--sm fr-mb-2w" id="session-validee"><p>"Session validée par l'unité départementale : elle ne peut plus être modifiée."</p></div>
                })}
            }
        }}
        <div class="fr-grid-row fr-grid-row--gutters">
            <div class="fr-col-12 fr-col-md-3">
                <nav class="fr-sidemenu" aria-labelledby="menu-session-titre">
                    <div class="fr-sidemenu__inner">
                        <div class="fr-sidemenu__title" id="menu-session-titre">"Session"</div>
                        <ul class="fr-sidemenu__list">
                            {ONGLETS.into_iter().map(|(code, label)| view! {
                                <li class="fr-sidemenu__item" class:fr-sidemenu__item--active=move || onglet.get() == code>
                                    // A plain link (the router still navigates without a reload): `A` would mark every
                                    // entry as the current page, since they share the path.
                                    <a href=format!("?onglet={code}") class="fr-sidemenu__link" id=format!("onglet-{code}")
                                        aria-current=move || (onglet.get() == code).then_some("page")>{label}</a>
                                </li>
                            }).collect_view()}
                        </ul>
                    </div>
                </nav>
            </div>
            <div class="fr-col-12 fr-col-md-9" id="panneau-session">
                {move || match onglet.get().as_str() {
                    "responsable" => view! { <ResponsableTab current=current/> }.into_any(),
                    "candidats" => view! { <CandidatsTab current=current/> }.into_any(),
                    "jury" => view! { <PersonnesTab current=current jury=true/> }.into_any(),
                    "surveillant" => view! { <PersonnesTab current=current jury=false/> }.into_any(),
                    "tracabilite" => view! { <Tracabilite current=current/> }.into_any(),
                    _ => view! { <Informations current=current/> }.into_any(),
                }}
            </div>
        </div>
        {move || dialog.get().map(|d| match d {
            Dialog::Dte => view! { <DteDialog session=current dialog=dialog/> }.into_any(),
            Dialog::Decision(decision) => view! { <DecisionDialog session=current dialog=dialog decision=decision/> }.into_any(),
            Dialog::Derogation => view! { <DerogationDialog session=current dialog=dialog/> }.into_any(),
        })}
    }
}

/// « Contrôles avant validation »: each check, conforme or to look at, with what it found.
#[component]
fn Controles(controles: Vec<Controle>) -> impl IntoView {
    let a_verifier = controles.iter().filter(|c| !c.conforme).count() as u64;
    let resume = if a_verifier == 0 {
        "Tous les contrôles sont conformes.".to_owned()
    } else {
        format!(
            "{} : vous pouvez valider la session en connaissance de cause, ou demander une correction au centre.",
            count_fr(a_verifier, "point à vérifier", "points à vérifier")
        )
    };
    view! {
        <section class="fr-mb-3w" id="controles" aria-labelledby="controles-titre">
            <h2 class="fr-h5 fr-mb-1w" id="controles-titre">"Contrôles avant validation"</h2>
            <p class="fr-text--sm fr-mb-2w" id="controles-resume">{resume}</p>
            <ul class="ceres-controles">
                {controles.into_iter().map(|c| {
                    let (badge, etat) = if c.conforme {
                        ("fr-badge fr-badge--sm fr-badge--success", "Conforme")
                    } else {
                        ("fr-badge fr-badge--sm fr-badge--warning", "À vérifier")
                    };
                    view! {
                        <li id=format!("controle-{}", c.code)>
                            <p class="fr-mb-0"><span class=badge>{etat}</span>" "<strong>{c.libelle}</strong></p>
                            {c.constats.into_iter().map(|t| view! { <p class="fr-text--sm fr-mb-0">{t}</p> }).collect_view()}
                        </li>
                    }
                }).collect_view()}
            </ul>
        </section>
    }
}

/// The dialogs of the session page.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Dialog {
    Dte,
    Decision(Decision),
    Derogation,
}

#[component]
fn Informations(current: RwSignal<SessionDetail>) -> impl IntoView {
    move || {
        let s = current.get();
        view! {
            <section class="fr-mb-3w" aria-labelledby="infos-pratiques">
                <h2 class="fr-h5" id="infos-pratiques">"Informations pratiques"</h2>
                <dl class="ceres-fields">
                    <Field label="Date de début" value=Some(date_fr(s.date_debut))/>
                    <Field label="Heure de début" value=Some(s.heure_debut.clone())/>
                    <Field label="Date de fin" value=Some(date_fr(s.date_fin))/>
                    <Field label="Lieu" value=Some(s.lieu.clone())/>
                    <Field label="Commentaires" value=s.commentaires.clone()/>
                </dl>
            </section>
            {s.dte.clone().map(|d| view! {
                <section class="fr-card fr-p-3w fr-mb-3w" aria-labelledby="titre-dte" id="dte">
                    <h2 class="fr-h5" id="titre-dte">"Demande de DTE"</h2>
                    {d.hors_delai.then(|| view! { <p><span class="fr-badge fr-badge--warning">"Saisie hors délai"</span></p> })}
                    <dl class="ceres-fields">
                        <Field label="Nombre de candidats" value=Some(if d.nombre_candidats == 0 {
                            "0 — matériel déjà pris en charge".to_owned()
                        } else {
                            d.nombre_candidats.to_string()
                        })/>
                        <Field label="Date de réception des plis" value=Some(date_fr(d.date_reception_plis))/>
                        <Field label="Commentaires" value=d.commentaires/>
                        <Field label="Demandée le" value=Some(d.demandee_le)/>
                    </dl>
                </section>
            })}
        }
    }
}

#[component]
fn Tracabilite(current: RwSignal<SessionDetail>) -> impl IntoView {
    move || {
        let s = current.get();
        view! {
            <section aria-labelledby="titre-tracabilite" id="tracabilite">
                <h2 class="fr-h5" id="titre-tracabilite">"Traçabilité de la session"</h2>
                {if s.tracabilite.is_empty() {
                    view! { <p class="ceres-empty">"Aucune saisie enregistrée pour cette session."</p> }.into_any()
                } else {
                    view! {
                        <DsfrTable id="table-tracabilite" caption="Traçabilité de la session" headers=&["Date", "Par", "Action", "Champ", "Avant", "Après"]>
                            {s.tracabilite.into_iter().map(|t| view! {
                                <tr>
                                    <td class="ceres-nowrap">
                                        {t.jour}<br/><span class="ceres-result__meta">{format!("à {}", t.heure)}</span>
                                    </td>
                                    <td class="fr-cell--multiline">
                                        {t.qui}<br/><span class="ceres-result__meta">{t.role}</span>
                                    </td>
                                    // An entry made after a deadline says so where the UD reads what was done.
                                    <td class="fr-cell--multiline ceres-col-action">
                                        {t.action_libelle}
                                        {t.hors_delai.map(|h| view! {
                                            <br/>
                                            <span class="fr-badge fr-badge--warning fr-badge--sm">"Hors délai"</span>
                                            <br/>
                                            <span class="ceres-result__meta">{h}</span>
                                        })}
                                    </td>
                                    <td class="fr-cell--multiline ceres-break">{t.champ}</td>
                                    <td class="fr-cell--multiline ceres-break">{t.avant}</td>
                                    <td class="fr-cell--multiline ceres-break">{t.apres}</td>
                                </tr>
                            }).collect_view()}
                        </DsfrTable>
                    }.into_any()
                }}
            </section>
        }
    }
}

/// « Valider » (a confirmation), « Demander une correction » (a message) or « Annuler la session » (a reason).
#[component]
fn DecisionDialog(
    session: RwSignal<SessionDetail>,
    dialog: RwSignal<Option<Dialog>>,
    decision: Decision,
) -> impl IntoView {
    let message = RwSignal::new(String::new());
    let local = RwSignal::new(None::<String>);
    let send = ServerAction::<DecideSession>::new();
    Effect::new(move |_| {
        if let Some(Ok(updated)) = send.value().get() {
            session.set(updated);
            dialog.set(None);
        }
    });
    let (title, label, button) = match decision {
        Decision::Valider => ("Valider la session", "", "Valider"),
        Decision::DemanderCorrection => {
            ("Demander une correction", "Ce que le centre doit corriger *", "Renvoyer au centre")
        }
        Decision::Annuler => ("Annuler la session", "Motif de l'annulation *", "Annuler la session"),
    };
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let m = message.get_untracked();
        if decision != Decision::Valider && m.trim().is_empty() {
            local.set(Some(format!(
                "Saisissez {} : il est conservé dans la traçabilité.",
                label.trim_end_matches(" *").to_lowercase()
            )));
            return;
        }
        local.set(None);
        send.dispatch(DecideSession { session_id: session.with_untracked(|s| s.id), decision, message: m });
    };
    view! {
        <Modal id="dialogue-decision" labelledby="titre-dialogue-decision" on_close=move |_| dialog.set(None)>
            <form class="fr-modal__content" on:submit=submit novalidate>
                <h1 class="fr-modal__title" id="titre-dialogue-decision">{title}</h1>
                {move || local.get().or_else(|| send.value().get().and_then(|r| r.err()).map(|e| e.to_string())).map(|e| view! {
                    <div class="fr-alert fr-alert--error fr-alert--sm fr-mb-2w" role="alert" id="decision-erreur"><p>{e}</p></div>
                })}
                {match decision {
                    Decision::Valider => view! {
                        <p>"Vous avez lu le PV et la traçabilité de la session : la validation est définitive, la session ne pourra plus être modifiée."</p>
                    }.into_any(),
                    _ => view! {
                        <div class="fr-input-group">
                            <label class="fr-label" for="decision-message">{label}</label>
                            <textarea class="fr-input" id="decision-message" rows="4" maxlength="2000"
                                prop:value=move || message.get() on:input=move |ev| message.set(event_target_value(&ev))></textarea>
                        </div>
                    }.into_any(),
                }}
                <ul class="fr-btns-group fr-btns-group--inline fr-btns-group--right">
                    <li><button type="button" class="fr-btn fr-btn--secondary" on:click=move |_| dialog.set(None)>"Fermer"</button></li>
                    <li><button type="submit" class="fr-btn" id="decision-confirmer" disabled=move || send.pending().get()>{button}</button></li>
                </ul>
            </form>
        </Modal>
    }
}

/// The UD lifts deadline rules for this session alone: a period, the rules, a reason.
#[component]
fn DerogationDialog(session: RwSignal<SessionDetail>, dialog: RwSignal<Option<Dialog>>) -> impl IntoView {
    let s = session.get_untracked();
    let form = RwSignal::new(DerogationInput {
        nom: format!("Dérogation {}", s.identifiant),
        debut: crate::domain::format::date_iso(s.aujourdhui),
        fin: crate::domain::format::date_iso(s.date_debut),
        ..Default::default()
    });
    let local = RwSignal::new(None::<String>);
    let send = ServerAction::<GrantSessionDerogation>::new();
    Effect::new(move |_| {
        if let Some(Ok(updated)) = send.value().get() {
            session.set(updated);
            dialog.set(None);
        }
    });
    let codes: Vec<String> = s.regles.iter().map(|r| r.code.clone()).collect();
    let known = codes.clone();
    let id = s.id;
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let input = DerogationInput { portee: format!("session:{id}"), ..form.get_untracked() };
        match input.parse(&known) {
            Err(e) => local.set(Some(refus_derogation(&e))),
            Ok(_) => {
                local.set(None);
                send.dispatch(GrantSessionDerogation { session_id: id, input });
            }
        }
    };
    view! {
        <Modal id="dialogue-derogation" labelledby="titre-dialogue-derogation" on_close=move |_| dialog.set(None)>
            <form class="fr-modal__content" on:submit=submit novalidate>
                <h1 class="fr-modal__title" id="titre-dialogue-derogation">"Accorder une dérogation à cette session"</h1>
                {move || local.get().or_else(|| send.value().get().and_then(|r| r.err()).map(|e| e.to_string())).map(|e| view! {
                    <div class="fr-alert fr-alert--error fr-alert--sm fr-mb-2w" role="alert" id="derogation-erreur"><p>{e}</p></div>
                })}
                <div class="fr-input-group">
                    <label class="fr-label" for="derogation-nom">"Nom *"</label>
                    <input class="fr-input" id="derogation-nom" prop:value=move || form.get().nom on:input=move |ev| form.update(|f| f.nom = event_target_value(&ev))/>
                </div>
                <div class="fr-grid-row fr-grid-row--gutters">
                    <div class="fr-col-6"><div class="fr-input-group">
                        <label class="fr-label" for="derogation-debut">"Du *"</label>
                        <input class="fr-input" type="date" id="derogation-debut" prop:value=move || form.get().debut on:input=move |ev| form.update(|f| f.debut = event_target_value(&ev))/>
                    </div></div>
                    <div class="fr-col-6"><div class="fr-input-group">
                        <label class="fr-label" for="derogation-fin">"Au *"</label>
                        <input class="fr-input" type="date" id="derogation-fin" prop:value=move || form.get().fin on:input=move |ev| form.update(|f| f.fin = event_target_value(&ev))/>
                    </div></div>
                </div>
                <fieldset class="fr-fieldset">
                    <legend class="fr-fieldset__legend">"Règles levées *"</legend>
                    {s.regles.iter().map(|r| {
                        let field = format!("derogation-regle-{}", r.code);
                        let (c1, c2) = (r.code.clone(), r.code.clone());
                        view! {
                            <div class="fr-fieldset__element"><div class="fr-checkbox-group">
                                <input type="checkbox" id=field.clone()
                                    prop:checked=move || form.get().regles.contains(&c1)
                                    on:change=move |_| form.update(|f| {
                                        if let Some(p) = f.regles.iter().position(|x| *x == c2) { f.regles.remove(p); } else { f.regles.push(c2.clone()); }
                                    })/>
                                <label class="fr-label" for=field>{r.libelle.clone()}</label>
                            </div></div>
                        }
                    }).collect_view()}
                </fieldset>
                <div class="fr-input-group">
                    <label class="fr-label" for="derogation-motif">"Motif *"</label>
                    <textarea class="fr-input" id="derogation-motif" rows="3" maxlength="1000"
                        prop:value=move || form.get().motif on:input=move |ev| form.update(|f| f.motif = event_target_value(&ev))></textarea>
                </div>
                <ul class="fr-btns-group fr-btns-group--inline fr-btns-group--right">
                    <li><button type="button" class="fr-btn fr-btn--secondary" on:click=move |_| dialog.set(None)>"Fermer"</button></li>
                    <li><button type="submit" class="fr-btn" id="derogation-accorder" disabled=move || send.pending().get()>"Accorder"</button></li>
                </ul>
            </form>
        </Modal>
    }
}

#[component]
fn DteDialog(session: RwSignal<SessionDetail>, dialog: RwSignal<Option<Dialog>>) -> impl IntoView {
    let s = session.get_untracked();
    let form = RwSignal::new(DteInput::default());
    let local_error = RwSignal::new(None::<String>);
    let send = ServerAction::<RequestDte>::new();
    Effect::new(move |_| {
        if let Some(Ok(updated)) = send.value().get() {
            session.set(updated);
            dialog.set(None);
        }
    });
    let v = dte_verdict(&s);
    let blocked = !v.permis();
    let (debut, today, id) = (s.date_debut, s.aujourdhui, s.id);
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let input = form.get_untracked();
        match input.parse(debut, today) {
            Err(e) => local_error.set(Some(refus_dte(&e))),
            Ok(_) => {
                local_error.set(None);
                send.dispatch(RequestDte { session_id: id, input });
            }
        }
    };
    let verdict_view = match v {
        Verdict::DansLesDelais => None,
        Verdict::Refuse { message, .. } => Some(
            view! { <div class="fr-alert fr-alert--error fr-mb-2w" id="verdict-dte"><p>{message}</p></div> }.into_any(),
        ),
        Verdict::HorsDelaiAutorise { message, .. } | Verdict::Avertissement { message, .. } => Some(
            view! { <div class="fr-alert fr-alert--warning fr-mb-2w" id="verdict-dte"><p>{message}</p></div> }
                .into_any(),
        ),
    };
    view! {
        <Modal id="dialogue-dte" labelledby="titre-dialogue-dte" on_close=move |_| dialog.set(None)>
            <form class="fr-modal__content" on:submit=submit>
                <h1 class="fr-modal__title" id="titre-dialogue-dte">"Vérifiez et complétez la demande de DTE"</h1>
                {verdict_view}
                {move || local_error.get().or_else(|| send.value().get().and_then(|r| r.err()).map(|e| e.to_string())).map(|e| view! {
                    <div class="fr-alert fr-alert--error fr-alert--sm fr-mb-2w" role="alert" id="dte-erreur"><p>{e}</p></div>
                })}
                <dl class="ceres-fields fr-mb-2w">
                    <Field label="Titre" value=Some(format!("{} – {}", s.titre_code, s.titre_libelle))/>
                    <Field label="Date de début" value=Some(date_fr(s.date_debut))/>
                    <Field label="Heure de début" value=Some(s.heure_debut.clone())/>
                    <Field label="Date de fin" value=Some(date_fr(s.date_fin))/>
                </dl>
                <div class="fr-input-group">
                    <label class="fr-label" for="dte-candidats">"Nombre de candidats *"
                        <span class="fr-hint-text">"0 si le matériel est déjà pris en charge par ailleurs."</span></label>
                    <input class="fr-input" id="dte-candidats" inputmode="numeric" maxlength="4" required
                        prop:value=move || form.get().nombre_candidats
                        on:input=move |ev| form.update(|f| f.nombre_candidats = event_target_value(&ev))/>
                </div>
                <div class="fr-input-group">
                    <label class="fr-label" for="dte-plis">"Date de réception des plis"</label>
                    <input class="fr-input" type="date" id="dte-plis"
                        prop:value=move || form.get().date_reception_plis
                        on:input=move |ev| form.update(|f| f.date_reception_plis = event_target_value(&ev))/>
                </div>
                <div class="fr-input-group">
                    <label class="fr-label" for="dte-commentaires">"Commentaires"</label>
                    <textarea class="fr-input" id="dte-commentaires" rows="3" maxlength="1000"
                        prop:value=move || form.get().commentaires
                        on:input=move |ev| form.update(|f| f.commentaires = event_target_value(&ev))></textarea>
                </div>
                <ul class="fr-btns-group fr-btns-group--inline fr-btns-group--right">
                    <li><button type="button" class="fr-btn fr-btn--secondary" id="dte-abandonner" on:click=move |_| dialog.set(None)>"ABANDONNER"</button></li>
                    <li><button type="submit" class="fr-btn" id="dte-continuer" disabled=move || blocked || send.pending().get()>"CONTINUER"</button></li>
                </ul>
            </form>
        </Modal>
    }
}
