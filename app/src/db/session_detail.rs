//! One session: its page (header, practical information, DTE, « Traçabilité ») and the « Demande de DTE ».

use chrono::{NaiveDate, Utc};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseConnection, DbErr, EntityTrait, PaginatorTrait,
    QueryFilter, QueryOrder, QuerySelect, Set, TransactionTrait,
};

use super::audit::{self, Change, HorsDelai};
use super::entity::{agrement, app_user, audit_event, centre, commune, demande_dte, exam_session, site, titre};
use crate::auth::AuthUser;
use crate::domain::candidats::{Responsable, Resultat, alertes_jury};
use crate::domain::controles::{AgrementSession, Faits, SaisieHorsDelai};
use crate::domain::delais::{Dte, Verdict, compte_a_rebours};
use crate::domain::format::{commune_label, date_fr};
use crate::domain::session::StatutSession;
use crate::dto::{CandidatRow, DteRow, PersonneRow, SessionDetail, SessionDroits, TraceRow};
use crate::error::AppError;

/// A session with what decides who may see and change it.
pub struct SessionContext {
    pub session: exam_session::Model,
    pub site: site::Model,
    pub centre: centre::Model,
    pub commune: commune::Model,
    pub titre: titre::Model,
}

pub async fn context(db: &impl ConnectionTrait, id: i32) -> Result<Option<SessionContext>, DbErr> {
    let Some(session) = exam_session::Entity::find_by_id(id).one(db).await? else { return Ok(None) };
    let Some(site) = site::Entity::find_by_id(session.site_id).one(db).await? else { return Ok(None) };
    let Some(centre) = centre::Entity::find_by_id(site.centre_id).one(db).await? else { return Ok(None) };
    let Some(commune) = commune::Entity::find_by_id(site.commune_code.clone()).one(db).await? else { return Ok(None) };
    let Some(titre) = titre::Entity::find_by_id(session.titre_id).one(db).await? else { return Ok(None) };
    Ok(Some(SessionContext { session, site, centre, commune, titre }))
}

/// « 01/12/2026 » and « 18:58 », local time.
fn day_and_time(at: chrono::DateTime<Utc>) -> (String, String) {
    let local = at.with_timezone(&chrono::Local);
    (date_fr(local.date_naive()), local.format("%H:%M").to_string())
}

/// « 01/12/2026 à 18:58 », local time.
fn when(at: chrono::DateTime<Utc>) -> String {
    let (day, time) = day_and_time(at);
    format!("{day} à {time}")
}

fn dte_row(d: demande_dte::Model) -> DteRow {
    DteRow {
        nombre_candidats: d.nombre_candidats,
        date_reception_plis: d.date_reception_plis,
        commentaires: d.commentaires,
        hors_delai: d.hors_delai,
        demandee_le: when(d.created_at),
    }
}

