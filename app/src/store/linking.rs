//! Logins linked to contacts by their e-mail rather than by an invitation: self-service
//! sign-ups proved by a link, the organisation's auto-link setting applied to them and to
//! accepted invitations, and the Link requests staff approve or reject.

use serde::Deserialize;

use super::invitations::QueuedEmail;
use super::scope::{StaffScope, refresh_standing, visible_contact, visible_member};
use super::{Batch, Db, DbError, fetch_all, fetch_optional};
use crate::domain::addresses::LinkKind;
use crate::stmt;

/// The contacts of an organisation a login with this e-mail may be linked to: same
/// e-mail, on the profile, not linked to anyone, on a member the login does not reach yet —
/// the first such contact of each member. Bound: organisation, e-mail, user.
macro_rules! matching_contacts {
    () => {
        "FROM contacts c JOIN members m ON m.id = c.member_id
         WHERE m.organisation_id = ? AND m.archived_at IS NULL AND c.removed_at IS NULL AND c.email = ?
           AND NOT EXISTS (SELECT 1 FROM member_links l WHERE l.contact_id = c.id)
           AND NOT EXISTS (SELECT 1 FROM member_links l WHERE l.user_id = ? AND l.member_id = c.member_id)
           AND NOT EXISTS (SELECT 1 FROM contacts e WHERE e.member_id = c.member_id AND e.email = c.email
                             AND e.removed_at IS NULL AND e.id < c.id)"
    };
}

/// What the organisation's auto-link setting did for a login.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Matched {
    pub linked: u64,
    pub requested: u64,
}

/// Applies the organisation's auto-link setting to the login: links the matching contacts
/// ('always'), asks staff to confirm each ('ask'), or does nothing ('never').
pub async fn apply_auto_link(
    db: &dyn Db,
    organisation_id: i64,
    user_id: i64,
    email: &str,
    now: i64,
) -> Result<Matched, DbError> {
    let mut batch = Batch::default();
    // Written just before the links, from the very contacts they are about to link.
    batch.add(stmt!(
        concat!(
            super::events::insert_event!(),
            "SELECT m.organisation_id, c.member_id, c.id, 'linked', NULL, ?, ? ",
            matching_contacts!(),
            " AND (SELECT auto_link FROM organisations WHERE id = m.organisation_id) = 'always'"
        ),
        email,
        now,
        organisation_id,
        email,
        user_id
    ));
    let linked = batch.add(stmt!(
        concat!(
            "INSERT INTO member_links (user_id, member_id, contact_id, relation, linked_at)
                     SELECT ?, c.member_id, c.id, CASE WHEN c.is_self = 1 THEN 'self' ELSE 'representative' END, ? ",
            matching_contacts!(),
            " AND (SELECT auto_link FROM organisations WHERE id = m.organisation_id) = 'always'"
        ),
        user_id,
        now,
        organisation_id,
        email,
        user_id
    ));
    let requested = batch.add(stmt!(
        concat!(
            "INSERT INTO link_requests (organisation_id, user_id, contact_id, created_at)
                     SELECT m.organisation_id, ?, c.id, ? ",
            matching_contacts!(),
            " AND (SELECT auto_link FROM organisations WHERE id = m.organisation_id) = 'ask'
                      AND NOT EXISTS (SELECT 1 FROM link_requests r
                                      WHERE r.user_id = ? AND r.contact_id = c.id AND r.decided_at IS NULL)"
        ),
        user_id,
        now,
        organisation_id,
        email,
        user_id,
        user_id
    ));
    batch.add(stmt!(refresh_standing!("SELECT member_id FROM member_links WHERE user_id = ?"), user_id));
    let changes = batch.run(db).await?;
    Ok(Matched { linked: changes[linked].rows_affected, requested: changes[requested].rows_affected })
}

pub struct NewSignUp<'a> {
    pub organisation_id: i64,
    pub email: &'a str,
    pub password_hash: &'a str,
    pub token_hash: &'a str,
    pub now: i64,
    pub expires_at: i64,
}

