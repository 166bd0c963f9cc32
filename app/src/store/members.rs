use serde::Deserialize;

use super::scope::{StaffScope, archived_member, refresh_member, refresh_standing, visible_contact, visible_member};
use super::{Batch, Db, DbError, Stmt, fetch_all, fetch_optional};
use crate::domain::search::NameKeys;
use crate::domain::{Email, InvitationFacts, PersonName, Phone, PostalAddress};
use crate::records::{LinkedLogin, OwnProfile};
use crate::stmt;

/// The dates of the latest invitation `i`, as `LatestInvitation` reads them.
macro_rules! latest_invitation_columns {
    () => {
        "i.created_at AS inv_created_at, i.expires_at AS inv_expires_at,
         i.accepted_at AS inv_accepted_at, i.revoked_at AS inv_revoked_at,
         i.declined_at AS inv_declined_at"
    };
}
pub(crate) use latest_invitation_columns;

/// The dates of a latest invitation, as `inv_*` columns (all NULL when there is none).
#[derive(Debug, Clone, Deserialize)]
pub(crate) struct LatestInvitation {
    inv_created_at: Option<i64>,
    inv_expires_at: Option<i64>,
    inv_accepted_at: Option<i64>,
    inv_revoked_at: Option<i64>,
    inv_declined_at: Option<i64>,
}

impl LatestInvitation {
    pub(crate) fn facts(&self) -> Option<InvitationFacts> {
        Some(InvitationFacts {
            created_at: self.inv_created_at?,
            expires_at: self.inv_expires_at?,
            accepted_at: self.inv_accepted_at,
            revoked_at: self.inv_revoked_at,
            declined_at: self.inv_declined_at,
        })
    }
}

/// One person around a profile — the member themself or a representative — with their
/// login and their latest invitation.
macro_rules! contact_select {
    () => {
        concat!(
            "SELECT c.id, c.member_id, c.is_self, c.relation, c.email, c.is_primary,
                coalesce(c.first_name, m.first_name) AS first_name,
                coalesce(c.last_name, m.last_name) AS last_name,
                u.id AS login_user_id, u.email AS login_email, u.last_login_at AS login_last_login_at,
                l.linked_at AS login_linked_at,
                i.id AS invitation_id, i.email AS invitation_email,
                i.personal_message AS invitation_message, i.subject_template AS invitation_subject_template,
                i.body_template AS invitation_body_template, ",
            latest_invitation_columns!(),
            ", i.declined_by IS NOT NULL AS inv_declined_by_staff,
                i.decline_reason AS inv_decline_reason, i.reinvite AS inv_reinvite,
                i.revoked_because AS inv_revoked_because
         FROM contacts c
         JOIN members m ON m.id = c.member_id
         LEFT JOIN member_links l ON l.contact_id = c.id
         LEFT JOIN users u ON u.id = l.user_id
         LEFT JOIN invitations i ON i.id = (SELECT id FROM invitations
                                            WHERE contact_id = c.id
                                            ORDER BY created_at DESC, id DESC LIMIT 1)"
        )
    };
}

#[derive(Debug, Clone, Deserialize)]
pub struct ContactRow {
    pub id: i64,
    pub member_id: i64,
    #[serde(deserialize_with = "super::flag")]
    pub is_self: bool,
    pub relation: Option<String>,
    pub email: Option<String>,
    #[serde(deserialize_with = "super::flag")]
    pub is_primary: bool,
    pub first_name: String,
    pub last_name: String,
    pub login_user_id: Option<i64>,
    pub login_email: Option<String>,
    pub login_last_login_at: Option<i64>,
    pub login_linked_at: Option<i64>,
    pub invitation_id: Option<i64>,
    pub invitation_email: Option<String>,
    pub invitation_message: Option<String>,
    pub invitation_subject_template: Option<String>,
    pub invitation_body_template: Option<String>,
    #[serde(flatten)]
    latest: LatestInvitation,
    /// Declined as staff recorded it (else by the person, from the invitation page).
    pub inv_declined_by_staff: Option<i64>,
    pub inv_decline_reason: Option<String>,
    /// The latest invitation was sent again after the contact had declined.
    pub inv_reinvite: Option<i64>,
    /// 'email_changed' when the contact's new e-mail revoked the latest invitation.
    pub inv_revoked_because: Option<String>,
}

impl ContactRow {
    /// "Ada Byron", as notices and the timeline name the person.
    pub fn full_name(&self) -> String {
        format!("{} {}", self.first_name, self.last_name)
    }

