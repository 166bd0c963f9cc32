//! The HTTP e-mail API client over the Worker's fetch; what it sends and what answers mean
//! live in `portico_app::mail::http_api`, shared with the server's reqwest client.

use async_trait::async_trait;
use portico_app::mail::http_api::{endpoint, interpret_answer, request_body, unreachable};
use portico_app::mail::{Mailer, OutgoingEmail, SendError};
use wasm_bindgen::JsValue;
use worker::send::SendFuture;
use worker::{Fetch, Headers, Method, Request, RequestInit};

pub struct FetchMailer {
    endpoint: String,
    api_key: String,
}

impl FetchMailer {
    pub fn new(base_url: &str, api_key: &str) -> Self {
        Self { endpoint: endpoint(base_url), api_key: api_key.to_owned() }
    }

    async fn post(&self, key: &str, emails: &[OutgoingEmail]) -> Result<Vec<Option<String>>, SendError> {
        let request = self.request(key, emails).map_err(|_| unreachable(false))?;
        let mut response = Fetch::Request(request).send().await.map_err(|_| unreachable(false))?;
        let retry_after = response.headers().get("Retry-After").ok().flatten();
        let body = response.text().await.unwrap_or_default();
        interpret_answer(response.status_code(), retry_after.as_deref(), &body)
    }

    fn request(&self, key: &str, emails: &[OutgoingEmail]) -> worker::Result<Request> {
        let headers = Headers::new();
        headers.set("Authorization", &format!("Bearer {}", self.api_key))?;
        headers.set("Content-Type", "application/json")?;
        headers.set("Idempotency-Key", key)?;
        let mut init = RequestInit::new();
        init.with_method(Method::Post)
            .with_headers(headers)
            .with_body(Some(JsValue::from_str(&request_body(emails).to_string())));
        Request::new_with_init(&self.endpoint, &init)
    }
}

#[async_trait]
impl Mailer for FetchMailer {
    async fn send_batch(&self, key: &str, emails: &[OutgoingEmail]) -> Result<Vec<Option<String>>, SendError> {
        SendFuture::new(self.post(key, emails)).await
    }
}
