//! Server functions for exam sessions. Each loads the session, asks `authorize` about the reader's role and
//! territory, asks the lifecycle (`domain::session::apres`) whether the state allows it, re-checks the input with
//! the rules the browser ran, and writes in one transaction.

use leptos::prelude::*;

use crate::domain::candidats::{CandidatInput, PersonneInput, ResponsableInput, ResultatInput};
use crate::domain::delais::{DerogationInput, DteInput};
use crate::domain::programmation::NouvelleSessionInput;
use crate::dto::{FiltreSessions, NouvelleSessionForm, SessionDetail, SessionList};
use crate::error::AppError;

/// The sessions of the user's territory, page `page`, filtered by state, titre, site and start dates.
#[server(prefix = "/api", endpoint = "sessions", output = crate::api::codec::JsonText)]
pub async fn list_sessions(filtre: FiltreSessions, page: u64) -> Result<SessionList, AppError> {
    use crate::auth::Action;
    use crate::db::{authorize, db, sessions};
    let user = authorize(&Action::ListSessions)?;
    let f = sessions::filtre(&filtre).map_err(|m| AppError::Invalide(m).respond())?;
    let mut list = sessions::list(&db()?, &user.role.territory(), &f, page, crate::clock::today())
        .await
        .map_err(AppError::internal)?;
    list.can_create = match user.role {
        crate::auth::Role::Centre { centre_id } => {
            crate::auth::is_allowed(Some(&user), &Action::CreateSession { centre_id })
        }
        _ => false,
    };
    Ok(list)
}

/// The sessions awaiting validation (« Résultats saisis ») in the user's territory.
/// `hors_delai`: only those with an entry made after a deadline (« Saisies hors délai »).
#[server(prefix = "/api", endpoint = "validation", output = crate::api::codec::JsonText)]
pub async fn list_sessions_to_validate(page: u64, hors_delai: bool) -> Result<SessionList, AppError> {
    use crate::auth::Action;
    use crate::db::{authorize, db, sessions};
    use crate::domain::session::StatutSession;
    let user = authorize(&Action::ListSessionsToValidate)?;
    let f = sessions::Filtre {
        statut: Some(StatutSession::ResultatsSaisis),
        hors_delai,
        oldest_first: true,
        ..Default::default()
    };
    sessions::list(&db()?, &user.role.territory(), &f, page, crate::clock::today()).await.map_err(AppError::internal)
}

#[cfg(feature = "ssr")]
mod server {
    use sea_orm::DatabaseConnection;

    use crate::auth::{Action, AuthUser};
    use crate::db::session_detail::{self, SessionContext};
    use crate::db::{authorize, regles};
    use crate::domain::delais::{ActionDelai, Contexte, Derogation, Regle, Verdict, verdict};
    use crate::domain::session::{Operation, StatutSession, apres};
    use crate::dto::SessionDetail;
    use crate::error::AppError;

    pub fn gone() -> AppError {
        AppError::Introuvable("Cette session n'existe plus : rechargez la page.".into())
    }

    pub async fn load(db: &DatabaseConnection, id: i32) -> Result<SessionContext, AppError> {
        session_detail::context(db, id).await.map_err(AppError::internal)?.ok_or_else(|| gone().respond())
    }

    pub fn statut(ctx: &SessionContext) -> StatutSession {
        StatutSession::from_code(&ctx.session.statut).unwrap_or(StatutSession::EnPreparation)
    }

    /// The centre's change `op` on the session: allowed for the reader and in the session's state.
    pub fn edit(ctx: &SessionContext, op: Operation) -> Result<(AuthUser, StatutSession), AppError> {
        let user = authorize(&Action::EditSession { centre_id: ctx.centre.id })?;
        let next = apres(op, statut(ctx), ctx.session.date_debut, crate::clock::today())
            .map_err(|m| AppError::Conflit(m).respond())?;
        Ok((user, next))
    }

    pub async fn rules(db: &DatabaseConnection) -> Result<(Vec<Regle>, Vec<Derogation>), AppError> {
        let r = regles::regles(db).await.map_err(AppError::internal)?.into_iter().map(|r| r.regle).collect();
        let d = regles::derogations(db).await.map_err(AppError::internal)?.into_iter().map(|d| d.derogation).collect();
        Ok((r, d))
    }

