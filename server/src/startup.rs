//! Builds the application from its configuration; tests build it on port 0 with their own
//! clock and e-mail API, and drive the dispatcher one step at a time.

use std::path::Path;
use std::sync::Arc;

use std::net::SocketAddr;

use axum::Router;
use axum::extract::{ConnectInfo, Request};
use axum::http::{HeaderValue, header};
use axum::middleware::{Next, from_fn, map_response};
use axum::response::Response;
use axum::serve::{ListenerExt, TapIo};
use leptos::prelude::LeptosOptions;
use portico_app::mail::Mailer;
use portico_app::mail::dev_mailbox::DevMailbox;
use portico_app::mail::dispatch::RetryPolicy;
use portico_app::ports::{AppConfig, AppState, Clock};
use portico_app::request::ClientIp;
use portico_app::secrets::SecretKey;
use portico_app::web;
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::Notify;
use tower_http::services::ServeDir;

use crate::config::{Config, MailConfig};
use crate::dispatcher::Dispatcher;
use crate::hasher::BlockingHasher;
use crate::mailer::HttpMailer;
use crate::sqlite::SqliteDb;
use crate::webhooks::{HttpWebhookClient, WebhookSender};

pub struct Application {
    listener: TcpListener,
    router: Router,
    pub state: AppState,
    pub dispatcher: Dispatcher,
    pub webhooks: WebhookSender,
    pub config: Config,
}

#[derive(Debug, thiserror::Error)]
pub enum StartupError {
    #[error("could not open the database {path}: {source}")]
    Database { path: String, source: crate::sqlite::OpenError },
    #[error("could not read or create the secret key file {path}: {source}")]
    SecretKey { path: String, source: std::io::Error },
    #[error("PORTICO_SECRET_KEY must be 32 bytes in base64url (43 characters)")]
    BadSecretKey,
    #[error("could not listen on {addr}: {source}")]
    Bind { addr: String, source: std::io::Error },
}

impl Application {
    pub async fn build(config: Config, clock: Arc<dyn Clock>) -> Result<Self, StartupError> {
        let db: Arc<SqliteDb> = Arc::new(
            SqliteDb::open(&config.database)
                .await
                .map_err(|source| StartupError::Database { path: config.database.display().to_string(), source })?,
        );
        let secret_key = match &config.secret_key {
            Some(encoded) => SecretKey::parse(encoded).ok_or(StartupError::BadSecretKey)?,
            None => key_beside(&config.database)?,
        };
        let app_config = Arc::new(AppConfig {
            public_base_url: config.public_base_url.clone(),
            dev_mode: config.dev_mode,
            rate_limits: config.rate_limits,
            secret_key,
            session_idle_seconds: config.session_idle.as_secs() as i64,
            session_absolute_seconds: config.session_absolute.as_secs() as i64,
            invitations_per_request: config.invitations_per_request,
            import_rows_per_request: config.import_rows_per_request,
            email_webhook_secret: config.email_webhook_secret.clone(),
        });
        let wake = Arc::new(Notify::new());
        let wake_webhooks = Arc::new(Notify::new());
        let state = AppState {
            db: db.clone(),
            clock: clock.clone(),
            passwords: Arc::new(BlockingHasher::new(2)),
            config: app_config.clone(),
            wake_outbox: {
                let wake = wake.clone();
                Arc::new(move || wake.notify_one())
            },
            wake_webhooks: {
                let wake = wake_webhooks.clone();
                Arc::new(move || wake.notify_one())
            },
        };
        let webhooks = WebhookSender {
            db: db.clone(),
            client: Arc::new(HttpWebhookClient::new(config.dev_mode)),
            clock: clock.clone(),
            dev_mode: config.dev_mode,
            wake: wake_webhooks,
        };
        let mailer: Arc<dyn Mailer> = match &config.mail {
            MailConfig::DevMailbox => Arc::new(DevMailbox { db: db.clone(), clock: clock.clone() }),
            MailConfig::Http { base_url, api_key } => Arc::new(HttpMailer::new(base_url, api_key, config.mail_timeout)),
        };
        let dispatcher = Dispatcher { db, mailer, clock, config: app_config, policy: RetryPolicy::default(), wake };
        let listener = TcpListener::bind(config.addr)
            .await
            .map_err(|source| StartupError::Bind { addr: config.addr.to_string(), source })?;
        let router = router(&config, &listener, state.clone());
        Ok(Self { listener, router, state, dispatcher, webhooks, config })
    }

