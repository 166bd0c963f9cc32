//! The organisation's staff: who they are, their roles and what they were given to see, and
//! the invitations that bring new staff in. Each change is guarded in its SQL as well as
//! checked before: the actor's role is read from the table in the statement, no one
//! changes someone above them or grants above their own role, and the last owner stays.

use serde::Deserialize;

use super::invitations::QueuedEmail;
use super::scope::StaffScope;
use super::sessions::{SessionOwner, SessionTimes, insert_session};
use super::{Batch, Db, DbError, Step, Stmt, fetch_all, fetch_optional};
use crate::domain::Role;
use crate::domain::addresses::LinkKind;
use crate::stmt;

/// A role's place in the order of trust, in SQL (as `Role`'s order: staff 1 … owner 4).
macro_rules! rank {
    ($role:literal) => {
        concat!(
            "(CASE ",
            $role,
            " WHEN 'owner' THEN 4 WHEN 'administrator' THEN 3 WHEN 'security_administrator' THEN 2 ELSE 1 END)"
        )
    };
}

impl Role {
    /// As `rank!` gives it.
    pub fn rank(self) -> i64 {
        self as i64 + 1
    }
}

/// The acting login's rank, read in the statement, bound as (actor, organisation); 0 when
/// it is not staff of the organisation (any more).
macro_rules! actor_rank {
    () => {
        concat!(
            "coalesce((SELECT ",
            rank!("a.role"),
            " FROM staff a WHERE a.user_id = ? AND a.organisation_id = ?), 0)"
        )
    };
}

/// One of the team.
#[derive(Debug, Clone, Deserialize)]
pub struct TeamMember {
    pub user_id: i64,
    pub name: String,
    pub email: String,
    pub role: Role,
    #[serde(deserialize_with = "super::flag")]
    pub all_members: bool,
    pub last_login_at: Option<i64>,
}

pub async fn team(db: &dyn Db, organisation_id: i64) -> Result<Vec<TeamMember>, DbError> {
    fetch_all(
        db,
        stmt!(
            concat!(
                "SELECT s.user_id, s.name, u.email, s.role, s.all_members, u.last_login_at
                 FROM staff s JOIN users u ON u.id = s.user_id
                 WHERE s.organisation_id = ?
                 ORDER BY ",
                rank!("s.role"),
                " DESC, s.name, u.email"
            ),
            organisation_id
        ),
    )
    .await
}

/// What a limited staff login was given: a member or a group, by name.
#[derive(Debug, Clone, Deserialize)]
pub struct Grant {
    pub user_id: i64,
    pub member_id: Option<i64>,
    pub group_id: Option<i64>,
    pub name: String,
}

pub async fn grants(db: &dyn Db, organisation_id: i64) -> Result<Vec<Grant>, DbError> {
    fetch_all(
        db,
        stmt!(
            "SELECT a.user_id, a.member_id, a.group_id,
                    coalesce((SELECT g.name FROM groups g WHERE g.id = a.group_id),
                             (SELECT m.first_name || ' ' || m.last_name FROM members m WHERE m.id = a.member_id))
                        AS name
             FROM staff_access a JOIN staff s ON s.user_id = a.user_id AND s.organisation_id = ?
             WHERE a.group_id IS NOT NULL
                OR EXISTS (SELECT 1 FROM members m WHERE m.id = a.member_id AND m.archived_at IS NULL)
             ORDER BY a.group_id IS NULL, name",
            organisation_id
        ),
    )
    .await
}

/// A staff login limited to what it is given, and whether it sees one member: given them
/// directly, or through a group they are in.
#[derive(Debug, Clone, Deserialize)]
pub struct LimitedStaff {
    pub user_id: i64,
    pub name: String,
    #[serde(deserialize_with = "super::flag")]
    pub given: bool,
    #[serde(deserialize_with = "super::flag")]
    pub through_group: bool,
}

