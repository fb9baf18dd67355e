//! Changes to sessions: « Enregistrer la session », candidates (one by one or imported), responsable, jury,
//! surveillants, the state changes of the lifecycle and the results. Each change runs in one transaction that first
//! moves (or touches) the session from the state the decision was taken in: if another request changed the state
//! meanwhile, nothing is written and the user is told to reload. Each change is audited on the session.

use chrono::Utc;
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseConnection, DatabaseTransaction, DbErr, EntityTrait,
    QueryFilter, QueryOrder, Set, TransactionTrait,
};

use super::audit::{self, Change, HorsDelai};
use super::entity::{agrement, candidat, ccp, commune, exam_session, jury_membre, site, surveillant, titre};
use super::session_detail::SessionContext;
use crate::auth::AuthUser;
use crate::domain::candidats::{Candidat, Resultat, voie_label};
use crate::domain::delais::Verdict;
use crate::domain::format::{commune_label, date_fr};
use crate::domain::programmation::{AgrementOuvert, NouvelleSession, identifiant};
use crate::domain::session::StatutSession;
use crate::dto::{NouvelleSessionForm, SiteChoice};
use crate::error::AppError;

/// A change the caller may report to the user as it is (the session moved, the candidate is gone…).
pub type Outcome<T> = Result<Result<T, AppError>, DbErr>;

pub fn moved() -> AppError {
    AppError::Conflit(
        "La session a été modifiée entre-temps par quelqu'un d'autre : rechargez la page pour voir son état actuel."
            .into(),
    )
}

/// The centre's sites and their agréments, for « Enregistrer la session ».
pub async fn form(
    db: &impl ConnectionTrait,
    centre_id: i32,
    regles: Vec<crate::domain::delais::Regle>,
    derogations: Vec<crate::domain::delais::Derogation>,
    aujourdhui: chrono::NaiveDate,
) -> Result<NouvelleSessionForm, DbErr> {
    let sites = site::Entity::find()
        .filter(site::Column::CentreId.eq(centre_id))
        .order_by_asc(site::Column::Nom)
        .all(db)
        .await?;
    let codes: Vec<String> = sites.iter().map(|s| s.commune_code.clone()).collect();
    let communes = commune::Entity::find().filter(commune::Column::Code.is_in(codes)).all(db).await?;
    let site_ids: Vec<i32> = sites.iter().map(|s| s.id).collect();
    let agrements = agrement::Entity::find().filter(agrement::Column::SiteId.is_in(site_ids)).all(db).await?;
    let titre_ids: Vec<i32> = agrements.iter().map(|a| a.titre_id).collect();
    let titres = titre::Entity::find().filter(titre::Column::Id.is_in(titre_ids)).all(db).await?;
    let mut ouverts: Vec<AgrementOuvert> = agrements
        .into_iter()
        .filter_map(|a| {
            let t = titres.iter().find(|t| t.id == a.titre_id)?;
            Some(AgrementOuvert {
                site_id: a.site_id,
                titre_id: a.titre_id,
                titre_code: t.code.clone(),
                titre_libelle: t.libelle.clone(),
                statut: a.statut,
                accorde_le: a.accorde_le,
                date_fin: a.date_fin,
                titre_fin_validite: t.fin_validite,
            })
        })
        .collect();
    ouverts.sort_by(|a, b| (a.site_id, &a.titre_libelle).cmp(&(b.site_id, &b.titre_libelle)));
    Ok(NouvelleSessionForm {
        sites: sites
            .into_iter()
            .map(|s| {
                let c = communes.iter().find(|c| c.code == s.commune_code);
                SiteChoice {
                    id: s.id,
                    commune: commune_label(&s.code_postal, c.map_or("", |c| c.nom.as_str())),
                    region: c.map(|c| c.region_code.clone()).unwrap_or_default(),
                    nom: s.nom,
                }
            })
            .collect(),
        agrements: ouverts,
        regles,
        derogations,
        aujourdhui,
    })
}

