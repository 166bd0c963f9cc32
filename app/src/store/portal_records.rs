//! A member's memberships, bookings and files: staff keep them on the profile, the member
//! reads them on the portal. Reads take a member the caller has already shown it may see;
//! every write is guarded in its own SQL by the staff login's view of the member.

use serde::Deserialize;

use super::scope::{StaffScope, visible_member};
use super::{Db, DbError, fetch_all, fetch_optional};
use crate::stmt;

/// The member `$member` names (a column, or `:member`) is one the staff login
/// (`StaffScope::bind`) sees.
macro_rules! staff_sees {
    ($member:literal) => {
        concat!("EXISTS (SELECT 1 FROM members m WHERE m.id = ", $member, " AND ", visible_member!(), ")")
    };
}

#[derive(Debug, Clone, Deserialize)]
pub struct MembershipRow {
    pub id: i64,
    pub programme: String,
    pub level: Option<String>,
}

#[derive(Debug, Clone, Deserialize)]
pub struct BookingRow {
    pub id: i64,
    pub title: String,
    pub starts: String,
    pub place: Option<String>,
    pub cancelled_at: Option<i64>,
}

#[derive(Debug, Clone, Deserialize)]
pub struct FileRow {
    pub id: i64,
    pub name: String,
    pub size: i64,
    #[serde(deserialize_with = "super::flag")]
    pub shared: bool,
    pub added_at: i64,
}

/// A kept file, to hand back.
#[derive(Debug, Clone, Deserialize)]
pub struct FileContent {
    pub name: String,
    pub content_type: String,
    /// Base64.
    pub content: String,
}

/// Which of the portal's optional sections the member's organisation shows.
#[derive(Debug, Clone, Copy, Deserialize)]
pub struct Sections {
    #[serde(deserialize_with = "super::flag")]
    pub bookings_shown: bool,
    #[serde(deserialize_with = "super::flag")]
    pub files_shown: bool,
}

pub async fn sections(db: &dyn Db, member_id: i64) -> Result<Option<Sections>, DbError> {
    fetch_optional(
        db,
        stmt!(
            "SELECT o.bookings_shown, o.files_shown FROM members m JOIN organisations o ON o.id = m.organisation_id
             WHERE m.id = ?",
            member_id
        ),
    )
    .await
}

pub async fn memberships(db: &dyn Db, member_id: i64) -> Result<Vec<MembershipRow>, DbError> {
    fetch_all(
        db,
        stmt!("SELECT id, programme, level FROM memberships WHERE member_id = ? ORDER BY programme, id", member_id),
    )
    .await
}

/// Bookings from the start of `from_day` ("2026-12-01", `domain::portal_records::upcoming_from`) on, the soonest first, cancelled
/// ones among them (marked); at most 100.
pub async fn bookings(db: &dyn Db, member_id: i64, from_day: &str) -> Result<Vec<BookingRow>, DbError> {
    fetch_all(
        db,
        stmt!(
            "SELECT id, title, starts, place, cancelled_at FROM bookings
             WHERE member_id = ? AND starts >= ? ORDER BY starts, id LIMIT 100",
            member_id,
            from_day
        ),
    )
    .await
}

/// The latest 20 bookings before `from_day`, the latest first.
pub async fn past_bookings(db: &dyn Db, member_id: i64, from_day: &str) -> Result<Vec<BookingRow>, DbError> {
    fetch_all(
        db,
        stmt!(
            "SELECT id, title, starts, place, cancelled_at FROM bookings
             WHERE member_id = ? AND starts < ? ORDER BY starts DESC, id DESC LIMIT 20",
            member_id,
            from_day
        ),
    )
    .await
}

/// The member's files, newest first; only the shared ones when `shared_only`.
pub async fn files(db: &dyn Db, member_id: i64, shared_only: bool) -> Result<Vec<FileRow>, DbError> {
    fetch_all(
        db,
        stmt!(
            "SELECT id, name, size, shared, added_at FROM member_files
             WHERE member_id = ? AND (shared = 1 OR ? = 0) ORDER BY added_at DESC, id DESC",
            member_id,
            shared_only
        ),
    )
    .await
}

pub async fn add_membership(
    db: &dyn Db,
    scope: &StaffScope,
    member_id: i64,
    programme: &str,
    level: Option<&str>,
    now: i64,
) -> Result<bool, DbError> {
    let changes = db
        .execute(scope.bind(stmt!(
            concat!(
                "INSERT INTO memberships (member_id, programme, level, added_by, added_at)
                 SELECT :member, :programme, :level, :staff_user, :now WHERE ",
                staff_sees!(":member")
            ),
            member = member_id,
            programme = programme,
            level = level,
            now = now
        )))
        .await?;
    Ok(changes.rows_affected == 1)
}

