//! « /sessions/nouvelle »: « Enregistrer la session ». A centre programmes a session on one of its sites, for a
//! titre the site is approved for over the session's dates; the deadline rules' verdict on the programming shows
//! before the click (the server judges again).

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::NavigateOptions;
use leptos_router::hooks::{use_navigate, use_query_map};

use crate::api::{CreateSession, get_nouvelle_session};
use crate::components::blocks::ErrorAlert;
use crate::domain::delais::{ActionDelai, Contexte, TYPES_SESSION, Verdict, verdict};
use crate::domain::format::date_fr;
use crate::domain::programmation::{NouvelleSessionInput, parse_date, refus_session};
use crate::dto::NouvelleSessionForm;

#[component]
pub fn NouvelleSessionPage() -> impl IntoView {
    let query = use_query_map();
    let centre = Memo::new(move |_| query.read().get("centre").and_then(|c| c.parse::<i32>().ok()));
    let form = Resource::new(move || centre.get(), get_nouvelle_session);
    view! {
        <Title text="Enregistrer la session"/>
        <nav role="navigation" class="fr-breadcrumb" aria-label="vous êtes ici :">
            <ol class="fr-breadcrumb__list">
                <li><a class="fr-breadcrumb__link" href="/sessions">"Sessions"</a></li>
                <li><a class="fr-breadcrumb__link" aria-current="page">"Enregistrer la session"</a></li>
            </ol>
        </nav>
        <h1 class="fr-h2">"Enregistrer la session"</h1>
        <Suspense fallback=|| view! { <p>"Chargement des sites et agréments…"</p> }>
            {move || Suspend::new(async move {
                match form.await {
                    Ok(f) => view! { <SessionForm data=f centre=centre.get_untracked()/> }.into_any(),
                    Err(e) => view! { <ErrorAlert error=e/> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn SessionForm(data: NouvelleSessionForm, centre: Option<i32>) -> impl IntoView {
    let data = StoredValue::new(data);
    let first_site = data.with_value(|d| d.sites.first().map(|s| s.id.to_string()).unwrap_or_default());
    let form = RwSignal::new(NouvelleSessionInput {
        site_id: first_site,
        type_session: "titre".into(),
        heure_debut: "08:30".into(),
        ..Default::default()
    });
    let local_error = RwSignal::new(None::<String>);
    let create = ServerAction::<CreateSession>::new();
    let navigate = use_navigate();
    Effect::new(move |_| {
        if let Some(Ok(id)) = create.value().get() {
            navigate(&format!("/sessions/{id}"), NavigateOptions::default());
        }
    });
    // The titres the chosen site is approved for (accorded agréments only).
    let titres = move || {
        let site = form.with(|f| f.site_id.clone());
        data.with_value(|d| {
            d.agrements
                .iter()
                .filter(|a| a.site_id.to_string() == site && a.statut == "accorde")
                .map(|a| (a.titre_id.to_string(), format!("{} – {}", a.titre_code, a.titre_libelle)))
                .collect::<Vec<_>>()
        })
    };
    // The programming rule's verdict for the dates typed so far.
    let programmation = move || {
        let f = form.get();
        let debut = parse_date(&f.date_debut)?;
        data.with_value(|d| {
            let region = d.sites.iter().find(|s| s.id.to_string() == f.site_id).map(|s| s.region.clone())?;
            let v = verdict(
                ActionDelai::Programmation,
                &d.regles,
                &d.derogations,
                &Contexte {
                    aujourdhui: d.aujourdhui,
                    debut_session: debut,
                    type_session: &f.type_session,
                    region: &region,
                    session_id: None,
                },
            );
            match v {
                Verdict::DansLesDelais => None,
                Verdict::Refuse { message, .. } => Some(("fr-alert--error", message)),
                Verdict::Avertissement { message, .. } => {
                    Some(("fr-alert--warning", format!("{message} La session peut être enregistrée, mais la saisie restera signalée « hors délai » à l'unité départementale.")))
                }
                Verdict::HorsDelaiAutorise { message, .. } => Some(("fr-alert--warning", message)),
            }
        })
    };
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let input = form.get_untracked();
        let checked = data.with_value(|d| input.parse(&d.agrements, d.aujourdhui));
        match checked {
            Err(e) => local_error.set(Some(refus_session(&e))),
            Ok(_) => {
                local_error.set(None);
                create.dispatch(CreateSession { centre_id: centre, input });
            }
        }
    };
    let no_site = data.with_value(|d| d.sites.is_empty());
    view! {
        <p class="fr-text--sm">{format!("Aujourd'hui : {}. Les champs marqués * sont obligatoires.", date_fr(data.with_value(|d| d.aujourdhui)))}</p>
        {no_site.then(|| view! { <div class="fr-alert fr-alert--info fr-mb-3w"><p>"Ce centre n'a aucun site : une session se tient sur un site agréé."</p></div> })}
        <form class="fr-card fr-p-3w ceres-form" id="form-session" on:submit=submit novalidate>
            {move || local_error.get().or_else(|| create.value().get().and_then(|r| r.err()).map(|e| e.to_string())).map(|e| view! {
                <div class="fr-alert fr-alert--error fr-alert--sm fr-mb-2w" role="alert" id="session-erreur"><p>{e}</p></div>
            })}
            <div class="fr-select-group">
                <label class="fr-label" for="session-site">"Site *"</label>
                <select class="fr-select" id="session-site" on:change=move |ev| form.update(|f| { f.site_id = event_target_value(&ev); f.titre_id.clear(); })>
                    {data.with_value(|d| d.sites.clone()).into_iter().map(|s| {
                        let id = s.id.to_string();
                        let selected = form.with_untracked(|f| f.site_id == id);
                        view! { <option value=id selected=selected>{format!("{} – {}", s.nom, s.commune)}</option> }
                    }).collect_view()}
                </select>
            </div>
            <div class="fr-select-group">
                <label class="fr-label" for="session-titre">"Titre professionnel *"
                    <span class="fr-hint-text">"Les titres pour lesquels le site a un agrément accordé."</span></label>
                <select class="fr-select" id="session-titre" prop:value=move || form.get().titre_id
                    on:change=move |ev| form.update(|f| f.titre_id = event_target_value(&ev))>
                    <option value="" disabled selected>"Choisissez un titre"</option>
                    {move || titres().into_iter().map(|(id, label)| view! { <option value=id>{label}</option> }).collect_view()}
                </select>
            </div>
            <div class="fr-select-group">
                <label class="fr-label" for="session-type">"Type de session *"</label>
                <select class="fr-select" id="session-type" on:change=move |ev| form.update(|f| f.type_session = event_target_value(&ev))>
                    {TYPES_SESSION.iter().map(|(code, label)| view! { <option value=*code selected=*code == "titre">{*label}</option> }).collect_view()}
                </select>
            </div>
            <div class="fr-grid-row fr-grid-row--gutters">
                <div class="fr-col-12 fr-col-md-4"><div class="fr-input-group">
                    <label class="fr-label" for="session-debut">"Date de début *"</label>
                    <input class="fr-input" type="date" id="session-debut" prop:value=move || form.get().date_debut
                        on:input=move |ev| form.update(|f| f.date_debut = event_target_value(&ev))/>
                </div></div>
                <div class="fr-col-12 fr-col-md-4"><div class="fr-input-group">
                    <label class="fr-label" for="session-heure">"Heure de début *"</label>
                    <input class="fr-input" type="time" id="session-heure" prop:value=move || form.get().heure_debut
                        on:input=move |ev| form.update(|f| f.heure_debut = event_target_value(&ev))/>
                </div></div>
                <div class="fr-col-12 fr-col-md-4"><div class="fr-input-group">
                    <label class="fr-label" for="session-fin">"Date de fin *"</label>
                    <input class="fr-input" type="date" id="session-fin" prop:value=move || form.get().date_fin
                        on:input=move |ev| form.update(|f| f.date_fin = event_target_value(&ev))/>
                </div></div>
            </div>
            {move || programmation().map(|(class, message)| view! {
                <div class=format!("fr-alert {class} fr-alert--sm fr-mb-2w") id="verdict-programmation"><p>{message}</p></div>
            })}
            <div class="fr-input-group">
                <label class="fr-label" for="session-commentaires">"Commentaires"</label>
                <textarea class="fr-input" id="session-commentaires" rows="3" maxlength="1000"
                    prop:value=move || form.get().commentaires
                    on:input=move |ev| form.update(|f| f.commentaires = event_target_value(&ev))></textarea>
            </div>
            <ul class="fr-btns-group fr-btns-group--inline fr-btns-group--right">
                <li><a class="fr-btn fr-btn--secondary" href="/sessions">"Abandonner"</a></li>
                <li><button type="submit" class="fr-btn" id="session-enregistrer" disabled=move || no_site || create.pending().get()>"Enregistrer la session"</button></li>
            </ul>
        </form>
    }
}
