//! Households and client groups (their rounds are in `rounds`).

use serde::Deserialize;

use super::scope::{StaffScope, visible_member};
use super::{Db, DbError, fetch_all, fetch_optional};
use crate::stmt;

#[derive(Debug, Clone, Deserialize)]
pub struct GroupRow {
    pub id: i64,
    pub name: String,
    /// Members of the group this staff login may see.
    pub member_count: i64,
}

/// The organisation's groups with the members this login may see; a login limited to some
/// members sees the groups holding at least one of them. Bound by `StaffScope::bind`.
macro_rules! visible_groups {
    () => {
        concat!(
            "SELECT g.id, g.name, count(m.id) AS member_count
             FROM groups g
             LEFT JOIN group_members gm ON gm.group_id = g.id
             LEFT JOIN members m ON m.id = gm.member_id AND ",
            visible_member!(),
            " WHERE g.organisation_id = :organisation "
        )
    };
}

pub async fn list_groups(db: &dyn Db, scope: &StaffScope) -> Result<Vec<GroupRow>, DbError> {
    let q = stmt!(concat!(
        visible_groups!(),
        " GROUP BY g.id HAVING :all_members = 1 OR count(m.id) > 0 ORDER BY g.name COLLATE NOCASE, g.id"
    ));
    fetch_all(db, scope.bind(q)).await
}

pub async fn group(db: &dyn Db, scope: &StaffScope, group_id: i64) -> Result<Option<GroupRow>, DbError> {
    let q = stmt!(
        concat!(visible_groups!(), " AND g.id = :group GROUP BY g.id HAVING :all_members = 1 OR count(m.id) > 0"),
        group = group_id
    );
    fetch_optional(db, scope.bind(q)).await
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
    #[serde(deserialize_with = "super::flag")]
    pub member_of: bool,
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
                 WHERE gm.group_id = :group AND ",
                visible_member!(),
                " ORDER BY m.last_name COLLATE NOCASE, m.first_name COLLATE NOCASE, m.id"
            ),
            group = group_id
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
    Ok(add_profiles_to_group(db, scope, group_id, &[member_id], now).await? == 1)
}

/// Puts the visible members among `member_ids` into a group of the organisation, leaving
/// out those in it already; how many it added.
pub async fn add_profiles_to_group(
    db: &dyn Db,
    scope: &StaffScope,
    group_id: i64,
    member_ids: &[i64],
    now: i64,
) -> Result<u64, DbError> {
    let ids = serde_json::to_string(member_ids).map_err(|e| DbError::Backend(e.to_string()))?;
    let changes = db
        .execute(scope.bind(stmt!(
            concat!(
                "INSERT INTO group_members (group_id, member_id, added_at)
                 SELECT DISTINCT g.id, m.id, :now FROM groups g, json_each(:members) j JOIN members m ON m.id = j.value
                 WHERE g.id = :group AND g.organisation_id = m.organisation_id
                   AND NOT EXISTS (SELECT 1 FROM group_members gm WHERE gm.group_id = g.id AND gm.member_id = m.id)
                   AND ",
                visible_member!()
            ),
            now = now,
            members = ids,
            group = group_id
        )))
        .await?;
    Ok(changes.rows_affected)
}

/// The visible members among `member_ids`, by name.
pub async fn profiles(db: &dyn Db, scope: &StaffScope, member_ids: &[i64]) -> Result<Vec<GroupMember>, DbError> {
    let ids = serde_json::to_string(member_ids).map_err(|e| DbError::Backend(e.to_string()))?;
    fetch_all(
        db,
        scope.bind(stmt!(
            concat!(
                "SELECT DISTINCT m.id AS member_id, m.first_name, m.last_name
                 FROM json_each(:members) j JOIN members m ON m.id = j.value WHERE ",
                visible_member!(),
                " ORDER BY m.last_name COLLATE NOCASE, m.first_name COLLATE NOCASE, m.id"
            ),
            members = ids
        )),
    )
    .await
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
                "DELETE FROM group_members WHERE group_id = :group AND member_id = :member
                 AND EXISTS (SELECT 1 FROM members m WHERE m.id = group_members.member_id AND ",
                visible_member!(),
                ")"
            ),
            group = group_id,
            member = member_id
        )))
        .await?;
    Ok(changes.rows_affected == 1)
}
