//! The HTTP e-mail API client over reqwest; what it sends and what answers mean live in
//! `portico_app::mail::http_api`, shared with the Worker's fetch client.

use std::time::Duration;

use async_trait::async_trait;
use portico_app::mail::http_api::{endpoint, interpret_answer, request_body, unreachable};
use portico_app::mail::{Mailer, OutgoingEmail, SendError};
use reqwest::header::RETRY_AFTER;

pub struct HttpMailer {
    client: reqwest::Client,
    endpoint: String,
    api_key: String,
}

impl HttpMailer {
    pub fn new(base_url: &str, api_key: &str, timeout: Duration) -> Self {
        let client = reqwest::Client::builder().timeout(timeout).build().expect("HTTP client");
        Self { client, endpoint: endpoint(base_url), api_key: api_key.to_owned() }
    }
}

#[async_trait]
impl Mailer for HttpMailer {
    async fn send_batch(&self, key: &str, emails: &[OutgoingEmail]) -> Result<Vec<Option<String>>, SendError> {
        let response = self
            .client
            .post(&self.endpoint)
            .bearer_auth(&self.api_key)
            .header("Idempotency-Key", key)
            .json(&request_body(emails))
            .send()
            .await
            .map_err(|e| unreachable(e.is_timeout()))?;
        let status = response.status().as_u16();
        let retry_after = response.headers().get(RETRY_AFTER).and_then(|v| v.to_str().ok()).map(str::to_owned);
        let body = response.text().await.unwrap_or_default();
        interpret_answer(status, retry_after.as_deref(), &body)
    }
}
