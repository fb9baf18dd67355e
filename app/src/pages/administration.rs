//! « /administration » (national administration): the titres professionnels referential.

use leptos::prelude::*;
use leptos_meta::Title;

use crate::api::list_titres;
use crate::components::blocks::ErrorAlert;
use crate::domain::format::{count_fr, date_fr};

#[component]
pub fn AdministrationPage() -> impl IntoView {
    let titres = Resource::new(|| (), |_| list_titres());
    view! {
        <Title text="Administration"/>
        <h1 class="fr-h2">"Administration"</h1>
        <h2 class="fr-h4">"Référentiel des titres professionnels"</h2>
        <Suspense fallback=|| view! { <p>"Chargement du référentiel…"</p> }>
            {move || Suspend::new(async move {
                match titres.await {
                    Err(e) => view! { <ErrorAlert error=e/> }.into_any(),
                    Ok(list) => view! {
                        <p id="total-titres">{count_fr(list.len() as u64, "titre", "titres")}</p>
                        <div class="fr-table fr-table--no-caption" id="table-titres">
                            <div class="fr-table__wrapper">
                                <div class="fr-table__container">
                                    <div class="fr-table__content">
                                        <table>
                                            <caption>"Titres professionnels"</caption>
                                            <thead>
                                                <tr>
                                                    <th scope="col">"Code"</th>
                                                    <th scope="col">"Intitulé"</th>
                                                    <th scope="col">"Niveau"</th>
                                                    <th scope="col">"Fin de validité"</th>
                                                    <th scope="col">"CCP"</th>
                                                </tr>
                                            </thead>
                                            <tbody>
                                                {list.into_iter().map(|t| view! {
                                                    <tr>
                                                        <td class="ceres-nowrap">{t.code}</td>
                                                        <td>{t.libelle}</td>
                                                        <td>{t.niveau}</td>
                                                        <td>{date_fr(t.fin_validite)}</td>
                                                        <td>
                                                            {if t.ccps.is_empty() {
                                                                view! { <span class="ceres-empty">"—"</span> }.into_any()
                                                            } else {
                                                                view! { <ul class="ceres-ccps">{t.ccps.into_iter().map(|c| view! { <li>{c}</li> }).collect_view()}</ul> }.into_any()
                                                            }}
                                                        </td>
                                                    </tr>
                                                }).collect_view()}
                                            </tbody>
                                        </table>
                                    </div>
                                </div>
                            </div>
                        </div>
                    }.into_any(),
                }
            })}
        </Suspense>
    }
}
