//! Activation letters and /activation (procedure C): a real PDF whose text can be extracted, a new code each time
//! (the old one stops working), codes that work once and expire, French reasons, throttling.

use app::db::entity::{audit_event, centre};
use reqwest::StatusCode;
use sea_orm::{ActiveModelTrait, ColumnTrait, EntityTrait, IntoActiveModel, PaginatorTrait, QueryFilter, Set};
use server::testing::Backend;

use crate::helpers::{Browser, location, start};
use crate::on_both_databases;

const OPUS: &str = "OPUS FORMATION";

/// The text of a PDF, as `pdftotext` extracts it.
pub fn pdf_text(pdf: &[u8]) -> String {
    let path = std::env::temp_dir().join(format!("ceres-courrier-{}-{}.pdf", std::process::id(), pdf.len()));
    std::fs::write(&path, pdf).expect("write pdf");
    let out = std::process::Command::new("pdftotext")
        .args(["-layout", path.to_str().unwrap_or_default(), "-"])
        .output()
        .expect("pdftotext (poppler-utils, installed by scripts/setup.sh --tests)");
    let _ = std::fs::remove_file(&path);
    assert!(out.status.success(), "pdftotext failed: {}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// The code printed under « Code d'activation : ».
pub fn code_in(text: &str) -> String {
    let mut lines = text.lines().map(str::trim).filter(|l| !l.is_empty());
    lines.find(|l| l.starts_with("Code d'activation")).expect("code heading");
    lines.next().expect("code line").to_owned()
}

async fn opus(srv: &server::testing::TestServer) -> centre::Model {
    centre::Entity::find()
        .filter(centre::Column::RaisonSociale.eq(OPUS))
        .one(&srv.state.db)
        .await
        .expect("q")
        .expect("opus")
}

async fn letter(b: &Browser, centre_id: i32) -> reqwest::Response {
    b.post_form(&format!("/centres/{centre_id}/courrier-activation"), &[]).await
}

async fn activate(
    b: &Browser,
    siret: &str,
    code: &str,
    identifiant: &str,
    password: &str,
    confirmation: &str,
) -> String {
    let r = b
        .post_form(
            "/activation",
            &[
                ("siret", siret),
                ("code", code),
                ("identifiant", identifiant),
                ("mot_de_passe", password),
                ("confirmation", confirmation),
            ],
        )
        .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    location(&r)
}

async fn an_agent_edits_the_letter_and_the_centre_activates_its_account(backend: Backend) {
    let srv = start(backend).await;
    let db = &srv.state.db;
    let c = opus(&srv).await;
    let agent = Browser::new(&srv);
    agent.sign_in("dreets-naq").await;
    let (_, page) = agent.get_text(&format!("/centres/{}", c.id)).await;
    assert!(page.contains("Éditer le courrier d&#x27;activation") || page.contains("Éditer le courrier d'activation"));

    let r = letter(&agent, c.id).await;
    assert_eq!(r.status(), StatusCode::OK);
    assert_eq!(r.headers().get("content-type").and_then(|v| v.to_str().ok()), Some("application/pdf"));
    let pdf = r.bytes().await.expect("pdf");
    assert!(pdf.starts_with(b"%PDF-"));
    let text = pdf_text(&pdf);
    for expected in [
        "MINISTÈRE DU TRAVAIL",
        OPUS,
        "5 RUE DE LA FONDERIE",
        "44000 - NANTES",
        "Objet : votre code d'activation CERES",
        "Valable jusqu'au",
        "/activation",
        &c.siret,
        "14 avenue Duquesne",
    ] {
        assert!(text.contains(expected), "« {expected} » not in the letter:\n{text}");
    }
    let first = code_in(&text);
    assert_eq!(first.len(), 14, "{first}");

    // A second letter: a new code; the first no longer works.
    let second = code_in(&pdf_text(&letter(&agent, c.id).await.bytes().await.expect("pdf")));
    assert_ne!(first, second);
    let staff = Browser::new(&srv);
    assert_eq!(
        activate(&staff, &c.siret, &first, "marie.opus", "un mot de passe solide", "un mot de passe solide").await,
        format!("/activation?erreur=code&siret={}&identifiant=marie.opus", c.siret)
    );
    // Reasons for the other mistakes, each in French on the page.
    for (identifiant, password, confirmation, code) in [
        ("Marie Opus", "un mot de passe solide", "un mot de passe solide", "identifiant"),
        ("marie.opus", "court", "court", "mot-de-passe"),
        ("marie.opus", "un mot de passe solide", "un autre mot de passe", "confirmation"),
        ("admin", "un mot de passe solide", "un mot de passe solide", "identifiant-pris"),
    ] {
        let to = activate(&staff, &c.siret, &second, identifiant, password, confirmation).await;
        assert!(to.starts_with(&format!("/activation?erreur={code}&")), "{to}");
        let (_, html) = staff.get_text(&to).await;
        let message = app::pages::activation::message(code).expect("message").replace('\'', "&#x27;");
        assert!(
            html.contains(&message) || html.contains(app::pages::activation::message(code).unwrap_or_default()),
            "{code}"
        );
    }

    // The right one: account created, signed in, on the centre's page.
    let to = activate(
        &staff,
        &format!(" {} ", c.siret),
        &second.to_lowercase().replace('-', " "),
        "marie.opus",
        "un mot de passe solide",
        "un mot de passe solide",
    )
    .await;
    assert_eq!(to, format!("/centres/{}?active=1", c.id));
    let (status, html) = staff.get_text(&to).await;
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains("Le compte de votre centre est activé"));
    // The code worked once.
    let again = Browser::new(&srv);
    assert!(
        activate(&again, &c.siret, &second, "autre.opus", "un mot de passe solide", "un mot de passe solide")
            .await
            .contains("erreur=code")
    );
    // And the new account signs in like any other.
    let r = again
        .post_form(
            "/connexion",
            &[("identifiant", "marie.opus"), ("mot_de_passe", "un mot de passe solide"), ("suite", "")],
        )
        .await;
    assert_eq!(location(&r), format!("/centres/{}", c.id));

    let events = audit_event::Entity::find()
        .filter(audit_event::Column::ObjectType.eq("centre"))
        .filter(audit_event::Column::ObjectId.eq(c.id))
        .all(db)
        .await
        .expect("events");
    let actions: Vec<&str> = events.iter().map(|e| e.action.as_str()).collect();
    assert_eq!(actions, ["courrier_activation", "courrier_activation", "activation"]);
    assert!(
        events.iter().all(|e| e.after.as_deref().is_none_or(|a| !a.contains(&second))),
        "codes never reach the audit trail"
    );
    srv.stop().await;
}
on_both_databases!(an_agent_edits_the_letter_and_the_centre_activates_its_account);

async fn expired_codes_fail_and_wrong_codes_are_throttled(backend: Backend) {
    let srv = start(backend).await;
    let c = opus(&srv).await;
    let agent = Browser::new(&srv);
    agent.sign_in("admin").await;
    let code = code_in(&pdf_text(&letter(&agent, c.id).await.bytes().await.expect("pdf")));

    // Expired: the same code the day after its end.
    let mut m = opus(&srv).await.into_active_model();
    m.activation_code_expires_at = Set(Some(chrono::Utc::now() - chrono::Duration::days(1)));
    m.update(&srv.state.db).await.expect("expire");
    let staff = Browser::new(&srv);
    assert!(
        activate(&staff, &c.siret, &code, "a.opus", "un mot de passe solide", "un mot de passe solide")
            .await
            .contains("erreur=code")
    );

    for _ in 0..5 {
        activate(&staff, &c.siret, "AAAA-BBBB-CCCC", "a.opus", "un mot de passe solide", "un mot de passe solide")
            .await;
    }
    let to = activate(&staff, &c.siret, &code, "a.opus", "un mot de passe solide", "un mot de passe solide").await;
    assert!(to.starts_with("/activation?erreur=trop-de-tentatives"), "{to}");
    let (status, _) = staff.get_text(&to).await;
    assert_eq!(status, StatusCode::TOO_MANY_REQUESTS);
    srv.stop().await;
}
on_both_databases!(expired_codes_fail_and_wrong_codes_are_throttled);

async fn only_agents_edit_letters(backend: Backend) {
    let srv = start(backend).await;
    let c = opus(&srv).await;
    for who in ["ud-33", "centre-1630"] {
        let b = Browser::new(&srv);
        b.sign_in(who).await;
        assert_eq!(letter(&b, c.id).await.status(), StatusCode::FORBIDDEN, "{who}");
    }
    let anonymous = Browser::new(&srv);
    assert_eq!(location(&letter(&anonymous, c.id).await), "/connexion");
    // A letter for the centre de reprise makes no sense.
    let agent = Browser::new(&srv);
    agent.sign_in("admin").await;
    let reprise = centre::Entity::find()
        .filter(centre::Column::Siret.eq("0000000000000"))
        .one(&srv.state.db)
        .await
        .expect("q")
        .expect("reprise");
    assert_eq!(letter(&agent, reprise.id).await.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(
        centre::Entity::find()
            .filter(centre::Column::ActivationCodeHash.is_not_null())
            .count(&srv.state.db)
            .await
            .expect("n"),
        0
    );
    srv.stop().await;
}
on_both_databases!(only_agents_edit_letters);
