//! The one-time notice a page shows after an action ("Settings saved"): its text travels in
//! a short-lived cookie signed with the server key (`web::notices` shows it once). Only our
//! answers set it, and one whose signature fails is ignored.

use crate::ports::AppState;

pub const NOTICE_COOKIE: &str = "portico_notice";
/// Enough for the next page to be asked for, even on a slow phone.
pub const NOTICE_SECONDS: i64 = 120;
/// A notice is a sentence; the cookie it travels in stays small.
const MAX_NOTICE_CHARS: usize = 300;

/// What the page just asked for should say: the notice this browser was given.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Notice(pub String);

/// The notice cookie's value, `<text, percent-encoded>.<signature>` (a cookie value is ASCII
/// without spaces or `;`), of at most a sentence with no control characters.
pub fn signed_notice(state: &AppState, notice: &str) -> String {
    let notice: String = notice.chars().filter(|c| !c.is_control()).take(MAX_NOTICE_CHARS).collect();
    let encoded: String = form_urlencoded::byte_serialize(notice.as_bytes()).collect();
    format!("{encoded}.{}", state.config.secret_key.sign(&signed_text(&encoded)))
}

pub fn proven_notice(state: &AppState, cookie: &str) -> Option<Notice> {
    let (encoded, signature) = cookie.rsplit_once('.')?;
    if !state.config.secret_key.verify(&signed_text(encoded), signature) {
        return None;
    }
    let text: String = form_urlencoded::parse(format!("n={encoded}").as_bytes()).next()?.1.into_owned();
    Some(Notice(text))
}

fn signed_text(encoded: &str) -> String {
    format!("notice\n{encoded}")
}
