//! `/api/v1`: the API other systems call with a key (`Authorization: Bearer pk_live_…`, made
//! on the API keys page). JSON in and out; every error is `application/problem+json`
//! (RFC 9457), with a field list when the input was wrong. Cookies never authenticate here,
//! so the pages' cross-site rules have nothing to protect. A POST with an
//! `Idempotency-Key` header is answered once: a retry within 24 hours gets the same answer
//! and does nothing twice.

use axum::Router;
use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::response::{IntoResponse, Response};
use axum::routing::{any, get, post};
use http::{HeaderMap, HeaderValue, StatusCode, Uri, header};
use serde::Deserializer;
use serde::{Deserialize, Serialize};

use crate::domain::api_key::bearer_key;
use crate::domain::dates::{DAY, rfc3339};
use crate::domain::{Email, PersonalMessage, PortalStatus};
use crate::error::{AppError, FieldError, FormErrors};
use crate::ports::AppState;
use crate::records::MemberListQuery;
use crate::request::limits::{API_REQUESTS_PER_KEY, RESENDS_PER_MEMBER, attempt};
use crate::service::api_keys::{KeyScope, authenticate};
use crate::service::invitations::{Wording, invite, resend_address, revoke, visible_contact};
use crate::service::members::member_fields;
use crate::store::member_list::{self, ListQuery};
use crate::store::{events, idempotency, members};

pub const API_V1: &str = "/api/v1";
/// Members a page holds unless `limit` says otherwise, and at most.
const DEFAULT_LIMIT: i64 = 50;
const MAX_LIMIT: i64 = 100;

pub fn routes(state: AppState) -> Router {
    Router::new()
        .route("/api/v1/members", get(list_members).post(create_member).fallback(method_not_allowed))
        .route("/api/v1/members/{id}", get(get_member).patch(update_member).fallback(method_not_allowed))
        .route("/api/v1/events", get(list_events).fallback(method_not_allowed))
        .route("/api/v1/members/{id}/contacts", get(list_contacts).fallback(method_not_allowed))
        .route("/api/v1/contacts/{id}/invitation", get(get_invitation).fallback(method_not_allowed))
        .route("/api/v1/invitations", post(create_invitation).fallback(method_not_allowed))
        .route("/api/v1/contacts/{id}/invitation/resend", post(resend_invitation).fallback(method_not_allowed))
        .route("/api/v1/contacts/{id}/invitation/revoke", post(revoke_invitation).fallback(method_not_allowed))
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

#[derive(Serialize)]
struct ProblemBody<'a> {
    r#type: &'static str,
    title: &'a str,
    status: u16,
    detail: &'a str,
    #[serde(skip_serializing_if = "<[FieldError]>::is_empty")]
    errors: &'a [FieldError],
}

