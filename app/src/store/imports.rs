//! Imports from a spreadsheet: the file kept in chunks, its mapping (and the one remembered
//! for next time), the members a row may find, and each step of rows written as one batch
//! whose first statement is the step's own row, so a step runs once however often it is
//! asked (an interrupted import goes on; two tabs cannot import a row twice).

use serde::Deserialize;

use super::scope::{StaffScope, refresh_standing};
use super::{Batch, Db, DbError, Stmt, fetch_all, fetch_optional};
use crate::domain::import::{ImportRow, Representative, RowError};
use crate::domain::import_plan::{Action, Existing, Planned, person_key};
use crate::domain::search::NameKeys;
use crate::stmt;

/// The most text one chunk row holds: under D1's 2 MB a row.
pub const CHUNK_BYTES: usize = 1_000_000;

pub struct NewImport<'a> {
    pub file_name: &'a str,
    pub headers: &'a str,
    pub mapping: &'a str,
    pub rows_total: usize,
    pub text: &'a str,
}

/// Keeps an uploaded file; its id.
pub async fn insert(db: &dyn Db, scope: &StaffScope, new: &NewImport<'_>, now: i64) -> Result<i64, DbError> {
    let mut batch = Batch::default();
    let inserted = batch.add(stmt!(
        "INSERT INTO imports (organisation_id, created_by, created_at, file_name, headers, mapping, rows_total)
         VALUES (?, ?, ?, ?, ?, ?, ?)",
        scope.organisation_id,
        scope.user_id,
        now,
        new.file_name,
        new.headers,
        new.mapping,
        new.rows_total as i64
    ));
    for (seq, chunk) in chunks(new.text, CHUNK_BYTES).enumerate() {
        batch.add(stmt!(
            "INSERT INTO import_chunks (import_id, seq, text) SELECT max(id), ?, ? FROM imports",
            seq as i64,
            chunk
        ));
    }
    let changes = batch.run(db).await?;
    Ok(changes[inserted].last_insert_id)
}

/// `text` in pieces of at most `size` bytes, cut between characters.
fn chunks(text: &str, size: usize) -> impl Iterator<Item = &str> {
    let mut rest = text;
    std::iter::from_fn(move || {
        if rest.is_empty() {
            return None;
        }
        let mut end = rest.len().min(size);
        while !rest.is_char_boundary(end) {
            end -= 1;
        }
        let (chunk, after) = rest.split_at(end);
        rest = after;
        Some(chunk)
    })
}

#[derive(Debug, Clone, Deserialize)]
pub struct ImportRecord {
    pub id: i64,
    pub file_name: String,
    pub headers: String,
    pub mapping: String,
    pub rows_total: i64,
    pub done_rows: i64,
    pub created_at: i64,
    pub started_at: Option<i64>,
    pub finished_at: Option<i64>,
    pub created_by_email: String,
}

macro_rules! import_select {
    () => {
        "SELECT i.id, i.file_name, i.headers, i.mapping, i.rows_total, i.done_rows, i.created_at,
                i.started_at, i.finished_at, u.email AS created_by_email
         FROM imports i JOIN users u ON u.id = i.created_by "
    };
}

pub async fn find(db: &dyn Db, scope: &StaffScope, import_id: i64) -> Result<Option<ImportRecord>, DbError> {
    fetch_optional(
        db,
        stmt!(concat!(import_select!(), "WHERE i.id = ? AND i.organisation_id = ?"), import_id, scope.organisation_id),
    )
    .await
}

/// The organisation's imports, newest first.
pub async fn list(db: &dyn Db, scope: &StaffScope) -> Result<Vec<ImportRecord>, DbError> {
    fetch_all(
        db,
        stmt!(
            concat!(import_select!(), "WHERE i.organisation_id = ? ORDER BY i.created_at DESC, i.id DESC LIMIT 20"),
            scope.organisation_id
        ),
    )
    .await
}

