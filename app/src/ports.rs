//! What the server functions need from the target they run on, handed in through Leptos
//! context (never global): storage, the clock, password hashing, configuration, and ways to
//! wake the outbox dispatcher and the webhook sender.

use std::sync::Arc;

use async_trait::async_trait;

use crate::domain::Password;
use crate::error::AppError;
use crate::secrets::SecretKey;
use crate::store::Db;
use crate::store::sessions::SessionTimes;

/// Unix seconds now. Tests hand in a clock they can set.
pub trait Clock: Send + Sync {
    fn now(&self) -> i64;
}

/// argon2id with the same parameters on every target (see `passwords`); each target decides
/// where the work runs so that hashing never stalls other requests.
#[async_trait]
pub trait PasswordHasher: Send + Sync {
    async fn hash(&self, password: Password) -> Result<String, AppError>;
    /// With `phc: None` it verifies against a dummy hash and answers false, so an unknown
    /// login costs as much time as a known one.
    async fn verify(&self, candidate: String, phc: Option<String>) -> bool;
}

pub struct AppConfig {
    /// Scheme, host and port the links in e-mail are built from (never the Host header);
    /// also the only origin state-changing requests are accepted from. No trailing slash.
    pub public_base_url: String,
    /// Dev mode shows /dev/mailbox.
    pub dev_mode: bool,
    /// Rate limits on (always, except in dev mode with PORTICO_RATE_LIMITS=off).
    pub rate_limits: bool,
    /// Seals invitation tokens while their e-mail waits in the outbox.
    pub secret_key: SecretKey,
    pub session_idle_seconds: i64,
    pub session_absolute_seconds: i64,
    /// How many invitations of a round one request writes; a round with more is continued
    /// from its page. Unlimited on the server; on the Worker, within D1's queries per
    /// invocation (an invitation is five statements).
    pub invitations_per_request: usize,
    /// How many rows of an import one request writes (the page asks again for the rest):
    /// unlimited on the server; on the Worker, within D1's queries per invocation.
    pub import_rows_per_request: usize,
    /// The secret the e-mail provider signs its delivery reports with (`whsec_…`); none:
    /// `/webhooks/email…` takes none.
    pub email_webhook_secret: Option<String>,
}

impl AppConfig {
    pub fn secure_cookies(&self) -> bool {
        self.public_base_url.starts_with("https://")
    }
}

#[derive(Clone)]
pub struct AppState {
    pub db: Arc<dyn Db>,
    pub clock: Arc<dyn Clock>,
    pub passwords: Arc<dyn PasswordHasher>,
    pub config: Arc<AppConfig>,
    pub wake_outbox: Arc<dyn Fn() + Send + Sync>,
    /// Wakes the webhook sender: called after every request that may have written an event.
    pub wake_webhooks: Arc<dyn Fn() + Send + Sync>,
}

impl AppState {
    /// Now, and how long a session lasts idle and at most: what starting or reading one needs.
    pub fn session_times(&self) -> SessionTimes {
        SessionTimes {
            now: self.clock.now(),
            idle_seconds: self.config.session_idle_seconds,
            absolute_seconds: self.config.session_absolute_seconds,
        }
    }
}
