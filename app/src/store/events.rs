//! The timeline: an append-only record of what happened to members' invitations and portal
//! access, and to the organisation's settings. Each event is written by a statement in the
//! same batch as what it records (below: one per kind of write), so none is lost or made up.

use serde::Deserialize;

use super::scope::{
    StaffScope, bind_open_invitations, open_invitations_of_visible_contact, visible_contact, visible_member,
};
use super::{Db, DbError, Stmt, fetch_all};
use crate::domain::dates::Zone;
use crate::domain::timeline::{TimelineEntry, describe};
use crate::stmt;

/// The columns every event statement writes, in order.
macro_rules! insert_event {
    () => {
        "INSERT INTO events (organisation_id, member_id, contact_id, kind, actor_user_id, detail, at) "
    };
}
pub(crate) use insert_event;

/// The invitations just written (a JSON list of objects with their `token_hash`): invited,
/// resent (an earlier one to the contact was never accepted) or reinvited (after a decline),
/// by the staff who sent them, to their address.
pub fn invitations_created(list: &str) -> Stmt {
    stmt!(
        concat!(
            insert_event!(),
            "SELECT i.organisation_id, i.member_id, i.contact_id,
                    iif(i.reinvite = 1, 'reinvited',
                        iif(EXISTS (SELECT 1 FROM invitations p WHERE p.contact_id = i.contact_id AND p.id < i.id
                                      AND p.accepted_at IS NULL), 'resent', 'invited')),
                    i.sent_by, i.email, i.created_at
             FROM invitations i
             WHERE i.token_hash IN (SELECT json_extract(value, '$.token_hash') FROM json_each(?))"
        ),
        list
    )
}

/// Who made a new link that no invitation e-mail of staff announces.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NewLinkBy {
    /// "Re-enable invite link": by the staff who made it, to pass on by hand.
    Staff,
    /// The person asked for one from their expired invitation: by no staff.
    ThePerson,
}

/// The invitation `token_hash` just made with a new link (`link_reenabled` or
/// `link_requested`, as `by` says), naming the address it is for.
pub fn new_link(by: NewLinkBy, token_hash: &str) -> Stmt {
    let (kind, by_staff) = match by {
        NewLinkBy::Staff => ("link_reenabled", true),
        NewLinkBy::ThePerson => ("link_requested", false),
    };
    stmt!(
        concat!(
            insert_event!(),
            "SELECT organisation_id, member_id, contact_id, ?, iif(?, sent_by, NULL), email, created_at
             FROM invitations WHERE token_hash = ?"
        ),
        kind,
        by_staff,
        token_hash
    )
}

/// The invitation e-mail a provider's report just moved (`outbox.report_claim`): what became
/// of it, by no staff, with the provider's reason (else the address) as its detail.
pub fn delivery_reported(claim: &str) -> Stmt {
    stmt!(
        concat!(
            insert_event!(),
            "SELECT o.organisation_id, i.member_id, i.contact_id, 'email_' || o.report, NULL,
                    coalesce(o.report_detail, o.to_email), o.reported_at
             FROM outbox o JOIN invitations i ON i.id = o.invitation_id
             WHERE o.report_claim = ?"
        ),
        claim
    )
}

/// The invitation a person just used from their link (`claim`): accepted, or declined.
pub fn invitation_used(kind: &'static str, claim: &str, now: i64) -> Stmt {
    stmt!(
        concat!(
            insert_event!(),
            "SELECT organisation_id, member_id, contact_id, ?, NULL, email, ? FROM invitations WHERE claim = ?"
        ),
        kind,
        now,
        claim
    )
}

/// Which of a contact's open invitations a statement ends, besides its guard.
#[derive(Debug, Clone, Copy)]
pub enum Ending<'a> {
    All,
    /// Only when the contact's e-mail is about to become this other one.
    IfEmailBecomes(Option<&'a str>),
    /// Only a representative's (they are being removed).
    IfRepresentative,
}

