//! The scenarios, each run in Chromium and in Firefox ESR.

use fantoccini::Locator;

use crate::action::{click, click_when_shown, empty_field, mark_page, set_date, sign_in_at, type_search};
use crate::check::{
    current_path, hydrated, icon_drawn, still_same_page, text_of, wait_for, wait_for_checked, wait_for_path,
    wait_for_text,
};
use crate::support::{Browser, Session};

macro_rules! in_both_browsers {
    ($name:ident) => {
        mod $name {
            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn chromium() {
                super::$name(crate::support::Browser::Chromium).await
            }
            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn firefox() {
                super::$name(crate::support::Browser::Firefox).await
            }
        }
    };
}

/// A DREETS agent signs in, types « floirac », sees « FCMB- Floirac » appear without a page load, and opens it.
async fn an_agent_finds_a_site_while_typing_and_opens_it(browser: Browser) {
    let s = Session::start(browser).await;
    sign_in_at(&s, "/etablissements", "dreets-naq").await;
    assert_eq!(current_path(&s).await, "/etablissements");
    assert!(text_of(&s, "header").await.contains("DREETS Nouvelle-Aquitaine"));

    mark_page(&s).await;
    type_search(&s, "floirac").await;
    let hit = wait_for(&s, Locator::XPath("//ul[@id='resultats-sites']//a[contains(., 'FCMB- Floirac')]")).await;
    assert!(still_same_page(&s).await, "the results came without a page load");
    assert_eq!(current_path(&s).await, "/etablissements?q=floirac", "the URL holds the query");
    s.screenshot("recherche-floirac").await;

    hit.click().await.expect("open the site");
    let title = wait_for(&s, Locator::XPath("//h1[@id='titre-site' and contains(., 'FCMB- Floirac')]")).await;
    assert_eq!(title.text().await.expect("title"), "FCMB- Floirac");
    let agrements = text_of(&s, "#agrements").await;
    assert!(agrements.contains("Agrément accordé le 19/10/2018"), "{agrements}");
    assert!(agrements.contains("Agrément terminé depuis le 22/01/2019"), "{agrements}");
    assert!(still_same_page(&s).await, "opening the site is a client-side navigation");
    s.screenshot("site-fcmb-floirac").await;
    s.finish().await;
}
in_both_browsers!(an_agent_finds_a_site_while_typing_and_opens_it);

/// Facets, scope and back button: each click narrows the results and the other facets' counts without a page
/// load, the URL follows, and « back » returns to the previous state, query box included.
async fn an_agent_narrows_a_search_with_facets_and_goes_back(browser: Browser) {
    let s = Session::start(browser).await;
    sign_in_at(&s, "/etablissements", "admin").await;
    mark_page(&s).await;
    type_search(&s, "afpa").await;
    wait_for_path(&s, "/etablissements?q=afpa").await;
    wait_for_text(&s, "#resultats-sites", "Centre AFPA de Saint Nazaire").await;
    let departements = text_of(&s, "#facette-departement").await;
    assert!(departements.contains("44 - Loire-Atlantique"), "{departements}");

    click(&s, Locator::Css("label[for='region-52']")).await;
    wait_for_path(&s, "/etablissements?q=afpa&region=52").await;
    wait_for_text(&s, "#facette-region", "Pays de la Loire").await;
    let total = wait_for_text(&s, "#total", "résultat").await;
    let departements = text_of(&s, "#facette-departement").await;
    assert!(!departements.contains("Gironde"), "only the chosen région's départements are counted: {departements}");
    let export = s.client.find(Locator::Css("#exporter")).await.expect("export link");
    let href = export.attr("href").await.expect("href").unwrap_or_default();
    assert_eq!(href, "/etablissements/export.csv?q=afpa&region=52", "the export follows the search");
    // The new count is told to screen readers too, by a live region that outlives the results it follows.
    let announced = s.client.execute("return document.getElementById('annonce-total').textContent;", vec![]);
    assert_eq!(announced.await.expect("script").as_str(), Some(total.as_str()));
    s.screenshot("recherche-facettes").await;

    // Sorting A–Z is one more step of the history, the sort chosen in the list.
    let tri = s.client.find(Locator::Css("select#tri")).await.expect("sort");
    s.client.execute("document.getElementById('tri').focus();", vec![]).await.expect("focus, as the keyboard gives it");
    tri.select_by_value("az").await.expect("A–Z");
    wait_for_path(&s, "/etablissements?q=afpa&region=52&tri=az").await;
    // The new results, which come with their own list, A–Z chosen in it; the keyboard's focus goes back to it.
    wait_for(&s, Locator::Css("#tri option[value='az'][selected]")).await;
    let focused = s.client.execute("return document.activeElement.id;", vec![]).await.expect("script");
    assert_eq!(focused.as_str(), Some("tri"));
    s.client.back().await.expect("back");
    wait_for_path(&s, "/etablissements?q=afpa&region=52").await;
    wait_for(&s, Locator::Css("#tri option[value='pertinence'][selected]")).await;

    click(&s, Locator::Css("label[for='portee-sites']")).await;
    wait_for_path(&s, "/etablissements?q=afpa&portee=sites&region=52").await;
    wait_for(&s, Locator::Css("#titre-sites")).await;
    assert!(s.client.find(Locator::Css("#titre-centres")).await.is_err(), "only sites in the Sites view");

    // Back: the previous state comes back, results and counts with it.
    s.client.back().await.expect("back");
    wait_for_path(&s, "/etablissements?q=afpa&region=52").await;
    wait_for(&s, Locator::Css("#titre-centres")).await;
    assert_eq!(wait_for_text(&s, "#total", "résultat").await, total);
    s.client.back().await.expect("back");
    wait_for_path(&s, "/etablissements?q=afpa").await;
    let q = s.client.find(Locator::Css("input#q")).await.expect("box").prop("value").await.expect("value");
    assert_eq!(q.as_deref(), Some("afpa"));
    assert!(still_same_page(&s).await, "every step without a page load");
    s.finish().await;
}
in_both_browsers!(an_agent_narrows_a_search_with_facets_and_goes_back);

