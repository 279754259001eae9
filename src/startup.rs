//! Builds the server from settings, so `main` and the tests start it the same way (tests bind
//! port 0 and read the port back).

use std::net::TcpListener;
use std::sync::Arc;

use actix_web::dev::Server;
use actix_web::http::header;
use actix_web::middleware::{from_fn, Compress, DefaultHeaders, Next};
use actix_web::{web, App, HttpServer};
use anyhow::Context;
use utoipa::OpenApi;
use utoipa_swagger_ui::SwaggerUi;

use crate::auth::ratelimit::Budget;
use crate::auth::tokens::{random_token, JwtKeys};
use crate::clock::Clock;
use crate::config::Settings;
use crate::db::{self, Pool};
use crate::mail::Mailer;
use crate::metrics::{self, Metrics};
use crate::openapi::ApiDoc;
use crate::state::AppState;
use crate::{api, repo, service, spa, telemetry};

pub struct Application {
    port: u16,
    server: Server,
    /// Set when the database had no users: the one-time token for creating the first admin.
    pub setup_token: Option<String>,
    pub state: AppState,
}

/// Content-Security-Policy for everything we serve: our own scripts only, no framing.
const CSP: &str = "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; \
                   connect-src 'self'; frame-ancestors 'none'; base-uri 'self'; form-action 'self'";

/// Opens the pool and runs the embedded migrations (for the command line: commits checkpoint
/// SQLite's log).
pub fn open_database(settings: &Settings) -> anyhow::Result<Pool> {
    open_database_with(settings, db::Checkpoints::OnCommit)
}

/// [`open_database`] with the given checkpoints (the server's worker checkpoints in the background).
fn open_database_with(settings: &Settings, checkpoints: db::Checkpoints) -> anyhow::Result<Pool> {
    let pool = db::build_pool(&settings.database, settings.pool_size, checkpoints)?;
    let mut conn =
        pool.get().with_context(|| format!("cannot connect to the {} database", settings.database.engine.name()))?;
    let applied = db::run_migrations(&mut conn)?;
    if applied > 0 {
        tracing::info!(applied, engine = settings.database.engine.name(), "database migrations applied");
    }
    Ok(pool)
}

impl Application {
    pub async fn build(settings: Settings) -> anyhow::Result<Self> {
        Self::build_with_clock(settings, Clock::system()).await
    }

    /// `build` with another clock (the tests' manual one).
    pub async fn build_with_clock(settings: Settings, clock: Clock) -> anyhow::Result<Self> {
        let settings = Arc::new(settings);
        let (pool, secret, setup_token) = {
            let settings = settings.clone();
            web::block(move || -> anyhow::Result<_> {
                let pool = open_database_with(&settings, db::Checkpoints::InBackground)?;
                let mut conn = pool.get()?;
                let secret = match &settings.jwt_secret {
                    Some(s) => s.clone(),
                    None => repo::secrets::get_or_create(&mut conn, "jwt_secret", random_token)?,
                };
                let setup_token = service::accounts::setup_token_if_empty(&mut conn)
                    .map_err(|e| anyhow::anyhow!("cannot prepare first-start setup: {e}"))?;
                Ok((pool, secret, setup_token))
            })
            .await??
        };
        let mailer = Mailer::new(settings.smtp_url.as_deref(), &settings.mail_from, settings.mail_dir.clone())?;
        tracing::info!(mail = %mailer.describe(), "mail transport ready");
        let state = AppState {
            pool,
            jwt: Arc::new(JwtKeys::new(secret.as_bytes(), settings.access_token_ttl_secs).with_clock(clock.clone())),
            mailer: Arc::new(mailer),
            login_limiter: Arc::new(
                Budget::per_minute(settings.login_per_account_per_minute, settings.login_per_address_per_minute)
                    .with_clock(clock.clone()),
            ),
            reset_limiter: Arc::new(
                Budget::per_hour(settings.reset_per_account_per_hour, settings.reset_per_address_per_hour)
                    .with_clock(clock.clone()),
            ),
            settings: settings.clone(),
            hub: Arc::new(crate::live::Hub::default()),
            clock,
            metrics: settings.metrics_token.as_deref().map(|token| Arc::new(Metrics::new(token))),
            commits: Arc::default(),
            callers: Arc::default(),
        };
        if settings.database.engine == crate::db::Engine::Postgres {
            state.hub.listen_postgres(settings.database.target.clone());
        }
        crate::worker::spawn(state.clone());

        let listener =
            TcpListener::bind(&settings.addr).with_context(|| format!("cannot listen on {}", settings.addr))?;
        let port = listener.local_addr()?.port();
        let server = {
            let state = state.clone();
            let frontend_dir = settings.frontend_dir.clone();
            HttpServer::new(move || {
                App::new()
                    .wrap(from_fn(cache_headers))
                    .wrap(Compress::default())
                    .wrap(
                        DefaultHeaders::new()
                            .add((header::X_CONTENT_TYPE_OPTIONS, "nosniff"))
                            .add((header::REFERRER_POLICY, "no-referrer"))
                            .add((header::X_FRAME_OPTIONS, "DENY"))
                            .add((header::CONTENT_SECURITY_POLICY, CSP)),
                    )
                    .wrap(from_fn(telemetry::request_id))
                    .wrap(from_fn(metrics::record_requests))
                    .app_data(web::Data::new(state.clone()))
                    .configure(api::configure)
                    .configure(metrics::configure)
                    .route("/api/docs", web::get().to(docs_redirect))
                    .service(SwaggerUi::new("/api/docs/{_:.*}").url("/api/openapi.json", ApiDoc::openapi()))
                    .configure(spa::configure(frontend_dir.clone()))
            })
            .workers(settings.workers)
            .shutdown_timeout(30)
            .listen(listener)?
            .run()
        };
        Ok(Self { port, server, setup_token, state })
    }

    pub fn port(&self) -> u16 {
        self.port
    }

    /// Serves until Ctrl-C or SIGTERM, then finishes in-flight requests (up to 30 s).
    pub async fn run_until_stopped(self) -> std::io::Result<()> {
        self.server.await
    }

    /// Logs how to create the first administrator when the database has no users.
    pub fn announce_setup(&self) {
        if let Some(token) = &self.setup_token {
            let link = format!("{}/setup?token={}", self.state.settings.public_url, token);
            tracing::warn!(%link, "no users yet: open the one-time setup link to create the first administrator");
            eprintln!(
                "\n  Skillmark has no users yet. Create the first administrator with this one-time link:\n\n    {link}\n\n  \
                 or on the command line:  skillmark create-admin --email you@example.org\n"
            );
        }
    }
}

async fn docs_redirect() -> actix_web::HttpResponse {
    actix_web::HttpResponse::PermanentRedirect().insert_header((header::LOCATION, "/api/docs/")).finish()
}

async fn cache_headers(
    req: actix_web::dev::ServiceRequest,
    next: Next<impl actix_web::body::MessageBody>,
) -> Result<actix_web::dev::ServiceResponse<impl actix_web::body::MessageBody>, actix_web::Error> {
    let policy = spa::cache_policy(req.path());
    let mut res = next.call(req).await?;
    if let Some(policy) = policy {
        if res.status().is_success() && !res.headers().contains_key(header::CACHE_CONTROL) {
            if let Ok(v) = header::HeaderValue::from_str(&policy.to_string()) {
                res.headers_mut().insert(header::CACHE_CONTROL, v);
            }
        }
    }
    Ok(res)
}
