//! « /administration/demandes-dte » (national admin): the DTE requests by wanted delivery date, those still to ship
//! (« À expédier ») or all of them, 50 a page, with the CSV export of every request for the service that ships the
//! sealed envelopes.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

use crate::api::list_dte_requests;
use crate::components::blocks::{DsfrTable, ErrorAlert, ListPagination, page_param};
use crate::domain::format::{count_fr, date_fr};
use crate::dto::DteList;

const PATH: &str = "/administration/demandes-dte";

/// The list's URL: `toutes` for every request (otherwise those still to ship), page `page`.
fn list_url(toutes: bool, page: u64) -> String {
    match (toutes, page > 1) {
        (false, false) => PATH.to_owned(),
        (false, true) => format!("{PATH}?page={page}"),
        (true, false) => format!("{PATH}?toutes=1"),
        (true, true) => format!("{PATH}?toutes=1&page={page}"),
    }
}

#[component]
pub fn DemandesDtePage() -> impl IntoView {
    let query = use_query_map();
    let page = Memo::new(move |_| page_param(query.read().get("page")));
    let toutes = Memo::new(move |_| query.read().get("toutes").is_some_and(|v| v == "1"));
    let rows = Resource::new(move || (page.get(), toutes.get()), |(p, t)| list_dte_requests(Some(p), Some(t)));
    view! {
        <Title text="Demandes de DTE"/>
        <div class="ceres-section-head">
            <h1 class="fr-h2">"Demandes de DTE"</h1>
            <a class="fr-btn fr-btn--secondary fr-btn--icon-left fr-icon-download-line" id="exporter-dte"
                href="/administration/demandes-dte.csv" download="" rel="external">"Exporter toutes les demandes"</a>
        </div>
        <p>"Par date de réception des plis souhaitée : les plis à expédier en premier sont en haut."</p>
        <ul class="fr-btns-group fr-btns-group--inline-sm fr-btns-group--sm" id="periode-dte">
            <li><a class="fr-btn fr-btn--sm" class:fr-btn--secondary=move || toutes.get()
                href=list_url(false, 1) aria-current=move || (!toutes.get()).then_some("true")>"À expédier"</a></li>
            <li><a class="fr-btn fr-btn--sm" class:fr-btn--secondary=move || !toutes.get()
                href=list_url(true, 1) aria-current=move || toutes.get().then_some("true")>"Toutes les demandes"</a></li>
        </ul>
        <Transition fallback=|| view! { <p>"Chargement des demandes…"</p> }>
            {move || Suspend::new(async move {
                match rows.await {
                    Err(e) => view! { <ErrorAlert error=e/> }.into_any(),
                    Ok(list) => view! { <DteTable list=list/> }.into_any(),
                }
            })}
        </Transition>
    }
}

#[component]
fn DteTable(list: DteList) -> impl IntoView {
    let (page, pages, toutes) = (list.page, list.pages(), list.toutes);
    let total = if toutes {
        count_fr(list.total, "demande", "demandes")
    } else {
        count_fr(list.total, "demande à expédier", "demandes à expédier")
    };
    view! {
        <p class="fr-h5" id="total-dte">{total}</p>
        {if list.rows.is_empty() {
            let empty = if toutes { "Aucune demande de DTE." } else { "Aucune demande de DTE à expédier." };
            view! { <p class="ceres-empty">{empty}</p> }.into_any()
        } else {
            view! {
                <DsfrTable id="table-dte" caption="Demandes de DTE" headers=&["Réception des plis", "Session", "Titre", "Centre et site", "Début", "Candidats"]>
                    {list.rows.into_iter().map(|r| view! {
                        <tr>
                            <td class="ceres-nowrap">{date_fr(r.date_reception_plis)}</td>
                            <td class="ceres-small">
                                <a href=format!("/sessions/{}", r.session_id)>{r.identifiant}</a>
                                {r.hors_delai.then(|| view! { <br/><span class="fr-badge fr-badge--warning fr-badge--sm">"Hors délai"</span> })}
                            </td>
                            <td class="fr-cell--multiline">{r.titre}</td>
                            <td class="fr-cell--multiline">{r.centre}<br/><span class="ceres-result__meta">{format!("{} — {}", r.site, r.lieu)}</span></td>
                            <td class="ceres-nowrap">{date_fr(r.date_debut)}</td>
                            <td>{if r.nombre_candidats == 0 { "0 (matériel déjà pris en charge)".to_owned() } else { r.nombre_candidats.to_string() }}</td>
                        </tr>
                    }).collect_view()}
                </DsfrTable>
            }.into_any()
        }}
        <ListPagination page=page pages=pages href=move |p| list_url(toutes, p)/>
    }
}

#[cfg(test)]
mod tests {
    use super::list_url;

    #[test]
    fn list_urls_keep_the_period_and_the_page() {
        assert_eq!(list_url(false, 1), "/administration/demandes-dte");
        assert_eq!(list_url(false, 3), "/administration/demandes-dte?page=3");
        assert_eq!(list_url(true, 1), "/administration/demandes-dte?toutes=1");
        assert_eq!(list_url(true, 2), "/administration/demandes-dte?toutes=1&page=2");
    }
}
