//! A session's whole life through the server functions, with a controlled clock: « Enregistrer la session » (and
//! what it refuses), candidates typed and imported (all or none), jury and responsable, the DTE under a relaxation
//! window, convocations and their PDF, results (only once the session has started) and the PV, then the UD's
//! review: « Demander une correction », « Valider », after which the centre can change nothing. Other centres and
//! other UDs are refused throughout.

use app::db::entity::{audit_event, candidat, exam_session};
use chrono::NaiveDate;
use reqwest::StatusCode;
use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter};
use serde_json::Value;
use server::testing::{Backend, TestServer};

use crate::helpers::{Browser, SMALL};
use crate::on_both_databases;

fn d(y: i32, m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, day).expect("date")
}

async fn json(r: reqwest::Response) -> Value {
    let status = r.status();
    let text = r.text().await.unwrap_or_default();
    assert_eq!(status, StatusCode::OK, "{text}");
    serde_json::from_str(&text).expect("json")
}

async fn refused(r: reqwest::Response, status: StatusCode, says: &str) {
    let got = r.status();
    let text = r.text().await.unwrap_or_default();
    assert_eq!(got, status, "expected « {says} », got {text}");
    assert!(text.contains(says), "expected « {says} » in {text}");
}

async fn create(b: &Browser, site: &str, titre: &str, debut: &str, fin: &str) -> reqwest::Response {
    b.call(
        "session/creer",
        &[
            ("input[site_id]", site),
            ("input[titre_id]", titre),
            ("input[type_session]", "titre"),
            ("input[date_debut]", debut),
            ("input[heure_debut]", "08:30"),
            ("input[date_fin]", fin),
            ("input[commentaires]", "Salle B"),
        ],
    )
    .await
}

fn candidate<'a>(prefix: &'a str, c: [&'a str; 5]) -> Vec<(String, &'a str)> {
    ["nom", "prenom", "date_naissance", "email", "voie_acces"]
        .iter()
        .zip(c)
        .map(|(k, v)| (format!("{prefix}[{k}]"), v))
        .collect()
}

async fn call_owned(b: &Browser, name: &str, args: &[(String, &str)]) -> reqwest::Response {
    let args: Vec<(&str, &str)> = args.iter().map(|(k, v)| (k.as_str(), *v)).collect();
    b.call(name, &args).await
}

