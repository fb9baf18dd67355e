//! The establishment search through its server function, its page and its CSV export: matching rules, facets,
//! views, and freshness across replicas over one database.

use futures_util::FutureExt;
use reqwest::StatusCode;
use serde_json::Value;
use server::testing::Backend;

use crate::helpers::{Browser, fcmb_floirac_id, start};
use crate::on_both_databases;

const AFPA: &str = "82422814201098";
const AFPA_NAME: &str = "AGENCE NATIONALE POUR LA FORMATION PROFESSIONNELLE DES ADULTES";

async fn json(r: reqwest::Response) -> Value {
    assert_eq!(r.status(), StatusCode::OK);
    r.json().await.expect("json")
}

fn names(v: &Value, group: &str, field: &str) -> Vec<String> {
    v[group].as_array().expect(group).iter().map(|h| h[field].as_str().unwrap_or_default().to_owned()).collect()
}

fn facet<'a>(v: &'a Value, key: &str) -> &'a Vec<Value> {
    v["facets"].as_array().expect("facets").iter().find(|f| f["key"] == key).expect(key)["values"]
        .as_array()
        .expect("values")
}

/// How many values a facet left out (« Afficher N de plus »).
fn autres(v: &Value, key: &str) -> u64 {
    v["facets"].as_array().expect("facets").iter().find(|f| f["key"] == key).expect(key)["autres"]
        .as_u64()
        .expect("autres")
}

/// `qs` with every facet open: all their values.
fn opened(qs: &str) -> String {
    let open = app::domain::recherche::FacetKey::ALL.map(|k| format!("ouvrir={}", k.param())).join("&");
    if qs.is_empty() { open } else { format!("{qs}&{open}") }
}

fn count_of(values: &[Value], value: &str) -> u64 {
    values.iter().find(|v| v["value"] == value).map_or(0, |v| v["count"].as_u64().unwrap_or(0))
}

async fn text_queries_follow_the_product_rules(backend: Backend) {
    let srv = start(backend).await;
    let b = Browser::new(&srv);
    b.sign_in("dreets-naq").await;
    // Apostrophes, hyphens, accents, case, word order, a prefix while typing, one typo from five letters.
    for q in ["l'AFPA saint-nazaire", "NAZAIRE centre afpa", "Saint Naz", "centre afpa saint nazaier"] {
        let v = json(b.search_call(q).await).await;
        assert!(names(&v, "sites", "nom").contains(&"Centre AFPA de Saint Nazaire".to_owned()), "{q}: {v}");
    }
    for q in ["floriac", "FCMB- Floirac", "fcmb flo", "reprise floirac"] {
        let v = json(b.search_call(q).await).await;
        assert!(names(&v, "sites", "nom").contains(&"FCMB- Floirac".to_owned()), "{q}");
    }
    // A site matches on its centre's name; a centre on its SIRET and its commune.
    let v = json(b.search_call("agence nationale formation adultes").await).await;
    assert_eq!(names(&v, "centres", "raison_sociale"), vec![AFPA_NAME]);
    assert!(names(&v, "sites", "centre_raison_sociale").iter().all(|n| n == AFPA_NAME));
    let v = json(b.search_call("8242281420").await).await;
    assert_eq!(names(&v, "centres", "raison_sociale"), vec![AFPA_NAME], "SIRET prefix");
    // No typo below five letters, and every word must match.
    assert_eq!(json(b.search_call("afpz").await).await["centres_total"], 0);
    assert_eq!(json(b.search_call("floirac zzzzzzzz").await).await["sites_total"], 0);
    srv.stop().await;
}
on_both_databases!(text_queries_follow_the_product_rules);

async fn a_siret_or_a_siren_finds_its_centre_and_sites_first(backend: Backend) {
    let srv = start(backend).await;
    let b = Browser::new(&srv);
    b.sign_in("admin").await;
    let v = json(b.search_call("824 228 142 01098").await).await;
    assert_eq!(names(&v, "centres", "siret"), vec![AFPA]);
    assert_eq!(names(&v, "sites", "nom")[0], "Centre AFPA de Saint Nazaire");
    let v = json(b.search_call("824228142").await).await;
    assert_eq!(names(&v, "centres", "siret")[0], AFPA);
    assert_eq!(names(&v, "sites", "centre_raison_sociale")[0], AFPA_NAME);
    srv.stop().await;
}
on_both_databases!(a_siret_or_a_siren_finds_its_centre_and_sites_first);

