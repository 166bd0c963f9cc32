//! Forgot password: "Forgot your password?" on the sign-in page sends a reset link through
//! the outbox (its own token kind, used once, good for an hour). Opening the link changes
//! nothing; setting the new password ends every other session of the login and signs the
//! person in.

use leptos::prelude::*;

use crate::error::AppError;
#[cfg(feature = "ssr")]
use {
    crate::domain::{Email, InviteToken, Password},
    crate::error::FormErrors,
    crate::mail::queue::queued_email,
    crate::mail::render::password_reset_email,
    crate::passwords::refuse_common,
    crate::request::limits,
    crate::request::{app_state, respond, sign_in},
    crate::secrets::{new_invite_token, new_nonce, password_reset_token_hash},
    crate::store::organisations,
    crate::store::password_resets::{self, NewReset},
    crate::store::users,
};

/// How long a reset link works.
#[cfg(feature = "ssr")]
const RESET_VALID_SECONDS: i64 = 3600;

/// Sends a reset link when the address has a login. The answer is the same either way.
#[server(endpoint = "request_password_reset")]
pub async fn request_password_reset(email: String) -> Result<(), AppError> {
    respond(
        async move {
            let state = app_state()?;
            let db = state.db.as_ref();
            limits::attempt(&state, &limits::RESETS_PER_ADDRESS, &limits::client_address()).await?;
            let mut form = FormErrors::default();
            let address = form.check("email", &email, Email::parse(&email));
            let address = form.finish(|| address)?;
            limits::attempt(&state, &limits::RESETS_PER_EMAIL, address.as_str()).await?;
            let recipient = password_resets::reset_recipient(db, address.as_str()).await?;
            if let Some((recipient, organisation_id)) = recipient.and_then(|r| Some((r.user_id, r.organisation_id?))) {
                let organisation = organisations::organisation(db, organisation_id).await?.ok_or(AppError::Internal)?;
                let now = state.clock.now();
                let token = new_invite_token();
                let reset = NewReset {
                    user_id: recipient,
                    organisation_id,
                    to_email: address.as_str(),
                    token_hash: &password_reset_token_hash(&token),
                    now,
                    expires_at: now + RESET_VALID_SECONDS,
                };
                let email = queued_email(&state, &organisation, password_reset_email(&organisation.name), &token);
                password_resets::create_reset(db, &reset, &email).await?;
                (state.wake_outbox)();
            }
            leptos_axum::redirect("/forgot-password/sent");
            Ok(())
        }
        .await,
    )
}

/// The login a reset link is for, for its page. Opening it changes nothing.
#[server(endpoint = "password_reset_preview")]
pub async fn password_reset_preview(token: String) -> Result<String, AppError> {
    respond(
        async move {
            let state = app_state()?;
            let token = InviteToken::parse(&token).ok_or(AppError::InvalidLink)?;
            password_resets::pending_reset(state.db.as_ref(), &password_reset_token_hash(&token), state.clock.now())
                .await?
                .ok_or(AppError::InvalidLink)
        }
        .await,
    )
}

/// Sets the new password, uses the link up, ends every session of the login, and signs the
/// person in.
#[server(endpoint = "reset_password")]
pub async fn reset_password(token: String, password: String, confirm_password: String) -> Result<(), AppError> {
    respond(
        async move {
            let state = app_state()?;
            let db = state.db.as_ref();
            let token = InviteToken::parse(&token).ok_or(AppError::InvalidLink)?;
            let token_hash = password_reset_token_hash(&token);
            limits::attempt(&state, &limits::ACCEPTS_PER_ADDRESS, &limits::client_address()).await?;
            password_resets::pending_reset(db, &token_hash, state.clock.now()).await?.ok_or(AppError::InvalidLink)?;
            let mut form = FormErrors::default();
            let chosen = form.check_secret("password", Password::parse(&password).and_then(refuse_common));
            let matches = form.check_secret("confirm_password", Password::check_repeat(&password, &confirm_password));
            let chosen = form.finish(|| matches.and(chosen))?;
            let password_hash = state.passwords.hash(chosen).await?;
            let user_id = password_resets::use_reset(db, &token_hash, &new_nonce(), &password_hash, state.clock.now())
                .await?
                .ok_or(AppError::InvalidLink)?;
            sign_in(&state, user_id).await?;
            let is_staff = users::is_staff(db, user_id).await?;
            leptos_axum::redirect(if is_staff { "/staff/members" } else { "/portal" });
            Ok(())
        }
        .await,
    )
}