pub async fn limited_staff_around(
    db: &dyn Db,
    organisation_id: i64,
    member_id: i64,
) -> Result<Vec<LimitedStaff>, DbError> {
    fetch_all(
        db,
        stmt!(
            "SELECT s.user_id, coalesce(nullif(s.name, ''), u.email) AS name,
                    EXISTS (SELECT 1 FROM staff_access a WHERE a.user_id = s.user_id AND a.member_id = ?) AS given,
                    EXISTS (SELECT 1 FROM staff_access a JOIN group_members g ON g.group_id = a.group_id
                            WHERE a.user_id = s.user_id AND g.member_id = ?) AS through_group
             FROM staff s JOIN users u ON u.id = s.user_id
             WHERE s.organisation_id = ? AND s.all_members = 0
             ORDER BY name",
            member_id,
            member_id,
            organisation_id
        ),
    )
    .await
}

/// A staff invitation not yet used.
#[derive(Debug, Clone, Deserialize)]
pub struct OpenStaffInvitation {
    pub id: i64,
    pub name: String,
    pub email: String,
    pub role: Role,
    #[serde(deserialize_with = "super::flag")]
    pub all_members: bool,
    pub group_name: Option<String>,
    pub created_at: i64,
    pub expires_at: i64,
}

pub async fn open_invitations(db: &dyn Db, organisation_id: i64) -> Result<Vec<OpenStaffInvitation>, DbError> {
    fetch_all(
        db,
        stmt!(
            "SELECT i.id, i.name, i.email, i.role, i.all_members, g.name AS group_name, i.created_at, i.expires_at
             FROM staff_invitations i LEFT JOIN groups g ON g.id = i.group_id
             WHERE i.organisation_id = ? AND i.accepted_at IS NULL AND i.revoked_at IS NULL
             ORDER BY i.created_at DESC, i.id DESC",
            organisation_id
        ),
    )
    .await
}

/// A change to the team and its line on the organisation's timeline: the line first, under
/// the same guard, so it is written exactly when the change is. `change` ends where the
/// guard's condition goes; `table`: what the guard reads (empty for an INSERT … SELECT).
fn recorded(scope: &StaffScope, detail: &str, now: i64, table: &str, change: Stmt, guard: Stmt) -> Recorded {
    let from = if table.is_empty() { String::new() } else { format!(" FROM {table}") };
    let event = stmt!(
        format!("{}SELECT ?, NULL, NULL, 'team_changed', ?, ?, ?{from} WHERE ", crate::store::events::insert_event!()),
        scope.organisation_id,
        scope.user_id,
        detail,
        now
    );
    Recorded { event: event.then(guard.clone()), change: change.then(guard) }
}

/// A change to the team and its line on the timeline, each under the guard (`recorded`).
struct Recorded {
    event: Stmt,
    change: Stmt,
}

impl Recorded {
    /// A batch of the two, the line first, and where the change stands in it.
    fn batch(self) -> (Batch, Step) {
        let mut batch = Batch::default();
        batch.add(self.event);
        let change = batch.add(self.change);
        (batch, change)
    }
}

pub struct NewStaffInvitation<'a> {
    pub email: &'a str,
    pub name: &'a str,
    pub role: Role,
    pub token_hash: &'a str,
    pub expires_at: i64,
    /// What the login sees once it joins: every member, or only what it is given — here
    /// `group_id` (a group of the organisation), or nothing yet.
    pub all_members: bool,
    pub group_id: Option<i64>,
    /// For the timeline, in words.
    pub detail: &'a str,
}

