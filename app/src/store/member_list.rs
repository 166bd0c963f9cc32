//! The member list at any size: search, a status filter, three orders and keyset pages, each
//! query an index range over the columns migration 0010 keeps on the member row. The SQL is
//! assembled from the fixed fragments below for the chosen filter and order; what the person
//! typed only ever reaches it as bound values.

use serde::Deserialize;

use super::members::{LatestInvitation, latest_invitation_columns};
use super::scope::{StaffScope, granted_member, visible_member};
use super::{Db, DbError, SqlValue, Stmt, fetch_all};
use crate::domain::search::{fold, prefix_end};
use crate::domain::{InvitationFacts, MemberSort, PortalStatus};

/// What the list shows: the folded search (empty: everyone), one status or all, an order,
/// and the member the previous page ended with.
#[derive(Debug, Clone)]
pub struct ListQuery {
    pub search: String,
    pub status: Option<PortalStatus>,
    pub sort: MemberSort,
    pub after: Option<i64>,
    /// Only members with someone around them who has no login ("Not yet registered").
    pub not_registered: bool,
}

#[derive(Debug, Clone, Deserialize)]
pub struct ListRow {
    pub id: i64,
    pub first_name: String,
    pub last_name: String,
    pub email: Option<String>,
    pub standing: String,
    pub standing_expires_at: Option<i64>,
    pub latest_invited_at: i64,
    pub latest_login_at: i64,
}

/// How many members the search finds in each stored standing; `waiting` counts the open
/// invitations whose link still works.
#[derive(Debug, Clone, Deserialize)]
pub struct StandingCount {
    pub standing: String,
    pub members: i64,
    pub waiting: i64,
}

/// SQL text assembled from fragments, each with the values it names.
struct Sql {
    text: String,
    values: Vec<(&'static str, SqlValue)>,
}

impl Sql {
    fn new(text: &str) -> Self {
        Self { text: text.to_owned(), values: Vec::new() }
    }

    fn push<const N: usize>(&mut self, fragment: &str, values: [(&'static str, SqlValue); N]) -> &mut Self {
        self.text.push_str(fragment);
        self.values.extend(values);
        self
    }

    fn stmt(self, scope: &StaffScope) -> Stmt {
        let stmt = self.values.into_iter().fold(Stmt::new(self.text), |stmt, (name, value)| stmt.bind_as(name, value));
        scope.bind(stmt)
    }
}

/// `FROM … WHERE …` for the members the search finds that the staff login (bound by
/// `Sql::stmt`) may see, as `m`.
/// With a search, the matches are gathered first from the name and e-mail indexes, so the
/// query never walks every member to find a few.
fn found_members(sql: &mut Sql, search: &str, not_registered: bool) {
    let name = fold(search);
    let email = search.trim().to_lowercase();
    if name.is_empty() && email.is_empty() {
        sql.push(" FROM members m", []);
    } else {
        sql.push(
            " FROM (SELECT id FROM members WHERE organisation_id = :organisation AND archived_at IS NULL
                                          AND name_key >= :name_from AND name_key < :name_to
                    UNION SELECT id FROM members WHERE organisation_id = :organisation AND archived_at IS NULL
                                          AND sort_key >= :name_from AND sort_key < :name_to
                    UNION SELECT member_id FROM contacts WHERE removed_at IS NULL
                                          AND email >= :email_from AND email < :email_to) found
               CROSS JOIN members m ON m.id = found.id",
            [
                ("name_from", name.clone().into()),
                ("name_to", prefix_end(&name).into()),
                ("email_from", email.clone().into()),
                ("email_to", prefix_end(&email).into()),
            ],
        );
    }
    sql.push(concat!(" WHERE ", visible_member!()), []);
    if not_registered {
        sql.push(
            " AND EXISTS (SELECT 1 FROM contacts c WHERE c.member_id = m.id AND c.removed_at IS NULL
                          AND NOT EXISTS (SELECT 1 FROM member_links l WHERE l.contact_id = c.id))",
            [],
        );
    }
}

/// One page (`limit` members) in the chosen order, after the member `query.after` when set.
pub async fn page(
    db: &dyn Db,
    scope: &StaffScope,
    query: &ListQuery,
    limit: i64,
    now: i64,
) -> Result<Vec<ListRow>, DbError> {
    fetch_all(db, page_stmt(scope, query, limit, now)).await
}

/// How many members the search finds in each standing (the filters' counts).
pub async fn counts(
    db: &dyn Db,
    scope: &StaffScope,
    search: &str,
    not_registered: bool,
    now: i64,
) -> Result<Vec<StandingCount>, DbError> {
    fetch_all(db, counts_stmt(scope, search, not_registered, now)).await
}

/// The statement `page` runs (public for the query-plan test).
pub fn page_stmt(scope: &StaffScope, query: &ListQuery, limit: i64, now: i64) -> Stmt {
    let mut sql = Sql::new(
        "SELECT m.id, m.first_name, m.last_name, m.standing, m.standing_expires_at,
                m.latest_invited_at, m.latest_login_at,
                (SELECT c.email FROM contacts c WHERE c.member_id = m.id AND c.is_self = 1) AS email",
    );
    let (column, direction) = page_members(&mut sql, query, now);
    sql.push(&format!(" ORDER BY m.{column}{direction}, m.id{direction} LIMIT :limit"), [("limit", limit.into())]);
    sql.stmt(scope)
}

/// How many members from the page `query` names to the end of the list: with the list's
/// total, where the page stands ("51–100 of 3,002").
pub async fn remaining(db: &dyn Db, scope: &StaffScope, query: &ListQuery, now: i64) -> Result<i64, DbError> {
    #[derive(Deserialize)]
    struct Row {
        remaining: i64,
    }
    let rows: Vec<Row> = fetch_all(db, remaining_stmt(scope, query, now)).await?;
    Ok(rows.first().map_or(0, |r| r.remaining))
}

/// The statement `remaining` runs (public for the query-plan test).
pub fn remaining_stmt(scope: &StaffScope, query: &ListQuery, now: i64) -> Stmt {
    let mut sql = Sql::new("SELECT count(*) AS remaining");
    page_members(&mut sql, query, now);
    sql.stmt(scope)
}

/// `FROM … WHERE …` for the members of the page `query` names and every one after it: the
/// search, the filter, and past the member the previous page ended with. The order's column
/// and direction.
fn page_members(sql: &mut Sql, query: &ListQuery, now: i64) -> (&'static str, &'static str) {
    found_members(sql, &query.search, query.not_registered);
    if let Some(status) = query.status {
        sql.push(" AND m.standing = :standing", [("standing", status.standing().into())]);
        match status {
            PortalStatus::Waiting => sql.push(" AND m.standing_expires_at > :now", [("now", now.into())]),
            PortalStatus::Expired => sql.push(" AND m.standing_expires_at <= :now", [("now", now.into())]),
            _ => &mut *sql,
        };
    }
    let (column, direction, comparison) = match query.sort {
        MemberSort::Name => ("sort_key", "", ">"),
        MemberSort::LastLogin => ("latest_login_at", " DESC", "<"),
        MemberSort::Invited => ("latest_invited_at", " DESC", "<"),
    };
    if let Some(after) = query.after {
        // The position of the member the last page ended with, read only if this login may
        // see them: a cursor naming anyone else gives an empty page, not their name's place.
        sql.push(
            &format!(
                " AND (m.{column}, m.id) {comparison} ((SELECT p.{column} FROM members p
                   WHERE p.id = :after AND p.organisation_id = :organisation
                     AND (:all_members = 1 OR {})), :after)",
                granted_member!("p.id")
            ),
            [("after", after.into())],
        );
    }
    (column, direction)
}

