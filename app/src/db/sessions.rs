//! Session lists, narrowed to the reader's territory (région, département or centre of the session's site).

use sea_orm::sea_query::{Alias, Expr, ExprTrait, Func, Order, Query, SelectStatement};
use sea_orm::{ConnectionTrait, DbErr, FromQueryResult};

use crate::auth::Territory;
use crate::domain::delais::{ActionDelai, compte_a_rebours};
use crate::domain::format::commune_label;
use crate::domain::session::StatutSession;
use crate::dto::{FiltreSessions, MAX_PAGE, PER_PAGE, SessionList, SessionRow};

#[derive(FromQueryResult)]
struct Row {
    id: i32,
    identifiant: String,
    titre_code: String,
    titre_libelle: String,
    site_id: i32,
    site_nom: String,
    code_postal: String,
    commune_nom: String,
    date_debut: chrono::NaiveDate,
    heure_debut: chrono::NaiveTime,
    date_fin: chrono::NaiveDate,
    statut: String,
    type_session: String,
}

/// The deadline a session in this state has ahead of it.
pub fn next_deadline(statut: StatutSession) -> Option<ActionDelai> {
    match statut {
        StatutSession::EnPreparation => Some(ActionDelai::DemandeDte),
        StatutSession::DteEnvoye => Some(ActionDelai::Convocation),
        _ => None,
    }
}

/// The filters of a list, checked.
#[derive(Debug, Clone, Default)]
pub struct Filtre {
    pub statut: Option<StatutSession>,
    /// Folded words that must all appear in the titre's code or libellé.
    pub titre: Vec<String>,
    /// Folded words that must all appear in the site's name.
    pub site: Vec<String>,
    pub du: Option<chrono::NaiveDate>,
    pub au: Option<chrono::NaiveDate>,
    /// Only sessions with an entry made after a deadline.
    pub hors_delai: bool,
    /// Earliest start first (a work queue, as « Validation » is) instead of latest first.
    pub oldest_first: bool,
}

/// The filters of /sessions as typed (URL or form), checked: a French message saying what to correct otherwise.
pub fn filtre(input: &FiltreSessions) -> Result<Filtre, String> {
    use crate::domain::format::date_fr;
    use crate::domain::programmation::parse_date;
    let statut = match input.statut.trim() {
        "" => None,
        code => {
            let wrong = || format!("« {code} » n'est pas un statut de session : choisissez-en un dans la liste.");
            Some(StatutSession::from_code(code).ok_or_else(wrong)?)
        }
    };
    let date = |raw: &str, label: &str| -> Result<Option<chrono::NaiveDate>, String> {
        match raw.trim() {
            "" => Ok(None),
            t => parse_date(t)
                .map(Some)
                .ok_or_else(|| format!("« {t} » n'est pas une date {label} : écrivez-la JJ/MM/AAAA.")),
        }
    };
    let (du, au) = (date(&input.du, "de début")?, date(&input.au, "de fin")?);
    if let (Some(d), Some(a)) = (du, au)
        && a < d
    {
        return Err(format!("La période est inversée : « du {} » est après « au {} ».", date_fr(d), date_fr(a)));
    }
    let words = |raw: &str| -> Vec<String> {
        raw.split_whitespace().take(8).map(|w| w.chars().take(60).collect::<String>().to_lowercase()).collect()
    };
    Ok(Filtre { statut, titre: words(&input.titre), site: words(&input.site), du, au, ..Default::default() })
}

/// `LOWER(column) LIKE '%word%'` for each word (the words are lower-cased; accents are kept as typed).
fn words_in(stmt: &mut SelectStatement, table: &'static str, columns: &[&'static str], words: &[String]) {
    use sea_orm::sea_query::{Cond, Func};
    for w in words {
        let pattern = format!("%{}%", w.replace(['\\', '%', '_'], ""));
        let mut any = Cond::any();
        for c in columns {
            any = any.add(Expr::expr(Func::lower(Expr::col((table, *c)))).like(pattern.clone()));
        }
        stmt.cond_where(any);
    }
}

