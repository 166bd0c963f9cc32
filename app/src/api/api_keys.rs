//! The API keys page: the owner and administrators make keys for other systems (each shown
//! once), see when each was last used, and revoke them.

use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use crate::error::AppError;
#[cfg(feature = "ssr")]
use {
    crate::domain::Role,
    crate::domain::api_key::{KeyAccess, KeyName},
    crate::error::FormErrors,
    crate::request::new_link::{hand_over_key, take_key},
    crate::request::{redirect_with_notice, require_role, respond},
    crate::service::api_keys,
};

pub const API_KEYS_PAGE: &str = "/staff/api-keys";

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ApiKeysView {
    pub keys: Vec<ApiKeyView>,
    /// The key just made, in full: shown this once.
    pub new_key: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ApiKeyView {
    pub id: i64,
    pub name: String,
    /// "Read" or "Read and write".
    pub access: String,
    /// The key's first characters, "pk_live_Ab3dE9…".
    pub shown: String,
    pub made: String,
    pub last_used: String,
    /// When it was revoked; `None` while it works.
    pub revoked: Option<String>,
}

#[server(endpoint = "api_keys")]
pub async fn api_keys() -> Result<ApiKeysView, AppError> {
    respond(
        async {
            let (state, scope) = require_role(Role::manages_organisation).await?;
            let rows = api_keys::list(&state, &scope).await?;
            let zone = &scope.zone;
            let keys = rows
                .into_iter()
                .map(|row| ApiKeyView {
                    id: row.id,
                    access: if row.may_write { KeyAccess::ReadWrite } else { KeyAccess::Read }.label().to_owned(),
                    shown: format!("{}…", row.prefix),
                    made: format!("{} by {}", zone.date(row.created_at), row.created_by_email),
                    last_used: row.last_used_at.map_or_else(|| "Never".to_owned(), |at| zone.date_time(at)),
                    revoked: row.revoked_at.map(|at| zone.date_time(at)),
                    name: row.name,
                })
                .collect();
            Ok(ApiKeysView { keys, new_key: take_key(&state) })
        }
        .await,
    )
}

#[server(endpoint = "create_api_key")]
pub async fn create_api_key(name: String, access: String) -> Result<(), AppError> {
    respond(
        async {
            let (state, scope) = require_role(Role::manages_organisation).await?;
            let mut errors = FormErrors::default();
            let name = errors.check("name", &name, KeyName::parse(&name));
            let access = errors.check("access", &access, KeyAccess::parse(&access));
            let (name, access) = errors.finish(|| Some((name?, access?)))?;
            let key = api_keys::make(&state, &scope, &name, access).await?;
            hand_over_key(&state, &key);
            redirect_with_notice(
                &state,
                API_KEYS_PAGE,
                &format!("Key \"{}\" made. Copy it now: it is shown only this once.", name.as_str()),
            );
            Ok(())
        }
        .await,
    )
}

#[server(endpoint = "revoke_api_key")]
pub async fn revoke_api_key(id: i64, name: String) -> Result<(), AppError> {
    respond(
        async {
            let (state, scope) = require_role(Role::manages_organisation).await?;
            api_keys::revoke(&state, &scope, id).await?;
            let notice = format!("Key \"{}\" revoked: systems using it are refused from now on.", name.trim());
            redirect_with_notice(&state, API_KEYS_PAGE, &notice);
            Ok(())
        }
        .await,
    )
}
