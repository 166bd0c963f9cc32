//! Invitations: a contact's latest one read, made and sent, sent again, revoked; all of
//! the organisation's listed by status.

use axum::body::Bytes;
use axum::extract::{Path, State};
use http::{HeaderMap, StatusCode, Uri};
use serde::{Deserialize, Serialize};

use super::{API_V1, Answer, Done, Params, Problem, key_of, once, read_json, record_id, write_to, writer};
use crate::domain::dates::rfc3339;
use crate::domain::{Email, InvitationState, PersonalMessage};
use crate::error::{AppError, FormErrors};
use crate::ports::AppState;
use crate::request::limits::{RESENDS_PER_MEMBER, attempt};
use crate::service::api_keys::KeyScope;
use crate::service::invitations::{self, Wording, invite, resend_address, visible_contact};
use crate::store::members;

/// A contact's latest invitation, as the API gives it.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Serialize)]
pub(super) struct Invitation {
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

pub(super) fn invitation_of(contact: &members::ContactRow, now: i64) -> Option<Invitation> {
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

/// `GET /api/v1/contacts/{id}/invitation`: the contact's latest invitation.
#[cfg_attr(
    feature = "openapi",
    utoipa::path(
        get, path = "/api/v1/contacts/{id}/invitation", tag = "invitations",
        params(("id" = i64, Path)),
        responses((status = 200, body = Invitation)),
    )
)]
pub(super) async fn get(State(state): State<AppState>, Path(id): Path<String>, headers: HeaderMap) -> Answer {
    let key = key_of(&state, &headers).await?;
    let id = record_id(&id)?;
    let contact = visible_contact(&state, &key.scope, id).await?;
    let invitation = invitation_of(&contact, state.clock.now())
        .ok_or_else(|| Problem::new(StatusCode::NOT_FOUND, "This contact was never invited."))?;
    Ok(Done::changed(&invitation).response())
}

#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
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
#[cfg_attr(
    feature = "openapi",
    utoipa::path(
        post, path = "/api/v1/invitations", tag = "invitations",
        request_body = NewInvitationBody,
        responses((status = 201, body = Invitation)),
    )
)]
pub(super) async fn create(State(state): State<AppState>, headers: HeaderMap, body: Bytes) -> Answer {
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
#[cfg_attr(
    feature = "openapi",
    utoipa::path(
        post, path = "/api/v1/contacts/{id}/invitation/resend", tag = "invitations",
        params(("id" = i64, Path)),
        responses((status = 200, body = Invitation)),
    )
)]
pub(super) async fn resend(State(state): State<AppState>, Path(id): Path<String>, headers: HeaderMap) -> Answer {
    let (key, id, request) = write_to(&state, &headers, "POST", "/contacts/{id}/invitation/resend", &id).await?;
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
#[cfg_attr(
    feature = "openapi",
    utoipa::path(
        post, path = "/api/v1/contacts/{id}/invitation/revoke", tag = "invitations",
        params(("id" = i64, Path)),
        responses((status = 200, body = Invitation)),
    )
)]
pub(super) async fn revoke(State(state): State<AppState>, Path(id): Path<String>, headers: HeaderMap) -> Answer {
    let (key, id, request) = write_to(&state, &headers, "POST", "/contacts/{id}/invitation/revoke", &id).await?;
    once(&state, &key, &request, &headers, &[], async {
        visible_contact(&state, &key.scope, id).await?;
        invitations::revoke(&state, &key.scope, id).await?;
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

#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Serialize)]
struct InvitationPage {
    data: Vec<Invitation>,
    /// Give it as `after` for the next page; `null` on the last one.
    next_cursor: Option<String>,
}

/// `GET /api/v1/invitations?status=&limit=&after=`: each contact's latest invitation, in
/// the state asked (`pending`, `accepted`, `expired`, `revoked`, `declined`; all when left
/// out), in pages.
#[cfg_attr(
    feature = "openapi",
    utoipa::path(
        get, path = "/api/v1/invitations", tag = "invitations",
        params(
            ("status" = Option<String>, Query, description = "pending, accepted, expired, revoked or declined"),
            super::Page,
        ),
        responses((status = 200, body = InvitationPage)),
    )
)]
pub(super) async fn list(State(state): State<AppState>, headers: HeaderMap, uri: Uri) -> Answer {
    let key = key_of(&state, &headers).await?;
    let params = Params::of(&uri, &["status", "limit", "after"])?;
    let limit = params.limit()?;
    let after = params.after()?.unwrap_or(0);
    let status = match params.get("status") {
        "" => None,
        slug => Some(InvitationState::from_slug(slug).ok_or_else(|| {
            AppError::invalid("status", "`status` is one of pending, accepted, expired, revoked, declined.")
        })?),
    };
    let now = state.clock.now();
    let mut rows =
        members::contacts_by_invitation(state.db.as_ref(), &key.scope, status, after, limit + 1, now).await?;
    let more = rows.len() as i64 > limit;
    rows.truncate(limit as usize);
    let next_cursor = more.then(|| rows.last().map(|row| row.id.to_string())).flatten();
    let data = rows.iter().filter_map(|row| invitation_of(row, now)).collect();
    Ok(Done::changed(&InvitationPage { data, next_cursor }).response())
}