/// The file's text, as it was kept.
pub async fn text(db: &dyn Db, import_id: i64) -> Result<String, DbError> {
    #[derive(Deserialize)]
    struct Chunk {
        text: String,
    }
    let chunks: Vec<Chunk> =
        fetch_all(db, stmt!("SELECT text FROM import_chunks WHERE import_id = ? ORDER BY seq", import_id)).await?;
    Ok(chunks.into_iter().map(|c| c.text).collect())
}

/// Changes the mapping of an import not started yet, and remembers it per header for the
/// organisation's next file; false when it has started.
pub async fn save_mapping(
    db: &dyn Db,
    scope: &StaffScope,
    import_id: i64,
    mapping: &str,
    remembered: &[(String, &'static str)],
) -> Result<bool, DbError> {
    let mut batch = Batch::default();
    let saved = batch.add(stmt!(
        "UPDATE imports SET mapping = ? WHERE id = ? AND organisation_id = ? AND started_at IS NULL",
        mapping,
        import_id,
        scope.organisation_id
    ));
    for (header, column) in remembered {
        batch.add(stmt!(
            "INSERT INTO import_mappings (organisation_id, header_key, column_slug)
             SELECT ?1, ?2, ?3 WHERE EXISTS (SELECT 1 FROM imports WHERE id = ?4 AND mapping = ?5 AND started_at IS NULL)
             ON CONFLICT (organisation_id, header_key) DO UPDATE SET column_slug = excluded.column_slug",
            scope.organisation_id,
            header.as_str(),
            *column,
            import_id,
            mapping
        ));
    }
    let changes = batch.run(db).await?;
    Ok(changes[saved].rows_affected == 1)
}

#[derive(Debug, Clone, Deserialize)]
pub struct Remembered {
    pub header_key: String,
    pub column_slug: String,
}

pub async fn remembered(db: &dyn Db, scope: &StaffScope) -> Result<Vec<Remembered>, DbError> {
    fetch_all(
        db,
        stmt!("SELECT header_key, column_slug FROM import_mappings WHERE organisation_id = ?", scope.organisation_id),
    )
    .await
}

/// Every member of the organisation a row may find, with their representatives and groups.
pub async fn existing(db: &dyn Db, scope: &StaffScope) -> Result<Vec<Existing>, DbError> {
    #[derive(Deserialize)]
    struct Contact {
        member_id: i64,
        first_name: Option<String>,
        last_name: Option<String>,
        email: Option<String>,
    }
    // Read a page at a time: the rows come back as maps before they are decoded, and
    // 100,000 of them at once took more memory than the members they describe.
    const PAGE: i64 = 5_000;
    let mut members: Vec<Existing> = Vec::new();
    loop {
        let after = members.last().map_or(0, |m| m.member_id);
        let page: Vec<Existing> = fetch_all(
            db,
            stmt!(
                "SELECT m.id AS member_id, m.first_name, m.last_name, c.email, m.phone, m.address, m.external_id
                 FROM members m JOIN contacts c ON c.member_id = m.id AND c.is_self = 1
                 WHERE m.organisation_id = ? AND m.archived_at IS NULL AND m.id > ? ORDER BY m.id LIMIT ?",
                scope.organisation_id,
                after,
                PAGE
            ),
        )
        .await?;
        let full = page.len() as i64 == PAGE;
        members.extend(page);
        if !full {
            break;
        }
    }
    let index: std::collections::HashMap<i64, usize> =
        members.iter().enumerate().map(|(i, m)| (m.member_id, i)).collect();
    let representatives: Vec<Contact> = fetch_all(
        db,
        stmt!(
            "SELECT c.member_id, c.first_name, c.last_name, c.email
             FROM contacts c JOIN members m ON m.id = c.member_id
             WHERE m.organisation_id = ? AND c.is_self = 0 AND c.removed_at IS NULL",
            scope.organisation_id
        ),
    )
    .await?;
    for r in representatives {
        if let Some(&i) = index.get(&r.member_id) {
            let key = person_key(
                r.first_name.as_deref().unwrap_or_default(),
                r.last_name.as_deref().unwrap_or_default(),
                r.email.as_deref(),
            );
            members[i].representatives.push(key);
        }
    }
    #[derive(Deserialize)]
    struct InGroup {
        member_id: i64,
        name: String,
    }
    let groups: Vec<InGroup> = fetch_all(
        db,
        stmt!(
            "SELECT gm.member_id, g.name FROM group_members gm JOIN groups g ON g.id = gm.group_id
             WHERE g.organisation_id = ?",
            scope.organisation_id
        ),
    )
    .await?;
    for g in groups {
        if let Some(&i) = index.get(&g.member_id) {
            members[i].groups.push(g.name);
        }
    }
    Ok(members)
}

/// One step of an import: rows `first_row..end_row` of the file (`planned` and `refused`
/// are theirs), written as one batch. False when the step was written already (by an
/// earlier request, or one running beside this one): nothing is written again.
pub async fn write_step(
    db: &dyn Db,
    scope: &StaffScope,
    import: &ImportRecord,
    (first_row, end_row): (i64, i64),
    planned: &[Planned],
    refused: &[RowError],
    now: i64,
) -> Result<bool, DbError> {
    let mut batch = Batch::default();
    batch.add(stmt!("INSERT INTO import_steps (import_id, first_row) VALUES (?, ?)", import.id, first_row));
    batch.add(stmt!(
        "UPDATE imports SET done_rows = ?, started_at = coalesce(started_at, ?),
                            finished_at = CASE WHEN ? >= rows_total THEN ? END
         WHERE id = ? AND done_rows = ?",
        end_row,
        now,
        end_row,
        now,
        import.id,
        first_row
    ));
    let write = Write { scope, import, now };
    for row in planned {
        write.row(&mut batch, row);
    }
    for error in refused {
        batch.add(stmt!(
            "INSERT INTO import_results (import_id, line, outcome, reason) VALUES (?, ?, 'refused', ?)",
            import.id,
            error.line as i64,
            error.reason.as_str()
        ));
    }
    // The standing of every member the step added or changed, once for the step.
    let lines = planned.iter().map(|p| p.row.line).chain(refused.iter().map(|e| e.line));
    if let (Some(low), Some(high)) = (lines.clone().min(), lines.max()) {
        batch.add(stmt!(
            refresh_standing!(
                "SELECT member_id FROM import_results
                 WHERE import_id = ? AND line BETWEEN ? AND ? AND outcome IN ('added', 'updated')"
            ),
            import.id,
            low as i64,
            high as i64
        ));
    }
    match batch.run(db).await {
        Ok(_) => Ok(true),
        Err(DbError::Constraint(_)) => Ok(false),
        Err(error) => Err(error),
    }
}

/// The statements of one row, within its step's batch.
struct Write<'a> {
    scope: &'a StaffScope,
    import: &'a ImportRecord,
    now: i64,
}

/// The member the statements before it added (the batch runs alone, in one transaction).
const JUST_ADDED: &str = "(SELECT max(id) FROM members)";

impl Write<'_> {
    fn row(&self, batch: &mut Batch, planned: &Planned) {
        let row = &planned.row;
        let line = row.line as i64;
        match planned.action {
            Action::Add => {
                let keys = NameKeys::of(&row.first_name, &row.last_name);
                batch.add(stmt!(
                    "INSERT INTO members (organisation_id, first_name, last_name, name_key, sort_key, phone, address,
                                          external_id, created_at)
                     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    self.scope.organisation_id,
                    row.first_name.as_str(),
                    row.last_name.as_str(),
                    keys.name_key,
                    keys.sort_key,
                    row.phone.as_ref().map(|p| p.as_str()),
                    row.address.as_ref().map(|a| a.as_str()),
                    row.external_id.as_deref(),
                    self.now
                ));
                // A young child's representative as the primary contact: the child is not one.
                let self_primary = !row.representative.as_ref().is_some_and(|r| r.primary);
                batch.add(stmt!(
                    "INSERT INTO contacts (member_id, is_self, email, is_primary, created_at)
                     SELECT last_insert_rowid(), 1, ?, ?, ?",
                    row.email.as_ref().map(|e| e.as_str()),
                    self_primary,
                    self.now
                ));
                self.belongings(batch, row, JUST_ADDED, true, true);
                batch.add(stmt!(
                    "INSERT INTO import_results (import_id, line, outcome, member_id)
                     SELECT ?, ?, 'added', max(id) FROM members",
                    self.import.id,
                    line
                ));
                self.event(batch, "imported", JUST_ADDED.into());
            }
            Action::Update { member_id, details, representative, group } => {
                if details {
                    self.details(batch, row, member_id);
                }
                self.belongings(batch, row, &member_id.to_string(), representative, group);
                batch.add(stmt!(
                    "INSERT INTO import_results (import_id, line, outcome, member_id) VALUES (?, ?, 'updated', ?)",
                    self.import.id,
                    line,
                    member_id
                ));
                self.event(batch, "updated_by_import", member_id.to_string());
            }
            Action::Unchanged { member_id } => {
                batch.add(stmt!(
                    "INSERT INTO import_results (import_id, line, outcome, member_id) VALUES (?, ?, 'unchanged', ?)",
                    self.import.id,
                    line,
                    member_id
                ));
            }
        }
    }

    /// The member's own details; a cell the file leaves empty keeps what is there. A new
    /// e-mail revokes the links sent to the old one first (SECURITY.md rule 6).
    fn details(&self, batch: &mut Batch, row: &ImportRow, member_id: i64) {
        let keys = NameKeys::of(&row.first_name, &row.last_name);
        if let Some(email) = &row.email {
            let own = format!("(SELECT id FROM contacts WHERE member_id = {member_id} AND is_self = 1)");
            batch.add(
                stmt!(
                    concat!(
                        super::events::insert_event!(),
                        "SELECT organisation_id, member_id, contact_id, 'revoked', :staff_user, :detail, :now
                         FROM invitations WHERE contact_id = "
                    ),
                    staff_user = self.scope.user_id,
                    detail = super::contacts::EMAIL_CHANGED,
                    now = self.now
                )
                .then(Stmt::new(format!("{own} AND ")))
                .then(open_and_not_to(email.as_str(), self.now)),
            );
            batch.add(
                stmt!(
                    "UPDATE invitations SET revoked_at = :now, revoked_because = 'email_changed' WHERE contact_id = ",
                    now = self.now
                )
                .then(Stmt::new(format!("{own} AND ")))
                .then(open_and_not_to(email.as_str(), self.now)),
            );
        }
        batch.add(stmt!(
            "UPDATE members SET first_name = ?, last_name = ?, name_key = ?, sort_key = ?,
                                phone = coalesce(?, phone), address = coalesce(?, address),
                                external_id = coalesce(?, external_id)
             WHERE id = ? AND organisation_id = ?",
            row.first_name.as_str(),
            row.last_name.as_str(),
            keys.name_key,
            keys.sort_key,
            row.phone.as_ref().map(|p| p.as_str()),
            row.address.as_ref().map(|a| a.as_str()),
            row.external_id.as_deref(),
            member_id,
            self.scope.organisation_id
        ));
        batch.add(stmt!(
            "UPDATE contacts SET email = coalesce(?, email) WHERE member_id = ? AND is_self = 1",
            row.email.as_ref().map(|e| e.as_str()),
            member_id
        ));
    }

    /// The row's representative and group, for the member `member` (an SQL expression).
    fn belongings(&self, batch: &mut Batch, row: &ImportRow, member: &str, representative: bool, group: bool) {
        if let (Some(r), true) = (&row.representative, representative) {
            batch.add(self.representative(r, member));
        }
        if let (Some(name), true) = (&row.group, group) {
            batch.add(stmt!(
                "INSERT INTO groups (organisation_id, name, created_at)
                 SELECT ?1, ?2, ?3 WHERE NOT EXISTS (SELECT 1 FROM groups WHERE organisation_id = ?1 AND name = ?2)",
                self.scope.organisation_id,
                name.as_str(),
                self.now
            ));
            batch.add(
                stmt!(
                    "INSERT OR IGNORE INTO group_members (group_id, member_id, added_at)
                     SELECT (SELECT min(id) FROM groups WHERE organisation_id = ?1 AND name = ?2), ",
                    self.scope.organisation_id,
                    name.as_str()
                )
                .then(Stmt::new(format!("{member}, ")))
                .then(stmt!("?3", self.now)),
            );
        }
    }

    /// A representative: the same person as a contact already there with their e-mail
    /// (a brother's parent), as staff would say on the profile.
    fn representative(&self, r: &Representative, member: &str) -> Stmt {
        stmt!(
            "INSERT INTO contacts (member_id, is_self, first_name, last_name, relation, email, is_primary, same_as,
                                   created_at)
             SELECT "
        )
        .then(Stmt::new(format!("{member}, ")))
        .then(stmt!(
            "0, ?1, ?2, ?3, ?4, ?5,
             (SELECT coalesce(p.same_as, p.id) FROM contacts p JOIN members pm ON pm.id = p.member_id
              WHERE p.email = ?4 AND p.removed_at IS NULL AND pm.organisation_id = ?6 ORDER BY p.id LIMIT 1),
             ?7",
            r.first_name.as_str(),
            r.last_name.as_str(),
            r.relation.as_ref().map(|x| x.as_str()),
            r.email.as_ref().map(|e| e.as_str()),
            r.primary,
            self.scope.organisation_id,
            self.now
        ))
    }

    /// The member's timeline: what the import did, naming the file.
    fn event(&self, batch: &mut Batch, kind: &'static str, member: String) {
        batch.add(
            stmt!(
                concat!(
                    super::events::insert_event!(),
                    "SELECT m.organisation_id, m.id, c.id, ?1, ?2, ?3, ?4
                     FROM members m JOIN contacts c ON c.member_id = m.id AND c.is_self = 1 WHERE m.id = "
                ),
                kind,
                self.scope.user_id,
                self.import.file_name.as_str(),
                self.now
            )
            .then(Stmt::new(member)),
        );
    }
}

