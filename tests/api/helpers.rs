//! `TestApp`: the real server on a free port, on a fresh SQLite file or a fresh PostgreSQL
//! database, plus helpers that talk HTTP to it like a client would.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::time::Duration;

use diesel::{Connection, PgConnection, RunQueryDsl};
use reqwest::{Method, Response, StatusCode};
use serde_json::{json, Value};
use skillmark::clock::Clock;
use skillmark::config::Settings;
use skillmark::domain::account::{DisplayName, Email, Locale};
use skillmark::domain::role::{Role, RoleGrant};
use skillmark::startup::Application;
use skillmark::state::AppState;

/// The day the test servers' clocks start on (they then run, and tests move them on): before
/// every date the tests name (registration until 2027-05-01, C1 on 2027-06-13), whatever day the
/// suite runs on.
const TEST_START: &str = "2026-06-01T00:00:00Z";

pub const PASSWORD: &str = "correct horse battery";

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Engine {
    Sqlite,
    Postgres,
}

/// Runs each named scenario (an `async fn(TestApp)`) as two tests, `<name>::sqlite` and
/// `<name>::postgres`; `name("SETTING" = "value", …)` starts the server with those settings.
#[macro_export]
macro_rules! both_engines {
    ($($name:ident $( ( $($key:literal = $value:literal),* $(,)? ) )?),* $(,)?) => { $(
        mod $name {
            const SETTINGS: &[(&str, &str)] = &[$($(($key, $value)),*)?];
            #[actix_web::test]
            async fn sqlite() {
                let app = $crate::helpers::TestApp::spawn($crate::helpers::Engine::Sqlite, SETTINGS).await;
                super::$name(app).await;
            }
            #[actix_web::test]
            async fn postgres() {
                if !$crate::helpers::postgres_available() { return; }
                let app = $crate::helpers::TestApp::spawn($crate::helpers::Engine::Postgres, SETTINGS).await;
                super::$name(app).await;
            }
        }
    )* };
}

/// The server to create per-test databases on.
pub fn postgres_admin_url() -> String {
    std::env::var("TEST_DATABASE_URL").unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/postgres".into())
}

/// Whether PostgreSQL tests run. When `SKILLMARK_REQUIRE_POSTGRES=1` (CI), an unreachable server
/// fails the test instead of skipping it; otherwise the skip is announced on the terminal.
pub fn postgres_available() -> bool {
    match PgConnection::establish(&postgres_admin_url()) {
        Ok(_) => true,
        Err(e) => {
            if std::env::var("SKILLMARK_REQUIRE_POSTGRES").as_deref() == Ok("1") {
                panic!("PostgreSQL is required (SKILLMARK_REQUIRE_POSTGRES=1) but not reachable: {e}");
            }
            // Past the test harness's capture (it only takes the print macros' output), so the
            // skip shows in a passing run too, once per run.
            static SAID: std::sync::Once = std::sync::Once::new();
            SAID.call_once(|| {
                use std::io::Write;
                let _ = writeln!(
                    std::io::stderr().lock(),
                    "\n*** SKIPPED: the PostgreSQL half of every both-engines test (PostgreSQL at {} is not \
                     reachable: {e}). Only SQLite was tested; set SKILLMARK_REQUIRE_POSTGRES=1 to fail instead. ***\n",
                    postgres_admin_url()
                );
            });
            false
        }
    }
}

pub struct TestApp {
    pub base: String,
    pub client: reqwest::Client,
    pub state: AppState,
    pub setup_token: Option<String>,
    pub mail_dir: PathBuf,
    /// The database this server uses (another process may share it).
    pub database_url: String,
    _dir: tempfile::TempDir,
    // Dropped last: the database outlives the server's use of it.
    _pg_database: Option<PgDatabase>,
}

/// A fresh PostgreSQL database, dropped (with its connections) when the guard is.
pub struct PgDatabase {
    pub url: String,
    name: String,
}