/// `session` joined to its site, the site's commune and its titre, narrowed to a territory and the filters.
/// The titre is joined when the filters or `with_titre` need it: every session has one (a foreign key), so the
/// count of the list is the same without it, and reads a third fewer rows.
fn scoped(stmt: &mut SelectStatement, territory: &Territory, f: &Filtre, with_titre: bool) {
    stmt.from("session")
        .inner_join("site", Expr::col(("site", "id")).equals(("session", "site_id")))
        .inner_join("commune", Expr::col(("commune", "code")).equals(("site", "commune_code")));
    if with_titre || !f.titre.is_empty() {
        stmt.inner_join("titre", Expr::col(("titre", "id")).equals(("session", "titre_id")));
    }
    let (statut, hors_delai) = (f.statut, f.hors_delai);
    words_in(stmt, "titre", &["code", "libelle"], &f.titre);
    words_in(stmt, "site", &["nom"], &f.site);
    if let Some(d) = f.du {
        stmt.and_where(Expr::col(("session", "date_debut")).gte(d));
    }
    if let Some(d) = f.au {
        stmt.and_where(Expr::col(("session", "date_debut")).lte(d));
    }
    match territory {
        Territory::All => {}
        Territory::Region(r) => {
            stmt.and_where(Expr::col(("commune", "region_code")).eq(r.clone()));
        }
        Territory::Departement(d) => {
            stmt.and_where(Expr::col(("commune", "departement_code")).eq(d.clone()));
        }
        Territory::Centre(c) => {
            stmt.and_where(Expr::col(("site", "centre_id")).eq(*c));
        }
    }
    if let Some(s) = statut {
        stmt.and_where(Expr::col(("session", "statut")).eq(s.code()));
    }
    if hors_delai {
        stmt.and_where(Expr::exists(late_entries()));
    }
}

/// The audit events of `session` made after a deadline under a relaxation window.
fn late_entries() -> SelectStatement {
    Query::select()
        .expr(Expr::val(1))
        .from("audit_event")
        .and_where(Expr::col(("audit_event", "object_type")).eq("session"))
        .and_where(Expr::col(("audit_event", "object_id")).equals(("session", "id")))
        .and_where(Expr::col(("audit_event", "hors_delai")).eq(true))
        .to_owned()
}

/// The columns of [`Row`], for the sessions of a territory and filters, in the list's order.
fn rows_query(territory: &Territory, filtre: &Filtre) -> SelectStatement {
    let mut rows = Query::select();
    rows.columns([
        ("session", "id"),
        ("session", "identifiant"),
        ("session", "site_id"),
        ("session", "date_debut"),
        ("session", "heure_debut"),
        ("session", "date_fin"),
        ("session", "statut"),
        ("site", "code_postal"),
    ])
    .expr_as(Expr::col(("titre", "code")), Alias::new("titre_code"))
    .expr_as(Expr::col(("titre", "libelle")), Alias::new("titre_libelle"))
    .expr_as(Expr::col(("site", "nom")), Alias::new("site_nom"))
    .expr_as(Expr::col(("commune", "nom")), Alias::new("commune_nom"));
    scoped(&mut rows, territory, filtre, true);
    let order = if filtre.oldest_first { Order::Asc } else { Order::Desc };
    rows.column(("session", "type_session"))
        .order_by(("session", "date_debut"), order.clone())
        .order_by(("session", "id"), order);
    rows
}

/// The countdown of the next deadline of a session in this state, if it has one.
fn echeance(
    statut: StatutSession,
    regles: &[crate::domain::delais::Regle],
    type_session: &str,
    debut: chrono::NaiveDate,
    today: chrono::NaiveDate,
) -> Option<String> {
    next_deadline(statut).and_then(|a| compte_a_rebours(a, regles, type_session, debut, today))
}

