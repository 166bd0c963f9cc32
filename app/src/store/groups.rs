//! Households and client groups, and the invitation rounds sent to a group's owners.

use serde::Deserialize;

use super::members::{StaffScope, visible_member};
use super::{Db, DbError, Stmt, fetch_all, fetch_optional};
use crate::stmt;

#[derive(Debug, Clone, Deserialize)]
pub struct GroupRow {
    pub id: i64,
    pub name: String,
    /// Members of the group this staff login may see.
    pub member_count: i64,
}

/// The organisation's groups with the members this login may see; a login limited to some
/// members sees the groups holding at least one of them. Bound: visible_member, then the
/// organisation and all_members again.
macro_rules! visible_groups {
    () => {
        concat!(
            "SELECT g.id, g.name, count(m.id) AS member_count
             FROM groups g
             LEFT JOIN group_members gm ON gm.group_id = g.id
             LEFT JOIN members m ON m.id = gm.member_id AND ",
            visible_member!(),
            " WHERE g.organisation_id = ? "
        )
    };
}

pub async fn list_groups(db: &dyn Db, scope: &StaffScope) -> Result<Vec<GroupRow>, DbError> {
    let q = stmt!(concat!(
        visible_groups!(),
        " GROUP BY g.id HAVING ? = 1 OR count(m.id) > 0 ORDER BY g.name COLLATE NOCASE, g.id"
    ));
    fetch_all(db, scope.bind(q).bind(scope.organisation_id).bind(scope.all_members)).await
}

pub async fn group(db: &dyn Db, scope: &StaffScope, group_id: i64) -> Result<Option<GroupRow>, DbError> {
    let q = stmt!(concat!(visible_groups!(), " AND g.id = ? GROUP BY g.id HAVING ? = 1 OR count(m.id) > 0"));
    fetch_optional(db, scope.bind(q).bind(scope.organisation_id).bind(group_id).bind(scope.all_members)).await
}

/// The groups a member belongs to (`member_of`), or may be added to (the others).
pub async fn groups_around_member(
    db: &dyn Db,
    scope: &StaffScope,
    member_id: i64,
) -> Result<Vec<MemberGroup>, DbError> {
    fetch_all(
        db,
        stmt!(
            "SELECT g.id, g.name,
                    EXISTS (SELECT 1 FROM group_members gm WHERE gm.group_id = g.id AND gm.member_id = ?) AS member_of
             FROM groups g WHERE g.organisation_id = ? ORDER BY g.name COLLATE NOCASE, g.id",
            member_id,
            scope.organisation_id
        ),
    )
    .await
}

#[derive(Debug, Clone, Deserialize)]
pub struct MemberGroup {
    pub id: i64,
    pub name: String,
    pub member_of: i64,
}

#[derive(Debug, Clone, Deserialize)]
pub struct GroupMember {
    pub member_id: i64,
    pub first_name: String,
    pub last_name: String,
}

pub async fn group_members(db: &dyn Db, scope: &StaffScope, group_id: i64) -> Result<Vec<GroupMember>, DbError> {
    fetch_all(
        db,
        scope.bind(stmt!(
            concat!(
                "SELECT m.id AS member_id, m.first_name, m.last_name
                 FROM group_members gm JOIN members m ON m.id = gm.member_id
                 WHERE gm.group_id = ? AND ",
                visible_member!(),
                " ORDER BY m.last_name COLLATE NOCASE, m.first_name COLLATE NOCASE, m.id"
            ),
            group_id
        )),
    )
    .await
}

pub async fn create_group(db: &dyn Db, scope: &StaffScope, name: &str, now: i64) -> Result<i64, DbError> {
    let changes = db
        .execute(stmt!(
            "INSERT INTO groups (organisation_id, name, created_at) VALUES (?, ?, ?)",
            scope.organisation_id,
            name,
            now
        ))
        .await?;
    Ok(changes.last_insert_id)
}

