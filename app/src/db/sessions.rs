//! Session lists, narrowed to the reader's territory (région, département or centre of the session's site).

use sea_orm::sea_query::{Alias, Expr, ExprTrait, Func, Order, Query, SelectStatement};
use sea_orm::{ConnectionTrait, DbErr, FromQueryResult};

use crate::auth::Territory;
use crate::domain::format::commune_label;
use crate::domain::session::StatutSession;
use crate::dto::{SessionList, SessionRow};

pub const PER_PAGE: u64 = 50;

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
}

/// `session` joined to its site and the site's commune, narrowed to a territory and optionally a state.
fn scoped(stmt: &mut SelectStatement, territory: &Territory, statut: Option<StatutSession>, hors_delai: bool) {
    stmt.from("session")
        .inner_join("site", Expr::col(("site", "id")).equals(("session", "site_id")))
        .inner_join("commune", Expr::col(("commune", "code")).equals(("site", "commune_code")));
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

/// Page `page` (from 1) of the sessions of a territory, latest start first.
pub async fn list(
    db: &impl ConnectionTrait,
    territory: &Territory,
    statut: Option<StatutSession>,
    hors_delai: bool,
    page: u64,
) -> Result<SessionList, DbErr> {
    let page = Ord::max(page, 1);
    let mut count = Query::select();
    count.expr_as(Func::count(Expr::col(("session", "id"))), Alias::new("n"));
    scoped(&mut count, territory, statut, hors_delai);
    let total = super::fetch_count(db, &count).await?;

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
    scoped(&mut rows, territory, statut, hors_delai);
    rows.inner_join("titre", Expr::col(("titre", "id")).equals(("session", "titre_id")))
        .order_by(("session", "date_debut"), Order::Desc)
        .order_by(("session", "id"), Order::Desc)
        .limit(PER_PAGE)
        .offset((page - 1) * PER_PAGE);
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
    Ok(SessionList {
        total,
        page,
        per_page: PER_PAGE,
        rows: rows
            .into_iter()
            .map(|r| SessionRow {
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
                statut: StatutSession::from_code(&r.statut).unwrap_or(StatutSession::EnPreparation),
            })
            .collect(),
    })
}