/// Stores a new session « En préparation » with its business identifier, audited (flagged « hors délai » when the
/// programming rule was broken).
pub async fn create(
    db: &DatabaseConnection,
    actor: &AuthUser,
    s: &NouvelleSession,
    verdict: &Verdict,
) -> Result<(i32, String), DbErr> {
    let txn = db.begin().await?;
    let now = Utc::now();
    let placeholder = format!("EN_COURS_{}_{}", actor.id, now.timestamp_nanos_opt().unwrap_or_default());
    let saved = exam_session::ActiveModel {
        identifiant: Set(placeholder),
        type_session: Set(s.type_session.clone()),
        titre_id: Set(s.titre_id),
        site_id: Set(s.site_id),
        date_debut: Set(s.date_debut),
        heure_debut: Set(s.heure_debut),
        date_fin: Set(s.date_fin),
        statut: Set(StatutSession::EnPreparation.code().to_owned()),
        commentaires: Set(s.commentaires.clone()),
        created_at: Set(now),
        updated_at: Set(now),
        cree_par: Set(Some(actor.id)),
        ..Default::default()
    }
    .insert(&txn)
    .await?;
    let ident = identifiant(&s.type_session, s.date_debut, saved.id);
    exam_session::Entity::update_many()
        .col_expr(exam_session::Column::Identifiant, Expr::value(ident.clone()))
        .filter(exam_session::Column::Id.eq(saved.id))
        .exec(&txn)
        .await?;
    let t = titre::Entity::find_by_id(s.titre_id).one(&txn).await?;
    let changes = creation_changes(s, &ident, t.as_ref());
    audit::record_flagged(&txn, actor, "session", saved.id, "creation", &changes, HorsDelai::of(verdict)).await?;
    txn.commit().await?;
    Ok((saved.id, ident))
}

/// What « Enregistrer la session » records: every field the session starts with.
pub fn creation_changes(s: &NouvelleSession, ident: &str, t: Option<&titre::Model>) -> Vec<Change<'static>> {
    let field = |f: &'static str, v: String| Change { field: f, before: None, after: Some(v) };
    let mut changes = vec![
        field("identifiant", ident.to_owned()),
        field("titre", t.map(|t| format!("{} – {}", t.code, t.libelle)).unwrap_or_default()),
        field("type_session", s.type_session.clone()),
        field("date_debut", date_fr(s.date_debut)),
        field("heure_debut", s.heure_debut.format("%H:%M").to_string()),
        field("date_fin", date_fr(s.date_fin)),
        statut_change(None, StatutSession::EnPreparation),
    ];
    if s.prolongation {
        changes.push(field("delai_prolongation", "Session dans le délai de prolongation du titre".into()));
    }
    if let Some(c) = &s.commentaires {
        changes.push(field("commentaires", c.clone()));
    }
    changes
}

/// A change of state, as the trail shows it (by the states' labels).
pub fn statut_change(from: Option<StatutSession>, to: StatutSession) -> Change<'static> {
    Change { field: "statut", before: from.map(|f| f.label().to_owned()), after: Some(to.label().to_owned()) }
}

/// A candidate added, as the trail shows it: who, born when, by which route, reachable where.
pub fn candidat_ajoute(c: &Candidat) -> Change<'static> {
    let after = format!(
        "{} (né(e) le {}, {}{})",
        candidat_label(&c.nom, &c.prenom),
        date_fr(c.date_naissance),
        voie_label(&c.voie_acces),
        c.email.as_deref().map(|e| format!(", {e}")).unwrap_or_default()
    );
    Change { field: "candidat", before: None, after: Some(after) }
}

/// A jury member named, as the trail shows them.
pub fn jury_nomme(nom: &str, prenom: &str, habilitation_fin: chrono::NaiveDate) -> String {
    format!("{nom} {prenom} (habilité jusqu'au {})", date_fr(habilitation_fin))
}

/// The field and value of one candidate's result in the trail (« résultat DUPONT Jeanne », « Réussite (CP-1,CP-2) »).
pub fn resultat_saisi(nom: &str, prenom: &str, r: Resultat, ccps: Option<&str>) -> (String, String) {
    (
        format!("résultat {}", candidat_label(nom, prenom)),
        format!("{}{}", r.label(), ccps.map(|c| format!(" ({c})")).unwrap_or_default()),
    )
}

