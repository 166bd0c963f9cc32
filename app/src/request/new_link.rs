//! 001's "Re-enable invite link" hands staff a link to pass on by hand: shown once, on the
//! page the POST redirects to, and never stored in clear — the invitation keeps its hash, the
//! browser a sealed copy in a short cookie, which the page reads and clears.

use crate::domain::InviteToken;
use crate::error::AppError;
use crate::ports::AppState;
use crate::request::{request_cookie, set_cookie};
use crate::secrets::invite_token_hash;
use crate::store::invitations;

/// The cookie that carries a re-enabled link, sealed with the server's key, from the POST
/// that made it to the one page that shows it.
const REENABLED_LINK_COOKIE: &str = "portico_new_link";
/// How long the page has to show it (the redirect is immediate).
const REENABLED_LINK_SECONDS: i64 = 300;

/// Keeps the new link of `contact_id` for the next page, sealed with the server's key.
pub fn hand_over(state: &AppState, contact_id: i64, token: &InviteToken) {
    let sealed = state.config.secret_key.seal(&format!("{contact_id}:{}", token.expose()));
    set_cookie(state, REENABLED_LINK_COOKIE, &sealed, REENABLED_LINK_SECONDS);
}

/// The link `hand_over` sealed, with its contact's id, when this request carries it and it
/// still works; the cookie is cleared, so it is shown once.
pub async fn take(state: &AppState) -> Result<Option<(i64, String)>, AppError> {
    let Some(sealed) = request_cookie(REENABLED_LINK_COOKIE) else {
        return Ok(None);
    };
    set_cookie(state, REENABLED_LINK_COOKIE, "", 0);
    let Some((contact_id, token)) = state.config.secret_key.open(&sealed).and_then(|opened| {
        let (contact_id, token) = opened.split_once(':')?;
        Some((contact_id.parse::<i64>().ok()?, InviteToken::parse(token)?))
    }) else {
        return Ok(None);
    };
    let live = invitations::live_invitation(state.db.as_ref(), &invite_token_hash(&token), state.clock.now()).await?;
    Ok(live.map(|_| (contact_id, format!("{}/invite/{}", state.config.public_base_url, token.expose()))))
}
