//! A member's people — the member themself and their representatives — listed, added,
//! changed and removed, by the profile page's rules.

use axum::body::Bytes;
use axum::extract::{Path, State};
use http::{HeaderMap, StatusCode};
use serde::{Deserialize, Serialize};

use super::invitations::{Invitation, invitation_of};
use super::{API_V1, Answer, Done, Problem, key_of, once, read_json, record_id, write_to};
use crate::error::AppError;
use crate::ports::AppState;
use crate::service::api_keys::KeyScope;
use crate::service::contacts::{
    Adding, add_representative, contact_fields, remove_representative, update_representative,
};
use crate::store::members::{self, ContactRow};

/// One of a member's people: the member themself, or a representative.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Serialize)]
pub(super) struct Contact {
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
#[cfg_attr(
    feature = "openapi",
    utoipa::path(
        get, path = "/api/v1/members/{id}/contacts", tag = "contacts",
        params(("id" = i64, Path)),
        responses((status = 200, body = ContactList)),
    )
)]
pub(super) async fn list(State(state): State<AppState>, Path(id): Path<String>, headers: HeaderMap) -> Answer {
    let key = key_of(&state, &headers).await?;
    let id = record_id(&id)?;
    let contacts = members::contacts_of(state.db.as_ref(), &key.scope, id).await?;
    // Every member has their own contact: none means no such member for this key.
    if contacts.is_empty() {
        return Err(AppError::NotFound.into());
    }
    let now = state.clock.now();
    let data: Vec<Contact> = contacts.into_iter().map(|c| Contact::of(c, now)).collect();
    Ok(Done::changed(&ContactList { data }).response())
}

#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Serialize)]
struct ContactList {
    /// The member themself first, then representatives in the order they were added.
    data: Vec<Contact>,
}

impl Contact {
    fn of(c: ContactRow, now: i64) -> Self {
        Self {
            invitation: invitation_of(&c, now),
            id: c.id,
            is_member: c.is_self,
            has_login: c.login_user_id.is_some(),
            first_name: c.first_name,
            last_name: c.last_name,
            relation: c.relation,
            email: c.email,
            primary: c.is_primary,
        }
    }
}

async fn contact(state: &AppState, key: &KeyScope, id: i64) -> Result<Contact, Problem> {
    let row = members::contact(state.db.as_ref(), &key.scope, id).await?.ok_or(AppError::NotFound)?;
    Ok(Contact::of(row, state.clock.now()))
}

#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct NewContactBody {
    first_name: String,
    last_name: String,
    /// "Mother", "Bookkeeper"…
    #[serde(default)]
    relation: Option<String>,
    #[serde(default)]
    email: Option<String>,
    #[serde(default)]
    primary: bool,
    /// Invite them to `email` at once.
    #[serde(default)]
    send_invitation: bool,
    /// When `email` is already on another profile: `true`, this is the same person (one
    /// login for both profiles); `false`, another person sharing the address.
    #[serde(default)]
    same_person: Option<bool>,
}

/// `POST /api/v1/members/{id}/contacts`: adds a representative; 201 with the contact. An
/// e-mail already on another profile is refused (422, field `same_person`) until the body
/// says whether this is the same person.
#[cfg_attr(
    feature = "openapi",
    utoipa::path(
        post, path = "/api/v1/members/{id}/contacts", tag = "contacts",
        request_body = NewContactBody,
        params(("id" = i64, Path)),
        responses((status = 201, body = Contact)),
    )
)]
pub(super) async fn create(
    State(state): State<AppState>,
    Path(id): Path<String>,
    headers: HeaderMap,
    body: Bytes,
) -> Answer {
    let (key, member_id, request) = write_to(&state, &headers, "POST", "/members/{id}/contacts", &id).await?;
    once(&state, &key, &request, &headers, &body, async {
        let asked: NewContactBody = read_json(&headers, &body)?;
        let text = |field: &Option<String>| field.clone().unwrap_or_default();
        let new = contact_fields(
            &asked.first_name,
            &asked.last_name,
            &text(&asked.relation),
            &text(&asked.email),
            asked.primary,
            asked.send_invitation,
        )?;
        match add_representative(&state, &key.scope, member_id, new, asked.same_person, asked.send_invitation).await? {
            Adding::AskSamePerson(person) => Err(AppError::invalid(
                "same_person",
                &format!(
                    "{} has this e-mail address on {}'s profile: send `same_person: true` if this is the same \
                     person (one login for both profiles), `false` if it is someone else.",
                    person.name, person.member_name
                ),
            )
            .into()),
            Adding::Added { contact_id, .. } => {
                let created = contact(&state, &key, contact_id).await?;
                Ok(Done::created(format!("{API_V1}/contacts/{contact_id}"), &created))
            }
        }
    })
    .await
}

