//! Starting browsers and their drivers, and collecting what their consoles reported.

use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::Duration;

use fantoccini::elements::Element;
use fantoccini::wd::{Capabilities, WebDriverCompatibleCommand};
use fantoccini::{Client, ClientBuilder, Locator};
use serde_json::json;
use server::testing::{Backend, TestServer, repo_root};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Browser {
    Chromium,
    Firefox,
}

/// Kills a child process when dropped.
struct Kill(Child);
impl Drop for Kill {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0").and_then(|l| l.local_addr()).map(|a| a.port()).expect("free port")
}

async fn wait_up(url: &str) {
    for _ in 0..300 {
        if reqwest::get(url).await.is_ok() {
            return;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    panic!("{url} did not come up");
}

/// A browser session on a running CERES.
pub struct Session {
    pub client: Client,
    pub browser: Browser,
    pub server: TestServer,
    log: PathBuf,
    profile: PathBuf,
    _driver: Kill,
}

fn ensure_site_built() {
    let wasm = repo_root().join("target/site/pkg/app.wasm");
    assert!(wasm.exists(), "{} is missing: build the site first with scripts/build.sh", wasm.display());
}

impl Session {
    /// Starts CERES (SQLite, national demo data) and a headless browser pointed at it.
    pub async fn start(browser: Browser) -> Session {
        Self::launch(browser, true, |_| {}).await
    }

    /// The same, with JavaScript turned off in the browser.
    pub async fn start_without_javascript(browser: Browser) -> Session {
        Self::launch(browser, false, |_| {}).await
    }

    /// The same, with CERES judging deadlines as on `date` (a controlled clock).
    pub async fn start_on(browser: Browser, date: chrono::NaiveDate) -> Session {
        Self::start_with(browser, |c| c.ceres.fixed_date = Some(date)).await
    }

    /// The same, with CERES' configuration adjusted first.
    pub async fn start_with(browser: Browser, adjust: impl FnOnce(&mut server::config::Config)) -> Session {
        Self::launch(browser, true, adjust).await
    }

    async fn launch(browser: Browser, javascript: bool, adjust: impl FnOnce(&mut server::config::Config)) -> Session {
        ensure_site_built();
        let server = TestServer::start_with(Backend::Sqlite, 1.0, adjust).await;
        let port = free_port();
        let dir = std::env::temp_dir().join(format!("ceres-e2e-{}-{port}", std::process::id()));
        std::fs::create_dir_all(&dir).expect("profile directory");
        let log = dir.join("driver.log");
        let out = std::fs::File::create(&log).expect("driver log");
        let err = out.try_clone().expect("driver log");
        let mut cmd = match browser {
            Browser::Chromium => {
                let mut c = Command::new("chromedriver");
                c.arg(format!("--port={port}"));
                c
            }
            Browser::Firefox => {
                let mut c = Command::new("geckodriver");
                c.args(["--host", "127.0.0.1", "--port", &port.to_string()]).env("MOZ_HEADLESS", "1");
                c
            }
        };
        let child = cmd
            .stdout(Stdio::from(out))
            .stderr(Stdio::from(err))
            .spawn()
            .unwrap_or_else(|e| panic!("cannot start the {browser:?} driver ({e}): run scripts/setup.sh --tests"));
        let driver = Kill(child);
        let wd = format!("http://127.0.0.1:{port}");
        wait_up(&format!("{wd}/status")).await;

        let profile = dir.join("profile");
        let mut caps = Capabilities::new();
        match browser {
            Browser::Chromium => {
                let mut args = vec![
                    "--headless".to_owned(),
                    "--no-sandbox".into(),
                    "--disable-gpu".into(),
                    "--disable-dev-shm-usage".into(),
                    "--disable-quic".into(),
                    "--no-first-run".into(),
                    "--disable-background-networking".into(),
                    "--disable-component-update".into(),
                    "--disable-sync".into(),
                    "--window-size=1280,900".into(),
                    format!("--user-data-dir={}", profile.display()),
                ];
                if !javascript {
                    args.push("--blink-settings=scriptEnabled=false".into());
                }
                caps.insert("goog:chromeOptions".into(), json!({ "binary": "/usr/bin/chromium", "args": args }));
                caps.insert("goog:loggingPrefs".into(), json!({ "browser": "ALL" }));
            }
            Browser::Firefox => {
                caps.insert(
                    "moz:firefoxOptions".into(),
                    // Page console messages go to the driver's output (read back by `console_errors`); the
                    // browser's own messages (e.g. its update services failing on this closed network) do not.
                    json!({ "binary": "/usr/bin/firefox-esr", "args": ["-headless"],
                            "prefs": { "devtools.console.stdout.content": true,
                                       "devtools.console.stdout.chrome": false,
                                       "messaging-system.rsexperimentloader.enabled": false,
                                       "app.normandy.enabled": false,
                                       "app.shield.optoutstudies.enabled": false,
                                       "datareporting.policy.dataSubmissionEnabled": false,
                                       "toolkit.telemetry.enabled": false,
                                       "javascript.enabled": javascript } }),
                );
            }
        }
        let client = ClientBuilder::new(hyper_util::client::legacy::connect::HttpConnector::new())
            .capabilities(caps)
            .connect(&wd)
            .await
            .unwrap_or_else(|e| panic!("cannot open {browser:?}: {e}"));
        client.set_window_size(1280, 900).await.expect("window size");
        Session { client, browser, server, log, profile, _driver: driver }
    }

    pub fn url(&self, path: &str) -> String {
        self.server.url(path)
    }

    /// Waits (30 s at most) for an element to be in the page, and returns it.
    pub async fn wait_for(&self, locator: Locator<'_>) -> Element {
        self.client
            .wait()
            .at_most(Duration::from_secs(30))
            .for_element(locator)
            .await
            .unwrap_or_else(|e| panic!("{:?}: {locator:?} never appeared ({e})", self.browser))
    }

    /// Opens a page, signs in on the form CERES shows (demo password), and waits for the page to hydrate.
    pub async fn sign_in_at(&self, path: &str, identifiant: &str) {
        self.client.goto(&self.url(path)).await.expect("goto");
        self.submit_sign_in(identifiant, "ceres-demo").await;
        self.wait_for_signed_in_page().await;
    }

    /// Waits for the page the sign-in leads to, hydrated. The sign-in page is hydrated too, and stays in the window
    /// until the browser has the next one: only a page without the form, hydrated, is the page signed in.
    pub async fn wait_for_signed_in_page(&self) {
        let script = "return !document.getElementById('form-connexion') && document.body !== null \
                      && document.body.hasAttribute('data-hydrated');";
        for _ in 0..300 {
            if self.client.execute(script, vec![]).await.is_ok_and(|v| v == true) {
                return;
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        panic!(
            "{:?}: the page signed in never came (still at {})",
            self.browser,
            self.client.current_url().await.map(|u| u.to_string()).unwrap_or_default()
        );
    }

    /// Fills the sign-in form the page shows and submits it.
    pub async fn submit_sign_in(&self, identifiant: &str, mot_de_passe: &str) {
        let form = self.wait_for(Locator::Css("#form-connexion")).await;
        form.find(Locator::Css("#identifiant")).await.expect("identifiant").send_keys(identifiant).await.expect("type");
        form.find(Locator::Css("#mot_de_passe"))
            .await
            .expect("mot de passe")
            .send_keys(mot_de_passe)
            .await
            .expect("type");
        form.find(Locator::Css("button[type=submit]")).await.expect("button").click().await.expect("click");
    }

    /// Errors the page wrote to the console (or threw) since the session started.
    pub async fn console_errors(&self) -> Vec<String> {
        match self.browser {
            Browser::Chromium => {
                let log = self.client.issue_cmd(ChromeLog).await.expect("chromedriver log");
                log.as_array()
                    .into_iter()
                    .flatten()
                    .filter(|e| e["level"] == "SEVERE")
                    .map(|e| e["message"].as_str().unwrap_or_default().to_owned())
                    .collect()
            }
            Browser::Firefox => {
                let text = std::fs::read_to_string(&self.log).unwrap_or_default();
                // A page's console.error prints its arguments (`console.error: "message"`); Firefox's own modules
                // print a label (`console.error: RSLoader: …`, its experiments failing on this closed network).
                text.lines()
                    .filter(|l| {
                        l.starts_with("console.error: \"")
                            || l.starts_with("console.error: ({")
                            || (l.starts_with("JavaScript error: http://127.0.0.1"))
                    })
                    .map(str::to_owned)
                    .collect()
            }
        }
    }

    /// Saves a screenshot in $CERES_SCREENSHOTS (if set) under `name`.
    pub async fn screenshot(&self, name: &str) {
        if let Ok(dir) = std::env::var("CERES_SCREENSHOTS") {
            let png = self.client.screenshot().await.expect("screenshot");
            let _ = std::fs::create_dir_all(&dir);
            let _ =
                std::fs::write(PathBuf::from(dir).join(format!("{name}-{:?}.png", self.browser).to_lowercase()), png);
        }
    }

    /// Closes the browser and stops CERES without checking the console.
    pub async fn abandon(self) {
        let _ = self.client.clone().close().await;
        let _ = std::fs::remove_dir_all(self.profile.parent().unwrap_or(&self.profile));
        self.server.stop().await;
    }

    /// Fails on console errors, then closes the browser (geckodriver serves one session at a time).
    pub async fn finish(self) {
        let errors = self.console_errors().await;
        let _ = self.client.clone().close().await;
        let _ = std::fs::remove_dir_all(self.profile.parent().unwrap_or(&self.profile));
        self.server.stop().await;
        assert!(errors.is_empty(), "console errors in {:?}:\n{}", self.browser, errors.join("\n"));
    }
}

/// chromedriver's log endpoint (Selenium's `se/log`): the browser console, drained at each call.
#[derive(Debug)]
struct ChromeLog;

impl WebDriverCompatibleCommand for ChromeLog {
    fn endpoint(&self, base_url: &url::Url, session_id: Option<&str>) -> Result<url::Url, url::ParseError> {
        base_url.join(&format!("session/{}/se/log", session_id.unwrap_or_default()))
    }

    fn method_and_body(&self, _request_url: &url::Url) -> (http::Method, Option<String>) {
        (http::Method::POST, Some(json!({ "type": "browser" }).to_string()))
    }
}

/// The activation code printed in a letter (text extracted with pdftotext, as for any PDF reader).
pub fn code_in_letter(pdf: &[u8]) -> String {
    let path = std::env::temp_dir().join(format!("ceres-e2e-courrier-{}.pdf", std::process::id()));
    std::fs::write(&path, pdf).expect("write pdf");
    let out = Command::new("pdftotext").arg(&path).arg("-").output().expect("pdftotext");
    let _ = std::fs::remove_file(&path);
    let text = String::from_utf8_lossy(&out.stdout).into_owned();
    let mut lines = text.lines().map(str::trim).filter(|l| !l.is_empty());
    lines.find(|l| l.starts_with("Code d'activation")).unwrap_or_else(|| panic!("no code in:\n{text}"));
    lines.next().expect("code").to_owned()
}

/// The SIRET of a demo centre, read from the database of the running CERES.
pub async fn siret_of(s: &Session, raison_sociale: &str) -> String {
    use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
    app::db::entity::centre::Entity::find()
        .filter(app::db::entity::centre::Column::RaisonSociale.eq(raison_sociale))
        .one(&s.server.state.db)
        .await
        .expect("query")
        .expect("centre")
        .siret
}