/// A facet's other values appear in place on « Afficher N de plus » (the page and its data held only the first six),
/// and one of them filters like the others.
async fn a_facets_other_values_open_in_place(browser: Browser) {
    let s = Session::start(browser).await;
    // Sorted A–Z: the page hydrates from the search alone (its results are in the HTML), and what follows keeps it.
    sign_in_at(&s, "/etablissements?tri=az", "admin").await;
    hydrated(&s).await;
    mark_page(&s).await;
    let count = async || s.client.find_all(Locator::Css("#facette-departement input")).await.expect("inputs").len();
    assert_eq!(count().await, 6, "the server's results, kept by hydration");
    let searches =
        "return performance.getEntriesByType('resource').filter(e => e.name.includes('/api/etablissements')).length;";
    assert_eq!(s.client.execute(searches, vec![]).await.expect("script"), 0, "hydrated without searching again");
    s.screenshot("facette-fermee").await;
    click(&s, Locator::Css("#plus-departement")).await;
    // The search runs again with the facet open (its URL replaces the current one): the fiftieth value arrives.
    wait_for(&s, Locator::Css("#facette-departement > div.fr-fieldset__element:nth-of-type(50)")).await;
    let last = wait_for(&s, Locator::Css("#facette-departement .fr-fieldset__element:last-child label")).await;
    assert!(count().await > 50, "every département is listed");
    let focused =
        "return document.activeElement.closest('#facette-departement .fr-fieldset__element:nth-of-type(7)') !== null;";
    assert_eq!(
        s.client.execute(focused, vec![]).await.expect("script"),
        true,
        "the keyboard is on the first value shown"
    );
    s.screenshot("facette-ouverte").await;
    assert!(still_same_page(&s).await, "no page load: opened in place");
    assert_eq!(s.client.execute(searches, vec![]).await.expect("script"), 1, "one search, to open the facet");
    assert_eq!(current_path(&s).await, "/etablissements?tri=az&ouvrir=departement");
    let code = last.attr("for").await.expect("for").unwrap_or_default().trim_start_matches("departement-").to_owned();
    last.click().await.expect("tick the last département");
    wait_for_path(&s, &format!("/etablissements?departement={code}&tri=az&ouvrir=departement")).await;
    wait_for_checked(&s, &format!("input#departement-{code}")).await;
    s.finish().await;
}
in_both_browsers!(a_facets_other_values_open_in_place);

/// A DREETS agent corrects a centre's identification: a refused field is explained before anything is sent, the
/// commune list follows the code postal, the block shows what was stored, and the search finds the new name.
async fn an_agent_edits_a_centre_identification(browser: Browser) {
    let s = Session::start(browser).await;
    sign_in_at(&s, "/etablissements?q=53060076600022", "dreets-occ").await;
    click(&s, Locator::XPath("//ul[@id='resultats-centres']//a[contains(., '16 30 FORMATION')]")).await;
    icon_drawn(&s, "#identification-modifier", "design/edit-line.svg").await;
    click(&s, Locator::Css("#identification-modifier")).await;
    let name = wait_for(&s, Locator::Css("#identification-raison_sociale")).await;
    wait_for_text(&s, "#identification-commune", "Bagnols-sur-Cèze").await;

    empty_field(&name).await;
    click(&s, Locator::Css("#identification-enregistrer")).await;
    let error = text_of(&s, "#identification-erreur").await;
    assert!(error.contains("Saisissez la raison sociale"), "{error}");

    name.send_keys("16 30 FORMATION GARD").await.expect("type");
    let cp = s.client.find(Locator::Css("#identification-code_postal")).await.expect("code postal");
    empty_field(&cp).await;
    cp.send_keys("30130").await.expect("type");
    wait_for_text(&s, "#identification-commune", "Pont-Saint-Esprit").await;
    let commune = s.client.find(Locator::Css("#identification-commune")).await.expect("commune");
    commune.select_by_label("Pont-Saint-Esprit").await.expect("choose the commune");
    s.screenshot("identification-centre").await;
    click(&s, Locator::Css("#identification-enregistrer")).await;
    let block = wait_for_text(&s, "#identification", "16 30 FORMATION GARD").await;
    assert!(block.contains("30130 - PONT SAINT ESPRIT") || block.contains("30130 - Pont-Saint-Esprit"), "{block}");
    assert!(s.client.find(Locator::Css("#identification-modifier")).await.is_ok(), "back to reading");

    click(&s, Locator::XPath("//a[contains(@class,'fr-breadcrumb__link') and .='Établissements']")).await;
    type_search(&s, "formation gard").await;
    wait_for_text(&s, "#resultats-centres", "16 30 FORMATION GARD").await;
    s.finish().await;
}
in_both_browsers!(an_agent_edits_a_centre_identification);

/// The national admin opens a national relaxation window: an incomplete form is explained before anything is sent,
/// then the window is listed.
async fn the_national_admin_opens_a_relaxation_window(browser: Browser) {
    let s = Session::start(browser).await;
    sign_in_at(&s, "/etablissements", "admin").await;
    click(&s, Locator::XPath("//a[contains(@class,'fr-nav__link') and .='Règles de délai']")).await;
    wait_for_text(&s, "#table-regles", "Demande de DTE au moins 3 mois avant le début de la session").await;
    // The demo's past window (its history) is listed.
    wait_for_text(&s, "#table-derogations", "Assouplissement national des délais").await;

    click(&s, Locator::Css("#derogation-ouvrir")).await;
    let error = text_of(&s, "#derogation-erreur").await;
    assert!(error.contains("Donnez à la dérogation un nom") && error.contains("Cochez au moins une règle"), "{error}");

    wait_for(&s, Locator::Css("#derogation-nom")).await.send_keys("Assouplissement national 2019").await.expect("type");
    for (id, value) in [("derogation-debut", "2019-02-11"), ("derogation-fin", "2019-04-10")] {
        set_date(&s, id, value).await;
    }
    for code in ["programmation_3_mois", "demande_dte_3_mois", "convocation_1_mois"] {
        click(&s, Locator::Css(&format!("label[for='derogation-regle-{code}']"))).await;
    }
    wait_for(&s, Locator::Css("#derogation-motif")).await.send_keys("Mise en service de CERES").await.expect("type");
    click(&s, Locator::Css("#derogation-ouvrir")).await;
    wait_for(&s, Locator::Css("#derogation-ouverte")).await;
    let table = wait_for_text(&s, "#table-derogations", "Assouplissement national 2019").await;
    assert!(table.contains("Nationale") && table.contains("du 11/02/2019 au 10/04/2019"), "{table}");
    s.screenshot("regles-derogation").await;
    s.finish().await;
}
in_both_browsers!(the_national_admin_opens_a_relaxation_window);

