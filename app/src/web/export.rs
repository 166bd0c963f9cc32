//! `/staff/members/export`: the member list's current search, filter and order as CSV, one
//! line per contact, streamed a few hundred members at a time so 100,000 members never sit
//! in memory at once. `/staff/bulk-sends/:id/report.csv`: a round's report, or one outcome
//! of it, as the report page lists it.

use axum::body::{Body, Bytes};
use axum::extract::{Path, State};
use axum::response::{IntoResponse, Redirect, Response};
use http::{HeaderMap, HeaderValue, StatusCode, Uri, header};

use crate::domain::csv::{BYTE_ORDER_MARK, line};
use crate::domain::{InvitationState, PortalStatus};
use crate::error::AppError;
use crate::ports::AppState;
use crate::records::MemberListQuery;
use crate::request::{session_of, staff_scope};
use crate::store::member_list::{self, ExportRow, ListQuery};
use crate::store::scope::StaffScope;

/// Members read per step of the stream.
const MEMBERS_PER_CHUNK: i64 = 500;

const COLUMNS: [&str; 13] = [
    "Member",
    "Member portal status",
    "Contact",
    "Relation",
    "E-mail",
    "Primary contact",
    "Contact portal access",
    "Invitation sent",
    "Invitation expires",
    "Invitation accepted",
    "Last login",
    "Delivery",
    "Assigned staff",
];

/// The signed-in staff's scope; else the answer: sign in first, or nothing here.
pub(super) async fn staff_only(state: &AppState, headers: &HeaderMap) -> Result<StaffScope, Response> {
    match session_of(state, headers).await {
        Ok(Some((_, user))) => {
            staff_scope(&user).map_err(|_| (StatusCode::NOT_FOUND, "There is nothing at this address.").into_response())
        }
        Ok(None) => Err(Redirect::to("/login").into_response()),
        Err(_) => Err((StatusCode::INTERNAL_SERVER_ERROR, AppError::Internal.to_string()).into_response()),
    }
}

/// The value of `name` in the address's query, empty when it has none.
pub(super) fn query_param(uri: &Uri, name: &str) -> String {
    let pairs = form_urlencoded::parse(uri.query().unwrap_or_default().as_bytes());
    pairs.into_iter().find(|(key, _)| key == name).map(|(_, value)| value.into_owned()).unwrap_or_default()
}

/// A CSV answer, downloaded as `name`.
pub(super) fn csv_file(body: Body, name: &str) -> Response {
    let mut response = body.into_response();
    let headers = response.headers_mut();
    headers.insert(header::CONTENT_TYPE, HeaderValue::from_static("text/csv; charset=utf-8"));
    if let Ok(value) = HeaderValue::from_str(&format!("attachment; filename=\"{name}\"")) {
        headers.insert(header::CONTENT_DISPOSITION, value);
    }
    response
}

pub async fn members_csv(State(state): State<AppState>, headers: HeaderMap, uri: Uri) -> Response {
    let scope = match staff_only(&state, &headers).await {
        Ok(scope) => scope,
        Err(answer) => return answer,
    };
    let param = |name: &str| query_param(&uri, name);
    let query = match MemberListQuery::parse(&param("q"), &param("status"), &param("sort"), None) {
        Ok(query) => query,
        Err(error) => {
            let message = ["q", "status", "sort"].into_iter().find_map(|f| error.field_message(f)).unwrap_or_default();
            return (StatusCode::UNPROCESSABLE_ENTITY, message).into_response();
        }
    };
    let now = state.clock.now();
    let file_day = scope.zone.iso_date(now);
    let list =
        ListQuery { search: query.q, status: query.status, sort: query.sort, after: None, not_registered: false };
    let first = Bytes::from(format!("{BYTE_ORDER_MARK}{}", line(&COLUMNS)));
    let chunks = futures::stream::unfold(Some((state, scope, list)), move |next| async move {
        let (state, scope, mut list) = next?;
        match chunk(&state, &scope, &list, now).await {
            Ok((text, last)) => {
                list.after = last;
                let more = last.is_some();
                Some((Ok::<_, std::io::Error>(Bytes::from(text)), more.then_some((state, scope, list))))
            }
            // The header is sent: cutting the body short tells the browser the file is not whole.
            Err(error) => Some((Err(std::io::Error::other(error.to_string())), None)),
        }
    });
    let body = futures::stream::once(async move { Ok(first) });
    csv_file(Body::from_stream(futures::StreamExt::chain(body, chunks)), &format!("members-{}.csv", file_day))
}

const ROUND_COLUMNS: [&str; 5] = ["Member", "Contact", "E-mail", "Outcome", "Reason"];

