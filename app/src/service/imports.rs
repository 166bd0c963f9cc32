//! Importing members from a spreadsheet: the file is read and kept with a mapping guessed
//! (or remembered), the dry run says what would happen without writing anything, and the
//! import writes the rows a step at a time, each step once, going on where it stopped.

use crate::domain::csv_reader::{self, Record};
use crate::domain::import::{Column, Mapping, RowError, Rows};
use crate::domain::import_plan::{Plan, plan};
use crate::error::AppError;
use crate::ports::AppState;
use crate::store::imports::{self as store, ImportRecord, NewImport};
use crate::store::scope::StaffScope;

/// Rows written in one batch.
pub const STEP_ROWS: usize = 250;

/// Keeps an uploaded spreadsheet, its columns mapped as remembered or guessed; its id.
pub async fn upload(state: &AppState, scope: &StaffScope, file_name: &str, bytes: &[u8]) -> Result<i64, AppError> {
    let file = |message: String| AppError::invalid("file", &message);
    let text = csv_reader::decode(bytes).map_err(|e| file(e.to_string()))?;
    let mut header = None;
    let count = csv_reader::each_record(&text, csv_reader::separator(&text), |record| {
        header.get_or_insert(record);
    })
    .map_err(|e| file(e.to_string()))?;
    let Some(header) = header.filter(|_| count > 1) else {
        return Err(file(csv_reader::ReadError::Empty.to_string()));
    };
    let db = state.db.as_ref();
    let remembered = store::remembered(db, scope).await?;
    let mut mapping = Mapping::guess(&header.cells);
    for (column, name) in mapping.0.iter_mut().zip(&header.cells) {
        let key = header_key(name);
        if let Some(r) = remembered.iter().find(|r| r.header_key == key) {
            *column = Column::from_slug(&r.column_slug).unwrap_or(*column);
        }
    }
    let new = NewImport {
        file_name,
        headers: &serde_json::to_string(&header.cells).unwrap_or_default(),
        mapping: &mapping_json(&mapping),
        rows_total: count - 1,
        text: &text,
    };
    Ok(store::insert(db, scope, &new, state.clock.now()).await?)
}

/// A header as the remembered mappings know it: case and spacing aside.
fn header_key(header: &str) -> String {
    header.split_whitespace().collect::<Vec<_>>().join(" ").to_lowercase()
}

fn mapping_json(mapping: &Mapping) -> String {
    serde_json::to_string(&mapping.0.iter().map(|c| c.slug()).collect::<Vec<_>>()).unwrap_or_default()
}

/// The import's mapping as kept.
pub fn mapping_of(import: &ImportRecord) -> Mapping {
    let slugs: Vec<String> = serde_json::from_str(&import.mapping).unwrap_or_default();
    Mapping(slugs.iter().map(|s| Column::from_slug(s).unwrap_or(Column::Ignore)).collect())
}

pub fn headers_of(import: &ImportRecord) -> Vec<String> {
    serde_json::from_str(&import.headers).unwrap_or_default()
}

pub async fn find(state: &AppState, scope: &StaffScope, import_id: i64) -> Result<ImportRecord, AppError> {
    store::find(state.db.as_ref(), scope, import_id).await?.ok_or(AppError::NotFound)
}

pub async fn list(state: &AppState, scope: &StaffScope) -> Result<Vec<ImportRecord>, AppError> {
    Ok(store::list(state.db.as_ref(), scope).await?)
}

