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
use leptos::nonce::Nonce;
use leptos::prelude::{LeptosOptions, provide_context, with_context};
use leptos_axum::{AxumRouteListing, LeptosRoutes, generate_route_list, render_app_async_with_context};

use crate::ports::AppState;
use crate::{App, shell};

mod api_requests;
mod brand;
mod email_preview;
mod email_reports;
mod error_links;
mod export;
mod files;
mod first_run;
mod imports;
mod multipart;
mod notices;
mod paths;
mod rest;
#[cfg(feature = "openapi")]
pub use rest::openapi::generated as openapi_document;
mod trace;

use crate::request::notices::Notice;
use crate::request::{SessionOfPage, session_of};
pub use api_requests::API_PREFIX;

/// Pages, server functions, a not-found page for any other path, and `static_files` (the
/// server's /pkg; the Worker's are served by its assets binding before it runs), with the
/// ports in context and the HTTP rules below in front of all of them.
pub fn router(options: LeptosOptions, state: AppState, static_files: Router) -> Router {
    let routes = route_list();
    let context = {
        let state = state.clone();
        move || {
            provide_context(state.clone());
            let (nonce, notice) = with_context::<http::request::Parts, _>(|parts| {
                (parts.extensions.get::<Nonce>().cloned(), parts.extensions.get::<Notice>().cloned())
            })
            .unwrap_or_default();
            if let Some(nonce) = nonce {
                provide_context(nonce);
            }
            if let Some(notice) = notice {
                provide_context(notice);
            }
        }
    };
    let page = {
        let options = options.clone();
        move || shell(options.clone())
    };
    let allowed_origin = AllowedOrigin(state.config.public_base_url.as_str().into());
    let watching = state.config.dev_mode && std::env::var_os("LEPTOS_WATCH").is_some();
    let reload = options.reload_port;
    let export = Router::new()
        .route("/staff/members/export", axum::routing::get(export::members_csv))
        .route("/staff/bulk-sends/{round}/report.csv", axum::routing::get(export::round_csv))
        .route("/staff/members/{member_id}/files", axum::routing::post(files::upload))
        .route("/files/{file_id}", axum::routing::get(files::download))
        .route(crate::domain::addresses::IMPORT_UPLOAD_PATH, axum::routing::post(imports::upload))
        .route("/staff/imports/{import_id}/mapping", axum::routing::post(imports::mapping))
        .route("/staff/imports/{import_id}/rows-to-fix.csv", axum::routing::get(imports::refused_csv))
        .route(crate::domain::addresses::EMAIL_PREVIEW_PATH, axum::routing::get(email_preview::email_preview))
        .route(brand::LOGO_FORM, axum::routing::post(brand::upload_logo))
        .route("/logo/{organisation}/{digest}", axum::routing::get(brand::logo))
        .route("/brand.css", axum::routing::get(brand::stylesheet))
        .route("/webhooks/email/resend", axum::routing::post(email_reports::resend))
        .route("/webhooks/email", axum::routing::post(email_reports::standard))
        .with_state(state.clone());
    Router::new()
        .leptos_routes_with_context(&options, routes, context.clone(), page.clone())
        // Rendered whole, as every route is, so even "Page not found" has its title.
        .fallback(render_app_async_with_context(context, page))
        .layer(from_fn_with_state(state.clone(), read_session_once))
        .with_state(options)
        .merge(static_files)
        .merge(export)
        .layer(from_fn(api_requests::refuse_malformed_calls))
        // Outside the server functions' checks: `/api/v1` answers in JSON, by its own rules.
        .merge(rest::routes(state.clone()))
        .layer(from_fn_with_state(state.clone(), wake_webhooks_after_writes))
        .layer(from_fn_with_state((state.clone(), Arc::default()), first_run::set_up_first))
        .layer(from_fn_with_state(state.clone(), error_links::only_our_error_links))
        .layer(from_fn_with_state(state, notices::one_time_notices))
        .layer(from_fn_with_state(allowed_origin, reject_cross_site))
        .layer(from_fn(paths::only_canonical_paths))
        .layer(from_fn_with_state(watching.then_some(reload), security_headers))
        .layer(from_fn(read_body_first))
        // `read_body_first` holds every body to its route's limit; axum's own, one size for
        // all (2 MB), would refuse the import's spreadsheet after it.
        .layer(axum::extract::DefaultBodyLimit::disable())
        .layer(from_fn(trace::trace_requests))
}

/// The app's routes, listed once per process (per isolate on the Worker) and reused by every
/// router built after. Listing them renders the whole app with resource loading switched off
/// process-wide (leptos-rs/leptos#4773): a page whose data was first asked for meanwhile
/// never finished streaming. Built once, before anything is served, no page can overlap it.
pub fn route_list() -> Vec<AxumRouteListing> {
    static ROUTES: OnceLock<Vec<AxumRouteListing>> = OnceLock::new();
    ROUTES.get_or_init(|| generate_route_list(App)).clone()
}

