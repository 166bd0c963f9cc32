//! `/api/v1`: the API other systems call with a key (`Authorization: Bearer pk_live_…`, made
//! on the API keys page). JSON in and out; every error is `application/problem+json`
//! (RFC 9457), with a field list when the input was wrong. Cookies never authenticate here,
//! so the pages' cross-site rules have nothing to protect. A POST with an
//! `Idempotency-Key` header is answered once: a retry within 24 hours gets the same answer
//! and does nothing twice.

mod contacts;
mod events;
mod invitations;
mod members;
#[cfg(feature = "openapi")]
pub mod openapi;
mod rounds;

use axum::Router;
use axum::response::{IntoResponse, Response};
use axum::routing::{any, delete, get, post};
use http::{HeaderMap, HeaderValue, StatusCode, Uri, header};
use serde::{Deserialize, Serialize};

use crate::domain::api_key::bearer_key;
use crate::domain::dates::DAY;
use crate::error::{AppError, FieldError};
use crate::ports::AppState;
use crate::request::limits::{API_REQUESTS_PER_KEY, attempt};
use crate::service::api_keys::{KeyScope, authenticate};
use crate::store::idempotency;

pub const API_V1: &str = "/api/v1";
/// Records a page holds unless `limit` says otherwise, and at most.
const DEFAULT_LIMIT: i64 = 50;
const MAX_LIMIT: i64 = 100;

pub fn routes(state: AppState) -> Router {
    Router::new()
        .route("/api/v1/members", get(members::list).post(members::create).fallback(method_not_allowed))
        .route("/api/v1/members/{id}", get(members::get).patch(members::update).fallback(method_not_allowed))
        .route("/api/v1/members/{id}/archive", post(members::archive).fallback(method_not_allowed))
        .route("/api/v1/members/{id}/restore", post(members::restore).fallback(method_not_allowed))
        .route("/api/v1/members/{id}/contacts", get(contacts::list).post(contacts::create).fallback(method_not_allowed))
        .route("/api/v1/contacts/{id}", delete(contacts::remove).patch(contacts::update).fallback(method_not_allowed))
        .route("/api/v1/contacts/{id}/invitation", get(invitations::get).fallback(method_not_allowed))
        .route("/api/v1/contacts/{id}/invitation/resend", post(invitations::resend).fallback(method_not_allowed))
        .route("/api/v1/contacts/{id}/invitation/revoke", post(invitations::revoke).fallback(method_not_allowed))
        .route("/api/v1/invitations", get(invitations::list).post(invitations::create).fallback(method_not_allowed))
        .route("/api/v1/rounds/dry-run", post(rounds::dry_run).fallback(method_not_allowed))
        .route("/api/v1/rounds", post(rounds::send).fallback(method_not_allowed))
        .route("/api/v1/rounds/{id}", get(rounds::get).fallback(method_not_allowed))
        .route("/api/v1/rounds/{id}/continue", post(rounds::resume).fallback(method_not_allowed))
        .route("/api/v1/events", get(events::list).fallback(method_not_allowed))
        .route("/api/v1/openapi.json", get(document).fallback(method_not_allowed))
        .route("/api/v1", any(no_such_route))
        .route("/api/v1/{*rest}", any(no_such_route))
        .with_state(state)
}

/// An error as RFC 9457 has it: `title` says what kind, `detail` what happened here, and
/// `errors` each field that was wrong.
#[derive(Debug)]
pub struct Problem {
    status: StatusCode,
    detail: String,
    errors: Vec<FieldError>,
    retry_after_seconds: Option<i64>,
}

#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Serialize)]
struct ProblemBody {
    /// Always `about:blank`: `title` and `status` say the kind.
    r#type: &'static str,
    title: &'static str,
    status: u16,
    detail: String,
    /// Each field that was wrong, when the input was.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    errors: Vec<FieldError>,
}

impl Problem {
    pub(super) fn new(status: StatusCode, detail: impl Into<String>) -> Self {
        Self { status, detail: detail.into(), errors: Vec::new(), retry_after_seconds: None }
    }
}

