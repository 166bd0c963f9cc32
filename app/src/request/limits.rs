//! Rate limits (SECURITY.md rule 16): how many attempts an address, an account or a member
//! gets in a window. Fixed windows: a storm against an account locks it until its window
//! ends, never longer, and the person is told when to try again.
//!
//! Password guesses follow OWASP's "Slow Down Online Guessing Attacks with Device Cookies":
//! a browser that proved an account's password before carries a device cookie for it (an
//! HMAC of the account and a random value, with the server key). Its guesses count against
//! that cookie alone, so no flood from elsewhere locks the owner's own phone or desk out;
//! every other browser shares the account's limit. A stolen cookie buys only the cookie's
//! own few guesses, never a session.

use http::request::Parts;
use leptos::prelude::with_context;

use crate::error::AppError;
use crate::ports::AppState;
use crate::request::ClientIp;
use crate::request::{request_cookie, set_cookie};
use crate::secrets::new_nonce;
use crate::store::rate_limits::{count_attempt, forgive_attempt};

pub struct Limit {
    /// What is counted, the first part of a bucket's name.
    pub name: &'static str,
    pub max: i64,
    pub window_seconds: i64,
}

const WINDOW: i64 = 15 * 60;

/// Password guesses against one account from browsers without its device cookie, from
/// sign-in, from linking an invitation to an existing login and from joining a team with it
/// alike (only wrong ones stay counted).
pub const PASSWORD_GUESSES_PER_ACCOUNT: Limit = Limit { name: "password-account", max: 10, window_seconds: WINDOW };
/// Password guesses from one browser holding the account's device cookie.
pub const PASSWORD_GUESSES_PER_DEVICE: Limit = Limit { name: "password-device", max: 10, window_seconds: WINDOW };
/// Wrong passwords from one address, whichever accounts (a school's or an office's network
/// shares one address: right ones are forgiven, so everyone signs in on a busy morning).
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
/// "Send me a new link" from one address, whichever links (each may send an e-mail).
pub const NEW_LINKS_PER_ADDRESS: Limit = Limit { name: "new-link-address", max: 10, window_seconds: WINDOW };
/// Requests with one API key, whatever they ask: a sync gone round in a loop is slowed, not
/// the organisation's pages.
pub const API_REQUESTS_PER_KEY: Limit = Limit { name: "api-key", max: 600, window_seconds: 60 };
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
        forgive_attempt(state.db.as_ref(), &self.bucket, self.window_start).await.map_err(AppError::from)
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
    let hits = count_attempt(state.db.as_ref(), &bucket, window_start, expired_before).await?;
    if hits > limit.max {
        let seconds_left = window_start + limit.window_seconds - now;
        return Err(AppError::TooManyAttempts { minutes: (seconds_left + 59) / 60 });
    }
    Ok(Attempt { bucket, window_start })
}

/// Counts a guess of `account`'s password (its e-mail as stored): under the device cookie's
/// own limit when this browser carries one for the account, else under the account's.
/// Forgive the attempt when the password was right, then `remember_device`.
pub async fn password_guess(state: &AppState, account: &str) -> Result<Attempt, AppError> {
    match known_device(state, account) {
        Some(device) => attempt(state, &PASSWORD_GUESSES_PER_DEVICE, &device).await,
        None => attempt(state, &PASSWORD_GUESSES_PER_ACCOUNT, account).await,
    }
}

const DEVICE_COOKIE: &str = "portico_device";
/// A phone or a desk stays known for half a year after its last right password.
const DEVICE_COOKIE_SECONDS: i64 = 180 * 24 * 60 * 60;
/// Accounts one browser is known for (a family's tablet, a shared office desk).
const DEVICES_PER_COOKIE: usize = 4;

/// After a right password for `account`: this browser is known for it (and stays known for
/// the accounts it was known for before, the latest few).
pub fn remember_device(state: &AppState, account: &str) {
    let kept = device_entries()
        .into_iter()
        .filter(|(nonce, signature)| !state.config.secret_key.verify(&device_text(account, nonce), signature));
    let nonce = new_nonce();
    let signature = state.config.secret_key.sign(&device_text(account, &nonce));
    let entries: Vec<String> = std::iter::once((nonce, signature))
        .chain(kept)
        .take(DEVICES_PER_COOKIE)
        .map(|(nonce, signature)| format!("{nonce}.{signature}"))
        .collect();
    set_cookie(state, DEVICE_COOKIE, &entries.join("~"), DEVICE_COOKIE_SECONDS);
}

/// The random part of this browser's device cookie for `account`, when it has a genuine one.
fn known_device(state: &AppState, account: &str) -> Option<String> {
    device_entries()
        .into_iter()
        .find(|(nonce, signature)| state.config.secret_key.verify(&device_text(account, nonce), signature))
        .map(|(nonce, _)| nonce)
}

fn device_entries() -> Vec<(String, String)> {
    request_cookie(DEVICE_COOKIE)
        .map(|value| {
            value
                .split('~')
                .filter_map(|entry| entry.split_once('.'))
                .take(DEVICES_PER_COOKIE)
                .map(|(nonce, signature)| (nonce.to_owned(), signature.to_owned()))
                .collect()
        })
        .unwrap_or_default()
}

fn device_text(account: &str, nonce: &str) -> String {
    format!("device\n{account}\n{nonce}")
}

/// The address the request came from, as the target saw it (the socket's peer on the
/// server, `CF-Connecting-IP` on the Worker).
pub fn client_address() -> String {
    with_context::<Parts, _>(|parts| parts.extensions.get::<ClientIp>().map(|ip| ip.0.clone()))
        .flatten()
        .unwrap_or_else(|| "unknown".into())
}