/// The page of a session as `today` sees it.
pub async fn detail(
    db: &impl ConnectionTrait,
    ctx: SessionContext,
    today: chrono::NaiveDate,
    reader: &AuthUser,
) -> Result<SessionDetail, DbErr> {
    use crate::auth::{Action, is_allowed};
    use crate::domain::session::{Operation, apres};
    let can_request_dte = is_allowed(Some(reader), &Action::RequestDte { centre_id: ctx.centre.id });
    let regles: Vec<_> = super::regles::regles(db).await?.into_iter().map(|r| r.regle).collect();
    let derogations: Vec<_> = super::regles::derogations(db).await?.into_iter().map(|d| d.derogation).collect();
    let statut = StatutSession::from_code(&ctx.session.statut).unwrap_or(StatutSession::EnPreparation);
    let next = super::sessions::next_deadline(statut);
    let dte = demande_dte::Entity::find()
        .filter(demande_dte::Column::SessionId.eq(ctx.session.id))
        .one(db)
        .await?
        .map(dte_row);
    let events = audit_event::Entity::find()
        .filter(audit_event::Column::ObjectType.eq("session"))
        .filter(audit_event::Column::ObjectId.eq(ctx.session.id))
        .order_by_desc(audit_event::Column::Id)
        .all(db)
        .await?;
    let user_ids: Vec<i32> = events.iter().filter_map(|e| e.user_id).collect();
    let users: Vec<app_user::Model> =
        app_user::Entity::find().filter(app_user::Column::Id.is_in(user_ids)).all(db).await?;
    let tracabilite: Vec<TraceRow> = events
        .into_iter()
        .map(|e| {
            use crate::domain::session::{champ_label, role_label, valeur_label};
            let hors_delai = e.hors_delai.then(|| {
                let regle = e.regle_code.as_deref().map(|code| {
                    regles.iter().find(|r| r.code == code).map_or_else(|| code.to_owned(), |r| r.libelle.clone())
                });
                let derogation = e
                    .derogation_id
                    .and_then(|id| derogations.iter().find(|d| d.id == id))
                    .map(|d| format!("dérogation «\u{a0}{}\u{a0}»", d.nom));
                [regle, derogation].into_iter().flatten().collect::<Vec<_>>().join(" — ")
            });
            let field = e.field.as_deref();
            let (jour, heure) = day_and_time(e.at);
            TraceRow {
                jour,
                heure,
                qui: e
                    .user_id
                    .and_then(|id| users.iter().find(|u| u.id == id))
                    .map_or("—".into(), |u| u.nom_affiche.clone()),
                role: role_label(&e.role),
                action_libelle: crate::domain::session::action_label(&e.action),
                action: e.action,
                champ: field.map(champ_label),
                avant: e.before.map(|v| valeur_label(field, v)),
                apres: e.after.map(|v| valeur_label(field, v)),
                hors_delai,
            }
        })
        .collect();
    let candidats = super::session_edit::candidats(db, ctx.session.id).await?;
    let jury = super::session_edit::jury(db, ctx.session.id).await?;
    let surveillants = super::session_edit::surveillants(db, ctx.session.id).await?;
    let ccps_titre = super::session_edit::ccps(db, ctx.titre.id).await?;
    let edit = is_allowed(Some(reader), &Action::EditSession { centre_id: ctx.centre.id });
    let review = is_allowed(Some(reader), &Action::ReviewSession { departement: ctx.commune.departement_code.clone() });
    let can = |op| apres(op, statut, ctx.session.date_debut, today).is_ok();
    let is_centre = matches!(reader.role, crate::auth::Role::Centre { .. });
    let droits = SessionDroits {
        modifier: edit && can(Operation::Modifier),
        envoyer_convocations: edit && can(Operation::EnvoyerConvocations),
        saisir_resultats: edit && can(Operation::SaisirResultats),
        valider: review && can(Operation::Valider),
        // A centre cancels before the start; the UD (or national) for an irregularity, at any time before validation.
        annuler: (edit && can(Operation::AnnulerParLeCentre))
            || (review && !is_centre && can(Operation::AnnulerParLaUd)),
        deroger: review && !is_centre && statut.modifiable(),
        convocations_pdf: matches!(
            statut,
            StatutSession::ConvocationsEnvoyees | StatutSession::ResultatsSaisis | StatutSession::Validee
        ),
        pv_pdf: matches!(statut, StatutSession::ResultatsSaisis | StatutSession::Validee),
    };
    let membres: Vec<(String, chrono::NaiveDate)> =
        jury.iter().map(|j| (format!("{} {}", j.nom, j.prenom), j.habilitation_fin)).collect();
    let alertes_jury = alertes_jury(&membres, ctx.session.date_fin);
    // Before validation, the UD's checks.
    let controles = if review && statut == StatutSession::ResultatsSaisis {
        controles_avant_validation(db, &ctx, &tracabilite, &membres, &candidats).await?
    } else {
        Vec::new()
    };
    let s = ctx.session;
    Ok(SessionDetail {
        departement: ctx.commune.departement_code,
        responsable: s.responsable_nom.clone().map(|nom| Responsable {
            nom,
            prenom: s.responsable_prenom.clone().unwrap_or_default(),
            telephone: s.responsable_telephone.clone(),
            email: s.responsable_email.clone(),
        }),
        candidats: candidats
            .into_iter()
            .map(|c| CandidatRow {
                id: c.id,
                nom: c.nom,
                prenom: c.prenom,
                date_naissance: c.date_naissance,
                email: c.email,
                voie_acces: c.voie_acces,
                resultat: c.resultat.as_deref().and_then(Resultat::from_code),
                ccps_obtenus: c.ccps_obtenus.map(|s| s.split(',').map(str::to_owned).collect()).unwrap_or_default(),
            })
            .collect(),
        jury: jury
            .into_iter()
            .map(|j| PersonneRow { id: j.id, nom: j.nom, prenom: j.prenom, habilitation_fin: Some(j.habilitation_fin) })
            .collect(),
        surveillants: surveillants
            .into_iter()
            .map(|j| PersonneRow { id: j.id, nom: j.nom, prenom: j.prenom, habilitation_fin: None })
            .collect(),
        alertes_jury,
        controles,
        ccps_titre,
        motif_annulation: s.motif_annulation.clone(),
        demande_correction: s.demande_correction.clone(),
        droits,
        id: s.id,
        compte_a_rebours: next.and_then(|a| compte_a_rebours(a, &regles, &s.type_session, s.date_debut, today)),
        identifiant: s.identifiant,
        type_session: s.type_session,
        titre_code: ctx.titre.code,
        titre_libelle: ctx.titre.libelle,
        centre_id: ctx.centre.id,
        centre_raison_sociale: ctx.centre.raison_sociale,
        site_id: ctx.site.id,
        site_nom: ctx.site.nom,
        lieu: format!("{}, {}", ctx.site.adresse, commune_label(&ctx.site.code_postal, &ctx.commune.nom)),
        region: ctx.commune.region_code,
        date_debut: s.date_debut,
        heure_debut: s.heure_debut.format("%H:%M").to_string(),
        date_fin: s.date_fin,
        statut,
        commentaires: s.commentaires,
        cree_le: when(s.created_at),
        modifie_le: when(s.updated_at),
        aujourdhui: today,
        regles,
        derogations,
        dte,
        can_request_dte: can_request_dte && statut == StatutSession::EnPreparation,
        tracabilite,
    })
}