async fn a_session_lives_from_creation_to_validation(backend: Backend) {
    // 25 February 2019, the week the national relaxation window opened.
    let srv = TestServer::start_with(backend, SMALL, |c| c.ceres.fixed_date = Some(d(2019, 2, 25))).await;
    let db = &srv.state.db;
    let centre = Browser::new(&srv);
    centre.sign_in("centre-1630").await;

    // The form lists the centre's site and its accorded agréments.
    let form = json(centre.call("session/nouvelle", &[]).await).await;
    let site = form["sites"][0]["id"].as_i64().expect("a site").to_string();
    let titre = form["agrements"]
        .as_array()
        .into_iter()
        .flatten()
        .find(|a| a["statut"] == "accorde")
        .and_then(|a| a["titre_id"].as_i64())
        .expect("an agrément")
        .to_string();
    let before = exam_session::Entity::find().count(db).await.expect("count");

    // What « Enregistrer la session » refuses, each with what to fix, and nothing saved.
    refused(
        create(&centre, &site, &titre, "2019-05-02", "2019-04-29").await,
        StatusCode::UNPROCESSABLE_ENTITY,
        "inversées",
    )
    .await;
    refused(
        create(&centre, &site, &titre, "2019-01-10", "2019-01-11").await,
        StatusCode::UNPROCESSABLE_ENTITY,
        "est passée",
    )
    .await;
    refused(
        create(&centre, &site, "999999", "2019-04-29", "2019-04-30").await,
        StatusCode::UNPROCESSABLE_ENTITY,
        "pas d'agrément",
    )
    .await;
    // The agréments of 16 30 FORMATION start on 04/03/2019.
    refused(
        create(&centre, &site, &titre, "2019-03-01", "2019-03-01").await,
        StatusCode::UNPROCESSABLE_ENTITY,
        "ne commence que le 04/03/2019",
    )
    .await;
    assert_eq!(exam_session::Entity::find().count(db).await.expect("count"), before, "nothing saved");

    // Two months ahead: programmed (the programming rule only warns) and flagged « hors délai ».
    let id = json(create(&centre, &site, &titre, "2019-04-29", "2019-04-30").await).await.as_i64().expect("id") as i32;
    let sid = id.to_string();
    let page = json(centre.call("session", &[("id", &sid)]).await).await;
    let ident = page["identifiant"].as_str().unwrap_or_default().to_owned();
    assert!(ident.starts_with("TITRE_T_2019_"), "{ident}");
    assert_eq!(page["statut"], "EnPreparation");
    assert_eq!(page["compte_a_rebours"], "Délai dépassé depuis le 29/01/2019 pour la demande de DTE");
    let created = audit_event::Entity::find()
        .filter(audit_event::Column::ObjectId.eq(id))
        .filter(audit_event::Column::ObjectType.eq("session"))
        .filter(audit_event::Column::Action.eq("creation"))
        .all(db)
        .await
        .expect("q");
    assert!(created.iter().all(|e| e.hors_delai && e.regle_code.as_deref() == Some("programmation_3_mois")));

    // Another centre, another UD: refused.
    let other = Browser::new(&srv);
    other.sign_in("dreets-naq").await;
    assert_eq!(other.call("session", &[("id", &sid)]).await.status(), StatusCode::FORBIDDEN);
    let ud33 = Browser::new(&srv);
    ud33.sign_in("ud-33").await;
    let r = ud33.call("session/decision", &[("session_id", &sid), ("decision", "Valider"), ("message", "")]).await;
    assert_eq!(r.status(), StatusCode::FORBIDDEN);

    // Candidates: one typed, then an import where one bad line makes the whole import refused.
    let one = candidate("input", ["Dupont", "Jeanne", "1990-03-12", "jeanne.dupont@exemple.fr", "formation"]);
    let mut args = vec![("session_id".to_owned(), sid.as_str())];
    args.extend(one);
    json(call_owned(&centre, "session/candidat", &args).await).await;
    let mut import = vec![("session_id".to_owned(), sid.as_str())];
    import.extend(candidate("lignes[0]", ["Martin", "Paul", "12/05/1985", "", "VAE"]));
    import.extend(candidate("lignes[1]", ["Durand", "Luc", "31/02/1985", "", "formation"]));
    refused(
        call_owned(&centre, "session/candidats/import", &import).await,
        StatusCode::UNPROCESSABLE_ENTITY,
        "Ligne 2",
    )
    .await;
    assert_eq!(candidat::Entity::find().filter(candidat::Column::SessionId.eq(id)).count(db).await.expect("q"), 1);
    import.truncate(6);
    import.extend(candidate("lignes[1]", ["Durand", "Luc", "28/02/1985", "", "formation"]));
    let page = json(call_owned(&centre, "session/candidats/import", &import).await).await;
    assert_eq!(page["candidats"].as_array().map(Vec::len), Some(3));

    // Jury: one member is flagged, two with valid habilitations are not.
    let jury = |nom: &'static str, fin: &'static str| {
        [
            ("session_id", sid.clone()),
            ("jury", "true".into()),
            ("input[nom]", nom.into()),
            ("input[prenom]", "Anne".into()),
            ("input[habilitation_fin]", fin.into()),
        ]
    };
    let page = json(
        centre.call("session/personne", &jury("Leroy", "2020-12-31").each_ref().map(|(k, v)| (*k, v.as_str()))).await,
    )
    .await;
    assert!(page["alertes_jury"][0].as_str().unwrap_or_default().contains("au moins deux membres"));
    let page = json(
        centre.call("session/personne", &jury("Petit", "2019-04-29").each_ref().map(|(k, v)| (*k, v.as_str()))).await,
    )
    .await;
    assert!(
        page["alertes_jury"][0].as_str().unwrap_or_default().contains("avant la fin de la session"),
        "{}",
        page["alertes_jury"]
    );
    let r = centre
        .call(
            "session/responsable",
            &[
                ("session_id", &sid),
                ("input[nom]", "Roux"),
                ("input[prenom]", "Marc"),
                ("input[telephone]", "04 66 12 34 56"),
                ("input[email]", ""),
            ],
        )
        .await;
    assert_eq!(json(r).await["responsable"]["telephone"], "04 66 12 34 56");

    // Convocations before the DTE: refused; the DTE is refused by its rule until the national window opens.
    refused(
        centre.call("session/convocations", &[("session_id", &sid)]).await,
        StatusCode::CONFLICT,
        "après la demande de DTE",
    )
    .await;
    let dte = [
        ("session_id", sid.as_str()),
        ("input[nombre_candidats]", "0"),
        ("input[date_reception_plis]", "2019-04-15"),
        ("input[commentaires]", ""),
    ];
    refused(centre.call("session/dte", &dte).await, StatusCode::UNPROCESSABLE_ENTITY, "au plus tard le 29/01/2019")
        .await;
    let admin = Browser::new(&srv);
    admin.sign_in("admin").await;
    json(
        admin
            .call(
                "derogations",
                &[
                    ("input[nom]", "Assouplissement national 2019"),
                    ("input[portee]", "nationale"),
                    ("input[debut]", "2019-02-11"),
                    ("input[fin]", "2019-04-10"),
                    ("input[regles][0]", "demande_dte_3_mois"),
                    ("input[regles][1]", "convocation_1_mois"),
                    ("input[motif]", "Mise en service de CERES"),
                ],
            )
            .await,
    )
    .await;
    let page = json(centre.call("session/dte", &dte).await).await;
    assert_eq!(page["dte"]["nombre_candidats"], 0);
    assert_eq!(page["dte"]["hors_delai"], true);

    // Convocations: the PDF has one page per candidate.
    let page = json(centre.call("session/convocations", &[("session_id", &sid)]).await).await;
    assert_eq!(page["statut"], "ConvocationsEnvoyees");
    let pdf = centre.get(&format!("/sessions/{id}/convocations.pdf")).await;
    assert_eq!(pdf.status(), StatusCode::OK);
    assert_eq!(pdf.headers()["content-type"], "application/pdf");
    let bytes = pdf.bytes().await.expect("pdf");
    assert!(bytes.starts_with(b"%PDF"));
    assert!(String::from_utf8_lossy(&bytes).contains("/Count 3"), "three convocation pages");
    assert!(String::from_utf8_lossy(&bytes).contains("DUPONT Jeanne"));
    assert_eq!(other.get(&format!("/sessions/{id}/convocations.pdf")).await.status(), StatusCode::NOT_FOUND);

    // Results wait for the session to start.
    let results = |r: [&'static str; 3]| {
        let ids: Vec<i64> =
            page["candidats"].as_array().into_iter().flatten().filter_map(|c| c["id"].as_i64()).collect();
        let mut args: Vec<(String, String)> = vec![("session_id".into(), sid.clone())];
        for (i, (cid, res)) in ids.iter().zip(r).enumerate() {
            args.push((format!("lignes[{i}][candidat_id]"), cid.to_string()));
            args.push((format!("lignes[{i}][resultat]"), res.to_owned()));
        }
        args
    };
    let call = |b: &Browser, args: Vec<(String, String)>| {
        let b = b.clone();
        async move {
            let a: Vec<(&str, &str)> = args.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
            b.call("session/resultats", &a).await
        }
    };
    refused(
        call(&centre, results(["reussite", "echec", "absent"])).await,
        StatusCode::CONFLICT,
        "à partir du premier jour de la session, le 29/04/2019",
    )
    .await;

    // On 30 April (another replica, its clock a day after the start): results, then the PV.
    let later = srv.replica_on(d(2019, 4, 30)).await;
    let centre_later = centre.on(&later);
    refused(
        call(&centre_later, results(["reussite", "", "absent"])).await,
        StatusCode::UNPROCESSABLE_ENTITY,
        "choisissez un résultat",
    )
    .await;
    let page = json(call(&centre_later, results(["reussite", "echec", "absent"])).await).await;
    assert_eq!(page["statut"], "ResultatsSaisis");
    let pv = centre_later.get(&format!("/sessions/{id}/pv.pdf")).await;
    assert_eq!(pv.status(), StatusCode::OK);
    let pv = pv.bytes().await.expect("pv");
    assert!(String::from_utf8_lossy(&pv).contains("PROC\\310S-VERBAL"), "the PV's title");

    // The UD of the Gard finds it among the late entries, asks for a correction, then validates.
    let ud = Browser::new(&later);
    ud.sign_in("ud-30").await;
    let late = json(ud.call("validation", &[("page", "1"), ("hors_delai", "true")]).await).await;
    assert!(late["rows"].as_array().into_iter().flatten().any(|r| r["id"] == id), "under « Saisies hors délai »");
    // Its « Contrôles avant validation »: the late entries to look at, the rest in order.
    let page = json(ud.call("session", &[("id", &sid)]).await).await;
    let checks = page["controles"].as_array().expect("checks").clone();
    let check = |code: &str| checks.iter().find(|c| c["code"] == code).unwrap_or_else(|| panic!("{code}")).clone();
    assert_eq!(checks.len(), 5, "{checks:?}");
    assert_eq!(check("delais")["conforme"], false);
    let delais = check("delais");
    let delais: Vec<&str> = delais["constats"].as_array().into_iter().flatten().filter_map(|c| c.as_str()).collect();
    assert!(delais[0].ends_with("hors délai :"), "{delais:?}");
    assert!(delais.iter().any(|c| c.starts_with("Demande de DTE le ") && c.contains("dérogation")), "{delais:?}");
    assert_eq!(
        check("resultats")["constats"][0],
        "3 candidats, tous avec un résultat : 1 réussite, 1 échec, 1 absent."
    );
    for code in ["agrement", "conflits", "resultats"] {
        assert_eq!(check(code)["conforme"], true, "{code}: {checks:?}");
    }
    // The jury member named with an habilitation ending the day before the session does.
    assert_eq!(check("jury")["conforme"], false);
    assert!(check("jury")["constats"][0].as_str().unwrap_or_default().starts_with("L'habilitation de "), "{checks:?}");
    let centre_page = json(centre_later.call("session", &[("id", &sid)]).await).await;
    assert_eq!(centre_page["controles"], serde_json::json!([]), "the UD's checks, not the centre's");
    refused(
        ud.call("session/decision", &[("session_id", &sid), ("decision", "DemanderCorrection"), ("message", " ")])
            .await,
        StatusCode::UNPROCESSABLE_ENTITY,
        "ce que le centre doit corriger",
    )
    .await;
    let page = json(
        ud.call(
            "session/decision",
            &[("session_id", &sid), ("decision", "DemanderCorrection"), ("message", "Le PV n'est pas signé")],
        )
        .await,
    )
    .await;
    assert_eq!(page["statut"], "ConvocationsEnvoyees");
    assert_eq!(page["demande_correction"], "Le PV n'est pas signé");
    let page = json(call(&centre_later, results(["reussite", "echec", "reussite"])).await).await;
    assert_eq!(page["demande_correction"], Value::Null);
    let page =
        json(ud.call("session/decision", &[("session_id", &sid), ("decision", "Valider"), ("message", "")]).await)
            .await;
    assert_eq!(page["statut"], "Validee");
    assert_eq!(page["controles"], serde_json::json!([]), "checked before validation only");
    let trace: Vec<String> = page["tracabilite"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|t| t["action"].as_str().unwrap_or_default().to_owned())
        .collect();
    for action in [
        "creation",
        "candidat_ajout",
        "candidats_import",
        "ajout",
        "responsable",
        "demande_dte",
        "convocations",
        "resultats",
        "demande_correction",
        "validation",
    ] {
        assert!(trace.iter().any(|a| a == action), "{action} in the traçabilité: {trace:?}");
    }

    // Read-only now, whatever the browser sends.
    let mut args = vec![("session_id".to_owned(), sid.as_str())];
    args.extend(candidate("input", ["Nouveau", "Nom", "1990-01-01", "", "formation"]));
    refused(call_owned(&centre_later, "session/candidat", &args).await, StatusCode::CONFLICT, "validée").await;
    refused(
        centre_later
            .call("session/decision", &[("session_id", &sid), ("decision", "Annuler"), ("message", "Trop tard")])
            .await,
        StatusCode::CONFLICT,
        "validée",
    )
    .await;
    later.stop().await;
    srv.stop().await;
}
on_both_databases!(a_session_lives_from_creation_to_validation);

