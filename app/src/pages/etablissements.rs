//! « /etablissements »: instant search over all centres and sites, with facets. The URL holds the whole state
//! (`domain::recherche`); the server renders it, and once hydrated every keystroke (debounced), facet click, scope
//! or sort change writes a new URL and the results follow it without a page load. Without JavaScript the page is
//! one GET form and its links, giving the same pages.

use std::time::Duration;

use leptos::prelude::*;
use leptos::suspense::Unsuspend;
use leptos_meta::Title;
use leptos_router::NavigateOptions;
use leptos_router::hooks::{use_navigate, use_query_map};

use crate::api::search_etablissements;
use crate::components::blocks::ErrorAlert;
use crate::components::registration::RegisterCentreButton;
use crate::domain::format::{count_fr, number_fr};
use crate::domain::recherche::{PAGE, Portee, Recherche, Tri, VOIR_MAX, VOIR_PLUS};
use crate::dto::{Facet, SearchResults};

/// Wait between the last keystroke and the search: it merges input events that come together (an input method
/// composing, a script filling the box), not human keystrokes, which are further apart than any wait short enough
/// for results to follow each key (the product asks for at most 150 ms; the performance target is 50 ms from key
/// to results, measured by end2end/examples/bench_keystrokes.rs: 15 ms of it went here until 30/11/2026).
const DEBOUNCE: Duration = Duration::from_millis(5);
const PATH: &str = "/etablissements";

#[component]
pub fn Etablissements() -> impl IntoView {
    let query = use_query_map();
    let recherche = Memo::new(move |_| {
        let params = query.read();
        Recherche::from_params(|name| params.get_all(name).unwrap_or_default())
    });
    let results = Resource::new(move || recherche.read().query_string(), |q| Box::pin(search_etablissements(q)));

    let navigate = use_navigate();
    // Typing replaces the current history entry; choosing a filter, scope or sort adds one (back undoes it).
    let go: Go = Callback::new(move |(next, replace): (Recherche, bool)| {
        navigate(&next.url(PATH), NavigateOptions { replace, scroll: false, ..Default::default() })
    });
    let on_input = {
        let mut debounced = leptos::leptos_dom::helpers::debounce(DEBOUNCE, move |text: String| {
            go.run((recherche.get_untracked().with_query(text.trim()), true))
        });
        move |ev| debounced(event_target_value(&ev))
    };
    let input_ref = NodeRef::<leptos::html::Input>::new();
    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if let Some(input) = input_ref.get() {
            go.run((recherche.get_untracked().with_query(input.value().trim()), false));
        }
    };
    // Back and forward change the URL under the box: show its query, unless the user is typing in it.
    Effect::new(move |_| {
        let q = recherche.read().q.clone();
        if let Some(input) = input_ref.get() {
            let focused = document().active_element().is_some_and(|el| {
                let el: &web_sys::Element = &el;
                let input: &web_sys::Element = &input;
                el == input
            });
            if !focused && input.value() != q {
                input.set_value(&q);
            }
        }
    });

    // « Enregistrer un centre » for those who may; `?enregistrer=SIRET` (from the transfer dialog) opens it filled in.
    let user = expect_context::<crate::UserResource>();
    let prefilled = query.read_untracked().get("enregistrer");
    let register = move || {
        let prefilled = prefilled.clone();
        Suspend::new(async move {
            let allowed = matches!(user.await, Ok(Some(u)) if crate::auth::is_allowed(Some(&u), &crate::auth::Action::RegisterCentre));
            allowed.then(|| Unsuspend::new(move || view! { <RegisterCentreButton initial_siret=prefilled/> }))
        })
    };

    view! {
        <Title text="Établissements"/>
        <div class="ceres-section-head">
            <h1 class="fr-h2">"Établissements"</h1>
            <Suspense fallback=|| ()>{register}</Suspense>
        </div>
        <form method="get" action=PATH role="search" id="recherche" on:submit=on_submit>
            <div class="fr-search-bar fr-search-bar--lg fr-mb-3w">
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
                    value=move || recherche.with_untracked(|r| r.q.clone())
                    on:input=on_input
                />
                <button class="fr-btn" type="submit" title="Rechercher">"Rechercher"</button>
            </div>
            <Transition fallback=|| view! { <p>"Recherche en cours…"</p> }>
                {move || Suspend::new(async move {
                    match results.await {
                        // Built when rendered, not also when the server walks the page for resource reads
                        // (Results reads none): the server built it twice per page before.
                        Ok(r) => Unsuspend::new(move || view! { <Results results=r go=go/> }).into_any(),
                        Err(e) => view! { <ErrorAlert error=e/> }.into_any(),
                    }
                })}
            </Transition>
        </form>
    }
}

