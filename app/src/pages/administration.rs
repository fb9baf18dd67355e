//! « /administration » (national administration): the titres professionnels referential.

use leptos::prelude::*;
use leptos_meta::Title;

use crate::api::list_titres;
use crate::components::blocks::{DsfrTable, ErrorAlert};
use crate::domain::format::{count_fr, date_fr};

#[component]
pub fn AdministrationPage() -> impl IntoView {
    let titres = Resource::new(|| (), |_| list_titres());
    view! {
        <Title text="Administration"/>
        <h1 class="fr-h2">"Administration"</h1>
        <ul class="fr-btns-group fr-btns-group--inline-md fr-mb-3w">
            <li><a class="fr-btn fr-btn--secondary" href="/administration/demandes-dte" id="lien-demandes-dte">"Demandes de DTE"</a></li>
            <li><a class="fr-btn fr-btn--secondary" href="/administration/regles">"Règles de délai"</a></li>
        </ul>
        <h2 class="fr-h4">"Référentiel des titres professionnels"</h2>
        <Suspense fallback=|| view! { <p>"Chargement du référentiel…"</p> }>
            {move || Suspend::new(async move {
                match titres.await {
                    Err(e) => view! { <ErrorAlert error=e/> }.into_any(),
                    Ok(list) => view! {
                        <p id="total-titres">{count_fr(list.len() as u64, "titre", "titres")}</p>
                        <DsfrTable id="table-titres" caption="Titres professionnels" headers=&["Code", "Intitulé", "Niveau", "Fin de validité", "CCP"]>
                            {list.into_iter().map(|t| view! {
                                <tr>
                                    <td class="ceres-nowrap">{t.code}</td>
                                    <td class="fr-cell--multiline">{t.libelle}</td>
                                    <td>{t.niveau}</td>
                                    <td>{date_fr(t.fin_validite)}</td>
                                    <td class="fr-cell--multiline">
                                        {if t.ccps.is_empty() {
                                            view! { <span class="ceres-empty">"—"</span> }.into_any()
                                        } else {
                                            view! { <ul class="ceres-ccps">{t.ccps.into_iter().map(|c| view! { <li>{c}</li> }).collect_view()}</ul> }.into_any()
                                        }}
                                    </td>
                                </tr>
                            }).collect_view()}
                        </DsfrTable>
                    }.into_any(),
                }
            })}
        </Suspense>
    }
}
