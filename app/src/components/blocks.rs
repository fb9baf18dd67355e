//! Small views used on several pages: labelled value lists, alerts, the « Représentant » block, agrément rows.

use leptos::prelude::*;

use crate::dto::AgrementRow;
use crate::error::AppError;

/// A label and its value, « — » when empty.
#[component]
pub fn Field(label: &'static str, value: Option<String>) -> impl IntoView {
    let value = value.filter(|v| !v.trim().is_empty());
    let empty = value.is_none();
    view! {
        <div class="ceres-field">
            <dt class="ceres-field__label">{label}</dt>
            <dd class="ceres-field__value" class:ceres-field__value--empty=empty>
                {value.unwrap_or_else(|| "—".to_string())}
            </dd>
        </div>
    }
}

/// An error as the user should read it, with the way out.
#[component]
pub fn ErrorAlert(error: AppError) -> impl IntoView {
    let login = matches!(error, AppError::NonConnecte);
    view! {
        <div class="fr-alert fr-alert--error fr-mb-3w" role="alert">
            <p>{error.to_string()}</p>
            {login.then(|| view! { <p><a class="fr-link" href="/connexion">"Se connecter"</a></p> })}
        </div>
    }
}

/// A page-level message for something that does not exist.
#[component]
pub fn NotFoundAlert(title: String, message: String) -> impl IntoView {
    #[cfg(feature = "ssr")]
    if let Some(res) = use_context::<leptos_axum::ResponseOptions>() {
        res.set_status(axum::http::StatusCode::NOT_FOUND);
    }
    view! {
        <div class="fr-alert fr-alert--warning fr-mb-3w" role="alert">
            <h1 class="fr-alert__title">{title}</h1>
            <p>{message}</p>
            <p><a class="fr-link" href="/">"Revenir à l'accueil"</a></p>
        </div>
    }
}

/// The agréments list of the support note: title, end of the title's validity, status sentence.
#[component]
pub fn AgrementList(agrements: Vec<AgrementRow>, #[prop(optional)] show_site: bool) -> impl IntoView {
    if agrements.is_empty() {
        return view! { <p class="ceres-empty">"Aucun agrément."</p> }.into_any();
    }
    view! {
        <ul class="ceres-agrements" id="agrements">
            {agrements
                .into_iter()
                .map(|a| {
                    let active = a.is_active();
                    let label = a.statut_label();
                    let icon = if active { "fr-icon-check-line" } else { "fr-icon-close-circle-line" };
                    view! {
                        <li class="ceres-agrement" class:ceres-agrement--ended=!active>
                            <span class=format!("ceres-agrement__icon {icon}") aria-hidden="true"></span>
                            <span class="ceres-agrement__titre">
                                <span class="ceres-agrement__code">{a.titre_code.clone()}</span>
                                " "
                                {a.titre_libelle.clone()}
                                {show_site.then(|| view! { <span class="ceres-agrement__site">{a.site_nom.clone()}</span> })}
                            </span>
                            <span class="ceres-agrement__statut">{label}</span>
                        </li>
                    }
                })
                .collect_view()}
        </ul>
    }
    .into_any()
}

/// A DSFR table: the wrappers the design system expects, a caption for screen readers, column headers, and the
/// rows given as children (a `<tr>` each).
#[component]
pub fn DsfrTable(
    id: &'static str,
    caption: &'static str,
    headers: &'static [&'static str],
    children: Children,
) -> impl IntoView {
    view! {
        <div class="fr-table fr-table--no-caption" id=id>
            <div class="fr-table__wrapper">
                <div class="fr-table__container">
                    <div class="fr-table__content">
                        <table>
                            <caption>{caption}</caption>
                            <thead>
                                <tr>{headers.iter().map(|h| view! { <th scope="col">{*h}</th> }).collect_view()}</tr>
                            </thead>
                            <tbody>{children()}</tbody>
                        </table>
                    </div>
                </div>
            </div>
        </div>
    }
}

