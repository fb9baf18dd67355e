//! « /etablissements »: search over all centres and sites. The server renders the results of `?q=`; once hydrated,
//! each keystroke updates the URL (debounced) and the results follow it without a page load. Without JavaScript
//! the box is an ordinary GET form.

use std::time::Duration;

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::NavigateOptions;
use leptos_router::components::A;
use leptos_router::hooks::{use_navigate, use_query_map};

use crate::api::search_etablissements;
use crate::components::blocks::ErrorAlert;
use crate::components::registration::RegisterCentreButton;
use crate::domain::format::{count_fr, number_fr};
use crate::dto::SearchResults;

/// Longest wait between the last keystroke and the search (the product asks for at most 150 ms).
const DEBOUNCE: Duration = Duration::from_millis(120);

/// Percent-encodes a query-string value (RFC 3986 unreserved characters kept; space as %20).
pub fn encode_query_value(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    for b in value.bytes() {
        match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => out.push(char::from(b)),
            _ => out.push_str(&format!("%{b:02X}")),
        }
    }
    out
}

fn search_url(q: &str) -> String {
    if q.is_empty() { "/etablissements".into() } else { format!("/etablissements?q={}", encode_query_value(q)) }
}

#[component]
pub fn Etablissements() -> impl IntoView {
    let query = use_query_map();
    let q = Memo::new(move |_| query.read().get("q").unwrap_or_default());
    let results = Resource::new(move || q.get(), search_etablissements);

    let navigate = use_navigate();
    let go = {
        let navigate = navigate.clone();
        move |text: String| {
            navigate(&search_url(text.trim()), NavigateOptions { replace: true, scroll: false, ..Default::default() })
        }
    };
    let on_input = {
        let go = go.clone();
        let mut debounced = leptos::leptos_dom::helpers::debounce(DEBOUNCE, go);
        move |ev| debounced(event_target_value(&ev))
    };
    let input_ref = NodeRef::<leptos::html::Input>::new();
    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if let Some(input) = input_ref.get() {
            go(input.value());
        }
    };

    // « Enregistrer un centre » for those who may; `?enregistrer=SIRET` (from the transfer dialog) opens it filled in.
    let user = expect_context::<crate::UserResource>();
    let prefilled = query.read_untracked().get("enregistrer");
    let register = move || {
        let prefilled = prefilled.clone();
        Suspend::new(async move {
            let allowed = matches!(user.await, Ok(Some(u)) if crate::auth::is_allowed(Some(&u), &crate::auth::Action::RegisterCentre));
            allowed.then(|| view! { <RegisterCentreButton initial_siret=prefilled/> })
        })
    };

    view! {
        <Title text="Établissements"/>
        <div class="ceres-section-head">
            <h1 class="fr-h2">"Établissements"</h1>
            <Suspense fallback=|| ()>{register}</Suspense>
        </div>
        <form method="get" action="/etablissements" role="search" id="recherche" class="fr-mb-4w" on:submit=on_submit>
            <div class="fr-search-bar fr-search-bar--lg">
                <label class="fr-label" for="q">"Quels sites, centres recherchez-vous ?"</label>
                <input
                    class="fr-input"
                    type="search"
                    id="q"
                    name="q"
                    node_ref=input_ref
                    placeholder="Saisissez un SIRET, SIREN, Nom d'entreprise"
                    autocomplete="off"
                    maxlength="200"
                    value=move || q.get_untracked()
                    on:input=on_input
                />
                <button class="fr-btn" type="submit" title="Rechercher">"Rechercher"</button>
            </div>
        </form>
        <Transition fallback=|| view! { <p>"Recherche en cours…"</p> }>
            {move || Suspend::new(async move {
                match results.await {
                    Ok(r) => view! { <Results results=r/> }.into_any(),
                    Err(e) => view! { <ErrorAlert error=e/> }.into_any(),
                }
            })}
        </Transition>
    }
}

#[component]
fn Results(results: SearchResults) -> impl IntoView {
    let total = results.total();
    view! {
        <p class="fr-h4" id="total" aria-live="polite">{count_fr(total, "résultat", "résultats")}</p>
        <div class="fr-grid-row fr-grid-row--gutters">
            <section class="fr-col-12 fr-col-lg-6" aria-labelledby="titre-centres">
                <h2 class="fr-h5" id="titre-centres">{format!("Centres ({})", number_fr(results.centres_total))}</h2>
                <ul class="ceres-results" id="resultats-centres">
                    {results.centres.into_iter().map(|c| view! {
                        <li class="ceres-result">
                            <A href=format!("/centres/{}", c.id) attr:class="ceres-result__link">
                                <span class="ceres-result__title">{c.raison_sociale}</span>
                                <span class="ceres-result__meta">{c.siret}</span>
                                <span class="ceres-result__meta">{c.commune}</span>
                            </A>
                        </li>
                    }).collect_view()}
                </ul>
            </section>
            <section class="fr-col-12 fr-col-lg-6" aria-labelledby="titre-sites">
                <h2 class="fr-h5" id="titre-sites">{format!("Sites ({})", number_fr(results.sites_total))}</h2>
                <ul class="ceres-results" id="resultats-sites">
                    {results.sites.into_iter().map(|s| view! {
                        <li class="ceres-result">
                            <A href=format!("/sites/{}", s.id) attr:class="ceres-result__link">
                                <span class="ceres-result__title">{s.nom}</span>
                                <span class="ceres-result__meta">{s.centre_raison_sociale}</span>
                                <span class="ceres-result__meta">{s.commune}</span>
                            </A>
                        </li>
                    }).collect_view()}
                </ul>
            </section>
        </div>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn query_values_are_percent_encoded() {
        assert_eq!(encode_query_value("l'AFPA Saint-Nazaire"), "l%27AFPA%20Saint-Nazaire");
        assert_eq!(encode_query_value("é&="), "%C3%A9%26%3D");
        assert_eq!(search_url(""), "/etablissements");
    }
}
