//! An organisation's message templates.

use serde::Deserialize;

use super::scope::StaffScope;
use super::{Db, DbError, fetch_all, fetch_optional};
use crate::stmt;

#[derive(Debug, Clone, Deserialize)]
pub struct TemplateRow {
    pub id: i64,
    pub name: String,
    pub subject: String,
    pub body: String,
    /// The organisation's default (read by `templates` only).
    #[serde(default)]
    #[serde(deserialize_with = "super::flag")]
    pub is_default: bool,
}

pub async fn templates(db: &dyn Db, scope: &StaffScope) -> Result<Vec<TemplateRow>, DbError> {
    fetch_all(
        db,
        stmt!(
            "SELECT t.id, t.name, t.subject, t.body,
                    coalesce((SELECT o.default_template_id = t.id FROM organisations o WHERE o.id = t.organisation_id), 0)
                        AS is_default
             FROM message_templates t
             WHERE t.organisation_id = ? AND t.archived_at IS NULL ORDER BY t.name COLLATE NOCASE, t.id",
            scope.organisation_id
        ),
    )
    .await
}

pub async fn template(db: &dyn Db, scope: &StaffScope, id: i64) -> Result<Option<TemplateRow>, DbError> {
    fetch_optional(
        db,
        stmt!(
            "SELECT id, name, subject, body FROM message_templates
             WHERE id = ? AND organisation_id = ? AND archived_at IS NULL",
            id,
            scope.organisation_id
        ),
    )
    .await
}

pub struct NewTemplate<'a> {
    pub name: &'a str,
    pub subject: &'a str,
    pub body: &'a str,
}

pub async fn insert_template(db: &dyn Db, scope: &StaffScope, new: &NewTemplate<'_>, now: i64) -> Result<i64, DbError> {
    let changes = db
        .execute(stmt!(
            "INSERT INTO message_templates (organisation_id, name, subject, body, created_at)
             VALUES (?, ?, ?, ?, ?)",
            scope.organisation_id,
            new.name,
            new.subject,
            new.body,
            now
        ))
        .await?;
    Ok(changes.last_insert_id)
}

/// False when the template is not (or no longer) the organisation's.
pub async fn update_template(db: &dyn Db, scope: &StaffScope, id: i64, new: &NewTemplate<'_>) -> Result<bool, DbError> {
    let changes = db
        .execute(stmt!(
            "UPDATE message_templates SET name = ?, subject = ?, body = ?
             WHERE id = ? AND organisation_id = ? AND archived_at IS NULL",
            new.name,
            new.subject,
            new.body,
            id,
            scope.organisation_id
        ))
        .await?;
    Ok(changes.rows_affected == 1)
}

/// Archived, not deleted: invitations already sent keep the words they were sent with.
pub async fn archive_template(db: &dyn Db, scope: &StaffScope, id: i64, now: i64) -> Result<bool, DbError> {
    let changes = db
        .execute(stmt!(
            "UPDATE message_templates SET archived_at = ? WHERE id = ? AND organisation_id = ? AND archived_at IS NULL",
            now,
            id,
            scope.organisation_id
        ))
        .await?;
    Ok(changes.rows_affected == 1)
}
