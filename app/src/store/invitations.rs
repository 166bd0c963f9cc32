use serde::Deserialize;

use super::events;
use super::scope::{
    StaffScope, bind_open_invitations, open_invitations_of_visible_contact, refresh_contact, refresh_standing,
    visible_contact, visible_member,
};
use super::sessions::{SessionOwner, SessionTimes, end_previous_session, insert_session};
use super::{Batch, Db, DbError, Stmt, exists, fetch_optional};
use crate::domain::invitation::ROUND_SKIPS_INVITED_WITHIN;
use crate::stmt;

/// The contact `$contact` (an SQL expression) may be invited: on a member visible to this
/// staff login, not removed, no login linked to it.
macro_rules! invitable_contact {
    ($contact:expr) => {
        concat!(
            "EXISTS (SELECT 1 FROM contacts c WHERE c.id = ",
            $contact,
            " AND ",
            visible_contact!(),
            " AND NOT EXISTS (SELECT 1 FROM member_links l WHERE l.contact_id = c.id))"
        )
    };
}

/// An invitation ready to be written, with its e-mail as it waits in the outbox.
#[derive(Debug, Clone, serde::Serialize)]
pub struct NewInvitation {
    pub contact_id: i64,
    pub email: String,
    pub token_hash: String,
    pub personal_message: Option<String>,
    /// The template's words it was sent with (`None`: the built-in ones), for a resend.
    pub subject_template: Option<String>,
    pub body_template: Option<String>,
    pub expires_at: i64,
    /// Written by the outbox's statement alone (from its own, longer list).
    #[serde(skip)]
    pub mail: QueuedEmail,
}

/// A new invitation's e-mail, found by the invitation's token hash once that is written.
#[derive(serde::Serialize)]
struct QueuedFor<'a> {
    token_hash: &'a str,
    #[serde(flatten)]
    mail: &'a QueuedEmail,
}

/// An e-mail with a link (an invitation's, a sign-up's) as it waits in the outbox. The link
/// is filled in when it is sent, from `sealed_token`.
#[derive(Debug, Clone, serde::Serialize)]
pub struct QueuedEmail {
    pub idempotency_key: String,
    pub from_name: String,
    pub from_email: String,
    pub subject: String,
    pub text_body: String,
    pub html_body: String,
    pub sealed_token: String,
}

/// Who invites, and so what the write's own guard is (in its SQL, so that any number of
/// requests at once leave one live invitation and one e-mail per person).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum InvitingAs {
    /// Staff, one person: also someone who declined. Written only while the contact's latest
    /// invitation is still the one the request saw (`None`: none), so a double click, or
    /// two staff at once, write one invitation and the others nothing.
    Staff { replacing: Option<i64> },
    /// A round: skips whoever declined, and whoever has a waiting invitation made less than
    /// `ROUND_SKIPS_INVITED_WITHIN` ago — another round's at the same moment included.
    Round,
}