/// Moves to another search state (`true`: replacing the current history entry).
type Go = Callback<(Recherche, bool)>;

#[component]
fn Results(results: SearchResults, go: Go) -> impl IntoView {
    let r = results.recherche.clone();
    let total = results.total();
    let on_tri = {
        let r = r.clone();
        move |ev| {
            let tri =
                if event_target_value(&ev) == Tri::Alphabetique.code() { Tri::Alphabetique } else { Tri::Pertinence };
            go.run((r.with_tri(tri), false));
        }
    };
    let filtered = !r.filtres.is_empty();
    view! {
        <div class="fr-grid-row fr-grid-row--gutters">
            <div class="fr-col-12 fr-col-md-4 fr-col-lg-3 ceres-facets-col">
                <div class="ceres-facets" id="facettes">
                    <p class="fr-h6 fr-mb-2w">"Filtrer"</p>
                    {filtered.then(|| view! {
                        <p><a href=r.without_filters().url(PATH) class="fr-link fr-icon-close-line fr-link--icon-left" id="effacer-filtres">"Effacer les filtres"</a></p>
                    })}
                    {results.facets.into_iter().filter(|f| !f.values.is_empty()).map(|f| view! {
                        <FacetBlock facet=f recherche=r.clone() go=go/>
                    }).collect_view()}
                    <button class="fr-btn fr-btn--secondary fr-btn--sm" type="submit" id="appliquer">"Appliquer les filtres"</button>
                </div>
            </div>
            <div class="fr-col-12 fr-col-md-8 fr-col-lg-9">
                // On a phone the filters come after the results; this link leads to them.
                <p class="fr-hidden-md fr-mb-1w"><a class="fr-link fr-icon-filter-line fr-link--icon-left" href="#facettes" rel="external">"Filtrer les résultats"</a></p>
                <Scope recherche=r.clone() centres=results.centres_total sites=results.sites_total go=go/>
                <div class="ceres-results-head">
                    <p class="fr-h4 fr-mb-0" id="total" aria-live="polite">{count_fr(total, "résultat", "résultats")}</p>
                    <div class="ceres-results-tools">
                        <div class="fr-select-group fr-mb-0">
                            <label class="fr-label" for="tri">"Trier par"</label>
                            <select class="fr-select" id="tri" name="tri" on:change=on_tri>
                                <option value=Tri::Pertinence.code() selected=r.tri == Tri::Pertinence>"Pertinence"</option>
                                <option value=Tri::Alphabetique.code() selected=r.tri == Tri::Alphabetique>"A–Z"</option>
                            </select>
                        </div>
                        <a
                            class="fr-btn fr-btn--secondary fr-btn--icon-left fr-icon-download-line"
                            id="exporter"
                            href=r.url("/etablissements/export.csv")
                            download=""
                            rel="external"
                        >"Exporter"</a>
                    </div>
                </div>
                {match r.portee {
                    Portee::Tout => view! {
                        <CentreGroup results=results.centres total=results.centres_total recherche=r.clone()/>
                        <SiteGroup results=results.sites total=results.sites_total recherche=r.clone()/>
                    }.into_any(),
                    Portee::Centres => view! {
                        <CentreGroup results=results.centres total=results.centres_total recherche=r.clone()/>
                        <Pagination recherche=r.clone() total=results.centres_total/>
                    }.into_any(),
                    Portee::Sites => view! {
                        <SiteGroup results=results.sites total=results.sites_total recherche=r.clone()/>
                        <Pagination recherche=r.clone() total=results.sites_total/>
                    }.into_any(),
                }}
            </div>
        </div>
    }
    .into_any()
}

