//! The demo data: national volumes, every région, valid SIRETs, the support note's cases, the registry file.

use app::db::entity::{agrement, centre, commune, exam_session, site};
use app::domain::siret::{CENTRE_DE_REPRISE_SIRET, Siret};
use app::registry::Company;
use sea_orm::{ColumnTrait, ConnectionTrait, DbBackend, EntityTrait, PaginatorTrait, QueryFilter, Statement};
use server::demo::{NATIONAL_CENTRES, NATIONAL_SITES};
use server::testing::{Backend, TestServer};
use std::collections::HashSet;

use crate::on_both_databases;

async fn the_national_demo_matches_ceres_in_2019(backend: Backend) {
    let srv = TestServer::start(backend, 1.0).await;
    let db = &srv.state.db;
    assert_eq!(centre::Entity::find().count(db).await.expect("count"), NATIONAL_CENTRES as u64);
    assert_eq!(site::Entity::find().count(db).await.expect("count"), NATIONAL_SITES as u64);

    // Every SIRET is valid and unique, but the centre de reprise's reserved number.
    let centres = centre::Entity::find().all(db).await.expect("centres");
    let mut seen = HashSet::new();
    for c in &centres {
        assert!(seen.insert(c.siret.clone()), "duplicate {}", c.siret);
        if c.siret != CENTRE_DE_REPRISE_SIRET {
            assert!(Siret::parse(&c.siret).is_ok(), "{} {}", c.raison_sociale, c.siret);
        }
    }
    // Sites stand in every région that has a DREETS, overseas included.
    let sites = site::Entity::find().all(db).await.expect("sites");
    let codes: Vec<String> = sites.iter().map(|s| s.commune_code.clone()).collect::<HashSet<_>>().into_iter().collect();
    let mut regions = HashSet::new();
    for chunk in codes.chunks(500) {
        for c in
            commune::Entity::find().filter(commune::Column::Code.is_in(chunk.to_vec())).all(db).await.expect("communes")
        {
            regions.insert(c.region_code);
        }
    }
    for r in
        ["01", "02", "03", "04", "06", "11", "24", "27", "28", "32", "44", "52", "53", "75", "76", "84", "93", "94"]
    {
        assert!(regions.contains(r), "no site in région {r}");
    }
    // Agréments both active and ended; sessions in every state.
    for statut in ["accorde", "termine"] {
        assert!(
            agrement::Entity::find().filter(agrement::Column::Statut.eq(statut)).count(db).await.expect("n") > 1000
        );
    }
    for statut in ["en_preparation", "dte_envoye", "convocations_envoyees", "resultats_saisis", "validee", "annulee"] {
        let n =
            exam_session::Entity::find().filter(exam_session::Column::Statut.eq(statut)).count(db).await.expect("n");
        assert!(n > 0, "no session {statut}");
    }
    // SQLite: the secondary indexes the load dropped to build after the rows are all back, as the migrations made
    // them (compared with a database only migrated).
    if backend == Backend::Sqlite {
        // One connection: each connection to `sqlite::memory:` opens a database of its own.
        let mut options = sea_orm::ConnectOptions::new("sqlite::memory:");
        options.max_connections(1).min_connections(1);
        let migrated = sea_orm::Database::connect(options).await.expect("in-memory database");
        server::database::migrate(&migrated).await.expect("migrations");
        let (loaded, expected) = (index_definitions(db).await, index_definitions(&migrated).await);
        assert!(expected.iter().any(|(_, sql)| sql.contains("\"site\"")), "{expected:?}");
        assert_eq!(loaded, expected);
    }
    srv.stop().await;
}
on_both_databases!(the_national_demo_matches_ceres_in_2019);

/// Every index SQLite holds with its definition, constraints' own included (their definition is empty).
async fn index_definitions(db: &sea_orm::DatabaseConnection) -> Vec<(String, String)> {
    let sql = "SELECT name, COALESCE(sql, '') FROM sqlite_master WHERE type = 'index' ORDER BY name";
    let rows = db.query_all_raw(Statement::from_string(DbBackend::Sqlite, sql)).await.expect("sqlite_master");
    rows.iter().map(|r| (r.try_get_by_index(0).expect("name"), r.try_get_by_index(1).expect("sql"))).collect()
}