/// Opens a transaction in which the session has moved from `from` to `to` (or was touched, when they are equal).
/// `None` when the session is no longer in `from`.
async fn begin_from(
    db: &DatabaseConnection,
    session_id: i32,
    from: StatutSession,
    to: StatutSession,
) -> Result<Option<DatabaseTransaction>, DbErr> {
    let txn = db.begin().await?;
    let moved = exam_session::Entity::update_many()
        .col_expr(exam_session::Column::Statut, Expr::value(to.code()))
        .col_expr(exam_session::Column::UpdatedAt, Expr::value(Utc::now()))
        .filter(exam_session::Column::Id.eq(session_id))
        .filter(exam_session::Column::Statut.eq(from.code()))
        .exec(&txn)
        .await?;
    if moved.rows_affected == 1 {
        Ok(Some(txn))
    } else {
        txn.rollback().await?;
        Ok(None)
    }
}

fn statut(ctx: &SessionContext) -> StatutSession {
    StatutSession::from_code(&ctx.session.statut).unwrap_or(StatutSession::EnPreparation)
}

/// A transaction in which the session, still in the state the page showed, is marked changed.
async fn begin_change(db: &DatabaseConnection, ctx: &SessionContext) -> Result<Option<DatabaseTransaction>, DbErr> {
    let s = statut(ctx);
    begin_from(db, ctx.session.id, s, s).await
}

/// One candidate of the session, read in `txn`; `None` when it is no longer registered.
async fn candidat_of(
    txn: &DatabaseTransaction,
    ctx: &SessionContext,
    candidat_id: i32,
) -> Result<Option<candidat::Model>, DbErr> {
    candidat::Entity::find_by_id(candidat_id).filter(candidat::Column::SessionId.eq(ctx.session.id)).one(txn).await
}

fn candidat_gone() -> AppError {
    AppError::Introuvable("Ce candidat n'est plus inscrit à la session : rechargez la page.".into())
}

fn candidat_label(nom: &str, prenom: &str) -> String {
    format!("{nom} {prenom}")
}