async fn facets_count_with_the_query_and_narrow_each_other(backend: Backend) {
    let srv = start(backend).await;
    let b = Browser::new(&srv);
    b.sign_in("admin").await;
    let all = json(b.search_qs(&opened("")).await).await;
    let total = all["centres_total"].as_u64().expect("n") + all["sites_total"].as_u64().expect("n");
    let regions = facet(&all, "Region");
    assert_eq!(regions.iter().map(|v| v["count"].as_u64().unwrap_or(0)).sum::<u64>(), total, "one région each");
    for key in ["Region", "Departement", "TypeCentre", "Reseau", "Titre", "Agrement"] {
        assert!(!facet(&all, key).is_empty(), "{key} has values");
    }
    let naq = count_of(regions, "75");
    assert!(naq > 0);

    // Choosing Nouvelle-Aquitaine: the results are its establishments; the région facet keeps its counts; the
    // département facet now only counts Nouvelle-Aquitaine.
    let v = json(b.search_qs(&opened("region=75")).await).await;
    assert_eq!(v["centres_total"].as_u64().expect("n") + v["sites_total"].as_u64().expect("n"), naq);
    assert_eq!(count_of(facet(&v, "Region"), "52"), count_of(regions, "52"));
    assert!(facet(&v, "Region").iter().any(|x| x["value"] == "75" && x["selected"] == true));
    let deps: u64 = facet(&v, "Departement").iter().map(|x| x["count"].as_u64().unwrap_or(0)).sum();
    assert_eq!(deps, naq);
    assert!(count_of(facet(&v, "Departement"), "33") > 0 && count_of(facet(&v, "Departement"), "44") == 0);

    // Two régions: either. With a query: the counts follow the query.
    let two = json(b.search_qs("region=75&region=52").await).await;
    let n = two["centres_total"].as_u64().expect("n") + two["sites_total"].as_u64().expect("n");
    assert_eq!(n, naq + count_of(regions, "52"));
    let v = json(b.search_qs(&opened("q=floirac&region=75")).await).await;
    assert!(names(&v, "sites", "nom").contains(&"FCMB- Floirac".to_owned()));
    assert!(count_of(facet(&v, "Titre"), "TP-01318") <= count_of(facet(&all, "Titre"), "TP-01318"));
    let v = json(b.search_qs("q=floirac&region=52").await).await;
    assert!(!names(&v, "sites", "nom").contains(&"FCMB- Floirac".to_owned()));

    // A titre: only establishments holding an agrément for it.
    let titre = json(b.search_qs("titre=TP-01318&portee=sites").await).await;
    assert_eq!(
        titre["sites_total"].as_u64().expect("n"),
        count_of(facet(&all, "Titre"), "TP-01318") - {
            let centres = json(b.search_qs("titre=TP-01318&portee=centres").await).await;
            centres["centres_total"].as_u64().expect("n")
        }
    );
    srv.stop().await;
}
on_both_databases!(facets_count_with_the_query_and_narrow_each_other);

/// A closed facet sends its first six values and how many it left out; opened (`ouvrir=`), all of them; a value
/// selected beyond the first six opens its facet, so that it can be seen and unselected.
async fn a_closed_facet_sends_its_first_values_and_the_number_left_out(backend: Backend) {
    let srv = start(backend).await;
    let b = Browser::new(&srv);
    b.sign_in("admin").await;
    let closed = json(b.search_qs("").await).await;
    let open = json(b.search_qs("ouvrir=departement").await).await;
    let all = facet(&open, "Departement");
    assert!(all.len() > 6, "the demo data has establishments in more than six départements");
    assert_eq!(facet(&closed, "Departement"), &all[..6], "the first six, as in the whole list");
    assert_eq!(autres(&closed, "Departement"), all.len() as u64 - 6);
    assert_eq!(autres(&open, "Departement"), 0);
    assert!(facet(&open, "Region").len() <= 6, "the other facets stay closed");

    let last = all.last().expect("a département")["value"].as_str().expect("code").to_owned();
    let chosen = json(b.search_qs(&format!("departement={last}")).await).await;
    assert_eq!(facet(&chosen, "Departement").len(), all.len(), "opened by its selected value");
    assert!(facet(&chosen, "Departement").iter().any(|x| x["value"] == last.as_str() && x["selected"] == true));
    assert_eq!(autres(&chosen, "Departement"), 0);
    srv.stop().await;
}
on_both_databases!(a_closed_facet_sends_its_first_values_and_the_number_left_out);