/// Sets what each column holds (slugs, one per column of the file); remembered for the
/// next file with the same headers.
pub async fn save_mapping(
    state: &AppState,
    scope: &StaffScope,
    import_id: i64,
    slugs: &[String],
) -> Result<(), AppError> {
    const STARTED: &str = "This import has started: its columns can no longer change.";
    let import = find(state, scope, import_id).await?;
    if import.started_at.is_some() {
        return Err(AppError::Conflict(STARTED.into()));
    }
    let headers = headers_of(&import);
    if slugs.len() != headers.len() {
        return Err(AppError::Request(format!("give one choice for each of the file's {} columns", headers.len())));
    }
    let columns = slugs
        .iter()
        .map(|s| Column::from_slug(s).ok_or_else(|| AppError::Request(format!("unknown column choice: {s}"))))
        .collect::<Result<Vec<_>, _>>()?;
    let mapping = Mapping(columns);
    mapping.check().map_err(|message| AppError::invalid("mapping", &message))?;
    let remembered: Vec<(String, &'static str)> =
        headers.iter().zip(&mapping.0).map(|(h, c)| (header_key(h), c.slug())).collect();
    let saved = store::save_mapping(state.db.as_ref(), scope, import_id, &mapping_json(&mapping), &remembered).await?;
    if !saved {
        return Err(AppError::Conflict(STARTED.into()));
    }
    Ok(())
}

/// The file's data rows (the header line apart).
async fn data_rows(state: &AppState, import: &ImportRecord) -> Result<Vec<Record>, AppError> {
    let text = store::text(state.db.as_ref(), import.id).await?;
    let mut records = csv_reader::parse(&text).map_err(unreadable)?;
    records.remove(0);
    Ok(records)
}

fn unreadable(error: csv_reader::ReadError) -> AppError {
    AppError::Conflict(format!("The file kept for this import cannot be read: {error}"))
}

/// The import's mapping, when it names the members.
fn checked_mapping(import: &ImportRecord) -> Result<Mapping, AppError> {
    let mapping = mapping_of(import);
    mapping.check().map_err(|message| AppError::invalid("mapping", &message))?;
    Ok(mapping)
}

/// The file's data rows read as rows of `mapping` (none without one), each data row's line
/// in order, and the cells of the first `samples` rows: from one reading of the file, one
/// record at a time.
async fn read_rows(
    state: &AppState,
    import: &ImportRecord,
    mapping: Option<&Mapping>,
    samples: usize,
) -> Result<(Rows, Vec<usize>, Vec<Vec<String>>), AppError> {
    let text = store::text(state.db.as_ref(), import.id).await?;
    let (mut rows, mut lines, mut first) = (Rows::default(), Vec::new(), Vec::new());
    let mut header = true;
    csv_reader::each_record(&text, csv_reader::separator(&text), |record| {
        if std::mem::take(&mut header) {
            return;
        }
        lines.push(record.line);
        if let Some(mapping) = mapping {
            rows.read(mapping, record.line, &record.cells);
        }
        if first.len() < samples {
            first.push(record.cells);
        }
    })
    .map_err(unreadable)?;
    Ok((rows, lines, first))
}

/// What the import would do with its rows now, writing nothing.
async fn plan_of(state: &AppState, scope: &StaffScope, rows: Rows) -> Result<Plan, AppError> {
    let (good, refused) = rows.finish();
    let existing = store::existing(state.db.as_ref(), scope).await?;
    Ok(plan(good, refused, &existing))
}

/// What the import would do now, writing nothing; with each data row's line, in order.
pub async fn dry_run(
    state: &AppState,
    scope: &StaffScope,
    import: &ImportRecord,
) -> Result<(Plan, Vec<usize>), AppError> {
    let mapping = checked_mapping(import)?;
    let (rows, lines, _) = read_rows(state, import, Some(&mapping), 0).await?;
    Ok((plan_of(state, scope, rows).await?, lines))
}

/// The cells of the file's first `samples` rows (what each column holds) and the dry run,
/// from one reading of the file; the dry run is the mapping's error while its columns do not
/// name the members.
pub async fn preview(
    state: &AppState,
    scope: &StaffScope,
    import: &ImportRecord,
    samples: usize,
) -> Result<(Vec<Vec<String>>, Result<Plan, AppError>), AppError> {
    let mapping = checked_mapping(import);
    let (rows, _, first) = read_rows(state, import, mapping.as_ref().ok(), samples).await?;
    let plan = match mapping {
        Ok(_) => Ok(plan_of(state, scope, rows).await?),
        Err(error) => Err(error),
    };
    Ok((first, plan))
}

/// Imports the next rows, as many as a request may write (`import_rows_per_request`), from
/// where the import stands. The import as it stands after.
pub async fn run(state: &AppState, scope: &StaffScope, import_id: i64) -> Result<ImportRecord, AppError> {
    let mut import = find(state, scope, import_id).await?;
    if import.finished_at.is_some() {
        return Ok(import);
    }
    let (plan, lines) = dry_run(state, scope, &import).await?;
    let total = lines.len() as i64;
    let mut budget = state.config.import_rows_per_request;
    while budget > 0 && import.done_rows < total {
        let first = import.done_rows;
        let rows = STEP_ROWS.min(budget);
        budget -= rows;
        let end = (first + rows as i64).min(total);
        let (low, high) = (lines[first as usize], lines[end as usize - 1]);
        let planned = within(&plan.planned, |p| p.row.line, low, high);
        let refused = within(&plan.refused, |e| e.line, low, high);
        let now = state.clock.now();
        let written = store::write_step(state.db.as_ref(), scope, &import, (first, end), planned, refused, now).await?;
        if !written {
            // Another request wrote this step (its row and the progress are one batch): what
            // follows is planned afresh by the next. Else a row broke a rule of the schema,
            // and asking again would only fail again.
            let now = find(state, scope, import_id).await?;
            if now.done_rows == first {
                return Err(AppError::Conflict(format!(
                    "Lines {}–{} of the file could not be written; the import stopped there.",
                    lines[first as usize],
                    lines[end as usize - 1]
                )));
            }
            break;
        }
        import.done_rows = end;
    }
    find(state, scope, import_id).await
}

/// The part of `items` (in line order) whose lines are `low..=high`.
fn within<T>(items: &[T], line: impl Fn(&T) -> usize, low: usize, high: usize) -> &[T] {
    let start = items.partition_point(|item| line(item) < low);
    let end = items.partition_point(|item| line(item) <= high);
    &items[start..end]
}

/// The members an import found or added, for a round to invite.
pub async fn members_of(state: &AppState, scope: &StaffScope, import_id: i64) -> Result<Vec<i64>, AppError> {
    Ok(store::members_of(state.db.as_ref(), scope, import_id).await?)
}

pub async fn counts(state: &AppState, import_id: i64) -> Result<store::Counts, AppError> {
    Ok(store::counts(state.db.as_ref(), import_id).await?)
}

/// The rows the import refused, the first `limit` by line.
pub async fn refused(state: &AppState, import_id: i64, limit: i64) -> Result<Vec<RowError>, AppError> {
    Ok(store::refused(state.db.as_ref(), import_id, limit).await?)
}

/// The rows the import refused, as the file had them, with the reason in a last column:
/// the header line first. To fix in the spreadsheet and upload again.
pub async fn refused_rows(state: &AppState, scope: &StaffScope, import_id: i64) -> Result<Vec<Vec<String>>, AppError> {
    let import = find(state, scope, import_id).await?;
    let refused = if import.started_at.is_some() {
        // All of them: the largest whole number D1 takes (2^53 - 1).
        refused(state, import_id, (1 << 53) - 1).await?
    } else {
        dry_run(state, scope, &import).await?.0.refused
    };
    let records = data_rows(state, &import).await?;
    let mut header = headers_of(&import);
    header.push("Problem".into());
    let mut out = vec![header];
    for error in refused {
        if let Ok(at) = records.binary_search_by_key(&error.line, |r| r.line) {
            let mut cells = records[at].cells.clone();
            cells.push(error.reason);
            out.push(cells);
        }
    }
    Ok(out)
}
