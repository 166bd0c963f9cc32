//! The webhook sender as a tokio task: delivers what is due, notes invitations that expired,
//! then sleeps until woken by a request that wrote or until the next poll. Its HTTP client
//! follows no redirect, gives up after 10 s, reads at most 1 KB of an answer, and connects
//! only to public addresses: every address a name resolves to is checked, and the
//! connection goes to those checked (no second lookup to race).

use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use async_trait::async_trait;
use portico_app::domain::webhook::{EndpointUrl, is_public};
use portico_app::ports::Clock;
use portico_app::service::webhooks::{Delivered, Reply, WebhookClient, deliver_due, note_expired_invitations};
use portico_app::store::{Db, DbError};
use reqwest::dns::{Addrs, Name, Resolve, Resolving};
use tokio::sync::Notify;

/// Messages one run sends at most before looking at the clock again.
const MESSAGES_PER_RUN: usize = 500;
/// How much of an endpoint's answer is read.
const ANSWER_BYTES: usize = 1024;
/// Expired invitations are looked for this often.
const EXPIRY_EVERY_SECONDS: i64 = 60;

#[derive(Clone)]
pub struct WebhookSender {
    pub db: Arc<dyn Db>,
    pub client: Arc<dyn WebhookClient>,
    pub clock: Arc<dyn Clock>,
    pub dev_mode: bool,
    pub wake: Arc<Notify>,
}

impl WebhookSender {
    /// Notes expired invitations, then sends what is due now.
    pub async fn run_once(&self) -> Result<Delivered, DbError> {
        let now = self.clock.now();
        note_expired_invitations(self.db.as_ref(), now).await?;
        deliver_due(self.db.as_ref(), self.client.as_ref(), self.dev_mode, now, MESSAGES_PER_RUN).await
    }

    pub async fn run_until_stopped(self, poll_every: Duration) {
        let mut expiry_checked_at: Option<i64> = None;
        loop {
            let now = self.clock.now();
            if expiry_checked_at.is_none_or(|at| now - at >= EXPIRY_EVERY_SECONDS) {
                expiry_checked_at = Some(now);
                if let Err(error) = note_expired_invitations(self.db.as_ref(), now).await {
                    tracing::error!(%error, "noting expired invitations failed");
                }
            }
            match deliver_due(self.db.as_ref(), self.client.as_ref(), self.dev_mode, now, MESSAGES_PER_RUN).await {
                Ok(done) if done.attempted == MESSAGES_PER_RUN => continue,
                Ok(_) => {}
                Err(error) => tracing::error!(%error, "webhook delivery failed"),
            }
            tokio::select! {
                () = self.wake.notified() => {}
                () = tokio::time::sleep(poll_every) => {}
            }
        }
    }
}

/// Posts with reqwest, through `PublicOnly`.
pub struct HttpWebhookClient {
    client: reqwest::Client,
    allow_loopback: bool,
}

impl HttpWebhookClient {
    pub fn new(allow_loopback: bool) -> Self {
        let client = reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .timeout(Duration::from_secs(10))
            .connect_timeout(Duration::from_secs(5))
            .dns_resolver(Arc::new(PublicOnly { allow_loopback }))
            .build()
            .expect("HTTP client");
        Self { client, allow_loopback }
    }
}

#[async_trait]
impl WebhookClient for HttpWebhookClient {
    async fn post(&self, url: &EndpointUrl, headers: &[(&'static str, String)], body: &str) -> Reply {
        // A literal address is never resolved: it is checked here instead.
        if let Ok(address) = url.host().parse()
            && !allowed(address, self.allow_loopback)
        {
            return Reply { status: None, error: Some("The address is not public.".into()) };
        }
        let mut request = self.client.post(url.as_str()).body(body.to_owned());
        for (name, value) in headers {
            request = request.header(*name, value);
        }
        let mut response = match request.send().await {
            Ok(response) => response,
            Err(error) => return Reply { status: None, error: Some(why(&error)) },
        };
        let status = response.status().as_u16();
        let mut read = 0;
        while read < ANSWER_BYTES {
            match response.chunk().await {
                Ok(Some(chunk)) => read += chunk.len(),
                _ => break,
            }
        }
        Reply { status: Some(status), error: None }
    }
}

fn why(error: &reqwest::Error) -> String {
    if error.is_timeout() {
        "No answer within 10 seconds".into()
    } else if error.is_connect() {
        let refused = std::error::Error::source(error).map(ToString::to_string).unwrap_or_default();
        if refused.contains("not public") { "The address is not public.".into() } else { "Could not connect".into() }
    } else {
        "The request failed".into()
    }
}

fn allowed(address: std::net::IpAddr, allow_loopback: bool) -> bool {
    is_public(address) || allow_loopback && address.is_loopback()
}

/// A resolver that answers only public addresses: a name with any other address among its
/// answers is refused whole.
struct PublicOnly {
    allow_loopback: bool,
}

impl Resolve for PublicOnly {
    fn resolve(&self, name: Name) -> Resolving {
        let allow_loopback = self.allow_loopback;
        Box::pin(async move {
            let found: Vec<SocketAddr> = tokio::net::lookup_host((name.as_str(), 0)).await?.collect();
            if found.is_empty() || found.iter().any(|a| !allowed(a.ip(), allow_loopback)) {
                return Err("the name resolves to an address that is not public".into());
            }
            let addrs: Addrs = Box::new(found.into_iter());
            Ok(addrs)
        })
    }
}