pub fn counts_stmt(scope: &StaffScope, search: &str, not_registered: bool, now: i64) -> Stmt {
    let mut sql =
        Sql::new("SELECT m.standing, count(*) AS members, coalesce(sum(m.standing_expires_at > :now), 0) AS waiting");
    sql.values.push(("now", now.into()));
    found_members(&mut sql, search, not_registered);
    sql.push(" GROUP BY m.standing", []);
    sql.stmt(scope)
}

/// One contact of an exported member, with their own portal access.
#[derive(Debug, Clone, Deserialize)]
pub struct ExportRow {
    pub member_id: i64,
    pub member_name: String,
    pub standing: String,
    pub standing_expires_at: Option<i64>,
    #[serde(deserialize_with = "super::flag")]
    pub is_self: bool,
    pub contact_name: String,
    pub relation: Option<String>,
    pub email: Option<String>,
    #[serde(deserialize_with = "super::flag")]
    pub is_primary: bool,
    pub login_email: Option<String>,
    pub last_login_at: Option<i64>,
    #[serde(flatten)]
    latest: LatestInvitation,
    pub delivery_status: Option<String>,
    pub delivery_error: Option<String>,
    pub assigned_staff: Option<String>,
}

impl ExportRow {
    pub fn latest_invitation(&self) -> Option<InvitationFacts> {
        self.latest.facts()
    }
}

/// Every contact of the given members (ids from `page`, so already this login's), in the
/// members' order, the member themself first.
pub async fn export_rows(db: &dyn Db, scope: &StaffScope, member_ids: &[i64]) -> Result<Vec<ExportRow>, DbError> {
    let ids = serde_json::to_string(member_ids).map_err(|e| DbError::Backend(e.to_string()))?;
    fetch_all(
        db,
        crate::stmt!(
            concat!(
                "SELECT m.id AS member_id, m.first_name || ' ' || m.last_name AS member_name,
                    m.standing, m.standing_expires_at, c.is_self,
                    coalesce(c.first_name, m.first_name) || ' ' || coalesce(c.last_name, m.last_name) AS contact_name,
                    c.relation, c.email, c.is_primary, u.email AS login_email, u.last_login_at, ",
                latest_invitation_columns!(),
                ", o.status AS delivery_status, o.last_error AS delivery_error,
                    (SELECT group_concat(coalesce(nullif(s.name, ''), su.email), '; ')
                     FROM staff s JOIN users su ON su.id = s.user_id
                     WHERE s.organisation_id = m.organisation_id AND s.all_members = 0
                       AND EXISTS (SELECT 1 FROM staff_access a WHERE a.user_id = s.user_id
                                     AND (a.member_id = m.id
                                          OR a.group_id IN (SELECT g.group_id FROM group_members g
                                                            WHERE g.member_id = m.id)))) AS assigned_staff
             FROM json_each(?) j
             JOIN members m ON m.id = j.value AND m.organisation_id = ?
             JOIN contacts c ON c.member_id = m.id AND c.removed_at IS NULL
             LEFT JOIN member_links l ON l.contact_id = c.id
             LEFT JOIN users u ON u.id = l.user_id
             LEFT JOIN invitations i ON i.id = (SELECT id FROM invitations WHERE contact_id = c.id
                                                ORDER BY created_at DESC, id DESC LIMIT 1)
             LEFT JOIN outbox o ON o.id = (SELECT max(id) FROM outbox WHERE invitation_id = i.id)
             ORDER BY j.key, c.is_self DESC, c.id"
            ),
            ids,
            scope.organisation_id
        ),
    )
    .await
}
