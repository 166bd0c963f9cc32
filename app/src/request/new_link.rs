//! 001's "Re-enable invite link" hands staff a link to pass on by hand: shown once, on the
//! page the POST redirects to, and never stored in clear — the invitation keeps its hash, the
//! browser a sealed copy in a short cookie, which the page reads and clears. A new API key
//! reaches the API keys page the same way.

use crate::domain::InviteToken;
use crate::error::AppError;
use crate::ports::AppState;
use crate::request::{request_cookie, set_cookie};
use crate::secrets::invite_token_hash;
use crate::store::invitations;

/// The cookie that carries a re-enabled link, sealed with the server's key, from the POST
/// that made it to the one page that shows it.
const REENABLED_LINK_COOKIE: &str = "portico_new_link";
/// How long the page has to show it or a new API key (the redirect is immediate).
const REENABLED_LINK_SECONDS: i64 = 300;

/// The cookie that carries a new API key from the POST that made it to the page that shows it.
const NEW_API_KEY_COOKIE: &str = "portico_new_key";

/// Keeps the new link of `contact_id` for the next page, sealed with the server's key.
pub fn hand_over(state: &AppState, contact_id: i64, token: &InviteToken) {
    hand_over_sealed(state, REENABLED_LINK_COOKIE, &format!("{contact_id}:{}", token.expose()));
}

/// Keeps a new API key for the next page, as a re-enabled link is kept.
pub fn hand_over_key(state: &AppState, key: &str) {
    hand_over_sealed(state, NEW_API_KEY_COOKIE, key);
}

/// The API key `hand_over_key` sealed, once.
pub fn take_key(state: &AppState) -> Option<String> {
    take_sealed(state, NEW_API_KEY_COOKIE)
}

fn hand_over_sealed(state: &AppState, cookie: &str, text: &str) {
    set_cookie(state, cookie, &state.config.secret_key.seal(text), REENABLED_LINK_SECONDS);
}

/// What `hand_over_sealed` kept in `cookie`, when this request carries it; the cookie is
/// cleared, so it is shown once.
fn take_sealed(state: &AppState, cookie: &str) -> Option<String> {
    let sealed = request_cookie(cookie)?;
    set_cookie(state, cookie, "", 0);
    state.config.secret_key.open(&sealed)
}

/// The link `hand_over` sealed, with its contact's id, when this request carries it and it
/// still works; shown once.
pub async fn take(state: &AppState) -> Result<Option<(i64, String)>, AppError> {
    let Some((contact_id, token)) = take_sealed(state, REENABLED_LINK_COOKIE).and_then(|opened| {
        let (contact_id, token) = opened.split_once(':')?;
        Some((contact_id.parse::<i64>().ok()?, InviteToken::parse(token)?))
    }) else {
        return Ok(None);
    };
    let live = invitations::live_invitation(state.db.as_ref(), &invite_token_hash(&token), state.clock.now()).await?;
    Ok(live.map(|_| (contact_id, format!("{}/invite/{}", state.config.public_base_url, token.expose()))))
}
