//! « /sessions »: the sessions of the user's territory (a centre: its own; a UD: its département; a DREETS: its
//! région; national: all), filterable by state; « /validation »: those awaiting the UD's validation.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::Form;
use leptos_router::hooks::use_query_map;

use crate::api::{list_sessions, list_sessions_to_validate};
use crate::components::blocks::{DsfrTable, ErrorAlert, ListPagination, page_param};
use crate::domain::format::{count_fr, date_fr};
use crate::domain::session::StatutSession;
use crate::dto::{FiltreSessions, SessionList};
use crate::error::AppError;

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

#[component]
pub fn SessionsPage() -> impl IntoView {
    let query = use_query_map();
    let filtre = Memo::new(move |_| {
        let q = query.read();
        let get = |k: &str| q.get(k).unwrap_or_default();
        FiltreSessions { statut: get("statut"), titre: get("titre"), site: get("site"), du: get("du"), au: get("au") }
    });
    let page = Memo::new(move |_| page_param(query.read().get("page")));
    let sessions = Resource::new(move || (filtre.get(), page.get()), |(f, p)| list_sessions(f, p));
    let field = move |get: fn(&FiltreSessions) -> String| move || filtre.with(get);
    view! {
        <Title text="Sessions"/>
        <div class="ceres-section-head">
            <h1 class="fr-h2">"Sessions d'examen"</h1>
            <Transition fallback=|| ()>
                {move || Suspend::new(async move {
                    sessions.await.ok().filter(|l| l.can_create).map(|_| view! {
                        <a class="fr-btn fr-icon-add-line fr-btn--icon-left" id="nouvelle-session" href="/sessions/nouvelle">"Enregistrer une session"</a>
                    })
                })}
            </Transition>
        </div>
        // A plain GET form: the router turns it into a navigation (the filters live in the URL), and it works
        // without JavaScript too.
        <Form method="GET" action="/sessions" attr:class="ceres-filters fr-mb-3w" attr:id="filtre-sessions">
            <div class="fr-select-group">
                <label class="fr-label" for="statut">"Statut"</label>
                <select class="fr-select" id="statut" name="statut">
                    <option value="" selected=move || filtre.with(|f| f.statut.is_empty())>"Tous les statuts"</option>
                    {StatutSession::ALL.into_iter().map(|s| view! {
                        <option value=s.code() selected=move || filtre.with(|f| f.statut == s.code())>{s.label()}</option>
                    }).collect_view()}
                </select>
            </div>
            <div class="fr-input-group">
                <label class="fr-label" for="filtre-titre">"Titre"<span class="fr-hint-text">"Code ou mots du libellé"</span></label>
                <input class="fr-input" id="filtre-titre" name="titre" prop:value=field(|f| f.titre.clone())/>
            </div>
            <div class="fr-input-group">
                <label class="fr-label" for="filtre-site">"Site"<span class="fr-hint-text">"Mots du nom du site"</span></label>
                <input class="fr-input" id="filtre-site" name="site" prop:value=field(|f| f.site.clone())/>
            </div>
            <div class="fr-input-group">
                <label class="fr-label" for="filtre-du">"Début à partir du"</label>
                <input class="fr-input" type="date" id="filtre-du" name="du" prop:value=field(|f| f.du.clone())/>
            </div>
            <div class="fr-input-group">
                <label class="fr-label" for="filtre-au">"Début jusqu'au"</label>
                <input class="fr-input" type="date" id="filtre-au" name="au" prop:value=field(|f| f.au.clone())/>
            </div>
            <button class="fr-btn fr-btn--secondary" id="filtrer" type="submit">"Filtrer"</button>
        </Form>
        <Transition fallback=|| view! { <p>"Chargement des sessions…"</p> }>
            {move || Suspend::new(async move {
                render(sessions.await, "/sessions", &filtre.get_untracked().query(), true)
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
        <p>"Sessions dont les résultats ont été saisis par le centre et qui attendent la validation de l'unité départementale, les plus anciennes d'abord."</p>
        <ul class="fr-tags-group fr-mb-2w">
            <li><a href="/validation" class="fr-tag" id="filtre-toutes" aria-pressed=move || (!late.get()).to_string()>"Toutes"</a></li>
            <li><a href="/validation?hors_delai=1" class="fr-tag" id="filtre-hors-delai" aria-pressed=move || late.get().to_string()>"Saisies hors délai"</a></li>
        </ul>
        <Transition fallback=|| view! { <p>"Chargement des sessions…"</p> }>
            {move || Suspend::new(async move {
                let filter = if late.get_untracked() { "hors_delai=1" } else { "" };
                render(sessions.await, "/validation", filter, false)
            })}
        </Transition>
    }
}

/// `export`: the list offers « Exporter », its sessions under the same filters as a CSV file.
fn render(result: Result<SessionList, AppError>, base: &str, filter: &str, export: bool) -> AnyView {
    match result {
        Ok(list) => {
            view! { <SessionTable list=list base=base.to_owned() filter=filter.to_owned() export=export/> }.into_any()
        }
        Err(e) => view! { <ErrorAlert error=e/> }.into_any(),
    }
}

#[component]
fn SessionTable(list: SessionList, base: String, filter: String, export: bool) -> impl IntoView {
    let pages = list.pages();
    let page = list.page;
    let export_href = list_url(&format!("{base}/export.csv"), &filter, 1);
    view! {
        <div class="ceres-section-head">
            <p class="fr-h5" id="total-sessions">{count_fr(list.total, "session", "sessions")}</p>
            {(export && list.total > 0).then(|| view! {
                <a class="fr-btn fr-btn--secondary fr-btn--sm fr-btn--icon-left fr-icon-download-line" id="exporter-sessions"
                    href=export_href download="" rel="external">"Exporter"</a>
            })}
        </div>
        {if list.rows.is_empty() {
            view! { <p class="ceres-empty">"Aucune session."</p> }.into_any()
        } else {
            view! {
                <DsfrTable id="table-sessions" caption="Sessions" headers=&["Session", "Titre professionnel", "Site", "Début", "Statut", "Prochaine échéance"]>
                    {list.rows.into_iter().map(|s| view! {
                        <tr>
                            <td class="ceres-small">
                                <a href=format!("/sessions/{}", s.id)>{s.identifiant}</a>
                                {s.hors_delai.then(|| view! { <br/><span class="fr-badge fr-badge--warning fr-badge--sm">"Hors délai"</span> })}
                            </td>
                            <td class="fr-cell--multiline">
                                {s.titre_libelle}
                                <br/>
                                <span class="ceres-result__meta">{s.titre_code}</span>
                            </td>
                            <td class="fr-cell--multiline">
                                <a href=format!("/sites/{}", s.site_id)>{s.site_nom}</a>
                                <br/>
                                <span class="ceres-result__meta">{s.commune}</span>
                            </td>
                            <td class="ceres-nowrap">
                                {date_fr(s.date_debut)}
                                <br/>
                                <span class="ceres-result__meta">{format!("à {}", s.heure_debut)}</span>
                            </td>
                            <td><p class="fr-badge fr-badge--sm">{s.statut.label()}</p></td>
                            <td class="ceres-small fr-cell--multiline">{s.echeance.map(|e| {
                                let late = e.starts_with("Délai dépassé");
                                view! { <span class:ceres-late=late>{e}</span> }
                            })}</td>
                        </tr>
                    }).collect_view()}
                </DsfrTable>
            }.into_any()
        }}
        <ListPagination page=page pages=pages href=move |p| list_url(&base, &filter, p)/>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn list_urls_keep_the_filter_and_the_page() {
        assert_eq!(list_url("/sessions", "", 1), "/sessions");
        let f = FiltreSessions { statut: "validee".into(), titre: "plâtrier".into(), ..Default::default() };
        assert_eq!(list_url("/sessions", &f.query(), 1), "/sessions?statut=validee&titre=pl%C3%A2trier");
        assert_eq!(list_url("/sessions", &f.query(), 3), "/sessions?statut=validee&titre=pl%C3%A2trier&page=3");
        assert_eq!(list_url("/validation", "hors_delai=1", 2), "/validation?hors_delai=1&page=2");
        assert_eq!(
            list_url("/sessions/export.csv", &f.query(), 1),
            "/sessions/export.csv?statut=validee&titre=pl%C3%A2trier"
        );
        assert_eq!(page_param(Some("0".into())), 1);
        assert_eq!(page_param(Some("abc".into())), 1);
        assert_eq!(page_param(Some("4".into())), 4);
    }
}