/// Records the invitation (the address's earlier open ones die) and queues its e-mail, when
/// the acting login may grant the role and withdraw those earlier ones (as
/// `revoke_invitation`). False, nothing written, otherwise.
pub async fn create_invitation(
    db: &dyn Db,
    scope: &StaffScope,
    new: &NewStaffInvitation<'_>,
    email: &QueuedEmail,
    now: i64,
) -> Result<bool, DbError> {
    let Recorded { event, change: insert } = recorded(
        scope,
        new.detail,
        now,
        "",
        stmt!(
            "INSERT INTO staff_invitations (organisation_id, email, name, role, token_hash, invited_by,
                 created_at, expires_at, all_members, group_id)
             SELECT ?, ?, ?, ?, ?, ?, ?, ?, ?, ? WHERE ",
            scope.organisation_id,
            new.email,
            new.name,
            new.role.as_str(),
            new.token_hash,
            scope.user_id,
            now,
            new.expires_at,
            new.all_members,
            new.group_id
        ),
        // An open invitation to this address left by the statement before (one the acting
        // login may not withdraw) is not replaced.
        stmt!(
            concat!(
                actor_rank!(),
                " >= max(3, ?) AND NOT EXISTS (SELECT 1 FROM staff_invitations o
                     WHERE o.organisation_id = ? AND o.email = ? AND o.accepted_at IS NULL
                       AND o.revoked_at IS NULL AND o.expires_at > ?)"
            ),
            scope.user_id,
            scope.organisation_id,
            new.role.rank(),
            scope.organisation_id,
            new.email,
            now
        ),
    );
    let mut batch = Batch::default();
    batch.add_all([
        stmt!(
            concat!(
                "UPDATE staff_invitations SET revoked_at = ?
                     WHERE organisation_id = ? AND email = ? AND accepted_at IS NULL AND revoked_at IS NULL AND ",
                actor_rank!(),
                " >= max(3, ",
                rank!("role"),
                ")"
            ),
            now,
            scope.organisation_id,
            new.email,
            scope.user_id,
            scope.organisation_id
        ),
        event,
    ]);
    let inserted = batch.add(insert);
    batch.add(super::outbox::queue_one(
        scope.organisation_id,
        new.email,
        email,
        Some(LinkKind::StaffInvitation),
        now,
        stmt!("EXISTS (SELECT 1 FROM staff_invitations WHERE token_hash = :token_hash)", token_hash = new.token_hash),
    ));
    let changes = batch.run(db).await?;
    Ok(changes[inserted].rows_affected == 1)
}

/// Withdraws an open staff invitation. False when there was none.
pub async fn revoke_invitation(
    db: &dyn Db,
    scope: &StaffScope,
    invitation_id: i64,
    detail: &str,
    now: i64,
) -> Result<bool, DbError> {
    let (batch, revoked) = recorded(
        scope,
        detail,
        now,
        "staff_invitations",
        stmt!("UPDATE staff_invitations SET revoked_at = ? WHERE ", now),
        stmt!(
            concat!(
                "id = ? AND organisation_id = ? AND accepted_at IS NULL AND revoked_at IS NULL AND ",
                actor_rank!(),
                " >= max(3, ",
                rank!("role"),
                ")"
            ),
            invitation_id,
            scope.organisation_id,
            scope.user_id,
            scope.organisation_id
        ),
    )
    .batch();
    Ok(batch.run(db).await?[revoked].rows_affected == 1)
}

/// What the person opening a live staff invitation link is shown.
#[derive(Debug, Clone, Deserialize)]
pub struct LiveStaffInvitation {
    pub organisation_name: String,
    pub email: String,
    pub name: String,
    pub role: Role,
    #[serde(deserialize_with = "super::flag")]
    pub all_members: bool,
    /// The group the invitation gives, when it limits the login to one.
    pub group_name: Option<String>,
    /// A login with this address exists: the person proves it with its password.
    pub existing_user_id: Option<i64>,
    /// That login is staff somewhere already (one login is staff of one organisation).
    #[serde(deserialize_with = "super::flag")]
    pub existing_is_staff: bool,
}

/// The live-link guard: not used, revoked or expired.
macro_rules! live {
    () => {
        "i.token_hash = ? AND i.accepted_at IS NULL AND i.revoked_at IS NULL AND i.expires_at > ?"
    };
}

pub async fn live_invitation(db: &dyn Db, token_hash: &str, now: i64) -> Result<Option<LiveStaffInvitation>, DbError> {
    fetch_optional(
        db,
        stmt!(
            concat!(
                "SELECT o.name AS organisation_name, i.email, i.name, i.role, i.all_members, g.name AS group_name,
                        u.id AS existing_user_id,
                        EXISTS (SELECT 1 FROM staff s WHERE s.user_id = u.id) AS existing_is_staff
                 FROM staff_invitations i
                 JOIN organisations o ON o.id = i.organisation_id
                 LEFT JOIN groups g ON g.id = i.group_id
                 LEFT JOIN users u ON u.email = i.email AND u.disabled_at IS NULL
                 WHERE ",
                live!()
            ),
            token_hash,
            now
        ),
    )
    .await
}

