//! Every request gets an id on arrival and runs inside a `request` span carrying it, its
//! method and route (tokens in a path are never logged), and the organisation once known; one
//! line says how it ended, with its status and duration. The id goes back in `x-request-id`,
//! so a report from a person and the operator's log meet. The server prints the lines to
//! stdout, the Worker to its console.

use axum::extract::Request;
use axum::middleware::Next;
use axum::response::Response;
use http::HeaderValue;
use tracing::Instrument;

use crate::request::RequestId;
use crate::secrets::new_nonce;

/// Characters of a request id: enough to tell a day's requests apart in a log.
const ID_LEN: usize = 12;
/// A path segment this long is a token or a digest (an invitation, a reset): logged as `…`.
const TOKEN_LEN: usize = 20;

pub async fn trace_requests(mut request: Request, next: Next) -> Response {
    let id: String = new_nonce().chars().take(ID_LEN).collect();
    request.extensions_mut().insert(RequestId(id.clone()));
    let span = tracing::info_span!(
        "request",
        id = %id,
        method = %request.method(),
        route = %route_of(request.uri().path()),
        organisation = tracing::field::Empty,
    );
    let started = web_time::Instant::now();
    let mut response = next.run(request).instrument(span.clone()).await;
    let status = response.status().as_u16();
    let ms = started.elapsed().as_millis() as u64;
    span.in_scope(|| {
        if status >= 500 {
            tracing::error!(status, ms, "answered");
        } else {
            tracing::info!(status, ms, "answered");
        }
    });
    if let Ok(value) = HeaderValue::from_str(&id) {
        response.headers_mut().insert("x-request-id", value);
    }
    response
}

/// The path with every token-like segment replaced: `/invite/…`, `/staff/members/12`.
pub fn route_of(path: &str) -> String {
    path.split('/').map(|segment| if segment.len() >= TOKEN_LEN { "…" } else { segment }).collect::<Vec<_>>().join("/")
}

#[cfg(test)]
mod tests {
    use super::route_of;

    #[test]
    fn a_token_in_a_path_is_never_logged() {
        assert_eq!(route_of("/invite/abcdefghijklmnopqrstuvwxyz0123"), "/invite/…");
        assert_eq!(route_of("/staff/members/12"), "/staff/members/12");
        assert_eq!(route_of("/"), "/");
    }
}