    pub fn port(&self) -> u16 {
        self.listener.local_addr().map(|a| a.port()).unwrap_or(0)
    }

    /// Serves until Ctrl-C or SIGTERM; the dispatcher and the webhook sender run beside it when
    /// `with_dispatcher`.
    pub async fn run_until_stopped(self, with_dispatcher: bool) -> std::io::Result<()> {
        if with_dispatcher {
            tokio::spawn(self.dispatcher.clone().run_until_stopped(self.config.outbox_poll));
            tokio::spawn(self.webhooks.clone().run_until_stopped(self.config.outbox_poll));
        }
        let listener = without_delay(self.listener);
        axum::serve(listener, self.router.into_make_service_with_connect_info::<SocketAddr>())
            .with_graceful_shutdown(stop_requested())
            .await
    }
}

/// Ctrl-C, or SIGTERM as systemd and container runtimes send it: requests in flight finish.
async fn stop_requested() {
    #[cfg(unix)]
    {
        use tokio::signal::unix::{SignalKind, signal};
        match signal(SignalKind::terminate()) {
            Ok(mut terminate) => {
                tokio::select! {
                    _ = tokio::signal::ctrl_c() => {}
                    _ = terminate.recv() => {}
                }
            }
            Err(_) => {
                let _ = tokio::signal::ctrl_c().await;
            }
        }
    }
    #[cfg(not(unix))]
    let _ = tokio::signal::ctrl_c().await;
}

/// Accepted connections with Nagle's algorithm off. Pages stream in several writes: with it
/// on, each write after the first waited for the client's delayed ACK, about 40 ms a
/// response on loopback.
pub fn without_delay(listener: TcpListener) -> TapIo<TcpListener, fn(&mut TcpStream)> {
    listener.tap_io(set_nodelay)
}

fn set_nodelay(tcp: &mut TcpStream) {
    if let Err(error) = tcp.set_nodelay(true) {
        tracing::warn!(%error, "could not set TCP_NODELAY");
    }
}

fn router(config: &Config, listener: &TcpListener, state: AppState) -> Router {
    let addr = listener.local_addr().unwrap_or(config.addr);
    let published = std::fs::read_to_string(config.site_root.join("bundle-name")).ok();
    let options = LeptosOptions::builder()
        .output_name(web::bundle_name(published.as_deref()))
        .site_root(config.site_root.display().to_string())
        .site_pkg_dir("pkg")
        .site_addr(addr)
        .env(if config.dev_mode { leptos::config::Env::DEV } else { leptos::config::Env::PROD })
        .build();
    // The hydrate bundle and CSS, as the Worker's assets binding serves them on the edge;
    // brotli or gzip as built (tools/publish-front.mjs) when the browser takes them.
    let assets = ServeDir::new(config.site_root.join("pkg")).precompressed_br().precompressed_gzip();
    let static_files = Router::new().nest_service("/pkg", assets).layer(map_response(varies_by_encoding));
    web::router(options, state, static_files).layer(from_fn(peer_address))
}

/// Caches between us and the browser must keep the brotli, gzip and plain copies apart.
async fn varies_by_encoding(mut response: Response) -> Response {
    response.headers_mut().append(header::VARY, HeaderValue::from_static("accept-encoding"));
    response
}

/// Rate limits count per address: here, the connection's peer (a reverse proxy in front
/// should limit by the real client itself).
async fn peer_address(ConnectInfo(peer): ConnectInfo<SocketAddr>, mut request: Request, next: Next) -> Response {
    request.extensions_mut().insert(ClientIp(peer.ip().to_string()));
    next.run(request).await
}

/// The secret key kept next to the database (`portico.db.key`), created on first start.
fn key_beside(database: &Path) -> Result<SecretKey, StartupError> {
    let path = database.with_extension("db.key");
    let error = |source| StartupError::SecretKey { path: path.display().to_string(), source };
    match std::fs::read_to_string(&path) {
        Ok(encoded) => SecretKey::parse(&encoded).ok_or(StartupError::BadSecretKey),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            let key = SecretKey::generate();
            write_private(&path, &key.encode()).map_err(error)?;
            Ok(key)
        }
        Err(e) => Err(error(e)),
    }
}

fn write_private(path: &Path, contents: &str) -> std::io::Result<()> {
    use std::io::Write;
    #[cfg(unix)]
    use std::os::unix::fs::OpenOptionsExt;
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    options.mode(0o600);
    options.open(path)?.write_all(contents.as_bytes())
}
