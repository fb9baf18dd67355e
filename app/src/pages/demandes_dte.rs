//! « /administration/demandes-dte » (national admin): every DTE request by wanted delivery date, with its CSV export
//! for the service that ships the sealed envelopes.

use leptos::prelude::*;
use leptos_meta::Title;

use crate::api::list_dte_requests;
use crate::components::blocks::{DsfrTable, ErrorAlert};
use crate::domain::format::{count_fr, date_fr};

#[component]
pub fn DemandesDtePage() -> impl IntoView {
    let rows = Resource::new(|| (), |_| list_dte_requests());
    view! {
        <Title text="Demandes de DTE"/>
        <div class="ceres-section-head">
            <h1 class="fr-h2">"Demandes de DTE"</h1>
            <a class="fr-btn fr-btn--secondary fr-btn--icon-left fr-icon-download-line" id="exporter-dte"
                href="/administration/demandes-dte.csv" download="" rel="external">"Exporter"</a>
        </div>
        <p>"Par date de réception des plis souhaitée : les plis à expédier en premier sont en haut."</p>
        <Suspense fallback=|| view! { <p>"Chargement des demandes…"</p> }>
            {move || Suspend::new(async move {
                match rows.await {
                    Err(e) => view! { <ErrorAlert error=e/> }.into_any(),
                    Ok(list) => view! {
                        <p id="total-dte">{count_fr(list.len() as u64, "demande", "demandes")}</p>
                        <DsfrTable id="table-dte" caption="Demandes de DTE" headers=&["Réception des plis", "Session", "Titre", "Centre et site", "Début", "Candidats"]>
                            {list.into_iter().map(|r| view! {
                                <tr>
                                    <td class="ceres-nowrap">{date_fr(r.date_reception_plis)}</td>
                                    <td class="ceres-small">
                                        <a href=format!("/sessions/{}", r.session_id)>{r.identifiant}</a>
                                        {r.hors_delai.then(|| view! { <br/><span class="fr-badge fr-badge--warning fr-badge--sm">"Hors délai"</span> })}
                                    </td>
                                    <td>{r.titre}</td>
                                    <td>{r.centre}<br/><span class="ceres-result__meta">{format!("{} — {}", r.site, r.lieu)}</span></td>
                                    <td class="ceres-nowrap">{date_fr(r.date_debut)}</td>
                                    <td>{if r.nombre_candidats == 0 { "0 (matériel déjà pris en charge)".to_owned() } else { r.nombre_candidats.to_string() }}</td>
                                </tr>
                            }).collect_view()}
                        </DsfrTable>
                    }.into_any(),
                }
            })}
        </Suspense>
    }
}