async fn views_show_three_then_more_then_pages(backend: Backend) {
    let srv = start(backend).await;
    let b = Browser::new(&srv);
    b.sign_in("admin").await;
    let v = json(b.search_qs("").await).await;
    assert_eq!(v["centres"].as_array().expect("c").len(), 3);
    assert_eq!(v["sites"].as_array().expect("s").len(), 3);
    let v = json(b.search_qs("voir_centres=13").await).await;
    assert_eq!(v["centres"].as_array().expect("c").len(), 13);
    let page1 = json(b.search_qs("portee=centres&tri=az").await).await;
    let page2 = json(b.search_qs("portee=centres&tri=az&page=2").await).await;
    let (p1, p2) = (names(&page1, "centres", "raison_sociale"), names(&page2, "centres", "raison_sociale"));
    assert_eq!((p1.len(), p2.len()), (20, 20));
    assert!(page1["sites"].as_array().expect("s").is_empty());
    let mut sorted = p1.clone();
    sorted.extend(p2.clone());
    let folded: Vec<String> = sorted.iter().map(|n| app::domain::text::normalize(n)).collect();
    assert!(folded.windows(2).all(|w| w[0] <= w[1]), "A–Z across pages: {folded:?}");

    // The page itself: French total, « VOIR PLUS » and « VOIR TOUT » links, pagination in one scope.
    // Those links lead to the same path as the page: none of them is « the current page » (aria-current, which
    // the DSFR draws as the selected page of a pagination).
    let (_, html) = b.get_text("/etablissements").await;
    let plus = link_with_id(&html, "voir-plus-centres");
    assert!(plus.contains("href=\"/etablissements?voir_centres=13\"") && !plus.contains("aria-current"), "{plus}");
    let tout = link_with_id(&html, "voir-tout-sites");
    assert!(tout.contains("href=\"/etablissements?portee=sites\"") && !tout.contains("aria-current"), "{tout}");
    let (_, html) = b.get_text("/etablissements?portee=sites&page=2").await;
    assert!(link_with_id(&html, "page-3").contains("href=\"/etablissements?portee=sites&amp;page=3\""));
    let nav = &html[html.find("id=\"pagination\"").expect("pagination")..];
    let nav = &nav[..nav.find("</nav>").expect("end of the pagination")];
    assert_eq!(nav.matches("aria-current").count(), 1, "one current page: {nav}");
    assert!(link_with_id(&html, "page-2").contains("aria-current=\"page\""));
    srv.stop().await;
}

/// The opening tag of the link whose id is `id`.
fn link_with_id<'a>(html: &'a str, id: &str) -> &'a str {
    let at = html.find(&format!("id=\"{id}\"")).unwrap_or_else(|| panic!("no element {id}"));
    let start = html[..at].rfind("<a ").expect("an <a> tag");
    &html[start..at + html[at..].find('>').expect("end of the tag")]
}
on_both_databases!(views_show_three_then_more_then_pages);

async fn the_export_is_a_csv_french_excel_opens(backend: Backend) {
    let srv = start(backend).await;
    let b = Browser::new(&srv);
    b.sign_in("dreets-naq").await;
    let v = json(b.search_qs("q=afpa&region=52").await).await;
    let expected = v["centres_total"].as_u64().expect("n") + v["sites_total"].as_u64().expect("n");
    let r = b.get("/etablissements/export.csv?q=afpa&region=52").await;
    assert_eq!(r.status(), StatusCode::OK);
    assert_eq!(r.headers()["content-type"], "text/csv; charset=utf-8");
    assert!(r.headers()["content-disposition"].to_str().unwrap_or_default().starts_with("attachment"));
    let body = r.bytes().await.expect("body");
    assert_eq!(&body[..3], b"\xEF\xBB\xBF", "UTF-8 byte-order mark");
    let text = std::str::from_utf8(&body[3..]).expect("UTF-8");
    let lines: Vec<&str> = text.split("\r\n").filter(|l| !l.is_empty()).collect();
    assert_eq!(
        lines[0],
        "Type;Nom;Centre;SIRET du centre;Adresse;Code postal;Commune;Département;Région;Type de centre;Réseau"
    );
    assert_eq!(lines.len() as u64 - 1, expected);
    assert!(
        lines.iter().any(|l| l.starts_with("Site;Centre AFPA de Saint Nazaire;") && l.contains(";Pays de la Loire;"))
    );

    // A malformed query string still exports (the closest search), as the page would show it.
    let r = b.get("/etablissements/export.csv?q=%FF%&region=%%&page=x").await;
    assert_eq!(r.status(), StatusCode::OK);

    // Anonymous: to the sign-in page; a centre user: refused.
    let anonymous = Browser::new(&srv);
    assert_eq!(anonymous.get("/etablissements/export.csv").await.status(), StatusCode::SEE_OTHER);
    let centre = Browser::new(&srv);
    centre.sign_in("centre-1630").await;
    assert_eq!(centre.get("/etablissements/export.csv").await.status(), StatusCode::FORBIDDEN);
    srv.stop().await;
}
on_both_databases!(the_export_is_a_csv_french_excel_opens);

