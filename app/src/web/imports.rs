//! The import's plain forms and file: the spreadsheet's upload (multipart, up to
//! `MAX_IMPORT_BYTES`), the mapping (one field per column of the file, which a server
//! function's arguments cannot name), and the CSV of the rows refused, to fix and upload
//! again. Each answers a browser by going back to a page (`files::form_answer`).

use axum::body::{Body, Bytes};
use axum::extract::{Path, State};
use axum::response::{IntoResponse, Response};
use http::{HeaderMap, StatusCode, header};

use super::BodyTooLarge;
use super::export::{csv_file, staff_only};
use super::files::{form_answer, not_found};
use super::multipart;
use crate::domain::addresses::{IMPORT_UPLOAD_PATH, import_mapping_path, import_path};
use crate::domain::csv::{BYTE_ORDER_MARK, line};
use crate::error::AppError;
use crate::ports::AppState;
use crate::service::imports;
use crate::store::scope::StaffScope;

/// The page the upload form is on.
pub const IMPORTS_PAGE: &str = "/staff/imports";

pub async fn upload(
    State(state): State<AppState>,
    too_large: Option<axum::Extension<BodyTooLarge>>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let scope = match importer(&state, &headers).await {
        Ok(scope) => scope,
        Err(answer) => return answer,
    };
    let kept = async {
        if too_large.is_some() {
            let most = super::MAX_IMPORT_BYTES >> 20;
            return Err(AppError::invalid(
                "file",
                &format!("This file is larger than {most} MiB: split it into smaller files and import each."),
            ));
        }
        let (name, bytes) = read_file(&headers, &body)?;
        imports::upload(&state, &scope, &name, bytes).await
    }
    .await;
    match kept {
        Ok(id) => form_answer(&state, &headers, &import_path(id), IMPORT_UPLOAD_PATH, Ok(None)),
        Err(error) => form_answer(&state, &headers, IMPORTS_PAGE, IMPORT_UPLOAD_PATH, Err(error)),
    }
}

/// The form's one `file` field: its name and bytes.
fn read_file<'a>(headers: &HeaderMap, body: &'a [u8]) -> Result<(String, &'a [u8]), AppError> {
    let content_type = headers.get(header::CONTENT_TYPE).and_then(|v| v.to_str().ok()).unwrap_or_default();
    let boundary = multipart::boundary(content_type)
        .ok_or_else(|| AppError::Request("send the form as multipart/form-data".into()))?;
    let parts = multipart::parts(body, boundary).map_err(|problem| AppError::Request(problem.into()))?;
    let mut file = None;
    for part in parts {
        match part.name.as_str() {
            "file" if file.is_none() => file = Some((part.file_name.unwrap_or_default(), part.content)),
            "file" => return Err(AppError::Request("a field is given more than once".into())),
            _ => return Err(AppError::Request("the form has a field it should not".into())),
        }
    }
    let (name, bytes) = file.ok_or_else(|| AppError::invalid("file", "Choose a CSV file to import."))?;
    if bytes.is_empty() {
        return Err(AppError::invalid("file", "Choose a CSV file to import: this one is empty."));
    }
    let name = crate::domain::portal_records::file_name(if name.is_empty() { "import.csv" } else { &name })
        .map_err(|message| AppError::invalid("file", message))?;
    Ok((name, bytes))
}

/// `column=<slug>` once per column of the file, in its order.
pub async fn mapping(
    State(state): State<AppState>,
    Path(import_id): Path<String>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let scope = match importer(&state, &headers).await {
        Ok(scope) => scope,
        Err(answer) => return answer,
    };
    let Ok(import_id) = import_id.parse::<i64>() else { return not_found() };
    let page = import_path(import_id);
    let saved = async {
        let mut slugs = Vec::new();
        for (key, value) in form_urlencoded::parse(&body) {
            match key.as_ref() {
                "column" => slugs.push(value.into_owned()),
                _ => return Err(AppError::Request("the form has a field it should not".into())),
            }
        }
        imports::save_mapping(&state, &scope, import_id, &slugs).await?;
        Ok(Some("Columns saved. The dry run below uses them.".to_owned()))
    }
    .await;
    form_answer(&state, &headers, &page, &import_mapping_path(import_id), saved)
}

/// The rows refused (by the import, or by the dry run before it), with a "Problem" column.
pub async fn refused_csv(State(state): State<AppState>, Path(import_id): Path<String>, headers: HeaderMap) -> Response {
    let scope = match importer(&state, &headers).await {
        Ok(scope) => scope,
        Err(answer) => return answer,
    };
    let Ok(import_id) = import_id.parse::<i64>() else { return not_found() };
    match imports::refused_rows(&state, &scope, import_id).await {
        Ok(rows) => {
            let text: String =
                std::iter::once(BYTE_ORDER_MARK.to_owned()).chain(rows.iter().map(|cells| line(cells))).collect();
            csv_file(Body::from(text), &format!("import-{import_id}-rows-to-fix.csv"))
        }
        Err(AppError::NotFound) => not_found(),
        Err(error) => {
            let status = StatusCode::from_u16(error.http_status()).unwrap_or(StatusCode::BAD_REQUEST);
            (status, error.to_string()).into_response()
        }
    }
}

/// Imports are for the owner and administrators, who see every member a row may find.
async fn importer(state: &AppState, headers: &HeaderMap) -> Result<StaffScope, Response> {
    let scope = staff_only(state, headers).await?;
    if scope.role.manages_organisation() { Ok(scope) } else { Err(not_found()) }
}
