//! API keys: made and revoked by the owner or an administrator (the statements check the
//! role themselves), each on the organisation's timeline; found by the hash of the key a
//! request carries.

use serde::Deserialize;

use super::{Batch, Db, DbError, fetch_all, fetch_optional};
use crate::domain::api_key::{KeyAccess, KeyName};
use crate::stmt;

/// The login may manage the organisation's keys (`:user`, `:organisation`).
macro_rules! manages_keys {
    () => {
        "EXISTS (SELECT 1 FROM staff s WHERE s.user_id = :user AND s.organisation_id = :organisation
                   AND s.role IN ('owner', 'administrator'))"
    };
}

pub struct NewKey<'a> {
    pub name: &'a KeyName,
    pub access: KeyAccess,
    pub prefix: &'a str,
    pub key_hash: &'a str,
}

/// Keeps a new key; false when the login may not make keys.
pub async fn insert(
    db: &dyn Db,
    organisation_id: i64,
    user_id: i64,
    key: &NewKey<'_>,
    now: i64,
) -> Result<bool, DbError> {
    let mut batch = Batch::default();
    let inserted = batch.add(stmt!(
        concat!(
            "INSERT INTO api_keys (organisation_id, name, may_write, prefix, key_hash, created_by, created_at)
             SELECT :organisation, :name, :may_write, :prefix, :key_hash, :user, :now WHERE ",
            manages_keys!()
        ),
        organisation = organisation_id,
        name = key.name.as_str(),
        may_write = key.access.may_write(),
        prefix = key.prefix,
        key_hash = key.key_hash,
        user = user_id,
        now = now
    ));
    let detail = format!("API key “{}” made ({})", key.name.as_str(), key.access.label().to_lowercase());
    batch.add(super::events::settings_changed_if_changed(organisation_id, user_id, &detail, now));
    let changes = batch.run(db).await?;
    Ok(changes[inserted].rows_affected == 1)
}

/// A key as the list shows it.
#[derive(Debug, Clone, Deserialize)]
pub struct KeyRow {
    pub id: i64,
    pub name: String,
    #[serde(deserialize_with = "super::flag")]
    pub may_write: bool,
    pub prefix: String,
    pub created_at: i64,
    pub last_used_at: Option<i64>,
    pub revoked_at: Option<i64>,
    pub created_by_email: String,
}

/// The organisation's keys, newest first, revoked ones too (what was revoked, and when).
pub async fn list(db: &dyn Db, organisation_id: i64) -> Result<Vec<KeyRow>, DbError> {
    fetch_all(
        db,
        stmt!(
            "SELECT k.id, k.name, k.may_write, k.prefix, k.created_at, k.last_used_at, k.revoked_at,
                    u.email AS created_by_email
             FROM api_keys k JOIN users u ON u.id = k.created_by
             WHERE k.organisation_id = :organisation ORDER BY k.created_at DESC, k.id DESC",
            organisation = organisation_id
        ),
    )
    .await
}

#[derive(Debug, Clone, Deserialize)]
struct Name {
    name: String,
}

/// Revokes a key at once; false when there is no such live key of the organisation or the
/// login may not revoke it.
pub async fn revoke(db: &dyn Db, organisation_id: i64, user_id: i64, key_id: i64, now: i64) -> Result<bool, DbError> {
    let Some(Name { name }) = fetch_optional(
        db,
        stmt!(
            "SELECT name FROM api_keys WHERE id = :key AND organisation_id = :organisation AND revoked_at IS NULL",
            key = key_id,
            organisation = organisation_id
        ),
    )
    .await?
    else {
        return Ok(false);
    };
    let mut batch = Batch::default();
    let revoked = batch.add(stmt!(
        concat!(
            "UPDATE api_keys SET revoked_at = :now
             WHERE id = :key AND organisation_id = :organisation AND revoked_at IS NULL AND ",
            manages_keys!()
        ),
        now = now,
        key = key_id,
        organisation = organisation_id,
        user = user_id
    ));
    let detail = format!("API key “{name}” revoked");
    batch.add(super::events::settings_changed_if_changed(organisation_id, user_id, &detail, now));
    let changes = batch.run(db).await?;
    Ok(changes[revoked].rows_affected == 1)
}

/// The live key a request's key hashes to: its organisation, and whether it may write.
#[derive(Debug, Clone, Deserialize)]
pub struct KeyHolder {
    pub id: i64,
    pub organisation_id: i64,
    pub name: String,
    #[serde(deserialize_with = "super::flag")]
    pub may_write: bool,
    pub created_by: i64,
    pub last_used_at: Option<i64>,
    pub organisation_time_zone: Option<String>,
}

pub async fn holder(db: &dyn Db, key_hash: &str) -> Result<Option<KeyHolder>, DbError> {
    fetch_optional(
        db,
        stmt!(
            "SELECT k.id, k.organisation_id, k.name, k.may_write, k.created_by, k.last_used_at,
                    o.time_zone AS organisation_time_zone
             FROM api_keys k JOIN organisations o ON o.id = k.organisation_id
             WHERE k.key_hash = :key_hash AND k.revoked_at IS NULL",
            key_hash = key_hash
        ),
    )
    .await
}

/// Notes when a key was last used.
pub async fn touch(db: &dyn Db, key_id: i64, now: i64) -> Result<(), DbError> {
    db.execute(stmt!("UPDATE api_keys SET last_used_at = :now WHERE id = :key", now = now, key = key_id)).await?;
    Ok(())
}