impl Problem {
    fn new(status: StatusCode, detail: impl Into<String>) -> Self {
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

type Answer = Result<Response, Problem>;

/// The key the request carries, live, within its rate limit.
async fn key_of(state: &AppState, headers: &HeaderMap) -> Result<KeyScope, Problem> {
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

fn writer(key: &KeyScope) -> Result<(), Problem> {
    if key.holder.may_write {
        return Ok(());
    }
    Err(Problem::new(StatusCode::FORBIDDEN, "This key may only read: make a key that may read and write."))
}

/// A member as the API gives them in a list.
#[derive(Serialize)]
struct MemberSummary {
    id: i64,
    first_name: String,
    last_name: String,
    email: Option<String>,
    status: &'static str,
    invited_at: Option<String>,
    last_login_at: Option<String>,
}

#[derive(Serialize)]
struct MemberPage {
    data: Vec<MemberSummary>,
    /// Give it as `after` for the next page; `null` on the last one.
    next_cursor: Option<String>,
}

/// `GET /api/v1/members?q=&status=&limit=&after=`: members by name, in pages.
async fn list_members(State(state): State<AppState>, headers: HeaderMap, uri: Uri) -> Answer {
    let key = key_of(&state, &headers).await?;
    let params = Params::of(&uri, &["q", "status", "limit", "after"])?;
    let limit = params.limit()?;
    let after = params.after()?;
    let query = MemberListQuery::parse(params.get("q"), params.get("status"), "", after)?;
    let list_query =
        ListQuery { search: query.q, status: query.status, sort: query.sort, after, not_registered: false };
    let now = state.clock.now();
    let mut rows = member_list::page(state.db.as_ref(), &key.scope, &list_query, limit + 1, now).await?;
    let more = rows.len() as i64 > limit;
    rows.truncate(limit as usize);
    let next_cursor = more.then(|| rows.last().map(|row| row.id.to_string())).flatten();
    let moment = |at: i64| (at > 0).then(|| rfc3339(at));
    let data = rows
        .into_iter()
        .map(|row| MemberSummary {
            status: PortalStatus::from_standing(&row.standing, row.standing_expires_at, now)
                .unwrap_or(PortalStatus::NotInvited)
                .slug(),
            invited_at: moment(row.latest_invited_at),
            last_login_at: moment(row.latest_login_at),
            id: row.id,
            first_name: row.first_name,
            last_name: row.last_name,
            email: row.email,
        })
        .collect();
    Ok(Done::changed(&MemberPage { data, next_cursor }).response())
}

/// A member's own details.
#[derive(Serialize)]
struct Member {
    id: i64,
    first_name: String,
    last_name: String,
    email: Option<String>,
    phone: Option<String>,
    address: Option<String>,
}

/// `GET /api/v1/members/{id}`.
async fn get_member(State(state): State<AppState>, Path(id): Path<String>, headers: HeaderMap) -> Answer {
    let key = key_of(&state, &headers).await?;
    let id = record_id(&id)?;
    Ok(Done::changed(&member(&state, &key, id).await?).response())
}

async fn member(state: &AppState, key: &KeyScope, id: i64) -> Result<Member, Problem> {
    let found = members::member(state.db.as_ref(), &key.scope, id).await?.ok_or(AppError::NotFound)?;
    Ok(Member {
        id: found.id,
        first_name: found.first_name,
        last_name: found.last_name,
        email: found.email,
        phone: found.phone,
        address: found.address,
    })
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct NewMemberBody {
    first_name: String,
    last_name: String,
    #[serde(default)]
    email: Option<String>,
    #[serde(default)]
    phone: Option<String>,
    #[serde(default)]
    address: Option<String>,
}

/// `POST /api/v1/members`: adds a member (a key that may write), on their timeline with the
/// key's name; 201 with the member and its address.
async fn create_member(State(state): State<AppState>, headers: HeaderMap, body: Bytes) -> Answer {
    let key = key_of(&state, &headers).await?;
    writer(&key)?;
    once(&state, &key, "POST /api/v1/members", &headers, &body, async {
        let fields: NewMemberBody = read_json(&headers, &body)?;
        let text = |field: &Option<String>| field.clone().unwrap_or_default();
        let new = member_fields(
            &fields.first_name,
            &fields.last_name,
            &text(&fields.email),
            &text(&fields.phone),
            &text(&fields.address),
        )?;
        let now = state.clock.now();
        let id = members::insert_member(state.db.as_ref(), &key.scope, &new, Some(&key.holder.name), now).await?;
        let created = member(&state, &key, id).await?;
        Ok(Done::created(format!("{API_V1}/members/{id}"), &created))
    })
    .await
}

/// Fields a PATCH may give: one left out stays as it is; `null` (or "") clears an optional
/// one.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct MemberChanges {
    #[serde(default, deserialize_with = "given")]
    first_name: Option<Option<String>>,
    #[serde(default, deserialize_with = "given")]
    last_name: Option<Option<String>>,
    #[serde(default, deserialize_with = "given")]
    email: Option<Option<String>>,
    #[serde(default, deserialize_with = "given")]
    phone: Option<Option<String>>,
    #[serde(default, deserialize_with = "given")]
    address: Option<Option<String>>,
}

/// A field that is in the body, `null` or not.
fn given<'de, D: Deserializer<'de>>(field: D) -> Result<Option<Option<String>>, D::Error> {
    Option::<String>::deserialize(field).map(Some)
}

/// `PATCH /api/v1/members/{id}`: changes what the body gives, by the edit page's rules (a
/// new e-mail revokes the pending invitation, which went to the old one); 200 with the
/// member.
async fn update_member(
    State(state): State<AppState>,
    Path(id): Path<String>,
    headers: HeaderMap,
    body: Bytes,
) -> Answer {
    let key = key_of(&state, &headers).await?;
    writer(&key)?;
    let id = record_id(&id)?;
    let request = format!("PATCH {API_V1}/members/{id}");
    once(&state, &key, &request, &headers, &body, async {
        let changes: MemberChanges = read_json(&headers, &body)?;
        let db = state.db.as_ref();
        let current = members::member(db, &key.scope, id).await?.ok_or(AppError::NotFound)?;
        let pick = |change: &Option<Option<String>>, now: Option<&str>| match change {
            Some(given) => given.clone().unwrap_or_default(),
            None => now.unwrap_or_default().to_owned(),
        };
        let new = member_fields(
            &pick(&changes.first_name, Some(&current.first_name)),
            &pick(&changes.last_name, Some(&current.last_name)),
            &pick(&changes.email, current.email.as_deref()),
            &pick(&changes.phone, current.phone.as_deref()),
            &pick(&changes.address, current.address.as_deref()),
        )?;
        let now = state.clock.now();
        if !members::update_member(db, &key.scope, id, &new, current.is_primary, now).await? {
            return Err(AppError::NotFound.into());
        }
        Ok(Done::changed(&member(&state, &key, id).await?))
    })
    .await
}

/// An event of the organisation's timeline, as the API gives it.
#[derive(Serialize)]
struct Event {
    /// Give the last one's as `after` to hear only what happened since.
    id: i64,
    kind: String,
    member_id: Option<i64>,
    contact_id: Option<i64>,
    at: String,
    /// In the words of the timeline staff read.
    text: String,
}

#[derive(Serialize)]
struct EventPage {
    data: Vec<Event>,
    /// The cursor to ask from next time: the last event's id (the request's `after` when
    /// there was nothing new).
    next_cursor: String,
    /// More events are waiting beyond this page.
    has_more: bool,
}

/// `GET /api/v1/events?after=&limit=`: what happened since the cursor (invitations sent,
/// delivered, accepted, declined, revoked; links; settings), oldest first.
async fn list_events(State(state): State<AppState>, headers: HeaderMap, uri: Uri) -> Answer {
    let key = key_of(&state, &headers).await?;
    let params = Params::of(&uri, &["after", "limit"])?;
    let limit = params.limit()?;
    let after = params.after()?.unwrap_or(0);
    if after < 0 {
        return Err(bad_cursor().into());
    }
    let mut rows = events::since(state.db.as_ref(), key.scope.organisation_id, after, limit + 1).await?;
    let has_more = rows.len() as i64 > limit;
    rows.truncate(limit as usize);
    let next_cursor = rows.last().map_or(after, |row| row.id).to_string();
    let data = rows
        .into_iter()
        .map(|row| Event {
            text: row.text(),
            id: row.id,
            member_id: row.member_id,
            contact_id: row.contact_id,
            at: rfc3339(row.at),
            kind: row.kind,
        })
        .collect();
    Ok(Done::changed(&EventPage { data, next_cursor, has_more }).response())
}

/// A contact's latest invitation, as the API gives it.
#[derive(Serialize)]
struct Invitation {
    contact_id: i64,
    member_id: i64,
    email: String,
    /// `pending`, `accepted`, `expired`, `revoked` or `declined`.
    status: &'static str,
    sent_at: String,
    expires_at: String,
    accepted_at: Option<String>,
    declined_at: Option<String>,
    revoked_at: Option<String>,
}

fn invitation_of(contact: &members::ContactRow, now: i64) -> Option<Invitation> {
    let facts = contact.latest_invitation()?;
    Some(Invitation {
        contact_id: contact.id,
        member_id: contact.member_id,
        email: contact.invitation_email.clone().unwrap_or_default(),
        status: facts.state(now).slug(),
        sent_at: rfc3339(facts.created_at),
        expires_at: rfc3339(facts.expires_at),
        accepted_at: facts.accepted_at.map(rfc3339),
        declined_at: facts.declined_at.map(rfc3339),
        revoked_at: facts.revoked_at.map(rfc3339),
    })
}

/// One of a member's people: the member themself, or a representative.
#[derive(Serialize)]
struct Contact {
    id: i64,
    is_member: bool,
    first_name: String,
    last_name: String,
    relation: Option<String>,
    email: Option<String>,
    primary: bool,
    has_login: bool,
    invitation: Option<Invitation>,
}

/// `GET /api/v1/members/{id}/contacts`: the member and their representatives, each with
/// their latest invitation.
async fn list_contacts(State(state): State<AppState>, Path(id): Path<String>, headers: HeaderMap) -> Answer {
    let key = key_of(&state, &headers).await?;
    let id = record_id(&id)?;
    let contacts = members::contacts_of(state.db.as_ref(), &key.scope, id).await?;
    // Every member has their own contact: none means no such member for this key.
    if contacts.is_empty() {
        return Err(AppError::NotFound.into());
    }
    let now = state.clock.now();
    let data: Vec<Contact> = contacts
        .into_iter()
        .map(|c| Contact {
            invitation: invitation_of(&c, now),
            id: c.id,
            is_member: c.is_self,
            has_login: c.login_user_id.is_some(),
            first_name: c.first_name,
            last_name: c.last_name,
            relation: c.relation,
            email: c.email,
            primary: c.is_primary,
        })
        .collect();
    Ok(Done::changed(&serde_json::json!({ "data": data })).response())
}

/// `GET /api/v1/contacts/{id}/invitation`: the contact's latest invitation.
async fn get_invitation(State(state): State<AppState>, Path(id): Path<String>, headers: HeaderMap) -> Answer {
    let key = key_of(&state, &headers).await?;
    let id = record_id(&id)?;
    let contact = visible_contact(&state, &key.scope, id).await?;
    let invitation = invitation_of(&contact, state.clock.now())
        .ok_or_else(|| Problem::new(StatusCode::NOT_FOUND, "This contact was never invited."))?;
    Ok(Done::changed(&invitation).response())
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct NewInvitationBody {
    /// The member's own contact…
    #[serde(default)]
    member_id: Option<i64>,
    /// …or any contact of a member (a representative).
    #[serde(default)]
    contact_id: Option<i64>,
    /// Where it goes; the contact's e-mail when left out.
    #[serde(default)]
    email: Option<String>,
    #[serde(default)]
    message: Option<String>,
    /// A template of the organisation's; its built-in words when left out.
    #[serde(default)]
    template_id: Option<i64>,
}

/// `POST /api/v1/invitations`: invites a member (or a contact of one) and sends the e-mail,
/// by the profile's rules: someone with a login is not invited again; a new invitation
/// ends the earlier link (after a decline, it is the reinvitation). 201 with the invitation.
async fn create_invitation(State(state): State<AppState>, headers: HeaderMap, body: Bytes) -> Answer {
    let key = key_of(&state, &headers).await?;
    writer(&key)?;
    once(&state, &key, "POST /api/v1/invitations", &headers, &body, async {
        let asked: NewInvitationBody = read_json(&headers, &body)?;
        let contact_id = match (asked.member_id, asked.contact_id) {
            (Some(member_id), None) => {
                members::contacts_of(state.db.as_ref(), &key.scope, member_id)
                    .await?
                    .into_iter()
                    .find(|c| c.is_self)
                    .ok_or(AppError::NotFound)?
                    .id
            }
            (None, Some(contact_id)) => contact_id,
            _ => {
                let message = "Give either `member_id` (the member themself) or `contact_id` (a representative).";
                return Err(AppError::invalid("member_id", message).into());
            }
        };
        let contact = visible_contact(&state, &key.scope, contact_id).await?;
        let typed = asked.email.or_else(|| contact.email.clone()).unwrap_or_default();
        let message = asked.message.unwrap_or_default();
        let mut form = FormErrors::default();
        let to = form.check("email", &typed, Email::parse(&typed));
        let note = form.check("message", &message, PersonalMessage::parse(&message));
        let (to, note) = form.finish(|| Some((to?, note?)))?;
        let wording =
            Wording::chosen(&state, &key.scope, asked.template_id.unwrap_or(0), note.map(|n| n.as_str().to_owned()))
                .await?;
        invite(&state, &key.scope, &contact, &to, &wording).await?;
        let invitation = latest_invitation(&state, &key, contact_id).await?;
        Ok(Done::created(format!("{API_V1}/contacts/{contact_id}/invitation"), &invitation))
    })
    .await
}

/// `POST /api/v1/contacts/{id}/invitation/resend`: a fresh link to the address of the
/// current invitation, in its words; the one sent before stops working. Refused after a
/// decline (invite again with `POST /api/v1/invitations`) and, as on the profile, past three
/// resends a member in 15 minutes.
async fn resend_invitation(State(state): State<AppState>, Path(id): Path<String>, headers: HeaderMap) -> Answer {
    let key = key_of(&state, &headers).await?;
    writer(&key)?;
    let id = record_id(&id)?;
    let request = format!("POST {API_V1}/contacts/{id}/invitation/resend");
    once(&state, &key, &request, &headers, &[], async {
        let contact = visible_contact(&state, &key.scope, id).await?;
        if contact.latest_invitation().is_none() {
            return Err(Problem::new(StatusCode::NOT_FOUND, "This contact was never invited."));
        }
        let to = resend_address(&contact, state.clock.now(), &key.scope.zone)?;
        attempt(&state, &RESENDS_PER_MEMBER, &contact.member_id.to_string()).await?;
        invite(&state, &key.scope, &contact, &to, &Wording::of_latest_invitation(&contact)).await?;
        Ok(Done::changed(&latest_invitation(&state, &key, id).await?))
    })
    .await
}

/// `POST /api/v1/contacts/{id}/invitation/revoke`: the pending invitation ends; its link
/// stops working at once.
async fn revoke_invitation(State(state): State<AppState>, Path(id): Path<String>, headers: HeaderMap) -> Answer {
    let key = key_of(&state, &headers).await?;
    writer(&key)?;
    let id = record_id(&id)?;
    let request = format!("POST {API_V1}/contacts/{id}/invitation/revoke");
    once(&state, &key, &request, &headers, &[], async {
        visible_contact(&state, &key.scope, id).await?;
        revoke(&state, &key.scope, id).await?;
        Ok(Done::changed(&latest_invitation(&state, &key, id).await?))
    })
    .await
}

/// The contact's latest invitation as it stands now.
async fn latest_invitation(state: &AppState, key: &KeyScope, contact_id: i64) -> Result<Invitation, Problem> {
    let contact = visible_contact(state, &key.scope, contact_id).await?;
    invitation_of(&contact, state.clock.now())
        .ok_or_else(|| Problem::new(StatusCode::NOT_FOUND, "This contact was never invited."))
}

/// What a write did: its status, the address of what it made, and the record as JSON.
struct Done {
    status: StatusCode,
    location: Option<String>,
    body: String,
}

impl Done {
    fn created(location: String, record: &impl Serialize) -> Self {
        let body = serde_json::to_string(record).unwrap_or_default();
        Self { status: StatusCode::CREATED, location: Some(location), body }
    }

    fn changed(record: &impl Serialize) -> Self {
        Self { status: StatusCode::OK, location: None, body: serde_json::to_string(record).unwrap_or_default() }
    }

    fn response(self) -> Response {
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
async fn once(
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
        detail: &problem.detail,
        errors: &problem.errors,
    };
    serde_json::to_string(&body).unwrap_or_default()
}

/// The body as JSON of the expected shape; anything else is the client's mistake, named.
fn read_json<T: for<'de> Deserialize<'de>>(headers: &HeaderMap, body: &[u8]) -> Result<T, Problem> {
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
struct Params(Vec<(String, String)>);

impl Params {
    fn of(uri: &Uri, known: &[&str]) -> Result<Self, Problem> {
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
    fn after(&self) -> Result<Option<i64>, AppError> {
        match self.get("after") {
            "" => Ok(None),
            text => text.parse::<i64>().map(Some).map_err(|_| bad_cursor()),
        }
    }

    /// `limit`: how many a page holds.
    fn limit(&self) -> Result<i64, AppError> {
        match self.get("limit") {
            "" => Ok(DEFAULT_LIMIT),
            text => text.parse::<i64>().ok().filter(|n| (1..=MAX_LIMIT).contains(n)).ok_or_else(|| {
                AppError::invalid("limit", &format!("`limit` is a whole number from 1 to {MAX_LIMIT}."))
            }),
        }
    }

    fn get(&self, name: &str) -> &str {
        self.0.iter().find(|(k, _)| k == name).map_or("", |(_, v)| v.as_str())
    }
}

/// A record's id in a path; anything but a number is no such record.
fn record_id(id: &str) -> Result<i64, AppError> {
    id.parse::<i64>().map_err(|_| AppError::NotFound)
}

fn bad_cursor() -> AppError {
    AppError::invalid("after", "`after` is the `next_cursor` of the page before, as it was given.")
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