async fn the_support_note_cases_are_there_exactly(backend: Backend) {
    let srv = TestServer::start(backend, crate::helpers::SMALL).await;
    let db = &srv.state.db;
    let by_siret = |s: &'static str| centre::Entity::find().filter(centre::Column::Siret.eq(s)).one(db);
    let reprise = by_siret("0000000000000").await.expect("q").expect("centre de reprise");
    assert_eq!(
        (reprise.raison_sociale.as_str(), reprise.adresse.as_str(), reprise.code_postal.as_str()),
        ("Centre de reprise", "KLEE", "92350")
    );
    let orphans = site::Entity::find().filter(site::Column::CentreId.eq(reprise.id)).all(db).await.expect("sites");
    assert!(orphans.len() >= 13, "FCMB- Floirac and a dozen orphan sites");
    let fcmb = orphans.iter().find(|s| s.nom == "FCMB- Floirac").expect("FCMB- Floirac");
    assert_eq!(fcmb.commune_code, "33167");
    assert_eq!(agrement::Entity::find().filter(agrement::Column::SiteId.eq(fcmb.id)).count(db).await.expect("n"), 5);

    let c1630 = by_siret("53060076600022").await.expect("q").expect("16 30 FORMATION");
    assert_eq!(c1630.adresse, "RUE DU 19 MARS 1962 IMMEUBLE LE MUREL");
    let afpa = by_siret("82422814201098").await.expect("q").expect("AFPA");
    assert_eq!(afpa.raison_sociale, "AGENCE NATIONALE POUR LA FORMATION PROFESSIONNELLE DES ADULTES");
    assert!(
        site::Entity::find()
            .filter(site::Column::Nom.eq("Centre AFPA de Saint Nazaire"))
            .one(db)
            .await
            .expect("q")
            .is_some()
    );
    for s in ["13000363500013", "49219528400046"] {
        assert!(by_siret(s).await.expect("q").is_some(), "{s}");
    }
    for name in ["LES PAPILLONS BLANCS ROUBAIX TOURCOING", "OPUS FORMATION"] {
        assert!(
            centre::Entity::find().filter(centre::Column::RaisonSociale.eq(name)).one(db).await.expect("q").is_some(),
            "{name}"
        );
    }
    assert!(
        site::Entity::find()
            .filter(site::Column::Nom.eq("(IMPRO) Le Roitelet-Papillons Blancs de Roubaix Tourcoing"))
            .one(db)
            .await
            .expect("q")
            .is_some()
    );

    // Not registered in CERES, but known to the demo company registry.
    for s in ["78184280200048", "38939456000020"] {
        assert!(by_siret(s).await.expect("q").is_none(), "{s} must not be registered");
    }
    let registry: Vec<Company> =
        serde_json::from_slice(&std::fs::read(&srv.config.ceres.demo_registry_file).expect("registry file"))
            .expect("json");
    let elegia = registry.iter().find(|e| e.siret == "38939456000020").expect("ELEGIA");
    assert_eq!((elegia.nom_raison_sociale.as_str(), elegia.adresse.as_str()), ("ELEGIA", "76 BD PASTEUR"));
    assert!(registry.iter().any(|e| e.nom_raison_sociale == "FEDERATION COMPAGNONNIQUE BATIMENT FLOIRAC"));
    assert!(registry.iter().any(|e| e.siret == "53060076600022"));
    srv.stop().await;
}
on_both_databases!(the_support_note_cases_are_there_exactly);

/// The demo goes to the database chunk by chunk as it is generated, in one transaction: a load that fails part-way
/// (a site of the database's own already holds an id the generator reaches after its first chunks) leaves nothing of
/// it, the secondary indexes SQLite dropped for the load included, and a load once the obstacle is gone succeeds.
async fn a_demo_load_that_fails_part_way_leaves_nothing_behind(backend: Backend) {
    let srv = TestServer::start_with(backend, 1.0, |c| {
        c.ceres.demo_data = false;
        std::fs::write(&c.ceres.demo_registry_file, "[]").expect("an empty registry");
    })
    .await;
    let db = &srv.state.db;
    let indexes_before = if backend == Backend::Sqlite { index_definitions(db).await } else { Vec::new() };
    // A centre of the database's own, and its site with an id the national demo reaches after its first chunks.
    for sql in [
        "INSERT INTO centre (id, siret, raison_sociale, adresse, code_postal, commune_code, created_at, updated_at) \
         VALUES (90000, '11111111111111', 'CENTRE DEJA LA', '1 RUE DE LA PAIX', '33270', '33167', CURRENT_TIMESTAMP, \
         CURRENT_TIMESTAMP)",
        "INSERT INTO site (id, centre_id, nom, adresse, code_postal, commune_code, created_at, updated_at) \
         VALUES (7000, 90000, 'Site déjà là', '1 RUE DE LA PAIX', '33270', '33167', CURRENT_TIMESTAMP, CURRENT_TIMESTAMP)",
    ] {
        db.execute_unprepared(sql).await.expect("the database's own centre and site");
    }

    let today = chrono::Utc::now().date_naive();
    let failed = server::demo::generate(db, 1.0, today).await;
    assert!(failed.is_err(), "{failed:?}");
    assert_eq!(centre::Entity::find().count(db).await.expect("count"), 1);
    assert_eq!(site::Entity::find().count(db).await.expect("count"), 1);
    assert_eq!(agrement::Entity::find().count(db).await.expect("count"), 0);
    assert_eq!(exam_session::Entity::find().count(db).await.expect("count"), 0);
    if backend == Backend::Sqlite {
        assert_eq!(index_definitions(db).await, indexes_before);
    }

    site::Entity::delete_by_id(7_000).exec(db).await.expect("delete site");
    centre::Entity::delete_by_id(90_000).exec(db).await.expect("delete centre");
    let summary = server::demo::generate(db, 1.0, today).await.expect("demo");
    assert_eq!((summary.centres, summary.sites), (NATIONAL_CENTRES, NATIONAL_SITES));
    assert_eq!(site::Entity::find().count(db).await.expect("count"), NATIONAL_SITES as u64);
    srv.stop().await;
}
on_both_databases!(a_demo_load_that_fails_part_way_leaves_nothing_behind);