    /// What the deadline rules say of `action` on this session today; a refusal is the error.
    pub async fn judge(
        db: &DatabaseConnection,
        ctx: &SessionContext,
        action: ActionDelai,
    ) -> Result<Verdict, AppError> {
        let (r, d) = rules(db).await?;
        let v = verdict(
            action,
            &r,
            &d,
            &Contexte {
                aujourdhui: crate::clock::today(),
                debut_session: ctx.session.date_debut,
                type_session: &ctx.session.type_session,
                region: &ctx.commune.region_code,
                session_id: Some(ctx.session.id),
            },
        );
        match v {
            Verdict::Refuse { message, .. } => Err(AppError::Invalide(message).respond()),
            v => Ok(v),
        }
    }

    /// The session's page after a change, as the reader now sees it.
    pub async fn reload(db: &DatabaseConnection, id: i32, user: &AuthUser) -> Result<SessionDetail, AppError> {
        let ctx = load(db, id).await?;
        session_detail::detail(db, ctx, crate::clock::today(), user).await.map_err(AppError::internal)
    }

    /// Reports a write's outcome and answers with the page.
    pub async fn done(
        db: &DatabaseConnection,
        id: i32,
        user: &AuthUser,
        outcome: crate::db::session_edit::Outcome<()>,
    ) -> Result<SessionDetail, AppError> {
        outcome.map_err(AppError::internal)?.map_err(AppError::respond)?;
        reload(db, id, user).await
    }
}

/// The page of a session: `Ok(None)` when no session has this id.
#[server(prefix = "/api", endpoint = "session", output = crate::api::codec::JsonText)]
pub async fn get_session(id: i32) -> Result<Option<SessionDetail>, AppError> {
    use crate::auth::Action;
    use crate::db::{authorize, db, require_user, session_detail};
    require_user()?;
    let db = db()?;
    let Some(ctx) = session_detail::context(&db, id).await.map_err(AppError::internal)? else {
        AppError::Introuvable(String::new()).respond();
        return Ok(None);
    };
    let user = authorize(&Action::ViewSession {
        centre_id: ctx.centre.id,
        region: ctx.commune.region_code.clone(),
        departement: ctx.commune.departement_code.clone(),
    })?;
    let today = crate::clock::today();
    session_detail::detail(&db, ctx, today, &user).await.map(Some).map_err(AppError::internal)
}

/// « CONTINUER » on « Vérifiez et complétez la demande de DTE »: checked against the deadline rules (the same engine
/// the page ran before the click), recorded once per session, audited.
#[server(prefix = "/api", endpoint = "session/dte", output = crate::api::codec::JsonText)]
pub async fn request_dte(session_id: i32, input: DteInput) -> Result<SessionDetail, AppError> {
    use crate::auth::Action;
    use crate::db::{authorize, db, require_user, session_detail};
    use crate::domain::delais::ActionDelai;
    use crate::domain::session::StatutSession;
    require_user()?;
    let db = db()?;
    let ctx = server::load(&db, session_id).await?;
    let user = authorize(&Action::RequestDte { centre_id: ctx.centre.id })?;
    if server::statut(&ctx) != StatutSession::EnPreparation {
        return Err(AppError::Conflit(
            "La demande de DTE de cette session a déjà été envoyée : une seule demande par session. Rechargez la page pour la voir.".into(),
        )
        .respond());
    }
    let today = crate::clock::today();
    let dte = input
        .parse(ctx.session.date_debut, today)
        .map_err(|e| AppError::Invalide(crate::domain::delais::refus_dte(&e)).respond())?;
    let v = server::judge(&db, &ctx, ActionDelai::DemandeDte).await?;
    session_detail::request_dte(&db, &user, &ctx, &dte, &v)
        .await
        .map_err(AppError::internal)?
        .map_err(AppError::respond)?;
    tracing::info!(session_id, by = %user.identifiant, hors_delai = v.hors_delai().is_some(), "DTE requested");
    server::reload(&db, session_id, &user).await
}