/// « Type de résultat »: Tout | Centres | Sites, each with its count.
#[component]
fn Scope(recherche: Recherche, centres: u64, sites: u64, go: Go) -> impl IntoView {
    let options = Portee::ALL.map(|p| {
        let count = match p {
            Portee::Tout => centres + sites,
            Portee::Centres => centres,
            Portee::Sites => sites,
        };
        let next = recherche.with_portee(p);
        let on_change = move |_| go.run((next.clone(), false));
        let id = format!("portee-{}", p.code());
        view! {
            <div class="fr-segmented__element">
                <input value=p.code() type="radio" id=id.clone() name="portee" checked=recherche.portee == p on:change=on_change/>
                <label class="fr-label" for=id>{format!("{} ({})", p.label(), number_fr(count))}</label>
            </div>
        }
    });
    view! {
        <fieldset class="fr-segmented fr-segmented--sm fr-mb-2w" id="portee">
            <legend class="fr-segmented__legend">"Type de résultat"</legend>
            <div class="fr-segmented__elements">{options.into_iter().collect_view()}</div>
        </fieldset>
    }
}

/// A facet: its values with their counts, then « Afficher N de plus » when the search left some out. That link opens
/// the facet (`ouvrir=` in the URL): in place once hydrated (the URL is replaced, the search runs again), by
/// following it without JavaScript.
#[component]
fn FacetBlock(facet: Facet, recherche: Recherche, go: Go) -> impl IntoView {
    let key = facet.key;
    let param = key.param();
    let opened = recherche.with_open(key);
    let more_href = opened.url(PATH);
    let open = move |ev: leptos::ev::MouseEvent| {
        ev.prevent_default();
        go.run((opened.clone(), true));
    };
    // The next search is worked out on the click, not for each of the (up to hundreds of) values at render: the
    // profile of the search page (scripts/profile.sh) showed it there.
    let recherche = StoredValue::new(recherche);
    let item = move |v: crate::dto::FacetValue| {
        let id = format!("{param}-{}", v.value);
        let value = v.value.clone();
        let on_change = move |_| go.run((recherche.with_value(|r| r.toggled(key, &value)), false));
        view! {
            <div class="fr-fieldset__element fr-mb-1v">
                <div class="fr-checkbox-group fr-checkbox-group--sm">
                    <input type="checkbox" id=id.clone() name=param value=v.value checked=v.selected on:change=on_change/>
                    <label class="fr-label" for=id>
                        {v.label}
                        <span class="ceres-count">{format!(" ({})", number_fr(v.count))}</span>
                    </label>
                </div>
            </div>
        }
    };
    let more = (facet.autres > 0).then(|| {
        view! {
            <a class="fr-link fr-text--sm ceres-facet__more" id=format!("plus-{param}") href=more_href on:click=open>
                {format!("Afficher {} de plus", number_fr(u64::from(facet.autres)))}
            </a>
        }
    });
    view! {
        <fieldset class="fr-fieldset ceres-facet" id=format!("facette-{param}")>
            <legend class="fr-fieldset__legend fr-text--bold fr-pb-1w">{key.label()}</legend>
            {facet.values.into_iter().map(item).collect_view()}
            {more}
        </fieldset>
    }
}

/// « VOIR PLUS » and « VOIR TOUT » under a group of the « Tout » view.
fn more_links(recherche: &Recherche, total: u64, shown: usize, portee: Portee) -> impl IntoView + use<> {
    let (voir, id) = match portee {
        Portee::Sites => (recherche.voir_sites, "sites"),
        _ => (recherche.voir_centres, "centres"),
    };
    (recherche.portee == Portee::Tout && total > shown as u64).then(|| {
        let mut plus = recherche.clone();
        let next = (voir + VOIR_PLUS).min(VOIR_MAX);
        match portee {
            Portee::Sites => plus.voir_sites = next,
            _ => plus.voir_centres = next,
        }
        let plus_link = (voir < VOIR_MAX).then(|| {
            view! { <li><a href=plus.url(PATH) class="fr-btn fr-btn--tertiary fr-btn--sm" id=format!("voir-plus-{id}")>"VOIR PLUS"</a></li> }
        });
        view! {
            <ul class="fr-btns-group fr-btns-group--inline-sm fr-btns-group--sm fr-mt-1w">
                {plus_link}
                <li><a href=recherche.with_portee(portee).url(PATH) class="fr-btn fr-btn--secondary fr-btn--sm" id=format!("voir-tout-{id}")>"VOIR TOUT"</a></li>
            </ul>
        }
    })
}