/// The guard of `InvitingAs` for the contact `$contact` (an SQL expression), its values
/// (`:by_round`, `:now`, `:invited_since`, `:replacing`) bound by `bind_inviting_as`: true when
/// the write may go on.
macro_rules! inviting_as_allows {
    ($contact:expr) => {
        concat!(
            "iif(:by_round = 1,
                 NOT EXISTS (SELECT 1 FROM invitations r WHERE r.contact_id = ",
            $contact,
            "           AND r.accepted_at IS NULL AND r.revoked_at IS NULL AND r.declined_at IS NULL
                         AND r.expires_at > :now AND r.created_at > :invited_since),
                 (SELECT r.id FROM invitations r WHERE r.contact_id = ",
            $contact,
            "     ORDER BY r.created_at DESC, r.id DESC LIMIT 1) IS :replacing)"
        )
    };
}
pub(crate) use inviting_as_allows;

pub(crate) fn bind_inviting_as(s: Stmt, inviting_as: InvitingAs, now: i64) -> Stmt {
    let replacing = match inviting_as {
        InvitingAs::Staff { replacing } => replacing,
        InvitingAs::Round => None,
    };
    s.bind_as("by_round", inviting_as == InvitingAs::Round)
        .bind_as("now", now)
        .bind_as("invited_since", now - ROUND_SKIPS_INVITED_WITHIN)
        .bind_as("replacing", replacing)
}

/// The statements that revoke the contacts' open invitations, create the new ones and queue
/// their e-mails — three statements however many invitations (each reads them as one JSON
/// list; only the outbox's carries the e-mails). Each row is guarded: a contact this login
/// can no longer invite, or whom `inviting_as` does not allow, gets nothing.
/// One invitation runs them alone (`create_invitation`); a round runs a chunk of them in one
/// batch, then records who was invited (`rounds::invited`).
pub fn invitation_statements(
    scope: &StaffScope,
    now: i64,
    new: &[NewInvitation],
    inviting_as: InvitingAs,
) -> Result<InvitationStatements, DbError> {
    let list = serde_json::to_string(new).map_err(|e| DbError::Backend(e.to_string()))?;
    let revoke = stmt!(
        concat!(
            "UPDATE invitations SET revoked_at = :now
             WHERE organisation_id = :organisation AND accepted_at IS NULL AND revoked_at IS NULL
               AND declined_at IS NULL
               AND contact_id IN (SELECT json_extract(value, '$.contact_id') FROM json_each(:invitations))
               AND ",
            inviting_as_allows!("invitations.contact_id"),
            " AND ",
            invitable_contact!("invitations.contact_id")
        ),
        invitations = list.as_str()
    );
    let insert = stmt!(
        concat!(
            "INSERT INTO invitations (organisation_id, member_id, contact_id, email, token_hash,
                     personal_message, subject_template, body_template, sent_by, created_at, expires_at, reinvite)
             SELECT :organisation, (SELECT member_id FROM contacts WHERE id = n.contact_id), n.contact_id, n.email,
                    n.token_hash, n.personal_message, n.subject_template, n.body_template, :staff_user, :now,
                    n.expires_at, n.declined
             FROM (SELECT j.contact_id, j.email, j.token_hash, j.personal_message, j.subject_template,
                          j.body_template, j.expires_at,
                          coalesce((SELECT i.declined_at IS NOT NULL FROM invitations i
                                    WHERE i.contact_id = j.contact_id
                                    ORDER BY i.created_at DESC, i.id DESC LIMIT 1), 0) AS declined
                   FROM (SELECT json_extract(value, '$.contact_id') AS contact_id,
                                json_extract(value, '$.email') AS email,
                                json_extract(value, '$.token_hash') AS token_hash,
                                json_extract(value, '$.personal_message') AS personal_message,
                                json_extract(value, '$.subject_template') AS subject_template,
                                json_extract(value, '$.body_template') AS body_template,
                                json_extract(value, '$.expires_at') AS expires_at
                         FROM json_each(:invitations)) j) n
             WHERE (n.declined = 0 OR :declined_too) AND ",
            inviting_as_allows!("n.contact_id"),
            " AND ",
            invitable_contact!("n.contact_id")
        ),
        invitations = list.as_str(),
        declined_too = inviting_as != InvitingAs::Round
    );
    Ok(InvitationStatements {
        revoke: scope.bind(bind_inviting_as(revoke, inviting_as, now)),
        insert: scope.bind(bind_inviting_as(insert, inviting_as, now)),
        queue: queue_emails(new, now)?,
        event: events::invitations_created(&list),
    })
}

/// The invitations' e-mails into the outbox, each found by its invitation's token hash
/// (nothing for an invitation that was not written).
fn queue_emails(new: &[NewInvitation], now: i64) -> Result<Stmt, DbError> {
    let emails: Vec<QueuedFor> = new.iter().map(|n| QueuedFor { token_hash: &n.token_hash, mail: &n.mail }).collect();
    let emails = serde_json::to_string(&emails).map_err(|e| DbError::Backend(e.to_string()))?;
    Ok(stmt!(
        "INSERT INTO outbox (organisation_id, invitation_id, idempotency_key, to_email,
                 from_name, from_email, subject, text_body, html_body, sealed_token,
                 next_attempt_at, created_at)
         SELECT i.organisation_id, i.id, json_extract(j.value, '$.idempotency_key'), i.email,
                json_extract(j.value, '$.from_name'), json_extract(j.value, '$.from_email'),
                json_extract(j.value, '$.subject'), json_extract(j.value, '$.text_body'),
                json_extract(j.value, '$.html_body'), json_extract(j.value, '$.sealed_token'), ?, ?
         FROM json_each(?) j JOIN invitations i ON i.token_hash = json_extract(j.value, '$.token_hash')",
        now,
        now,
        emails
    ))
}