/// A list's page number from its URL's `page` parameter: 1 when it is missing, not a number or 0.
pub fn page_param(raw: Option<String>) -> u64 {
    raw.and_then(|p| p.parse::<u64>().ok()).filter(|p| *p >= 1).unwrap_or(1)
}

/// The DSFR pagination under a list of `pages` pages: « Page précédente », « Page N sur M », « Page suivante », the
/// links given by `href` (a page number's URL); nothing when the list fits on one page.
#[component]
pub fn ListPagination(page: u64, pages: u64, href: impl Fn(u64) -> String + 'static) -> impl IntoView {
    let prev = (page > 1).then(|| href(page - 1));
    let next = (page < pages).then(|| href(page + 1));
    (pages > 1).then(|| {
        view! {
            <nav role="navigation" class="fr-pagination" aria-label="Pagination">
                <ul class="fr-pagination__list">
                    <li>{match prev {
                        Some(href) => view! { <a href=href class="fr-pagination__link fr-pagination__link--prev fr-pagination__link--lg-label">"Page précédente"</a> }.into_any(),
                        None => view! { <a class="fr-pagination__link fr-pagination__link--prev fr-pagination__link--lg-label" aria-disabled="true" role="link">"Page précédente"</a> }.into_any(),
                    }}</li>
                    <li><a class="fr-pagination__link" aria-current="page">{format!("Page {page} sur {pages}")}</a></li>
                    <li>{match next {
                        Some(href) => view! { <a href=href class="fr-pagination__link fr-pagination__link--next fr-pagination__link--lg-label">"Page suivante"</a> }.into_any(),
                        None => view! { <a class="fr-pagination__link fr-pagination__link--next fr-pagination__link--lg-label" aria-disabled="true" role="link">"Page suivante"</a> }.into_any(),
                    }}</li>
                </ul>
            </nav>
        }
    })
}

/// What a page loaded by the id in its URL shows when there is nothing to show: the id was not a number, no such
/// object exists, or the server refused.
pub fn missing_object_view(
    kind: &'static str,
    path: &'static str,
    id: Result<i32, String>,
    error: Option<AppError>,
) -> AnyView {
    use leptos_meta::Title;
    let title = format!("{kind} introuvable");
    match (error, id) {
        (Some(e), _) => view! { <ErrorAlert error=e/> }.into_any(),
        (None, Err(raw)) => view! {
            <Title text=title.clone()/>
            <NotFoundAlert title=title message=format!(
                "« {raw} » n'est pas un identifiant de {} : l'adresse doit se terminer par un nombre, comme {path}/12.",
                kind.to_lowercase()
            )/>
        }
        .into_any(),
        (None, Ok(id)) => view! {
            <Title text=title.clone()/>
            <NotFoundAlert title=title message=if kind == "Session" {
                format!("Aucune session ne porte l'identifiant {id}. Retrouvez-la depuis « Sessions ».")
            } else {
                format!("Aucun {} ne porte l'identifiant {id}. Recherchez-le depuis « Établissements ».", kind.to_lowercase())
            }/>
        }
        .into_any(),
    }
}

/// A DSFR modal dialog, opened and closed from Rust (the DSFR's own script is not loaded): the frame, the « Fermer »
/// button, and the content given as children.
#[component]
pub fn Modal(
    id: &'static str,
    labelledby: &'static str,
    #[prop(into)] on_close: Callback<()>,
    children: Children,
) -> impl IntoView {
    view! {
        <div class="fr-modal fr-modal--opened ceres-modal" role="dialog" aria-modal="true" aria-labelledby=labelledby id=id>
            <div class="fr-container fr-container--fluid fr-container-md">
                <div class="fr-grid-row fr-grid-row--center">
                    <div class="fr-col-12 fr-col-md-10 fr-col-lg-8">
                        <div class="fr-modal__body">
                            <div class="fr-modal__header">
                                <button class="fr-btn--close fr-btn" title="Fermer" on:click=move |_| on_close.run(())>"Fermer"</button>
                            </div>
                            {children()}
                        </div>
                    </div>
                </div>
            </div>
        </div>
    }
}