/// Records the sign-up and queues its confirmation e-mail, in one batch, when the
/// organisation takes sign-ups. False (nothing written) when it does not.
pub async fn create_sign_up(db: &dyn Db, new: &NewSignUp<'_>, email: &QueuedEmail) -> Result<bool, DbError> {
    let mut batch = Batch::default();
    let started = batch.add(stmt!(
        "INSERT INTO sign_ups (organisation_id, email, password_hash, token_hash, created_at, expires_at)
                 SELECT id, ?, ?, ?, ?, ? FROM organisations WHERE id = ? AND self_sign_up = 1",
        new.email,
        new.password_hash,
        new.token_hash,
        new.now,
        new.expires_at,
        new.organisation_id
    ));
    batch.add(super::outbox::queue_one(
        new.organisation_id,
        new.email,
        email,
        Some(LinkKind::SignUp),
        new.now,
        stmt!("EXISTS (SELECT 1 FROM sign_ups WHERE token_hash = :token_hash)", token_hash = new.token_hash),
    ));
    let changes = batch.run(db).await?;
    Ok(changes[started].rows_affected == 1)
}

/// A sign-up whose link is still good: unused, unexpired, at an organisation that still
/// takes sign-ups.
#[derive(Debug, Clone, Deserialize)]
pub struct PendingSignUp {
    pub organisation_id: i64,
    pub organisation_name: String,
    pub email: String,
}

macro_rules! confirmable {
    () => {
        "s.token_hash = ? AND s.verified_at IS NULL AND s.expires_at > ?
         AND EXISTS (SELECT 1 FROM organisations o WHERE o.id = s.organisation_id AND o.self_sign_up = 1)"
    };
}

pub async fn pending_sign_up(db: &dyn Db, token_hash: &str, now: i64) -> Result<Option<PendingSignUp>, DbError> {
    fetch_optional(
        db,
        stmt!(
            concat!(
                "SELECT s.organisation_id, o.name AS organisation_name, s.email
                 FROM sign_ups s JOIN organisations o ON o.id = s.organisation_id WHERE ",
                confirmable!()
            ),
            token_hash,
            now
        ),
    )
    .await
}

/// The login a confirmed sign-up has — made now with the sign-up's password, or the one
/// that had the address already (its password is never replaced) — and where it signed up.
#[derive(Debug, Clone, Deserialize)]
pub struct ConfirmedLogin {
    pub user_id: i64,
    pub organisation_id: i64,
    pub email: String,
}

