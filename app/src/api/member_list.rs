//! The staff member list: one page of members for a search, a status filter and an order,
//! with how many the search finds in each status. Its state is the page's URL.

use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use crate::domain::PortalStatus;
use crate::domain::numbers::thousands;
use crate::error::AppError;
#[cfg(feature = "ssr")]
use {
    crate::request::{require_staff, respond},
    crate::store::member_list::{self, ListQuery},
};

/// Members a page shows.
pub const PAGE_SIZE: i64 = 50;
pub use crate::records::{MAX_SEARCH_LEN, MemberListQuery};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MemberListItem {
    pub id: i64,
    pub name: String,
    pub email: Option<String>,
    pub status: PortalStatus,
    /// The day, in the organisation's time zone.
    pub last_login_on: Option<String>,
    pub invited_on: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MemberPage {
    pub query: MemberListQuery,
    pub members: Vec<MemberListItem>,
    /// Every status, in the filters' order, with how many members the search finds in it.
    pub counts: Vec<(PortalStatus, i64)>,
    /// How many the search finds in all.
    pub total: i64,
    /// The next page's state, when there are more.
    pub next: Option<MemberListQuery>,
    /// Where the page's first member stands in the list, from 1.
    pub first: i64,
}

/// One of a list's filter links: "All (120)", "Invited, waiting (12)".
#[derive(Debug, Clone, PartialEq)]
pub struct FilterLink {
    /// None: all.
    pub status: Option<PortalStatus>,
    pub label: String,
    pub href: String,
    pub count: i64,
    pub current: bool,
}

impl MemberPage {
    /// "51–100 of 3,002": where the page stands in the list.
    pub fn position(&self) -> String {
        let last = self.first + self.members.len() as i64 - 1;
        format!("{}–{} of {}", thousands(self.first), thousands(last), thousands(self.matching()))
    }

    /// How many members the search finds under the chosen filter.
    pub fn matching(&self) -> i64 {
        self.query
            .status
            .map_or(self.total, |status| self.counts.iter().find(|(s, _)| *s == status).map_or(0, |(_, count)| *count))
    }

    /// "All" and each status, with its count, linking to the first page of this search
    /// under it on the list at `path`.
    pub fn filter_links(&self, path: &str) -> Vec<FilterLink> {
        let all = (None, self.total);
        std::iter::once(all)
            .chain(self.counts.iter().map(|(status, count)| (Some(*status), *count)))
            .map(|(status, count)| FilterLink {
                status,
                label: format!("{} ({count})", status.map_or("All", PortalStatus::label)),
                href: self.query.with(status, self.query.sort).href_on(path),
                count,
                current: self.query.status == status,
            })
            .collect()
    }
}

#[server(endpoint = "list_members")]
pub async fn list_members(
    #[server(default)] q: String,
    #[server(default)] status: String,
    #[server(default)] sort: String,
    #[server(default)] after: Option<i64>,
) -> Result<MemberPage, AppError> {
    respond(
        async move {
            let (state, scope) = require_staff().await?;
            let query = MemberListQuery::parse(&q, &status, &sort, after)?;
            members_page(&state, &scope, query, false).await
        }
        .await,
    )
}

/// A page of members for the query, with the counts for its search. `not_registered`:
/// only members with someone around them who has no login.
#[cfg(feature = "ssr")]
pub(crate) async fn members_page(
    state: &crate::ports::AppState,
    scope: &crate::store::scope::StaffScope,
    query: MemberListQuery,
    not_registered: bool,
) -> Result<MemberPage, AppError> {
    let db = state.db.as_ref();
    let now = state.clock.now();
    let list_query = ListQuery {
        search: query.q.clone(),
        status: query.status,
        sort: query.sort,
        after: query.after,
        not_registered,
    };
    let mut rows = member_list::page(db, scope, &list_query, PAGE_SIZE + 1, now).await?;
    let more = rows.len() as i64 > PAGE_SIZE;
    rows.truncate(PAGE_SIZE as usize);
    let next = more.then(|| MemberListQuery { after: rows.last().map(|row| row.id), ..query.clone() });
    let members = rows
        .into_iter()
        .map(|row| MemberListItem {
            status: PortalStatus::from_standing(&row.standing, row.standing_expires_at, now)
                .unwrap_or(PortalStatus::NotInvited),
            name: format!("{} {}", row.first_name, row.last_name),
            id: row.id,
            email: row.email,
            last_login_on: (row.latest_login_at > 0).then(|| scope.zone.date(row.latest_login_at)),
            invited_on: (row.latest_invited_at > 0).then(|| scope.zone.date(row.latest_invited_at)),
        })
        .collect();
    let stored = member_list::counts(db, scope, &query.q, not_registered, now).await?;
    let count_of = |status: PortalStatus| -> i64 {
        stored
            .iter()
            .filter(|c| c.standing == status.standing())
            .map(|c| match status {
                PortalStatus::Waiting => c.waiting,
                PortalStatus::Expired => c.members - c.waiting,
                _ => c.members,
            })
            .sum()
    };
    let counts = PortalStatus::ALL.into_iter().map(|status| (status, count_of(status))).collect();
    let total = stored.iter().map(|c| c.members).sum();
    let mut page = MemberPage { query, members, counts, total, next, first: 1 };
    if page.query.after.is_some() {
        let remaining = member_list::remaining(db, scope, &list_query, now).await?;
        page.first = page.matching() - remaining + 1;
    }
    Ok(page)
}

/// One person without a login, on the "Not yet registered" screen.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Unregistered {
    pub member_id: i64,
    pub member_name: String,
    pub contact_id: i64,
    pub name: String,
    /// "Member", or their relation ("parent").
    pub role: String,
    pub email: Option<String>,
    /// "Not invited yet", "Waiting since 3 November 2026", "Expired on …", "Declined on …".
    pub state: String,
    /// A live or expired invitation can be sent again as it was.
    pub can_resend: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct UnregisteredPage {
    /// The members of this page, with the search's counts.
    pub page: MemberPage,
    pub people: Vec<Unregistered>,
}

/// 001's "Not yet registered": everyone around the members the query finds who has no
/// login, with how their invitation stands.
#[server(endpoint = "not_registered")]
pub async fn not_registered(
    #[server(default)] q: String,
    #[server(default)] status: String,
    #[server(default)] sort: String,
    #[server(default)] after: Option<i64>,
) -> Result<UnregisteredPage, AppError> {
    respond(
        async move {
            let (state, scope) = require_staff().await?;
            let query = MemberListQuery::parse(&q, &status, &sort, after)?;
            let page = members_page(&state, &scope, query, true).await?;
            let ids: Vec<i64> = page.members.iter().map(|m| m.id).collect();
            let now = state.clock.now();
            let found = crate::store::rounds::candidates(state.db.as_ref(), &scope, &ids, true).await?;
            let people = found
                .into_iter()
                .map(|c| {
                    let facts = c.latest_invitation();
                    let state_now = facts.map(|f| f.state(now));
                    Unregistered {
                        member_id: c.member_id,
                        member_name: c.member_name,
                        contact_id: c.contact_id,
                        name: format!("{} {}", c.first_name, c.last_name),
                        role: if c.is_self {
                            "Member".into()
                        } else {
                            c.relation.unwrap_or_else(|| "Representative".into())
                        },
                        email: c.email,
                        state: facts.map_or_else(|| "Not invited yet".into(), |f| f.headline(now, &scope.zone)),
                        can_resend: matches!(
                            state_now,
                            Some(crate::domain::InvitationState::Pending | crate::domain::InvitationState::Expired)
                        ),
                    }
                })
                .collect();
            Ok(UnregisteredPage { page, people })
        }
        .await,
    )
}