#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ContactChanges {
    #[serde(default, deserialize_with = "super::given")]
    first_name: Option<Option<String>>,
    #[serde(default, deserialize_with = "super::given")]
    last_name: Option<Option<String>>,
    #[serde(default, deserialize_with = "super::given")]
    relation: Option<Option<String>>,
    #[serde(default, deserialize_with = "super::given")]
    email: Option<Option<String>>,
    #[serde(default)]
    primary: Option<bool>,
}

/// `PATCH /api/v1/contacts/{id}`: changes a representative (the member themself changes with
/// `PATCH /api/v1/members/{id}`); a new e-mail revokes their pending invitation. 200 with
/// the contact.
#[cfg_attr(
    feature = "openapi",
    utoipa::path(
        patch, path = "/api/v1/contacts/{id}", tag = "contacts",
        request_body = ContactChanges,
        params(("id" = i64, Path)),
        responses((status = 200, body = Contact)),
    )
)]
pub(super) async fn update(
    State(state): State<AppState>,
    Path(id): Path<String>,
    headers: HeaderMap,
    body: Bytes,
) -> Answer {
    let (key, id, request) = write_to(&state, &headers, "PATCH", "/contacts/{id}", &id).await?;
    once(&state, &key, &request, &headers, &body, async {
        let changes: ContactChanges = read_json(&headers, &body)?;
        let current = members::contact(state.db.as_ref(), &key.scope, id).await?.ok_or(AppError::NotFound)?;
        if current.is_self {
            return Err(Problem::new(
                StatusCode::CONFLICT,
                format!("This is the member themself: change them with PATCH {API_V1}/members/{}.", current.member_id),
            ));
        }
        let pick = super::pick;
        let changed = contact_fields(
            &pick(&changes.first_name, Some(&current.first_name)),
            &pick(&changes.last_name, Some(&current.last_name)),
            &pick(&changes.relation, current.relation.as_deref()),
            &pick(&changes.email, current.email.as_deref()),
            changes.primary.unwrap_or(current.is_primary),
            false,
        )?;
        update_representative(&state, &key.scope, id, &changed).await?;
        Ok(Done::changed(&contact(&state, &key, id).await?))
    })
    .await
}

/// `DELETE /api/v1/contacts/{id}`: removes a representative; their pending invitation stops
/// working. One with a login is refused (409) until it is unlinked. 200 with the contact as
/// they were.
#[cfg_attr(
    feature = "openapi",
    utoipa::path(
        delete, path = "/api/v1/contacts/{id}", tag = "contacts",
        params(("id" = i64, Path)),
        responses((status = 200, body = Contact)),
    )
)]
pub(super) async fn remove(State(state): State<AppState>, Path(id): Path<String>, headers: HeaderMap) -> Answer {
    let (key, id, request) = write_to(&state, &headers, "DELETE", "/contacts/{id}", &id).await?;
    once(&state, &key, &request, &headers, &[], async {
        let before = contact(&state, &key, id).await?;
        remove_representative(&state, &key.scope, id).await?;
        Ok(Done::changed(&before))
    })
    .await
}