/// How the person joining proves who they are: a new login with this password, or the
/// existing login of the invitation's address (its password was checked).
pub enum Joining<'a> {
    NewLogin { password_hash: &'a str },
    ExistingLogin { user_id: i64 },
}

/// Uses the link (claimed as `claim`): the login (made now, or the existing one) becomes
/// staff with the invitation's role, seeing every member, and is signed in. One batch
/// behind one guarded UPDATE: two concurrent uses, one wins. False when the link is no good.
pub async fn join(
    db: &dyn Db,
    token_hash: &str,
    joining: &Joining<'_>,
    claim: &str,
    session_id_hash: &str,
    times: &SessionTimes,
    previous_session: Option<&str>,
) -> Result<bool, DbError> {
    let now = times.now;
    let (login_guard, existing) = match joining {
        Joining::NewLogin { .. } => ("NOT EXISTS (SELECT 1 FROM users u WHERE u.email = i.email)", 0),
        Joining::ExistingLogin { user_id } => (
            "EXISTS (SELECT 1 FROM users u WHERE u.id = ? AND u.email = i.email AND u.disabled_at IS NULL)
             AND NOT EXISTS (SELECT 1 FROM staff s WHERE s.user_id = ?)",
            *user_id,
        ),
    };
    let mut claim_statement = stmt!(
        format!("UPDATE staff_invitations AS i SET accepted_at = ?, claim = ? WHERE {} AND {login_guard}", live!()),
        now,
        claim,
        token_hash,
        now
    );
    if existing != 0 {
        claim_statement = claim_statement.bind(existing).bind(existing);
    }
    let mut batch = Batch::default();
    let claimed = batch.add(claim_statement);
    if let Joining::NewLogin { password_hash } = joining {
        batch.add(stmt!(
            "INSERT INTO users (email, password_hash, created_at) SELECT email, ?, ? FROM staff_invitations WHERE claim = ?",
            *password_hash,
            now,
            claim
        ));
    }
    batch.add_all([
        stmt!(
            "UPDATE staff_invitations SET accepted_user_id = (SELECT u.id FROM users u WHERE u.email = staff_invitations.email)
             WHERE claim = ?",
            claim
        ),
        // What they see is set in this same batch, before any session exists: a login
        // limited at invitation is never, even for a moment, one that sees everyone.
        stmt!(
            "INSERT INTO staff (user_id, organisation_id, role, all_members, name)
             SELECT accepted_user_id, organisation_id, role, all_members, name FROM staff_invitations WHERE claim = ?",
            claim
        ),
        stmt!(
            "INSERT OR IGNORE INTO staff_access (user_id, group_id)
             SELECT i.accepted_user_id, i.group_id FROM staff_invitations i
             JOIN groups g ON g.id = i.group_id AND g.organisation_id = i.organisation_id
             WHERE i.claim = ? AND i.all_members = 0",
            claim
        ),
        stmt!("UPDATE users SET last_login_at = ? WHERE id = (SELECT accepted_user_id FROM staff_invitations WHERE claim = ?)", now, claim),
        stmt!(
            concat!(
                crate::store::events::insert_event!(),
                "SELECT organisation_id, NULL, NULL, 'staff_joined', accepted_user_id, name || ' (' || email || ') as ' || role, ?
                 FROM staff_invitations WHERE claim = ?"
            ),
            now,
            claim
        ),
        insert_session(session_id_hash, SessionOwner::StaffInvitation { claim }, times),
    ]);
    if let Some(previous) = previous_session {
        batch.add(stmt!("DELETE FROM sessions WHERE id_hash = ?", previous));
    }
    Ok(batch.run(db).await?[claimed].rows_affected == 1)
}