/// « Contrôles avant validation » of a session, from its agréments, its trail, its jury and its candidates.
async fn controles_avant_validation(
    db: &impl ConnectionTrait,
    ctx: &SessionContext,
    tracabilite: &[TraceRow],
    jury: &[(String, chrono::NaiveDate)],
    candidats: &[super::entity::candidat::Model],
) -> Result<Vec<crate::domain::controles::Controle>, DbErr> {
    let agrements = agrement::Entity::find()
        .filter(agrement::Column::SiteId.eq(ctx.site.id))
        .filter(agrement::Column::TitreId.eq(ctx.titre.id))
        .all(db)
        .await?;
    let agrements: Vec<AgrementSession<'_>> = agrements
        .iter()
        .map(|a| AgrementSession { statut: &a.statut, accorde_le: a.accorde_le, date_fin: a.date_fin })
        .collect();
    let hors_delai: Vec<SaisieHorsDelai<'_>> = tracabilite
        .iter()
        .filter_map(|t| {
            let explication = t.hors_delai.as_deref()?;
            Some(SaisieHorsDelai { jour: &t.jour, action: &t.action_libelle, explication })
        })
        .collect();
    let inscrits: Vec<(String, Option<Resultat>)> = candidats
        .iter()
        .map(|c| (format!("{} {}", c.nom, c.prenom), c.resultat.as_deref().and_then(Resultat::from_code)))
        .collect();
    Ok(crate::domain::controles::controles(&Faits {
        debut: ctx.session.date_debut,
        fin: ctx.session.date_fin,
        agrements: &agrements,
        hors_delai: &hors_delai,
        jury,
        candidats: &inscrits,
    }))
}