/// Every server function's path, as registered with Leptos.
pub fn server_function_paths() -> Vec<&'static str> {
    let mut paths: Vec<_> = server_fn::axum::server_fn_paths().map(|(path, _)| path).collect();
    paths.sort_unstable();
    paths
}

/// The largest request body Portico reads: its forms are a few kilobytes.
pub const MAX_BODY_BYTES: usize = 2 << 20;
/// The largest spreadsheet an import takes (100,000 rows of a dozen columns fit), read only
/// by the import's upload.
pub const MAX_IMPORT_BYTES: usize = 32 << 20;
/// How much of a larger body is still read (and thrown away) before answering 413; past
/// this the connection is closed instead.
const MAX_DISCARDED_BYTES: usize = 48 << 20;

/// Marks a request whose body was over its limit and thrown away (the import's upload).
#[derive(Debug, Clone, Copy)]
pub struct BodyTooLarge;

/// The most a request to `path` may send.
fn body_limit(method: &Method, path: &str) -> usize {
    if method == Method::POST && path == crate::domain::addresses::IMPORT_UPLOAD_PATH {
        MAX_IMPORT_BYTES
    } else {
        MAX_BODY_BYTES
    }
}

/// A page (`GET`) reads who is signed in once, here, before it renders; its header and its
/// data then both take it from the request (`request::current_session`). Read ahead in the
/// request's own future: an async lock shared by the page's parts, whichever asked first
/// reading for the others, left concurrent requests hung on the Worker (scenario `at_once`).
/// After a request that may have written an event (any but a read), the webhook sender looks
/// for messages to send, so they leave at once rather than at its next poll.
async fn wake_webhooks_after_writes(State(state): State<AppState>, request: Request, next: Next) -> Response {
    let writes = !matches!(*request.method(), Method::GET | Method::HEAD | Method::OPTIONS);
    let response = next.run(request).await;
    if writes {
        (state.wake_webhooks)();
    }
    response
}

async fn read_session_once(State(state): State<AppState>, mut request: Request, next: Next) -> Response {
    if request.method() == Method::GET {
        // Unreadable now: each part reads it again and reports the failure itself.
        if let Ok(session) = session_of(&state, request.headers()).await {
            request.extensions_mut().insert(SessionOfPage(session));
        }
    }
    next.run(request).await
}

/// Every request body is read whole before anything answers. An answer sent while its
/// request's body was still unread (a refused cross-site post, say) broke the next request on
/// the same connection under `wrangler dev`: it hung, or got a 503 "worker restarted
/// mid-request". Read first, no early answer (403, 404, 413, a refused form) can do that.
pub async fn read_body_first(request: Request, next: Next) -> Response {
    let (parts, body) = request.into_parts();
    let limit = body_limit(&parts.method, parts.uri.path());
    match read_whole(body, limit).await {
        Ok(bytes) => next.run(Request::from_parts(parts, Body::from(bytes))).await,
        // The import's form says so on its page, as it says any other problem with the file.
        Err(BodyProblem::TooLarge { read_to_end: true }) if limit == MAX_IMPORT_BYTES => {
            let mut request = Request::from_parts(parts, Body::empty());
            request.extensions_mut().insert(BodyTooLarge);
            next.run(request).await
        }
        Err(BodyProblem::TooLarge { read_to_end }) => {
            let message = format!("The request is too large: at most {} KiB.", limit / 1024);
            let mut response = (StatusCode::PAYLOAD_TOO_LARGE, message).into_response();
            if !read_to_end {
                response.headers_mut().insert(header::CONNECTION, HeaderValue::from_static("close"));
            }
            response
        }
        Err(BodyProblem::Unreadable) => {
            (StatusCode::BAD_REQUEST, "The request body could not be read.").into_response()
        }
    }
}

/// Reads and throws away a request body, within the same bounds, for an answer given outside
/// the router (the Worker's "not configured" page).
pub async fn discard_body(body: Body) {
    let _ = read_whole(body, MAX_BODY_BYTES).await;
}

enum BodyProblem {
    /// Over the limit; `read_to_end` when the rest was read and discarded.
    TooLarge {
        read_to_end: bool,
    },
    Unreadable,
}

async fn read_whole(mut body: Body, limit: usize) -> Result<Bytes, BodyProblem> {
    let mut kept = Vec::new();
    let mut seen = 0usize;
    while let Some(frame) = body.frame().await {
        let Ok(data) = frame.map_err(|_| BodyProblem::Unreadable)?.into_data() else { continue };
        seen += data.len();
        if seen > MAX_DISCARDED_BYTES {
            return Err(BodyProblem::TooLarge { read_to_end: false });
        }
        if seen <= limit {
            kept.extend_from_slice(&data);
        }
    }
    if seen > limit { Err(BodyProblem::TooLarge { read_to_end: true }) } else { Ok(kept.into()) }
}

/// The one origin state-changing requests may come from: the configured public base URL.
#[derive(Clone)]
pub struct AllowedOrigin(pub Arc<str>);

/// Leptos server functions have no CSRF protection of their own. A state-changing request
/// is refused when the browser says it is cross-site, or names another origin.
///
/// One exception: forms on a page with `Referrer-Policy: no-referrer` (the token pages)
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

