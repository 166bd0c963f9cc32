//! The two mailers: an HTTP e-mail API client (Resend-style `POST {base}/emails`) and the dev
//! mailbox, which keeps what it "sends" in the database for /dev/mailbox.

use std::sync::Arc;
use std::time::Duration;

use async_trait::async_trait;
use portico_app::mail::{Mailer, OutgoingEmail, SendError};
use portico_app::ports::Clock;
use portico_app::store::{Db, dev_mailbox};
use reqwest::StatusCode;
use reqwest::header::RETRY_AFTER;

pub struct HttpMailer {
    client: reqwest::Client,
    endpoint: String,
    api_key: String,
}

impl HttpMailer {
    pub fn new(base_url: &str, api_key: &str, timeout: Duration) -> Self {
        let client = reqwest::Client::builder().timeout(timeout).build().expect("HTTP client");
        Self { client, endpoint: format!("{}/emails", base_url.trim_end_matches('/')), api_key: api_key.to_owned() }
    }
}

#[async_trait]
impl Mailer for HttpMailer {
    async fn send(&self, email: &OutgoingEmail) -> Result<Option<String>, SendError> {
        let body = serde_json::json!({
            "from": email.from_header(),
            "to": [email.to],
            "subject": email.subject,
            "text": email.text,
            "html": email.html,
        });
        let response = self
            .client
            .post(&self.endpoint)
            .bearer_auth(&self.api_key)
            .header("Idempotency-Key", &email.idempotency_key)
            .json(&body)
            .send()
            .await
            .map_err(|e| SendError::Retryable {
                reason: if e.is_timeout() { "the e-mail service did not answer in time".into() } else { "the e-mail service could not be reached".into() },
                retry_after_seconds: None,
            })?;
        let status = response.status();
        if status.is_success() {
            let reply: serde_json::Value = response.json().await.unwrap_or_default();
            return Ok(reply.get("id").and_then(|id| id.as_str()).map(str::to_owned));
        }
        let retry_after_seconds = response
            .headers()
            .get(RETRY_AFTER)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.trim().parse::<i64>().ok());
        let detail = provider_message(response).await;
        if status == StatusCode::TOO_MANY_REQUESTS || status.is_server_error() {
            Err(SendError::Retryable { reason: format!("the e-mail service answered {status}{detail}"), retry_after_seconds })
        } else {
            Err(SendError::Permanent(format!("the e-mail service refused it ({status}){detail}")))
        }
    }
}

/// The provider's own explanation (`{"message": …}`), short, for the staff who see it.
async fn provider_message(response: reqwest::Response) -> String {
    let body: serde_json::Value = response.json().await.unwrap_or_default();
    body.get("message")
        .and_then(|m| m.as_str())
        .map(|m| format!(": {}", m.chars().take(200).collect::<String>()))
        .unwrap_or_default()
}

pub struct DevMailbox {
    pub db: Arc<dyn Db>,
    pub clock: Arc<dyn Clock>,
}

#[async_trait]
impl Mailer for DevMailbox {
    async fn send(&self, email: &OutgoingEmail) -> Result<Option<String>, SendError> {
        let message = dev_mailbox::IncomingDevMessage {
            idempotency_key: &email.idempotency_key,
            to_email: &email.to,
            from_header: &email.from_header(),
            subject: &email.subject,
            text_body: &email.text,
            html_body: &email.html,
        };
        dev_mailbox::deliver(self.db.as_ref(), &message, self.clock.now())
            .await
            .map_err(|e| SendError::Retryable { reason: e.to_string(), retry_after_seconds: None })?;
        Ok(None)
    }
}
