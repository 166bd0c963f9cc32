use serde::Deserialize;

use super::invitations::QueuedEmail;
use super::scope::{StaffScope, visible_contact, visible_member};
use super::{Batch, Db, DbError, exists, fetch_optional};
use crate::stmt;

#[derive(Debug, Clone, Deserialize)]
pub struct LoginRecord {
    pub id: i64,
    pub password_hash: String,
}

/// The login for an e-mail address, unless it is disabled or has no access at all (neither
/// staff nor linked to a member — a pending invitee has no login yet).
pub async fn active_login_by_email(db: &dyn Db, email: &str) -> Result<Option<LoginRecord>, DbError> {
    fetch_optional(
        db,
        stmt!(
            "SELECT u.id, u.password_hash FROM users u
             WHERE u.email = ? AND u.disabled_at IS NULL
               AND (EXISTS (SELECT 1 FROM staff s WHERE s.user_id = u.id)
                 OR EXISTS (SELECT 1 FROM member_links l WHERE l.user_id = u.id))",
            email
        ),
    )
    .await
}

/// The stored hash of an enabled login, for the person proving it is theirs.
pub async fn password_hash(db: &dyn Db, user_id: i64) -> Result<Option<String>, DbError> {
    #[derive(Deserialize)]
    struct Hash {
        password_hash: String,
    }
    let found = fetch_optional::<Hash>(
        db,
        stmt!("SELECT password_hash FROM users WHERE id = ? AND disabled_at IS NULL", user_id),
    )
    .await?;
    Ok(found.map(|h| h.password_hash))
}

pub async fn is_staff(db: &dyn Db, user_id: i64) -> Result<bool, DbError> {
    exists(db, stmt!("SELECT 1 FROM staff WHERE user_id = ?", user_id)).await
}

/// The login with this e-mail address, enabled or not, with or without access.
pub async fn id_by_email(db: &dyn Db, email: &str) -> Result<Option<i64>, DbError> {
    #[derive(Deserialize)]
    struct Id {
        id: i64,
    }
    Ok(fetch_optional::<Id>(db, stmt!("SELECT id FROM users WHERE email = ?", email)).await?.map(|row| row.id))
}

/// The login linked to the contact changes its e-mail to `new_email`, and each address is
/// told (`told`: the e-mails to the old address and the new one). One batch: the timeline's
/// event, the change, the two e-mails, each guarded by the change having happened. False
/// when there was nothing to change (no login linked, or not visible to this staff login).
/// A constraint error when another login has the address.
pub async fn change_login_email(
    db: &dyn Db,
    scope: &StaffScope,
    contact_id: i64,
    new_email: &str,
    told: [(&str, &QueuedEmail); 2],
    now: i64,
) -> Result<bool, DbError> {
    let linked = concat!(
        "(SELECT l.user_id FROM member_links l JOIN contacts c ON c.id = l.contact_id WHERE l.contact_id = :contact AND ",
        visible_contact!(),
        ")"
    );
    let mut batch = Batch::default();
    batch.add(scope.bind(stmt!(
        format!(
            "INSERT INTO events (organisation_id, member_id, contact_id, kind, actor_user_id, detail, at)
                 SELECT :organisation, (SELECT member_id FROM contacts WHERE id = :contact), :contact,
                        'login_email_changed', :staff_user, u.email || ' → ' || :email, :now
                 FROM users u WHERE u.id = {linked}"
        ),
        contact = contact_id,
        email = new_email,
        now = now
    )));
    let changed_login = batch.add(scope.bind(stmt!(
        format!("UPDATE users SET email = :email WHERE id = {linked}"),
        email = new_email,
        contact = contact_id
    )));
    for (to, email) in told {
        let changed = scope.bind(stmt!(
            format!("EXISTS (SELECT 1 FROM users WHERE email = :email AND id = {linked})"),
            email = new_email,
            contact = contact_id
        ));
        batch.add(super::outbox::queue_one(scope.organisation_id, to, email, None, now, changed));
    }
    Ok(batch.run(db).await?[changed_login].rows_affected == 1)
}