/// The contact's open invitations that staff are about to end (`kind`: revoked, declined),
/// written just before the statement that ends them, under the same guard; `detail`: a
/// reason.
pub fn open_invitations_ending(
    kind: &'static str,
    scope: &StaffScope,
    contact_id: i64,
    now: i64,
    detail: Option<&str>,
    which: Ending<'_>,
) -> Stmt {
    let only = match which {
        Ending::All => "",
        Ending::IfEmailBecomes(_) => {
            "(SELECT email FROM contacts WHERE id = invitations.contact_id) IS NOT :email AND "
        }
        Ending::IfRepresentative => "(SELECT is_self FROM contacts WHERE id = invitations.contact_id) = 0 AND ",
    };
    let mut statement = stmt!(
        format!(
            "{}SELECT organisation_id, member_id, contact_id, :kind, :staff_user, :detail, :now FROM invitations
             WHERE {only}{}",
            insert_event!(),
            open_invitations_of_visible_contact!()
        ),
        kind = kind,
        detail = detail
    );
    if let Ending::IfEmailBecomes(email) = which {
        statement = statement.bind_as("email", email);
    }
    bind_open_invitations(statement, scope, contact_id, now)
}

/// The contact's login, about to be unlinked by staff (before the link is deleted, under
/// the same guard).
pub fn login_unlinked(scope: &StaffScope, contact_id: i64, now: i64) -> Stmt {
    scope.bind(stmt!(
        concat!(
            insert_event!(),
            "SELECT (SELECT organisation_id FROM members WHERE id = c.member_id), c.member_id, c.id, 'unlinked',
                    :staff_user, u.email, :now
             FROM member_links l JOIN contacts c ON c.id = l.contact_id JOIN users u ON u.id = l.user_id
             WHERE l.contact_id = :contact AND ",
            visible_contact!()
        ),
        now = now,
        contact = contact_id
    ))
}

/// The outbox's invitation e-mails of the claim, before their outcome is written: handed
/// to the e-mail service (`emailed`, with the address), or given up on
/// (`delivery_failed`, with why), for the messages `ids` (a JSON list) or all of the claim.
pub fn invitation_emails(kind: &'static str, claim: &str, ids: Option<&str>, detail: Option<&str>, now: i64) -> Stmt {
    stmt!(
        concat!(
            insert_event!(),
            "SELECT i.organisation_id, i.member_id, i.contact_id, ?, NULL, coalesce(?, o.to_email), ?
             FROM outbox o JOIN invitations i ON i.id = o.invitation_id
             WHERE o.claim = ? AND o.status = 'sending'
               AND (? IS NULL OR o.id IN (SELECT value FROM json_each(coalesce(?, '[]'))))"
        ),
        kind,
        detail,
        now,
        claim,
        ids,
        ids
    )
}

/// A change to the organisation's settings, in words, by a login that may change them (the
/// owner or an administrator; for anyone else, nothing is written).
pub fn settings_changed(organisation_id: i64, user_id: i64, detail: &str, now: i64) -> Stmt {
    stmt!(
        concat!(
            insert_event!(),
            "SELECT ?, NULL, NULL, 'settings_changed', ?, ?, ?
             WHERE EXISTS (SELECT 1 FROM staff s WHERE s.user_id = ? AND s.organisation_id = ?
                             AND s.role IN ('owner', 'administrator'))"
        ),
        organisation_id,
        user_id,
        detail,
        now,
        user_id,
        organisation_id
    )
}

/// The same line, written only when the statement before it in its batch changed a row.
pub fn settings_changed_if_changed(organisation_id: i64, user_id: i64, detail: &str, now: i64) -> Stmt {
    let mut line = settings_changed(organisation_id, user_id, detail, now);
    line.sql = format!("{} AND changes() > 0", line.sql).into();
    line
}

