//! The authorization matrix: every server function × every role (anonymous, national, DREETS, UD, centre) × an
//! object inside and one outside the user's territory, against one expectation table. Every server function the
//! application registers must have a row (deny by default: a new one without a row fails this test). « Allowed »
//! means the call got past authorization (any answer but 401 and 403: the inputs here are deliberately invalid
//! where the function checks them after authorizing, so that allowed calls change nothing); « denied » means 401
//! (anonymous) or 403.
//!
//! Objects: A = 16 30 FORMATION (Gard, Occitanie), inside the territory of `dreets-occ`, `ud-30` and
//! `centre-1630`; B = AFPA Saint-Nazaire (Loire-Atlantique, Pays de la Loire), outside every demo account's
//! territory but the national one's.

use reqwest::StatusCode;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
use server::testing::Backend;

use crate::helpers::{Browser, location, shown, start};
use crate::on_both_databases;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Who {
    Anonyme,
    National,
    Dreets,
    Ud,
    Centre,
}

/// The ids a call can name, for the object under test, and what its « MODIFIER » forms show.
pub(crate) struct Obj {
    pub centre: i32,
    pub site: i32,
    pub session: i32,
    pub siret: &'static str,
    pub shown_centre_representant: Args,
    pub shown_site_representant: Args,
    pub shown_identification: Args,
}

pub(crate) type Args = Vec<(String, String)>;

/// One row: the endpoint, its arguments for an object, and who may call it (`inside`: the object is in the
/// caller's territory).
pub(crate) struct Row {
    pub endpoint: &'static str,
    pub args: fn(&Obj) -> Args,
    pub allowed: fn(Who, bool) -> bool,
}

fn a(pairs: &[(&str, String)]) -> Args {
    pairs.iter().map(|(k, v)| ((*k).to_owned(), v.clone())).collect()
}

fn signed_in(w: Who, _: bool) -> bool {
    w != Who::Anonyme
}
fn agents(w: Who, _: bool) -> bool {
    matches!(w, Who::National | Who::Dreets | Who::Ud)
}
fn national(w: Who, _: bool) -> bool {
    w == Who::National
}
fn national_or_dreets(w: Who, _: bool) -> bool {
    matches!(w, Who::National | Who::Dreets)
}
fn national_or_ud(w: Who, _: bool) -> bool {
    matches!(w, Who::National | Who::Ud)
}
fn readers(w: Who, inside: bool) -> bool {
    agents(w, inside) || (w == Who::Centre && inside)
}
fn session_readers(w: Who, inside: bool) -> bool {
    w == Who::National || (w != Who::Anonyme && inside)
}
fn regional_dreets(w: Who, inside: bool) -> bool {
    w == Who::National || (w == Who::Dreets && inside)
}
fn representant_editors(w: Who, inside: bool) -> bool {
    w == Who::National || (matches!(w, Who::Dreets | Who::Centre) && inside)
}
fn the_centre(w: Who, inside: bool) -> bool {
    w == Who::National || (w == Who::Centre && inside)
}
fn own_centre(w: Who, inside: bool) -> bool {
    w == Who::Centre && inside
}
fn the_ud(w: Who, inside: bool) -> bool {
    w == Who::National || (w == Who::Ud && inside)
}
fn everyone(_: Who, _: bool) -> bool {
    true
}

fn rep(prefix: &str) -> Vec<(String, String)> {
    ["nom", "prenom", "genre", "telephone", "email"]
        .iter()
        .map(|f| (format!("{prefix}[{f}]"), if *f == "telephone" { "pas un numéro".to_owned() } else { String::new() }))
        .collect()
}