/// Records the DTE request and moves the session to « DTE envoyé », in one transaction, audited (flagged « hors
/// délai » when a window allowed it). A session has one request: a second one is refused, whoever sends it.
pub async fn request_dte(
    db: &DatabaseConnection,
    actor: &AuthUser,
    ctx: &SessionContext,
    dte: &Dte,
    verdict: &Verdict,
) -> Result<Result<(), AppError>, DbErr> {
    let already = || {
        AppError::Conflit(
            "La demande de DTE de cette session a déjà été envoyée : une seule demande par session. Rechargez la page pour la voir."
                .into(),
        )
    };
    let txn = db.begin().await?;
    // The state change comes first: it takes the write lock, and only one request can move the session out of
    // « En préparation ».
    let moved = exam_session::Entity::update_many()
        .col_expr(exam_session::Column::Statut, sea_orm::sea_query::Expr::value(StatutSession::DteEnvoye.code()))
        .col_expr(exam_session::Column::UpdatedAt, sea_orm::sea_query::Expr::value(Utc::now()))
        .filter(exam_session::Column::Id.eq(ctx.session.id))
        .filter(exam_session::Column::Statut.eq(StatutSession::EnPreparation.code()))
        .exec(&txn)
        .await?;
    if moved.rows_affected != 1 {
        txn.rollback().await?;
        return Ok(Err(already()));
    }
    let hors_delai = HorsDelai::of(verdict);
    let inserted = demande_dte::ActiveModel {
        session_id: Set(ctx.session.id),
        nombre_candidats: Set(i32::try_from(dte.nombre_candidats).unwrap_or(i32::MAX)),
        date_reception_plis: Set(dte.date_reception_plis),
        commentaires: Set(dte.commentaires.clone()),
        hors_delai: Set(hors_delai.is_some()),
        created_by: Set(Some(actor.id)),
        created_at: Set(Utc::now()),
        ..Default::default()
    }
    .insert(&txn)
    .await;
    if let Err(e) = inserted {
        txn.rollback().await?;
        // The unique index on session_id: another request won. Anything else is a real failure.
        return match e.sql_err() {
            Some(sea_orm::SqlErr::UniqueConstraintViolation(_)) => Ok(Err(already())),
            _ => Err(e),
        };
    }
    audit::record_flagged(&txn, actor, "session", ctx.session.id, "demande_dte", &dte_changes(dte), hors_delai).await?;
    txn.commit().await?;
    Ok(Ok(()))
}

/// What « Demander la DTE » records: the state change and the request.
pub fn dte_changes(dte: &Dte) -> Vec<Change<'static>> {
    let candidats = if dte.nombre_candidats == 0 {
        "0 (matériel déjà pris en charge)".to_owned()
    } else {
        dte.nombre_candidats.to_string()
    };
    let mut changes = vec![
        super::session_edit::statut_change(Some(StatutSession::EnPreparation), StatutSession::DteEnvoye),
        Change { field: "dte.nombre_candidats", before: None, after: Some(candidats) },
        Change { field: "dte.date_reception_plis", before: None, after: Some(date_fr(dte.date_reception_plis)) },
    ];
    if let Some(c) = &dte.commentaires {
        changes.push(Change { field: "dte.commentaires", before: None, after: Some(c.clone()) });
    }
    changes
}

/// Every DTE request, by wanted delivery date (then session), for the national admin's list and export.
pub async fn dte_requests(db: &impl ConnectionTrait) -> Result<Vec<crate::dto::DteListRow>, DbErr> {
    let requests = by_delivery_date(demande_dte::Entity::find()).all(db).await?;
    dte_rows(db, requests).await
}

/// The order of the DTE list: wanted delivery date, then session.
fn by_delivery_date(query: sea_orm::Select<demande_dte::Entity>) -> sea_orm::Select<demande_dte::Entity> {
    query.order_by_asc(demande_dte::Column::DateReceptionPlis).order_by_asc(demande_dte::Column::SessionId)
}

