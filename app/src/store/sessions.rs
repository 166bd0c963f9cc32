//! Sessions in our own table (the cookie-session crates for axum do not run in a Worker).
//! The cookie carries a random id; only its SHA-256 is stored.

use serde::Deserialize;

use super::{Db, DbError, Stmt, fetch_optional};
use crate::stmt;

/// Who a live session belongs to, and what they may reach.
#[derive(Debug, Clone, Deserialize)]
pub struct SessionUser {
    pub user_id: i64,
    pub email: String,
    pub last_seen_at: i64,
    /// Set when the login is staff of an organisation.
    pub staff_organisation_id: Option<i64>,
    pub staff_all_members: Option<i64>,
    pub staff_role: Option<crate::domain::Role>,
    /// The staff member's name; empty for logins made before names were asked.
    pub staff_name: Option<String>,
    /// The organisation the login belongs to: the one it is staff of, else the one of the
    /// first profile it was linked to; none for a login with neither.
    pub organisation_id: Option<i64>,
    pub organisation_name: Option<String>,
    /// Its face: accent colour and logo digest, when it chose them.
    pub organisation_accent: Option<String>,
    pub organisation_logo: Option<String>,
    /// Its time zone's name: the clock its pages show.
    pub organisation_time_zone: Option<String>,
}

pub struct SessionTimes {
    pub now: i64,
    pub idle_seconds: i64,
    pub absolute_seconds: i64,
}

/// The statement that opens a session; callers put it in the batch that signs someone in.
pub fn insert_session(id_hash: &str, owner: SessionOwner, times: &SessionTimes) -> Stmt {
    let expires_at = times.now + times.absolute_seconds;
    // The login an invitation (of `table`) used in this batch made or linked, by its claim.
    let claimed_by = |table: &str, claim: &str| {
        stmt!(
            format!(
                "INSERT INTO sessions (id_hash, user_id, created_at, last_seen_at, expires_at)
                 SELECT ?, i.accepted_user_id, ?, ?, ? FROM {table} i
                 WHERE i.claim = ? AND i.accepted_user_id IS NOT NULL"
            ),
            id_hash,
            times.now,
            times.now,
            expires_at,
            claim
        )
    };
    match owner {
        SessionOwner::User(user_id) => stmt!(
            "INSERT INTO sessions (id_hash, user_id, created_at, last_seen_at, expires_at)
             VALUES (?, ?, ?, ?, ?)",
            id_hash,
            user_id,
            times.now,
            times.now,
            expires_at
        ),
        SessionOwner::AcceptedInvitation { claim } => claimed_by("invitations", claim),
        SessionOwner::StaffInvitation { claim } => claimed_by("staff_invitations", claim),
    }
}

pub enum SessionOwner<'a> {
    User(i64),
    /// The login created by the accept batch, found through the invitation's claim.
    AcceptedInvitation {
        claim: &'a str,
    },
    /// The staff login that used a staff invitation in this batch, through its claim.
    StaffInvitation {
        claim: &'a str,
    },
}

pub async fn session_user(db: &dyn Db, id_hash: &str, times: &SessionTimes) -> Result<Option<SessionUser>, DbError> {
    fetch_optional(
        db,
        stmt!(
            "SELECT x.*, o.name AS organisation_name, o.accent_colour AS organisation_accent,
                    o.time_zone AS organisation_time_zone,
                    (SELECT l.digest FROM organisation_logos l WHERE l.organisation_id = o.id) AS organisation_logo
             FROM (SELECT s.user_id, u.email, s.last_seen_at,
                          st.organisation_id AS staff_organisation_id,
                          st.all_members AS staff_all_members,
                          st.role AS staff_role,
                          st.name AS staff_name,
                          coalesce(st.organisation_id,
                              (SELECT m.organisation_id FROM member_links ml JOIN members m ON m.id = ml.member_id
                               WHERE ml.user_id = s.user_id ORDER BY ml.linked_at, ml.member_id LIMIT 1)
                          ) AS organisation_id
                   FROM sessions s
                   JOIN users u ON u.id = s.user_id AND u.disabled_at IS NULL
                   LEFT JOIN staff st ON st.user_id = s.user_id
                   WHERE s.id_hash = ? AND s.expires_at > ? AND s.last_seen_at > ?
                   ORDER BY st.organisation_id LIMIT 1) x
             LEFT JOIN organisations o ON o.id = x.organisation_id",
            id_hash,
            times.now,
            times.now - times.idle_seconds
        ),
    )
    .await
}

pub async fn touch_session(db: &dyn Db, id_hash: &str, now: i64) -> Result<(), DbError> {
    db.execute(stmt!("UPDATE sessions SET last_seen_at = ? WHERE id_hash = ?", now, id_hash)).await?;
    Ok(())
}

pub async fn delete_session(db: &dyn Db, id_hash: &str) -> Result<(), DbError> {
    db.execute(stmt!("DELETE FROM sessions WHERE id_hash = ?", id_hash)).await?;
    Ok(())
}

/// Ends the session the browser had when it signs in again, in the batch that signs it in:
/// whoever was signed in there before is signed out, not left behind a new cookie.
pub fn end_previous_session(previous_id_hash: Option<&str>) -> Option<Stmt> {
    previous_id_hash.map(|id_hash| stmt!("DELETE FROM sessions WHERE id_hash = ?", id_hash))
}

/// Signs in: a new session and the login's last-login time, together, ending the session the
/// browser had.
pub async fn start_session(
    db: &dyn Db,
    id_hash: &str,
    user_id: i64,
    times: &SessionTimes,
    previous_id_hash: Option<&str>,
) -> Result<(), DbError> {
    db.batch(
        vec![
            insert_session(id_hash, SessionOwner::User(user_id), times),
            stmt!("UPDATE users SET last_login_at = ? WHERE id = ?", times.now, user_id),
            stmt!(super::scope::refresh_standing!("SELECT member_id FROM member_links WHERE user_id = ?"), user_id),
            // Expired sessions of this login are of no use to anyone.
            stmt!("DELETE FROM sessions WHERE user_id = ? AND expires_at <= ?", user_id, times.now),
        ]
        .into_iter()
        .chain(end_previous_session(previous_id_hash))
        .collect(),
    )
    .await?;
    Ok(())
}