impl PgDatabase {
    pub fn create() -> Self {
        let name = format!("skillmark_t_{}", uuid::Uuid::new_v4().simple());
        let admin = postgres_admin_url();
        let mut conn = PgConnection::establish(&admin).expect("connect to PostgreSQL");
        diesel::sql_query(format!("CREATE DATABASE {name}")).execute(&mut conn).expect("create test database");
        let mut url = url::Url::parse(&admin).expect("TEST_DATABASE_URL is a URL");
        url.set_path(&name);
        Self { url: url.to_string(), name }
    }
}

impl Drop for PgDatabase {
    fn drop(&mut self) {
        if let Ok(mut conn) = PgConnection::establish(&postgres_admin_url()) {
            let _ = diesel::sql_query(format!("DROP DATABASE IF EXISTS {} WITH (FORCE)", self.name)).execute(&mut conn);
        }
    }
}

impl TestApp {
    /// Starts the server; `overrides` are settings (environment-variable names) for this test.
    pub async fn spawn(engine: Engine, overrides: &[(&str, &str)]) -> TestApp {
        Self::spawn_with_clock(engine, overrides, Clock::manual_at(TEST_START.parse().expect("a date"))).await
    }

    /// Starts the server on the machine's clock, for tests that run other `skillmark` processes
    /// on the same database: tokens and timestamps must mean the same time to every instance.
    pub async fn spawn_on_system_clock(engine: Engine, overrides: &[(&str, &str)]) -> TestApp {
        Self::spawn_with_clock(engine, overrides, Clock::system()).await
    }

    async fn spawn_with_clock(engine: Engine, overrides: &[(&str, &str)], clock: Clock) -> TestApp {
        let dir = tempfile::tempdir().expect("temp dir");
        let (database_url, pg_database) = match engine {
            Engine::Sqlite => (dir.path().join("test.db").to_string_lossy().into_owned(), None),
            Engine::Postgres => {
                let db = PgDatabase::create();
                (db.url.clone(), Some(db))
            }
        };
        let mail_dir = dir.path().join("mail");
        let mut values: HashMap<String, String> = [
            ("SKILLMARK_ADDR", "127.0.0.1:0".to_string()),
            ("DATABASE_URL", database_url.clone()),
            ("SKILLMARK_WORKERS", "2".into()),
            ("SKILLMARK_DB_POOL_SIZE", "4".into()),
            ("SKILLMARK_MAIL_DIR", mail_dir.to_string_lossy().into_owned()),
            ("SKILLMARK_FRONTEND_DIR", dir.path().join("no-frontend").to_string_lossy().into_owned()),
            ("SKILLMARK_PUBLIC_URL", "http://skillmark.test".into()),
        ]
        .into_iter()
        .map(|(k, v)| (k.to_string(), v))
        .collect();
        for (k, v) in overrides {
            values.insert(k.to_string(), v.to_string());
        }
        let settings = Settings::from_map(&values).expect("test settings");
        let app = Application::build_with_clock(settings, clock).await.expect("server starts");
        let base = format!("http://127.0.0.1:{}", app.port());
        let state = app.state.clone();
        let setup_token = app.setup_token.clone();
        actix_web::rt::spawn(app.run_until_stopped());
        TestApp {
            base,
            client: new_client(),
            state,
            setup_token,
            mail_dir,
            database_url,
            _pg_database: pg_database,
            _dir: dir,
        }
    }

    /// Moves the server's clock forward (deadlines pass, scheduled releases fall due, tokens
    /// expire, budgets refill) without waiting.
    pub fn advance(&self, by: Duration) {
        self.state.clock.advance(by);
    }

    /// The server's time now, as an RFC 3339 text `plus` from now (for request bodies).
    pub fn time_from_now(&self, plus: chrono::TimeDelta) -> String {
        (self.state.clock.now_utc() + plus).to_rfc3339()
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{}", self.base, path)
    }

    /// A request with an optional bearer token and JSON body, from this app's client (which keeps
    /// cookies like a browser).
    pub async fn call(&self, method: Method, path: &str, token: Option<&str>, body: Option<Value>) -> Response {
        send(&self.client, method, &self.url(path), token, body).await
    }

    pub async fn get(&self, path: &str, token: &str) -> Response {
        self.call(Method::GET, path, Some(token), None).await
    }

