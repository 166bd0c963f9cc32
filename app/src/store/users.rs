use serde::Deserialize;

use super::{Db, DbError, exists, fetch_optional};
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