#[tokio::test]
async fn the_generator_is_deterministic() {
    let a = TestServer::start(Backend::Sqlite, crate::helpers::SMALL).await;
    let b = TestServer::start(Backend::Sqlite, crate::helpers::SMALL).await;
    let names = |db| async move {
        centre::Entity::find()
            .all(db)
            .await
            .expect("centres")
            .into_iter()
            .map(|c| (c.siret, c.raison_sociale))
            .collect::<Vec<_>>()
    };
    assert_eq!(names(&a.state.db).await, names(&b.state.db).await);
    a.stop().await;
    b.stop().await;
}

/// Every demo session carries the history its state implies, chained into the audit trail, each entry made by an
/// account of its centre or its UD; the entries a past national window let through late are flagged, so that the UD's
/// « Saisies hors délai » has something to review.
async fn the_demo_sessions_carry_their_traceabilite(backend: Backend) {
    use crate::helpers::Browser;
    use app::db::audit::verify_chain;
    use app::db::entity::{app_user, audit_event, demande_dte};
    let srv = TestServer::start(backend, crate::helpers::SMALL).await;
    let db = &srv.state.db;
    let report = verify_chain(db).await.expect("verify");
    assert_eq!(report.first_break, None, "{report:?}");
    let events = audit_event::Entity::find().all(db).await.expect("events");
    assert_eq!(report.verified, events.len() as u64, "every event is chained: {report:?}");

    // One creation per session; the late ones are the DTE requests and convocations the window allowed.
    let sessions = exam_session::Entity::find().all(db).await.expect("sessions");
    let of = |id: i32, action: &str| -> Vec<&audit_event::Model> {
        events.iter().filter(|e| e.object_type == "session" && e.object_id == id && e.action == action).collect()
    };
    for s in &sessions {
        let created = of(s.id, "creation");
        assert!(
            created
                .iter()
                .any(|e| e.field.as_deref() == Some("identifiant") && e.after.as_ref() == Some(&s.identifiant))
        );
        let validated = of(s.id, "validation");
        assert_eq!(validated.len(), usize::from(s.statut == "validee"), "{}", s.identifiant);
        assert!(validated.iter().all(|e| e.role == "ud"));
    }
    let window = events.iter().find(|e| e.object_type == "derogation").expect("the window's opening").object_id;
    let late_dtes =
        demande_dte::Entity::find().filter(demande_dte::Column::HorsDelai.eq(true)).all(db).await.expect("q");
    assert!(!late_dtes.is_empty(), "some DTE requests went out late");
    for d in &late_dtes {
        let requested = of(d.session_id, "demande_dte");
        assert!(
            requested.iter().all(|e| e.hors_delai
                && e.regle_code.as_deref() == Some("demande_dte_3_mois")
                && e.derogation_id == Some(window)),
            "{requested:?}"
        );
    }
    let flagged: HashSet<(i32, &str)> =
        events.iter().filter(|e| e.hors_delai).map(|e| (e.object_id, e.action.as_str())).collect();
    assert!(flagged.iter().any(|(_, a)| *a == "convocations"), "some convocations went out late");
    assert!(flagged.iter().all(|(_, a)| ["creation", "demande_dte", "convocations"].contains(a)), "{flagged:?}");
    // Nothing flagged the DTE list does not show, and the other way round.
    let flagged_dte: HashSet<i32> = flagged.iter().filter(|(_, a)| *a == "demande_dte").map(|(id, _)| *id).collect();
    assert_eq!(flagged_dte, late_dtes.iter().map(|d| d.session_id).collect());

    // Every entry has its author: a demo account, or the account of the centre's or the UD's staff member who made
    // it, which no demo password opens; the centre de reprise's entries came with the migration.
    assert!(events.iter().all(|e| e.user_id.is_some()), "an entry without its author");
    let users = app_user::Entity::find().all(db).await.expect("users");
    let author = |e: &audit_event::Model| users.iter().find(|u| Some(u.id) == e.user_id).expect("author");
    let reprise = centre::Entity::find()
        .filter(centre::Column::Siret.eq(CENTRE_DE_REPRISE_SIRET))
        .one(db)
        .await
        .expect("q")
        .expect("reprise");
    for e in events.iter().filter(|e| e.role == "centre" || e.role == "ud") {
        let u = author(e);
        assert_eq!(u.role, e.role, "{e:?}");
        let session = sessions.iter().find(|s| e.object_type == "session" && s.id == e.object_id);
        if let (Some(s), "centre") = (session, e.role.as_str()) {
            let site = site::Entity::find_by_id(s.site_id).one(db).await.expect("q").expect("site");
            assert_eq!(u.centre_id, Some(site.centre_id), "{e:?}");
            assert_eq!(u.identifiant == "reprise-valce", site.centre_id == reprise.id, "{e:?}");
        }
    }
    let demo_accounts: Vec<&str> = server::demo::ACCOUNTS.iter().map(|a| a.identifiant).collect();
    let staff: Vec<&app_user::Model> =
        users.iter().filter(|u| !demo_accounts.contains(&u.identifiant.as_str())).collect();
    assert!(staff.iter().any(|u| u.role == "centre") && staff.iter().any(|u| u.role == "ud"), "{staff:?}");
    let migration = staff.iter().find(|u| u.identifiant == "reprise-valce").expect("the migration's account");
    assert!(!migration.active && migration.nom_affiche == "Reprise des données VALCE");
    for u in staff.iter().filter(|u| u.role == "ud").take(1).chain(staff.iter().filter(|u| u.role == "centre").take(1))
    {
        let r = Browser::new(&srv).sign_in(&u.identifiant).await;
        assert_eq!(crate::helpers::location(&r), "/connexion?erreur=identifiants", "{}", u.identifiant);
    }

    // The UD of the Gard reads the validated session of 16 30 FORMATION: its own validation on top, the centre's
    // user below, the session's creation at the bottom.
    let c1630 = centre::Entity::find().filter(centre::Column::Siret.eq("53060076600022")).one(db).await.expect("q");
    let site_ids: Vec<i32> = site::Entity::find()
        .filter(site::Column::CentreId.eq(c1630.expect("16 30").id))
        .all(db)
        .await
        .expect("sites")
        .into_iter()
        .map(|s| s.id)
        .collect();
    let validee = sessions.iter().find(|s| s.statut == "validee" && site_ids.contains(&s.site_id)).expect("validated");
    let ud = Browser::new(&srv);
    ud.sign_in("ud-30").await;
    let page: serde_json::Value =
        ud.call("session", &[("id", &validee.id.to_string())]).await.json().await.expect("json");
    let trace = page["tracabilite"].as_array().expect("trace");
    assert_eq!((trace[0]["action"].as_str(), trace[0]["qui"].as_str()), (Some("validation"), Some("Karim Benoit")));
    assert_eq!(trace[0]["apres"], "Validée");
    let last = trace.last().expect("rows");
    assert_eq!((last["action"].as_str(), last["qui"].as_str()), (Some("creation"), Some("Sophie Martin")));
    for action in ["candidats_import", "ajout", "demande_dte", "convocations", "resultats"] {
        assert!(trace.iter().any(|t| t["action"] == action), "{action}: {trace:?}");
    }
    // Ordered as made: the days never go up from one row to the next.
    let day = |t: &serde_json::Value| {
        let d = t["jour"].as_str().unwrap_or_default();
        (d[6..].to_owned(), d[3..5].to_owned(), d[..2].to_owned(), t["heure"].as_str().unwrap_or_default().to_owned())
    };
    assert!(trace.windows(2).all(|w| day(&w[0]) >= day(&w[1])), "{trace:?}");
    srv.stop().await;
}
on_both_databases!(the_demo_sessions_carry_their_traceabilite);
