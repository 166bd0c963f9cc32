//! Representatives on a profile: a parent, a guardian, a bookkeeper, each with their own
//! e-mail and portal access. The member's own contact is made with the member and changed
//! with the member's details (`members::update_member`).

use super::events;
use super::scope::{
    StaffScope, bind_open_invitations, open_invitations_of_visible_contact, refresh_contact, refresh_member,
    visible_contact, visible_member,
};
use super::{Batch, Db, DbError, Stmt, fetch_optional};
use crate::domain::{Email, PersonName, Relation};
use crate::stmt;

pub struct NewContact {
    pub first_name: PersonName,
    pub last_name: PersonName,
    pub relation: Option<Relation>,
    pub email: Option<Email>,
    pub is_primary: bool,
    /// Staff said this is the person of that contact (`SamePerson::person_id`), already
    /// around another profile.
    pub same_as: Option<i64>,
}

/// The full names on every profile the person of contact `$contact` (an SQL expression)
/// reaches as the same person at the same address, "Max Keller and Mia Keller": whose
/// profiles their invitation opens. The candidates are the contact itself and, through the
/// e-mail index, those at its address: written as `p.id = c.id OR p.email = c.email`,
/// SQLite scanned every contact for each one (a round's 200 took 1.1 s at 100,000 members).
macro_rules! profiles_of_person {
    ($contact:literal) => {
        concat!(
            "(SELECT group_concat(pm.first_name || ' ' || pm.last_name, ' and ')
              FROM contacts p JOIN members pm ON pm.id = p.member_id AND pm.archived_at IS NULL
              WHERE p.id IN (SELECT ",
            $contact,
            ".id UNION ALL SELECT q.id FROM contacts q WHERE q.email = ",
            $contact,
            ".email AND q.removed_at IS NULL)
                AND coalesce(p.same_as, p.id) = coalesce(",
            $contact,
            ".same_as, ",
            $contact,
            ".id) AND p.removed_at IS NULL)"
        )
    };
}
pub(crate) use profiles_of_person;

/// Whose profiles an invitation of this contact opens (`profiles_of_person!`).
pub async fn profiles_of(db: &dyn Db, contact_id: i64) -> Result<String, DbError> {
    #[derive(serde::Deserialize)]
    struct Row {
        names: Option<String>,
    }
    let row: Option<Row> = fetch_optional(db, profiles_of_stmt(contact_id)).await?;
    Ok(row.and_then(|r| r.names).unwrap_or_default())
}

/// `profiles_of`'s statement, for its query plan to be checked.
pub fn profiles_of_stmt(contact_id: i64) -> Stmt {
    stmt!(concat!("SELECT ", profiles_of_person!("c"), " AS names FROM contacts c WHERE c.id = ?"), contact_id)
}

/// Someone already around another profile with the e-mail a new representative is given.
#[derive(Debug, Clone, serde::Deserialize)]
pub struct SamePerson {
    /// The person's first contact: the one every later one names as `same_as`.
    pub person_id: i64,
    pub name: String,
    pub member_name: String,
}

/// The first contact with `email` on another profile this staff login may see, if any.
pub async fn same_email_elsewhere(
    db: &dyn Db,
    scope: &StaffScope,
    member_id: i64,
    email: &Email,
) -> Result<Option<SamePerson>, DbError> {
    fetch_optional(
        db,
        scope.bind(stmt!(
            concat!(
                "SELECT coalesce(c.same_as, c.id) AS person_id,
                        coalesce(c.first_name, m.first_name) || ' ' || coalesce(c.last_name, m.last_name) AS name,
                        m.first_name || ' ' || m.last_name AS member_name
                 FROM contacts c JOIN members m ON m.id = c.member_id
                 WHERE c.email = :email AND c.removed_at IS NULL AND m.id <> :member AND ",
                visible_member!(),
                " ORDER BY c.id LIMIT 1"
            ),
            email = email.as_str(),
            member = member_id
        )),
    )
    .await
}

/// The representative `c` (never the member's own contact), not removed, of a member the
/// staff login may see.
macro_rules! visible_representative {
    () => {
        concat!(
            "is_self = 0 AND removed_at IS NULL
             AND EXISTS (SELECT 1 FROM members m WHERE m.id = contacts.member_id AND ",
            visible_member!(),
            ")"
        )
    };
}

/// Adds a representative to a member the staff login may see. None when it may not.
pub async fn add_contact(
    db: &dyn Db,
    scope: &StaffScope,
    member_id: i64,
    new: &NewContact,
    now: i64,
) -> Result<Option<Added>, DbError> {
    let mut batch = Batch::default();
    let inserted = batch.add(scope.bind(stmt!(
        concat!(
            "INSERT INTO contacts (member_id, is_self, first_name, last_name, relation, email, is_primary,
                                           same_as, created_at)
                     SELECT :member, 0, :first_name, :last_name, :relation, :email, :is_primary, :same_as, :now
                     WHERE EXISTS (SELECT 1 FROM members m WHERE m.id = :member AND ",
            visible_member!(),
            ")"
        ),
        member = member_id,
        first_name = new.first_name.as_str(),
        last_name = new.last_name.as_str(),
        relation = new.relation.as_ref().map(Relation::as_str),
        email = new.email.as_ref().map(Email::as_str),
        is_primary = new.is_primary,
        same_as = new.same_as,
        now = now,
    )));
    // The same person with a login already: it reaches this profile now, as this
    // contact (the login's e-mail is the contact's, so it is theirs).
    let linked = batch.add(stmt!(
        "INSERT INTO member_links (user_id, member_id, contact_id, relation, linked_at)
                 SELECT u.id, c.member_id, c.id, 'representative', ?
                 FROM contacts c JOIN users u ON u.email = c.email AND u.disabled_at IS NULL
                 WHERE c.id = last_insert_rowid() AND changes() = 1 AND c.member_id = ? AND c.same_as IS NOT NULL
                   AND EXISTS (SELECT 1 FROM member_links l JOIN contacts p ON p.id = l.contact_id
                               WHERE l.user_id = u.id AND coalesce(p.same_as, p.id) = c.same_as)
                   AND NOT EXISTS (SELECT 1 FROM member_links l WHERE l.user_id = u.id AND l.member_id = c.member_id)",
        now,
        member_id
    ));
    batch.add(refresh_member(member_id));
    let changes = batch.run(db).await?;
    let added = (changes[inserted].rows_affected == 1).then_some(changes[inserted].last_insert_id);
    Ok(added.map(|id| Added { contact_id: id, linked: changes[linked].rows_affected == 1 }))
}

/// A representative just added, and whether a login of theirs reaches the profile already.
#[derive(Debug, Clone, Copy)]
pub struct Added {
    pub contact_id: i64,
    pub linked: bool,
}

/// Changes a representative. When the e-mail changes, their pending invitation is revoked
/// in the same batch, before it (SECURITY.md rule 6). False when it is not there for this
/// staff login.
pub async fn update_contact(
    db: &dyn Db,
    scope: &StaffScope,
    contact_id: i64,
    new: &NewContact,
    now: i64,
) -> Result<bool, DbError> {
    let email = new.email.as_ref().map(Email::as_str);
    let mut batch = Batch::default();
    batch.add_all([
        events::open_invitations_ending(
            "revoked",
            scope,
            contact_id,
            now,
            Some(EMAIL_CHANGED),
            events::Ending::IfEmailBecomes(email),
        ),
        revoke_if_email_changes(scope, contact_id, email, now),
    ]);
    let updated = batch.add(scope.bind(stmt!(
        concat!(
            "UPDATE contacts SET first_name = :first_name, last_name = :last_name, relation = :relation,
                                         email = :email, is_primary = :is_primary
                     WHERE id = :contact AND ",
            visible_representative!()
        ),
        first_name = new.first_name.as_str(),
        last_name = new.last_name.as_str(),
        relation = new.relation.as_ref().map(Relation::as_str),
        email = email,
        is_primary = new.is_primary,
        contact = contact_id
    )));
    batch.add(refresh_contact(contact_id));
    let changes = batch.run(db).await?;
    Ok(changes[updated].rows_affected == 1)
}

/// Why the timeline says an invitation was revoked when the contact's e-mail changed.
pub(crate) const EMAIL_CHANGED: &str = "the e-mail address changed";
/// … when the representative was removed from the profile.
const REMOVED: &str = "the representative was removed from the profile";

/// Revokes the contact's open invitations when its e-mail is about to become `email`.
pub(crate) fn revoke_if_email_changes(scope: &StaffScope, contact_id: i64, email: Option<&str>, now: i64) -> Stmt {
    bind_open_invitations(
        stmt!(
            concat!(
                "UPDATE invitations SET revoked_at = :now, revoked_because = 'email_changed'
                 WHERE (SELECT email FROM contacts WHERE id = invitations.contact_id) IS NOT :email AND ",
                open_invitations_of_visible_contact!()
            ),
            email = email
        ),
        scope,
        contact_id,
        now,
    )
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Removal {
    Removed,
    NotFound,
    /// The representative has a login: it is unlinked first, so removing is never a
    /// silent sign-out.
    HasLogin,
}

/// Removes a representative: their open invitations are revoked and they leave the profile
/// (the row is kept, marked removed, for the invitations that name it).
pub async fn remove_contact(db: &dyn Db, scope: &StaffScope, contact_id: i64, now: i64) -> Result<Removal, DbError> {
    let ending = events::Ending::IfRepresentative;
    let mut batch = Batch::default();
    batch.add_all([
        events::open_invitations_ending("revoked", scope, contact_id, now, Some(REMOVED), ending),
        bind_open_invitations(
            stmt!(concat!(
                "UPDATE invitations SET revoked_at = :now
                         WHERE (SELECT is_self FROM contacts WHERE id = invitations.contact_id) = 0 AND ",
                open_invitations_of_visible_contact!()
            )),
            scope,
            contact_id,
            now,
        ),
    ]);
    let removed = batch.add(scope.bind(stmt!(
        concat!(
            "UPDATE contacts SET removed_at = :now
                     WHERE id = :contact AND NOT EXISTS (SELECT 1 FROM member_links l WHERE l.contact_id = contacts.id)
                       AND ",
            visible_representative!()
        ),
        now = now,
        contact = contact_id
    )));
    batch.add(refresh_contact(contact_id));
    let changes = batch.run(db).await?;
    if changes[removed].rows_affected == 1 {
        return Ok(Removal::Removed);
    }
    let linked = super::exists(
        db,
        scope.bind(stmt!(
            concat!(
                "SELECT 1 FROM contacts JOIN member_links l ON l.contact_id = contacts.id WHERE contacts.id = :contact AND ",
                visible_representative!()
            ),
            contact = contact_id
        )),
    )
    .await?;
    Ok(if linked { Removal::HasLogin } else { Removal::NotFound })
}