/// Puts a visible member into a group of the organisation. False when either is out of
/// reach or the member is in it already.
pub async fn add_to_group(
    db: &dyn Db,
    scope: &StaffScope,
    group_id: i64,
    member_id: i64,
    now: i64,
) -> Result<bool, DbError> {
    let changes = db
        .execute(scope.bind(stmt!(
            concat!(
                "INSERT INTO group_members (group_id, member_id, added_at)
                 SELECT g.id, m.id, ? FROM groups g JOIN members m ON m.id = ?
                 WHERE g.id = ? AND g.organisation_id = m.organisation_id
                   AND NOT EXISTS (SELECT 1 FROM group_members gm WHERE gm.group_id = g.id AND gm.member_id = m.id)
                   AND ",
                visible_member!()
            ),
            now,
            member_id,
            group_id
        )))
        .await?;
    Ok(changes.rows_affected == 1)
}

pub async fn remove_from_group(
    db: &dyn Db,
    scope: &StaffScope,
    group_id: i64,
    member_id: i64,
) -> Result<bool, DbError> {
    let changes = db
        .execute(scope.bind(stmt!(
            concat!(
                "DELETE FROM group_members WHERE group_id = ? AND member_id = ?
                 AND EXISTS (SELECT 1 FROM members m WHERE m.id = group_members.member_id AND ",
                visible_member!(),
                ")"
            ),
            group_id,
            member_id
        )))
        .await?;
    Ok(changes.rows_affected == 1)
}

/// One person in an invitation round: invited (with the statements that do it and the hash
/// naming the invitation), or skipped and why.
pub enum RoundEntry {
    Invited { contact_id: i64, statements: Vec<Stmt>, token_hash: String },
    Skipped { contact_id: i64, because: String },
}

/// Records the round and every invitation in it, in one batch. A person recorded as invited
/// is one whose invitation was written (its guards held). When a round with this key exists
/// already (a double submit, a retry), nothing is written and its id is returned.
pub async fn send_round(
    db: &dyn Db,
    scope: &StaffScope,
    request_key: &str,
    group_id: i64,
    entries: Vec<RoundEntry>,
    now: i64,
) -> Result<i64, DbError> {
    if let Some(id) = round_by_key(db, scope, request_key).await? {
        return Ok(id);
    }
    let mut batch = vec![stmt!(
        "INSERT INTO bulk_sends (organisation_id, request_key, group_id, sent_by, created_at) VALUES (?, ?, ?, ?, ?)",
        scope.organisation_id,
        request_key,
        group_id,
        scope.user_id,
        now
    )];
    for entry in entries {
        match entry {
            RoundEntry::Invited { contact_id, statements, token_hash } => {
                batch.extend(statements);
                batch.push(stmt!(
                    "INSERT INTO bulk_send_results (bulk_send_id, contact_id, invitation_id, skipped_because)
                     SELECT (SELECT id FROM bulk_sends WHERE request_key = ?), ?, i.id,
                            CASE WHEN i.id IS NULL THEN 'Could not be invited: their details changed meanwhile.' END
                     FROM (SELECT 1) LEFT JOIN invitations i ON i.token_hash = ?",
                    request_key,
                    contact_id,
                    token_hash
                ));
            }
            RoundEntry::Skipped { contact_id, because } => batch.push(stmt!(
                "INSERT INTO bulk_send_results (bulk_send_id, contact_id, skipped_because)
                 SELECT (SELECT id FROM bulk_sends WHERE request_key = ?), ?, ?",
                request_key,
                contact_id,
                because
            )),
        }
    }
    match db.batch(batch).await {
        Ok(changes) => Ok(changes[0].last_insert_id),
        // The same key won a race with this request: that round is the answer.
        Err(DbError::Constraint(message)) => {
            round_by_key(db, scope, request_key).await?.ok_or(DbError::Constraint(message))
        }
        Err(other) => Err(other),
    }
}

/// The round a form's key already made, if any.
pub async fn round_by_key(db: &dyn Db, scope: &StaffScope, request_key: &str) -> Result<Option<i64>, DbError> {
    #[derive(Deserialize)]
    struct Id {
        id: i64,
    }
    let q = stmt!(
        "SELECT id FROM bulk_sends WHERE request_key = ? AND organisation_id = ?",
        request_key,
        scope.organisation_id
    );
    Ok(fetch_optional::<Id>(db, q).await?.map(|row| row.id))
}

/// What a round did, per person, for the members this login may see.
#[derive(Debug, Clone, Deserialize)]
pub struct RoundResult {
    pub member_id: i64,
    pub member_name: String,
    pub contact_name: String,
    pub email: Option<String>,
    pub skipped_because: Option<String>,
}

pub async fn round_results(
    db: &dyn Db,
    scope: &StaffScope,
    group_id: i64,
    bulk_send_id: i64,
) -> Result<Vec<RoundResult>, DbError> {
    fetch_all(
        db,
        scope.bind(stmt!(
            concat!(
                "SELECT m.id AS member_id, m.first_name || ' ' || m.last_name AS member_name,
                        coalesce(c.first_name, m.first_name) || ' ' || coalesce(c.last_name, m.last_name) AS contact_name,
                        c.email, r.skipped_because
                 FROM bulk_send_results r
                 JOIN bulk_sends b ON b.id = r.bulk_send_id
                 JOIN contacts c ON c.id = r.contact_id
                 JOIN members m ON m.id = c.member_id
                 WHERE r.bulk_send_id = ? AND b.group_id = ? AND ",
                visible_member!(),
                " ORDER BY r.skipped_because IS NOT NULL, m.last_name COLLATE NOCASE, m.first_name COLLATE NOCASE, c.is_self DESC, c.id"
            ),
            bulk_send_id,
            group_id
        )),
    )
    .await
}

/// An invitation round as the history lists it.
#[derive(Debug, Clone, Deserialize)]
pub struct RoundSummary {
    pub id: i64,
    pub group_id: i64,
    pub group_name: String,
    pub sent_by: String,
    pub created_at: i64,
    pub invited: i64,
    pub skipped: i64,
}

/// The organisation's rounds, newest first; a login limited to some members sees its own.
pub async fn rounds(db: &dyn Db, scope: &StaffScope) -> Result<Vec<RoundSummary>, DbError> {
    fetch_all(
        db,
        stmt!(
            "SELECT b.id, b.group_id, g.name AS group_name,
                    coalesce(nullif(s.name, ''), u.email) AS sent_by, b.created_at,
                    (SELECT count(*) FROM bulk_send_results r WHERE r.bulk_send_id = b.id AND r.skipped_because IS NULL) AS invited,
                    (SELECT count(*) FROM bulk_send_results r WHERE r.bulk_send_id = b.id AND r.skipped_because IS NOT NULL) AS skipped
             FROM bulk_sends b
             JOIN groups g ON g.id = b.group_id
             JOIN users u ON u.id = b.sent_by
             LEFT JOIN staff s ON s.user_id = b.sent_by AND s.organisation_id = b.organisation_id
             WHERE b.organisation_id = ? AND (? = 1 OR b.sent_by = ?)
             ORDER BY b.created_at DESC, b.id DESC LIMIT 200",
            scope.organisation_id,
            scope.all_members,
            scope.user_id
        ),
    )
    .await
}

/// How a round's e-mails are doing.
#[derive(Debug, Clone, Copy, Default, Deserialize)]
pub struct RoundDelivery {
    pub queued: i64,
    pub sent: i64,
    pub failed: i64,
}

pub async fn round_delivery(db: &dyn Db, scope: &StaffScope, bulk_send_id: i64) -> Result<RoundDelivery, DbError> {
    let found = fetch_optional(
        db,
        stmt!(
            "SELECT coalesce(sum(o.status IN ('pending', 'sending')), 0) AS queued,
                    coalesce(sum(o.status = 'sent'), 0) AS sent,
                    coalesce(sum(o.status = 'dead'), 0) AS failed
             FROM bulk_send_results r
             JOIN bulk_sends b ON b.id = r.bulk_send_id AND b.organisation_id = ?
             JOIN outbox o ON o.invitation_id = r.invitation_id
             WHERE r.bulk_send_id = ?",
            scope.organisation_id,
            bulk_send_id
        ),
    )
    .await?;
    Ok(found.unwrap_or_default())
}