pub(crate) fn rows() -> Vec<Row> {
    vec![
        Row { endpoint: "utilisateur", args: |_| vec![], allowed: everyone },
        Row { endpoint: "etablissements", args: |_| a(&[("qs", "q=formation".into())]), allowed: agents },
        Row { endpoint: "centre", args: |o| a(&[("id", o.centre.to_string())]), allowed: readers },
        Row { endpoint: "site", args: |o| a(&[("id", o.site.to_string())]), allowed: readers },
        Row {
            endpoint: "transfert/apercu",
            args: |o| a(&[("site_id", o.site.to_string()), ("siret", "123".into())]),
            allowed: regional_dreets,
        },
        Row {
            endpoint: "transfert",
            args: |o| {
                a(&[
                    ("site_id", o.site.to_string()),
                    ("siret", "123".into()),
                    ("expected_centre_id", o.centre.to_string()),
                ])
            },
            allowed: regional_dreets,
        },
        Row { endpoint: "enregistrement/apercu", args: |_| a(&[("siret", "123".into())]), allowed: national_or_dreets },
        Row {
            endpoint: "enregistrement",
            args: |_| a(&[("siret", "123".into()), ("confirm_closed", "false".into())]),
            allowed: national_or_dreets,
        },
        Row {
            endpoint: "centre/representant",
            args: |o| {
                let mut v = a(&[("id", o.centre.to_string())]);
                v.extend(o.shown_centre_representant.clone());
                v.extend(rep("input"));
                v
            },
            allowed: representant_editors,
        },
        Row {
            endpoint: "site/representant",
            args: |o| {
                let mut v = a(&[("id", o.site.to_string())]);
                v.extend(o.shown_site_representant.clone());
                v.extend(rep("input"));
                v
            },
            allowed: representant_editors,
        },
        Row {
            endpoint: "centre/identification/formulaire",
            args: |o| a(&[("id", o.centre.to_string())]),
            allowed: regional_dreets,
        },
        Row {
            endpoint: "centre/identification",
            args: |o| {
                let mut v = a(&[("id", o.centre.to_string())]);
                v.extend(o.shown_identification.clone());
                for f in [
                    "raison_sociale",
                    "adresse",
                    "code_postal",
                    "commune_code",
                    "type_centre_id",
                    "reseau_id",
                    "commentaires",
                ] {
                    v.push((format!("input[{f}]"), String::new()));
                }
                v
            },
            allowed: regional_dreets,
        },
        Row {
            endpoint: "centre/convention",
            // No SIRET and no titre: refused after authorization, nothing written.
            args: |o| {
                let mut v = a(&[("centre_id", o.centre.to_string())]);
                for f in ["siret", "date_envoi_prefet", "date_effet", "prevision_n", "prevision_n1"] {
                    v.push((format!("input[{f}]"), String::new()));
                }
                v
            },
            allowed: own_centre,
        },
        Row { endpoint: "communes", args: |_| a(&[("code_postal", "30200".into())]), allowed: agents },
        Row { endpoint: "titres", args: |_| vec![], allowed: national },
        Row { endpoint: "regles", args: |_| vec![], allowed: agents },
        Row {
            endpoint: "regles/modifier",
            args: |_| {
                a(&[
                    ("id", "1".into()),
                    ("input[delai_mois]", "-1".into()),
                    ("input[delai_jours]", "0".into()),
                    ("input[types_session]", "titre".into()),
                    ("input[bloquante]", "true".into()),
                ])
            },
            allowed: national,
        },
        Row {
            // A valid national window: only the national admin may open one (it is then opened).
            endpoint: "derogations",
            args: |_| {
                a(&[
                    ("input[nom]", "Matrice".into()),
                    ("input[portee]", "nationale".into()),
                    ("input[debut]", "2019-02-11".into()),
                    ("input[fin]", "2019-02-12".into()),
                    ("input[regles][0]", "demande_dte_3_mois".into()),
                    ("input[motif]", "Test des droits".into()),
                ])
            },
            allowed: national,
        },
        Row {
            endpoint: "sessions",
            args: |_| a(&[("filtre[statut]", String::new()), ("page", "1".into())]),
            allowed: signed_in,
        },
        Row {
            endpoint: "validation",
            args: |_| a(&[("page", "1".into()), ("hors_delai", "false".into())]),
            allowed: national_or_ud,
        },
        Row { endpoint: "session", args: |o| a(&[("id", o.session.to_string())]), allowed: session_readers },
        Row {
            endpoint: "session/dte",
            args: |o| {
                a(&[
                    ("session_id", o.session.to_string()),
                    ("input[nombre_candidats]", "-1".into()),
                    ("input[date_reception_plis]", String::new()),
                    ("input[commentaires]", String::new()),
                ])
            },
            allowed: the_centre,
        },
        Row { endpoint: "demandes-dte", args: |_| vec![], allowed: national },
        Row { endpoint: "session/nouvelle", args: |o| a(&[("centre_id", o.centre.to_string())]), allowed: the_centre },
        Row {
            endpoint: "session/creer",
            args: |o| {
                let mut v = a(&[("centre_id", o.centre.to_string())]);
                for f in
                    ["site_id", "titre_id", "type_session", "date_debut", "heure_debut", "date_fin", "commentaires"]
                {
                    v.push((format!("input[{f}]"), String::new()));
                }
                v
            },
            allowed: the_centre,
        },
        Row {
            endpoint: "session/candidat",
            args: |o| {
                let mut v = a(&[("session_id", o.session.to_string())]);
                for f in ["nom", "prenom", "date_naissance", "email", "voie_acces"] {
                    v.push((format!("input[{f}]"), String::new()));
                }
                v
            },
            allowed: the_centre,
        },
        Row {
            endpoint: "session/candidat/retirer",
            args: |o| a(&[("session_id", o.session.to_string()), ("candidat_id", "999999999".into())]),
            allowed: the_centre,
        },
        Row {
            endpoint: "session/candidats/import",
            args: |o| {
                let mut v = a(&[("session_id", o.session.to_string())]);
                for f in ["nom", "prenom", "date_naissance", "email", "voie_acces"] {
                    v.push((format!("lignes[0][{f}]"), String::new()));
                }
                v
            },
            allowed: the_centre,
        },
        Row {
            endpoint: "session/responsable",
            args: |o| {
                let mut v = a(&[("session_id", o.session.to_string())]);
                for f in ["nom", "prenom", "telephone", "email"] {
                    v.push((format!("input[{f}]"), String::new()));
                }
                v
            },
            allowed: the_centre,
        },
        Row {
            endpoint: "session/personne",
            args: |o| {
                let mut v = a(&[("session_id", o.session.to_string()), ("jury", "true".into())]);
                for f in ["nom", "prenom", "habilitation_fin"] {
                    v.push((format!("input[{f}]"), String::new()));
                }
                v
            },
            allowed: the_centre,
        },
        Row {
            endpoint: "session/personne/retirer",
            args: |o| a(&[("session_id", o.session.to_string()), ("jury", "true".into()), ("id", "999999999".into())]),
            allowed: the_centre,
        },
        Row {
            endpoint: "session/convocations",
            args: |o| a(&[("session_id", o.session.to_string())]),
            allowed: the_centre,
        },
        Row {
            endpoint: "session/resultats",
            args: |o| {
                a(&[
                    ("session_id", o.session.to_string()),
                    ("lignes[0][candidat_id]", "0".into()),
                    ("lignes[0][resultat]", String::new()),
                ])
            },
            allowed: the_centre,
        },
        Row {
            endpoint: "session/decision",
            args: |o| {
                a(&[("session_id", o.session.to_string()), ("decision", "Valider".into()), ("message", String::new())])
            },
            allowed: the_ud,
        },
        Row {
            endpoint: "session/derogation",
            args: |o| {
                let mut v = a(&[("session_id", o.session.to_string()), ("input[regles][0]", String::new())]);
                for f in ["nom", "portee", "debut", "fin", "motif"] {
                    v.push((format!("input[{f}]"), String::new()));
                }
                v
            },
            allowed: the_ud,
        },
    ]
}

