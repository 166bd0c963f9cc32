//! `/staff/email-preview?template=…&contact=…`: the HTML version of an invitation e-mail,
//! alone, for the sandboxed frame of the invite, round and template pages. It is the
//! e-mail's own markup, so it gets its own policy: nothing runs or loads, inline styles
//! apply (e-mails are styled inline), and only our own pages may frame it. A personal
//! message is shown only from a draft signed for this browser (`error_links`), as on the
//! invite page: the address's other values are ids.

use axum::extract::State;
use axum::response::{IntoResponse, Response};
use http::{HeaderMap, HeaderValue, StatusCode, Uri, header};

use super::export::{query_param, staff_only};
use crate::error::AppError;
use crate::ports::AppState;
use crate::service::templates::preview_email;

pub const EMAIL_POLICY: &str =
    "default-src 'none'; style-src 'unsafe-inline'; img-src 'self' data:; frame-ancestors 'self'; sandbox";

pub async fn email_preview(State(state): State<AppState>, headers: HeaderMap, uri: Uri) -> Response {
    let scope = match staff_only(&state, &headers).await {
        Ok(scope) => scope,
        Err(answer) => return answer,
    };
    let id = |name: &str| {
        let value = query_param(&uri, name);
        if value.is_empty() { Ok(0) } else { value.parse::<i64>().map_err(|_| name.to_owned()) }
    };
    let (template, contact) = match (id("template"), id("contact")) {
        (Ok(template), Ok(contact)) => (template, contact),
        (Err(name), _) | (_, Err(name)) => {
            let message = format!("The preview's {name} must be a number.");
            return (StatusCode::UNPROCESSABLE_ENTITY, message).into_response();
        }
    };
    let message = (query_param(&uri, "__draft") == "1").then(|| query_param(&uri, "message")).filter(|m| !m.is_empty());
    match preview_email(&state, &scope, contact, template, message).await {
        Ok((email, _)) => {
            let mut response = email.html.into_response();
            let headers = response.headers_mut();
            headers.insert(header::CONTENT_TYPE, HeaderValue::from_static("text/html; charset=utf-8"));
            headers.insert(header::CONTENT_SECURITY_POLICY, HeaderValue::from_static(EMAIL_POLICY));
            headers.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("SAMEORIGIN"));
            response
        }
        Err(AppError::NotFound) => (StatusCode::NOT_FOUND, "There is nothing at this address.").into_response(),
        Err(error @ AppError::Invalid(_)) => {
            (StatusCode::UNPROCESSABLE_ENTITY, error.field_message("template_id").unwrap_or_default()).into_response()
        }
        Err(_) => (StatusCode::INTERNAL_SERVER_ERROR, AppError::Internal.to_string()).into_response(),
    }
}
