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
use wasm_bindgen::JsCast;

use crate::api::search_etablissements;
use crate::components::blocks::ErrorAlert;
use crate::components::registration::RegisterCentreButton;
use crate::domain::format::{count_fr, number_fr};
use crate::domain::html::Html;
use crate::domain::recherche::{FACETTE_VISIBLES, FacetKey, PAGE, Portee, Recherche, Tri, VOIR_MAX, VOIR_PLUS};
use crate::dto::{Facet, SearchResults};

/// Wait between the last keystroke and the search: it merges input events that come together (an input method
/// composing, a script filling the box), not human keystrokes, which are further apart than any wait short enough
/// for results to follow each key (the product asks for at most 150 ms; the performance target is 50 ms from key
/// to results, measured by end2end/examples/bench/keystrokes.rs: 15 ms of it went here until 30/11/2026).
const DEBOUNCE: Duration = Duration::from_millis(5);
const PATH: &str = "/etablissements";

#[component]
pub fn Etablissements() -> impl IntoView {
    let query = use_query_map();
    let recherche = Memo::new(move |_| {
        let params = query.read();
        Recherche::from_params(|name| params.get_all(name).unwrap_or_default())
    });
    let results = Resource::new(
        move || recherche.read().query_string(),
        |q| Box::pin(async move { search_etablissements(q).await.map(Searched::Found) }),
    );

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

    // The number of results is announced to screen readers when it changes: the results are replaced whole
    // (`Results`), so the live region stays outside them. Not at the page's load (the heading says it).
    let announce = RwSignal::new(String::new());
    Effect::new(move |first: Option<()>| {
        if let Some(Ok(Searched::Found(r))) = results.read().as_ref()
            && first.is_some()
        {
            announce.set(count_fr(r.total(), "résultat", "résultats"));
        }
    });

    // What gets the keyboard's focus back once the results that a control asked for have replaced it.
    let refocus = StoredValue::new(None::<Refocus>);

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
            <p class="fr-sr-only" aria-live="polite" id="annonce-total">{move || announce.get()}</p>
            <Transition fallback=|| view! { <p>"Recherche en cours…"</p> }>
                {move || Suspend::new(async move {
                    match results.await {
                        // Built when rendered, not also when the server walks the page for resource reads
                        // (Results reads none): the server built it twice per page before.
                        Ok(s) => Unsuspend::new(move || view! { <Results searched=s go=go refocus=refocus/> }).into_any(),
                        Err(e) => view! { <ErrorAlert error=e/> }.into_any(),
                    }
                })}
            </Transition>
        </form>
    }
}

/// Moves to another search state (`true`: replacing the current history entry).
type Go = Callback<(Recherche, bool)>;

/// What the results' resource holds: on the server and after each search in the browser, the results (`Found`);
/// in the browser just hydrated, only the search they answer (`Shown`). The results are already in the page's HTML,
/// which hydration keeps (an `inner_html` rendered by the server is not written again), so the hydration data
/// carries the search alone: the results a second time, as data, were 4 KB of each page and 8 % of the server's
/// work for it (BENCHMARKS.md, « Sixth round »).
#[derive(Clone)]
enum Searched {
    Found(SearchResults),
    Shown(Recherche),
}

impl Searched {
    fn recherche(&self) -> &Recherche {
        match self {
            Searched::Found(r) => &r.recherche,
            Searched::Shown(r) => r,
        }
    }
}

/// Only the search goes into the hydration data (the resource's value is serialized for nothing else).
impl serde::Serialize for Searched {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        self.recherche().serialize(serializer)
    }
}

impl<'de> serde::Deserialize<'de> for Searched {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        Recherche::deserialize(deserializer).map(Searched::Shown)
    }
}