async fn a_centre_cancels_before_the_start_with_a_reason(backend: Backend) {
    let srv = TestServer::start_with(backend, SMALL, |c| c.ceres.fixed_date = Some(d(2019, 2, 25))).await;
    let id = srv.insert_session("53060076600022", d(2019, 9, 2)).await.to_string();
    let centre = Browser::new(&srv);
    centre.sign_in("centre-1630").await;
    refused(
        centre.call("session/decision", &[("session_id", &id), ("decision", "Annuler"), ("message", "")]).await,
        StatusCode::UNPROCESSABLE_ENTITY,
        "motif",
    )
    .await;
    refused(
        centre.call("session/decision", &[("session_id", &id), ("decision", "Valider"), ("message", "")]).await,
        StatusCode::FORBIDDEN,
        "",
    )
    .await;
    let page = json(
        centre
            .call(
                "session/decision",
                &[("session_id", &id), ("decision", "Annuler"), ("message", "Formation reportée")],
            )
            .await,
    )
    .await;
    assert_eq!(page["statut"], "Annulee");
    assert_eq!(page["motif_annulation"], "Formation reportée");
    assert_eq!(page["droits"]["modifier"], false);

    // The UD grants a derogation to one session of its département only.
    let other = srv.insert_session("53060076600022", d(2019, 4, 15)).await.to_string();
    let ud = Browser::new(&srv);
    ud.sign_in("ud-30").await;
    let grant = |who: &Browser, sid: String| {
        let who = who.clone();
        async move {
            who.call(
                "session/derogation",
                &[
                    ("session_id", sid.as_str()),
                    ("input[nom]", "Retard de l'organisme"),
                    ("input[portee]", "nationale"),
                    ("input[debut]", "2019-02-25"),
                    ("input[fin]", "2019-03-31"),
                    ("input[regles][0]", "demande_dte_3_mois"),
                    ("input[motif]", "Agrément tardif"),
                ],
            )
            .await
        }
    };
    let ud33 = Browser::new(&srv);
    ud33.sign_in("ud-33").await;
    assert_eq!(grant(&ud33, other.clone()).await.status(), StatusCode::FORBIDDEN);
    let page = json(grant(&ud, other.clone()).await).await;
    assert!(page["tracabilite"].as_array().into_iter().flatten().any(|t| t["action"] == "derogation"));
    let page = json(
        centre
            .call(
                "session/dte",
                &[
                    ("session_id", other.as_str()),
                    ("input[nombre_candidats]", "4"),
                    ("input[date_reception_plis]", "2019-04-01"),
                    ("input[commentaires]", ""),
                ],
            )
            .await,
    )
    .await;
    assert_eq!(page["dte"]["hors_delai"], true, "allowed by the session's derogation, flagged");
    srv.stop().await;
}
on_both_databases!(a_centre_cancels_before_the_start_with_a_reason);

