//! The one-time notice a page shows after an action ("Settings saved", "Invitation sent to
//! ada@…"). A server function says it as it redirects (`request::redirect_with_notice`): the
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
use crate::request::cookie_value;
use crate::request::notices::{NOTICE_COOKIE, proven_notice};

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
        if let Ok(cleared) = HeaderValue::from_str(&crate::request::cookie_header(&state, NOTICE_COOKIE, "", 0)) {
            response.headers_mut().append(header::SET_COOKIE, cleared);
        }
    }
    response
}

/// Only a page shows the notice, so only a page's answer clears it: a file or a server
/// function's answer before the page does not.
fn is_page(headers: &HeaderMap) -> bool {
    headers.get(header::CONTENT_TYPE).and_then(|v| v.to_str().ok()).is_some_and(|kind| kind.starts_with("text/html"))
}
