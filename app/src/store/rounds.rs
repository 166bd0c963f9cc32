//! Invitation rounds: many people invited at once — a group's owners, the members staff
//! selected, everyone a search finds. A round is named by the key its confirm form carried,
//! planned once (each person: to invite, or skipped and why), then sent in chunks, each one
//! atomic batch. Whatever stops a send part-way, sending the same key again invites only
//! those still waiting, so no one is invited twice.

use serde::Deserialize;

use super::contacts::profiles_of_person;
use super::invitations::{InvitingAs, bind_inviting_as, inviting_as_allows};
use super::members::{LatestInvitation, latest_invitation_columns};
use super::scope::{StaffScope, granted_member, refresh_standing};
use super::{Db, DbError, Stmt, fetch_all, fetch_optional};
use crate::domain::InvitationFacts;
use crate::domain::delivery_report::Report;
use crate::domain::round::Candidacy;
use crate::stmt;

/// One person around a profile a round may invite, with what decides whether it does.
#[derive(Debug, Clone, Deserialize)]
pub struct Candidate {
    pub contact_id: i64,
    pub member_id: i64,
    pub member_name: String,
    pub first_name: String,
    pub last_name: String,
    #[serde(deserialize_with = "super::flag")]
    pub is_self: bool,
    pub relation: Option<String>,
    #[serde(deserialize_with = "super::flag")]
    pub is_primary: bool,
    pub email: Option<String>,
    #[serde(deserialize_with = "super::flag")]
    pub archived: bool,
    #[serde(deserialize_with = "super::flag")]
    pub has_login: bool,
    /// Another contact's login uses this e-mail (002's shared-e-mail rule).
    #[serde(deserialize_with = "super::flag")]
    pub email_has_access: bool,
    /// What the provider last reported of an invitation e-mail to this contact's present
    /// address (`outbox.report`), if anything.
    pub address_report: Option<String>,
    /// The person: their first contact (`contacts.same_as`), this one's id when their own.
    pub person_id: i64,
    #[serde(flatten)]
    latest: LatestInvitation,
}

impl Candidate {
    pub fn latest_invitation(&self) -> Option<InvitationFacts> {
        self.latest.facts()
    }

    /// What the round's rule (`domain::round::decide`) looks at.
    pub fn candidacy(&self) -> Candidacy<'_> {
        Candidacy {
            archived: self.archived,
            has_login: self.has_login,
            is_primary: self.is_primary,
            email: self.email.as_deref(),
            email_has_access: self.email_has_access,
            latest: self.latest_invitation(),
            address_refused: self
                .address_report
                .as_deref()
                .and_then(Report::from_stored)
                .and_then(Report::refuses_address),
        }
    }
}

