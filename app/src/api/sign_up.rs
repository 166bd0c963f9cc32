//! Self-service sign-up (000), when an organisation allows it: an e-mail and a password,
//! proved by a link sent through the outbox before anything is made or linked. The
//! organisation's auto-link setting then decides what a confirmed address reaches.

use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use crate::error::AppError;
#[cfg(feature = "ssr")]
use {
    crate::domain::dates::DAY,
    crate::domain::{Email, InviteToken, Password},
    crate::error::FormErrors,
    crate::mail::queue::queued_email,
    crate::mail::render::sign_up_email,
    crate::passwords::refuse_common,
    crate::request::limits,
    crate::request::{app_state, respond},
    crate::secrets::{new_invite_token, new_nonce, sign_up_token_hash},
    crate::store::linking::{self, NewSignUp},
    crate::store::organisations,
};

/// The sign-up page's heading, when the organisation takes sign-ups (else "not found").
#[server(endpoint = "sign_up_page")]
pub async fn sign_up_page(organisation_id: i64) -> Result<String, AppError> {
    respond(
        async move {
            let state = app_state()?;
            let organisation = organisations::organisation(state.db.as_ref(), organisation_id)
                .await?
                .filter(|o| o.self_sign_up)
                .ok_or(AppError::NotFound)?;
            Ok(organisation.name)
        }
        .await,
    )
}

/// Records the sign-up and e-mails the link that confirms it. The answer is the same
/// whether or not the address has a login already.
#[server(endpoint = "sign_up")]
pub async fn sign_up(
    organisation_id: i64,
    email: String,
    password: String,
    confirm_password: String,
) -> Result<(), AppError> {
    respond(
        async move {
            let state = app_state()?;
            let db = state.db.as_ref();
            let organisation = organisations::organisation(db, organisation_id)
                .await?
                .filter(|o| o.self_sign_up)
                .ok_or(AppError::NotFound)?;
            limits::attempt(&state, &limits::SIGN_UPS_PER_ADDRESS, &limits::client_address()).await?;
            let mut form = FormErrors::default();
            let address = form.check("email", &email, Email::parse(&email));
            let chosen = form.check_secret("password", Password::parse(&password).and_then(refuse_common));
            let matches = form.check_secret("confirm_password", Password::check_repeat(&password, &confirm_password));
            let (address, chosen) = form.finish(|| Some((address?, matches.and(chosen)?)))?;
            limits::attempt(&state, &limits::SIGN_UPS_PER_EMAIL, address.as_str()).await?;
            let password_hash = state.passwords.hash(chosen).await?;
            let now = state.clock.now();
            let expires_at = now + DAY;
            let token = new_invite_token();
            let expires = crate::domain::dates::Zone::stored(Some(&organisation.time_zone)).date_time(expires_at);
            let rendered = sign_up_email(&organisation.name, &expires);
            let created = linking::create_sign_up(
                db,
                &NewSignUp {
                    organisation_id,
                    email: address.as_str(),
                    password_hash: &password_hash,
                    token_hash: &sign_up_token_hash(&token),
                    now,
                    expires_at,
                },
                &queued_email(&state, &organisation, rendered, &token),
            )
            .await?;
            if !created {
                return Err(AppError::NotFound);
            }
            (state.wake_outbox)();
            leptos_axum::redirect("/join/sent");
            Ok(())
        }
        .await,
    )
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SignUpWelcome {
    pub organisation_name: String,
    pub email: String,
}

/// What the confirmation link's page shows. Opening it changes nothing.
#[server(endpoint = "sign_up_preview")]
pub async fn sign_up_preview(token: String) -> Result<SignUpWelcome, AppError> {
    respond(
        async move {
            let state = app_state()?;
            let token = InviteToken::parse(&token).ok_or(AppError::InvalidLink)?;
            let pending = linking::pending_sign_up(state.db.as_ref(), &sign_up_token_hash(&token), state.clock.now())
                .await?
                .ok_or(AppError::InvalidLink)?;
            Ok(SignUpWelcome { organisation_name: pending.organisation_name, email: pending.email })
        }
        .await,
    )
}

/// Confirms the address: the link is used up, the login made (an existing one keeps its
/// password), and the organisation's auto-link setting applied. The person then signs in.
#[server(endpoint = "confirm_sign_up")]
pub async fn confirm_sign_up(token: String) -> Result<(), AppError> {
    respond(
        async move {
            let state = app_state()?;
            let db = state.db.as_ref();
            let now = state.clock.now();
            let token = InviteToken::parse(&token).ok_or(AppError::InvalidLink)?;
            let token_hash = sign_up_token_hash(&token);
            limits::attempt(&state, &limits::ACCEPTS_PER_ADDRESS, &limits::client_address()).await?;
            let login =
                linking::confirm_sign_up(db, &token_hash, &new_nonce(), now).await?.ok_or(AppError::InvalidLink)?;
            let matched = linking::apply_auto_link(db, login.organisation_id, login.user_id, &login.email, now).await?;
            let outcome = if matched.linked > 0 {
                "linked"
            } else if matched.requested > 0 {
                "waiting"
            } else {
                "unmatched"
            };
            leptos_axum::redirect(&format!("/join/confirmed?outcome={outcome}"));
            Ok(())
        }
        .await,
    )
}