/// With the clock on 25 February 2019, `centre-1630` asks for the DTE of a session starting on 20 April: the dialog
/// says before any click that the request is late, with the rule and the date, and « CONTINUER » stays off. Once a
/// national relaxation window is open, the same dialog warns that the entry will be « hors délai », the request with
/// 0 candidates goes through, and the « Traçabilité » shows it flagged.
async fn a_centre_requests_its_dte_under_the_deadline_rules(browser: Browser) {
    let today = chrono::NaiveDate::from_ymd_opt(2019, 2, 25).expect("date");
    let s = Session::start_on(browser, today).await;
    let id =
        s.server.insert_session("53060076600022", chrono::NaiveDate::from_ymd_opt(2019, 4, 20).expect("date")).await;
    sign_in_at(&s, &format!("/sessions/{id}"), "centre-1630").await;
    // Badges are shown in capitals: compare in lower case.
    let due = text_of(&s, "#echeance").await.to_lowercase();
    assert_eq!(due, "délai dépassé depuis le 20/01/2019 pour la demande de dte");
    click(&s, Locator::Css("#demander-dte")).await;
    let verdict = text_of(&s, "#verdict-dte").await;
    assert!(
        verdict.contains(
            "La demande de DTE doit être faite au plus tard le 20/01/2019, 3 mois avant le début de la session."
        ),
        "{verdict}"
    );
    let go = s.client.find(Locator::Css("#dte-continuer")).await.expect("button");
    assert!(!go.is_enabled().await.expect("enabled?"), "« CONTINUER » is off while the rule blocks");
    s.screenshot("dte-refusee").await;
    click(&s, Locator::Css("#dte-abandonner")).await;

    // The national relaxation window of 2019 (opened by the admin: see the test of « Règles de délai »).
    {
        use sea_orm::{ActiveModelTrait, Set};
        app::db::entity::derogation::ActiveModel {
            nom: Set("Assouplissement national 2019".into()),
            portee: Set("nationale".into()),
            region_code: Set(None),
            session_id: Set(None),
            debut: Set(chrono::NaiveDate::from_ymd_opt(2019, 2, 11).expect("date")),
            fin: Set(chrono::NaiveDate::from_ymd_opt(2019, 4, 10).expect("date")),
            regles: Set("programmation_3_mois,demande_dte_3_mois,convocation_1_mois".into()),
            motif: Set("Mise en service de CERES".into()),
            created_by: Set(None),
            created_at: Set(chrono::Utc::now()),
            ..Default::default()
        }
        .insert(&s.server.state.db)
        .await
        .expect("window");
    }
    s.client.refresh().await.expect("reload");
    hydrated(&s).await;
    click(&s, Locator::Css("#demander-dte")).await;
    let verdict = text_of(&s, "#verdict-dte").await;
    assert!(
        verdict.contains("Saisie autorisée hors délai par la dérogation « Assouplissement national 2019 »"),
        "{verdict}"
    );
    wait_for(&s, Locator::Css("#dte-candidats")).await.send_keys("0").await.expect("type");
    set_date(&s, "dte-plis", "2019-04-01").await;
    click(&s, Locator::Css("#dte-continuer")).await;
    wait_for_text(&s, "#statut-session", "DTE ENVOYÉ").await;
    let dte = text_of(&s, "#dte").await.to_lowercase();
    assert!(dte.contains("saisie hors délai") && dte.contains("0 — matériel déjà pris en charge"), "{dte}");
    click(&s, Locator::Css("#onglet-tracabilite")).await;
    let trace = wait_for_text(&s, "#tracabilite", "Demande de DTE").await.to_lowercase();
    // Words only: the browsers break the badge from its explanation differently.
    let trace = trace.split_whitespace().collect::<Vec<_>>().join(" ");
    let rule = "hors délai demande de dte au moins 3 mois avant le début de la session — dérogation « assouplissement";
    assert!(trace.contains(rule) && trace.contains("dte : nombre de candidats"), "{trace}");
    assert!(s.client.find(Locator::Css("#demander-dte")).await.is_err(), "one request per session");
    s.screenshot("dte-hors-delai").await;
    s.finish().await;
}
in_both_browsers!(a_centre_requests_its_dte_under_the_deadline_rules);

/// At 375 px the navigation sits behind « Menu », which opens and leads to the establishments.
async fn the_menu_works_on_a_phone_sized_screen(browser: Browser) {
    let s = Session::start(browser).await;
    s.client.set_window_size(375, 800).await.expect("resize");
    sign_in_at(&s, "/etablissements", "ud-33").await;
    s.screenshot("mobile-etablissements").await;
    click(&s, Locator::Css("#button-menu")).await;
    let nav = wait_for(&s, Locator::Css("#modal-menu.fr-modal--opened a.fr-nav__link")).await;
    assert!(nav.is_displayed().await.expect("displayed"), "the menu shows its links");
    assert!(text_of(&s, "#modal-menu").await.contains("Se déconnecter"));
    s.screenshot("mobile-menu").await;
    nav.click().await.expect("follow the link");
    hydrated(&s).await;
    assert!(current_path(&s).await.starts_with("/etablissements"));
    s.finish().await;
}
in_both_browsers!(the_menu_works_on_a_phone_sized_screen);

/// A wrong password is explained in French on the sign-in page; signing out returns there.
async fn sign_in_errors_and_sign_out_are_explained(browser: Browser) {
    let s = Session::start(browser).await;
    s.client.goto(&s.url("/connexion")).await.expect("goto");
    s.submit_sign_in("admin", "pas-le-bon").await;
    let error = text_of(&s, "#erreur-connexion").await;
    assert!(error.contains("Identifiant ou mot de passe incorrect"), "{error}");
    sign_in_at(&s, "/connexion", "admin").await;
    click(
        &s,
        Locator::XPath("//header//div[contains(@class,'fr-header__tools')]//button[contains(., 'Se déconnecter')]"),
    )
    .await;
    wait_for(&s, Locator::XPath("//*[contains(., 'Vous êtes déconnecté.')]")).await;
    s.finish().await;
}
in_both_browsers!(sign_in_errors_and_sign_out_are_explained);