/// Every contact of these members (archived ones too, so staff are told why they are left
/// out) that this login may see, in the members' order, each member themself first.
/// `without_login_only`: leave out contacts who have a login.
pub async fn candidates(
    db: &dyn Db,
    scope: &StaffScope,
    member_ids: &[i64],
    without_login_only: bool,
) -> Result<Vec<Candidate>, DbError> {
    let ids = serde_json::to_string(member_ids).map_err(|e| DbError::Backend(e.to_string()))?;
    fetch_all(
        db,
        scope.bind(stmt!(
            concat!(
                "SELECT c.id AS contact_id, m.id AS member_id, m.first_name || ' ' || m.last_name AS member_name,
                    coalesce(c.first_name, m.first_name) AS first_name,
                    coalesce(c.last_name, m.last_name) AS last_name,
                    c.is_self, c.relation, c.is_primary, c.email, m.archived_at IS NOT NULL AS archived,
                    coalesce(c.same_as, c.id) AS person_id,
                    l.user_id IS NOT NULL AS has_login,
                    EXISTS (SELECT 1 FROM users u JOIN member_links o ON o.user_id = u.id
                            WHERE u.email = c.email AND o.contact_id IS NOT c.id) AS email_has_access,
                    (SELECT o.report FROM invitations r JOIN outbox o ON o.invitation_id = r.id
                     WHERE r.contact_id = c.id AND o.to_email = c.email AND o.report IS NOT NULL
                     ORDER BY o.id DESC LIMIT 1) AS address_report,
                    ",
                latest_invitation_columns!(),
                "
             FROM json_each(:members) j
             JOIN members m ON m.id = j.value AND m.organisation_id = :organisation
                           AND (:all_members = 1 OR ",
                granted_member!("m.id"),
                ")
             JOIN contacts c ON c.member_id = m.id AND c.removed_at IS NULL
             LEFT JOIN member_links l ON l.contact_id = c.id
             LEFT JOIN invitations i ON i.id = (SELECT id FROM invitations WHERE contact_id = c.id
                                                ORDER BY created_at DESC, id DESC LIMIT 1)
             WHERE :without_login_only = 0 OR l.user_id IS NULL
             ORDER BY j.key, c.is_self DESC, c.id"
            ),
            members = ids,
            without_login_only = without_login_only
        )),
    )
    .await
}

/// The round this key names, if there is one, as this login may see it.
#[derive(Debug, Clone, Deserialize)]
pub struct Round {
    pub id: i64,
    pub description: String,
    pub group_id: Option<i64>,
    pub template_id: Option<i64>,
    pub sent_by: String,
    pub created_at: i64,
    pub planned_at: Option<i64>,
    pub completed_at: Option<i64>,
    pub invited: i64,
    pub skipped: i64,
    /// Planned, not invited yet.
    pub waiting: i64,
}

macro_rules! round_select {
    () => {
        "SELECT b.id, b.description, b.group_id, b.template_id, coalesce(nullif(s.name, ''), u.email) AS sent_by,
                b.created_at, b.planned_at, b.completed_at,
                (SELECT count(*) FROM bulk_send_results r
                 WHERE r.bulk_send_id = b.id AND r.invitation_id IS NOT NULL) AS invited,
                (SELECT count(*) FROM bulk_send_results r
                 WHERE r.bulk_send_id = b.id AND r.skipped_because IS NOT NULL) AS skipped,
                iif(b.completed_at IS NULL,
                    (SELECT count(*) FROM bulk_send_results r
                     WHERE r.bulk_send_id = b.id AND r.invitation_id IS NULL AND r.skipped_because IS NULL),
                    0) AS waiting
         FROM bulk_sends b
         JOIN users u ON u.id = b.sent_by
         LEFT JOIN staff s ON s.user_id = b.sent_by AND s.organisation_id = b.organisation_id
         WHERE b.organisation_id = :organisation AND (:all_members = 1 OR b.sent_by = :staff_user)"
    };
}

pub async fn round(db: &dyn Db, scope: &StaffScope, round_id: i64) -> Result<Option<Round>, DbError> {
    fetch_optional(db, scope.bind(stmt!(concat!(round_select!(), " AND b.id = :round"), round = round_id))).await
}

pub async fn round_by_key(db: &dyn Db, scope: &StaffScope, request_key: &str) -> Result<Option<Round>, DbError> {
    let q = stmt!(concat!(round_select!(), " AND b.request_key = :request_key"), request_key = request_key);
    fetch_optional(db, scope.bind(q)).await
}

/// The organisation's rounds, newest first; a login limited to some members sees its own.
pub async fn rounds(db: &dyn Db, scope: &StaffScope) -> Result<Vec<Round>, DbError> {
    fetch_all(db, scope.bind(stmt!(concat!(round_select!(), " ORDER BY b.created_at DESC, b.id DESC LIMIT 200")))).await
}

/// Records a new round under this key, or finds the one a first submit made.
pub async fn start_round(
    db: &dyn Db,
    scope: &StaffScope,
    request_key: &str,
    group_id: Option<i64>,
    template_id: Option<i64>,
    description: &str,
    now: i64,
) -> Result<Round, DbError> {
    db.execute(stmt!(
        "INSERT INTO bulk_sends (organisation_id, request_key, group_id, template_id, description, sent_by, created_at)
         VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (request_key) DO NOTHING",
        scope.organisation_id,
        request_key,
        group_id,
        template_id,
        description,
        scope.user_id,
        now
    ))
    .await?;
    round_by_key(db, scope, request_key)
        .await?
        .ok_or_else(|| DbError::Constraint("the request key belongs to another organisation or login".into()))
}

/// People written per statement when a plan is recorded (one JSON argument each).
const PLAN_CHUNK: usize = 500;

/// Writes the round's plan — each person to invite (no reason) or skipped with the reason —
/// then marks it planned. Rows a first attempt wrote are kept as they were.
pub async fn record_plan(db: &dyn Db, round_id: i64, plan: &[(i64, Option<String>)], now: i64) -> Result<(), DbError> {
    for chunk in plan.chunks(PLAN_CHUNK) {
        let rows = serde_json::to_string(chunk).map_err(|e| DbError::Backend(e.to_string()))?;
        db.execute(stmt!(
            "INSERT INTO bulk_send_results (bulk_send_id, contact_id, skipped_because)
             SELECT ?, json_extract(value, '$[0]'), json_extract(value, '$[1]') FROM json_each(?)
             WHERE true ON CONFLICT (bulk_send_id, contact_id) DO NOTHING",
            round_id,
            rows
        ))
        .await?;
    }
    db.execute(stmt!("UPDATE bulk_sends SET planned_at = ? WHERE id = ? AND planned_at IS NULL", now, round_id))
        .await?;
    Ok(())
}

/// Someone planned and not invited yet, with what their invitation needs.
#[derive(Debug, Clone, Deserialize)]
pub struct Waiting {
    pub contact_id: i64,
    #[serde(deserialize_with = "super::flag")]
    pub is_self: bool,
    pub first_name: String,
    pub member_name: String,
    pub email: Option<String>,
}

/// The next `limit` people of the round still waiting to be invited.
pub async fn waiting(db: &dyn Db, round_id: i64, limit: i64) -> Result<Vec<Waiting>, DbError> {
    fetch_all(db, waiting_stmt(round_id, limit)).await
}

/// `waiting`'s statement, for its query plan to be checked.
pub fn waiting_stmt(round_id: i64, limit: i64) -> Stmt {
    stmt!(
        concat!(
            "SELECT c.id AS contact_id, c.is_self, coalesce(c.first_name, m.first_name) AS first_name,
                coalesce(",
            profiles_of_person!("c"),
            ", m.first_name || ' ' || m.last_name) AS member_name, c.email
             FROM bulk_send_results r
             JOIN contacts c ON c.id = r.contact_id
             JOIN members m ON m.id = c.member_id
             WHERE r.bulk_send_id = ? AND r.invitation_id IS NULL AND r.skipped_because IS NULL
             ORDER BY r.contact_id LIMIT ?"
        ),
        round_id,
        limit
    )
}

/// The first statement of a chunk's batch: it fails the whole batch when another request
/// wrote this chunk meanwhile (a constraint error, see `bulk_send_chunks`).
pub fn claim_chunk(round_id: i64, first_contact_id: i64) -> Stmt {
    stmt!("INSERT INTO bulk_send_chunks (bulk_send_id, first_contact_id) VALUES (?, ?)", round_id, first_contact_id)
}

/// After a chunk's invitations, in the same batch: each person (`[contact id, token hash]`)
/// is invited — or, when its guards found them no longer invitable, skipped and why —
/// and no longer waiting; then their members' standing is brought up to date. (Each list
/// is read once, as an `IN` set: a list read per row would be read once per person.)
pub fn invited(round_id: i64, invitations: &[(i64, &str)], now: i64) -> Result<Vec<Stmt>, DbError> {
    let pairs = serde_json::to_string(invitations).map_err(|e| DbError::Backend(e.to_string()))?;
    let recorded = stmt!(
        concat!(
            "UPDATE bulk_send_results
             SET (invitation_id, skipped_because) =
                 (SELECT i.id, CASE WHEN i.id IS NOT NULL THEN NULL
                                    WHEN NOT ",
            inviting_as_allows!("bulk_send_results.contact_id"),
            "                  THEN 'Invited less than 24 hours ago (by another round, at the same time).'
                                    ELSE 'Could not be invited: their details changed meanwhile.' END
                  FROM (SELECT 1) LEFT JOIN invitations i ON i.contact_id = bulk_send_results.contact_id
                       AND i.token_hash IN (SELECT json_extract(value, '$[1]') FROM json_each(:pairs)))
             WHERE bulk_send_id = :round AND invitation_id IS NULL AND skipped_because IS NULL
               AND contact_id IN (SELECT json_extract(value, '$[0]') FROM json_each(:pairs))"
        ),
        pairs = pairs.as_str(),
        round = round_id
    );
    Ok(vec![
        bind_inviting_as(recorded, InvitingAs::Round, now),
        stmt!(
            refresh_standing!(
                "SELECT c.member_id FROM contacts c WHERE c.id IN (SELECT json_extract(value, '$[0]') FROM json_each(?))"
            ),
            pairs
        ),
    ])
}

/// A waiting person who can no longer be invited (their e-mail was removed meanwhile).
pub fn skipped(round_id: i64, contact_id: i64, because: &str) -> Stmt {
    stmt!(
        "UPDATE bulk_send_results SET skipped_because = ?
         WHERE bulk_send_id = ? AND contact_id = ? AND invitation_id IS NULL AND skipped_because IS NULL",
        because,
        round_id,
        contact_id
    )
}

/// Marks the round sent once no one is waiting.
pub async fn complete_if_done(db: &dyn Db, round_id: i64, now: i64) -> Result<(), DbError> {
    db.execute(stmt!(
        "UPDATE bulk_sends SET completed_at = ?
         WHERE id = ? AND completed_at IS NULL AND planned_at IS NOT NULL
           AND NOT EXISTS (SELECT 1 FROM bulk_send_results r
                           WHERE r.bulk_send_id = bulk_sends.id AND r.invitation_id IS NULL
                             AND r.skipped_because IS NULL)",
        now,
        round_id
    ))
    .await?;
    Ok(())
}

/// What a round did, per person, for the members this login may see: invited first.
#[derive(Debug, Clone, Deserialize)]
pub struct RoundResult {
    pub member_id: i64,
    pub member_name: String,
    pub contact_name: String,
    pub email: Option<String>,
    pub skipped_because: Option<String>,
    #[serde(deserialize_with = "super::flag")]
    pub invited: bool,
    /// Its e-mail was given up on (a permanent refusal, or out of retries).
    #[serde(deserialize_with = "super::flag")]
    pub delivery_failed: bool,
}

/// Everyone in a round, in the report's order: skipped (by reason), then waiting, then
/// invited. A round holds at most one organisation's contacts, read at once.
pub async fn round_results(db: &dyn Db, scope: &StaffScope, round_id: i64) -> Result<Vec<RoundResult>, DbError> {
    fetch_all(
        db,
        scope
            .bind(stmt!(concat!(
                "SELECT m.id AS member_id, m.first_name || ' ' || m.last_name AS member_name,
                        coalesce(c.first_name, m.first_name) || ' ' || coalesce(c.last_name, m.last_name) AS contact_name,
                        c.email, r.skipped_because, r.invitation_id IS NOT NULL AS invited,
                        EXISTS (SELECT 1 FROM outbox o WHERE o.invitation_id = r.invitation_id AND o.status = 'dead')
                          AS delivery_failed
                 FROM bulk_send_results r
                 JOIN bulk_sends b ON b.id = r.bulk_send_id
                 JOIN contacts c ON c.id = r.contact_id
                 JOIN members m ON m.id = c.member_id
                 WHERE m.organisation_id = :organisation AND (:all_members = 1 OR ",
                granted_member!("m.id"),
                ")
                   AND r.bulk_send_id = :round
                 ORDER BY r.skipped_because IS NULL, r.skipped_because, r.invitation_id IS NOT NULL,
                          m.sort_key, c.is_self DESC, c.id"),
                round = round_id
            )),
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

pub async fn round_delivery(db: &dyn Db, scope: &StaffScope, round_id: i64) -> Result<RoundDelivery, DbError> {
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
            round_id
        ),
    )
    .await?;
    Ok(found.unwrap_or_default())
}
