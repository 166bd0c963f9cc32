//! What a staff login may see, written once: `StaffScope` (built from the session, never from
//! the request) and the SQL fragments every scoped statement is made of — a visible member,
//! a granted one, a visible contact, its open invitations — each naming the values it needs
//! (`:organisation`, `:staff_user`, …), which `StaffScope::bind` and `bind_open_invitations`
//! bind by those names (`Stmt::bind_as`); and the standing refresh every batch that moves
//! a member's portal standing ends with.

use super::Stmt;
use crate::domain::Role;
use crate::stmt;

/// What a signed-in staff login may reach: its organisation, and either every member or
/// only those it was given — and the organisation's time zone, the clock its pages show.
/// Built from the session, never from the request.
#[derive(Debug, Clone)]
pub struct StaffScope {
    pub organisation_id: i64,
    pub user_id: i64,
    pub all_members: bool,
    pub role: Role,
    pub zone: crate::domain::dates::Zone,
}

/// `m` is visible to the staff login (`StaffScope::bind`: `:organisation`, `:all_members`,
/// `:staff_user`).
macro_rules! visible_member {
    () => {
        $crate::store::scope::member_in_scope!("IS NULL")
    };
}
pub(crate) use visible_member;

/// `m` is archived and was visible to the staff login before (bound as `visible_member!`):
/// what the archived members' page lists and may restore.
macro_rules! archived_member {
    () => {
        $crate::store::scope::member_in_scope!("IS NOT NULL")
    };
}
pub(crate) use archived_member;

/// `m` is the organisation's, with `archived_at` as `$archived` says, and granted to the
/// staff login unless it sees every member: the two above, written once.
macro_rules! member_in_scope {
    ($archived:literal) => {
        concat!(
            "m.organisation_id = :organisation AND m.archived_at ",
            $archived,
            " AND (:all_members = 1 OR ",
            $crate::store::scope::granted_member!("m.id"),
            ")"
        )
    };
}
pub(crate) use member_in_scope;

/// The member (`$member`, an id column) was given to the staff login `:staff_user`: itself,
/// or a group it is in.
macro_rules! granted_member {
    ($member:literal) => {
        concat!(
            "EXISTS (SELECT 1 FROM staff_access a WHERE a.user_id = :staff_user AND (a.member_id = ",
            $member,
            " OR a.group_id IN (SELECT g.group_id FROM group_members g WHERE g.member_id = ",
            $member,
            ")))"
        )
    };
}
pub(crate) use granted_member;

/// Recomputes the portal standing (migration 0010's `member_standing` view) of the members
/// the given subquery selects. Every batch that can move a standing — an invitation sent,
/// accepted, declined or revoked, a login linked or unlinked, a contact's e-mail, a failed
/// delivery, a sign-in — ends with it. (Not a trigger: D1 counts a trigger's writes in the
/// statement's `changes`, SQLite does not, and the guards read those counts.)
macro_rules! refresh_standing {
    ($members:expr) => {
        concat!(
            "UPDATE members SET (standing, standing_expires_at, latest_invited_at, latest_login_at) =
                 (SELECT standing, expires_at, invited_at, login_at FROM member_standing s
                  WHERE s.member_id = members.id)
             WHERE id IN (",
            $members,
            ")"
        )
    };
}
pub(crate) use refresh_standing;

/// Recomputes the standing of a member.
pub(crate) fn refresh_member(member_id: i64) -> Stmt {
    stmt!(refresh_standing!("SELECT ?"), member_id)
}

/// Recomputes the standing of the contact's member.
pub(crate) fn refresh_contact(contact_id: i64) -> Stmt {
    stmt!(refresh_standing!("SELECT member_id FROM contacts WHERE id = ?"), contact_id)
}

/// `c` is a contact (not removed) of a member visible to the staff login (`StaffScope::bind`).
macro_rules! visible_contact {
    () => {
        concat!(
            "c.removed_at IS NULL AND EXISTS (SELECT 1 FROM members m WHERE m.id = c.member_id AND ",
            visible_member!(),
            ")"
        )
    };
}
pub(crate) use visible_contact;

/// The contact's invitations whose link still works, when the staff login may see the
/// contact (`:contact`, `:now`). Bound by `bind_open_invitations`.
macro_rules! open_invitations_of_visible_contact {
    () => {
        concat!(
            "contact_id = :contact AND accepted_at IS NULL AND revoked_at IS NULL AND declined_at IS NULL
             AND expires_at > :now
             AND EXISTS (SELECT 1 FROM contacts c WHERE c.id = invitations.contact_id AND ",
            visible_contact!(),
            ")"
        )
    };
}
pub(crate) use open_invitations_of_visible_contact;

pub(crate) fn bind_open_invitations(s: Stmt, scope: &StaffScope, contact_id: i64, now: i64) -> Stmt {
    scope.bind(s.bind_as("contact", contact_id).bind_as("now", now))
}

impl StaffScope {
    /// Binds what the fragments above name: `:organisation`, `:all_members`, `:staff_user`.
    pub(crate) fn bind(&self, s: Stmt) -> Stmt {
        s.bind_as("organisation", self.organisation_id)
            .bind_as("all_members", self.all_members)
            .bind_as("staff_user", self.user_id)
    }
}
