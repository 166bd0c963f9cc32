//! A browser without JavaScript gets a failed form's error back in the page URL
//! (`?__path=…&__err=…`, Leptos's way), and the page shows what that URL says; the invite
//! page's "Preview" likewise comes back as a draft (`?__draft=1&message=…`) that the page
//! shows as the e-mail Portico will send. Left as it is, anyone could send a link to our
//! pages that shows their own sentence in our alert box, or their words as our e-mail. So
//! such a URL only counts when Portico made it, for this browser:
//!
//! - a redirect carrying an error or a draft gets `__sig`, an HMAC (server key) of the page
//!   path, its whole query and a random value kept in a short-lived cookie of this browser;
//! - a page asked for with an error or a draft in its URL is served only when that checks
//!   out, and otherwise redirected to the same URL without them.
//!
//! An attacker can make Portico sign an error or a draft (by posting a form), but the
//! signature holds only with the cookie it went with, which stays in the attacker's browser.

use axum::extract::{Request, State};
use axum::middleware::Next;
use axum::response::{IntoResponse, Redirect, Response};
use http::{HeaderMap, HeaderValue, Method, header};

use crate::ports::AppState;
use crate::request::cookie_value;
use crate::request::form_links::{BROWSER_COOKIE, DRAFT_PARAM, signed_link, signed_text, with_query};
use crate::secrets::new_nonce;

const ERROR_PARAMS: [&str; 3] = ["__path", "__err", "__sig"];
/// Long enough to read the page, correct the form and reload it.
const COOKIE_SECONDS: i64 = 15 * 60;

pub async fn only_our_error_links(State(state): State<AppState>, request: Request, next: Next) -> Response {
    if request.method() == Method::GET || request.method() == Method::HEAD {
        if let Some(clean) = unproven_error_link(&state, &request) {
            return Redirect::to(&clean).into_response();
        }
        return next.run(request).await;
    }
    let browser = cookie_value(request.headers(), BROWSER_COOKIE);
    let mut response = next.run(request).await;
    sign_error_redirect(&state, browser, response.headers_mut());
    response
}

/// The same path and query without the error and the draft, when the URL carries one this
/// browser was not given.
fn unproven_error_link(state: &AppState, request: &Request) -> Option<String> {
    let query = request.uri().query()?;
    let pairs: Vec<(String, String)> = form_urlencoded::parse(query.as_bytes()).into_owned().collect();
    if !pairs.iter().any(|(name, _)| is_signed_param(name)) {
        return None;
    }
    let path = request.uri().path();
    let signature = pairs.iter().find(|(name, _)| name == "__sig").map(|(_, v)| v.as_str());
    let proven = match (signature, cookie_value(request.headers(), BROWSER_COOKIE)) {
        (Some(signature), Some(browser)) => {
            let unsigned = pairs.iter().filter(|(name, _)| name != "__sig");
            state.config.secret_key.verify(&signed_text(&browser, path, &with_query("", unsigned)), signature)
        }
        _ => false,
    };
    (!proven).then(|| with_query(path, pairs.iter().filter(|(name, _)| !is_signed_param(name))))
}

fn is_signed_param(name: &str) -> bool {
    ERROR_PARAMS.contains(&name) || name == DRAFT_PARAM
}

/// Signs the error or the draft a redirect back to a form carries, and gives this browser
/// its cookie (or renews it). A redirect without either drops a signature left from an
/// earlier one.
fn sign_error_redirect(state: &AppState, browser: Option<String>, headers: &mut HeaderMap) {
    let Some(location) = headers.get(header::LOCATION).and_then(|v| v.to_str().ok()) else { return };
    let (target, query) = location.split_once('?').unwrap_or((location, ""));
    let pairs: Vec<(String, String)> =
        form_urlencoded::parse(query.as_bytes()).into_owned().filter(|(name, _)| name != "__sig").collect();
    let has = |wanted: &str| pairs.iter().any(|(name, _)| name == wanted);
    if !(has("__path") && has("__err")) && !has(DRAFT_PARAM) {
        if query.contains("__sig=") {
            set_location(headers, with_query(target, pairs.iter()));
        }
        return;
    }
    let browser = browser.unwrap_or_else(new_nonce);
    set_location(headers, signed_link(state, &browser, target, path_of(target), &pairs));
    let cookie = crate::request::cookie_header(state, BROWSER_COOKIE, &browser, COOKIE_SECONDS);
    if let Ok(cookie) = HeaderValue::from_str(&cookie) {
        headers.append(header::SET_COOKIE, cookie);
    }
}

/// The path of a Location, whole URL or not.
fn path_of(target: &str) -> &str {
    match target.split_once("://") {
        Some((_, rest)) => rest.find('/').map_or("/", |slash| &rest[slash..]),
        None => target,
    }
}

fn set_location(headers: &mut HeaderMap, location: String) {
    if let Ok(location) = HeaderValue::from_str(&location) {
        headers.insert(header::LOCATION, location);
    }
}
