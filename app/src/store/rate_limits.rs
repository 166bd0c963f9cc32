//! Attempts counted per bucket in fixed windows, kept in the database so that every server
//! process and every Worker isolate counts together.

use serde::Deserialize;

use super::{Db, DbError, fetch_optional};
use crate::stmt;

#[derive(Deserialize)]
struct Hits {
    hits: i64,
}

/// Counts one attempt in `bucket`'s current window (`window_start`); returns the attempts in
/// it so far, this one included. The first attempt of a window clears windows long past.
pub async fn count_attempt(db: &dyn Db, bucket: &str, window_start: i64, expired_before: i64) -> Result<i64, DbError> {
    let counted = fetch_optional::<Hits>(
        db,
        stmt!(
            "INSERT INTO rate_limits (bucket, window_start, hits) VALUES (?, ?, 1)
             ON CONFLICT (bucket, window_start) DO UPDATE SET hits = hits + 1
             RETURNING hits",
            bucket,
            window_start
        ),
    )
    .await?
    .map_or(1, |h| h.hits);
    if counted == 1 {
        db.execute(stmt!("DELETE FROM rate_limits WHERE window_start < ?", expired_before)).await?;
    }
    Ok(counted)
}

/// Takes an attempt back (one that turned out to be the right password).
pub async fn forgive_attempt(db: &dyn Db, bucket: &str, window_start: i64) -> Result<(), DbError> {
    db.execute(stmt!(
        "UPDATE rate_limits SET hits = hits - 1 WHERE bucket = ? AND window_start = ? AND hits > 0",
        bucket,
        window_start
    ))
    .await?;
    Ok(())
}
