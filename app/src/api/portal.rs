use leptos::prelude::*;

use crate::error::AppError;
use crate::records::OwnProfile;
#[cfg(feature = "ssr")]
use {
    super::ssr::{internal, require_login, respond},
    crate::store::members,
};

/// The profiles linked to the signed-in login — its own, never anyone else's, and without
/// staff notes or billing. A login with no linked profile (staff) gets 404.
#[server(endpoint = "my_profiles")]
pub async fn my_profiles() -> Result<Vec<OwnProfile>, AppError> {
    respond(
        async {
            let (state, user) = require_login().await?;
            let profiles = members::own_profiles(state.db.as_ref(), user.user_id).await.map_err(internal)?;
            if profiles.is_empty() {
                return Err(AppError::NotFound);
            }
            Ok(profiles)
        }
        .await,
    )
}