/// The guard every change to a team member carries, bound as it says: the member is in the
/// organisation, the actor manages it and is not below the member nor the role they get
/// (`becomes`; none when removed), and an owner stops being one only while another remains.
fn may_change_member(scope: &StaffScope, user_id: i64, becomes: Option<Role>) -> Stmt {
    stmt!(
        concat!(
            "user_id = ? AND organisation_id = ? AND ",
            actor_rank!(),
            " >= max(3, ?, ",
            rank!("role"),
            ")
             AND (role <> 'owner' OR ? = 'owner'
                  OR (SELECT count(*) FROM staff o WHERE o.organisation_id = staff.organisation_id
                        AND o.role = 'owner') > 1)"
        ),
        user_id,
        scope.organisation_id,
        scope.user_id,
        scope.organisation_id,
        becomes.map_or(0, Role::rank),
        becomes.map_or("none", Role::as_str)
    )
}

/// The team member's role and whether they see every member, as the acting login changes
/// them. False (nothing written) when the guard refuses (`may_change_member`).
pub async fn update_staff(
    db: &dyn Db,
    scope: &StaffScope,
    user_id: i64,
    role: Role,
    all_members: bool,
    detail: &str,
    now: i64,
) -> Result<bool, DbError> {
    let change = stmt!("UPDATE staff SET role = ?, all_members = ? WHERE ", role.as_str(), all_members);
    let guard = may_change_member(scope, user_id, Some(role));
    let (batch, updated) = recorded(scope, detail, now, "staff", change, guard).batch();
    Ok(batch.run(db).await?[updated].rows_affected == 1)
}

/// Takes the login off the team: its staff row and what it was given go, and its sessions
/// end (a member login it also is signs in again). Guarded as `update_staff`.
pub async fn remove_staff(
    db: &dyn Db,
    scope: &StaffScope,
    user_id: i64,
    detail: &str,
    now: i64,
) -> Result<bool, DbError> {
    let change = stmt!("DELETE FROM staff WHERE ");
    let (mut batch, removed) =
        recorded(scope, detail, now, "staff", change, may_change_member(scope, user_id, None)).batch();
    batch.add_all([
        stmt!(
            "DELETE FROM staff_access WHERE user_id = ? AND NOT EXISTS (SELECT 1 FROM staff WHERE user_id = ?)",
            user_id,
            user_id
        ),
        stmt!(
            "DELETE FROM sessions WHERE user_id = ? AND NOT EXISTS (SELECT 1 FROM staff WHERE user_id = ?)",
            user_id,
            user_id
        ),
    ]);
    Ok(batch.run(db).await?[removed].rows_affected == 1)
}

/// What a grant names: a member or a group of the organisation.
#[derive(Debug, Clone, Copy)]
pub enum Granted {
    Member(i64),
    Group(i64),
}

/// Gives a staff login a member or a group to see (or takes it back, `give` false), when
/// the acting login manages the organisation and the staff login is not above it. False
/// when nothing changed.
pub async fn set_grant(
    db: &dyn Db,
    scope: &StaffScope,
    user_id: i64,
    granted: Granted,
    give: bool,
    detail: &str,
    now: i64,
) -> Result<bool, DbError> {
    let (column, id, target) = match granted {
        Granted::Member(id) => {
            ("member_id", id, "SELECT 1 FROM members WHERE id = ? AND organisation_id = ? AND archived_at IS NULL")
        }
        Granted::Group(id) => ("group_id", id, "SELECT 1 FROM groups WHERE id = ? AND organisation_id = ?"),
    };
    let held = format!("EXISTS (SELECT 1 FROM staff_access WHERE user_id = ? AND {column} = ?)");
    let guard = stmt!(
        format!(
            "{}{held} AND EXISTS ({target}) AND EXISTS (SELECT 1 FROM staff t WHERE t.user_id = ? AND t.organisation_id = ?
               AND {} >= max(3, {}))",
            if give { "NOT " } else { "" },
            actor_rank!(),
            rank!("t.role")
        ),
        user_id,
        id,
        id,
        scope.organisation_id,
        user_id,
        scope.organisation_id,
        scope.user_id,
        scope.organisation_id
    );
    let change = if give {
        stmt!(format!("INSERT INTO staff_access (user_id, {column}) SELECT ?, ? WHERE "), user_id, id)
    } else {
        stmt!(format!("DELETE FROM staff_access WHERE user_id = ? AND {column} = ? AND "), user_id, id)
    };
    let (batch, changed) = recorded(scope, detail, now, "", change, guard).batch();
    Ok(batch.run(db).await?[changed].rows_affected == 1)
}
