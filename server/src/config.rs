//! Settings, from the environment: 127.0.0.1:3000 and ./portico.db unless set; production
//! unless PORTICO_ENV=development (which `make run` sets). The settings the Worker shares are read by
//! `portico_app::settings`, with the same names.

use std::net::SocketAddr;
use std::path::PathBuf;
use std::time::Duration;

pub use portico_app::settings::MailConfig;
use portico_app::settings::Settings;

#[derive(Debug, Clone)]
pub struct Config {
    pub addr: SocketAddr,
    pub database: PathBuf,
    /// Where links in e-mail point, and the only origin accepted for changes.
    pub public_base_url: String,
    /// Where `make front` put the hydrate bundle and CSS.
    pub site_root: PathBuf,
    pub mail: MailConfig,
    /// How long the e-mail API may take to answer before the send counts as failed.
    pub mail_timeout: Duration,
    pub dev_mode: bool,
    pub rate_limits: bool,
    /// base64url, 32 bytes. Unset: kept in a file next to the database.
    pub secret_key: Option<String>,
    pub outbox_poll: Duration,
    pub session_idle: Duration,
    pub session_absolute: Duration,
    /// Password for the demo owner created on an empty database; random when unset.
    pub demo_password: Option<String>,
    /// Invitations of a round written per request (see `AppConfig`): all of them here.
    pub invitations_per_request: usize,
    pub import_rows_per_request: usize,
    pub email_webhook_secret: Option<String>,
}

impl Config {
    pub fn from_env() -> Result<Self, String> {
        let var = |name: &str| std::env::var(name).ok().filter(|v| !v.trim().is_empty());
        let addr: SocketAddr = var("PORTICO_ADDR")
            .or_else(|| var("LEPTOS_SITE_ADDR"))
            .unwrap_or_else(|| "127.0.0.1:3000".into())
            .parse()
            .map_err(|e| format!("PORTICO_ADDR is not an address like 127.0.0.1:3000: {e}"))?;
        let settings = Settings::from_vars(var, &format!("http://{addr}"))?;
        Ok(Self {
            addr,
            database: var("PORTICO_DATABASE").unwrap_or_else(|| "portico.db".into()).into(),
            public_base_url: settings.public_base_url,
            site_root: var("LEPTOS_SITE_ROOT").unwrap_or_else(|| "target/site".into()).into(),
            mail: settings.mail,
            mail_timeout: Duration::from_secs(15),
            dev_mode: settings.dev_mode,
            rate_limits: settings.rate_limits,
            secret_key: settings.secret_key,
            outbox_poll: Duration::from_secs(5),
            session_idle: Duration::from_secs(2 * 3600),
            session_absolute: Duration::from_secs(12 * 3600),
            demo_password: settings.demo_password,
            invitations_per_request: usize::MAX,
            import_rows_per_request: usize::MAX,
            email_webhook_secret: settings.email_webhook_secret,
        })
    }
}
