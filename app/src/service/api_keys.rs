//! API keys: made (the key returned once, only its hash kept), listed, revoked; and the key
//! a request to `/api/v1` carries, turned into what it may do.

use crate::domain::Role;
use crate::domain::api_key::{KeyAccess, KeyName, SHOWN_CHARS};
use crate::domain::dates::Zone;
use crate::error::AppError;
use crate::ports::AppState;
use crate::secrets::{api_key_hash, new_api_key};
use crate::store::api_keys::{self, KeyHolder, KeyRow, NewKey};
use crate::store::scope::StaffScope;

/// A use of a key is written down at most this often, not on every request.
const NOTE_USE_AFTER_SECONDS: i64 = 60;

/// Makes a key for the organisation and returns it: the only time it is seen in full.
pub async fn make(state: &AppState, scope: &StaffScope, name: &KeyName, access: KeyAccess) -> Result<String, AppError> {
    let key = new_api_key();
    let new = NewKey { name, access, prefix: &key[..SHOWN_CHARS], key_hash: &api_key_hash(&key) };
    let kept =
        api_keys::insert(state.db.as_ref(), scope.organisation_id, scope.user_id, &new, state.clock.now()).await?;
    if !kept {
        return Err(AppError::NotFound);
    }
    Ok(key)
}

pub async fn list(state: &AppState, scope: &StaffScope) -> Result<Vec<KeyRow>, AppError> {
    Ok(api_keys::list(state.db.as_ref(), scope.organisation_id).await?)
}

/// Revokes the key at once: the next request with it is refused.
pub async fn revoke(state: &AppState, scope: &StaffScope, key_id: i64) -> Result<(), AppError> {
    let revoked =
        api_keys::revoke(state.db.as_ref(), scope.organisation_id, scope.user_id, key_id, state.clock.now()).await?;
    if revoked {
        return Ok(());
    }
    Err(AppError::Conflict("There is no such key to revoke: it was revoked already.".into()))
}

/// What a live key may reach: its organisation's members, all of them, as an administrator
/// would see them; and whether it may write.
pub struct KeyScope {
    pub holder: KeyHolder,
    pub scope: StaffScope,
}

/// The live key `key` is, or `None` (never made, or revoked: refused at once).
pub async fn authenticate(state: &AppState, key: &str) -> Result<Option<KeyScope>, AppError> {
    let db = state.db.as_ref();
    let Some(holder) = api_keys::holder(db, &api_key_hash(key)).await? else {
        return Ok(None);
    };
    let now = state.clock.now();
    if holder.last_used_at.is_none_or(|used| now - used >= NOTE_USE_AFTER_SECONDS) {
        api_keys::touch(db, holder.id, now).await?;
    }
    let scope = StaffScope {
        organisation_id: holder.organisation_id,
        user_id: holder.created_by,
        all_members: true,
        role: Role::Administrator,
        zone: Zone::stored(holder.organisation_time_zone.as_deref()),
    };
    Ok(Some(KeyScope { holder, scope }))
}