pub async fn remove_membership(db: &dyn Db, scope: &StaffScope, membership_id: i64) -> Result<bool, DbError> {
    let changes = db
        .execute(scope.bind(stmt!(
            concat!("DELETE FROM memberships WHERE id = :membership AND ", staff_sees!("memberships.member_id")),
            membership = membership_id
        )))
        .await?;
    Ok(changes.rows_affected == 1)
}

pub async fn add_booking(
    db: &dyn Db,
    scope: &StaffScope,
    member_id: i64,
    title: &str,
    starts: &str,
    place: Option<&str>,
    now: i64,
) -> Result<bool, DbError> {
    let changes = db
        .execute(scope.bind(stmt!(
            concat!(
                "INSERT INTO bookings (member_id, title, starts, place, added_by, added_at)
                 SELECT :member, :title, :starts, :place, :staff_user, :now WHERE ",
                staff_sees!(":member")
            ),
            member = member_id,
            title = title,
            starts = starts,
            place = place,
            now = now
        )))
        .await?;
    Ok(changes.rows_affected == 1)
}

/// Marks a booking cancelled (it stays listed, marked, so the member sees it is off).
pub async fn cancel_booking(db: &dyn Db, scope: &StaffScope, booking_id: i64, now: i64) -> Result<bool, DbError> {
    let changes = db
        .execute(scope.bind(stmt!(
            concat!(
                "UPDATE bookings SET cancelled_at = :now WHERE id = :booking AND cancelled_at IS NULL AND ",
                staff_sees!("bookings.member_id")
            ),
            now = now,
            booking = booking_id
        )))
        .await?;
    Ok(changes.rows_affected == 1)
}

pub struct NewFile<'a> {
    pub name: &'a str,
    pub content_type: &'a str,
    pub size: usize,
    /// Base64.
    pub content: &'a str,
    pub shared: bool,
}

pub async fn add_file(
    db: &dyn Db,
    scope: &StaffScope,
    member_id: i64,
    file: &NewFile<'_>,
    now: i64,
) -> Result<bool, DbError> {
    let changes = db
        .execute(scope.bind(stmt!(
            concat!(
                "INSERT INTO member_files (member_id, name, content_type, size, content, shared, added_by, added_at)
                 SELECT :member, :name, :content_type, :size, :content, :shared, :staff_user, :now WHERE ",
                staff_sees!(":member")
            ),
            member = member_id,
            name = file.name,
            content_type = file.content_type,
            size = file.size as i64,
            content = file.content,
            shared = file.shared,
            now = now
        )))
        .await?;
    Ok(changes.rows_affected == 1)
}

pub async fn set_file_shared(db: &dyn Db, scope: &StaffScope, file_id: i64, shared: bool) -> Result<bool, DbError> {
    let changes = db
        .execute(scope.bind(stmt!(
            concat!(
                "UPDATE member_files SET shared = :shared WHERE id = :file AND ",
                staff_sees!("member_files.member_id")
            ),
            shared = shared,
            file = file_id
        )))
        .await?;
    Ok(changes.rows_affected == 1)
}

pub async fn remove_file(db: &dyn Db, scope: &StaffScope, file_id: i64) -> Result<bool, DbError> {
    let changes = db
        .execute(scope.bind(stmt!(
            concat!("DELETE FROM member_files WHERE id = :file AND ", staff_sees!("member_files.member_id")),
            file = file_id
        )))
        .await?;
    Ok(changes.rows_affected == 1)
}

/// A file of a member the staff login sees.
pub async fn file_for_staff(db: &dyn Db, scope: &StaffScope, file_id: i64) -> Result<Option<FileContent>, DbError> {
    fetch_optional(
        db,
        scope.bind(stmt!(
            concat!(
                "SELECT name, content_type, content FROM member_files WHERE id = :file AND ",
                staff_sees!("member_files.member_id")
            ),
            file = file_id
        )),
    )
    .await
}

/// A shared file of a profile linked to the login, while its organisation shows files.
pub async fn file_for_member(db: &dyn Db, user_id: i64, file_id: i64) -> Result<Option<FileContent>, DbError> {
    fetch_optional(
        db,
        stmt!(
            "SELECT f.name, f.content_type, f.content FROM member_files f
             JOIN member_links l ON l.member_id = f.member_id AND l.user_id = ?
             JOIN members m ON m.id = f.member_id AND m.archived_at IS NULL
             JOIN organisations o ON o.id = m.organisation_id AND o.files_shown = 1
             WHERE f.id = ? AND f.shared = 1",
            user_id,
            file_id
        ),
    )
    .await
}