/// Every kind of caller, with an account inside object A's territory and one outside where the role has one.
const USERS: [(Who, Option<&str>); 7] = [
    (Who::Anonyme, None),
    (Who::National, Some("admin")),
    (Who::Dreets, Some("dreets-occ")),
    (Who::Dreets, Some("dreets-naq")),
    (Who::Ud, Some("ud-30")),
    (Who::Ud, Some("ud-33")),
    (Who::Centre, Some("centre-1630")),
];

/// A browser signed in as `login` (anonymous if none), and whether object A is inside its territory (the accounts
/// of the Gard and Occitanie; the others see A as outside).
async fn as_user(srv: &server::testing::TestServer, login: Option<&str>) -> (Browser, bool) {
    let b = Browser::new(srv);
    if let Some(l) = login {
        b.sign_in(l).await;
    }
    (b, matches!(login, Some("dreets-occ" | "ud-30" | "centre-1630")))
}

/// A centre's ids, with a session of its own (in preparation) to aim at.
pub(crate) async fn object(srv: &server::testing::TestServer, siret: &'static str) -> Obj {
    use app::db::entity::site;
    let db = &srv.state.db;
    let c = crate::helpers::centre_by_siret(db, siret).await;
    let s = site::Entity::find().filter(site::Column::CentreId.eq(c.id)).one(db).await.expect("q").expect("site");
    let session = srv.insert_session(siret, chrono::NaiveDate::from_ymd_opt(2030, 6, 3).expect("date")).await;
    Obj {
        centre: c.id,
        site: s.id,
        session,
        siret,
        shown_centre_representant: shown(db, "centre/representant", c.id).await,
        shown_site_representant: shown(db, "site/representant", s.id).await,
        shown_identification: shown(db, "centre/identification", c.id).await,
    }
}

