//! Files on a member's profile: staff upload them from the profile (`POST
//! /staff/members/{id}/files`, a multipart form) and download them; the member downloads
//! the shared ones from the portal (`GET /files/{id}`). Always handed back as an attachment,
//! with a content type decided from the name (`domain::portal_records`), never rendered here;
//! like every page, never stored by a cache (`security_headers`).

use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::response::{IntoResponse, Redirect, Response};
use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use http::{HeaderMap, HeaderValue, StatusCode, header};
use server_fn::error::{FromServerFnError, ServerFnUrlError};

use crate::domain::addresses::upload_path;
use crate::domain::portal_records::{MAX_FILE_BYTES, content_type_of, file_name};
use crate::error::AppError;
use crate::ports::AppState;
use crate::request::{session_of, staff_scope};
use crate::store::portal_records::{self as store, NewFile};
use crate::web::multipart;

pub async fn upload(
    State(state): State<AppState>,
    Path(member_id): Path<String>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let Ok(member_id) = member_id.parse::<i64>() else { return not_found() };
    let scope = match session_of(&state, &headers).await {
        Ok(Some((_, user))) => match staff_scope(&user) {
            Ok(scope) => scope,
            Err(_) => return not_found(),
        },
        Ok(None) => return Redirect::to("/login").into_response(),
        Err(error) => return answer(&state, &headers, member_id, Err(error)),
    };
    let added = async {
        let upload = read_upload(&headers, &body)?;
        let content = STANDARD.encode(upload.bytes);
        let file = NewFile {
            name: &upload.name,
            content_type: content_type_of(&upload.name),
            size: upload.bytes.len(),
            content: &content,
            shared: upload.shared,
        };
        let now = state.clock.now();
        let kept = store::add_file(state.db.as_ref(), &scope, member_id, &file, now).await?;
        if kept { Ok(()) } else { Err(AppError::NotFound) }
    }
    .await;
    answer(&state, &headers, member_id, added)
}

struct Upload<'a> {
    name: String,
    bytes: &'a [u8],
    shared: bool,
}

/// The form's `file` and `shared` fields; each at most once, nothing else.
fn read_upload<'a>(headers: &HeaderMap, body: &'a [u8]) -> Result<Upload<'a>, AppError> {
    let content_type = headers.get(header::CONTENT_TYPE).and_then(|v| v.to_str().ok()).unwrap_or_default();
    let boundary = multipart::boundary(content_type)
        .ok_or_else(|| AppError::Request("send the form as multipart/form-data".into()))?;
    let parts = multipart::parts(body, boundary).map_err(|problem| AppError::Request(problem.into()))?;
    let (mut file, mut shared) = (None, None);
    for part in parts {
        match part.name.as_str() {
            "file" if file.is_none() => file = Some((part.file_name.unwrap_or_default(), part.content)),
            "shared" if shared.is_none() => shared = Some(part.content == b"true"),
            "file" | "shared" => return Err(AppError::Request("a field is given more than once".into())),
            _ => return Err(AppError::Request("the form has a field it should not".into())),
        }
    }
    let (name, bytes) = file.ok_or_else(|| AppError::invalid("file", "Choose a file to upload."))?;
    let name = file_name(&name).map_err(|message| AppError::invalid("file", message))?;
    if bytes.is_empty() {
        return Err(AppError::invalid("file", "That file is empty."));
    }
    if bytes.len() > MAX_FILE_BYTES {
        return Err(AppError::invalid("file", "That file is too large: 1 MiB (1,048,576 bytes) at most."));
    }
    Ok(Upload { name, bytes, shared: shared.unwrap_or(false) })
}

/// A browser's form goes back to the profile (`form_answer`).
fn answer(state: &AppState, headers: &HeaderMap, member_id: i64, result: Result<(), AppError>) -> Response {
    let profile = format!("/staff/members/{member_id}");
    form_answer(state, headers, &profile, &upload_path(member_id), result.map(|()| None))
}