impl From<AppError> for Problem {
    fn from(error: AppError) -> Self {
        let status = StatusCode::from_u16(error.http_status()).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
        let detail = match &error {
            AppError::NotFound => "There is no such record in your organisation.".to_owned(),
            AppError::Invalid(_) => "Some fields are not valid: see `errors`.".to_owned(),
            other => other.to_string(),
        };
        let retry_after_seconds = match error {
            AppError::TooManyAttempts { minutes } => Some(minutes * 60),
            _ => None,
        };
        Self { status, detail, errors: error.field_errors(), retry_after_seconds }
    }
}

impl IntoResponse for Problem {
    fn into_response(self) -> Response {
        let mut response = (self.status, problem_body(&self)).into_response();
        let headers = response.headers_mut();
        headers.insert(header::CONTENT_TYPE, HeaderValue::from_static("application/problem+json"));
        if self.status == StatusCode::UNAUTHORIZED {
            headers.insert(header::WWW_AUTHENTICATE, HeaderValue::from_static("Bearer"));
        }
        if let Some(seconds) = self.retry_after_seconds {
            headers.insert(header::RETRY_AFTER, HeaderValue::from(seconds));
        }
        response
    }
}

pub(super) type Answer = Result<Response, Problem>;

/// The key the request carries, live, within its rate limit.
pub(super) async fn key_of(state: &AppState, headers: &HeaderMap) -> Result<KeyScope, Problem> {
    let unauthorized = |detail: &str| Problem::new(StatusCode::UNAUTHORIZED, detail);
    let Some(authorization) = headers.get(header::AUTHORIZATION) else {
        return Err(unauthorized(
            "Send your API key as `Authorization: Bearer pk_live_…` (make one on the API keys page).",
        ));
    };
    let key = authorization.to_str().ok().and_then(bearer_key).ok_or_else(|| {
        unauthorized("The Authorization header is not `Bearer` followed by an API key (`pk_live_…`).")
    })?;
    let holder = authenticate(state, key)
        .await?
        .ok_or_else(|| unauthorized("This API key is not valid: it was revoked, or never made."))?;
    attempt(state, &API_REQUESTS_PER_KEY, &holder.holder.id.to_string()).await?;
    Ok(holder)
}

/// A write to one record: the key (one that may write), the record's id from the path, and
/// the request as its Idempotency-Key is kept against (`"PATCH /api/v1/members/12"`, from
/// `path` with its `{id}`).
pub(super) async fn write_to(
    state: &AppState,
    headers: &HeaderMap,
    method: &str,
    path: &str,
    id: &str,
) -> Result<(KeyScope, i64, String), Problem> {
    let key = key_of(state, headers).await?;
    writer(&key)?;
    let id = record_id(id)?;
    let request = format!("{method} {API_V1}{}", path.replace("{id}", &id.to_string()));
    Ok((key, id, request))
}

pub(super) fn writer(key: &KeyScope) -> Result<(), Problem> {
    if key.holder.may_write {
        return Ok(());
    }
    Err(Problem::new(StatusCode::FORBIDDEN, "This key may only read: make a key that may read and write."))
}

/// What a write did: its status, the address of what it made, and the record as JSON.
pub(super) struct Done {
    status: StatusCode,
    location: Option<String>,
    body: String,
}

impl Done {
    pub(super) fn created(location: String, record: &impl Serialize) -> Self {
        let body = serde_json::to_string(record).unwrap_or_default();
        Self { status: StatusCode::CREATED, location: Some(location), body }
    }

    pub(super) fn changed(record: &impl Serialize) -> Self {
        Self { status: StatusCode::OK, location: None, body: serde_json::to_string(record).unwrap_or_default() }
    }

    pub(super) fn response(self) -> Response {
        let mut response = (self.status, self.body).into_response();
        let headers = response.headers_mut();
        let kind = if self.status.is_success() { "application/json" } else { "application/problem+json" };
        headers.insert(header::CONTENT_TYPE, HeaderValue::from_static(kind));
        if let Some(location) = self.location.and_then(|l| HeaderValue::from_str(&l).ok()) {
            headers.insert(header::LOCATION, location);
        }
        response
    }
}