fn candidat_fields(c: &Candidat) -> [(&'static str, Option<String>); 5] {
    [
        ("nom", Some(c.nom.clone())),
        ("prenom", Some(c.prenom.clone())),
        ("date_naissance", Some(date_fr(c.date_naissance))),
        ("email", c.email.clone()),
        ("voie_acces", Some(voie_label(&c.voie_acces).to_owned())),
    ]
}

/// A candidate's row, registered at `now`.
pub fn new_candidat(session_id: i32, c: &Candidat, now: chrono::DateTime<Utc>) -> candidat::ActiveModel {
    candidat::ActiveModel {
        session_id: Set(session_id),
        nom: Set(c.nom.clone()),
        prenom: Set(c.prenom.clone()),
        date_naissance: Set(c.date_naissance),
        email: Set(c.email.clone()),
        voie_acces: Set(c.voie_acces.clone()),
        created_at: Set(now),
        updated_at: Set(now),
        ..Default::default()
    }
}

/// Adds candidates (one typed, or every line of an import): all or none.
pub async fn add_candidats(
    db: &DatabaseConnection,
    actor: &AuthUser,
    ctx: &SessionContext,
    list: &[Candidat],
    action: &str,
) -> Outcome<()> {
    let Some(txn) = begin_change(db, ctx).await? else { return Ok(Err(moved())) };
    // One event per candidate, with who it is, so that the trail reads on its own.
    let mut changes = Vec::with_capacity(list.len());
    for c in list {
        new_candidat(ctx.session.id, c, Utc::now()).insert(&txn).await?;
        changes.push(candidat_ajoute(c));
    }
    audit::record(&txn, actor, "session", ctx.session.id, action, &changes).await?;
    txn.commit().await?;
    Ok(Ok(()))
}

/// Changes one candidate of the session: one audit event per changed field.
pub async fn update_candidat(
    db: &DatabaseConnection,
    actor: &AuthUser,
    ctx: &SessionContext,
    candidat_id: i32,
    c: &Candidat,
) -> Outcome<()> {
    let Some(txn) = begin_change(db, ctx).await? else { return Ok(Err(moved())) };
    let Some(old) = candidat_of(&txn, ctx, candidat_id).await? else {
        txn.rollback().await?;
        return Ok(Err(candidat_gone()));
    };
    let before = Candidat {
        nom: old.nom.clone(),
        prenom: old.prenom.clone(),
        date_naissance: old.date_naissance,
        email: old.email.clone(),
        voie_acces: old.voie_acces.clone(),
    };
    let label = candidat_label(&old.nom, &old.prenom);
    let names: Vec<String> = candidat_fields(c).iter().map(|(f, _)| format!("candidat {label} : {f}")).collect();
    let changes: Vec<Change<'_>> = candidat_fields(&before)
        .into_iter()
        .zip(candidat_fields(c))
        .zip(&names)
        .filter(|((b, a), _)| b.1 != a.1)
        .map(|((b, a), name)| Change { field: name, before: b.1, after: a.1 })
        .collect();
    if changes.is_empty() {
        txn.rollback().await?;
        return Ok(Ok(()));
    }
    let mut m: candidat::ActiveModel = old.into();
    m.nom = Set(c.nom.clone());
    m.prenom = Set(c.prenom.clone());
    m.date_naissance = Set(c.date_naissance);
    m.email = Set(c.email.clone());
    m.voie_acces = Set(c.voie_acces.clone());
    m.updated_at = Set(Utc::now());
    m.update(&txn).await?;
    audit::record(&txn, actor, "session", ctx.session.id, "candidat_modification", &changes).await?;
    txn.commit().await?;
    Ok(Ok(()))
}

/// Removes a candidate from the session (audited with who it was).
pub async fn remove_candidat(
    db: &DatabaseConnection,
    actor: &AuthUser,
    ctx: &SessionContext,
    candidat_id: i32,
) -> Outcome<()> {
    let Some(txn) = begin_change(db, ctx).await? else { return Ok(Err(moved())) };
    let Some(old) = candidat_of(&txn, ctx, candidat_id).await? else {
        txn.rollback().await?;
        return Ok(Err(candidat_gone()));
    };
    candidat::Entity::delete_by_id(old.id).exec(&txn).await?;
    let change = Change { field: "candidat", before: Some(candidat_label(&old.nom, &old.prenom)), after: None };
    audit::record(&txn, actor, "session", ctx.session.id, "candidat_retrait", &[change]).await?;
    txn.commit().await?;
    Ok(Ok(()))
}

/// « Responsable de session »: one event per changed field.
pub async fn save_responsable(
    db: &DatabaseConnection,
    actor: &AuthUser,
    ctx: &SessionContext,
    r: &crate::domain::candidats::Responsable,
) -> Outcome<()> {
    let Some(txn) = begin_change(db, ctx).await? else { return Ok(Err(moved())) };
    let old = &ctx.session;
    let pairs = [
        ("responsable.nom", old.responsable_nom.clone(), Some(r.nom.clone())),
        ("responsable.prenom", old.responsable_prenom.clone(), Some(r.prenom.clone())),
        ("responsable.telephone", old.responsable_telephone.clone(), r.telephone.clone()),
        ("responsable.email", old.responsable_email.clone(), r.email.clone()),
    ];
    let changes: Vec<Change<'_>> = pairs
        .into_iter()
        .filter(|(_, b, a)| b != a)
        .map(|(field, before, after)| Change { field, before, after })
        .collect();
    exam_session::Entity::update_many()
        .col_expr(exam_session::Column::ResponsableNom, Expr::value(r.nom.clone()))
        .col_expr(exam_session::Column::ResponsablePrenom, Expr::value(r.prenom.clone()))
        .col_expr(exam_session::Column::ResponsableTelephone, Expr::value(r.telephone.clone()))
        .col_expr(exam_session::Column::ResponsableEmail, Expr::value(r.email.clone()))
        .filter(exam_session::Column::Id.eq(ctx.session.id))
        .exec(&txn)
        .await?;
    if !changes.is_empty() {
        audit::record(&txn, actor, "session", ctx.session.id, "responsable", &changes).await?;
    }
    txn.commit().await?;
    Ok(Ok(()))
}

/// Names a jury member (with the end of the habilitation) or a surveillant.
pub async fn add_personne(
    db: &DatabaseConnection,
    actor: &AuthUser,
    ctx: &SessionContext,
    jury: bool,
    (nom, prenom, fin): (String, String, Option<chrono::NaiveDate>),
) -> Outcome<()> {
    let Some(txn) = begin_change(db, ctx).await? else { return Ok(Err(moved())) };
    let now = Utc::now();
    let after = match (jury, fin) {
        (true, Some(fin)) => {
            jury_membre::ActiveModel {
                session_id: Set(ctx.session.id),
                nom: Set(nom.clone()),
                prenom: Set(prenom.clone()),
                habilitation_fin: Set(fin),
                created_at: Set(now),
                ..Default::default()
            }
            .insert(&txn)
            .await?;
            jury_nomme(&nom, &prenom, fin)
        }
        _ => {
            surveillant::ActiveModel {
                session_id: Set(ctx.session.id),
                nom: Set(nom.clone()),
                prenom: Set(prenom.clone()),
                created_at: Set(now),
                ..Default::default()
            }
            .insert(&txn)
            .await?;
            format!("{nom} {prenom}")
        }
    };
    let field = if jury { "jury" } else { "surveillant" };
    audit::record(
        &txn,
        actor,
        "session",
        ctx.session.id,
        "ajout",
        &[Change { field, before: None, after: Some(after) }],
    )
    .await?;
    txn.commit().await?;
    Ok(Ok(()))
}

/// Removes a jury member or a surveillant.
pub async fn remove_personne(
    db: &DatabaseConnection,
    actor: &AuthUser,
    ctx: &SessionContext,
    jury: bool,
    id: i32,
) -> Outcome<()> {
    let Some(txn) = begin_change(db, ctx).await? else { return Ok(Err(moved())) };
    let gone = if jury {
        let m = jury_membre::Entity::find_by_id(id)
            .filter(jury_membre::Column::SessionId.eq(ctx.session.id))
            .one(&txn)
            .await?;
        if let Some(m) = &m {
            jury_membre::Entity::delete_by_id(m.id).exec(&txn).await?;
        }
        m.map(|m| format!("{} {}", m.nom, m.prenom))
    } else {
        let m = surveillant::Entity::find_by_id(id)
            .filter(surveillant::Column::SessionId.eq(ctx.session.id))
            .one(&txn)
            .await?;
        if let Some(m) = &m {
            surveillant::Entity::delete_by_id(m.id).exec(&txn).await?;
        }
        m.map(|m| format!("{} {}", m.nom, m.prenom))
    };
    let Some(who) = gone else {
        txn.rollback().await?;
        return Ok(Err(AppError::Introuvable(
            "Cette personne n'est plus nommée sur la session : rechargez la page.".into(),
        )));
    };
    let field = if jury { "jury" } else { "surveillant" };
    audit::record(
        &txn,
        actor,
        "session",
        ctx.session.id,
        "retrait",
        &[Change { field, before: Some(who), after: None }],
    )
    .await?;
    txn.commit().await?;
    Ok(Ok(()))
}

/// What a state change also writes on the session.
pub enum Note {
    None,
    /// Why the session is cancelled.
    Annulation(String),
    /// The UD's message to the centre.
    Correction(String),
}

/// Moves the session from its current state to `to`, audited (with the rule and window when late), writing `note`.
pub async fn transition(
    db: &DatabaseConnection,
    actor: &AuthUser,
    ctx: &SessionContext,
    to: StatutSession,
    action: &str,
    note: Note,
    verdict: Option<&Verdict>,
) -> Outcome<()> {
    let from = statut(ctx);
    let Some(txn) = begin_from(db, ctx.session.id, from, to).await? else { return Ok(Err(moved())) };
    let mut changes = vec![statut_change(Some(from), to)];
    let update = exam_session::Entity::update_many().filter(exam_session::Column::Id.eq(ctx.session.id));
    match note {
        Note::None => {}
        Note::Annulation(motif) => {
            update.col_expr(exam_session::Column::MotifAnnulation, Expr::value(motif.clone())).exec(&txn).await?;
            changes.push(Change { field: "motif_annulation", before: None, after: Some(motif) });
        }
        Note::Correction(message) => {
            update.col_expr(exam_session::Column::DemandeCorrection, Expr::value(message.clone())).exec(&txn).await?;
            changes.push(Change { field: "demande_correction", before: None, after: Some(message) });
        }
    }
    audit::record_flagged(&txn, actor, "session", ctx.session.id, action, &changes, verdict.and_then(HorsDelai::of))
        .await?;
    txn.commit().await?;
    Ok(Ok(()))
}

/// Records every candidate's result and moves the session to « Résultats saisis » (the UD's correction request,
/// if any, is answered: it is cleared).
pub async fn save_resultats(
    db: &DatabaseConnection,
    actor: &AuthUser,
    ctx: &SessionContext,
    resultats: &[crate::domain::candidats::ResultatCandidat],
) -> Outcome<()> {
    let from = statut(ctx);
    let Some(txn) = begin_from(db, ctx.session.id, from, StatutSession::ResultatsSaisis).await? else {
        return Ok(Err(moved()));
    };
    let candidats = candidat::Entity::find().filter(candidat::Column::SessionId.eq(ctx.session.id)).all(&txn).await?;
    let mut names = Vec::new();
    let mut values = Vec::new();
    for (id, r, ccps) in resultats {
        let Some(c) = candidats.iter().find(|c| c.id == *id) else {
            txn.rollback().await?;
            return Ok(Err(AppError::Conflit(
                "Un candidat a été retiré de la session entre-temps : rechargez la page.".into(),
            )));
        };
        let ccps_text = (!ccps.is_empty()).then(|| ccps.join(","));
        candidat::Entity::update_many()
            .col_expr(candidat::Column::Resultat, Expr::value(r.code()))
            .col_expr(candidat::Column::CcpsObtenus, Expr::value(ccps_text.clone()))
            .col_expr(candidat::Column::UpdatedAt, Expr::value(Utc::now()))
            .filter(candidat::Column::Id.eq(c.id))
            .exec(&txn)
            .await?;
        let before = c.resultat.as_deref().and_then(Resultat::from_code).map(|r| r.label().to_owned());
        let (name, after) = resultat_saisi(&c.nom, &c.prenom, *r, ccps_text.as_deref());
        names.push(name);
        values.push((before, after));
    }
    exam_session::Entity::update_many()
        .col_expr(exam_session::Column::DemandeCorrection, Expr::value(Option::<String>::None))
        .filter(exam_session::Column::Id.eq(ctx.session.id))
        .exec(&txn)
        .await?;
    let mut changes = vec![statut_change(Some(from), StatutSession::ResultatsSaisis)];
    changes.extend(names.iter().zip(values).map(|(n, (b, a))| Change { field: n, before: b, after: Some(a) }));
    audit::record(&txn, actor, "session", ctx.session.id, "resultats", &changes).await?;
    txn.commit().await?;
    Ok(Ok(()))
}

/// The session's candidates, by name.
pub async fn candidats(db: &impl ConnectionTrait, session_id: i32) -> Result<Vec<candidat::Model>, DbErr> {
    candidat::Entity::find()
        .filter(candidat::Column::SessionId.eq(session_id))
        .order_by_asc(candidat::Column::Nom)
        .order_by_asc(candidat::Column::Prenom)
        .order_by_asc(candidat::Column::Id)
        .all(db)
        .await
}

/// A titre's CCPs (code, libellé), in their order.
pub async fn ccps(db: &impl ConnectionTrait, titre_id: i32) -> Result<Vec<(String, String)>, DbErr> {
    Ok(ccp::Entity::find()
        .filter(ccp::Column::TitreId.eq(titre_id))
        .order_by_asc(ccp::Column::Ordre)
        .all(db)
        .await?
        .into_iter()
        .map(|c| (c.code, c.libelle))
        .collect())
}

pub async fn jury(db: &impl ConnectionTrait, session_id: i32) -> Result<Vec<jury_membre::Model>, DbErr> {
    jury_membre::Entity::find()
        .filter(jury_membre::Column::SessionId.eq(session_id))
        .order_by_asc(jury_membre::Column::Id)
        .all(db)
        .await
}

pub async fn surveillants(db: &impl ConnectionTrait, session_id: i32) -> Result<Vec<surveillant::Model>, DbErr> {
    surveillant::Entity::find()
        .filter(surveillant::Column::SessionId.eq(session_id))
        .order_by_asc(surveillant::Column::Id)
        .all(db)
        .await
}
