//! HTTP rules both targets put in front of the app (both serve it through axum).

use std::sync::Arc;

use axum::extract::{Request, State};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use http::{HeaderValue, Method, StatusCode, header};

/// The one origin state-changing requests may come from: the configured public base URL.
#[derive(Clone)]
pub struct AllowedOrigin(pub Arc<str>);

/// Leptos server functions have no CSRF protection of their own. A state-changing request
/// is refused when the browser says it is cross-site, or names another origin.
pub async fn reject_cross_site(State(allowed): State<AllowedOrigin>, request: Request, next: Next) -> Response {
    let safe = matches!(*request.method(), Method::GET | Method::HEAD | Method::OPTIONS);
    if !safe {
        let headers = request.headers();
        let cross_site = headers.get("sec-fetch-site").is_some_and(|v| v.as_bytes() == b"cross-site");
        let foreign_origin = headers.get(header::ORIGIN).is_some_and(|v| v.as_bytes() != allowed.0.as_bytes());
        if cross_site || foreign_origin {
            return (StatusCode::FORBIDDEN, "Cross-site requests are not accepted.").into_response();
        }
    }
    next.run(request).await
}

/// Headers for every page. Invitation pages carry their secret in the URL: they send no
/// Referer anywhere and are never stored by a cache.
pub async fn security_headers(request: Request, next: Next) -> Response {
    let is_invitation = request.uri().path().starts_with("/invite/");
    let is_asset = request.uri().path().starts_with("/pkg/");
    let mut response = next.run(request).await;
    let headers = response.headers_mut();
    let referrer = if is_invitation { "no-referrer" } else { "same-origin" };
    headers.insert(header::REFERRER_POLICY, HeaderValue::from_static(referrer));
    headers.insert(header::X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff"));
    headers.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    if !is_asset {
        headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    }
    response
}
