//! What a server function answers when the request itself is wrong. Leptos answers every
//! server function error with a 500 (or, for a browser form, a redirect carrying it), and a
//! request it cannot decode never reaches our code; here such requests get a 4xx instead.

use std::collections::HashSet;

use axum::body::Body;
use axum::extract::Request;
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use http::{HeaderMap, HeaderValue, Method, StatusCode, header};
use http_body_util::BodyExt;
use server_fn::error::{FromServerFnError, SERVER_FN_ERROR_HEADER};

use crate::error::AppError;

/// Where the server functions live.
pub const API_PREFIX: &str = "/api/";

/// Every server function is a POST of an HTML form's fields: anything else is refused
/// before it is decoded, and an error decoding what remains is the client's, never a 500.
pub async fn refuse_malformed_calls(request: Request, next: Next) -> Response {
    if !request.uri().path().starts_with(API_PREFIX) {
        return next.run(request).await;
    }
    if request.method() != Method::POST {
        let allow = [(header::ALLOW, HeaderValue::from_static("POST"))];
        return (StatusCode::METHOD_NOT_ALLOWED, allow, "Server functions are called with POST.").into_response();
    }
    if !is_form(request.headers()) {
        let message = "Send the fields as application/x-www-form-urlencoded, as an HTML form does.";
        return (StatusCode::UNSUPPORTED_MEDIA_TYPE, message).into_response();
    }
    let (parts, body) = request.into_parts();
    // Already read whole and bounded (`read_body_first`): this only takes it back.
    let Ok(fields) = body.collect().await.map(|collected| collected.to_bytes()) else {
        return (StatusCode::BAD_REQUEST, "The request body could not be read.").into_response();
    };
    if let Err(problem) = check_fields(&fields) {
        return (StatusCode::BAD_REQUEST, problem).into_response();
    }
    with_status_of_its_error(next.run(Request::from_parts(parts, Body::from(fields))).await).await
}

/// What a decoder would silently get wrong: text that is not UTF-8 (it would be read with
/// replacement characters) and a field given twice (one of the two would win).
fn check_fields(body: &[u8]) -> Result<(), &'static str> {
    let mut names = HashSet::new();
    for pair in body.split(|&b| b == b'&').filter(|pair| !pair.is_empty()) {
        let mut halves = pair.splitn(2, |&b| b == b'=');
        let name = decoded(halves.next().unwrap_or_default())?;
        decoded(halves.next().unwrap_or_default())?;
        if !names.insert(name) {
            return Err("A field is given more than once.");
        }
    }
    Ok(())
}

fn decoded(encoded: &[u8]) -> Result<String, &'static str> {
    let spaced: Vec<u8> = encoded.iter().map(|&b| if b == b'+' { b' ' } else { b }).collect();
    let text = percent_encoding::percent_decode(&spaced).decode_utf8();
    text.map(|text| text.into_owned()).map_err(|_| "The form is not valid UTF-8 text.")
}

fn is_form(headers: &HeaderMap) -> bool {
    let content_type = headers.get(header::CONTENT_TYPE).and_then(|v| v.to_str().ok()).unwrap_or_default();
    let essence = content_type.split(';').next().unwrap_or_default().trim();
    essence.eq_ignore_ascii_case("application/x-www-form-urlencoded")
}

/// A server function error gets the status of what it is (`AppError::http_status`); its body
/// is the error, whatever else the answer is. A request that could not be decoded is not sent
/// back to a page with the error (no browser sends such a form): the sender is told directly.
async fn with_status_of_its_error(response: Response) -> Response {
    if !response.headers().contains_key(SERVER_FN_ERROR_HEADER) {
        return response;
    }
    let (mut parts, body) = response.into_parts();
    let Ok(bytes) = body.collect().await.map(|collected| collected.to_bytes()) else {
        return StatusCode::INTERNAL_SERVER_ERROR.into_response();
    };
    let error = AppError::de(bytes.clone());
    if let AppError::Request(_) = error {
        return (StatusCode::BAD_REQUEST, error.to_string()).into_response();
    }
    if parts.status == StatusCode::INTERNAL_SERVER_ERROR
        && let Ok(status) = StatusCode::from_u16(error.http_status())
    {
        parts.status = status;
    }
    Response::from_parts(parts, Body::from(bytes))
}