/// `invitation_statements`, in the order a batch runs them.
pub struct InvitationStatements {
    /// The contacts' earlier open invitations, revoked.
    pub revoke: Stmt,
    /// The new invitations.
    pub insert: Stmt,
    /// Their e-mails, in the outbox.
    pub queue: Stmt,
    /// "Invited" on the timeline.
    pub event: Stmt,
}

impl InvitationStatements {
    pub fn all(self) -> [Stmt; 4] {
        [self.revoke, self.insert, self.queue, self.event]
    }
}

/// Creates one invitation (see `invitation_statements`) in its own batch. False, with
/// nothing written, when the contact can no longer be invited.
pub async fn create_invitation(
    db: &dyn Db,
    scope: &StaffScope,
    now: i64,
    new: NewInvitation,
    replacing: Option<i64>,
) -> Result<bool, DbError> {
    let contact_id = new.contact_id;
    let written = invitation_statements(scope, now, &[new], InvitingAs::Staff { replacing })?;
    let mut batch = Batch::default();
    batch.add(written.revoke);
    let inserted = batch.add(written.insert);
    batch.add_all([written.queue, written.event, refresh_contact(contact_id)]);
    Ok(batch.run(db).await?[inserted].rows_affected == 1)
}

/// A fresh invitation for the contact with no e-mail sent (001's "Re-enable invite link":
/// staff pass the link on by another channel); its earlier links die, and the timeline says
/// who made it. False, nothing written, when the contact can no longer be invited.
pub async fn reenable_link(
    db: &dyn Db,
    scope: &StaffScope,
    now: i64,
    new: NewInvitation,
    replacing: Option<i64>,
) -> Result<bool, DbError> {
    let (contact_id, token_hash) = (new.contact_id, new.token_hash.clone());
    let written = invitation_statements(scope, now, &[new], InvitingAs::Staff { replacing })?;
    // The earlier links revoked and the new one made; not its e-mail, nor an "invited" event.
    let mut batch = Batch::default();
    batch.add(written.revoke);
    let inserted = batch.add(written.insert);
    batch.add_all([events::new_link(events::NewLinkBy::Staff, &token_hash), refresh_contact(contact_id)]);
    Ok(batch.run(db).await?[inserted].rows_affected == 1)
}

/// What the person opening a live link is shown.
#[derive(Debug, Clone, Deserialize)]
pub struct LiveInvitation {
    pub organisation_id: i64,
    pub organisation_name: String,
    pub organisation_accent: Option<String>,
    pub organisation_logo: Option<String>,
    pub email: String,
    /// The invited person's: the member's, or the representative's.
    pub first_name: String,
    /// A representative is invited to the member's profile: the member's full name.
    pub on_behalf_of: Option<String>,
    /// A login with this e-mail exists already: the person links it by signing in.
    pub existing_user_id: Option<i64>,
    /// That login reaches this profile already (through another contact of it).
    #[serde(deserialize_with = "super::flag")]
    pub existing_user_linked: bool,
}

pub async fn live_invitation(db: &dyn Db, token_hash: &str, now: i64) -> Result<Option<LiveInvitation>, DbError> {
    fetch_optional(
        db,
        stmt!(
            "SELECT o.id AS organisation_id, o.name AS organisation_name, o.accent_colour AS organisation_accent,
                    (SELECT l.digest FROM organisation_logos l WHERE l.organisation_id = o.id) AS organisation_logo,
                    i.email, coalesce(c.first_name, m.first_name) AS first_name,
                    CASE WHEN c.is_self = 0 THEN m.first_name || ' ' || m.last_name END AS on_behalf_of,
                    u.id AS existing_user_id,
                    EXISTS (SELECT 1 FROM member_links l WHERE l.user_id = u.id AND l.member_id = i.member_id)
                        AS existing_user_linked
             FROM invitations i
             JOIN members m ON m.id = i.member_id AND m.archived_at IS NULL
             JOIN contacts c ON c.id = i.contact_id AND c.removed_at IS NULL
             JOIN organisations o ON o.id = i.organisation_id
             LEFT JOIN users u ON u.email = i.email AND u.disabled_at IS NULL
             WHERE i.token_hash = ? AND i.accepted_at IS NULL AND i.revoked_at IS NULL
               AND i.declined_at IS NULL AND i.expires_at > ?",
            token_hash,
            now
        ),
    )
    .await
}

