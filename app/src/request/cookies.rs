//! Cookies as Portico sets and reads them, and the client's address.

use crate::ports::AppState;
use http::header;

/// The address a request came from, set by the target before the router (rate limits).
#[derive(Clone, Debug)]
pub struct ClientIp(pub String);

/// A `Set-Cookie` value as every cookie of Portico's is set: only for our own requests,
/// never to scripts, `Secure` outside plain-http local development. `max_age` 0 clears it.
pub fn cookie_header(state: &AppState, name: &str, value: &str, max_age: i64) -> String {
    let secure = if state.config.secure_cookies() { "; Secure" } else { "" };
    format!("{name}={value}; HttpOnly; SameSite=Lax; Path=/; Max-Age={max_age}{secure}")
}

/// The value of cookie `name` in a request's headers, if set and not empty.
pub fn cookie_value(headers: &http::HeaderMap, name: &str) -> Option<String> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(found, _)| *found == name)
        .map(|(_, value)| value.to_owned())
        .filter(|value| !value.is_empty())
}
