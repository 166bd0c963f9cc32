//! The one-time notice a page shows after an action ("Settings saved", "Invitation sent to
//! ada@…"). A server function says it as it redirects (`api::ssr::redirect_with_notice`): the
//! answer gives the browser a short-lived cookie with the text, signed with the server key,
//! and the next page this browser asks for shows it once and clears the cookie. With or
//! without JavaScript it is the same path: a form post, a redirect, a page.
//!
//! Nobody else can make our pages say something: the text is never read from an address,
//! only from a cookie that only our answers set, and one whose signature fails is ignored.

use axum::extract::{Request, State};
use axum::middleware::Next;
use axum::response::Response;
use http::{HeaderMap, HeaderValue, Method, header};

use crate::ports::AppState;
use crate::web::cookie_value;

pub const NOTICE_COOKIE: &str = "portico_notice";
/// Enough for the next page to be asked for, even on a slow phone.
pub const NOTICE_SECONDS: i64 = 120;
/// A notice is a sentence; the cookie it travels in stays small.
const MAX_NOTICE_CHARS: usize = 300;

/// What the page just asked for should say: the notice this browser was given.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Notice(pub String);

/// Gives the page that answers a GET the notice this browser carries, and clears it once a
/// page has shown it.
pub async fn one_time_notices(State(state): State<AppState>, mut request: Request, next: Next) -> Response {
    if request.method() != Method::GET {
        return next.run(request).await;
    }
    let Some(notice) = cookie_value(request.headers(), NOTICE_COOKIE).and_then(|c| proven_notice(&state, &c)) else {
        return next.run(request).await;
    };
    request.extensions_mut().insert(notice);
    let mut response = next.run(request).await;
    if is_page(response.headers()) {
        if let Ok(cleared) = HeaderValue::from_str(&crate::web::cookie_header(&state, NOTICE_COOKIE, "", 0)) {
            response.headers_mut().append(header::SET_COOKIE, cleared);
        }
    }
    response
}

/// The notice cookie's value, `<text, percent-encoded>.<signature>` (a cookie value is ASCII
/// without spaces or `;`), of at most a sentence with no control characters.
pub fn signed_notice(state: &AppState, notice: &str) -> String {
    let notice: String = notice.chars().filter(|c| !c.is_control()).take(MAX_NOTICE_CHARS).collect();
    let encoded: String = form_urlencoded::byte_serialize(notice.as_bytes()).collect();
    format!("{encoded}.{}", state.config.secret_key.sign(&signed_text(&encoded)))
}

fn proven_notice(state: &AppState, cookie: &str) -> Option<Notice> {
    let (encoded, signature) = cookie.rsplit_once('.')?;
    if !state.config.secret_key.verify(&signed_text(encoded), signature) {
        return None;
    }
    let text: String = form_urlencoded::parse(format!("n={encoded}").as_bytes()).next()?.1.into_owned();
    Some(Notice(text))
}

fn signed_text(encoded: &str) -> String {
    format!("notice\n{encoded}")
}

/// Only a page shows the notice, so only a page's answer clears it: a file or a server
/// function's answer before the page does not.
fn is_page(headers: &HeaderMap) -> bool {
    headers.get(header::CONTENT_TYPE).and_then(|v| v.to_str().ok()).is_some_and(|kind| kind.starts_with("text/html"))
}
