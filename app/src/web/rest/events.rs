//! The organisation's timeline, for systems that poll rather than take webhooks.

use axum::extract::State;
use http::{HeaderMap, Uri};
use serde::Serialize;

use super::{Answer, Done, Params, bad_cursor, key_of};
use crate::domain::dates::rfc3339;
use crate::ports::AppState;
use crate::store::events;

/// An event of the organisation's timeline, as the API gives it.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
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

#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
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
#[cfg_attr(
    feature = "openapi",
    utoipa::path(
        get, path = "/api/v1/events", tag = "events",
        params(super::Page),
        responses((status = 200, body = EventPage)),
    )
)]
pub(super) async fn list(State(state): State<AppState>, headers: HeaderMap, uri: Uri) -> Answer {
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