async fn every_server_function_answers_each_role_as_the_table_says(backend: Backend) {
    let srv = start(backend).await;
    let table = rows();

    // Deny by default: every registered server function has its row.
    let registered: Vec<String> = leptos::server_fn::axum::server_fn_paths()
        .map(|(path, _)| path.trim_start_matches("/api/").to_owned())
        .collect();
    for path in &registered {
        assert!(table.iter().any(|r| r.endpoint == path), "the server function {path} has no row in the matrix");
    }
    assert_eq!(registered.len(), table.len(), "one row per server function");

    let inside_obj = object(&srv, "53060076600022").await;
    let outside_obj = object(&srv, "82422814201098").await;

    let mut failures = Vec::new();
    let mut cells = 0;
    for (who, login) in USERS {
        let (b, a_inside) = as_user(&srv, login).await;
        for row in &table {
            for (obj, inside) in [(&inside_obj, a_inside), (&outside_obj, false)] {
                let args = (row.args)(obj);
                let pairs: Vec<(&str, &str)> = args.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
                let status = b.call(row.endpoint, &pairs).await.status();
                let got = !matches!(status, StatusCode::UNAUTHORIZED | StatusCode::FORBIDDEN);
                let want = (row.allowed)(who, inside);
                cells += 1;
                if got != want || status.is_server_error() {
                    failures.push(format!(
                        "{} as {} on {} ({}): expected {}, got {status}",
                        row.endpoint,
                        login.unwrap_or("anonymous"),
                        obj.siret,
                        if inside { "inside" } else { "outside" },
                        if want { "allowed" } else { "denied" }
                    ));
                }
            }
        }
    }
    assert!(failures.is_empty(), "{} of {cells} cells differ from the table:\n{}", failures.len(), failures.join("\n"));

    // Arguments that do not deserialize are the caller's fault: 422 with a French message, not a server error.
    let b = Browser::new(&srv);
    b.sign_in("centre-1630").await;
    let r = b.call("session/candidat", &[("session_id", "abc")]).await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.text().await.unwrap_or_default().contains("incomplète ou mal formée"));
    srv.stop().await;
}
on_both_databases!(every_server_function_answers_each_role_as_the_table_says);

/// One page or download: its address for an object, whether it is a POST, and who may open it.
struct PageRow {
    path: fn(&Obj) -> String,
    post: bool,
    allowed: fn(Who, bool) -> bool,
}

fn public(_: Who, _: bool) -> bool {
    true
}