async fn every_replica_answers_with_changes_made_on_another(backend: Backend) {
    let one = start(backend).await;
    let two = one.replica().await;
    let on_one = Browser::new(&one);
    on_one.sign_in("dreets-naq").await;
    let on_two = Browser::new(&two);
    on_two.sign_in("dreets-naq").await;
    let site = fcmb_floirac_id(&on_two).await;
    let from = json(on_two.search_call("FCMB- Floirac").await).await["sites"][0]["centre_raison_sociale"].clone();
    assert_eq!(from, "Centre de reprise");

    // The transfer happens on replica one ...
    let site_page = on_one.call("site", &[("id", &site.to_string())]).await;
    let current = json(site_page).await["centre"]["id"].as_i64().expect("centre id").to_string();
    let r = on_one
        .call("transfert", &[("site_id", &site.to_string()), ("siret", AFPA), ("expected_centre_id", &current)])
        .await;
    assert_eq!(r.status(), StatusCode::OK, "{}", r.text().await.unwrap_or_default());

    // ... and replica two's next query sees it: the site under its new centre, the centres' titres updated.
    let v = json(on_two.search_call("FCMB- Floirac").await).await;
    assert_eq!(v["sites"][0]["centre_raison_sociale"], AFPA_NAME);
    let v = json(on_two.search_qs(&format!("q={AFPA}&portee=sites&tri=az")).await).await;
    assert!(names(&v, "sites", "nom").contains(&"FCMB- Floirac".to_owned()));
    let reprise = json(on_two.search_qs("q=reprise&portee=sites").await).await;
    assert!(!names(&reprise, "sites", "nom").contains(&"FCMB- Floirac".to_owned()));

    // A centre registered on replica two is found by replica one.
    let r = on_two.call("enregistrement", &[("siret", "78184280200048"), ("confirm_closed", "false")]).await;
    assert_eq!(r.status(), StatusCode::OK, "{}", r.text().await.unwrap_or_default());
    let v = json(on_one.search_call("78184280200048").await).await;
    assert_eq!(names(&v, "centres", "raison_sociale"), vec!["FEDERATION COMPAGNONNIQUE BATIMENT FLOIRAC"]);
    two.stop().await;
    one.stop().await;
}
on_both_databases!(every_replica_answers_with_changes_made_on_another);

/// Searches that arrive while the index is being checked for changes wait for the next check and share it, and each
/// sees every change committed before it began, here one made on another replica.
async fn searches_arriving_together_share_one_look_for_changes(backend: Backend) {
    let one = start(backend).await;
    let two = one.replica().await;
    let on_two = Browser::new(&two);
    on_two.sign_in("dreets-naq").await;
    let r = on_two.call("enregistrement", &[("siret", "78184280200048"), ("confirm_closed", "false")]).await;
    assert_eq!(r.status(), StatusCode::OK, "{}", r.text().await.unwrap_or_default());

    let search = &one.state.search;
    let before = search.checks_started();
    let mut searches: Vec<_> = (0..32).map(|_| Box::pin(search.fresh(&one.state.db))).collect();
    // 32 searches arrive while a look runs (held here, so that none can end before the last has arrived).
    let running = search.hold_checks().await;
    for s in &mut searches {
        assert!(s.as_mut().now_or_never().is_none(), "it waits for the look that runs");
    }
    assert_eq!(search.checks_started(), before);
    drop(running);
    for index in futures_util::future::join_all(searches).await {
        let index = index.expect("fresh index");
        assert!(index.docs().iter().any(|d| d.siret == "78184280200048"), "the centre registered on replica two");
    }
    assert_eq!(search.checks_started() - before, 1, "one look for the 32");

    // Alone, a search looks for itself.
    search.fresh(&one.state.db).await.expect("fresh index");
    assert_eq!(search.checks_started() - before, 2);
    two.stop().await;
    one.stop().await;
}
on_both_databases!(searches_arriving_together_share_one_look_for_changes);

async fn hostile_query_strings_get_a_page_not_an_error(backend: Backend) {
    let srv = start(backend).await;
    let b = Browser::new(&srv);
    b.sign_in("admin").await;
    for qs in [
        "q=%FF%FE",
        "q=%",
        "q=' OR 1=1 --",
        "q=<script>alert(1)</script>",
        "page=99999999999999999999",
        "portee=centres&page=10000",
        "region=zz&titre=&agrement=maybe",
        "q=000000000000000000000000000000000000",
    ] {
        let r = b.search_qs(qs).await;
        assert_eq!(r.status(), StatusCode::OK, "{qs}");
    }
    let r = b.search_qs(&"region=1&".repeat(1000)).await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.text().await.unwrap_or_default().contains("retirez des filtres"));
    let (status, html) = b.get_text("/etablissements?q=%3Cscript%3Ealert(1)%3C/script%3E").await;
    assert_eq!(status, StatusCode::OK);
    assert!(!html.contains("<script>alert(1)"), "the query is escaped in the page");
    srv.stop().await;
}
on_both_databases!(hostile_query_strings_get_a_page_not_an_error);
