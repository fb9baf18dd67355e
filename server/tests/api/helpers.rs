//! A cookie-keeping HTTP client that behaves like a browser on CERES, and the macro that runs a test on both
//! databases.

use reqwest::header::{ACCEPT, ORIGIN};
use reqwest::{Response, StatusCode, redirect};
use server::testing::{Backend, TestServer};

/// Scale of the demo data for tests that do not count establishments: ~190 centres, all seed-note cases.
pub const SMALL: f64 = 0.05;

/// Runs `async fn $name(backend: Backend)` once per database, as `$name::sqlite` and `$name::postgres`.
#[macro_export]
macro_rules! on_both_databases {
    ($name:ident) => {
        mod $name {
            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn sqlite() {
                super::$name(server::testing::Backend::Sqlite).await
            }
            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn postgres() {
                super::$name(server::testing::Backend::Postgres).await
            }
        }
    };
}

#[derive(Clone)]
pub struct Browser {
    pub client: reqwest::Client,
    pub base: String,
}

impl Browser {
    pub fn new(server: &TestServer) -> Self {
        let client =
            reqwest::Client::builder().cookie_store(true).redirect(redirect::Policy::none()).build().expect("client");
        Browser { client, base: server.base.clone() }
    }

    /// The same browser (same cookies, so the same signed-in session) talking to another server, e.g. a replica.
    pub fn on(&self, server: &TestServer) -> Self {
        Browser { client: self.client.clone(), base: server.base.clone() }
    }

    pub async fn get(&self, path: &str) -> Response {
        self.client.get(format!("{}{path}", self.base)).header(ACCEPT, "text/html").send().await.expect("GET")
    }

    pub async fn get_text(&self, path: &str) -> (StatusCode, String) {
        let r = self.get(path).await;
        (r.status(), r.text().await.expect("body"))
    }

    /// A form POST as a browser sends it from a CERES page (same Origin).
    pub async fn post_form(&self, path: &str, form: &[(&str, &str)]) -> Response {
        self.client
            .post(format!("{}{path}", self.base))
            .header(ORIGIN, &self.base)
            .header(ACCEPT, "text/html")
            .form(form)
            .send()
            .await
            .expect("POST")
    }

    pub async fn sign_in(&self, identifiant: &str) -> Response {
        self.post_form("/connexion", &[("identifiant", identifiant), ("mot_de_passe", "ceres-demo"), ("suite", "")])
            .await
    }

    /// Calls a server function the way the hydrated page does (POST, url-encoded arguments, JSON back).
    pub async fn call(&self, name: &str, args: &[(&str, &str)]) -> Response {
        self.client
            .post(format!("{}/api/{name}", self.base))
            .header(ORIGIN, &self.base)
            .header(ACCEPT, "application/json")
            .form(args)
            .send()
            .await
            .expect("server function call")
    }
}

impl Browser {
    /// The search server function for a typed query (the page's query string `q=…`).
    pub async fn search_call(&self, q: &str) -> Response {
        self.search_qs(&format!("q={}", app::domain::recherche::encode_query_value(q))).await
    }

    /// The search server function for a whole query string, as the page sends its URL's.
    pub async fn search_qs(&self, qs: &str) -> Response {
        self.call("etablissements", &[("qs", qs)]).await
    }
}

pub fn location(r: &Response) -> String {
    r.headers().get("location").and_then(|v| v.to_str().ok()).unwrap_or_default().to_owned()
}

pub async fn start(backend: Backend) -> TestServer {
    TestServer::start(backend, SMALL).await
}

/// The id of the demo site « FCMB- Floirac », found through the search as an agent would.
pub async fn fcmb_floirac_id(agent: &Browser) -> i64 {
    let r = agent.search_call("FCMB- Floirac").await;
    assert_eq!(r.status(), StatusCode::OK);
    let json: serde_json::Value = r.json().await.expect("json");
    json["sites"][0]["id"].as_i64().expect("FCMB- Floirac is found")
}

/// What a « MODIFIER » form opened now shows, as the `avant[…]` arguments the page sends with the edit:
/// `what` is `centre/representant`, `site/representant` or `centre/identification`.
pub async fn shown(db: &sea_orm::DatabaseConnection, what: &str, id: i32) -> Vec<(String, String)> {
    use app::db::entity::{centre, site};
    use sea_orm::EntityTrait;
    let pair = |k: &str, v: String| (format!("avant[{k}]"), v);
    let rep = |fields: [(&str, Option<String>); 5]| {
        fields.into_iter().filter_map(|(k, v)| v.map(|v| pair(k, v))).collect::<Vec<_>>()
    };
    match what {
        "site/representant" => {
            let s = site::Entity::find_by_id(id).one(db).await.expect("q").expect("site");
            rep([
                ("nom", s.rep_nom),
                ("prenom", s.rep_prenom),
                ("genre", s.rep_genre),
                ("telephone", s.rep_telephone),
                ("email", s.rep_email),
            ])
        }
        _ => {
            let c = centre::Entity::find_by_id(id).one(db).await.expect("q").expect("centre");
            if what == "centre/representant" {
                return rep([
                    ("nom", c.rep_nom),
                    ("prenom", c.rep_prenom),
                    ("genre", c.rep_genre),
                    ("telephone", c.rep_telephone),
                    ("email", c.rep_email),
                ]);
            }
            let id_text = |v: Option<i32>| v.map(|x| x.to_string()).unwrap_or_default();
            vec![
                pair("raison_sociale", c.raison_sociale),
                pair("adresse", c.adresse),
                pair("code_postal", c.code_postal),
                pair("commune_code", c.commune_code),
                pair("type_centre_id", id_text(c.type_centre_id)),
                pair("reseau_id", id_text(c.reseau_id)),
                pair("commentaires", c.commentaires.unwrap_or_default()),
            ]
        }
    }
}

/// The centre with this SIRET (it must exist).
pub async fn centre_by_siret(db: &sea_orm::DatabaseConnection, siret: &str) -> app::db::entity::centre::Model {
    use app::db::entity::centre;
    use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
    centre::Entity::find().filter(centre::Column::Siret.eq(siret)).one(db).await.expect("q").expect("centre")
}
