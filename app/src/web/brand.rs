//! The organisation's face: its logo uploaded from its page (`POST
//! /staff/settings/logo`, a multipart form, the owner and administrators only), served at
//! an address its digest names (`GET /logo/{organisation}/{digest}`, public: e-mails show
//! it), and its accent colour as a stylesheet (`GET /brand.css?accent=1d4ed8`).
//!
//! A logo is kept only when its bytes are a PNG, JPEG or WebP image (never an SVG), and it
//! is served as that type with `nosniff` and a policy that lets nothing in it run.

use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::response::{IntoResponse, Redirect, Response};
use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use http::{HeaderMap, HeaderValue, StatusCode, Uri, header};

use super::export::query_param;
use super::files::{form_answer, not_found};
use crate::domain::brand::{AccentColour, check_logo};
use crate::error::AppError;
use crate::ports::AppState;
use crate::request::{session_of, staff_scope};
use crate::store::organisations::{self, NewLogo};
use crate::web::multipart;

pub const LOGO_FORM: &str = "/staff/settings/logo";
/// The page the form is on, where it comes back to.
const LOGO_PAGE: &str = "/staff/logo";

pub async fn upload_logo(State(state): State<AppState>, headers: HeaderMap, body: Bytes) -> Response {
    let scope = match session_of(&state, &headers).await {
        Ok(Some((_, user))) => match staff_scope(&user) {
            Ok(scope) => scope,
            Err(_) => return not_found(),
        },
        Ok(None) => return Redirect::to("/login").into_response(),
        Err(error) => return form_answer(&state, &headers, LOGO_PAGE, LOGO_FORM, Err(error)),
    };
    let saved = async {
        let bytes = read_logo(&headers, &body)?;
        let content_type = check_logo(bytes).map_err(|message| AppError::invalid("logo", message))?;
        let digest = crate::secrets::digest(bytes);
        let logo = NewLogo { content_type, content: &STANDARD.encode(bytes), digest: &digest[..16] };
        let db = state.db.as_ref();
        let kept = organisations::save_logo(db, scope.organisation_id, scope.user_id, &logo, state.clock.now()).await?;
        if !kept {
            return Err(AppError::NotFound);
        }
        Ok(Some("Logo saved: members see it on their pages and in their invitations.".to_owned()))
    };
    let saved = saved.await;
    form_answer(&state, &headers, LOGO_PAGE, LOGO_FORM, saved)
}

/// The form's one field, `logo`.
fn read_logo<'a>(headers: &HeaderMap, body: &'a [u8]) -> Result<&'a [u8], AppError> {
    let content_type = headers.get(header::CONTENT_TYPE).and_then(|v| v.to_str().ok()).unwrap_or_default();
    let boundary = multipart::boundary(content_type)
        .ok_or_else(|| AppError::Request("send the form as multipart/form-data".into()))?;
    let parts = multipart::parts(body, boundary).map_err(|problem| AppError::Request(problem.into()))?;
    match parts.as_slice() {
        [part] if part.name == "logo" => Ok(part.content),
        [] => Err(AppError::invalid("logo", "Choose an image to upload.")),
        _ => Err(AppError::Request("the form has a field it should not".into())),
    }
}

pub async fn logo(State(state): State<AppState>, Path((organisation, digest)): Path<(String, String)>) -> Response {
    let Ok(organisation) = organisation.parse::<i64>() else { return not_found() };
    let found = match organisations::logo(state.db.as_ref(), organisation, &digest).await {
        Ok(found) => found,
        Err(_) => return (StatusCode::INTERNAL_SERVER_ERROR, AppError::Internal.to_string()).into_response(),
    };
    let Some(bytes) = found.as_ref().and_then(|logo| STANDARD.decode(&logo.content).ok()) else { return not_found() };
    let mut response = bytes.into_response();
    let headers = response.headers_mut();
    if let Some(kind) = found.and_then(|logo| HeaderValue::from_str(&logo.content_type).ok()) {
        headers.insert(header::CONTENT_TYPE, kind);
    }
    headers.insert(header::CONTENT_SECURITY_POLICY, HeaderValue::from_static("default-src 'none'; sandbox"));
    response
}

/// `:root { --accent: … }` for an accent colour that passes the contrast check; any other
/// value is not found (the pages only ever ask for the organisation's own).
pub async fn stylesheet(uri: Uri) -> Response {
    let Ok(Some(accent)) = AccentColour::parse(&query_param(&uri, "accent")) else { return not_found() };
    let css = format!(":root {{ --accent: {}; }}\n", accent.as_str());
    ([(header::CONTENT_TYPE, HeaderValue::from_static("text/css; charset=utf-8"))], css).into_response()
}
