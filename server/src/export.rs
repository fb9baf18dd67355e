//! CSV downloads that French Excel opens as they are: UTF-8 with a byte-order mark, `;` between fields, CRLF
//! between lines, and cells that a spreadsheet would run as a formula neutralised.

use std::sync::Arc;

use app::auth::{Action, AuthUser, is_allowed};
use app::domain::recherche::Recherche;
use app::domain::session::StatutSession;
use app::dto::FiltreSessions;
use app::search::{Doc, Kind, Labels};
use axum::Extension;
use axum::extract::rejection::QueryRejection;
use axum::extract::{Query, RawQuery, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};

use crate::AppState;

/// A CSV document being written.
pub struct Csv {
    out: String,
}

impl Default for Csv {
    fn default() -> Self {
        Self::new()
    }
}

impl Csv {
    pub fn new() -> Self {
        Self { out: String::from('\u{feff}') }
    }

    pub fn row<S: AsRef<str>>(&mut self, fields: impl IntoIterator<Item = S>) {
        let mut first = true;
        for f in fields {
            if !first {
                self.out.push(';');
            }
            first = false;
            self.out.push_str(&cell(f.as_ref()));
        }
        self.out.push_str("\r\n");
    }

    pub fn finish(self) -> String {
        self.out
    }
}

/// One field: a leading `=`, `+`, `-`, `@`, tab or carriage return is defused with an apostrophe (OWASP's advice
/// against formula injection), and the field is quoted when it holds `;`, `"` or a line break.
pub fn cell(value: &str) -> String {
    let defused =
        if value.starts_with(['=', '+', '-', '@', '\t', '\r']) { format!("'{value}") } else { value.to_owned() };
    if defused.contains([';', '"', '\n', '\r']) { format!("\"{}\"", defused.replace('"', "\"\"")) } else { defused }
}

/// A download named `name`.
pub fn csv_response(name: &str, body: String) -> Response {
    (
        [
            (header::CONTENT_TYPE, "text/csv; charset=utf-8".to_owned()),
            (header::CONTENT_DISPOSITION, format!("attachment; filename=\"{name}\"")),
            (header::CACHE_CONTROL, "no-store".to_owned()),
        ],
        body,
    )
        .into_response()
}

fn label<K: PartialEq>(list: &[(K, String)], key: &K) -> String {
    list.iter().find(|(k, _)| k == key).map(|(_, l)| l.clone()).unwrap_or_default()
}

/// The rows of an establishment search, as the page lists them.
pub fn etablissements(docs: &[&Doc], labels: &Labels) -> String {
    let mut csv = Csv::new();
    csv.row([
        "Type",
        "Nom",
        "Centre",
        "SIRET du centre",
        "Adresse",
        "Code postal",
        "Commune",
        "Département",
        "Région",
        "Type de centre",
        "Réseau",
    ]);
    for d in docs {
        let departement = label(&labels.departements, &d.departement);
        let region = label(&labels.regions, &d.region);
        let type_centre = d.type_centre.map(|t| label(&labels.types_centre, &t)).unwrap_or_default();
        let reseau = d.reseau.map(|r| label(&labels.reseaux, &r)).unwrap_or_default();
        csv.row([
            if d.kind == Kind::Centre { "Centre" } else { "Site" },
            &d.title,
            &d.centre_raison_sociale,
            &d.siret,
            &d.adresse,
            &d.code_postal,
            &d.commune,
            &format!("{} - {departement}", d.departement),
            &region,
            &type_centre,
            &reseau,
        ]);
    }
    csv.finish()
}

/// The signed-in reader if `action` is theirs; otherwise the answer: to the sign-in page, or a refusal (403) to
/// export `what`.
#[expect(clippy::result_large_err, reason = "the error is the answer itself, built at most once per request")]
fn reader(user: Option<Extension<AuthUser>>, action: &Action, what: &str) -> Result<AuthUser, Response> {
    let Some(Extension(user)) = user else {
        return Err(Redirect::to("/connexion").into_response());
    };
    if !is_allowed(Some(&user), action) {
        let refusal = format!("Vous n'avez pas les droits nécessaires pour exporter {what}.");
        return Err((StatusCode::FORBIDDEN, refusal).into_response());
    }
    Ok(user)
}

/// A failure of the database or the index: logged, and the French page saying the service is unavailable.
fn unavailable(what: &str, e: impl std::fmt::Display) -> Response {
    tracing::error!(error = %e, "{what} failed");
    crate::errors::unavailable_page()
}

/// GET /etablissements/export.csv?…: every result of the search the page shows (same parameters).
pub async fn etablissements_csv(
    State(state): State<AppState>,
    user: Option<Extension<AuthUser>>,
    RawQuery(query): RawQuery,
) -> Result<Response, Response> {
    reader(user, &Action::SearchEtablissements, "ces résultats")?;
    // The page's own codec: a hand-edited or malformed query string still gives the closest search, never an error.
    let recherche = Recherche::from_query_string(query.as_deref().unwrap_or_default());
    let index = Arc::clone(&state.search).fresh(&state.db).await.map_err(|e| unavailable("search index refresh", e))?;
    let docs = index.all_results(&recherche);
    let name = format!("ceres-etablissements-{}.csv", chrono::Local::now().format("%Y-%m-%d"));
    Ok(csv_response(&name, etablissements(&docs, index.labels())))
}