/// What a link that opens no live invitation came to, read for the page it opens.
#[derive(Debug, Clone, Deserialize)]
pub struct ClosedLink {
    pub organisation_id: i64,
    pub organisation_name: String,
    pub organisation_accent: Option<String>,
    pub organisation_logo: Option<String>,
    /// Accepted, or the person reaches the profile with a login by now: they sign in.
    #[serde(deserialize_with = "super::flag")]
    pub used: bool,
    /// Expired unused, and still the person's latest invitation, on a profile still there,
    /// with no login linked: it may be renewed (`renew_expired`).
    #[serde(deserialize_with = "super::flag")]
    pub renewable: bool,
}

/// An expired invitation may be renewed by its link (`i` the invitation, `:now`): expired
/// unused (not revoked — which a newer invitation does to it — nor declined), the member not
/// archived, the contact still on the profile with no login, and no later invitation.
macro_rules! renewable {
    () => {
        "i.accepted_at IS NULL AND i.revoked_at IS NULL AND i.declined_at IS NULL AND i.expires_at <= :now
         AND EXISTS (SELECT 1 FROM members m WHERE m.id = i.member_id AND m.archived_at IS NULL)
         AND EXISTS (SELECT 1 FROM contacts c WHERE c.id = i.contact_id AND c.removed_at IS NULL
                       AND NOT EXISTS (SELECT 1 FROM member_links l WHERE l.contact_id = c.id))
         AND NOT EXISTS (SELECT 1 FROM invitations n WHERE n.contact_id = i.contact_id AND n.id > i.id)"
    };
}

/// The link `token_hash` when it opens no live invitation: used, renewable, or neither.
/// None for a link never made.
pub async fn closed_link(db: &dyn Db, token_hash: &str, now: i64) -> Result<Option<ClosedLink>, DbError> {
    fetch_optional(
        db,
        stmt!(
            concat!(
                "SELECT o.id AS organisation_id, o.name AS organisation_name, o.accent_colour AS organisation_accent,
                        (SELECT l.digest FROM organisation_logos l WHERE l.organisation_id = o.id) AS organisation_logo,
                        (i.accepted_at IS NOT NULL
                         OR EXISTS (SELECT 1 FROM member_links l WHERE l.contact_id = i.contact_id)) AS used,
                        (",
                renewable!(),
                ") AS renewable
                 FROM invitations i JOIN organisations o ON o.id = i.organisation_id
                 WHERE i.token_hash = :token_hash"
            ),
            token_hash = token_hash,
            now = now
        ),
    )
    .await
}

/// What renewing an expired invitation writes its e-mail from: to whom, to which address, in
/// which words.
#[derive(Debug, Clone, Deserialize)]
pub struct RenewableInvitation {
    pub organisation_id: i64,
    pub contact_id: i64,
    pub first_name: String,
    pub email: String,
    pub personal_message: Option<String>,
    pub subject_template: Option<String>,
    pub body_template: Option<String>,
}

/// The invitation behind `token_hash`, when it may be renewed now.
pub async fn renewable_invitation(
    db: &dyn Db,
    token_hash: &str,
    now: i64,
) -> Result<Option<RenewableInvitation>, DbError> {
    fetch_optional(
        db,
        stmt!(
            concat!(
                "SELECT i.organisation_id, i.contact_id, coalesce(c.first_name, m.first_name) AS first_name, i.email,
                        i.personal_message, i.subject_template, i.body_template
                 FROM invitations i JOIN contacts c ON c.id = i.contact_id JOIN members m ON m.id = i.member_id
                 WHERE i.token_hash = :token_hash AND ",
                renewable!()
            ),
            token_hash = token_hash,
            now = now
        ),
    )
    .await
}

/// Renews the expired invitation `token_hash` with `new` (to the same address, in the same
/// words, from the same sender), its e-mail queued and "asked for a new link" on the
/// timeline, in one batch. False, nothing written, when it is not renewable (any more): a
/// second request with the same link, at once or later, sends nothing.
pub async fn renew_expired(db: &dyn Db, token_hash: &str, new: NewInvitation, now: i64) -> Result<bool, DbError> {
    let mut batch = Batch::default();
    let inserted = batch.add(stmt!(
        concat!(
            "INSERT INTO invitations (organisation_id, member_id, contact_id, email, token_hash, personal_message,
                     subject_template, body_template, sent_by, created_at, expires_at)
             SELECT i.organisation_id, i.member_id, i.contact_id, i.email, :new_token_hash, i.personal_message,
                    i.subject_template, i.body_template, i.sent_by, :now, :expires_at
             FROM invitations i
             WHERE i.token_hash = :token_hash AND i.email = :email AND ",
            renewable!()
        ),
        new_token_hash = new.token_hash.as_str(),
        expires_at = new.expires_at,
        token_hash = token_hash,
        email = new.email.as_str(),
        now = now
    ));
    let contact_id = new.contact_id;
    batch.add_all([
        queue_emails(std::slice::from_ref(&new), now)?,
        events::new_link(events::NewLinkBy::ThePerson, &new.token_hash),
        refresh_contact(contact_id),
    ]);
    Ok(batch.run(db).await?[inserted].rows_affected == 1)
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AcceptOutcome {
    Accepted,
    /// Unknown, expired, used or revoked — the person is told the same for each.
    InvalidLink,
    /// A login with the invitation's e-mail already exists; its password is never replaced.
    LoginExists,
}

pub struct Acceptance<'a> {
    pub token_hash: &'a str,
    pub password_hash: &'a str,
    /// A fresh nonce: the guarded UPDATE writes it, every later statement selects through it.
    pub claim: &'a str,
    pub session_id_hash: &'a str,
}