/// Every route of `app::App` and every download of the server, with who may open it.
fn page_rows() -> Vec<PageRow> {
    let get = |path: fn(&Obj) -> String, allowed: fn(Who, bool) -> bool| PageRow { path, post: false, allowed };
    vec![
        get(|_| "/".into(), signed_in),
        get(|_| "/connexion".into(), public),
        get(|_| "/activation".into(), public),
        get(|_| "/mentions-legales".into(), public),
        get(|_| "/etablissements?q=formation".into(), agents),
        get(|o| format!("/centres/{}", o.centre), readers),
        get(|o| format!("/sites/{}", o.site), readers),
        get(|_| "/sessions".into(), signed_in),
        get(|_| "/validation".into(), national_or_ud),
        get(|_| "/administration".into(), national),
        get(|_| "/administration/regles".into(), agents),
        get(|_| "/administration/demandes-dte".into(), national),
        get(|o| format!("/sessions/nouvelle?centre={}", o.centre), the_centre),
        get(|o| format!("/sessions/{}", o.session), session_readers),
        get(|_| "/etablissements/export.csv?q=formation".into(), agents),
        get(|_| "/administration/demandes-dte.csv".into(), national),
        get(|_| "/sessions/export.csv?statut=validee".into(), signed_in),
        get(|o| format!("/sessions/{}/convocations.pdf", o.session), session_readers),
        get(|o| format!("/sessions/{}/pv.pdf", o.session), session_readers),
        PageRow {
            path: |o| format!("/centres/{}/courrier-activation", o.centre),
            post: true,
            allowed: national_or_dreets,
        },
    ]
}

/// A path with its ids and query taken out: `/sessions/221?x=1` and `/sessions/:id` both read `/sessions/{}`.
fn shape(path: &str) -> String {
    let path = path.split('?').next().unwrap_or(path);
    path.split('/')
        .map(|s| {
            if s.starts_with([':', '{']) || (!s.is_empty() && s.bytes().all(|b| b.is_ascii_digit())) { "{}" } else { s }
        })
        .collect::<Vec<_>>()
        .join("/")
}

async fn every_page_and_download_answers_each_role_as_the_table_says(backend: Backend) {
    // Deny by default: every page the application routes has its row.
    let obj = Obj {
        centre: 1,
        site: 1,
        session: 1,
        siret: "",
        shown_centre_representant: vec![],
        shown_site_representant: vec![],
        shown_identification: vec![],
    };
    let covered: Vec<String> = page_rows().iter().map(|r| shape(&(r.path)(&obj))).collect();
    let routes = leptos_axum::generate_route_list(app::App);
    assert!(routes.len() >= 14, "the application's routes are listed");
    for route in routes {
        let path = shape(route.path());
        assert!(covered.contains(&path), "the page {} has no row in the matrix", route.path());
    }

    let srv = start(backend).await;
    let inside_obj = object(&srv, "53060076600022").await;
    let outside_obj = object(&srv, "82422814201098").await;
    let mut failures = Vec::new();
    let mut cells = 0;
    for (who, login) in USERS {
        let (b, a_inside) = as_user(&srv, login).await;
        for row in page_rows() {
            for (obj, inside) in [(&inside_obj, a_inside), (&outside_obj, false)] {
                let path = (row.path)(obj);
                let r = if row.post { b.post_form(&path, &[]).await } else { b.get(&path).await };
                let status = r.status();
                // Denied: 401 or 403 with a French page; anonymous, sent to the sign-in page; a session document
                // outside the territory reads as missing (its existence is not disclosed).
                let to_sign_in = status.is_redirection() && location(&r).starts_with("/connexion");
                let undisclosed = status == StatusCode::NOT_FOUND
                    && r.text().await.unwrap_or_default().contains("ne vous est pas accessible");
                let got =
                    !(matches!(status, StatusCode::UNAUTHORIZED | StatusCode::FORBIDDEN) || to_sign_in || undisclosed);
                let want = (row.allowed)(who, inside);
                cells += 1;
                if got != want || status.is_server_error() {
                    failures.push(format!(
                        "{path} as {}: expected {}, got {status}",
                        login.unwrap_or("anonymous"),
                        if want { "allowed" } else { "denied" }
                    ));
                }
            }
        }
    }
    assert!(failures.is_empty(), "{} of {cells} cells differ from the table:\n{}", failures.len(), failures.join("\n"));
    srv.stop().await;
}
on_both_databases!(every_page_and_download_answers_each_role_as_the_table_says);