/// The DTE requests by wanted delivery date (national admin), a page of them (`page`, from 1): those still to ship
/// (envelopes wanted today or later), or every one with `toutes`.
#[server(prefix = "/api", endpoint = "demandes-dte", output = crate::api::codec::JsonText)]
pub async fn list_dte_requests(page: Option<u64>, toutes: Option<bool>) -> Result<crate::dto::DteList, AppError> {
    use crate::auth::Action;
    use crate::db::{authorize, db, session_detail};
    use crate::dto::{DteList, MAX_PAGE, PER_PAGE};
    authorize(&Action::ListDteRequests)?;
    let page = page.unwrap_or(1).clamp(1, MAX_PAGE);
    let toutes = toutes.unwrap_or(false);
    let from = (!toutes).then(crate::clock::today);
    let (total, rows) =
        session_detail::dte_requests_page(&db()?, from, page, PER_PAGE).await.map_err(AppError::internal)?;
    Ok(DteList { total, page, per_page: PER_PAGE, toutes, rows })
}

/// What « Enregistrer la session » opens with. `centre_id`: the centre (a centre user's own when `None`).
#[server(prefix = "/api", endpoint = "session/nouvelle", output = crate::api::codec::JsonText)]
pub async fn get_nouvelle_session(centre_id: Option<i32>) -> Result<NouvelleSessionForm, AppError> {
    use crate::auth::{Action, Role};
    use crate::db::{authorize, db, require_user, session_edit};
    let user = require_user()?;
    let centre_id = match (centre_id, &user.role) {
        (Some(c), _) => c,
        (None, Role::Centre { centre_id }) => *centre_id,
        (None, _) => {
            return Err(AppError::Invalide(
                "Ouvrez « Enregistrer la session » depuis la page du centre concerné.".into(),
            )
            .respond());
        }
    };
    authorize(&Action::CreateSession { centre_id })?;
    let db = db()?;
    let (r, d) = server::rules(&db).await?;
    session_edit::form(&db, centre_id, r, d, crate::clock::today()).await.map_err(AppError::internal)
}

/// « Enregistrer la session »: a session « En préparation » on a site of the centre, for a titre the site is
/// approved for over the session's dates. Answers the new session's id.
#[server(prefix = "/api", endpoint = "session/creer", output = crate::api::codec::JsonText)]
pub async fn create_session(centre_id: Option<i32>, input: NouvelleSessionInput) -> Result<i32, AppError> {
    use crate::db::{db, session_edit};
    use crate::domain::delais::{ActionDelai, Contexte, Verdict, verdict};
    use crate::domain::programmation::refus_session;
    let form = get_nouvelle_session(centre_id).await?;
    let user = crate::db::require_user()?;
    let db = db()?;
    let today = form.aujourdhui;
    let s = input.parse(&form.agrements, today).map_err(|e| AppError::Invalide(refus_session(&e)).respond())?;
    let region = form.sites.iter().find(|x| x.id == s.site_id).map(|x| x.region.clone()).unwrap_or_default();
    let v = verdict(
        ActionDelai::Programmation,
        &form.regles,
        &form.derogations,
        &Contexte {
            aujourdhui: today,
            debut_session: s.date_debut,
            type_session: &s.type_session,
            region: &region,
            session_id: None,
        },
    );
    if let Verdict::Refuse { message, .. } = &v {
        return Err(AppError::Invalide(refus_session(std::slice::from_ref(message))).respond());
    }
    let (id, identifiant) = session_edit::create(&db, &user, &s, &v).await.map_err(AppError::internal)?;
    tracing::info!(session_id = id, %identifiant, by = %user.identifiant, "session created");
    Ok(id)
}

