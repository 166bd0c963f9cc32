//! Forgot password: reset links of their own token kind, used once within an hour. Using
//! one sets the password and ends every session of the login in the same batch.

use serde::Deserialize;

use super::invitations::QueuedEmail;
use super::{Batch, Db, DbError, fetch_optional};
use crate::domain::addresses::LinkKind;
use crate::stmt;

/// Who a reset e-mail goes to: an enabled login with access, and the organisation whose
/// name and sender address the e-mail carries (where they are staff, else the first whose
/// member they are linked to).
#[derive(Debug, Clone, Deserialize)]
pub struct ResetRecipient {
    pub user_id: i64,
    pub organisation_id: Option<i64>,
}

pub async fn reset_recipient(db: &dyn Db, email: &str) -> Result<Option<ResetRecipient>, DbError> {
    let found = fetch_optional::<ResetRecipient>(
        db,
        stmt!(
            "SELECT u.id AS user_id,
                    coalesce((SELECT s.organisation_id FROM staff s WHERE s.user_id = u.id),
                             (SELECT min(m.organisation_id) FROM member_links l JOIN members m ON m.id = l.member_id
                              WHERE l.user_id = u.id)) AS organisation_id
             FROM users u WHERE u.email = ? AND u.disabled_at IS NULL",
            email
        ),
    )
    .await?;
    Ok(found.filter(|r| r.organisation_id.is_some()))
}

pub struct NewReset<'a> {
    pub user_id: i64,
    pub organisation_id: i64,
    pub to_email: &'a str,
    pub token_hash: &'a str,
    pub now: i64,
    pub expires_at: i64,
}

/// Records a reset and queues its e-mail; the login's earlier unused links die.
pub async fn create_reset(db: &dyn Db, new: &NewReset<'_>, email: &QueuedEmail) -> Result<(), DbError> {
    db.batch(vec![
        stmt!("UPDATE password_resets SET used_at = ? WHERE user_id = ? AND used_at IS NULL", new.now, new.user_id),
        stmt!(
            "INSERT INTO password_resets (user_id, token_hash, created_at, expires_at) VALUES (?, ?, ?, ?)",
            new.user_id,
            new.token_hash,
            new.now,
            new.expires_at
        ),
        super::outbox::queue_one(
            new.organisation_id,
            new.to_email,
            email,
            Some(LinkKind::PasswordReset),
            new.now,
            stmt!("1"),
        ),
    ])
    .await?;
    Ok(())
}

/// A link still good: unused, unexpired, for an enabled login.
macro_rules! usable {
    () => {
        "r.token_hash = ? AND r.used_at IS NULL AND r.expires_at > ?
         AND EXISTS (SELECT 1 FROM users u WHERE u.id = r.user_id AND u.disabled_at IS NULL)"
    };
}

/// The login's e-mail address, for the page the link opens; `None` when the link is no good.
pub async fn pending_reset(db: &dyn Db, token_hash: &str, now: i64) -> Result<Option<String>, DbError> {
    #[derive(Deserialize)]
    struct Pending {
        email: String,
    }
    let found = fetch_optional::<Pending>(
        db,
        stmt!(
            concat!(
                "SELECT (SELECT email FROM users WHERE id = r.user_id) AS email FROM password_resets r WHERE ",
                usable!()
            ),
            token_hash,
            now
        ),
    )
    .await?;
    Ok(found.map(|p| p.email))
}

/// Uses the link (claimed as `claim`): sets the password, kills the login's other links and
/// ends every one of its sessions. The login's id, or `None` when the link is no good.
pub async fn use_reset(
    db: &dyn Db,
    token_hash: &str,
    claim: &str,
    password_hash: &str,
    now: i64,
) -> Result<Option<i64>, DbError> {
    let claimed = "(SELECT user_id FROM password_resets WHERE claim = ?)";
    let mut batch = Batch::default();
    let used = batch.add(stmt!(
        concat!("UPDATE password_resets AS r SET used_at = ?, claim = ? WHERE ", usable!()),
        now,
        claim,
        token_hash,
        now
    ));
    batch.add_all([
        stmt!(format!("UPDATE users SET password_hash = ? WHERE id = {claimed}"), password_hash, claim),
        stmt!(
            format!("UPDATE password_resets SET used_at = ? WHERE used_at IS NULL AND user_id = {claimed}"),
            now,
            claim
        ),
        stmt!(format!("DELETE FROM sessions WHERE user_id = {claimed}"), claim),
    ]);
    let changes = batch.run(db).await?;
    if changes[used].rows_affected != 1 {
        return Ok(None);
    }
    #[derive(Deserialize)]
    struct Used {
        user_id: i64,
    }
    let used = fetch_optional::<Used>(db, stmt!("SELECT user_id FROM password_resets WHERE claim = ?", claim)).await?;
    Ok(used.map(|u| u.user_id))
}