    /// Creates an active user with a password and the given roles, straight through the
    /// service layer (the invitation flow itself has its own tests).
    pub async fn user(&self, email: &str, roles: &[RoleGrant]) -> String {
        let email = Email::parse(email).unwrap();
        let new = skillmark::service::users::NewUser {
            email,
            display_name: DisplayName::parse("Test User").unwrap(),
            locale: Locale::En,
            roles: roles.to_vec(),
        };
        let hash = skillmark::auth::password::hash(PASSWORD).unwrap();
        self.state
            .db(move |conn| {
                let ctx = Default::default();
                let (user, _, _) = skillmark::service::users::invite(conn, "http://x", &new, &ctx)?;
                skillmark::repo::users::set_password(conn, &user.id, &hash)?;
                Ok(user.id.to_string())
            })
            .await
            .expect("create test user")
    }

    pub async fn admin(&self, email: &str) -> String {
        self.user(email, &[grant(Role::Admin, None, None)]).await
    }

    /// Signs in (with this app's cookie-keeping client) and returns the access token.
    pub async fn login(&self, email: &str, password: &str) -> String {
        let res = self
            .call(Method::POST, "/api/v1/auth/login", None, Some(json!({"email": email, "password": password})))
            .await;
        assert_eq!(res.status(), StatusCode::OK, "login of {email} failed");
        res.json::<Value>().await.unwrap()["access_token"].as_str().unwrap().to_string()
    }

    /// Signs in with a fresh client and returns (access token, refresh token from the cookie).
    pub async fn login_raw(&self, email: &str, password: &str) -> (String, String) {
        let res = send(
            &reqwest::Client::new(),
            Method::POST,
            &self.url("/api/v1/auth/login"),
            None,
            Some(json!({"email": email, "password": password})),
        )
        .await;
        assert_eq!(res.status(), StatusCode::OK);
        let refresh = refresh_cookie(&res).expect("login sets the refresh cookie");
        let body: Value = res.json().await.unwrap();
        (body["access_token"].as_str().unwrap().to_string(), refresh)
    }

    /// POST /auth/refresh presenting exactly this refresh token.
    pub async fn refresh_with(&self, refresh: &str) -> Response {
        reqwest::Client::new()
            .post(self.url("/api/v1/auth/refresh"))
            .header("cookie", format!("skillmark_refresh={refresh}"))
            .send()
            .await
            .unwrap()
    }

    /// Audit actions recorded so far, oldest first.
    pub async fn audit_actions(&self) -> Vec<skillmark::domain::audit::AuditAction> {
        self.state
            .db(|conn| {
                let page = skillmark::repo::audit::list(
                    conn,
                    &Default::default(),
                    skillmark::repo::PageRequest { page: 1, per_page: 500 },
                )?;
                Ok(page.items.into_iter().rev().map(|r| r.action).collect())
            })
            .await
            .unwrap()
    }

    /// The `.eml` files the file mail transport wrote, as text.
    pub fn mails(&self) -> Vec<String> {
        read_dir_texts(&self.mail_dir)
    }
}

pub fn new_client() -> reqwest::Client {
    reqwest::Client::builder().cookie_store(true).timeout(Duration::from_secs(30)).build().unwrap()
}

pub async fn send(
    client: &reqwest::Client,
    method: Method,
    url: &str,
    token: Option<&str>,
    body: Option<Value>,
) -> Response {
    let mut req = client.request(method, url);
    if let Some(t) = token {
        req = req.bearer_auth(t);
    }
    if let Some(b) = body {
        req = req.json(&b);
    }
    req.send().await.expect("request reaches the server")
}

pub fn grant(role: Role, scope: Option<&str>, delegation: Option<&str>) -> RoleGrant {
    RoleGrant::parse(role, scope, delegation).expect("valid test grant")
}

/// The refresh token a response sets, if any.
pub fn refresh_cookie(res: &Response) -> Option<String> {
    res.headers().get_all("set-cookie").iter().filter_map(|v| v.to_str().ok()).find_map(|c| {
        let value = c.strip_prefix("skillmark_refresh=")?.split(';').next()?;
        Some(value.to_string()).filter(|v| !v.is_empty())
    })
}