pub async fn round_csv(
    State(state): State<AppState>,
    Path(round): Path<String>,
    headers: HeaderMap,
    uri: Uri,
) -> Response {
    let scope = match staff_only(&state, &headers).await {
        Ok(scope) => scope,
        Err(answer) => return answer,
    };
    let Ok(round) = round.parse::<i64>() else {
        return (StatusCode::NOT_FOUND, "There is nothing at this address.").into_response();
    };
    let found = match crate::store::rounds::round(state.db.as_ref(), &scope, round).await {
        Ok(Some(found)) => found,
        Ok(None) => return (StatusCode::NOT_FOUND, "There is nothing at this address.").into_response(),
        Err(_) => return (StatusCode::INTERNAL_SERVER_ERROR, AppError::Internal.to_string()).into_response(),
    };
    let people =
        match crate::service::rounds::round_outcomes(&state, &scope, found.id, &query_param(&uri, "outcome")).await {
            Ok((_, people)) => people,
            Err(error @ AppError::Invalid(_)) => {
                return (StatusCode::UNPROCESSABLE_ENTITY, error.field_message("outcome").unwrap_or_default())
                    .into_response();
            }
            Err(_) => return (StatusCode::INTERNAL_SERVER_ERROR, AppError::Internal.to_string()).into_response(),
        };
    let mut text = format!("{BYTE_ORDER_MARK}{}", line(&ROUND_COLUMNS));
    for person in people {
        let outcome = person.outcome(false);
        let cells = [
            person.member_name,
            person.contact_name,
            person.email.unwrap_or_default(),
            outcome.to_owned(),
            person.skipped_because.unwrap_or_default(),
        ];
        text.push_str(&line(&cells));
    }
    csv_file(Body::from(text), &format!("round-{}-{}.csv", found.id, scope.zone.iso_date(found.created_at)))
}

/// The next members after `list.after` as CSV lines, and the last of them when a full chunk
/// was read (there may be more).
async fn chunk(
    state: &AppState,
    scope: &StaffScope,
    list: &ListQuery,
    now: i64,
) -> Result<(String, Option<i64>), crate::store::DbError> {
    let db = state.db.as_ref();
    let members = member_list::page(db, scope, list, MEMBERS_PER_CHUNK, now).await?;
    if members.is_empty() {
        return Ok((String::new(), None));
    }
    let ids: Vec<i64> = members.iter().map(|m| m.id).collect();
    let rows = member_list::export_rows(db, scope, &ids).await?;
    let text: String = rows.iter().map(|row| line(&cells(row, now, &scope.zone))).collect();
    let full = members.len() as i64 == MEMBERS_PER_CHUNK;
    Ok((text, full.then(|| ids[ids.len() - 1])))
}

fn cells(row: &ExportRow, now: i64, zone: &crate::domain::dates::Zone) -> [String; 13] {
    let date = |at: Option<i64>| at.map(|at| zone.iso_date(at)).unwrap_or_default();
    let member_status = PortalStatus::from_standing(&row.standing, row.standing_expires_at, now)
        .map(PortalStatus::label)
        .unwrap_or_default();
    let invitation = row.latest_invitation();
    // The contact's own access, in the list's words for the same states.
    let access = match (&row.login_email, invitation.map(|facts| facts.state(now))) {
        (Some(_), _) => "Has a login",
        (None, Some(InvitationState::Pending)) => PortalStatus::Waiting.label(),
        (None, Some(InvitationState::Expired)) => PortalStatus::Expired.label(),
        (None, Some(InvitationState::Revoked)) => PortalStatus::Revoked.label(),
        (None, Some(InvitationState::Declined)) => PortalStatus::Declined.label(),
        (None, Some(InvitationState::Accepted)) => "Unlinked",
        (None, None) if row.email.is_none() => PortalStatus::NoEmail.label(),
        (None, None) => PortalStatus::NotInvited.label(),
    };
    let delivery = match row.delivery_status.as_deref() {
        Some("sent") => "Delivered".to_owned(),
        Some("dead") => row.delivery_error.clone().unwrap_or_else(|| "Could not be delivered".into()),
        Some(_) => "Queued".to_owned(),
        None => String::new(),
    };
    let relation =
        if row.is_self { "Self".to_owned() } else { row.relation.clone().unwrap_or_else(|| "Representative".into()) };
    [
        row.member_name.clone(),
        member_status.to_owned(),
        row.contact_name.clone(),
        relation,
        row.email.clone().unwrap_or_default(),
        if row.is_primary { "Yes" } else { "No" }.to_owned(),
        access.to_owned(),
        date(invitation.map(|facts| facts.created_at)),
        date(invitation.map(|facts| facts.expires_at)),
        date(invitation.and_then(|facts| facts.accepted_at)),
        date(row.last_login_at),
        delivery,
        row.assigned_staff.clone().unwrap_or_default(),
    ]
}