/// Runs `work` once per `Idempotency-Key` (when the request has one): a retry with the same
/// key and body gets the first answer (an error included, except our own failures, which
/// may be retried); the same key with another body is refused.
pub(super) async fn once(
    state: &AppState,
    key: &KeyScope,
    request: &str,
    headers: &HeaderMap,
    body: &[u8],
    work: impl Future<Output = Result<Done, Problem>>,
) -> Answer {
    let Some(idempotency_key) = headers.get("idempotency-key") else {
        return Ok(answer_of(work.await));
    };
    let idempotency_key =
        idempotency_key.to_str().ok().map(str::trim).filter(|k| !k.is_empty() && k.len() <= 255).ok_or_else(|| {
            Problem::new(StatusCode::BAD_REQUEST, "An Idempotency-Key is 1 to 255 visible characters.")
        })?;
    let db = state.db.as_ref();
    let digest = crate::secrets::digest(&[request.as_bytes(), b"\n", body].concat());
    let now = state.clock.now();
    let key_id = key.holder.id;
    match idempotency::claim(db, key_id, idempotency_key, &digest, now, now - DAY).await? {
        None => {}
        Some(seen) if seen.request_digest != digest => {
            return Err(Problem::new(
                StatusCode::UNPROCESSABLE_ENTITY,
                "This Idempotency-Key was used with a different request: use a new key for a new request.",
            ));
        }
        Some(seen) => {
            let (Some(status), Some(body)) = (seen.status, seen.body) else {
                return Err(Problem::new(
                    StatusCode::CONFLICT,
                    "The first request with this Idempotency-Key is still being answered: retry in a moment.",
                ));
            };
            let status = StatusCode::from_u16(status).unwrap_or(StatusCode::OK);
            let mut response = Done { status, location: seen.location, body }.response();
            response.headers_mut().insert("idempotent-replayed", HeaderValue::from_static("true"));
            return Ok(response);
        }
    }
    let answered = work.await;
    match &answered {
        Ok(done) => {
            let (status, location) = (done.status.as_u16(), done.location.as_deref());
            idempotency::answer(db, key_id, idempotency_key, status, &done.body, location).await?
        }
        Err(problem) if problem.status.is_server_error() => idempotency::release(db, key_id, idempotency_key).await?,
        Err(problem) => {
            let body = problem_body(problem);
            idempotency::answer(db, key_id, idempotency_key, problem.status.as_u16(), &body, None).await?
        }
    }
    Ok(answer_of(answered))
}

fn answer_of(answered: Result<Done, Problem>) -> Response {
    match answered {
        Ok(done) => done.response(),
        Err(problem) => problem.into_response(),
    }
}

/// The problem as its JSON document says it.
fn problem_body(problem: &Problem) -> String {
    let body = ProblemBody {
        r#type: "about:blank",
        title: problem.status.canonical_reason().unwrap_or("Error"),
        status: problem.status.as_u16(),
        detail: problem.detail.clone(),
        errors: problem.errors.clone(),
    };
    serde_json::to_string(&body).unwrap_or_default()
}

/// The body as JSON of the expected shape; anything else is the client's mistake, named.
pub(super) fn read_json<T: for<'de> Deserialize<'de>>(headers: &HeaderMap, body: &[u8]) -> Result<T, Problem> {
    let is_json = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.split(';').next().is_some_and(|t| t.trim().eq_ignore_ascii_case("application/json")));
    if !is_json {
        return Err(Problem::new(
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "Send the body as JSON (`Content-Type: application/json`).",
        ));
    }
    serde_json::from_slice(body)
        .map_err(|error| Problem::new(StatusCode::BAD_REQUEST, format!("The JSON body could not be read: {error}.")))
}

/// A request's query parameters, each at most once and each one the route knows.
pub(super) struct Params(Vec<(String, String)>);

