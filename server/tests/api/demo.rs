//! The demo data: national volumes, every région, valid SIRETs, the support note's cases, the registry file.

use app::db::entity::{agrement, centre, commune, exam_session, site};
use app::domain::siret::{CENTRE_DE_REPRISE_SIRET, Siret};
use app::registry::Company;
use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter};
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
    srv.stop().await;
}
on_both_databases!(the_national_demo_matches_ceres_in_2019);

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