/// `… AND` the invitation is still open and not to `email`.
fn open_and_not_to(email: &str, now: i64) -> Stmt {
    stmt!(
        "accepted_at IS NULL AND revoked_at IS NULL AND declined_at IS NULL AND expires_at > :now
         AND email IS NOT :email",
        now = now,
        email = email
    )
}

/// The lines the import refused, and why, the first `limit` by line.
pub async fn refused(db: &dyn Db, import_id: i64, limit: i64) -> Result<Vec<RowError>, DbError> {
    fetch_all(
        db,
        stmt!(
            "SELECT line, reason FROM import_results WHERE import_id = ? AND outcome = 'refused' ORDER BY line LIMIT ?",
            import_id,
            limit
        ),
    )
    .await
}

pub async fn members_of(db: &dyn Db, scope: &StaffScope, import_id: i64) -> Result<Vec<i64>, DbError> {
    #[derive(Deserialize)]
    struct Member {
        member_id: i64,
    }
    let rows: Vec<Member> = fetch_all(
        db,
        stmt!(
            "SELECT r.member_id FROM import_results r JOIN imports i ON i.id = r.import_id
             WHERE r.import_id = ? AND i.organisation_id = ? AND r.member_id IS NOT NULL ORDER BY r.line",
            import_id,
            scope.organisation_id
        ),
    )
    .await?;
    Ok(rows.into_iter().map(|r| r.member_id).collect())
}

#[derive(Debug, Clone, Default, Deserialize)]
pub struct Counts {
    pub added: i64,
    pub updated: i64,
    pub unchanged: i64,
    pub refused: i64,
}

pub async fn counts(db: &dyn Db, import_id: i64) -> Result<Counts, DbError> {
    let counts = fetch_optional(
        db,
        stmt!(
            "SELECT count(*) FILTER (WHERE outcome = 'added') AS added,
                    count(*) FILTER (WHERE outcome = 'updated') AS updated,
                    count(*) FILTER (WHERE outcome = 'unchanged') AS unchanged,
                    count(*) FILTER (WHERE outcome = 'refused') AS refused
             FROM import_results WHERE import_id = ?",
            import_id
        ),
    )
    .await?;
    Ok(counts.unwrap_or_default())
}
