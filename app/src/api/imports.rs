//! Importing members from a spreadsheet, for the owner and administrators: the imports so
//! far, one import's columns with the dry run of what it would do (nothing written), and the
//! import itself, a few thousand rows per call until it is done.

use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use crate::error::AppError;
#[cfg(feature = "ssr")]
use {
    crate::domain::Role,
    crate::domain::import::Column,
    crate::domain::import_plan::Action,
    crate::domain::numbers::thousands,
    crate::request::{require_role, respond},
    crate::service::imports,
};

/// Refused rows a page lists; the CSV of rows to fix has them all.
pub const SHOWN_ROWS: usize = 200;
/// The first cells of each column shown beside its choice.
#[cfg(feature = "ssr")]
const SAMPLE_ROWS: usize = 3;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ImportSummary {
    pub id: i64,
    pub file_name: String,
    /// "7 Dec 2026 by ada@example.org".
    pub uploaded: String,
    /// "Imported", "Importing: 2,000 of 10,000 rows", "Not imported yet".
    pub state: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ImportView {
    pub id: i64,
    pub file_name: String,
    pub uploaded: String,
    pub rows_total: i64,
    pub columns: Vec<ColumnView>,
    /// Every choice a column has: (slug, label).
    pub choices: Vec<(String, String)>,
    pub progress: ImportProgress,
    /// Before the import: what it would do; after: what it did.
    pub outcome: Outcome,
    /// Why the dry run cannot be made with these columns (they do not name the members).
    pub mapping_problem: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ColumnView {
    pub header: String,
    /// The column's first few cells, to tell what it holds.
    pub samples: Vec<String>,
    pub chosen: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct ImportProgress {
    pub done_rows: i64,
    pub rows_total: i64,
    pub started: bool,
    pub finished: bool,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Outcome {
    pub added: i64,
    pub updated: i64,
    pub unchanged: i64,
    pub refused: i64,
    /// The first `SHOWN_ROWS` refused rows: (line, reason).
    pub refused_rows: Vec<(i64, String)>,
}

#[server(endpoint = "imports")]
pub async fn imports() -> Result<Vec<ImportSummary>, AppError> {
    respond(
        async {
            let (state, scope) = require_role(Role::manages_organisation).await?;
            let list = imports::list(&state, &scope).await?;
            Ok(list
                .into_iter()
                .map(|import| {
                    let state = if import.finished_at.is_some() {
                        "Imported".to_owned()
                    } else if import.started_at.is_some() {
                        format!("Importing: {} of {} rows", thousands(import.done_rows), thousands(import.rows_total))
                    } else {
                        "Not imported yet".to_owned()
                    };
                    ImportSummary {
                        id: import.id,
                        uploaded: format!("{} by {}", scope.zone.date(import.created_at), import.created_by_email),
                        file_name: import.file_name,
                        state,
                    }
                })
                .collect())
        }
        .await,
    )
}

#[server(endpoint = "import_details")]
pub async fn import_details(import: i64) -> Result<ImportView, AppError> {
    respond(
        async move {
            let (state, scope) = require_role(Role::manages_organisation).await?;
            let found = imports::find(&state, &scope, import).await?;
            let mapping = imports::mapping_of(&found);
            let headers = imports::headers_of(&found);
            let progress = progress_of(&found);
            let mut mapping_problem = None;
            // The columns and their first cells are shown only before the import starts.
            let mut sample_cells = Vec::new();
            let outcome = if progress.started {
                let counts = imports::counts(&state, found.id).await?;
                let refused = imports::refused(&state, found.id, SHOWN_ROWS as i64).await?;
                Outcome {
                    added: counts.added,
                    updated: counts.updated,
                    unchanged: counts.unchanged,
                    refused: counts.refused,
                    refused_rows: refused.into_iter().map(|e| (e.line as i64, e.reason)).collect(),
                }
            } else {
                let (first, plan) = imports::preview(&state, &scope, &found, SAMPLE_ROWS).await?;
                sample_cells = first;
                match plan {
                    Ok(plan) => {
                        let count = |kind: fn(&Action) -> bool| plan.count(kind) as i64;
                        Outcome {
                            added: count(|a| matches!(a, Action::Add)),
                            updated: count(|a| matches!(a, Action::Update { .. })),
                            unchanged: count(|a| matches!(a, Action::Unchanged { .. })),
                            refused: plan.refused.len() as i64,
                            refused_rows: plan
                                .refused
                                .into_iter()
                                .take(SHOWN_ROWS)
                                .map(|e| (e.line as i64, e.reason))
                                .collect(),
                        }
                    }
                    Err(error) => {
                        mapping_problem = Some(error.field_message("mapping").ok_or(error)?);
                        Outcome::default()
                    }
                }
            };
            let columns = headers
                .into_iter()
                .enumerate()
                .map(|(i, header)| ColumnView {
                    header,
                    samples: sample_cells
                        .iter()
                        .filter_map(|cells| cells.get(i).filter(|c| !c.trim().is_empty()).cloned())
                        .collect(),
                    chosen: mapping.0.get(i).copied().unwrap_or(Column::Ignore).slug().to_owned(),
                })
                .collect();
            Ok(ImportView {
                id: found.id,
                uploaded: format!("{} by {}", scope.zone.date_time(found.created_at), found.created_by_email),
                file_name: found.file_name,
                rows_total: found.rows_total,
                columns,
                choices: Column::ALL.iter().map(|c| (c.slug().to_owned(), c.label().to_owned())).collect(),
                progress,
                outcome,
                mapping_problem,
            })
        }
        .await,
    )
}

/// Imports the next rows (a few thousand; the page asks again until it is done). A form
/// without JavaScript comes back to the import's page, which says how far it got.
#[server(endpoint = "run_import")]
pub async fn run_import(import: i64) -> Result<ImportProgress, AppError> {
    respond(
        async move {
            let (state, scope) = require_role(Role::manages_organisation).await?;
            let found = imports::run(&state, &scope, import).await?;
            let progress = progress_of(&found);
            if crate::request::is_plain_form_post() {
                let notice = if progress.finished {
                    "Import done: the report below says what happened to each row.".to_owned()
                } else {
                    format!(
                        "Imported {} of {} rows so far: press “Continue importing” for the rest.",
                        thousands(progress.done_rows),
                        thousands(progress.rows_total)
                    )
                };
                crate::request::redirect_with_notice(&state, &crate::domain::addresses::import_path(import), &notice);
            }
            Ok(progress)
        }
        .await,
    )
}

#[cfg(feature = "ssr")]
fn progress_of(import: &crate::store::imports::ImportRecord) -> ImportProgress {
    ImportProgress {
        done_rows: import.done_rows,
        rows_total: import.rows_total,
        started: import.started_at.is_some(),
        finished: import.finished_at.is_some(),
    }
}
