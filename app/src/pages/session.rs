//! « /sessions/{id} »: a session's header (titre, centre, dates of creation and change, the next deadline), its
//! practical information, its DTE request (« Vérifiez et complétez la demande de DTE ») and its « Traçabilité ».

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::A;

use super::id_param;
use crate::api::{RequestDte, get_session};
use crate::components::blocks::{DsfrTable, Field, Modal, missing_object_view};
use crate::domain::delais::{ActionDelai, Contexte, DteInput, Verdict, refus_dte, verdict};
use crate::domain::format::date_fr;
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

#[component]
fn Session(session: SessionDetail) -> impl IntoView {
    let current = RwSignal::new(session);
    let dialog = RwSignal::new(false);
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
            view! {
                <div class="ceres-section-head">
                    <div>
                        <h1 class="fr-h3 fr-mb-1w" id="titre-session">{format!("{} – {}", s.titre_code, s.titre_libelle)}</h1>
                        <p class="fr-mb-1w">
                            <span class="fr-badge fr-badge--info fr-mr-1w" id="statut-session">{s.statut.label()}</span>
                            {s.compte_a_rebours.clone().map(|c| view! {
                                <span class=if late { "fr-badge fr-badge--error" } else { "fr-badge fr-badge--warning" } id="echeance">{c}</span>
                            })}
                        </p>
                        <p class="fr-text--sm fr-mb-0">
                            {format!("{} · Centre ", s.identifiant)}
                            <A href=format!("/centres/{}", s.centre_id)>{s.centre_raison_sociale.clone()}</A>
                            " · Site "
                            <A href=format!("/sites/{}", s.site_id)>{s.site_nom.clone()}</A>
                        </p>
                        <p class="fr-text--sm" id="dates-session">{format!("Session créée le {} · Dernière modification le {}", s.cree_le, s.modifie_le)}</p>
                    </div>
                    {s.can_request_dte.then(|| view! {
                        <button class="fr-btn" id="demander-dte" on:click=move |_| dialog.set(true)>"Demander le DTE"</button>
                    })}
                </div>
                <section class="fr-card fr-p-3w fr-mb-3w" aria-labelledby="infos-pratiques">
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
                <section class="fr-card fr-p-3w fr-mb-3w" aria-labelledby="titre-tracabilite" id="tracabilite">
                    <h2 class="fr-h5" id="titre-tracabilite">"Traçabilité de la session"</h2>
                    {if s.tracabilite.is_empty() {
                        view! { <p class="ceres-empty">"Aucune saisie enregistrée pour cette session."</p> }.into_any()
                    } else {
                        view! {
                            <DsfrTable id="table-tracabilite" caption="Traçabilité de la session" headers=&["Date", "Par", "Rôle", "Action", "Champ", "Avant", "Après", "Délai"]>
                                {s.tracabilite.into_iter().map(|t| view! {
                                    <tr>
                                        <td class="ceres-nowrap">{t.quand}</td>
                                        <td>{t.qui}</td>
                                        <td>{t.role}</td>
                                        <td>{t.action}</td>
                                        <td>{t.champ}</td>
                                        <td>{t.avant}</td>
                                        <td>{t.apres}</td>
                                        <td>{t.hors_delai.map(|h| view! { <span class="fr-badge fr-badge--warning fr-badge--sm">{h}</span> })}</td>
                                    </tr>
                                }).collect_view()}
                            </DsfrTable>
                        }.into_any()
                    }}
                </section>
            }
        }}
        {move || dialog.get().then(|| view! { <DteDialog session=current dialog=dialog/> })}
    }
}

#[component]
fn DteDialog(session: RwSignal<SessionDetail>, dialog: RwSignal<bool>) -> impl IntoView {
    let s = session.get_untracked();
    let form = RwSignal::new(DteInput::default());
    let local_error = RwSignal::new(None::<String>);
    let send = ServerAction::<RequestDte>::new();
    Effect::new(move |_| {
        if let Some(Ok(updated)) = send.value().get() {
            session.set(updated);
            dialog.set(false);
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
        <Modal id="dialogue-dte" labelledby="titre-dialogue-dte" on_close=move |_| dialog.set(false)>
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
                    <li><button type="button" class="fr-btn fr-btn--secondary" id="dte-abandonner" on:click=move |_| dialog.set(false)>"ABANDONNER"</button></li>
                    <li><button type="submit" class="fr-btn" id="dte-continuer" disabled=move || blocked || send.pending().get()>"CONTINUER"</button></li>
                </ul>
            </form>
        </Modal>
    }
}