/// The answer to a multipart form of ours: a browser goes back to `page` — with the notice
/// of what was done, or with the error as Leptos returns a server function's (signed by
/// `error_links`, `form` naming the form it belongs to) — and any other client gets the
/// status and the message. "Not found" is the same for both.
pub fn form_answer(
    state: &AppState,
    headers: &HeaderMap,
    page: &str,
    form: &str,
    result: Result<Option<String>, AppError>,
) -> Response {
    let accepts_html =
        headers.get(header::ACCEPT).and_then(|v| v.to_str().ok()).is_some_and(|v| v.contains("text/html"));
    match (result, accepts_html) {
        (Ok(notice), _) => {
            let mut response = Redirect::to(page).into_response();
            if let Some(cookie) = notice.and_then(|notice| notice_cookie(state, &notice)) {
                response.headers_mut().append(header::SET_COOKIE, cookie);
            }
            response
        }
        (Err(AppError::NotFound), _) => not_found(),
        (Err(error), true) => {
            let base = format!("{}{page}", state.config.public_base_url);
            match ServerFnUrlError::new(form, error).to_url(&base) {
                Ok(url) => Redirect::to(url.as_str()).into_response(),
                Err(_) => Redirect::to(page).into_response(),
            }
        }
        (Err(error), false) => {
            let status = StatusCode::from_u16(error.http_status()).unwrap_or(StatusCode::BAD_REQUEST);
            let json = HeaderValue::from_static("application/json");
            (status, [(header::CONTENT_TYPE, json)], error.ser()).into_response()
        }
    }
}

/// The one-time notice's cookie, as `request::redirect_with_notice` sets it.
fn notice_cookie(state: &AppState, notice: &str) -> Option<HeaderValue> {
    let value = crate::request::notices::signed_notice(state, notice);
    HeaderValue::from_str(&crate::request::cookie_header(
        state,
        crate::request::notices::NOTICE_COOKIE,
        &value,
        crate::request::notices::NOTICE_SECONDS,
    ))
    .ok()
}

pub async fn download(State(state): State<AppState>, Path(file_id): Path<String>, headers: HeaderMap) -> Response {
    let Ok(file_id) = file_id.parse::<i64>() else { return not_found() };
    let user = match session_of(&state, &headers).await {
        Ok(Some((_, user))) => user,
        Ok(None) => return Redirect::to("/login").into_response(),
        Err(_) => return server_error(),
    };
    let found = async {
        let db = state.db.as_ref();
        let file = match staff_scope(&user) {
            Ok(scope) => store::file_for_staff(db, &scope, file_id).await,
            Err(_) => store::file_for_member(db, user.user_id, file_id).await,
        };
        let file = file?.ok_or(AppError::NotFound)?;
        let bytes = STANDARD.decode(&file.content).map_err(|_| AppError::Internal)?;
        Ok((file, bytes))
    };
    let (file, bytes) = match found.await {
        Ok(found) => found,
        Err(AppError::NotFound) => return not_found(),
        Err(_) => return server_error(),
    };
    let mut response = bytes.into_response();
    let headers = response.headers_mut();
    if let Ok(kind) = HeaderValue::from_str(&file.content_type) {
        headers.insert(header::CONTENT_TYPE, kind);
    }
    if let Ok(disposition) = HeaderValue::from_str(&attachment(&file.name)) {
        headers.insert(header::CONTENT_DISPOSITION, disposition);
    }
    response
}

/// `attachment; filename="belt test.pdf"; filename*=UTF-8''belt%20test.pdf`: the plain name
/// with anything but printable ASCII (and quotes) as `_`, and the whole name for browsers
/// that read RFC 6266.
fn attachment(name: &str) -> String {
    let plain: String =
        name.chars().map(|c| if c.is_ascii_graphic() && c != '"' && c != '\\' || c == ' ' { c } else { '_' }).collect();
    let encoded = percent_encoding::utf8_percent_encode(name, percent_encoding::NON_ALPHANUMERIC);
    format!("attachment; filename=\"{plain}\"; filename*=UTF-8''{encoded}")
}

pub(super) fn not_found() -> Response {
    (StatusCode::NOT_FOUND, "There is nothing at this address.").into_response()
}

fn server_error() -> Response {
    (StatusCode::INTERNAL_SERVER_ERROR, AppError::Internal.to_string()).into_response()
}

#[cfg(test)]
mod tests {
    #[test]
    fn attachment_names_are_safe_in_a_header() {
        assert_eq!(
            super::attachment("Prüfung \"1\".pdf"),
            "attachment; filename=\"Pr_fung _1_.pdf\"; filename*=UTF-8''Pr%C3%BCfung%20%221%22%2Epdf"
        );
    }
}