/// The live-invitation guard the consuming UPDATE carries: not used, revoked, declined or
/// expired, the member still there, and the contact still on the profile with no login.
macro_rules! consumable {
    () => {
        "token_hash = ? AND accepted_at IS NULL AND revoked_at IS NULL AND declined_at IS NULL
         AND expires_at > ?
         AND EXISTS (SELECT 1 FROM members m WHERE m.id = invitations.member_id AND m.archived_at IS NULL)
         AND EXISTS (SELECT 1 FROM contacts c WHERE c.id = invitations.contact_id AND c.removed_at IS NULL
                       AND NOT EXISTS (SELECT 1 FROM member_links l WHERE l.contact_id = c.id))"
    };
}

/// What follows a successful claim, selected through it: link the login to the member as
/// this contact, and to every other profile of the same person (staff said so; same
/// address), withdraw those contacts' other open invitations, open the first session.
fn after_claim(claim: &str, session_id_hash: &str, times: &SessionTimes) -> Vec<super::Stmt> {
    vec![
        stmt!(
            "INSERT INTO member_links (user_id, member_id, contact_id, relation, invitation_id, linked_at)
             SELECT i.accepted_user_id, i.member_id, i.contact_id,
                    CASE WHEN c.is_self = 1 THEN 'self' ELSE 'representative' END, i.id, ?
             FROM invitations i JOIN contacts c ON c.id = i.contact_id WHERE i.claim = ?",
            times.now,
            claim
        ),
        stmt!(
            "INSERT INTO member_links (user_id, member_id, contact_id, relation, invitation_id, linked_at)
             SELECT i.accepted_user_id, o.member_id, o.id,
                    CASE WHEN o.is_self = 1 THEN 'self' ELSE 'representative' END, i.id, ?
             FROM invitations i
             JOIN contacts c ON c.id = i.contact_id
             JOIN contacts o ON coalesce(o.same_as, o.id) = coalesce(c.same_as, c.id) AND o.id <> c.id
             JOIN members m ON m.id = o.member_id AND m.archived_at IS NULL
             WHERE i.claim = ? AND o.removed_at IS NULL AND o.email = i.email
               AND NOT EXISTS (SELECT 1 FROM member_links l WHERE l.contact_id = o.id)
               AND NOT EXISTS (SELECT 1 FROM member_links l
                               WHERE l.user_id = i.accepted_user_id AND l.member_id = o.member_id)",
            times.now,
            claim
        ),
        stmt!(
            "UPDATE invitations SET revoked_at = ?
             WHERE contact_id IN (SELECT l.contact_id FROM member_links l
                                  WHERE l.invitation_id = (SELECT id FROM invitations WHERE claim = ?))
               AND accepted_at IS NULL AND revoked_at IS NULL AND declined_at IS NULL",
            times.now,
            claim
        ),
        stmt!(
            "UPDATE users SET last_login_at = ?
             WHERE id = (SELECT accepted_user_id FROM invitations WHERE claim = ?)",
            times.now,
            claim
        ),
        insert_session(session_id_hash, SessionOwner::AcceptedInvitation { claim }, times),
        stmt!(
            refresh_standing!(
                "SELECT l.member_id FROM member_links l
                 WHERE l.invitation_id = (SELECT id FROM invitations WHERE claim = ?)"
            ),
            claim
        ),
        events::invitation_used("accepted", claim, times.now),
    ]
}