    pub fn latest_invitation(&self) -> Option<InvitationFacts> {
        self.latest.facts()
    }

    /// Their login, its times shown in `zone`.
    pub fn login(&self, zone: &crate::domain::dates::Zone) -> Option<LinkedLogin> {
        Some(LinkedLogin {
            user_id: self.login_user_id?,
            email: self.login_email.clone()?,
            last_login: self.login_last_login_at.map(|at| zone.date_time(at)),
            linked_on: zone.date(self.login_linked_at?),
        })
    }
}

/// The member themself first, then representatives in the order they were added.
pub async fn contacts_of(db: &dyn Db, scope: &StaffScope, member_id: i64) -> Result<Vec<ContactRow>, DbError> {
    fetch_all(
        db,
        scope.bind(stmt!(
            concat!(
                contact_select!(),
                " WHERE c.member_id = :member AND ",
                visible_contact!(),
                " ORDER BY c.is_self DESC, c.id"
            ),
            member = member_id
        )),
    )
    .await
}

pub async fn contact(db: &dyn Db, scope: &StaffScope, contact_id: i64) -> Result<Option<ContactRow>, DbError> {
    fetch_optional(
        db,
        scope.bind(stmt!(
            concat!(contact_select!(), " WHERE c.id = :contact AND ", visible_contact!()),
            contact = contact_id
        )),
    )
    .await
}

/// A member's own details, for their profile.
#[derive(Debug, Clone, Deserialize)]
pub struct MemberRecord {
    pub id: i64,
    pub first_name: String,
    pub last_name: String,
    pub email: Option<String>,
    pub phone: Option<String>,
    pub address: Option<String>,
    /// Whether the member is a primary contact of their own profile.
    #[serde(deserialize_with = "super::flag")]
    pub is_primary: bool,
}

pub async fn member(db: &dyn Db, scope: &StaffScope, member_id: i64) -> Result<Option<MemberRecord>, DbError> {
    fetch_optional(
        db,
        scope.bind(stmt!(
            concat!(
                "SELECT m.id, m.first_name, m.last_name, c.email, m.phone, m.address, c.is_primary
                 FROM members m JOIN contacts c ON c.member_id = m.id AND c.is_self = 1
                 WHERE m.id = :member AND ",
                visible_member!()
            ),
            member = member_id
        )),
    )
    .await
}

pub struct NewMember {
    pub first_name: PersonName,
    pub last_name: PersonName,
    pub email: Option<Email>,
    pub phone: Option<Phone>,
    pub address: Option<PostalAddress>,
}

/// Adds a member and their own contact; a staff login limited to some members is given
/// access to the one it added. `through_key`: the name of the API key that added them, on
/// their timeline.
pub async fn insert_member(
    db: &dyn Db,
    scope: &StaffScope,
    new: &NewMember,
    through_key: Option<&str>,
    now: i64,
) -> Result<i64, DbError> {
    let keys = NameKeys::of(&new.first_name, &new.last_name);
    let mut batch = Batch::default();
    let inserted = batch.add(stmt!(
        "INSERT INTO members (organisation_id, first_name, last_name, name_key, sort_key, phone, address, created_at)
                 VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        scope.organisation_id,
        new.first_name.as_str(),
        new.last_name.as_str(),
        keys.name_key,
        keys.sort_key,
        new.phone.as_ref().map(Phone::as_str),
        new.address.as_ref().map(PostalAddress::as_str),
        now
    ));
    batch.add(stmt!(
        "INSERT INTO contacts (member_id, is_self, email, created_at) SELECT last_insert_rowid(), 1, ?, ?",
        new.email.as_ref().map(Email::as_str),
        now
    ));
    // An UPDATE leaves last_insert_rowid() the contact's, for the next statement.
    batch.add_all([
        stmt!(refresh_standing!("SELECT member_id FROM contacts WHERE id = last_insert_rowid()")),
        stmt!(
            "INSERT INTO staff_access (user_id, member_id)
                 SELECT ?, member_id FROM contacts WHERE id = last_insert_rowid() AND ? = 0",
            scope.user_id,
            scope.all_members
        ),
    ]);
    if let Some(key) = through_key {
        // The batch runs alone in its transaction: the organisation's newest member is this one.
        batch.add(stmt!(
            concat!(
                super::events::insert_event!(),
                "SELECT m.organisation_id, m.id, c.id, 'added_through_api', NULL, :key, :now
                 FROM members m JOIN contacts c ON c.member_id = m.id AND c.is_self = 1
                 WHERE m.id = (SELECT max(id) FROM members WHERE organisation_id = :organisation)"
            ),
            key = key,
            now = now,
            organisation = scope.organisation_id
        ));
    }
    let changes = batch.run(db).await?;
    Ok(changes[inserted].last_insert_id)
}