/// Page `page` (from 1) of the sessions of a territory, latest start first.
pub async fn list(
    db: &impl ConnectionTrait,
    territory: &Territory,
    filtre: &Filtre,
    page: u64,
    today: chrono::NaiveDate,
) -> Result<SessionList, DbErr> {
    // Past the last page is an empty page, whatever number is asked (no overflow on absurd ones).
    let page = page.clamp(1, MAX_PAGE);
    let mut count = Query::select();
    count.expr_as(Func::count(Expr::col(("session", "id"))), Alias::new("n"));
    scoped(&mut count, territory, filtre, false);
    let total = super::fetch_count(db, &count).await?;

    let mut rows = rows_query(territory, filtre);
    rows.limit(PER_PAGE).offset((page - 1) * PER_PAGE);
    let rows = super::fetch_all::<Row>(db, &rows).await?;
    let late: std::collections::HashSet<i32> = {
        use super::entity::audit_event;
        use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
        audit_event::Entity::find()
            .filter(audit_event::Column::ObjectType.eq("session"))
            .filter(audit_event::Column::ObjectId.is_in(rows.iter().map(|r| r.id).collect::<Vec<_>>()))
            .filter(audit_event::Column::HorsDelai.eq(true))
            .all(db)
            .await?
            .into_iter()
            .map(|e| e.object_id)
            .collect()
    };
    let regles: Vec<_> = super::regles::regles(db).await?.into_iter().map(|r| r.regle).collect();
    Ok(SessionList {
        total,
        page,
        per_page: PER_PAGE,
        can_create: false,
        rows: rows
            .into_iter()
            .map(|r| {
                let statut = StatutSession::from_code(&r.statut).unwrap_or(StatutSession::EnPreparation);
                SessionRow {
                    echeance: echeance(statut, &regles, &r.type_session, r.date_debut, today),
                    hors_delai: late.contains(&r.id),
                    id: r.id,
                    commune: commune_label(&r.code_postal, &r.commune_nom),
                    identifiant: r.identifiant,
                    titre_code: r.titre_code,
                    titre_libelle: r.titre_libelle,
                    site_id: r.site_id,
                    site_nom: r.site_nom,
                    date_debut: r.date_debut,
                    heure_debut: r.heure_debut.format("%H:%M").to_string(),
                    date_fin: r.date_fin,
                    statut,
                }
            })
            .collect(),
    })
}

/// One line of the sessions export: a session of the list with its centre, its DTE request and its candidates.
#[derive(Debug, FromQueryResult)]
pub struct ExportRow {
    pub identifiant: String,
    pub type_session: String,
    pub titre_code: String,
    pub titre_libelle: String,
    pub centre_nom: String,
    pub siret: String,
    pub site_nom: String,
    pub code_postal: String,
    pub commune_nom: String,
    pub date_debut: chrono::NaiveDate,
    pub heure_debut: chrono::NaiveTime,
    pub date_fin: chrono::NaiveDate,
    pub statut: String,
    pub candidats: i64,
    pub dte_demandee: Option<chrono::DateTime<chrono::Utc>>,
    pub plis: Option<chrono::NaiveDate>,
    /// Audit events made after a deadline under a relaxation window.
    pub entrees_hors_delai: i64,
    /// Filled in by [`export`], not by the query.
    #[sea_orm(skip)]
    pub echeance: Option<String>,
}

/// Every session of a territory and filters, in the list's order, for the CSV export (no pages).
pub async fn export(
    db: &impl ConnectionTrait,
    territory: &Territory,
    filtre: &Filtre,
    today: chrono::NaiveDate,
) -> Result<Vec<ExportRow>, DbErr> {
    let mut rows = rows_query(territory, filtre);
    let mut candidats = Query::select();
    candidats
        .expr(Func::count(Expr::col(("candidat", "id"))))
        .from("candidat")
        .and_where(Expr::col(("candidat", "session_id")).equals(("session", "id")));
    let mut late = late_entries();
    late.clear_selects().expr(Func::count(Expr::col(("audit_event", "id"))));
    rows.inner_join("centre", Expr::col(("centre", "id")).equals(("site", "centre_id")))
        .left_join("demande_dte", Expr::col(("demande_dte", "session_id")).equals(("session", "id")))
        .expr_as(Expr::col(("centre", "raison_sociale")), Alias::new("centre_nom"))
        .column(("centre", "siret"))
        .expr_as(Expr::col(("demande_dte", "created_at")), Alias::new("dte_demandee"))
        .expr_as(Expr::col(("demande_dte", "date_reception_plis")), Alias::new("plis"))
        .expr_as(Expr::from(candidats), Alias::new("candidats"))
        .expr_as(Expr::from(late), Alias::new("entrees_hors_delai"));
    let mut rows = super::fetch_all::<ExportRow>(db, &rows).await?;
    let regles: Vec<_> = super::regles::regles(db).await?.into_iter().map(|r| r.regle).collect();
    for r in &mut rows {
        let statut = StatutSession::from_code(&r.statut).unwrap_or(StatutSession::EnPreparation);
        r.echeance = echeance(statut, &regles, &r.type_session, r.date_debut, today);
    }
    Ok(rows)
}
