//! The Worker's ports: settings from vars and secrets, D1, the mailer, the clock and
//! password hashing, assembled into the app's state for one request.

use std::cell::Cell;
use std::sync::Arc;

use async_trait::async_trait;
use axum::body::Body;
use axum::http::{Response, StatusCode, header};
use leptos::config::{Env as LeptosEnv, LeptosOptions};
use portico_app::domain::Password;
use portico_app::error::AppError;
use portico_app::mail::Mailer;
use portico_app::mail::dev_mailbox::DevMailbox;
use portico_app::passwords::{hash_password, verify_or_dummy};
use portico_app::ports::{AppConfig, AppState, Clock, PasswordHasher};
use portico_app::secrets::SecretKey;
use portico_app::seed::ensure_demo_organisation;
use portico_app::settings::{MailConfig, Settings};
use portico_app::store::{Db, DbError};
use portico_app::web;
use worker::Env;

use crate::d1::D1Db;
use crate::mailer::FetchMailer;

/// A round's invitations one request writes: each is five D1 statements, and an invocation
/// may run 1,000 queries (the paid plan); the round's page continues with the rest.
const INVITATIONS_PER_REQUEST: usize = 150;
/// An import's rows one request writes: a row is at most seven statements (member, own
/// contact, representative, group and membership, report line, timeline).
const IMPORT_ROWS_PER_REQUEST: usize = 120;
const SESSION_IDLE_SECONDS: i64 = 2 * 3600;
const SESSION_ABSOLUTE_SECONDS: i64 = 12 * 3600;

/// A callback that starts work after the answer (`wait_until`).
pub type Wake = Arc<dyn Fn() + Send + Sync>;

#[derive(Clone)]
pub struct Edge {
    pub db: Arc<dyn Db>,
    pub mailer: Arc<dyn Mailer>,
    pub clock: Arc<WorkerClock>,
    pub config: Arc<AppConfig>,
    demo_password: Option<String>,
}

impl Edge {
    pub fn from_env(env: &Env) -> Result<Self, String> {
        // Vars (wrangler.toml, --var) and secrets (wrangler secret put, .dev.vars) alike.
        let var =
            |name: &str| env.var(name).map(|v| v.to_string()).or_else(|_| env.secret(name).map(|v| v.to_string())).ok();
        let settings = Settings::from_vars(var, "")?;
        let secret_key = settings
            .secret_key
            .as_deref()
            .ok_or("PORTICO_SECRET_KEY is not set: `wrangler secret put PORTICO_SECRET_KEY` (32 bytes, base64url).")
            .and_then(|key| {
                SecretKey::parse(key).ok_or("PORTICO_SECRET_KEY must be 32 bytes in base64url (43 characters).")
            })?;
        let db: Arc<dyn Db> =
            Arc::new(D1Db::new(env.d1("DB").map_err(|e| format!("the D1 binding DB is missing: {e}"))?));
        let clock = Arc::new(WorkerClock);
        let mailer: Arc<dyn Mailer> = match &settings.mail {
            MailConfig::Http { base_url, api_key } => Arc::new(FetchMailer::new(base_url, api_key)),
            MailConfig::DevMailbox => Arc::new(DevMailbox { db: db.clone(), clock: clock.clone() }),
        };
        let config = Arc::new(AppConfig {
            public_base_url: settings.public_base_url,
            dev_mode: settings.dev_mode,
            rate_limits: settings.rate_limits,
            secret_key,
            session_idle_seconds: SESSION_IDLE_SECONDS,
            session_absolute_seconds: SESSION_ABSOLUTE_SECONDS,
            invitations_per_request: INVITATIONS_PER_REQUEST,
            import_rows_per_request: IMPORT_ROWS_PER_REQUEST,
            email_webhook_secret: settings.email_webhook_secret,
        });
        Ok(Self { db, mailer, clock, config, demo_password: settings.demo_password })
    }

    pub fn app_state(&self, wake_outbox: Wake, wake_webhooks: Wake) -> AppState {
        AppState {
            db: self.db.clone(),
            clock: self.clock.clone(),
            passwords: Arc::new(InlineHasher),
            config: self.config.clone(),
            wake_outbox,
            wake_webhooks,
        }
    }

    pub fn leptos_options(&self) -> LeptosOptions {
        LeptosOptions::builder()
            // Compiled in by `make edge-build` from target/site/bundle-name.
            .output_name(web::bundle_name(option_env!("PORTICO_BUNDLE_NAME")))
            .site_pkg_dir("pkg")
            .env(if self.config.dev_mode { LeptosEnv::DEV } else { LeptosEnv::PROD })
            .build()
    }

    /// In dev mode with PORTICO_DEMO_PASSWORD set, an empty database gets the demo
    /// organisation, as on the server; checked once per Worker instance (the insert itself is
    /// guarded in SQL). In production an empty database shows the first-run setup page.
    pub async fn seed_demo_once(&self) -> Result<(), DbError> {
        thread_local!(static CHECKED: Cell<bool> = const { Cell::new(false) });
        let Some(password) = self.demo_password.clone().filter(|_| self.config.dev_mode) else {
            return Ok(());
        };
        if CHECKED.get() {
            return Ok(());
        }
        ensure_demo_organisation(&self.app_state(Arc::new(|| {}), Arc::new(|| {})), Some(password)).await?;
        CHECKED.set(true);
        Ok(())
    }
}

/// Unix seconds from the Worker's clock.
pub struct WorkerClock;

impl Clock for WorkerClock {
    fn now(&self) -> i64 {
        (js_sys::Date::now() / 1000.0) as i64
    }
}

/// A Worker serves one request at a time per isolate: argon2id runs right here.
struct InlineHasher;

#[async_trait]
impl PasswordHasher for InlineHasher {
    async fn hash(&self, password: Password) -> Result<String, AppError> {
        Ok(hash_password(&password))
    }

    async fn verify(&self, candidate: String, phc: Option<String>) -> bool {
        verify_or_dummy(&candidate, phc.as_deref())
    }
}

/// A plain page for a Worker that cannot start, naming what to fix.
pub fn misconfigured(message: &str) -> Response<Body> {
    worker::console_error!("portico: {message}");
    Response::builder()
        .status(StatusCode::SERVICE_UNAVAILABLE)
        .header(header::CONTENT_TYPE, "text/plain; charset=utf-8")
        .body(Body::from(format!("Portico is not configured: {message}\n")))
        .expect("static response")
}
