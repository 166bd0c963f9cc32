//! Rate limits (SECURITY.md rule 16): how many attempts an address, an account or a member
//! gets in a window. Fixed windows: a storm against an account locks it until its window
//! ends, never longer, and the person is told when to try again.

use http::request::Parts;
use leptos::prelude::use_context;

use super::ssr::internal;
use crate::error::AppError;
use crate::ports::AppState;
use crate::store::rate_limits::{count_attempt, forgive_attempt};
use crate::web::ClientIp;

pub struct Limit {
    /// What is counted, the first part of a bucket's name.
    pub name: &'static str,
    pub max: i64,
    pub window_seconds: i64,
}

const WINDOW: i64 = 15 * 60;

/// Password guesses against one account, from sign-in and from linking an invitation to an
/// existing login alike (only wrong ones stay counted).
pub const PASSWORD_GUESSES_PER_ACCOUNT: Limit = Limit { name: "password-account", max: 10, window_seconds: WINDOW };
/// Password attempts from one address, whichever accounts (a school's or an office's
/// network shares one address: room for everyone signing in on a busy morning).
pub const PASSWORD_ATTEMPTS_PER_ADDRESS: Limit = Limit { name: "password-address", max: 60, window_seconds: WINDOW };
/// Setting a password from an invitation or a reset link (each costs an argon2 hash) from
/// one address.
pub const ACCEPTS_PER_ADDRESS: Limit = Limit { name: "accept-address", max: 30, window_seconds: WINDOW };
/// Sign-ups from one address (each costs an argon2 hash and sends an e-mail).
pub const SIGN_UPS_PER_ADDRESS: Limit = Limit { name: "sign-up-address", max: 10, window_seconds: WINDOW };
/// Confirmation e-mails to one address, so a sign-up form cannot flood someone's inbox.
pub const SIGN_UPS_PER_EMAIL: Limit = Limit { name: "sign-up-email", max: 3, window_seconds: WINDOW };
/// Password reset requests from one address, whichever e-mail addresses they name.
pub const RESETS_PER_ADDRESS: Limit = Limit { name: "reset-address", max: 10, window_seconds: WINDOW };
/// Reset e-mails to one address (counted whether or not it has a login, so the limit tells
/// nothing), so the form cannot flood someone's inbox.
pub const RESETS_PER_EMAIL: Limit = Limit { name: "reset-email", max: 3, window_seconds: WINDOW };
/// Resends of one member's invitation: each sends an e-mail.
pub const RESENDS_PER_MEMBER: Limit = Limit { name: "resend-member", max: 3, window_seconds: WINDOW };

/// One counted attempt, which can be taken back.
pub struct Attempt {
    bucket: String,
    window_start: i64,
}

impl Attempt {
    /// The attempt succeeded and should not count against the limit.
    pub async fn forgive(self, state: &AppState) -> Result<(), AppError> {
        forgive_attempt(state.db.as_ref(), &self.bucket, self.window_start).await.map_err(internal)
    }
}

/// Counts an attempt under `limit` for `who`; over the limit it is refused with the minutes
/// left in the window. Dev mode may switch limits off (`PORTICO_RATE_LIMITS=off`, for `make
/// bench`); production never does.
pub async fn attempt(state: &AppState, limit: &Limit, who: &str) -> Result<Attempt, AppError> {
    let now = state.clock.now();
    let window_start = now - now.rem_euclid(limit.window_seconds);
    let bucket = format!("{}:{who}", limit.name);
    if !state.config.rate_limits {
        return Ok(Attempt { bucket, window_start });
    }
    let expired_before = window_start - limit.window_seconds;
    let hits = count_attempt(state.db.as_ref(), &bucket, window_start, expired_before).await.map_err(internal)?;
    if hits > limit.max {
        let seconds_left = window_start + limit.window_seconds - now;
        return Err(AppError::TooManyAttempts { minutes: (seconds_left + 59) / 60 });
    }
    Ok(Attempt { bucket, window_start })
}

/// The address the request came from, as the target saw it (the socket's peer on the
/// server, `CF-Connecting-IP` on the Worker).
pub fn client_address() -> String {
    use_context::<Parts>()
        .and_then(|parts| parts.extensions.get::<ClientIp>().map(|ip| ip.0.clone()))
        .unwrap_or_else(|| "unknown".into())
}