/// One result row: link, title and two lines of detail.
struct Hit {
    href: String,
    title: String,
    meta: [String; 2],
}

#[component]
fn CentreGroup(results: Vec<crate::dto::CentreHit>, total: u64, recherche: Recherche) -> impl IntoView {
    let hits = results
        .into_iter()
        .map(|c| Hit { href: format!("/centres/{}", c.id), title: c.raison_sociale, meta: [c.siret, c.commune] })
        .collect();
    view! { <Group portee=Portee::Centres hits=hits total=total recherche=recherche/> }
}

#[component]
fn SiteGroup(results: Vec<crate::dto::SiteHit>, total: u64, recherche: Recherche) -> impl IntoView {
    let hits = results
        .into_iter()
        .map(|s| Hit { href: format!("/sites/{}", s.id), title: s.nom, meta: [s.centre_raison_sociale, s.commune] })
        .collect();
    view! { <Group portee=Portee::Sites hits=hits total=total recherche=recherche/> }
}

/// The results of one type: heading with the count, the rows, « VOIR PLUS » / « VOIR TOUT ».
#[component]
fn Group(portee: Portee, hits: Vec<Hit>, total: u64, recherche: Recherche) -> impl IntoView {
    let (id, heading, empty) = match portee {
        Portee::Sites => ("sites", "Sites", "Aucun site ne correspond à cette recherche."),
        _ => ("centres", "Centres", "Aucun centre ne correspond à cette recherche."),
    };
    let shown = hits.len();
    view! {
        <section class="fr-mb-4w" aria-labelledby=format!("titre-{id}")>
            <h2 class="fr-h5 fr-mb-1w" id=format!("titre-{id}")>{format!("{heading} ({})", number_fr(total))}</h2>
            <ul class="ceres-results" id=format!("resultats-{id}")>
                {hits.into_iter().map(|h| view! {
                    <li class="ceres-result">
                        <a href=h.href class="ceres-result__link">
                            <span class="ceres-result__title">{h.title}</span>
                            {h.meta.map(|m| view! { <span class="ceres-result__meta">{m}</span> })}
                        </a>
                    </li>
                }).collect_view()}
            </ul>
            {(total == 0).then(|| view! { <p class="fr-text--sm ceres-empty">{empty}</p> })}
            {more_links(&recherche, total, shown, portee)}
        </section>
    }
}

/// DSFR pagination of the « Centres » or « Sites » view: first, previous, a window around the page, next, last.
#[component]
fn Pagination(recherche: Recherche, total: u64) -> impl IntoView {
    let pages = total.div_ceil(u64::from(PAGE)).max(1) as u32;
    let current = recherche.page.min(pages);
    let link = move |page: u32, label: String, class: &'static str, id: String| {
        let url = recherche.with_page(page).url(PATH);
        let here = page == current;
        view! {
            <li>
                <a href=url class=format!("fr-pagination__link {class}") id=id aria-current=here.then_some("page") title=format!("Page {page}")>
                    {label}
                </a>
            </li>
        }
    };
    let window: Vec<u32> = (current.saturating_sub(2).max(1)..=(current + 2).min(pages)).collect();
    (pages > 1).then(|| {
        view! {
            <nav role="navigation" class="fr-pagination" aria-label="Pagination" id="pagination">
                <ul class="fr-pagination__list">
                    {(current > 1).then(|| link.clone()(1, "Première page".into(), "fr-pagination__link--first", "page-premiere".into()))}
                    {(current > 1).then(|| link.clone()(current - 1, "Page précédente".into(), "fr-pagination__link--prev fr-pagination__link--lg-label", "page-precedente".into()))}
                    {window.into_iter().map(|p| link.clone()(p, p.to_string(), "", format!("page-{p}"))).collect_view()}
                    {(current < pages).then(|| link.clone()(current + 1, "Page suivante".into(), "fr-pagination__link--next fr-pagination__link--lg-label", "page-suivante".into()))}
                    {(current < pages).then(|| link.clone()(pages, "Dernière page".into(), "fr-pagination__link--last", "page-derniere".into()))}
                </ul>
            </nav>
        }
    })
}