/// One page of the DTE requests, in the order of [`dte_requests`]: those whose envelopes are wanted on `from` or
/// later when it is given (still to ship), every one otherwise. Answers the number of requests and the page's rows.
pub async fn dte_requests_page(
    db: &impl ConnectionTrait,
    from: Option<NaiveDate>,
    page: u64,
    per_page: u64,
) -> Result<(u64, Vec<crate::dto::DteListRow>), DbErr> {
    let mut query = demande_dte::Entity::find();
    if let Some(from) = from {
        query = query.filter(demande_dte::Column::DateReceptionPlis.gte(from));
    }
    let total = query.clone().count(db).await?;
    let requests =
        by_delivery_date(query).offset(page.saturating_sub(1).saturating_mul(per_page)).limit(per_page).all(db).await?;
    Ok((total, dte_rows(db, requests).await?))
}

/// The list's rows of these requests, in their order (with their session, site, centre, titre and commune).
async fn dte_rows(
    db: &impl ConnectionTrait,
    requests: Vec<demande_dte::Model>,
) -> Result<Vec<crate::dto::DteListRow>, DbErr> {
    use std::collections::HashMap;
    let ids: Vec<i32> = requests.iter().map(|d| d.session_id).collect();
    let sessions: HashMap<i32, exam_session::Model> =
        by_ids::<exam_session::Entity, _>(db, exam_session::Column::Id, ids)
            .await?
            .into_iter()
            .map(|s| (s.id, s))
            .collect();
    let site_ids: Vec<i32> = sessions.values().map(|s| s.site_id).collect();
    let sites: HashMap<i32, site::Model> =
        by_ids::<site::Entity, _>(db, site::Column::Id, site_ids).await?.into_iter().map(|s| (s.id, s)).collect();
    let centre_ids: Vec<i32> = sites.values().map(|s| s.centre_id).collect();
    let centres: HashMap<i32, String> = by_ids::<centre::Entity, _>(db, centre::Column::Id, centre_ids)
        .await?
        .into_iter()
        .map(|c| (c.id, c.raison_sociale))
        .collect();
    let titres: HashMap<i32, titre::Model> =
        titre::Entity::find().all(db).await?.into_iter().map(|t| (t.id, t)).collect();
    let codes: Vec<String> = sites.values().map(|s| s.commune_code.clone()).collect();
    let communes: HashMap<String, String> = by_ids::<commune::Entity, _>(db, commune::Column::Code, codes)
        .await?
        .into_iter()
        .map(|c| (c.code, c.nom))
        .collect();
    Ok(requests
        .into_iter()
        .filter_map(|d| {
            let s = sessions.get(&d.session_id)?;
            let site = sites.get(&s.site_id)?;
            let t = titres.get(&s.titre_id)?;
            Some(crate::dto::DteListRow {
                session_id: s.id,
                identifiant: s.identifiant.clone(),
                titre: format!("{} – {}", t.code, t.libelle),
                centre: centres.get(&site.centre_id).cloned().unwrap_or_default(),
                site: site.nom.clone(),
                lieu: commune_label(&site.code_postal, communes.get(&site.commune_code).map_or("", String::as_str)),
                date_debut: s.date_debut,
                date_reception_plis: d.date_reception_plis,
                nombre_candidats: d.nombre_candidats,
                hors_delai: d.hors_delai,
                demandee_le: d.created_at.date_naive(),
            })
        })
        .collect())
}

/// The rows of `E` whose `column` is one of `keys`, asked for by chunks of 500.
async fn by_ids<E, K>(db: &impl ConnectionTrait, column: E::Column, mut keys: Vec<K>) -> Result<Vec<E::Model>, DbErr>
where
    E: EntityTrait,
    K: Into<sea_orm::Value> + Ord + Clone,
{
    keys.sort();
    keys.dedup();
    let mut rows = Vec::with_capacity(keys.len());
    for chunk in keys.chunks(500) {
        rows.extend(E::find().filter(column.is_in(chunk.to_vec())).all(db).await?);
    }
    Ok(rows)
}