/// One event as the timeline queries read it.
#[derive(Debug, Clone, Deserialize)]
struct EventRow {
    kind: String,
    at: i64,
    detail: Option<String>,
    /// The staff who did it, by name (or login e-mail); none for the member or the system.
    actor: Option<String>,
    /// Whom it concerns: the contact's name (the member's, for their own contact).
    contact_name: Option<String>,
}

/// How many events a timeline shows, newest first.
pub const TIMELINE_LENGTH: i64 = 200;

const EVENT_COLUMNS: &str = "e.kind, e.at, e.detail,
    (SELECT coalesce(nullif(s.name, ''), u.email) FROM users u LEFT JOIN staff s ON s.user_id = u.id
     WHERE u.id = e.actor_user_id) AS actor,
    (SELECT coalesce(c.first_name || ' ' || c.last_name, m.first_name || ' ' || m.last_name)
     FROM contacts c JOIN members m ON m.id = c.member_id WHERE c.id = e.contact_id) AS contact_name";

/// The events a query finds, in words, their times in the organisation's zone.
async fn timeline(db: &dyn Db, query: Stmt, zone: &Zone) -> Result<Vec<TimelineEntry>, DbError> {
    let rows: Vec<EventRow> = fetch_all(db, query).await?;
    Ok(rows
        .iter()
        .map(|e| TimelineEntry {
            when: zone.date_time(e.at),
            what: describe(&e.kind, e.contact_name.as_deref(), e.detail.as_deref(), e.actor.as_deref()),
        })
        .collect())
}

/// A member's timeline (the caller has checked this staff login may see the member).
pub async fn member_timeline(db: &dyn Db, member_id: i64, zone: &Zone) -> Result<Vec<TimelineEntry>, DbError> {
    timeline(
        db,
        stmt!(
            format!(
                "SELECT {EVENT_COLUMNS} FROM events e WHERE e.member_id = ?
                 ORDER BY e.at DESC, e.id DESC LIMIT {TIMELINE_LENGTH}"
            ),
            member_id
        ),
        zone,
    )
    .await
}

/// The organisation's own timeline: its settings' changes.
pub async fn organisation_timeline(
    db: &dyn Db,
    organisation_id: i64,
    zone: &Zone,
) -> Result<Vec<TimelineEntry>, DbError> {
    timeline(
        db,
        stmt!(
            format!(
                "SELECT {EVENT_COLUMNS} FROM events e WHERE e.organisation_id = ? AND e.member_id IS NULL
                 ORDER BY e.at DESC, e.id DESC LIMIT {TIMELINE_LENGTH}"
            ),
            organisation_id
        ),
        zone,
    )
    .await
}

/// An event as the API gives it: its id (the cursor) and what it says.
#[derive(Debug, Clone, Deserialize)]
pub struct NumberedEvent {
    pub id: i64,
    pub member_id: Option<i64>,
    pub contact_id: Option<i64>,
    pub kind: String,
    pub at: i64,
    detail: Option<String>,
    actor: Option<String>,
    contact_name: Option<String>,
}

impl NumberedEvent {
    /// The event in the words the timeline shows.
    pub fn text(&self) -> String {
        describe(&self.kind, self.contact_name.as_deref(), self.detail.as_deref(), self.actor.as_deref())
    }
}

/// The organisation's events written after the event `after` (0: from the first), oldest
/// first, at most `limit`.
pub async fn since(db: &dyn Db, organisation_id: i64, after: i64, limit: i64) -> Result<Vec<NumberedEvent>, DbError> {
    fetch_all(db, since_stmt(organisation_id, after, limit)).await
}

/// The statement `since` runs (public for the query-plan test).
pub fn since_stmt(organisation_id: i64, after: i64, limit: i64) -> Stmt {
    stmt!(
        format!(
            "SELECT e.id, e.member_id, e.contact_id, {EVENT_COLUMNS} FROM events e
             WHERE e.organisation_id = :organisation AND e.id > :after ORDER BY e.id LIMIT :limit"
        ),
        organisation = organisation_id,
        after = after,
        limit = limit
    )
}