/// GET /administration/demandes-dte.csv: every DTE request by wanted delivery date (national admin).
pub async fn demandes_dte_csv(
    State(state): State<AppState>,
    user: Option<Extension<AuthUser>>,
) -> Result<Response, Response> {
    reader(user, &Action::ListDteRequests, "les demandes de DTE")?;
    let rows = app::db::session_detail::dte_requests(&state.db).await.map_err(|e| unavailable("DTE export", e))?;
    let date = app::domain::format::date_fr;
    let mut csv = Csv::new();
    csv.row([
        "Date de réception des plis",
        "Session",
        "Titre",
        "Centre",
        "Site",
        "Lieu",
        "Début de la session",
        "Nombre de candidats",
        "Hors délai",
        "Demandée le",
    ]);
    for r in rows {
        csv.row([
            date(r.date_reception_plis),
            r.identifiant,
            r.titre,
            r.centre,
            r.site,
            r.lieu,
            date(r.date_debut),
            r.nombre_candidats.to_string(),
            if r.hors_delai { "oui".into() } else { "non".into() },
            date(r.demandee_le),
        ]);
    }
    let name = format!("ceres-demandes-dte-{}.csv", chrono::Local::now().format("%Y-%m-%d"));
    Ok(csv_response(&name, csv.finish()))
}

/// GET /sessions/export.csv?statut=…&titre=…&site=…&du=…&au=…: every session of the list the page shows (same
/// filters, the reader's territory), with its centre, DTE request and candidates: what centres otherwise copy by hand
/// into their own follow-up tables (known pains, 2019).
pub async fn sessions_csv(
    State(state): State<AppState>,
    user: Option<Extension<AuthUser>>,
    query: Result<Query<FiltreSessions>, QueryRejection>,
) -> Result<Response, Response> {
    let user = reader(user, &Action::ListSessions, "ces sessions")?;
    let unreadable = "Les filtres de l'adresse sont illisibles : filtrez à nouveau depuis la page des sessions.";
    let Query(input) = query.map_err(|_| (StatusCode::BAD_REQUEST, unreadable).into_response())?;
    let filtre = app::db::sessions::filtre(&input).map_err(|m| (StatusCode::BAD_REQUEST, m).into_response())?;
    let today = state.clock().today();
    let rows = app::db::sessions::export(&state.db, &user.role.territory(), &filtre, today)
        .await
        .map_err(|e| unavailable("sessions export", e))?;
    let date = app::domain::format::date_fr;
    let type_label = |code: &str| {
        app::domain::delais::TYPES_SESSION.iter().find(|(c, _)| *c == code).map_or(code, |(_, l)| *l).to_owned()
    };
    let mut csv = Csv::new();
    csv.row([
        "Session",
        "Type",
        "Code titre",
        "Titre",
        "Centre",
        "SIRET du centre",
        "Site",
        "Lieu",
        "Début",
        "Heure",
        "Fin",
        "Statut",
        "Candidats inscrits",
        "DTE demandée le",
        "Plis souhaités le",
        "Prochaine échéance",
        "Saisie hors délai",
    ]);
    for r in rows {
        let statut = StatutSession::from_code(&r.statut).map_or(r.statut.clone(), |s| s.label().to_owned());
        csv.row([
            r.identifiant,
            type_label(&r.type_session),
            r.titre_code,
            r.titre_libelle,
            r.centre_nom,
            r.siret,
            r.site_nom,
            app::domain::format::commune_label(&r.code_postal, &r.commune_nom),
            date(r.date_debut),
            r.heure_debut.format("%H:%M").to_string(),
            date(r.date_fin),
            statut,
            r.candidats.to_string(),
            r.dte_demandee.map(|d| date(d.date_naive())).unwrap_or_default(),
            r.plis.map(date).unwrap_or_default(),
            r.echeance.unwrap_or_default(),
            if r.entrees_hors_delai > 0 { "oui".into() } else { "non".into() },
        ]);
    }
    let name = format!("ceres-sessions-{}.csv", today.format("%Y-%m-%d"));
    Ok(csv_response(&name, csv.finish()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cells_are_quoted_and_formulas_defused() {
        assert_eq!(cell("AFPA"), "AFPA");
        assert_eq!(cell("A;B"), "\"A;B\"");
        assert_eq!(cell("dit \"le grand\""), "\"dit \"\"le grand\"\"\"");
        assert_eq!(cell("=HYPERLINK(\"x\")"), "\"'=HYPERLINK(\"\"x\"\")\"");
        assert_eq!(cell("+33 1"), "'+33 1");
        assert_eq!(cell("@SUM"), "'@SUM");
        let mut csv = Csv::new();
        csv.row(["a", "b"]);
        assert_eq!(csv.finish(), "\u{feff}a;b\r\n");
    }
}