/// Adds a candidate (`candidat_id` = `None`) or changes one.
#[server(prefix = "/api", endpoint = "session/candidat", output = crate::api::codec::JsonText)]
pub async fn save_candidat(
    session_id: i32,
    candidat_id: Option<i32>,
    input: CandidatInput,
) -> Result<SessionDetail, AppError> {
    use crate::db::{db, require_user, session_edit};
    use crate::domain::candidats::refus_candidat;
    use crate::domain::session::Operation;
    require_user()?;
    let db = db()?;
    let ctx = server::load(&db, session_id).await?;
    let (user, _) = server::edit(&ctx, Operation::Modifier)?;
    let c = input.parse(ctx.session.date_debut).map_err(|e| AppError::Invalide(refus_candidat(&e)).respond())?;
    let outcome = match candidat_id {
        None => session_edit::add_candidats(&db, &user, &ctx, std::slice::from_ref(&c), "candidat_ajout").await,
        Some(id) => session_edit::update_candidat(&db, &user, &ctx, id, &c).await,
    };
    server::done(&db, session_id, &user, outcome).await
}

/// Removes a candidate from the session.
#[server(prefix = "/api", endpoint = "session/candidat/retirer", output = crate::api::codec::JsonText)]
pub async fn remove_candidat(session_id: i32, candidat_id: i32) -> Result<SessionDetail, AppError> {
    use crate::db::{db, require_user, session_edit};
    use crate::domain::session::Operation;
    require_user()?;
    let db = db()?;
    let ctx = server::load(&db, session_id).await?;
    let (user, _) = server::edit(&ctx, Operation::Modifier)?;
    let outcome = session_edit::remove_candidat(&db, &user, &ctx, candidat_id).await;
    server::done(&db, session_id, &user, outcome).await
}

/// « Importer »: the lines of a previewed CSV file, all valid, saved together (or none).
#[server(prefix = "/api", endpoint = "session/candidats/import", output = crate::api::codec::JsonText)]
pub async fn import_candidats(session_id: i32, lignes: Vec<CandidatInput>) -> Result<SessionDetail, AppError> {
    use crate::db::{db, require_user, session_edit};
    use crate::domain::candidats::MAX_LIGNES_IMPORT;
    use crate::domain::session::Operation;
    require_user()?;
    let db = db()?;
    let ctx = server::load(&db, session_id).await?;
    let (user, _) = server::edit(&ctx, Operation::Modifier)?;
    if lignes.is_empty() || lignes.len() > MAX_LIGNES_IMPORT {
        return Err(AppError::Invalide(format!(
            "Un import compte de 1 à {MAX_LIGNES_IMPORT} candidats : vérifiez le fichier."
        ))
        .respond());
    }
    let mut candidats = Vec::with_capacity(lignes.len());
    let mut errors = Vec::new();
    for (i, l) in lignes.iter().enumerate() {
        match l.parse(ctx.session.date_debut) {
            Ok(c) => candidats.push(c),
            Err(e) => errors.push(format!("Ligne {} : {}", i + 1, e.join(" "))),
        }
    }
    if !errors.is_empty() {
        return Err(AppError::Invalide(format!(
            "Aucun candidat n'a été importé ; corrigez ces lignes dans l'aperçu : {}",
            errors.join(" ")
        ))
        .respond());
    }
    let outcome = session_edit::add_candidats(&db, &user, &ctx, &candidats, "candidats_import").await;
    server::done(&db, session_id, &user, outcome).await
}

/// « Responsable de session ».
#[server(prefix = "/api", endpoint = "session/responsable", output = crate::api::codec::JsonText)]
pub async fn save_responsable(session_id: i32, input: ResponsableInput) -> Result<SessionDetail, AppError> {
    use crate::db::{db, require_user, session_edit};
    use crate::domain::session::Operation;
    require_user()?;
    let db = db()?;
    let ctx = server::load(&db, session_id).await?;
    let (user, _) = server::edit(&ctx, Operation::Modifier)?;
    let r = input.parse().map_err(|e| {
        AppError::Invalide(format!("Le responsable n'a pas été enregistré : {}", e.join(" "))).respond()
    })?;
    let outcome = session_edit::save_responsable(&db, &user, &ctx, &r).await;
    server::done(&db, session_id, &user, outcome).await
}

