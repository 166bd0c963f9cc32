//! The webhook client over the Worker's fetch: no redirect followed, 10 s at most, the answer
//! left unread but for its status. A Worker cannot resolve names itself, so the address is
//! checked as written (`EndpointUrl::parse`, again at each delivery); Cloudflare's fetch does
//! not reach a private network behind the Worker.

use std::time::Duration;

use async_trait::async_trait;
use futures::future::{Either, select};
use portico_app::domain::webhook::EndpointUrl;
use portico_app::service::webhooks::{Reply, WebhookClient};
use wasm_bindgen::JsValue;
use worker::send::SendFuture;
use worker::{Delay, Fetch, Headers, Method, Request, RequestInit, RequestRedirect};

pub struct FetchWebhookClient;

impl FetchWebhookClient {
    async fn send(url: &EndpointUrl, headers: &[(&'static str, String)], body: &str) -> Reply {
        let request = match request(url, headers, body) {
            Ok(request) => request,
            Err(_) => return Reply { status: None, error: Some("The address could not be called".into()) },
        };
        let fetch = Fetch::Request(request);
        let sending = fetch.send();
        let timeout = Delay::from(Duration::from_secs(10));
        match select(Box::pin(sending), timeout).await {
            Either::Left((Ok(response), _)) => Reply { status: Some(response.status_code()), error: None },
            Either::Left((Err(_), _)) => Reply { status: None, error: Some("Could not connect".into()) },
            Either::Right(_) => Reply { status: None, error: Some("No answer within 10 seconds".into()) },
        }
    }
}

fn request(url: &EndpointUrl, headers: &[(&'static str, String)], body: &str) -> worker::Result<Request> {
    let sent = Headers::new();
    for (name, value) in headers {
        sent.set(name, value)?;
    }
    let mut init = RequestInit::new();
    init.with_method(Method::Post)
        .with_headers(sent)
        .with_redirect(RequestRedirect::Manual)
        .with_body(Some(JsValue::from_str(body)));
    Request::new_with_init(url.as_str(), &init)
}

#[async_trait]
impl WebhookClient for FetchWebhookClient {
    async fn post(&self, url: &EndpointUrl, headers: &[(&'static str, String)], body: &str) -> Reply {
        SendFuture::new(Self::send(url, headers, body)).await
    }
}