/// Consumes the token and creates the login, its link to the member and its first session —
/// all in one batch behind one guarded UPDATE, so of two concurrent accepts exactly one wins.
/// The login's e-mail and member come from the invitation row, never from the form.
pub async fn accept_invitation(
    db: &dyn Db,
    a: &Acceptance<'_>,
    times: &SessionTimes,
) -> Result<AcceptOutcome, DbError> {
    let now = times.now;
    let mut batch = Batch::default();
    let accepted = batch.add(stmt!(
        concat!(
            "UPDATE invitations SET accepted_at = ?, claim = ? WHERE ",
            consumable!(),
            " AND NOT EXISTS (SELECT 1 FROM users u WHERE u.email = invitations.email)"
        ),
        now,
        a.claim,
        a.token_hash,
        now
    ));
    batch.add_all([
        stmt!(
            "INSERT INTO users (email, password_hash, created_at) SELECT email, ?, ? FROM invitations WHERE claim = ?",
            a.password_hash,
            now,
            a.claim
        ),
        stmt!(
            "UPDATE invitations
             SET accepted_user_id = (SELECT u.id FROM users u WHERE u.email = invitations.email)
             WHERE claim = ?",
            a.claim
        ),
    ]);
    batch.add_all(after_claim(a.claim, a.session_id_hash, times));
    if batch.run(db).await?[accepted].rows_affected == 1 {
        return Ok(AcceptOutcome::Accepted);
    }
    let login_exists = exists(
        db,
        stmt!(
            "SELECT 1 FROM invitations i JOIN users u ON u.email = i.email
             WHERE i.token_hash = ? AND i.accepted_at IS NULL AND i.revoked_at IS NULL
               AND i.declined_at IS NULL AND i.expires_at > ?",
            a.token_hash,
            now
        ),
    )
    .await?;
    Ok(if login_exists { AcceptOutcome::LoginExists } else { AcceptOutcome::InvalidLink })
}

/// Consumes the token for a login that already exists with the invitation's e-mail (the
/// person proved it by signing in), links it to the member and opens a session. Its
/// password is never touched. False when the link is no longer live.
pub async fn link_existing_login(
    db: &dyn Db,
    token_hash: &str,
    user_id: i64,
    claim: &str,
    session_id_hash: &str,
    times: &SessionTimes,
    previous_session: Option<&str>,
) -> Result<bool, DbError> {
    let mut batch = Batch::default();
    let linked = batch.add(stmt!(
        concat!(
            "UPDATE invitations SET accepted_at = ?, claim = ?, accepted_user_id = ? WHERE ",
            consumable!(),
            " AND EXISTS (SELECT 1 FROM users u WHERE u.id = ? AND u.email = invitations.email
                            AND u.disabled_at IS NULL)
              AND NOT EXISTS (SELECT 1 FROM member_links l WHERE l.user_id = ? AND l.member_id = invitations.member_id)"
        ),
        times.now,
        claim,
        user_id,
        token_hash,
        times.now,
        user_id,
        user_id
    ));
    batch.add_all(after_claim(claim, session_id_hash, times));
    batch.add_all(end_previous_session(previous_session));
    Ok(batch.run(db).await?[linked].rows_affected == 1)
}

/// The member declines from the invitation page (claimed as `claim`): the link is used up,
/// nothing is linked. False when the link is no longer live.
pub async fn decline_by_link(db: &dyn Db, token_hash: &str, claim: &str, now: i64) -> Result<bool, DbError> {
    let mut batch = Batch::default();
    let declined = batch.add(stmt!(
        concat!("UPDATE invitations SET declined_at = ?, claim = ? WHERE ", consumable!()),
        now,
        claim,
        token_hash,
        now
    ));
    batch.add_all([
        stmt!(refresh_standing!("SELECT member_id FROM invitations WHERE token_hash = ?"), token_hash),
        events::invitation_used("declined", claim, now),
    ]);
    let changes = batch.run(db).await?;
    Ok(changes[declined].rows_affected == 1)
}

