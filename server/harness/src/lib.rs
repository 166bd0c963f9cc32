//! What the HTTP tests (`server/tests/api`, the app in-process) and the scenario suite
//! (`server/tests/scenarios`, the built server and the Worker under `wrangler dev`) share to
//! drive a target as a browser without JavaScript does: HTML form posts to the fixed
//! server-function endpoints, the JSON calls the hydrated client makes, multipart uploads,
//! forms sent as a page shows them, and the table of every server function.

pub mod endpoints;
pub mod forms;
pub mod independent;
pub mod multipart;

use std::fmt::Display;
use std::time::Duration;

use reqwest::header::{ACCEPT, CONTENT_TYPE, HeaderMap, LOCATION, ORIGIN, REFERER, RETRY_AFTER};
use reqwest::{Client, RequestBuilder, Response, StatusCode};

const HTML: &str = "text/html,application/xhtml+xml";

/// A browser without JavaScript: asks for HTML, keeps cookies, does not follow redirects.
pub fn browser() -> Client {
    let mut headers = HeaderMap::new();
    headers.insert(ACCEPT, HTML.parse().unwrap());
    Client::builder()
        .default_headers(headers)
        .cookie_store(true)
        .redirect(reqwest::redirect::Policy::none())
        // A request that never gets an answer fails the test instead of hanging the suite.
        .timeout(Duration::from_secs(30))
        .build()
        .unwrap()
}

/// Where a redirect points ("" for none).
pub fn location(response: &Response) -> String {
    response.headers().get(LOCATION).and_then(|v| v.to_str().ok()).unwrap_or_default().to_owned()
}

/// The path of the link to `kind` (`/invite/`, `/join-staff/`, `/reset-password/`…) in an
/// e-mail's text, which must be on `public_url`.
pub fn link_in(email: &serde_json::Value, public_url: &str, kind: &str) -> String {
    let text = email["text"].as_str().expect("a text body");
    let url = text.split_whitespace().find(|w| w.contains(kind)).expect("a link in the e-mail");
    url.strip_prefix(public_url).unwrap_or_else(|| panic!("link {url} is not on {public_url}")).to_owned()
}

pub struct Page {
    pub status: StatusCode,
    pub headers: HeaderMap,
    pub body: String,
}

/// A target as a browser reaches it: the address requests go to, and the origin its pages
/// are on (the public URL; in-process tests reach the app at another address than that).
pub struct Site {
    pub address: String,
    pub origin: String,
}

impl Site {
    /// `path` may also be a whole URL, as redirects back to a form are.
    pub async fn get(&self, client: &Client, path: &str) -> Page {
        let url = if path.starts_with("http") { path.to_owned() } else { format!("{}{path}", self.address) };
        let response = client.get(url).send().await.expect("GET");
        Page { status: response.status(), headers: response.headers().clone(), body: response.text().await.unwrap() }
    }

    /// A plain HTML form post, as a browser sends it from `from_page`.
    pub async fn post_form(
        &self,
        client: &Client,
        endpoint: &str,
        from_page: &str,
        fields: &[(&str, &str)],
    ) -> Response {
        let request = client
            .post(format!("{}{endpoint}", self.address))
            .header(ACCEPT, HTML)
            .header(ORIGIN, &self.origin)
            .header(REFERER, format!("{}{from_page}", self.address))
            .form(fields);
        send(request).await
    }

    /// A server function called as the hydrated client calls it (status codes, JSON).
    pub async fn call(&self, client: &Client, endpoint: &str, fields: &[(&str, &str)]) -> Response {
        let request = client
            .post(format!("{}{endpoint}", self.address))
            .header(ACCEPT, "application/json")
            .header(ORIGIN, &self.origin)
            .form(fields);
        send(request).await
    }

    /// The settings page's form, as `client` sees it, sent with `changes` made
    /// (`forms::changed`: an empty value unticks a box).
    pub async fn change_settings(&self, client: &Client, changes: &[(&str, &str)]) -> Response {
        let page = self.get(client, "/staff/settings").await.body;
        let fields = forms::changed(forms::form_as_shown(&page, "/api/update_settings"), changes);
        let fields: Vec<(&str, &str)> = fields.iter().map(|(name, value)| (name.as_str(), value.as_str())).collect();
        self.post_form(client, "/api/update_settings", "/staff/settings", &fields).await
    }

    /// The profile's upload form, as a browser sends it: `file` (named `name`) and the
    /// "Share it with the member" box.
    pub async fn upload(
        &self,
        client: &Client,
        member_id: impl Display,
        name: &str,
        bytes: &[u8],
        shared: bool,
    ) -> Response {
        let mut fields = vec![("file", Some(name), bytes)];
        if shared {
            fields.push(("shared", None, b"true"));
        }
        self.post_multipart(client, member_id, HTML, &fields).await
    }

    /// A multipart post to a member's upload address: each field's name, file name (for a
    /// file) and content.
    pub async fn post_multipart(
        &self,
        client: &Client,
        member_id: impl Display,
        accept: &str,
        fields: &[(&str, Option<&str>, &[u8])],
    ) -> Response {
        let (to, from_page) = (format!("/staff/members/{member_id}/files"), format!("/staff/members/{member_id}"));
        self.post_multipart_to(client, &to, &from_page, accept, fields).await
    }

    /// A multipart form post to `to`, as a browser sends it from `from_page`.
    pub async fn post_multipart_to(
        &self,
        client: &Client,
        to: &str,
        from_page: &str,
        accept: &str,
        fields: &[(&str, Option<&str>, &[u8])],
    ) -> Response {
        let (content_type, body) = multipart::multipart(fields);
        let request = client
            .post(format!("{}{to}", self.address))
            .header(ACCEPT, accept)
            .header(ORIGIN, &self.origin)
            .header(REFERER, format!("{}{from_page}", self.address))
            .header(CONTENT_TYPE, content_type)
            .body(body);
        send(request).await
    }

    /// A spreadsheet uploaded from the imports page, as a browser without JavaScript sends it.
    pub async fn upload_import(&self, client: &Client, name: &str, csv: &[u8]) -> Response {
        self.post_multipart_to(client, "/staff/imports/new", "/staff/imports", HTML, &[("file", Some(name), csv)]).await
    }
}

/// Sends a POST. `wrangler dev`'s local proxy writes each request to the Worker's runtime on
/// a pooled connection, and one the runtime is closing at that moment breaks ("Broken pipe"
/// in its log, cloudflare/workers-sdk#14641): the proxy then answers 503 with `Retry-After:
/// 0` itself, and retries only a GET or a HEAD. The request never reached the Worker, so it
/// is sent once more, as the proxy would; neither target's own answers carry that header.
async fn send(request: RequestBuilder) -> Response {
    let again = request.try_clone().expect("a body that can be sent again");
    let response = request.send().await.expect("POST");
    let dropped_by_dev_proxy = response.status() == StatusCode::SERVICE_UNAVAILABLE
        && response.headers().get(RETRY_AFTER).is_some_and(|v| v == "0");
    if !dropped_by_dev_proxy {
        return response;
    }
    eprintln!("wrangler dev's proxy lost a POST to {} on a closing connection: sent again", response.url());
    again.send().await.expect("POST")
}
