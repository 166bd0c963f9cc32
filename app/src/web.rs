//! The app as one axum router, the same on both targets (the server and the Worker both
//! serve it through axum), and the HTTP rules in front of it.

use std::sync::{Arc, OnceLock};

use axum::Router;
use axum::body::{Body, Bytes};
use axum::extract::{Request, State};
use axum::middleware::{Next, from_fn, from_fn_with_state};
use axum::response::{IntoResponse, Response};
use http::{HeaderValue, Method, StatusCode, header};
use http_body_util::BodyExt;
use leptos::prelude::{LeptosOptions, provide_context};
use leptos_axum::{AxumRouteListing, LeptosRoutes, generate_route_list, render_app_to_stream_with_context};

use crate::ports::AppState;
use crate::{App, shell};

/// Pages, server functions and a not-found page for any other path, with the ports in
/// context. Static files (/pkg) are served beside it: by the server, or by the Worker's
/// assets binding before the Worker runs.
pub fn router(options: LeptosOptions, state: AppState) -> Router {
    let routes = route_list();
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
        .layer(from_fn(read_body_first))
        .with_state(options)
}

/// The app's routes, listed once per process (per isolate on the Worker) and reused by every
/// router built after. Listing them renders the whole app with resource loading switched off
/// process-wide (leptos-rs/leptos#4773): a page whose data was first asked for meanwhile
/// never finished streaming. Built once, before anything is served, no page can overlap it.
pub fn route_list() -> Vec<AxumRouteListing> {
    static ROUTES: OnceLock<Vec<AxumRouteListing>> = OnceLock::new();
    ROUTES.get_or_init(|| generate_route_list(App)).clone()
}

/// The largest request body Portico reads: its forms are a few kilobytes.
pub const MAX_BODY_BYTES: usize = 2 << 20;
/// How much of a larger body is still read (and thrown away) before answering 413; past
/// this the connection is closed instead.
const MAX_DISCARDED_BYTES: usize = 16 << 20;

/// Every request body is read whole before anything answers. An answer sent while its
/// request's body was still unread (a refused cross-site post, say) broke the next request on
/// the same connection under `wrangler dev`: it hung, or got a 503 "worker restarted
/// mid-request". Read first, no early answer (403, 404, 413, a refused form) can do that.
pub async fn read_body_first(request: Request, next: Next) -> Response {
    let (parts, body) = request.into_parts();
    match read_whole(body).await {
        Ok(bytes) => next.run(Request::from_parts(parts, Body::from(bytes))).await,
        Err(BodyProblem::TooLarge { read_to_end }) => {
            let message = format!("The request is too large: at most {} KiB.", MAX_BODY_BYTES / 1024);
            let mut response = (StatusCode::PAYLOAD_TOO_LARGE, message).into_response();
            if !read_to_end {
                response.headers_mut().insert(header::CONNECTION, HeaderValue::from_static("close"));
            }
            response
        }
        Err(BodyProblem::Unreadable) => (StatusCode::BAD_REQUEST, "The request body could not be read.").into_response(),
    }
}

/// Reads and throws away a request body, within the same bounds, for an answer given outside
/// the router (the Worker's "not configured" page).
pub async fn discard_body(body: Body) {
    let _ = read_whole(body).await;
}

enum BodyProblem {
    /// Over `MAX_BODY_BYTES`; `read_to_end` when the rest was read and discarded.
    TooLarge { read_to_end: bool },
    Unreadable,
}

async fn read_whole(mut body: Body) -> Result<Bytes, BodyProblem> {
    let mut kept = Vec::new();
    let mut seen = 0usize;
    while let Some(frame) = body.frame().await {
        let Ok(data) = frame.map_err(|_| BodyProblem::Unreadable)?.into_data() else { continue };
        seen += data.len();
        if seen > MAX_DISCARDED_BYTES {
            return Err(BodyProblem::TooLarge { read_to_end: false });
        }
        if seen <= MAX_BODY_BYTES {
            kept.extend_from_slice(&data);
        }
    }
    if seen > MAX_BODY_BYTES { Err(BodyProblem::TooLarge { read_to_end: true }) } else { Ok(kept.into()) }
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