/// Names a jury member (`jury`) or a surveillant.
#[server(prefix = "/api", endpoint = "session/personne", output = crate::api::codec::JsonText)]
pub async fn add_personne(session_id: i32, jury: bool, input: PersonneInput) -> Result<SessionDetail, AppError> {
    use crate::db::{db, require_user, session_edit};
    use crate::domain::session::Operation;
    require_user()?;
    let db = db()?;
    let ctx = server::load(&db, session_id).await?;
    let (user, _) = server::edit(&ctx, Operation::Modifier)?;
    let p = input.parse(jury).map_err(|e| {
        let who = if jury { "Le membre du jury" } else { "Le surveillant" };
        AppError::Invalide(format!("{who} n'a pas été enregistré : {}", e.join(" "))).respond()
    })?;
    let outcome = session_edit::add_personne(&db, &user, &ctx, jury, p).await;
    server::done(&db, session_id, &user, outcome).await
}

/// Removes a jury member (`jury`) or a surveillant.
#[server(prefix = "/api", endpoint = "session/personne/retirer", output = crate::api::codec::JsonText)]
pub async fn remove_personne(session_id: i32, jury: bool, id: i32) -> Result<SessionDetail, AppError> {
    use crate::db::{db, require_user, session_edit};
    use crate::domain::session::Operation;
    require_user()?;
    let db = db()?;
    let ctx = server::load(&db, session_id).await?;
    let (user, _) = server::edit(&ctx, Operation::Modifier)?;
    let outcome = session_edit::remove_personne(&db, &user, &ctx, jury, id).await;
    server::done(&db, session_id, &user, outcome).await
}

/// « Envoyer les convocations »: needs candidates, and is judged by the convocation rule; the PDF is then at
/// /sessions/{id}/convocations.pdf.
#[server(prefix = "/api", endpoint = "session/convocations", output = crate::api::codec::JsonText)]
pub async fn send_convocations(session_id: i32) -> Result<SessionDetail, AppError> {
    use crate::db::session_edit::{self, Note};
    use crate::db::{db, require_user};
    use crate::domain::delais::ActionDelai;
    use crate::domain::session::Operation;
    require_user()?;
    let db = db()?;
    let ctx = server::load(&db, session_id).await?;
    let (user, next) = server::edit(&ctx, Operation::EnvoyerConvocations)?;
    if session_edit::candidats(&db, session_id).await.map_err(AppError::internal)?.is_empty() {
        return Err(AppError::Invalide(
            "Aucun candidat n'est inscrit : ajoutez ou importez les candidats avant d'envoyer les convocations.".into(),
        )
        .respond());
    }
    let v = server::judge(&db, &ctx, ActionDelai::Convocation).await?;
    let outcome = session_edit::transition(&db, &user, &ctx, next, "convocations", Note::None, Some(&v)).await;
    server::done(&db, session_id, &user, outcome).await
}

/// « Enregistrer les résultats »: every candidate's decision, then « Résultats saisis » (sent to the UD).
#[server(prefix = "/api", endpoint = "session/resultats", output = crate::api::codec::JsonText)]
pub async fn save_resultats(session_id: i32, lignes: Vec<ResultatInput>) -> Result<SessionDetail, AppError> {
    use crate::db::{db, require_user, session_edit};
    use crate::domain::candidats::verifier_resultats;
    use crate::domain::session::Operation;
    require_user()?;
    let db = db()?;
    let ctx = server::load(&db, session_id).await?;
    let (user, _) = server::edit(&ctx, Operation::SaisirResultats)?;
    // Only what the check needs: the candidates and the titre's CCP codes (the page is built once, after saving).
    let candidats: Vec<(i32, String)> = session_edit::candidats(&db, session_id)
        .await
        .map_err(AppError::internal)?
        .into_iter()
        .map(|c| (c.id, format!("{} {}", c.nom, c.prenom)))
        .collect();
    let ccps: Vec<String> = session_edit::ccps(&db, ctx.titre.id)
        .await
        .map_err(AppError::internal)?
        .into_iter()
        .map(|(code, _)| code)
        .collect();
    let resultats = verifier_resultats(&lignes, &candidats, &ccps).map_err(|e| {
        AppError::Invalide(format!("Les résultats n'ont pas été enregistrés : {}", e.join(" "))).respond()
    })?;
    let outcome = session_edit::save_resultats(&db, &user, &ctx, &resultats).await;
    server::done(&db, session_id, &user, outcome).await
}

