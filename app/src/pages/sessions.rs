//! « /sessions »: the sessions of the user's territory (a centre: its own; a UD: its département; a DREETS: its
//! région; national: all), filterable by state; « /validation »: those awaiting the UD's validation.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::NavigateOptions;
use leptos_router::components::A;
use leptos_router::hooks::{use_navigate, use_query_map};

use crate::api::{list_sessions, list_sessions_to_validate};
use crate::components::blocks::{DsfrTable, ErrorAlert};
use crate::domain::format::{count_fr, date_fr};
use crate::domain::session::StatutSession;
use crate::dto::SessionList;
use crate::error::AppError;

fn page_param(raw: Option<String>) -> u64 {
    raw.and_then(|p| p.parse::<u64>().ok()).filter(|p| *p >= 1).unwrap_or(1)
}

/// A list's URL: `filter` is its filter parameter already written (`statut=validee`, `hors_delai=1`) or empty.
fn list_url(base: &str, filter: &str, page: u64) -> String {
    let mut params = Vec::new();
    if !filter.is_empty() {
        params.push(filter.to_owned());
    }
    if page > 1 {
        params.push(format!("page={page}"));
    }
    if params.is_empty() { base.to_owned() } else { format!("{base}?{}", params.join("&")) }
}

fn statut_filter(code: &str) -> String {
    if code.is_empty() { String::new() } else { format!("statut={code}") }
}

#[component]
pub fn SessionsPage() -> impl IntoView {
    let query = use_query_map();
    let statut = Memo::new(move |_| query.read().get("statut").unwrap_or_default());
    let page = Memo::new(move |_| page_param(query.read().get("page")));
    let sessions = Resource::new(move || (statut.get(), page.get()), |(s, p)| list_sessions(s, p));
    let navigate = use_navigate();
    let select_ref = NodeRef::<leptos::html::Select>::new();
    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if let Some(select) = select_ref.get() {
            navigate(&list_url("/sessions", &statut_filter(&select.value()), 1), NavigateOptions::default());
        }
    };
    view! {
        <Title text="Sessions"/>
        <h1 class="fr-h2">"Sessions d'examen"</h1>
        <form method="get" action="/sessions" class="ceres-filters fr-mb-3w" id="filtre-sessions" on:submit=on_submit>
            <div class="fr-select-group">
                <label class="fr-label" for="statut">"Statut"</label>
                <select class="fr-select" id="statut" name="statut" node_ref=select_ref>
                    <option value="" selected=move || statut.get().is_empty()>"Tous les statuts"</option>
                    {StatutSession::ALL.into_iter().map(|s| view! {
                        <option value=s.code() selected=move || statut.get() == s.code()>{s.label()}</option>
                    }).collect_view()}
                </select>
            </div>
            <button class="fr-btn fr-btn--secondary" type="submit">"Filtrer"</button>
        </form>
        <Transition fallback=|| view! { <p>"Chargement des sessions…"</p> }>
            {move || Suspend::new(async move {
                render(sessions.await, "/sessions", &statut_filter(&statut.get_untracked()))
            })}
        </Transition>
    }
}

#[component]
pub fn ValidationPage() -> impl IntoView {
    let query = use_query_map();
    let page = Memo::new(move |_| page_param(query.read().get("page")));
    // « Saisies hors délai »: only sessions with an entry made after a deadline under a relaxation window.
    let late = Memo::new(move |_| query.read().get("hors_delai").is_some_and(|v| v == "1"));
    let sessions = Resource::new(move || (page.get(), late.get()), |(p, l)| list_sessions_to_validate(p, l));
    view! {
        <Title text="Validation"/>
        <h1 class="fr-h2">"Sessions à valider"</h1>
        <p>"Sessions dont les résultats ont été saisis par le centre et qui attendent la validation de l'unité départementale."</p>
        <ul class="fr-tags-group fr-mb-2w">
            <li><A href="/validation" attr:class="fr-tag" attr:id="filtre-toutes" attr:aria-pressed=move || (!late.get()).to_string()>"Toutes"</A></li>
            <li><A href="/validation?hors_delai=1" attr:class="fr-tag" attr:id="filtre-hors-delai" attr:aria-pressed=move || late.get().to_string()>"Saisies hors délai"</A></li>
        </ul>
        <Transition fallback=|| view! { <p>"Chargement des sessions…"</p> }>
            {move || Suspend::new(async move {
                let filter = if late.get_untracked() { "hors_delai=1" } else { "" };
                render(sessions.await, "/validation", filter)
            })}
        </Transition>
    }
}