/// The pages whose address carries a secret: a token of an invitation, a staff invitation,
/// a password reset or a sign-up's confirmation. Each page's path begins with one of these
/// and ends with the token. They send no Referer anywhere (and, as every page, are never
/// stored); a test lists every route with a `token` segment and requires it here.
pub const TOKEN_PAGES: &[&str] = &["/invite/", "/join-staff/", "/reset-password/", "/join/confirm/"];

/// Whether `path` is one of the `TOKEN_PAGES` (with or without a token after the prefix).
pub fn carries_token(path: &str) -> bool {
    TOKEN_PAGES.iter().any(|prefix| path.starts_with(prefix))
}

/// Headers for every response, static files included. Token pages (`TOKEN_PAGES`) carry
/// their secret in the URL: they send no Referer anywhere. Pages are never stored by a cache; the hydrate
/// bundle's content-hashed files are kept for a year (edge/_headers says the same for the
/// Worker's).
///
/// Pages get a Content-Security-Policy with a fresh nonce, which Leptos puts on the scripts
/// it writes (hydration, streamed data): no other script runs, the WASM may compile, nothing
/// loads from elsewhere, no site may frame us. `reload_port`: `make watch`'s live reload.
pub async fn security_headers(State(reload_port): State<Option<u32>>, mut request: Request, next: Next) -> Response {
    let path = request.uri().path();
    let is_token_page = carries_token(path);
    let is_static = path.starts_with("/pkg/");
    let cache = cache_control(path);
    let nonce = (!is_static && !path.starts_with(API_PREFIX)).then(Nonce::new);
    if let Some(nonce) = &nonce {
        request.extensions_mut().insert(nonce.clone());
    }
    let mut response = next.run(request).await;
    let headers = response.headers_mut();
    let referrer = if is_token_page { "no-referrer" } else { "same-origin" };
    headers.insert(header::REFERRER_POLICY, HeaderValue::from_static(referrer));
    headers.insert(header::X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff"));
    // A response with a policy and framing of its own (the e-mail preview, a logo) keeps them.
    headers.entry(header::X_FRAME_OPTIONS).or_insert(HeaderValue::from_static("DENY"));
    if !headers.contains_key(header::CONTENT_SECURITY_POLICY) {
        let policy = match &nonce {
            Some(nonce) => page_policy(nonce, reload_port),
            None => NOTHING_BUT_THIS.to_owned(),
        };
        if let Ok(policy) = HeaderValue::from_str(&policy) {
            headers.insert(header::CONTENT_SECURITY_POLICY, policy);
        }
    }
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static(cache));
    response
}

/// Pages and server function answers may carry personal data: never stored. The bundle's
/// files, named after their content, may be kept for good; other static files are checked
/// again on each use.
fn cache_control(path: &str) -> &'static str {
    if path.starts_with("/logo/") {
        // Its address names its content (`brand`): a new logo is a new address.
        return "public, max-age=31536000, immutable";
    }
    match path.strip_prefix("/pkg/") {
        None => "no-store",
        Some(file) if is_content_addressed(file) => "public, max-age=31536000, immutable",
        Some(_) => "no-cache",
    }
}

const UNHASHED_BUNDLE: &str = "portico";

/// The hydrate bundle's name as `tools/publish-front.mjs` wrote it to `bundle-name`:
/// `portico-<16 hex digits>`, the files `/pkg/<name>.js`, `.wasm` and `.css`. Anything else
/// (no file, or not a name `make front` writes) is `portico`.
pub fn bundle_name(published: Option<&str>) -> String {
    published.map(str::trim).filter(|name| is_hashed_bundle(name)).unwrap_or(UNHASHED_BUNDLE).to_owned()
}

fn is_hashed_bundle(name: &str) -> bool {
    name.strip_prefix("portico-")
        .is_some_and(|hash| hash.len() == 16 && hash.bytes().all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f')))
}

/// One of the bundle's files under its published name (`portico-<hash>.wasm`, …).
fn is_content_addressed(file: &str) -> bool {
    file.rsplit_once('.')
        .is_some_and(|(name, extension)| is_hashed_bundle(name) && matches!(extension, "js" | "wasm" | "css"))
}

/// For what is not a page (static files, server function answers): nothing may run or be
/// framed. Also in edge/_headers, for the Worker's static files.
const NOTHING_BUT_THIS: &str = "default-src 'none'; frame-ancestors 'none'";

fn page_policy(nonce: &Nonce, reload_port: Option<u32>) -> String {
    let reload = reload_port.map(|port| format!(" ws://127.0.0.1:{port} ws://localhost:{port}")).unwrap_or_default();
    format!(
        "default-src 'self'; script-src 'self' 'nonce-{nonce}' 'wasm-unsafe-eval'; style-src 'self'; \
         img-src 'self' data:; connect-src 'self'{reload}; object-src 'none'; base-uri 'none'; \
         form-action 'self'; frame-ancestors 'none'"
    )
}