/// Facets, scope, sort and results: one HTML string (`results_html`), which the server writes into the page and
/// the browser parses natively at each search, instead of a view tree built node by node (13–15 ms per keystroke
/// in both browsers, and most of the server's cost for the page: BENCHMARKS.md). Its controls are listened to
/// here, once: a facet, scope or sort change, and « Afficher N de plus ».
#[component]
fn Results(searched: Searched, go: Go, refocus: StoredValue<Option<Refocus>>) -> impl IntoView {
    // Just hydrated, the results are the server's markup, kept as it is: nothing to write.
    let html = match &searched {
        Searched::Found(results) => results_html(results),
        Searched::Shown(_) => String::new(),
    };
    let recherche = StoredValue::new(searched.recherche().clone());
    let on_change = move |ev: leptos::ev::Event| {
        let Some(control) = ev.target().and_then(|t| t.dyn_into::<web_sys::Element>().ok()) else { return };
        let name = control.get_attribute("name").unwrap_or_default();
        let value = event_target_value(&ev);
        if let Some(next) = recherche.with_value(|r| changed(r, &name, &value)) {
            refocus.set_value(Some(Refocus::Control(control.id())));
            go.run((next, false));
        }
    };
    let on_click = move |ev: leptos::ev::MouseEvent| {
        let Some(target) = ev.target().and_then(|t| t.dyn_into::<web_sys::Element>().ok()) else { return };
        let Some(link) = target.closest(".ceres-facet__more").ok().flatten() else { return };
        let Some(key) = link.id().strip_prefix("plus-").and_then(FacetKey::from_param) else { return };
        ev.prevent_default();
        refocus.set_value(Some(Refocus::FirstNewValue(key)));
        go.run((recherche.with_value(|r| r.with_open(key)), true));
    };
    // The markup replaced, the focus is on the page's body: back to the control used (its new self), or to the
    // first value a facet showed. Not when the user has gone elsewhere meanwhile (the search box).
    Effect::new(move |_| {
        let Some(target) = refocus.try_update_value(Option::take).flatten() else { return };
        let document = document();
        if document.active_element().is_some_and(|el| el.tag_name() != "BODY") {
            return;
        }
        let element = match target {
            Refocus::Control(id) => document.get_element_by_id(&id),
            Refocus::FirstNewValue(key) => {
                let css = format!(
                    "#facette-{} .fr-fieldset__element:nth-of-type({}) input",
                    key.param(),
                    FACETTE_VISIBLES + 1
                );
                document.query_selector(&css).ok().flatten()
            }
        };
        if let Some(element) = element.and_then(|el| el.dyn_into::<web_sys::HtmlElement>().ok()) {
            let _ = element.focus();
        }
    });
    view! { <div class="fr-grid-row fr-grid-row--gutters" inner_html=html on:change=on_change on:click=on_click></div> }
}

/// Where the focus goes once new results are in: the control with this id, or the first value a facet showed.
enum Refocus {
    Control(String),
    FirstNewValue(FacetKey),
}

/// The search that follows a change of the control `name` to `value` (a facet checkbox, « Type de résultat », the
/// sort); `None` for any other control.
fn changed(recherche: &Recherche, name: &str, value: &str) -> Option<Recherche> {
    match name {
        "tri" => Some(recherche.with_tri(Tri::parse(value))),
        "portee" => Portee::parse(value).map(|p| recherche.with_portee(p)),
        _ => FacetKey::from_param(name).map(|key| recherche.toggled(key, value)),
    }
}