fn render(result: Result<SessionList, AppError>, base: &str, filter: &str) -> AnyView {
    match result {
        Ok(list) => view! { <SessionTable list=list base=base.to_owned() filter=filter.to_owned()/> }.into_any(),
        Err(e) => view! { <ErrorAlert error=e/> }.into_any(),
    }
}

#[component]
fn SessionTable(list: SessionList, base: String, filter: String) -> impl IntoView {
    let pages = list.pages();
    let page = list.page;
    let prev = (page > 1).then(|| list_url(&base, &filter, page - 1));
    let next = (page < pages).then(|| list_url(&base, &filter, page + 1));
    view! {
        <p class="fr-h5" id="total-sessions">{count_fr(list.total, "session", "sessions")}</p>
        {if list.rows.is_empty() {
            view! { <p class="ceres-empty">"Aucune session."</p> }.into_any()
        } else {
            view! {
                <DsfrTable id="table-sessions" caption="Sessions" headers=&["Session", "Titre professionnel", "Site", "Début", "Statut"]>
                    {list.rows.into_iter().map(|s| view! {
                        <tr>
                            <td class="ceres-small">
                                <A href=format!("/sessions/{}", s.id)>{s.identifiant}</A>
                                {s.hors_delai.then(|| view! { <br/><span class="fr-badge fr-badge--warning fr-badge--sm">"Hors délai"</span> })}
                            </td>
                            <td>
                                {s.titre_libelle}
                                <br/>
                                <span class="ceres-result__meta">{s.titre_code}</span>
                            </td>
                            <td>
                                <A href=format!("/sites/{}", s.site_id)>{s.site_nom}</A>
                                <br/>
                                <span class="ceres-result__meta">{s.commune}</span>
                            </td>
                            <td class="ceres-nowrap">
                                {date_fr(s.date_debut)}
                                <br/>
                                <span class="ceres-result__meta">{format!("à {}", s.heure_debut)}</span>
                            </td>
                            <td><p class="fr-badge fr-badge--sm">{s.statut.label()}</p></td>
                        </tr>
                    }).collect_view()}
                </DsfrTable>
            }.into_any()
        }}
        {(pages > 1).then(|| view! {
            <nav role="navigation" class="fr-pagination" aria-label="Pagination">
                <ul class="fr-pagination__list">
                    <li>{match prev {
                        Some(href) => view! { <A href=href attr:class="fr-pagination__link fr-pagination__link--prev fr-pagination__link--lg-label">"Page précédente"</A> }.into_any(),
                        None => view! { <a class="fr-pagination__link fr-pagination__link--prev fr-pagination__link--lg-label" aria-disabled="true" role="link">"Page précédente"</a> }.into_any(),
                    }}</li>
                    <li><a class="fr-pagination__link" aria-current="page">{format!("Page {page} sur {pages}")}</a></li>
                    <li>{match next {
                        Some(href) => view! { <A href=href attr:class="fr-pagination__link fr-pagination__link--next fr-pagination__link--lg-label">"Page suivante"</A> }.into_any(),
                        None => view! { <a class="fr-pagination__link fr-pagination__link--next fr-pagination__link--lg-label" aria-disabled="true" role="link">"Page suivante"</a> }.into_any(),
                    }}</li>
                </ul>
            </nav>
        })}
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn list_urls_keep_the_filter_and_the_page() {
        assert_eq!(list_url("/sessions", "", 1), "/sessions");
        assert_eq!(list_url("/sessions", &statut_filter("validee"), 1), "/sessions?statut=validee");
        assert_eq!(list_url("/sessions", &statut_filter("validee"), 3), "/sessions?statut=validee&page=3");
        assert_eq!(list_url("/validation", "hors_delai=1", 2), "/validation?hors_delai=1&page=2");
        assert_eq!(page_param(Some("0".into())), 1);
        assert_eq!(page_param(Some("abc".into())), 1);
        assert_eq!(page_param(Some("4".into())), 4);
    }
}