/// Uses up the link and makes the login, in one batch behind the guarded UPDATE. None when
/// the link is no longer good.
pub async fn confirm_sign_up(
    db: &dyn Db,
    token_hash: &str,
    claim: &str,
    now: i64,
) -> Result<Option<ConfirmedLogin>, DbError> {
    db.batch(vec![
        stmt!(
            concat!(
                "UPDATE sign_ups SET verified_at = ?, claim = ?
                 WHERE id = (SELECT s.id FROM sign_ups s WHERE ",
                confirmable!(),
                ")"
            ),
            now,
            claim,
            token_hash,
            now
        ),
        stmt!(
            "INSERT INTO users (email, password_hash, created_at)
             SELECT email, password_hash, ? FROM sign_ups s
             WHERE claim = ? AND NOT EXISTS (SELECT 1 FROM users u WHERE u.email = s.email)",
            now,
            claim
        ),
    ])
    .await?;
    fetch_optional(
        db,
        stmt!(
            "SELECT u.id AS user_id, s.organisation_id, s.email
             FROM sign_ups s JOIN users u ON u.email = s.email WHERE s.claim = ?",
            claim
        ),
    )
    .await
}

/// A request waiting for staff, with who asks and for which contact.
#[derive(Debug, Clone, Deserialize)]
pub struct OpenLinkRequest {
    pub id: i64,
    pub login_email: String,
    pub created_at: i64,
    pub contact_id: i64,
    pub member_id: i64,
    pub member_name: String,
    pub contact_name: String,
    #[serde(deserialize_with = "super::flag")]
    pub is_self: bool,
}

pub async fn open_link_requests(db: &dyn Db, scope: &StaffScope) -> Result<Vec<OpenLinkRequest>, DbError> {
    fetch_all(
        db,
        scope.bind(stmt!(concat!(
            "SELECT r.id, u.email AS login_email, r.created_at, c.id AS contact_id, c.member_id,
                    m.first_name || ' ' || m.last_name AS member_name,
                    coalesce(c.first_name, m.first_name) || ' ' || coalesce(c.last_name, m.last_name) AS contact_name,
                    c.is_self
             FROM link_requests r
             JOIN users u ON u.id = r.user_id
             JOIN contacts c ON c.id = r.contact_id
             JOIN members m ON m.id = c.member_id
             WHERE r.decided_at IS NULL AND NOT EXISTS (SELECT 1 FROM member_links l WHERE l.contact_id = c.id) AND ",
            visible_contact!(),
            " ORDER BY r.created_at, r.id"
        ))),
    )
    .await
}

/// Approves (links the login to the contact, when both are still free) or rejects an open
/// request on a contact this staff login may see. False when there is no such request.
pub async fn decide_link_request(
    db: &dyn Db,
    scope: &StaffScope,
    request_id: i64,
    approve: bool,
    now: i64,
) -> Result<bool, DbError> {
    let mut batch = Batch::default();
    batch.add(scope.bind(stmt!(
                concat!(
                    "INSERT INTO member_links (user_id, member_id, contact_id, relation, linked_at)
                     SELECT r.user_id, c.member_id, c.id, CASE WHEN c.is_self = 1 THEN 'self' ELSE 'representative' END,
                            :now
                     FROM link_requests r JOIN contacts c ON c.id = r.contact_id
                     WHERE r.id = :request AND r.decided_at IS NULL AND :approve = 1
                       AND NOT EXISTS (SELECT 1 FROM member_links l WHERE l.contact_id = c.id)
                       AND NOT EXISTS (SELECT 1 FROM member_links l WHERE l.user_id = r.user_id AND l.member_id = c.member_id)
                       AND ",
                    visible_contact!()
                ),
                now = now,
                request = request_id,
                approve = approve
            )));
    // Only when the statement before linked the login.
    batch.add(stmt!(
        concat!(
            super::events::insert_event!(),
            "SELECT m.organisation_id, c.member_id, c.id, 'linked', :staff_user, u.email, :now
             FROM link_requests r JOIN contacts c ON c.id = r.contact_id JOIN members m ON m.id = c.member_id
             JOIN users u ON u.id = r.user_id
             WHERE r.id = :request AND r.decided_at IS NULL AND changes() > 0"
        ),
        staff_user = scope.user_id,
        now = now,
        request = request_id
    ));
    let decided = batch.add(scope.bind(stmt!(
                concat!(
                    "UPDATE link_requests SET decided_at = :now, decided_by = :staff_user,
                         approved = EXISTS (SELECT 1 FROM member_links l
                                            WHERE l.user_id = link_requests.user_id AND l.contact_id = link_requests.contact_id)
                     WHERE id = :request AND decided_at IS NULL
                       AND EXISTS (SELECT 1 FROM contacts c WHERE c.id = link_requests.contact_id AND ",
                    visible_contact!(),
                    ")"
                ),
                now = now,
                request = request_id
            )));
    batch.add(stmt!(
        refresh_standing!(
            "SELECT c.member_id FROM link_requests r JOIN contacts c ON c.id = r.contact_id WHERE r.id = ?"
        ),
        request_id
    ));
    let changes = batch.run(db).await?;
    Ok(changes[decided].rows_affected == 1)
}

/// Why a contact with no login is not linked, for the profile: a login with its e-mail
/// waits in Link requests, or exists unlinked.
#[derive(Debug, Clone, Deserialize)]
pub struct UnlinkedReason {
    pub contact_id: i64,
    #[serde(deserialize_with = "super::flag")]
    pub waiting_request: bool,
    #[serde(deserialize_with = "super::flag")]
    pub login_exists: bool,
}

pub async fn unlinked_reasons(db: &dyn Db, member_id: i64) -> Result<Vec<UnlinkedReason>, DbError> {
    fetch_all(
        db,
        stmt!(
            "SELECT c.id AS contact_id,
                    EXISTS (SELECT 1 FROM link_requests r WHERE r.contact_id = c.id AND r.decided_at IS NULL) AS waiting_request,
                    EXISTS (SELECT 1 FROM users u WHERE u.email = c.email) AS login_exists
             FROM contacts c
             WHERE c.member_id = ? AND c.removed_at IS NULL AND c.email IS NOT NULL
               AND NOT EXISTS (SELECT 1 FROM member_links l WHERE l.contact_id = c.id)",
            member_id
        ),
    )
    .await
}