/// The markup of `Results`, the same on the server and in the browser.
fn results_html(results: &SearchResults) -> String {
    let r = &results.recherche;
    let mut h = Html::with_capacity(16 * 1024);
    h.raw(
        r#"<div class="fr-col-12 fr-col-md-4 fr-col-lg-3 ceres-facets-col"><div class="ceres-facets" id="facettes">"#,
    )
    .raw(r#"<p class="fr-h6 fr-mb-2w">Filtrer</p>"#);
    if !r.filtres.is_empty() {
        h.raw(r#"<p><a href=""#)
            .attr(&r.without_filters().url(PATH))
            .raw(r#"" class="fr-link fr-icon-close-line fr-link--icon-left" id="effacer-filtres">Effacer les filtres</a></p>"#);
    }
    for facet in results.facets.iter().filter(|f| !f.values.is_empty()) {
        facet_block(&mut h, facet, r);
    }
    h.raw(r#"<button class="fr-btn fr-btn--secondary fr-btn--sm" type="submit" id="appliquer">Appliquer les filtres</button>"#)
        .raw("</div></div>")
        .raw(r#"<div class="fr-col-12 fr-col-md-8 fr-col-lg-9">"#)
        // On a phone the filters come after the results; this link leads to them.
        .raw(r##"<p class="fr-hidden-md fr-mb-1w"><a class="fr-link fr-icon-filter-line fr-link--icon-left" href="#facettes" rel="external">Filtrer les résultats</a></p>"##);
    scope(&mut h, results);
    h.raw(r#"<div class="ceres-results-head"><p class="fr-h4 fr-mb-0" id="total">"#)
        .text(&count_fr(results.total(), "résultat", "résultats"))
        .raw(r#"</p><div class="ceres-results-tools"><div class="fr-select-group fr-mb-0">"#)
        .raw(r#"<label class="fr-label" for="tri">Trier par</label><select class="fr-select" id="tri" name="tri">"#);
    for (tri, label) in [(Tri::Pertinence, "Pertinence"), (Tri::Alphabetique, "A–Z")] {
        h.raw(r#"<option value=""#).raw(tri.code()).raw(if r.tri == tri { r#"" selected>"# } else { r#"">"# });
        h.raw(label).raw("</option>");
    }
    h.raw(r#"</select></div><a class="fr-btn fr-btn--secondary fr-btn--icon-left fr-icon-download-line" id="exporter" href=""#)
        .attr(&r.url("/etablissements/export.csv"))
        .raw(r#"" download="" rel="external">Exporter</a></div></div>"#);
    let centres = || {
        results.centres.iter().map(|c| Hit {
            href: format!("/centres/{}", c.id),
            title: &c.raison_sociale,
            meta: [&c.siret, &c.commune],
        })
    };
    let sites = || {
        results.sites.iter().map(|s| Hit {
            href: format!("/sites/{}", s.id),
            title: &s.nom,
            meta: [&s.centre_raison_sociale, &s.commune],
        })
    };
    match r.portee {
        Portee::Tout => {
            group(&mut h, Portee::Centres, centres(), results.centres_total, r);
            group(&mut h, Portee::Sites, sites(), results.sites_total, r);
        }
        Portee::Centres => {
            group(&mut h, Portee::Centres, centres(), results.centres_total, r);
            pagination(&mut h, r, results.centres_total);
        }
        Portee::Sites => {
            group(&mut h, Portee::Sites, sites(), results.sites_total, r);
            pagination(&mut h, r, results.sites_total);
        }
    }
    h.raw("</div>");
    h.into_string()
}

/// « Type de résultat »: Tout | Centres | Sites, each with its count.
fn scope(h: &mut Html, results: &SearchResults) {
    h.raw(r#"<fieldset class="fr-segmented fr-segmented--sm fr-mb-2w" id="portee">"#)
        .raw(r#"<legend class="fr-segmented__legend">Type de résultat</legend><div class="fr-segmented__elements">"#);
    for p in Portee::ALL {
        h.raw(r#"<div class="fr-segmented__element"><input value=""#).raw(p.code());
        h.raw(r#"" type="radio" id="portee-"#).raw(p.code()).raw(r#"" name="portee""#);
        h.raw(if results.recherche.portee == p { " checked>" } else { ">" });
        h.raw(r#"<label class="fr-label" for="portee-"#).raw(p.code()).raw(r#"">"#);
        h.text(&format!("{} ({})", p.label(), number_fr(results.count(p)))).raw("</label></div>");
    }
    h.raw("</div></fieldset>");
}

/// A facet: its values with their counts, then « Afficher N de plus » when the search left some out. That link opens
/// the facet (`ouvrir=` in the URL): in place once hydrated (`Results` replaces the URL, the search runs again), by
/// following it without JavaScript.
fn facet_block(h: &mut Html, facet: &Facet, recherche: &Recherche) {
    let param = facet.key.param();
    h.raw(r#"<fieldset class="fr-fieldset ceres-facet" id="facette-"#).raw(param).raw(r#"">"#);
    h.raw(r#"<legend class="fr-fieldset__legend fr-text--bold fr-pb-1w">"#).text(facet.key.label()).raw("</legend>");
    for v in &facet.values {
        h.raw(r#"<div class="fr-fieldset__element fr-mb-1v"><div class="fr-checkbox-group fr-checkbox-group--sm">"#);
        h.raw(r#"<input type="checkbox" id=""#).raw(param).raw("-").attr(&v.value);
        h.raw(r#"" name=""#).raw(param).raw(r#"" value=""#).attr(&v.value);
        h.raw(if v.selected { r#"" checked>"# } else { r#"">"# });
        h.raw(r#"<label class="fr-label" for=""#).raw(param).raw("-").attr(&v.value).raw(r#"">"#).text(&v.label);
        h.raw(r#"<span class="ceres-count"> ("#).raw(&number_fr(v.count)).raw(")</span></label></div></div>");
    }
    if facet.autres > 0 {
        h.raw(r#"<a class="fr-link fr-text--sm ceres-facet__more" id="plus-"#).raw(param);
        h.raw(r#"" href=""#).attr(&recherche.with_open(facet.key).url(PATH)).raw(r#"">"#);
        h.raw("Afficher ").raw(&number_fr(u64::from(facet.autres))).raw(" de plus</a>");
    }
    h.raw("</fieldset>");
}

/// One result row: link, title and two lines of detail.
struct Hit<'a> {
    href: String,
    title: &'a str,
    meta: [&'a str; 2],
}

/// The results of one type: heading with the count, the rows, « VOIR PLUS » / « VOIR TOUT ».
fn group<'a>(h: &mut Html, portee: Portee, hits: impl Iterator<Item = Hit<'a>>, total: u64, recherche: &Recherche) {
    let (id, heading, empty) = match portee {
        Portee::Sites => ("sites", "Sites", "Aucun site ne correspond à cette recherche."),
        _ => ("centres", "Centres", "Aucun centre ne correspond à cette recherche."),
    };
    h.raw(r#"<section class="fr-mb-4w" aria-labelledby="titre-"#)
        .raw(id)
        .raw(r#""><h2 class="fr-h5 fr-mb-1w" id="titre-"#);
    h.raw(id).raw(r#"">"#).raw(heading).raw(" (").raw(&number_fr(total)).raw(")</h2>");
    h.raw(r#"<ul class="ceres-results" id="resultats-"#).raw(id).raw(r#"">"#);
    let mut shown = 0;
    for hit in hits {
        shown += 1;
        h.raw(r#"<li class="ceres-result"><a href=""#).attr(&hit.href).raw(r#"" class="ceres-result__link">"#);
        h.raw(r#"<span class="ceres-result__title">"#).text(hit.title).raw("</span>");
        for m in hit.meta {
            h.raw(r#"<span class="ceres-result__meta">"#).text(m).raw("</span>");
        }
        h.raw("</a></li>");
    }
    h.raw("</ul>");
    if total == 0 {
        h.raw(r#"<p class="fr-text--sm ceres-empty">"#).raw(empty).raw("</p>");
    }
    more_links(h, recherche, total, shown, portee);
    h.raw("</section>");
}

/// « VOIR PLUS » and « VOIR TOUT » under a group of the « Tout » view.
fn more_links(h: &mut Html, recherche: &Recherche, total: u64, shown: usize, portee: Portee) {
    let (voir, id) = match portee {
        Portee::Sites => (recherche.voir_sites, "sites"),
        _ => (recherche.voir_centres, "centres"),
    };
    if recherche.portee != Portee::Tout || total <= shown as u64 {
        return;
    }
    h.raw(r#"<ul class="fr-btns-group fr-btns-group--inline-sm fr-btns-group--sm fr-mt-1w">"#);
    if voir < VOIR_MAX {
        let mut plus = recherche.clone();
        let next = (voir + VOIR_PLUS).min(VOIR_MAX);
        match portee {
            Portee::Sites => plus.voir_sites = next,
            _ => plus.voir_centres = next,
        }
        h.raw(r#"<li><a href=""#)
            .attr(&plus.url(PATH))
            .raw(r#"" class="fr-btn fr-btn--tertiary fr-btn--sm" id="voir-plus-"#);
        h.raw(id).raw(r#"">VOIR PLUS</a></li>"#);
    }
    h.raw(r#"<li><a href=""#).attr(&recherche.with_portee(portee).url(PATH));
    h.raw(r#"" class="fr-btn fr-btn--secondary fr-btn--sm" id="voir-tout-"#)
        .raw(id)
        .raw(r#"">VOIR TOUT</a></li></ul>"#);
}

/// DSFR pagination of the « Centres » or « Sites » view: first, previous, a window around the page, next, last.
fn pagination(h: &mut Html, recherche: &Recherche, total: u64) {
    let pages = total.div_ceil(u64::from(PAGE)).max(1) as u32;
    if pages <= 1 {
        return;
    }
    let current = recherche.page.min(pages);
    h.raw(r#"<nav role="navigation" class="fr-pagination" aria-label="Pagination" id="pagination">"#);
    h.raw(r#"<ul class="fr-pagination__list">"#);
    let mut link = |page: u32, label: &str, class: &str, id: &str| {
        h.raw(r#"<li><a href=""#).attr(&recherche.with_page(page).url(PATH));
        h.raw(r#"" class="fr-pagination__link"#).raw(class).raw(r#"" id=""#).raw(id).raw(r#"""#);
        if page == current {
            h.raw(r#" aria-current="page""#);
        }
        h.raw(r#" title="Page "#).raw(&page.to_string()).raw(r#"">"#).raw(label).raw("</a></li>");
    };
    if current > 1 {
        link(1, "Première page", " fr-pagination__link--first", "page-premiere");
        link(
            current - 1,
            "Page précédente",
            " fr-pagination__link--prev fr-pagination__link--lg-label",
            "page-precedente",
        );
    }
    for p in current.saturating_sub(2).max(1)..=(current + 2).min(pages) {
        link(p, &p.to_string(), "", &format!("page-{p}"));
    }
    if current < pages {
        link(current + 1, "Page suivante", " fr-pagination__link--next fr-pagination__link--lg-label", "page-suivante");
        link(pages, "Dernière page", " fr-pagination__link--last", "page-derniere");
    }
    h.raw("</ul></nav>");
}

#[cfg(test)]
mod tests {
    use super::{Searched, changed, results_html};
    use crate::domain::recherche::{FacetKey, Portee, Recherche, Tri};
    use crate::dto::{CentreHit, Facet, FacetValue, SearchResults, SiteHit};

    #[test]
    fn each_control_of_the_results_leads_to_its_search() {
        let r = Recherche::from_query_string("q=floirac&page=3&portee=sites");
        assert_eq!(changed(&r, "tri", "az").map(|n| n.tri), Some(Tri::Alphabetique));
        assert_eq!(changed(&r, "tri", "pertinence").map(|n| n.tri), Some(Tri::Pertinence));
        assert_eq!(changed(&r, "portee", "centres").map(|n| n.portee), Some(Portee::Centres));
        assert_eq!(changed(&r, "portee", "partout"), None, "an unknown scope changes nothing");
        let chosen = changed(&r, "departement", "33").expect("a facet");
        assert_eq!(chosen.selected(FacetKey::Departement), ["33".to_owned()]);
        assert_eq!(chosen.page, 1, "a new filter starts over");
        assert_eq!(changed(&chosen, "departement", "33").map(|n| n.filtres), Some(vec![]), "unticked");
        assert_eq!(changed(&r, "q", "x"), None, "the search box is not one of them");
    }

    fn results(query: &str) -> SearchResults {
        SearchResults {
            recherche: Recherche::from_query_string(query),
            centres_total: 1,
            sites_total: 45,
            centres: vec![CentreHit {
                id: 7,
                raison_sociale: "<script>alert(1)</script> & Cie".into(),
                siret: "12345678900011".into(),
                commune: "33270 Floirac".into(),
            }],
            sites: (0..20)
                .map(|i| SiteHit {
                    id: i,
                    nom: format!("Site \"{i}\""),
                    centre_raison_sociale: "C".into(),
                    commune: "X".into(),
                })
                .collect(),
            facets: vec![Facet {
                key: FacetKey::Departement,
                values: vec![FacetValue { value: "33".into(), label: "Gironde".into(), count: 1234, selected: true }],
                autres: 12,
            }],
        }
    }

    #[test]
    fn the_results_markup_escapes_the_data_and_carries_the_controls() {
        let html = results_html(&results("q=a%26b&departement=33"));
        assert!(html.contains("&lt;script&gt;alert(1)&lt;/script&gt; &amp; Cie"), "{html}");
        assert!(!html.contains("<script>"));
        assert!(html.contains("Site \"3\""), "quotes in text stay as they are");
        assert!(html.contains(r#"<input type="checkbox" id="departement-33" name="departement" value="33" checked>"#));
        assert!(html.contains("Gironde<span class=\"ceres-count\"> (1\u{a0}234)</span>"), "{html}");
        assert!(html.contains(r#"id="plus-departement" href="/etablissements?q=a%26b&amp;departement=33&amp;ouvrir=departement">Afficher 12 de plus</a>"#));
        assert!(html.contains(r#"id="effacer-filtres""#));
        assert!(html.contains(r#"<input value="tout" type="radio" id="portee-tout" name="portee" checked>"#));
        assert!(
            html.contains(r#"<option value="pertinence" selected>Pertinence</option><option value="az">A–Z</option>"#)
        );
        assert!(
            html.contains(r#"id="voir-plus-sites""#) && !html.contains(r#"id="voir-plus-centres""#),
            "one centre: all shown"
        );
        assert_eq!(html.matches("<div").count(), html.matches("</div>").count(), "balanced");
    }

    #[test]
    fn a_page_of_sites_has_one_current_page_in_its_pagination() {
        let html = results_html(&results("portee=sites&page=2"));
        let nav = &html[html.find("<nav").expect("a pagination")..];
        assert_eq!(nav.matches("aria-current=\"page\"").count(), 1);
        assert!(nav.contains(r#"href="/etablissements?portee=sites&amp;page=2" class="fr-pagination__link" id="page-2" aria-current="page" title="Page 2">2</a>"#), "{nav}");
        assert!(nav.contains(r#"id="page-3""#) && !nav.contains(r#"id="page-4""#), "45 sites: 3 pages");
        assert!(!html.contains("VOIR PLUS"));
    }

    #[test]
    fn the_hydration_data_carries_the_search_not_its_results() {
        let found: Result<Searched, String> = Ok(Searched::Found(results("q=floirac&departement=33&tri=az")));
        let json = serde_json::to_string(&found).expect("JSON");
        assert!(!json.contains("Floirac") && !json.contains("Gironde"), "no results, no facets: {json}");
        let hydrated: Result<Searched, String> = serde_json::from_str(&json).expect("read back");
        match hydrated {
            Ok(Searched::Shown(r)) => assert_eq!(r, Recherche::from_query_string("q=floirac&departement=33&tri=az")),
            _ => panic!("the search it was, to be continued from: {json}"),
        }
    }
}