/// Staff record that the contact declined the portal (they said so some other way): the
/// contact's open invitations end as declined, by this staff login, with the reason given.
pub async fn record_decline(
    db: &dyn Db,
    scope: &StaffScope,
    contact_id: i64,
    reason: Option<&str>,
    now: i64,
) -> Result<u64, DbError> {
    let set = stmt!(
        concat!(
            "UPDATE invitations SET declined_at = :now, declined_by = :staff_user, decline_reason = :reason WHERE ",
            open_invitations_of_visible_contact!()
        ),
        reason = reason
    );
    end_open_invitations(db, scope, contact_id, now, ("declined", reason), set).await
}

/// Withdraws the contact's open invitations; their links stop working at once.
pub async fn revoke_open_invitations(
    db: &dyn Db,
    scope: &StaffScope,
    contact_id: i64,
    now: i64,
) -> Result<u64, DbError> {
    let set = stmt!(concat!("UPDATE invitations SET revoked_at = :now WHERE ", open_invitations_of_visible_contact!()));
    end_open_invitations(db, scope, contact_id, now, ("revoked", None), set).await
}

/// Ends the contact's open invitations with `set` (guarded as `open_invitations_of_visible_contact!`),
/// on the timeline as `event` (its kind and detail); how many it ended.
async fn end_open_invitations(
    db: &dyn Db,
    scope: &StaffScope,
    contact_id: i64,
    now: i64,
    (kind, detail): (&'static str, Option<&str>),
    set: Stmt,
) -> Result<u64, DbError> {
    let mut batch = Batch::default();
    batch.add(events::open_invitations_ending(kind, scope, contact_id, now, detail, events::Ending::All));
    let ended = batch.add(bind_open_invitations(set, scope, contact_id, now));
    batch.add(refresh_contact(contact_id));
    let changes = batch.run(db).await?;
    Ok(changes[ended].rows_affected)
}

/// Unlinks the contact's login from the profile. The login itself is kept, and the contact
/// can be invited again. A login left with nothing to see (not staff, no other profile) is
/// signed out everywhere; one that still has those keeps its sessions, which no longer
/// reach this profile (every portal read goes through `member_links`).
pub async fn unlink_login(db: &dyn Db, scope: &StaffScope, contact_id: i64, now: i64) -> Result<u64, DbError> {
    let mut batch = Batch::default();
    batch.add_all([
        events::login_unlinked(scope, contact_id, now),
        scope.bind(stmt!(
            concat!(
                "DELETE FROM sessions WHERE user_id IN (
                         SELECT l.user_id FROM member_links l JOIN contacts c ON c.id = l.contact_id
                         WHERE l.contact_id = :contact AND ",
                visible_contact!(),
                ")
                     AND NOT EXISTS (SELECT 1 FROM staff s WHERE s.user_id = sessions.user_id)
                     AND NOT EXISTS (SELECT 1 FROM member_links o
                                     WHERE o.user_id = sessions.user_id AND o.contact_id IS NOT :contact)"
            ),
            contact = contact_id
        )),
    ]);
    let unlinked = batch.add(scope.bind(stmt!(
        concat!(
            "DELETE FROM member_links WHERE contact_id = :contact
                     AND EXISTS (SELECT 1 FROM contacts c WHERE c.id = member_links.contact_id AND ",
            visible_contact!(),
            ")"
        ),
        contact = contact_id
    )));
    batch.add(refresh_contact(contact_id));
    let changes = batch.run(db).await?;
    Ok(changes[unlinked].rows_affected)
}

/// How the latest e-mail for an invitation fared.
#[derive(Debug, Clone, Deserialize)]
pub struct Delivery {
    pub status: String,
    pub attempts: i64,
    pub last_error: Option<String>,
    pub sent_at: Option<i64>,
    /// What the provider reported of it since (`outbox.report`), when, and why.
    pub report: Option<String>,
    pub reported_at: Option<i64>,
    pub report_detail: Option<String>,
}

pub async fn delivery(db: &dyn Db, invitation_id: i64) -> Result<Option<Delivery>, DbError> {
    fetch_optional(
        db,
        stmt!(
            "SELECT status, attempts, last_error, sent_at, report, reported_at, report_detail FROM outbox
             WHERE invitation_id = ? ORDER BY id DESC LIMIT 1",
            invitation_id
        ),
    )
    .await
}