#[derive(Deserialize)]
struct ContactId {
    id: i64,
}

/// Changes a member's details, and whether they are a primary contact of their own profile
/// (a young child is not: their parent is). When their e-mail changes, their own pending invitations
/// are revoked in the same batch, before it (SECURITY.md rule 6: a link goes to the address
/// it was sent to). False when the member is not there for this staff login.
pub async fn update_member(
    db: &dyn Db,
    scope: &StaffScope,
    member_id: i64,
    new: &NewMember,
    is_primary: bool,
    now: i64,
) -> Result<bool, DbError> {
    let email = new.email.as_ref().map(Email::as_str);
    let keys = NameKeys::of(&new.first_name, &new.last_name);
    // The member's own contact never changes: read once, then every write is guarded.
    let Some(own) = fetch_optional::<ContactId>(
        db,
        stmt!("SELECT id FROM contacts WHERE member_id = ? AND is_self = 1", member_id),
    )
    .await?
    else {
        return Ok(false);
    };
    let mut batch = Batch::default();
    batch.add_all([
        super::events::open_invitations_ending(
            "revoked",
            scope,
            own.id,
            now,
            Some(super::contacts::EMAIL_CHANGED),
            super::events::Ending::IfEmailBecomes(email),
        ),
        super::contacts::revoke_if_email_changes(scope, own.id, email, now),
    ]);
    let updated = batch.add(scope.bind(stmt!(
        concat!(
            "UPDATE members SET first_name = :first_name, last_name = :last_name, name_key = :name_key,
                                        sort_key = :sort_key, phone = :phone, address = :address
                     WHERE id = :member AND EXISTS (SELECT 1 FROM members m WHERE m.id = members.id AND ",
            visible_member!(),
            ")"
        ),
        first_name = new.first_name.as_str(),
        last_name = new.last_name.as_str(),
        name_key = keys.name_key,
        sort_key = keys.sort_key,
        phone = new.phone.as_ref().map(Phone::as_str),
        address = new.address.as_ref().map(PostalAddress::as_str),
        member = member_id
    )));
    batch.add_all([
        scope.bind(stmt!(
            concat!(
                "UPDATE contacts SET email = :email, is_primary = :is_primary
                     WHERE member_id = :member AND is_self = 1
                       AND EXISTS (SELECT 1 FROM members m WHERE m.id = contacts.member_id AND ",
                visible_member!(),
                ")"
            ),
            email = email,
            is_primary = is_primary,
            member = member_id
        )),
        refresh_member(member_id),
    ]);
    let changes = batch.run(db).await?;
    Ok(changes[updated].rows_affected == 1)
}

pub async fn own_profiles(db: &dyn Db, user_id: i64) -> Result<Vec<OwnProfile>, DbError> {
    fetch_all(
        db,
        stmt!(
            "SELECT m.id AS member_id, m.first_name, m.last_name, c.email, m.phone, m.address,
                    o.name AS organisation_name
             FROM member_links l
             JOIN members m ON m.id = l.member_id AND m.archived_at IS NULL
             JOIN contacts c ON c.member_id = m.id AND c.is_self = 1
             JOIN organisations o ON o.id = m.organisation_id
             WHERE l.user_id = ? ORDER BY m.last_name, m.first_name, m.id",
            user_id
        ),
    )
    .await
}

/// Archives a member: they leave the member list, the portal and every round; their links
/// stop working (every page and link reads only members not archived). On the timeline,
/// through the API key named (`through_key`), else by the staff login. False when the
/// member is not there for this staff login.
pub async fn archive_member(
    db: &dyn Db,
    scope: &StaffScope,
    member_id: i64,
    through_key: Option<&str>,
    now: i64,
) -> Result<bool, DbError> {
    let mut batch = Batch::default();
    batch.add(archive_event(ARCHIVED_EVENT, scope, member_id, through_key, now));
    let archived = batch.add(scope.bind(stmt!(
        concat!(
            "UPDATE members SET archived_at = :now
             WHERE id = :member AND EXISTS (SELECT 1 FROM members m WHERE m.id = members.id AND ",
            visible_member!(),
            ")"
        ),
        now = now,
        member = member_id
    )));
    let changes = batch.run(db).await?;
    Ok(changes[archived].rows_affected == 1)
}

/// An archived member, as the archived members' page lists them.
#[derive(Debug, Clone, Deserialize)]
pub struct ArchivedRow {
    pub id: i64,
    pub first_name: String,
    pub last_name: String,
    pub email: Option<String>,
    pub archived_at: i64,
}

/// The archived members this staff login may see, the latest archived first.
pub async fn archived_members(db: &dyn Db, scope: &StaffScope) -> Result<Vec<ArchivedRow>, DbError> {
    fetch_all(
        db,
        scope.bind(stmt!(concat!(
            "SELECT m.id, m.first_name, m.last_name, c.email, m.archived_at
             FROM members m JOIN contacts c ON c.member_id = m.id AND c.is_self = 1
             WHERE ",
            archived_member!(),
            " ORDER BY m.archived_at DESC, m.id DESC"
        ))),
    )
    .await
}

/// Brings an archived member back as they were: on the member list, in the portal of their
/// logins, in rounds; invitation links not yet expired work again. On the timeline, as
/// archiving is. False when no archived member `member_id` is there for this staff login.
pub async fn restore_member(
    db: &dyn Db,
    scope: &StaffScope,
    member_id: i64,
    through_key: Option<&str>,
    now: i64,
) -> Result<bool, DbError> {
    let mut batch = Batch::default();
    // Before the UPDATE, as archiving's: written only while the member is archived, so a
    // second restore at the same moment writes neither.
    batch.add(archive_event(RESTORED_EVENT, scope, member_id, through_key, now));
    let restored = batch.add(scope.bind(stmt!(
        concat!(
            "UPDATE members SET archived_at = NULL
             WHERE id = :member AND EXISTS (SELECT 1 FROM members m WHERE m.id = members.id AND ",
            archived_member!(),
            ")"
        ),
        member = member_id
    )));
    let changes = batch.run(db).await?;
    Ok(changes[restored].rows_affected == 1)
}

/// The timeline's line for archiving a member still visible, and for restoring one archived.
const ARCHIVED_EVENT: &str = concat!(
    super::events::insert_event!(),
    "SELECT m.organisation_id, m.id, c.id, 'archived', :actor, :key, :now
     FROM members m JOIN contacts c ON c.member_id = m.id AND c.is_self = 1
     WHERE m.id = :member AND ",
    visible_member!()
);
const RESTORED_EVENT: &str = concat!(
    super::events::insert_event!(),
    "SELECT m.organisation_id, m.id, c.id, 'restored', :actor, :key, :now
     FROM members m JOIN contacts c ON c.member_id = m.id AND c.is_self = 1
     WHERE m.id = :member AND ",
    archived_member!()
);

/// `event` (one of the two above) by the staff login, or through the API key named.
fn archive_event(event: &'static str, scope: &StaffScope, member_id: i64, through_key: Option<&str>, now: i64) -> Stmt {
    let actor = through_key.is_none().then_some(scope.user_id);
    scope.bind(stmt!(event, actor = actor, key = through_key, now = now, member = member_id))
}

/// Contacts whose latest invitation is in `state` (any state: `None`), by id after the
/// cursor `after`, up to `limit`.
pub async fn contacts_by_invitation(
    db: &dyn Db,
    scope: &StaffScope,
    state: Option<crate::domain::InvitationState>,
    after: i64,
    limit: i64,
    now: i64,
) -> Result<Vec<ContactRow>, DbError> {
    fetch_all(
        db,
        scope.bind(stmt!(
            concat!(
                contact_select!(),
                // The state as `InvitationFacts::state` tells it.
                " WHERE i.id IS NOT NULL AND c.id > :after AND ",
                visible_contact!(),
                " AND (:state = '' OR :state = CASE WHEN i.accepted_at IS NOT NULL THEN 'accepted'
                                                    WHEN i.revoked_at IS NOT NULL THEN 'revoked'
                                                    WHEN i.declined_at IS NOT NULL THEN 'declined'
                                                    WHEN :now >= i.expires_at THEN 'expired'
                                                    ELSE 'pending' END)
                 ORDER BY c.id LIMIT :limit"
            ),
            after = after,
            state = state.map_or("", |s| s.slug()),
            now = now,
            limit = limit
        )),
    )
    .await
}