/// Asserts a problem+json response with this status and code; returns the problem.
pub async fn assert_problem(res: Response, status: u16, code: &str) -> Value {
    assert_eq!(res.status().as_u16(), status, "unexpected status for {}", res.url());
    let ctype = res.headers().get("content-type").and_then(|v| v.to_str().ok()).unwrap_or("").to_string();
    assert_eq!(ctype, "application/problem+json", "problem responses are problem+json");
    let body: Value = res.json().await.expect("problem body is JSON");
    assert_eq!(body["code"], code, "problem: {body}");
    assert_eq!(body["status"], status);
    assert!(body["title"].is_string() && body["detail"].is_string() && body["type"].is_string());
    body
}

pub fn read_dir_texts(dir: &Path) -> Vec<String> {
    let mut out = Vec::new();
    if let Ok(entries) = std::fs::read_dir(dir) {
        for e in entries.flatten() {
            if e.path().is_dir() {
                out.extend(read_dir_texts(&e.path()));
            } else if let Ok(text) = std::fs::read_to_string(e.path()) {
                out.push(text);
            }
        }
    }
    out
}

/// A mail's decoded text body (whatever transfer encoding lettre chose).
pub fn mail_text(raw: &str) -> String {
    let parsed = mailparse::parse_mail(raw.as_bytes()).expect("a well-formed mail");
    parsed.get_body().expect("a text body")
}

/// The `token=` value of the first link in a mail.
pub fn token_in(raw: &str) -> Option<String> {
    let text = mail_text(raw);
    let start = text.find("token=")? + "token=".len();
    let token: String =
        text[start..].chars().take_while(|c| c.is_ascii_alphanumeric() || *c == '-' || *c == '_').collect();
    Some(token).filter(|t| !t.is_empty())
}

/// The path of a Python tool (`python`, `st`, …) in the tests' own virtual environment,
/// `<target>/py-tools`, which `tests/py_tools.py` makes from `tests/requirements.lock` the first
/// time any test asks (test processes running at once wait for each other; later runs reuse it).
pub async fn py_tool(name: &str) -> PathBuf {
    static BIN: std::sync::OnceLock<Result<PathBuf, String>> = std::sync::OnceLock::new();
    let bin = actix_web::rt::task::spawn_blocking(|| BIN.get_or_init(provision_py_tools).clone())
        .await
        .expect("provisioning does not panic");
    match bin {
        Ok(bin) => bin.join(name),
        Err(e) => panic!("the tests' Python tools are not available: {e}"),
    }
}

fn provision_py_tools() -> Result<PathBuf, String> {
    // `<target>/tmp`: cargo sets it for integration tests, under CARGO_TARGET_DIR if set.
    let target = Path::new(env!("CARGO_TARGET_TMPDIR")).parent().expect("the target directory").to_path_buf();
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/py_tools.py");
    let out = std::process::Command::new("python3")
        .arg(&script)
        .arg(&target)
        .stderr(std::process::Stdio::inherit())
        .output()
        .map_err(|e| format!("python3 {} did not run ({e}); the tests need Python 3", script.display()))?;
    if !out.status.success() {
        return Err(format!("python3 {} {} failed ({})", script.display(), target.display(), out.status));
    }
    Ok(PathBuf::from(String::from_utf8_lossy(&out.stdout).trim()))
}

/// How long a test waits for the server's background work (the worker's tick, a mail, a
/// notice), sized for a loaded two-core machine.
pub const PATIENCE: Duration = Duration::from_secs(30);

/// Waits (up to `PATIENCE`) for `f` to return something.
pub async fn eventually<T>(mut f: impl FnMut() -> Option<T>) -> T {
    until("the condition", async || f()).await
}

/// Asks `f` every 100 ms until it returns something, for up to `PATIENCE`; then fails saying
/// what was awaited.
pub async fn until<T>(what: &str, mut f: impl AsyncFnMut() -> Option<T>) -> T {
    let deadline = std::time::Instant::now() + PATIENCE;
    loop {
        if let Some(v) = f().await {
            return v;
        }
        assert!(std::time::Instant::now() < deadline, "{what} did not happen within {PATIENCE:?}");
        actix_web::rt::time::sleep(Duration::from_millis(100)).await;
    }
}