/// The console check itself catches a page error (otherwise every scenario above could pass blindly).
async fn a_console_error_on_the_page_is_caught(browser: Browser) {
    let s = Session::start(browser).await;
    s.client.goto(&s.url("/connexion")).await.expect("goto");
    hydrated(&s).await;
    assert!(s.console_errors().await.is_empty());
    // From a script of the page itself: Firefox reports page scripts' console, not WebDriver's sandbox. The
    // Content-Security-Policy runs inline scripts only with the page's nonce: the test script borrows it.
    let script = "const s = document.createElement('script'); \
                  s.nonce = document.querySelector('script[nonce]').nonce; \
                  s.textContent = \"console.error('erreur de test CERES')\"; \
                  document.head.appendChild(s); return true;";
    s.client.execute(script, vec![]).await.expect("script");
    let mut errors = Vec::new();
    for _ in 0..50 {
        errors = s.console_errors().await;
        if !errors.is_empty() {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    assert!(errors.iter().any(|e| e.contains("erreur de test CERES")), "{browser:?} missed it: {errors:?}");
    s.abandon().await;
}
in_both_browsers!(a_console_error_on_the_page_is_caught);

/// A UD validator moves through its navigation: sessions of its département filtered by state, then validation.
async fn a_validator_browses_its_sessions_from_the_navigation(browser: Browser) {
    let s = Session::start(browser).await;
    sign_in_at(&s, "/etablissements", "ud-30").await;
    mark_page(&s).await;
    // The search page runs on the main WASM module alone; the sessions page's module comes when it is shown.
    assert_eq!(split_modules_fetched(&s).await, Vec::<String>::new());
    click(&s, Locator::XPath("//nav[@id='navigation']//a[.='Sessions']")).await;
    wait_for(&s, Locator::Css("#table-sessions")).await;
    assert_eq!(current_path(&s).await, "/sessions");
    let fetched = split_modules_fetched(&s).await;
    assert!(fetched.iter().any(|m| m.starts_with("split_sessions")), "{fetched:?}");
    let select = wait_for(&s, Locator::Css("select#statut")).await;
    select.select_by_value("resultats_saisis").await.expect("choose a state");
    click(&s, Locator::XPath("//form[@id='filtre-sessions']//button")).await;
    let mut table = String::new();
    for _ in 0..100 {
        // Rendered text: the DSFR writes badges in capitals.
        table = text_of(&s, "#table-sessions tbody").await.to_lowercase();
        if current_path(&s).await.starts_with("/sessions?statut=resultats_saisis") && !table.contains("en préparation")
        {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    let path = current_path(&s).await;
    assert!(path.starts_with("/sessions?statut=resultats_saisis"), "{path}");
    assert!(table.contains("résultats saisis") && !table.contains("en préparation"), "{table}");
    // « Exporter » follows the filter, and downloads what the list holds.
    let export = wait_for(&s, Locator::Css("#exporter-sessions")).await;
    let href = export.attr("href").await.expect("href").unwrap_or_default();
    assert_eq!(href, "/sessions/export.csv?statut=resultats_saisis");
    let total = text_of(&s, "#total-sessions").await;
    let answer = s
        .client
        .execute_async(
            "const done = arguments[arguments.length - 1];
             fetch(arguments[0]).then(r => r.text().then(t => done([r.status, t])));",
            vec![serde_json::json!(href)],
        )
        .await
        .expect("export");
    assert_eq!(answer[0], 200, "{answer}");
    let csv = answer[1].as_str().unwrap_or_default();
    let lines: Vec<&str> = csv.trim_start_matches('\u{feff}').split("\r\n").filter(|l| !l.is_empty()).collect();
    assert!(lines[0].starts_with("Session;Type;Code titre;Titre;Centre;"), "{csv}");
    assert!(lines[1..].iter().all(|l| l.contains(";Résultats saisis;")), "{csv}");
    let count: String = total.chars().filter(char::is_ascii_digit).collect();
    assert_eq!((lines.len() - 1).to_string(), count, "{total}");
    s.screenshot("sessions-ud30").await;
    s.client.set_window_size(375, 800).await.expect("resize");
    s.screenshot("sessions-ud30-375").await;
    s.client.set_window_size(1280, 900).await.expect("resize");
    click(&s, Locator::XPath("//nav[@id='navigation']//a[.='Validation']")).await;
    wait_for(&s, Locator::XPath("//h1[.='Sessions à valider']")).await;
    assert!(text_of(&s, "#table-sessions").await.contains("16 30 FORMATION"));
    assert!(still_same_page(&s).await, "the navigation is client-side once hydrated");
    s.screenshot("validation-ud30").await;
    // The demo's history: a session whose DTE or convocations went out late under the past national window, and
    // its traçabilité, from the creation by the centre to the results.
    click(&s, Locator::Css("#filtre-hors-delai")).await;
    let mut rows = Vec::new();
    for _ in 0..100 {
        rows = s.client.find_all(Locator::Css("#table-sessions tbody tr")).await.expect("rows");
        let mut all_late = !rows.is_empty() && current_path(&s).await == "/validation?hors_delai=1";
        for r in &rows {
            all_late &= r.text().await.unwrap_or_default().to_lowercase().contains("hors délai");
        }
        if all_late {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    assert!(!rows.is_empty(), "the demo has late entries in the Gard");
    rows[0].find(Locator::Css("a")).await.expect("link").click().await.expect("open a late session");
    // Before validating, the checks: the late entries are to look at.
    let delais = wait_for_text(&s, "#controle-delais", "hors délai").await.to_lowercase();
    assert!(delais.contains("à vérifier") && delais.contains("dérogation"), "{delais}");
    let resume = text_of(&s, "#controles-resume").await;
    assert!(resume.contains("à vérifier") && resume.contains("en connaissance de cause"), "{resume}");
    s.screenshot("controles-demo").await;
    s.client.set_window_size(375, 800).await.expect("resize");
    s.client.execute("document.querySelector('#controles').scrollIntoView()", vec![]).await.expect("scroll");
    s.screenshot("controles-demo-375").await;
    s.client.set_window_size(1280, 900).await.expect("resize");
    click(&s, Locator::Css("#onglet-tracabilite")).await;
    let trace = wait_for_text(&s, "#tracabilite", "Création de la session").await.to_lowercase();
    let trace = trace.split_whitespace().collect::<Vec<_>>().join(" ");
    assert!(trace.contains("hors délai") && trace.contains("dérogation « assouplissement national des délais »"));
    for entry in ["import de candidats", "demande de dte", "envoi des convocations", "saisie des résultats"] {
        assert!(trace.contains(entry), "{entry}: {trace}");
    }
    let script = "document.querySelector('#tracabilite .fr-badge--warning').scrollIntoView({block: 'center'})";
    s.client.execute(script, vec![]).await.expect("scroll to the late entry");
    s.screenshot("tracabilite-demo").await;
    s.finish().await;
}
in_both_browsers!(a_validator_browses_its_sessions_from_the_navigation);

/// The national admin's list of DTE requests: those still to ship first, page after page, then every request, the
/// oldest first — in place once hydrated.
async fn the_national_admin_pages_through_the_dte_requests(browser: Browser) {
    let s = Session::start(browser).await;
    sign_in_at(&s, "/administration/demandes-dte", "admin").await;
    mark_page(&s).await;
    let today = chrono::Local::now().date_naive();
    let first_date = |text: String| {
        chrono::NaiveDate::parse_from_str(text.trim(), "%d/%m/%Y").unwrap_or_else(|e| panic!("{text:?}: {e}"))
    };
    let to_ship = wait_for_text(&s, "#total-dte", "demandes à expédier").await;
    assert!(first_date(text_of(&s, "#table-dte tbody tr td").await) >= today, "still to ship");
    wait_for_text(&s, ".fr-pagination", "Page 1 sur").await;
    assert_eq!(s.client.find_all(Locator::Css("#table-dte tbody tr")).await.expect("rows").len(), 50);

    click(&s, Locator::XPath("//nav[contains(@class,'fr-pagination')]//a[.='Page suivante']")).await;
    wait_for_path(&s, "/administration/demandes-dte?page=2").await;
    wait_for_text(&s, ".fr-pagination", "Page 2 sur").await;
    assert_eq!(text_of(&s, "#total-dte").await, to_ship, "the same list");

    click(&s, Locator::XPath("//ul[@id='periode-dte']//a[.='Toutes les demandes']")).await;
    wait_for_path(&s, "/administration/demandes-dte?toutes=1").await;
    let mut total = String::new();
    for _ in 0..100 {
        total = text_of(&s, "#total-dte").await;
        if !total.contains("à expédier") {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    assert!(total.ends_with(" demandes") && total != to_ship, "{total}");
    wait_for_text(&s, ".fr-pagination", "Page 1 sur").await;
    assert!(first_date(text_of(&s, "#table-dte tbody tr td").await) < today, "every request, the oldest first");
    assert!(still_same_page(&s).await, "the list changes in place once hydrated");
    s.screenshot("demandes-dte-toutes").await;
    s.client.set_window_size(375, 800).await.expect("resize");
    s.screenshot("demandes-dte-toutes-375").await;
    s.finish().await;
}
in_both_browsers!(the_national_admin_pages_through_the_dte_requests);

/// Each page split out of the main WASM module hydrates when opened by a full page load: its module is fetched
/// before hydration (`app::hydrate`), or the router would find it missing and panic.
async fn each_split_out_page_hydrates_when_opened_directly(browser: Browser) {
    let s = Session::start(browser).await;
    let id =
        s.server.insert_session("53060076600022", chrono::NaiveDate::from_ymd_opt(2019, 4, 20).expect("date")).await;
    sign_in_at(&s, "/administration", "admin").await;
    let session = format!("/sessions/{id}");
    for path in [
        "/administration",
        "/administration/regles",
        "/administration/demandes-dte",
        "/sessions",
        "/validation",
        session.as_str(),
    ] {
        s.client.goto(&s.url(path)).await.expect("goto");
        hydrated(&s).await;
        assert_eq!(current_path(&s).await, path);
        let title = text_of(&s, "main h1").await;
        assert!(!title.is_empty(), "{path}: no title");
        let fetched = split_modules_fetched(&s).await;
        assert!(!fetched.is_empty(), "{path}: no split-out module fetched");
        // The server named the page's files in preload links, and the loader's fetch used them: each file was
        // downloaded once (a preload that did not match the fetch would show a second download).
        let preloaded = s
            .client
            .execute(
                "return [...document.querySelectorAll('link[rel=preload][as=fetch]')].map(l => l.href)\
                 .filter(h => /\\/(split|chunk)_/.test(h))\
                 .map(h => [h, performance.getEntriesByName(h).length]);",
                vec![],
            )
            .await
            .expect("read the preload links");
        let preloaded: Vec<(String, usize)> = serde_json::from_value(preloaded).expect("pairs");
        assert!(preloaded.iter().any(|(h, _)| h.contains("/split_")), "{path}: no preload link for its module");
        for (href, downloads) in &preloaded {
            assert_eq!(*downloads, 1, "{path}: {href} downloaded {downloads} times");
        }
    }
    s.finish().await;
}
in_both_browsers!(each_split_out_page_hydrates_when_opened_directly);

/// A split-out page whose module cannot be fetched (here, every `.wasm` fetch fails, as when the network drops)
/// says so in French instead of stopping the application, which keeps working.
async fn a_page_whose_module_cannot_be_fetched_says_so(browser: Browser) {
    let s = Session::start(browser).await;
    sign_in_at(&s, "/etablissements", "ud-30").await;
    mark_page(&s).await;
    s.client
        .execute(
            "const real = window.fetch;
             window.fetch = (input, init) => String(input).endsWith('.wasm')
               ? Promise.reject(new TypeError('réseau coupé')) : real(input, init);
             return true;",
            vec![],
        )
        .await
        .expect("cut the network for .wasm files");
    click(&s, Locator::XPath("//nav[@id='navigation']//a[.='Sessions']")).await;
    let alert = wait_for_text(&s, "#page-non-chargee", "La page n'a pas pu être chargée").await;
    assert!(alert.contains("rechargez la page"), "{alert}");
    s.screenshot("page-non-chargee").await;
    assert!(still_same_page(&s).await, "the application is still running");
    s.client.back().await.expect("back");
    wait_for(&s, Locator::Css("input#q")).await;
    assert!(still_same_page(&s).await, "back to the search without a page load");
    // The loader reports the failed fetch; nothing may panic.
    let errors = s.console_errors().await;
    assert!(!errors.iter().any(|e| e.contains("panicked") || e.contains("unreachable")), "{errors:?}");
    s.abandon().await;
}
in_both_browsers!(a_page_whose_module_cannot_be_fetched_says_so);

/// The split-out pages' modules (`split_*.wasm`, scripts/build.sh) this page has fetched so far.
async fn split_modules_fetched(s: &Session) -> Vec<String> {
    let names = s
        .client
        .execute(
            "return performance.getEntriesByType('resource').map(e => new URL(e.name).pathname.split('/').pop())\
             .filter(n => n.startsWith('split_'));",
            vec![],
        )
        .await
        .expect("read the resources the page fetched");
    serde_json::from_value(names).expect("a list of names")
}

/// Without JavaScript, CERES still works: sign in, search with the form (Enter), open the site.
async fn everything_works_with_javascript_disabled(browser: Browser) {
    let s = Session::start_without_javascript(browser).await;
    s.client.goto(&s.url("/etablissements")).await.expect("goto");
    s.submit_sign_in("dreets-naq", "ceres-demo").await;
    let input = wait_for(&s, Locator::Css("input#q")).await;
    assert!(s.client.find(Locator::Css("body[data-hydrated]")).await.is_err(), "no script ran");
    input.send_keys("floirac\u{E007}").await.expect("type and press Enter");
    wait_for(&s, Locator::XPath("//ul[@id='resultats-sites']//a[contains(., 'FCMB- Floirac')]")).await;
    // The form sends every field (scope and sort too): the same state as the shorter URL.
    let url = current_path(&s).await;
    assert!(url.starts_with("/etablissements?q=floirac&"), "{url}");
    // Facets are checkboxes of the same GET form: tick one and apply.
    click(&s, Locator::Css("label[for='region-75']")).await;
    click(&s, Locator::Css("#appliquer")).await;
    // The form's page load may still be under way when the click returns.
    let mut url = current_path(&s).await;
    for _ in 0..50 {
        if url.contains("region=75") {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
        url = current_path(&s).await;
    }
    assert!(url.starts_with("/etablissements?q=floirac&") && url.contains("region=75"), "{url}");
    let hit = wait_for(&s, Locator::XPath("//ul[@id='resultats-sites']//a[contains(., 'FCMB- Floirac')]")).await;
    assert!(s.client.find(Locator::Css("input#region-75[checked]")).await.is_ok(), "the filter shows as chosen");
    hit.click().await.expect("open the site");
    let agrements = text_of(&s, "#agrements").await;
    assert!(agrements.contains("Agrément accordé le 19/10/2018"), "{agrements}");
    s.finish().await;
}
in_both_browsers!(everything_works_with_javascript_disabled);

/// Procedure A of the 2019 support note: `dreets-naq` finds « FCMB- Floirac » under the Centre de reprise, tries to
/// transfer it to 78184280200048 and is told no centre has that SIRET, registers the centre from the company
/// registry, transfers the site to it, and sees the site's agréments on the new centre.
async fn a_dreets_agent_follows_procedure_a(browser: Browser) {
    procedure_a(browser, false).await
}
in_both_browsers!(a_dreets_agent_follows_procedure_a);

/// Procedure A on a phone-sized screen (375 px).
async fn a_dreets_agent_follows_procedure_a_on_a_phone(browser: Browser) {
    procedure_a(browser, true).await
}
in_both_browsers!(a_dreets_agent_follows_procedure_a_on_a_phone);

async fn procedure_a(browser: Browser, phone: bool) {
    let s = Session::start(browser).await;
    if phone {
        s.client.set_window_size(375, 800).await.expect("resize");
    }
    sign_in_at(&s, "/etablissements?q=floirac", "dreets-naq").await;
    click(&s, Locator::XPath("//ul[@id='resultats-sites']//a[contains(., 'FCMB- Floirac')]")).await;
    wait_for(&s, Locator::XPath("//h1[@id='titre-site' and .='FCMB- Floirac']")).await;
    assert!(text_of(&s, "main").await.contains("Centre de reprise"));

    // « TRANSFÉRER LE SITE » to a centre CERES does not know yet.
    click(&s, Locator::Css("#transferer-site")).await;
    assert_eq!(text_of(&s, "#titre-transfert").await, "Vers quel centre souhaitez-vous transférer le site ?");
    wait_for(&s, Locator::Css("#transfert-siret")).await.send_keys("78184280200048").await.expect("type");
    let unknown = text_of(&s, "#transfert-erreur").await;
    assert!(unknown.contains("Le siret saisi ne correspond pas à un centre enregistré dans CERES"), "{unknown}");
    s.screenshot(&format!("transfert-siret-inconnu{}", if phone { "-375" } else { "" })).await;

    // « Enregistrer un centre », filled in from the company registry.
    click(&s, Locator::Css("#transfert-enregistrer")).await;
    // The dialog opens on the SIRET step and moves on once the registry has answered.
    wait_for(&s, Locator::XPath("//h1[@id='titre-enregistrement' and .='Compléter les informations du centre']")).await;
    let identity = text_of(&s, "#enregistrement-identite").await;
    assert!(
        identity.contains("FEDERATION COMPAGNONNIQUE BATIMENT FLOIRAC") && identity.contains("33270 - FLOIRAC"),
        "{identity}"
    );
    wait_for(&s, Locator::Css("select#type-centre"))
        .await
        .select_by_label("Organisme de formation privé")
        .await
        .expect("type");
    wait_for(&s, Locator::Css("select#reseau"))
        .await
        .select_by_label("Fédération compagnonnique")
        .await
        .expect("réseau");
    s.screenshot("enregistrement-centre").await;
    click(&s, Locator::Css("#enregistrement-creer")).await;
    wait_for(
        &s,
        Locator::XPath(
            "//h1[@id='titre-centre' and contains(., 'FEDERATION COMPAGNONNIQUE BATIMENT FLOIRAC (78184280200048)')]",
        ),
    )
    .await;
    assert!(text_of(&s, "main").await.contains("Fédération compagnonnique"));

    // Back to the site: the transfer now finds the centre.
    s.client.goto(&s.url("/etablissements?q=fcmb")).await.expect("goto");
    hydrated(&s).await;
    click(&s, Locator::XPath("//ul[@id='resultats-sites']//a[contains(., 'FCMB- Floirac')]")).await;
    click(&s, Locator::Css("#transferer-site")).await;
    wait_for(&s, Locator::Css("#transfert-siret")).await.send_keys("781 842 802 00048").await.expect("type");
    let target = text_of(&s, "#transfert-cible").await;
    assert!(target.contains("FEDERATION COMPAGNONNIQUE BATIMENT FLOIRAC"), "{target}");
    click(&s, Locator::Css("#transfert-continuer")).await;
    assert_eq!(
        text_of(&s, "#transfert-question").await,
        "Êtes-vous sûr de vouloir transférer le site vers le Centre FEDERATION COMPAGNONNIQUE BATIMENT FLOIRAC ?"
    );
    assert!(text_of(&s, "#modal-transfert").await.contains("5 agréments et 2 sessions"));
    s.screenshot(&format!("transfert-confirmation{}", if phone { "-375" } else { "" })).await;
    click(&s, Locator::Css("#transfert-oui")).await;
    assert!(text_of(&s, "#transfert-fait").await.contains("Le site a été transféré"));
    click(&s, Locator::XPath("//div[@id='modal-transfert']//a[contains(., 'Accéder au détail du centre')]")).await;
    wait_for(&s, Locator::XPath("//h1[@id='titre-centre' and contains(., 'FEDERATION COMPAGNONNIQUE')]")).await;
    assert!(text_of(&s, "#sites-rattaches").await.contains("FCMB- Floirac"));
    let agrements = text_of(&s, "#agrements").await;
    assert!(
        agrements.contains("Agrément accordé le 19/10/2018") && agrements.contains("Plaquiste-plâtrier"),
        "{agrements}"
    );
    s.finish().await;
}

/// Procedure B's rule, on a phone-sized screen: the DREETS of another région sees the site but no transfer button.
async fn the_dreets_of_another_region_cannot_transfer(browser: Browser) {
    let s = Session::start(browser).await;
    s.client.set_window_size(375, 800).await.expect("resize");
    sign_in_at(&s, "/etablissements?q=fcmb", "dreets-occ").await;
    click(&s, Locator::XPath("//ul[@id='resultats-sites']//a[contains(., 'FCMB- Floirac')]")).await;
    wait_for(&s, Locator::XPath("//h1[@id='titre-site' and .='FCMB- Floirac']")).await;
    wait_for(&s, Locator::Css("#acceder-centre")).await;
    assert!(s.client.find(Locator::Css("#transferer-site")).await.is_err(), "no transfer button for Occitanie");
    s.screenshot("site-sans-transfert-375").await;

    // A request forged from the agent's own signed-in page (same origin, its cookie) is refused all the same.
    let site_id = current_path(&s).await.trim_start_matches("/sites/").to_owned();
    let answer = s
        .client
        .execute_async(
            "const done = arguments[arguments.length - 1];
             fetch('/api/transfert', { method: 'POST', headers: { 'Content-Type': 'application/x-www-form-urlencoded',
               'Accept': 'application/json' }, body: 'site_id=' + arguments[0] + '&siret=82422814201098&expected_centre_id=1' })
               .then(r => r.text().then(t => done([r.status, t])));",
            vec![serde_json::json!(site_id)],
        )
        .await
        .expect("forged request");
    assert_eq!(answer[0], 403, "{answer}");
    assert!(answer[1].as_str().unwrap_or_default().contains("Interdit"), "{answer}");
    let logged = s.console_errors().await;
    assert!(logged.iter().all(|e| e.contains("/api/transfert") && e.contains("403")), "only the refusal: {logged:?}");
    s.client.refresh().await.expect("reload");
    wait_for(&s, Locator::Css("#acceder-centre")).await;
    assert!(text_of(&s, "main").await.contains("Centre de reprise"), "the site did not move");
    s.finish().await;
}
in_both_browsers!(the_dreets_of_another_region_cannot_transfer);

/// Procedure C: an agent edits a centre's activation letter (the PDF the button downloads), and the centre's staff
/// activate the account with its code from the sign-in page, then sign in with it.
async fn a_centre_activates_its_account_with_the_letters_code(browser: Browser) {
    procedure_c(browser, false).await
}
in_both_browsers!(a_centre_activates_its_account_with_the_letters_code);

/// Procedure C on a phone-sized screen (375 px).
async fn a_centre_activates_its_account_on_a_phone(browser: Browser) {
    procedure_c(browser, true).await
}
in_both_browsers!(a_centre_activates_its_account_on_a_phone);

/// « Se déconnecter »: in the header's tools on a desktop, in the « Menu » dialog on a phone.
async fn sign_out(s: &Session, phone: bool) {
    if phone {
        // The « Menu » dialog opens from the hydrated page.
        hydrated(s).await;
        click(s, Locator::Css("#button-menu")).await;
        click_when_shown(s, Locator::XPath("//*[@id='modal-menu']//button[contains(., 'Se déconnecter')]")).await;
    } else {
        click(
            s,
            Locator::XPath("//header//div[contains(@class,'fr-header__tools')]//button[contains(., 'Se déconnecter')]"),
        )
        .await;
    }
}

async fn procedure_c(browser: Browser, phone: bool) {
    let s = Session::start(browser).await;
    if phone {
        s.client.set_window_size(375, 800).await.expect("resize");
    }
    sign_in_at(&s, "/etablissements?q=opus", "dreets-naq").await;
    click(&s, Locator::XPath("//ul[@id='resultats-centres']//a[contains(., 'OPUS FORMATION')]")).await;
    wait_for(&s, Locator::Css("#courrier-activation")).await;
    let centre_path = current_path(&s).await;
    // The request the button's form makes, fetched from the page so the PDF comes back to the test.
    let script = format!(
        "const done = arguments[arguments.length - 1];
         fetch('{centre_path}/courrier-activation', {{ method: 'POST' }})
           .then(r => r.arrayBuffer())
           .then(b => done(Array.from(new Uint8Array(b)).map(x => x.toString(16).padStart(2, '0')).join('')));"
    );
    let hex = s.client.execute_async(&script, vec![]).await.expect("letter");
    let pdf = hex::decode(hex.as_str().unwrap_or_default()).expect("hex");
    let code = crate::support::code_in_letter(&pdf);
    sign_out(&s, phone).await;

    // The centre's staff, from the sign-in page.
    click(&s, Locator::Css("#lien-activation")).await;
    let form = wait_for(&s, Locator::Css("#form-activation")).await;
    for (field, value) in [
        ("#siret", "OPUS_SIRET"),
        ("#code", code.as_str()),
        ("#identifiant-activation", "lea.opus"),
        ("#mot-de-passe-activation", "mot de passe du centre"),
        ("#confirmation-activation", "mot de passe du centre"),
    ] {
        let value =
            if value == "OPUS_SIRET" { crate::support::siret_of(&s, "OPUS FORMATION").await } else { value.to_owned() };
        form.find(Locator::Css(field)).await.expect("field").send_keys(&value).await.expect("type");
    }
    s.screenshot(&format!("activation{}", if phone { "-375" } else { "" })).await;
    form.find(Locator::Css("button[type=submit]")).await.expect("button").click().await.expect("click");
    assert!(text_of(&s, "#compte-active").await.contains("Le compte de votre centre est activé"));
    if !phone {
        // (On a phone the account's name is inside « Menu ».)
        assert!(text_of(&s, "header").await.contains("lea.opus"));
    }
    assert!(text_of(&s, "#titre-centre").await.contains("OPUS FORMATION"));

    // Signed out, the new account signs in and lands on its centre.
    sign_out(&s, phone).await;
    s.submit_sign_in("lea.opus", "mot de passe du centre").await;
    wait_for(&s, Locator::XPath("//h1[@id='titre-centre' and contains(., 'OPUS FORMATION')]")).await;
    s.finish().await;
}

/// A centre's user edits its « Représentant du centre »: a wrong phone number is explained, then saved.
async fn a_centre_user_edits_its_representant(browser: Browser) {
    let s = Session::start(browser).await;
    sign_in_at(&s, "/", "centre-1630").await;
    wait_for(&s, Locator::XPath("//h1[@id='titre-centre' and contains(., '16 30 FORMATION')]")).await;
    click(&s, Locator::Css("#representant-centre-modifier")).await;
    let nom = wait_for(&s, Locator::Css("#representant-centre-nom")).await;
    nom.clear().await.expect("clear");
    nom.send_keys("Dupont").await.expect("type");
    wait_for(&s, Locator::Css("#representant-centre-genre")).await.select_by_value("Madame").await.expect("genre");
    let tel = wait_for(&s, Locator::Css("#representant-centre-telephone")).await;
    tel.send_keys("12 34").await.expect("type");
    click(&s, Locator::Css("#representant-centre-enregistrer")).await;
    let error = text_of(&s, "#representant-centre-erreur").await;
    assert!(error.contains("n'est pas un numéro de téléphone"), "{error}");
    tel.clear().await.expect("clear");
    tel.send_keys("0466123456").await.expect("type");
    click(&s, Locator::Css("#representant-centre-enregistrer")).await;
    wait_for(&s, Locator::Css("#representant-centre-modifier")).await;
    let block = text_of(&s, "#representant-centre").await;
    assert!(block.contains("Dupont") && block.contains("Madame") && block.contains("04 66 12 34 56"), "{block}");
    s.screenshot("representant-modifie").await;
    s.finish().await;
}
in_both_browsers!(a_centre_user_edits_its_representant);

/// A centre's user declares a convention with a training body (« Organismes de formation conventionnés »): a date of
/// sending after the date of effect is explained in the form, then the registry names the body and the list shows it.
/// The demo's own convention asks for its avenant.
async fn a_centre_user_declares_a_convention(browser: Browser) {
    let s = Session::start(browser).await;
    sign_in_at(&s, "/", "centre-1630").await;
    wait_for(&s, Locator::XPath("//h1[@id='titre-centre' and contains(., '16 30 FORMATION')]")).await;
    // The badge is drawn in capitals (DSFR), which WebDriver's text follows.
    let block = text_of(&s, "#conventions").await.to_lowercase();
    assert!(
        block.contains("institut mediterraneen des metiers") && block.contains("attendu avant le 01/01/"),
        "{block}"
    );
    click(&s, Locator::Css("#convention-declarer")).await;
    let siret = wait_for(&s, Locator::Css("#convention-siret")).await;
    siret.send_keys("793 441 205 00028").await.expect("type");
    click(
        &s,
        Locator::XPath("//fieldset[@id='convention-titres']//label[starts-with(normalize-space(.), 'TP-01318')]"),
    )
    .await;
    let iso =
        |days: i64| app::domain::format::date_iso(chrono::Local::now().date_naive() + chrono::Duration::days(days));
    set_date(&s, "convention-envoi", &iso(-10)).await;
    set_date(&s, "convention-effet", &iso(-20)).await;
    wait_for(&s, Locator::Css("#convention-prevision-n")).await.send_keys("5").await.expect("type");
    wait_for(&s, Locator::Css("#convention-prevision-n1")).await.send_keys("7").await.expect("type");
    click(&s, Locator::Css("#convention-enregistrer")).await;
    wait_for_text(&s, "#convention-erreur", "avant sa prise d'effet").await;
    s.screenshot("convention-erreur").await;
    set_date(&s, "convention-effet", &iso(20)).await;
    click(&s, Locator::Css("#convention-enregistrer")).await;
    wait_for_text(&s, "#convention-enregistree", "ATELIERS FORMATION CEVENNES").await;
    let list = text_of(&s, "#conventions-liste").await;
    assert!(list.contains("30100 - ALES") && list.contains("TP-01318"), "{list}");
    assert!(s.client.find(Locator::Css("#convention-formulaire")).await.is_err(), "the form closed once saved");
    s.screenshot("convention-declaree").await;
    // The demo convention's avenant: next year's forecast is recorded with « Modifier », and the reminder goes.
    click(&s, Locator::XPath("//li[contains(., 'INSTITUT MEDITERRANEEN')]//button[contains(., 'Modifier')]")).await;
    for (id, value) in [("convention-prevision-n", "16"), ("convention-prevision-n1", "20")] {
        let field = wait_for(&s, Locator::Id(id)).await;
        empty_field(&field).await;
        field.send_keys(value).await.expect("type");
    }
    click(&s, Locator::Css("#convention-enregistrer")).await;
    wait_for_text(&s, "#convention-enregistree", "INSTITUT MEDITERRANEEN DES METIERS a été mise à jour").await;
    let block = text_of(&s, "#conventions").await;
    assert!(block.contains("16 candidats") && !block.to_lowercase().contains("attendu avant le"), "{block}");
    s.client.set_window_size(375, 800).await.expect("narrow");
    s.client
        .execute("document.getElementById('conventions').scrollIntoView(); return true;", vec![])
        .await
        .expect("scroll");
    s.screenshot("convention-declaree-375").await;
    s.client.set_window_size(1280, 900).await.expect("wide");
    s.finish().await;
}
in_both_browsers!(a_centre_user_declares_a_convention);

/// A titre the convention covers whose agrément has ended since: the form says so beside it, the server refuses the
/// convention until it is unticked, then takes it.
async fn a_convention_titre_without_agrement_is_to_be_unticked(browser: Browser) {
    let s = Session::start(browser).await;
    sea_orm::ConnectionTrait::execute_unprepared(
        &s.server.state.db,
        "UPDATE agrement SET statut = 'termine', date_fin = '2026-01-05' \
         WHERE titre_id IN (SELECT id FROM titre WHERE code = 'TP-00402') \
         AND site_id IN (SELECT site.id FROM site JOIN centre ON centre.id = site.centre_id \
                         WHERE centre.raison_sociale = '16 30 FORMATION')",
    )
    .await
    .expect("the agrément ends");
    sign_in_at(&s, "/", "centre-1630").await;
    click(&s, Locator::XPath("//li[contains(., 'INSTITUT MEDITERRANEEN')]//button[contains(., 'Modifier')]")).await;
    let label = "//fieldset[@id='convention-titres']//label[starts-with(normalize-space(.), 'TP-00402')]";
    let hint = format!("{label}/span[contains(@class, 'ceres-convention__sans-agrement')]");
    let hint = wait_for(&s, Locator::XPath(&hint)).await.text().await.expect("text");
    assert_eq!(hint, "Plus d'agrément en cours pour ce titre : décochez-le.");
    // Declared last year, the convention's forecast for this year is shown as this year's; next year's is asked for.
    for (id, shown) in [("convention-prevision-n", "18"), ("convention-prevision-n1", "")] {
        let value = wait_for(&s, Locator::Id(id)).await.prop("value").await.expect("value");
        assert_eq!(value.as_deref(), Some(shown), "{id}");
    }
    let others = s.client.find_all(Locator::Css("#convention-titres .ceres-convention__sans-agrement")).await;
    assert_eq!(others.expect("hints").len(), 1, "only that titre");
    let scroll = "document.getElementById('convention-titres').scrollIntoView(); return true;";
    s.client.execute(scroll, vec![]).await.expect("scroll");
    s.screenshot("convention-sans-agrement").await;
    wait_for(&s, Locator::Id("convention-prevision-n1")).await.send_keys("21").await.expect("type");
    click(&s, Locator::Css("#convention-enregistrer")).await;
    wait_for_text(&s, "#convention-erreur", "décochez ce titre").await;
    // Chromium logs the refusal (HTTP 422) as an error of the page: that one only.
    let logged = s.console_errors().await;
    assert!(logged.iter().all(|e| e.contains("/api/centre/convention") && e.contains("422")), "{logged:?}");
    click(&s, Locator::XPath(label)).await;
    click(&s, Locator::Css("#convention-enregistrer")).await;
    wait_for_text(&s, "#convention-enregistree", "INSTITUT MEDITERRANEEN DES METIERS a été mise à jour").await;
    let list = text_of(&s, "#conventions-liste").await;
    assert!(list.contains("TP-01318") && !list.contains("TP-00402"), "{list}");
    let year = chrono::Datelike::year(&chrono::Local::now());
    assert!(list.contains(&format!("{year} : 18 candidats · {} : 21 candidats", year + 1)), "{list}");
    s.finish().await;
}
in_both_browsers!(a_convention_titre_without_agrement_is_to_be_unticked);
