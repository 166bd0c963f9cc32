//! The answers to API requests sent with an `Idempotency-Key`, kept so that a retry is
//! answered the same and does nothing twice.

use serde::Deserialize;

use super::{Batch, Db, DbError, fetch_optional};
use crate::stmt;

/// An earlier request with the same key: what it asked (its digest) and, once answered, the
/// answer.
#[derive(Debug, Clone, Deserialize)]
pub struct Seen {
    pub request_digest: String,
    pub status: Option<u16>,
    pub body: Option<String>,
    pub location: Option<String>,
}

/// Claims `idempotency_key` for this request, forgetting a claim made before `expired_before`;
/// `None` when claimed now, else the earlier request with that key.
pub async fn claim(
    db: &dyn Db,
    key_id: i64,
    idempotency_key: &str,
    request_digest: &str,
    now: i64,
    expired_before: i64,
) -> Result<Option<Seen>, DbError> {
    let mut batch = Batch::default();
    batch.add(stmt!(
        "DELETE FROM api_idempotency WHERE key_id = :key AND idempotency_key = :idempotency_key
                                       AND created_at < :expired_before",
        key = key_id,
        idempotency_key = idempotency_key,
        expired_before = expired_before
    ));
    let claimed = batch.add(stmt!(
        "INSERT INTO api_idempotency (key_id, idempotency_key, request_digest, created_at)
         VALUES (:key, :idempotency_key, :digest, :now) ON CONFLICT DO NOTHING",
        key = key_id,
        idempotency_key = idempotency_key,
        digest = request_digest,
        now = now
    ));
    if batch.run(db).await?[claimed].rows_affected == 1 {
        return Ok(None);
    }
    fetch_optional(
        db,
        stmt!(
            "SELECT request_digest, status, body, location FROM api_idempotency
             WHERE key_id = :key AND idempotency_key = :idempotency_key",
            key = key_id,
            idempotency_key = idempotency_key
        ),
    )
    .await
}

/// Keeps the answer given to the request that claimed the key.
pub async fn answer(
    db: &dyn Db,
    key_id: i64,
    idempotency_key: &str,
    status: u16,
    body: &str,
    location: Option<&str>,
) -> Result<(), DbError> {
    db.execute(stmt!(
        "UPDATE api_idempotency SET status = :status, body = :body, location = :location
         WHERE key_id = :key AND idempotency_key = :idempotency_key",
        status = i64::from(status),
        body = body,
        location = location,
        key = key_id,
        idempotency_key = idempotency_key
    ))
    .await?;
    Ok(())
}

/// Lets the key be used again: the request that claimed it failed on our side, and a retry
/// should be tried afresh.
pub async fn release(db: &dyn Db, key_id: i64, idempotency_key: &str) -> Result<(), DbError> {
    db.execute(stmt!(
        "DELETE FROM api_idempotency WHERE key_id = :key AND idempotency_key = :idempotency_key",
        key = key_id,
        idempotency_key = idempotency_key
    ))
    .await?;
    Ok(())
}