impl Params {
    pub(super) fn of(uri: &Uri, known: &[&str]) -> Result<Self, Problem> {
        let pairs: Vec<(String, String)> = form_urlencoded::parse(uri.query().unwrap_or_default().as_bytes())
            .map(|(k, v)| (k.into_owned(), v.into_owned()))
            .collect();
        for (i, (name, _)) in pairs.iter().enumerate() {
            if !known.contains(&name.as_str()) {
                return Err(Problem::new(
                    StatusCode::BAD_REQUEST,
                    format!("Unknown query parameter `{name}`; this route takes {}.", known.join(", ")),
                ));
            }
            if pairs[..i].iter().any(|(earlier, _)| earlier == name) {
                return Err(Problem::new(
                    StatusCode::BAD_REQUEST,
                    format!("The query parameter `{name}` is given twice."),
                ));
            }
        }
        Ok(Self(pairs))
    }

    /// `after`: the cursor a page before gave.
    pub(super) fn after(&self) -> Result<Option<i64>, AppError> {
        match self.get("after") {
            "" => Ok(None),
            text => text.parse::<i64>().map(Some).map_err(|_| bad_cursor()),
        }
    }

    /// `limit`: how many a page holds.
    pub(super) fn limit(&self) -> Result<i64, AppError> {
        match self.get("limit") {
            "" => Ok(DEFAULT_LIMIT),
            text => text.parse::<i64>().ok().filter(|n| (1..=MAX_LIMIT).contains(n)).ok_or_else(|| {
                AppError::invalid("limit", &format!("`limit` is a whole number from 1 to {MAX_LIMIT}."))
            }),
        }
    }

    pub(super) fn get(&self, name: &str) -> &str {
        self.0.iter().find(|(k, _)| k == name).map_or("", |(_, v)| v.as_str())
    }
}

/// A field a PATCH body gives, `null` or not (left out: `None`).
pub(super) fn given<'de, D: serde::Deserializer<'de>>(field: D) -> Result<Option<Option<String>>, D::Error> {
    Option::<String>::deserialize(field).map(Some)
}

/// A field's new text: as given (`null`: empty, cleared), else as it is now.
pub(super) fn pick(change: &Option<Option<String>>, now: Option<&str>) -> String {
    match change {
        Some(given) => given.clone().unwrap_or_default(),
        None => now.unwrap_or_default().to_owned(),
    }
}

/// The paging parameters of every list, as the document describes them.
#[cfg(feature = "openapi")]
#[derive(utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
#[allow(dead_code)]
struct Page {
    /// How many a page holds: 1 to 100; 50 when left out.
    limit: Option<i64>,
    /// The `next_cursor` of the page before; from the start when left out.
    after: Option<String>,
}

/// A record's id in a path; anything but a number is no such record.
pub(super) fn record_id(id: &str) -> Result<i64, AppError> {
    id.parse::<i64>().map_err(|_| AppError::NotFound)
}

pub(super) fn bad_cursor() -> AppError {
    AppError::invalid("after", "`after` is the `next_cursor` of the page before, as it was given.")
}

/// `GET /api/v1/openapi.json`: this API described (OpenAPI 3.1); no key needed.
#[cfg_attr(
    feature = "openapi",
    utoipa::path(
        get, path = "/api/v1/openapi.json", tag = "meta",
        responses((status = 200, description = "The OpenAPI 3.1 document", content_type = "application/json")),
    )
)]
async fn document() -> Response {
    let mut response = include_str!("openapi.json").into_response();
    response.headers_mut().insert(header::CONTENT_TYPE, HeaderValue::from_static("application/json"));
    response
}

async fn no_such_route() -> Problem {
    Problem::new(StatusCode::NOT_FOUND, "There is no such API route.")
}

async fn method_not_allowed() -> Problem {
    Problem::new(StatusCode::METHOD_NOT_ALLOWED, "This route does not take that method.")
}

impl From<crate::store::DbError> for Problem {
    fn from(error: crate::store::DbError) -> Self {
        AppError::from(error).into()
    }
}