/// A decision on a session.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum Decision {
    /// The UD's « Valider ».
    Valider,
    /// The UD's « Demander une correction », with a message to the centre.
    DemanderCorrection,
    /// « Annuler la session », with a reason: the centre before the start, the UD for an irregularity.
    Annuler,
}

/// The UD's « Valider » / « Demander une correction » / « Annuler la session », and the centre's cancellation.
#[server(prefix = "/api", endpoint = "session/decision", output = crate::api::codec::JsonText)]
pub async fn decide_session(session_id: i32, decision: Decision, message: String) -> Result<SessionDetail, AppError> {
    use crate::auth::{Action, Role};
    use crate::db::session_edit::{self, Note};
    use crate::db::{authorize, db, require_user};
    use crate::domain::session::{Operation, apres};
    let reader = require_user()?;
    let db = db()?;
    let ctx = server::load(&db, session_id).await?;
    let what =
        if decision == Decision::Annuler { "le motif de l'annulation" } else { "ce que le centre doit corriger" };
    let message = crate::domain::text::free_text("Le message", &message, 2000).map_err(|e| {
        AppError::Invalide(format!("{e} Saisissez {what} : il est conservé dans la traçabilité.")).respond()
    })?;
    if decision != Decision::Valider && message.is_empty() {
        return Err(AppError::Invalide(format!(
            "Saisissez {what} (2 000 caractères au plus) : il est conservé dans la traçabilité."
        ))
        .respond());
    }
    let review = Action::ReviewSession { departement: ctx.commune.departement_code.clone() };
    let (user, op) = match (decision, &reader.role) {
        (Decision::Annuler, Role::Centre { .. }) => {
            (authorize(&Action::EditSession { centre_id: ctx.centre.id })?, Operation::AnnulerParLeCentre)
        }
        (Decision::Annuler, _) => (authorize(&review)?, Operation::AnnulerParLaUd),
        (Decision::Valider, _) => (authorize(&review)?, Operation::Valider),
        (Decision::DemanderCorrection, _) => (authorize(&review)?, Operation::DemanderCorrection),
    };
    let next = apres(op, server::statut(&ctx), ctx.session.date_debut, crate::clock::today())
        .map_err(|m| AppError::Conflit(m).respond())?;
    let (action, note) = match decision {
        Decision::Valider => ("validation", Note::None),
        Decision::DemanderCorrection => ("demande_correction", Note::Correction(message)),
        Decision::Annuler => ("annulation", Note::Annulation(message)),
    };
    let outcome = session_edit::transition(&db, &user, &ctx, next, action, note, None).await;
    tracing::info!(session_id, ?decision, by = %user.identifiant, "session decision");
    server::done(&db, session_id, &user, outcome).await
}

/// The UD grants one session a derogation to the deadline rules (period, rules lifted, reason).
#[server(prefix = "/api", endpoint = "session/derogation", output = crate::api::codec::JsonText)]
pub async fn grant_session_derogation(session_id: i32, input: DerogationInput) -> Result<SessionDetail, AppError> {
    use crate::auth::Action;
    use crate::db::{authorize, db, regles, require_user};
    require_user()?;
    let db = db()?;
    let ctx = server::load(&db, session_id).await?;
    let user = authorize(&Action::ReviewSession { departement: ctx.commune.departement_code.clone() })?;
    if !server::statut(&ctx).modifiable() {
        return Err(AppError::Conflit(
            "Cette session n'a plus d'échéance à lever : une dérogation ne changerait rien.".into(),
        )
        .respond());
    }
    let (rules, _) = server::rules(&db).await?;
    let known: Vec<String> = rules.into_iter().map(|r| r.code).collect();
    let input = DerogationInput { portee: format!("session:{session_id}"), ..input };
    let window =
        input.parse(&known).map_err(|e| AppError::Invalide(crate::domain::delais::refus_derogation(&e)).respond())?;
    regles::open_derogation(&db, &user, &window, &input.motif()).await.map_err(AppError::internal)?;
    server::reload(&db, session_id, &user).await
}
