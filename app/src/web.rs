//! The app as one axum router, the same on both targets (the server and the Worker both
//! serve it through axum), and the HTTP rules in front of it.

use std::sync::Arc;

use axum::Router;
use axum::extract::{Request, State};
use axum::middleware::{Next, from_fn, from_fn_with_state};
use axum::response::{IntoResponse, Response};
use http::{HeaderValue, Method, StatusCode, header};
use leptos::prelude::{LeptosOptions, provide_context};
use leptos_axum::{LeptosRoutes, generate_route_list, render_app_to_stream_with_context};

use crate::ports::AppState;
use crate::{App, shell};

/// Pages, server functions and a not-found page for any other path, with the ports in
/// context. Static files (/pkg) are served beside it: by the server, or by the Worker's
/// assets binding before the Worker runs.
pub fn router(options: LeptosOptions, state: AppState) -> Router {
    let routes = generate_route_list(App);
    let context = {
        let state = state.clone();
        move || provide_context(state.clone())
    };
    let page = {
        let options = options.clone();
        move || shell(options.clone())
    };
    let allowed_origin = AllowedOrigin(state.config.public_base_url.as_str().into());
    Router::new()
        .leptos_routes_with_context(&options, routes, context.clone(), page.clone())
        .fallback(render_app_to_stream_with_context(context, page))
        .layer(from_fn_with_state(allowed_origin, reject_cross_site))
        .layer(from_fn(security_headers))
        .with_state(options)
}

/// The one origin state-changing requests may come from: the configured public base URL.
#[derive(Clone)]
pub struct AllowedOrigin(pub Arc<str>);

/// Leptos server functions have no CSRF protection of their own. A state-changing request
/// is refused when the browser says it is cross-site, or names another origin.
///
/// One exception: forms on a page with `Referrer-Policy: no-referrer` (the invitation page)
/// are sent with `Origin: null`. That is accepted only with `Sec-Fetch-Site: same-origin`,
/// which the browser sets itself and no page can forge.
pub async fn reject_cross_site(State(allowed): State<AllowedOrigin>, request: Request, next: Next) -> Response {
    let safe = matches!(*request.method(), Method::GET | Method::HEAD | Method::OPTIONS);
    if !safe {
        let headers = request.headers();
        let fetch_site = headers.get("sec-fetch-site").map(HeaderValue::as_bytes);
        let origin = headers.get(header::ORIGIN).map(HeaderValue::as_bytes);
        let cross_site = fetch_site == Some(b"cross-site");
        let opaque_but_same_origin = origin == Some(b"null") && fetch_site == Some(b"same-origin");
        let foreign_origin = origin.is_some_and(|o| o != allowed.0.as_bytes()) && !opaque_but_same_origin;
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
