//! Members: listed by name in pages, read, added, changed, archived.

use axum::body::Bytes;
use axum::extract::{Path, State};
use http::{HeaderMap, Uri};
use serde::{Deserialize, Serialize};

use super::{API_V1, Answer, Done, Params, Problem, key_of, once, read_json, record_id, write_to, writer};
use crate::domain::PortalStatus;
use crate::domain::dates::rfc3339;
use crate::error::AppError;
use crate::ports::AppState;
use crate::records::MemberListQuery;
use crate::service::api_keys::KeyScope;
use crate::service::members::member_fields;
use crate::store::member_list::{self, ListQuery};
use crate::store::members;

/// A member as the API gives them in a list.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
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

#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Serialize)]
struct MemberPage {
    data: Vec<MemberSummary>,
    /// Give it as `after` for the next page; `null` on the last one.
    next_cursor: Option<String>,
}

/// `GET /api/v1/members?q=&status=&limit=&after=`: members by name, in pages.
#[cfg_attr(
    feature = "openapi",
    utoipa::path(
        get, path = "/api/v1/members", tag = "members",
        params(
            ("q" = Option<String>, Query, description = "Words of a name or an e-mail address"),
            ("status" = Option<String>, Query, description = "not-invited, waiting, expired, delivery-failed, \
                                                              email-bounced, declined, revoked, never-signed-in, \
                                                              active or no-email"),
            super::Page,
        ),
        responses((status = 200, body = MemberPage)),
    )
)]
pub(super) async fn list(State(state): State<AppState>, headers: HeaderMap, uri: Uri) -> Answer {
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
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
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
#[cfg_attr(
    feature = "openapi",
    utoipa::path(
        get, path = "/api/v1/members/{id}", tag = "members",
        params(("id" = i64, Path)),
        responses((status = 200, body = Member)),
    )
)]
pub(super) async fn get(State(state): State<AppState>, Path(id): Path<String>, headers: HeaderMap) -> Answer {
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

#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
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
#[cfg_attr(
    feature = "openapi",
    utoipa::path(
        post, path = "/api/v1/members", tag = "members",
        request_body = NewMemberBody,
        responses((status = 201, body = Member)),
    )
)]
pub(super) async fn create(State(state): State<AppState>, headers: HeaderMap, body: Bytes) -> Answer {
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
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct MemberChanges {
    #[serde(default, deserialize_with = "super::given")]
    first_name: Option<Option<String>>,
    #[serde(default, deserialize_with = "super::given")]
    last_name: Option<Option<String>>,
    #[serde(default, deserialize_with = "super::given")]
    email: Option<Option<String>>,
    #[serde(default, deserialize_with = "super::given")]
    phone: Option<Option<String>>,
    #[serde(default, deserialize_with = "super::given")]
    address: Option<Option<String>>,
}

/// `PATCH /api/v1/members/{id}`: changes what the body gives, by the edit page's rules (a
/// new e-mail revokes the pending invitation, which went to the old one); 200 with the
/// member.
#[cfg_attr(
    feature = "openapi",
    utoipa::path(
        patch, path = "/api/v1/members/{id}", tag = "members",
        request_body = MemberChanges,
        params(("id" = i64, Path)),
        responses((status = 200, body = Member)),
    )
)]
pub(super) async fn update(
    State(state): State<AppState>,
    Path(id): Path<String>,
    headers: HeaderMap,
    body: Bytes,
) -> Answer {
    let (key, id, request) = write_to(&state, &headers, "PATCH", "/members/{id}", &id).await?;
    once(&state, &key, &request, &headers, &body, async {
        let changes: MemberChanges = read_json(&headers, &body)?;
        let db = state.db.as_ref();
        let current = members::member(db, &key.scope, id).await?.ok_or(AppError::NotFound)?;
        let pick = super::pick;
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

/// A member just archived, as they were.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Serialize)]
struct Archived {
    member: Member,
    archived_at: String,
}

/// `POST /api/v1/members/{id}/archive`: the member leaves the member list, the portal and
/// every round; their invitation links stop working. Answers the member as they were, with
/// the time; afterwards the member is no longer found.
#[cfg_attr(
    feature = "openapi",
    utoipa::path(
        post, path = "/api/v1/members/{id}/archive", tag = "members",
        params(("id" = i64, Path)),
        responses((status = 200, body = Archived)),
    )
)]
pub(super) async fn archive(State(state): State<AppState>, Path(id): Path<String>, headers: HeaderMap) -> Answer {
    let (key, id, request) = write_to(&state, &headers, "POST", "/members/{id}/archive", &id).await?;
    once(&state, &key, &request, &headers, &[], async {
        let found = member(&state, &key, id).await?;
        let now = state.clock.now();
        if !members::archive_member(state.db.as_ref(), &key.scope, id, Some(&key.holder.name), now).await? {
            return Err(AppError::NotFound.into());
        }
        Ok(Done::changed(&Archived { member: found, archived_at: rfc3339(now) }))
    })
    .await
}

/// `POST /api/v1/members/{id}/restore`: an archived member comes back as they were (the
/// member list, the portal of their logins, rounds). Answers the member; a member not
/// archived (or not there) is not found.
#[cfg_attr(
    feature = "openapi",
    utoipa::path(
        post, path = "/api/v1/members/{id}/restore", tag = "members",
        params(("id" = i64, Path)),
        responses((status = 200, body = Member)),
    )
)]
pub(super) async fn restore(State(state): State<AppState>, Path(id): Path<String>, headers: HeaderMap) -> Answer {
    let (key, id, request) = write_to(&state, &headers, "POST", "/members/{id}/restore", &id).await?;
    once(&state, &key, &request, &headers, &[], async {
        let now = state.clock.now();
        let name = Some(key.holder.name.as_str());
        if !members::restore_member(state.db.as_ref(), &key.scope, id, name, now).await? {
            return Err(AppError::NotFound.into());
        }
        Ok(Done::changed(&member(&state, &key, id).await?))
    })
    .await
}