async fn the_session_list_filters_by_titre_site_and_dates(backend: Backend) {
    let srv = crate::helpers::start(backend).await;
    let b = Browser::new(&srv);
    b.sign_in("admin").await;
    let all = json(b.call("sessions", &[("filtre[statut]", ""), ("page", "1")]).await).await;
    let first = &all["rows"][0];
    let code = first["titre_code"].as_str().unwrap_or_default().to_owned();
    let by_titre = json(b.call("sessions", &[("filtre[titre]", code.as_str()), ("page", "1")]).await).await;
    assert!(by_titre["total"].as_u64() < all["total"].as_u64());
    assert!(by_titre["rows"].as_array().into_iter().flatten().all(|r| r["titre_code"] == code.as_str()));
    let debut = first["date_debut"].as_str().unwrap_or_default().to_owned();
    let on_day = json(
        b.call("sessions", &[("filtre[du]", debut.as_str()), ("filtre[au]", debut.as_str()), ("page", "1")]).await,
    )
    .await;
    assert!(on_day["rows"].as_array().into_iter().flatten().all(|r| r["date_debut"] == debut.as_str()));
    let site = json(b.call("sessions", &[("filtre[site]", "floirac fcmb"), ("page", "1")]).await).await;
    assert!(site["total"].as_u64().unwrap_or(0) >= 2);
    assert!(site["rows"].as_array().into_iter().flatten().all(|r| r["site_nom"] == "FCMB- Floirac"));
    refused(
        b.call("sessions", &[("filtre[du]", "2019-05-01"), ("filtre[au]", "2019-04-01"), ("page", "1")]).await,
        StatusCode::UNPROCESSABLE_ENTITY,
        "inversée",
    )
    .await;
    refused(
        b.call("sessions", &[("filtre[du]", "hier"), ("page", "1")]).await,
        StatusCode::UNPROCESSABLE_ENTITY,
        "n'est pas une date",
    )
    .await;
    assert!(all["rows"].as_array().into_iter().flatten().any(|r| r["echeance"].is_string()), "next deadlines shown");
    srv.stop().await;
}
on_both_databases!(the_session_list_filters_by_titre_site_and_dates);
