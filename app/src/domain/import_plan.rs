//! What an import would do with each row, against the members already there: add, update,
//! leave unchanged, or refuse. A row finds its member by external id when the file has one
//! for it, else by e-mail, else (no id, no e-mail) by name among members who have neither;
//! whenever that is not exactly one member, or two rows find the same one, the row is
//! refused and says why: an import never merges two people on a guess.

use std::collections::HashMap;

use serde::Deserialize;

use super::import::{ImportRow, RowError};

/// A member already there, as an import compares a row with it.
#[derive(Debug, Clone, Deserialize)]
pub struct Existing {
    pub member_id: i64,
    pub first_name: String,
    pub last_name: String,
    pub email: Option<String>,
    pub phone: Option<String>,
    pub address: Option<String>,
    pub external_id: Option<String>,
    /// The member's representatives, each "first last <email>" lower-cased (`person_key`).
    #[serde(default)]
    pub representatives: Vec<String>,
    /// The names of the groups the member is in.
    #[serde(default)]
    pub groups: Vec<String>,
}

/// What happens to one row.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Action {
    Add,
    /// The member's details differ (`details`), or the row brings a representative or a
    /// group the member does not have yet.
    Update {
        member_id: i64,
        details: bool,
        representative: bool,
        group: bool,
    },
    Unchanged {
        member_id: i64,
    },
}

#[derive(Debug, Clone)]
pub struct Planned {
    pub row: ImportRow,
    pub action: Action,
}

/// Every row of the file, planned or refused, each list in line order.
#[derive(Debug, Default)]
pub struct Plan {
    pub planned: Vec<Planned>,
    pub refused: Vec<RowError>,
}

impl Plan {
    pub fn count(&self, kind: fn(&Action) -> bool) -> usize {
        self.planned.iter().filter(|p| kind(&p.action)).count()
    }
}

/// A person as `Existing::representatives` lists them: who the import takes as the same
/// representative.
pub fn person_key(first_name: &str, last_name: &str, email: Option<&str>) -> String {
    format!("{} {} <{}>", first_name, last_name, email.unwrap_or_default()).to_lowercase()
}

/// The plan of the rows (already checked one by one and against each other) against the
/// members there.
pub fn plan(rows: Vec<ImportRow>, mut refused: Vec<RowError>, existing: &[Existing]) -> Plan {
    let mut by_external_id: HashMap<String, Vec<usize>> = HashMap::new();
    let mut by_email: HashMap<String, Vec<usize>> = HashMap::new();
    let mut by_name: HashMap<String, Vec<usize>> = HashMap::new();
    for (index, member) in existing.iter().enumerate() {
        if let Some(id) = &member.external_id {
            by_external_id.entry(id.to_lowercase()).or_default().push(index);
        }
        if let Some(email) = &member.email {
            by_email.entry(email.to_lowercase()).or_default().push(index);
        }
        if member.email.is_none() && member.external_id.is_none() {
            by_name.entry(name_key(&member.first_name, &member.last_name)).or_default().push(index);
        }
    }
    // Beside the rows, not moved in with them: 100,000 rows are not copied once more.
    let matches: Vec<Result<Option<usize>, String>> =
        rows.iter().map(|row| find(row, existing, &by_external_id, &by_email, &by_name)).collect();
    drop((by_external_id, by_email, by_name));
    // Two rows of the file that find the same member: both refused, as two rows with the
    // same key are (`import::rows`).
    let mut lines_of: HashMap<usize, Vec<usize>> = HashMap::new();
    for (row, matched) in rows.iter().zip(&matches) {
        if let Ok(Some(index)) = matched {
            lines_of.entry(*index).or_default().push(row.line);
        }
    }
    let mut planned = Vec::with_capacity(rows.len());
    for (row, matched) in rows.into_iter().zip(matches) {
        let index = match matched {
            Err(reason) => {
                refused.push(RowError { line: row.line, reason });
                continue;
            }
            Ok(None) => {
                planned.push(Planned { row, action: Action::Add });
                continue;
            }
            Ok(Some(index)) => index,
        };
        let lines = &lines_of[&index];
        if lines.len() > 1 {
            let others: Vec<String> = lines.iter().filter(|l| **l != row.line).map(usize::to_string).collect();
            let member = &existing[index];
            refused.push(RowError {
                line: row.line,
                reason: format!(
                    "Line {} finds the same member, {} {}: say which row is theirs.",
                    others.join(", "),
                    member.first_name,
                    member.last_name
                ),
            });
            continue;
        }
        let action = compare(&row, &existing[index]);
        planned.push(Planned { row, action });
    }
    refused.sort_by_key(|e| e.line);
    Plan { planned, refused }
}

fn name_key(first_name: &str, last_name: &str) -> String {
    format!("{first_name} {last_name}").to_lowercase()
}

/// The member the row is about: `None` when there is none (the row adds one).
fn find(
    row: &ImportRow,
    existing: &[Existing],
    by_external_id: &HashMap<String, Vec<usize>>,
    by_email: &HashMap<String, Vec<usize>>,
    by_name: &HashMap<String, Vec<usize>>,
) -> Result<Option<usize>, String> {
    let one = |found: &[usize], what: &str| match found {
        [index] => Ok(Some(*index)),
        [] => Ok(None),
        many => Err(format!("{} members have this {what}: give each their own, or leave the row out.", many.len())),
    };
    if let Some(id) = &row.external_id {
        let found = by_external_id.get(&id.to_lowercase()).map_or(&[][..], Vec::as_slice);
        if !found.is_empty() {
            return one(found, "external id");
        }
        // A member typed in by hand before the file had ids: the same e-mail, and no id yet.
        let Some(email) = &row.email else { return Ok(None) };
        let without_id: Vec<usize> = by_email
            .get(email.as_str())
            .map_or(&[][..], Vec::as_slice)
            .iter()
            .copied()
            .filter(|index| existing[*index].external_id.is_none())
            .collect();
        return one(&without_id, "e-mail and no external id");
    }
    if let Some(email) = &row.email {
        return one(by_email.get(email.as_str()).map_or(&[][..], Vec::as_slice), "e-mail");
    }
    let name = name_key(row.first_name.as_str(), row.last_name.as_str());
    one(by_name.get(&name).map_or(&[][..], Vec::as_slice), "name and no e-mail")
}

fn compare(row: &ImportRow, member: &Existing) -> Action {
    let text = |value: Option<&str>| value.filter(|v| !v.is_empty()).map(str::to_owned);
    let details = row.first_name.as_str() != member.first_name
        || row.last_name.as_str() != member.last_name
        // A column the file does not have, or a cell left empty, changes nothing.
        || row.email.as_ref().is_some_and(|e| Some(e.as_str()) != member.email.as_deref())
        || row.phone.as_ref().is_some_and(|p| Some(p.as_str().to_owned()) != text(member.phone.as_deref()))
        || row.address.as_ref().is_some_and(|a| Some(a.as_str().to_owned()) != text(member.address.as_deref()))
        // Ids are found whatever their case, and kept as first given.
        || row.external_id.as_ref().is_some_and(|id| {
            member.external_id.as_ref().is_none_or(|have| have.to_lowercase() != id.to_lowercase())
        });
    let representative = row.representative.as_ref().is_some_and(|r| {
        let key = person_key(r.first_name.as_str(), r.last_name.as_str(), r.email.as_ref().map(|e| e.as_str()));
        !member.representatives.contains(&key)
    });
    let group = row.group.as_ref().is_some_and(|g| !member.groups.iter().any(|have| have == g));
    if details || representative || group {
        Action::Update { member_id: member.member_id, details, representative, group }
    } else {
        Action::Unchanged { member_id: member.member_id }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::import::{Column, Mapping, rows};

    fn member(id: i64, first: &str, last: &str, email: Option<&str>, external_id: Option<&str>) -> Existing {
        Existing {
            member_id: id,
            first_name: first.into(),
            last_name: last.into(),
            email: email.map(Into::into),
            phone: None,
            address: None,
            external_id: external_id.map(Into::into),
            representatives: Vec::new(),
            groups: Vec::new(),
        }
    }

    fn planned(headers: Vec<Column>, lines: &[&[&str]], existing: &[Existing]) -> Plan {
        let records: Vec<(usize, Vec<String>)> = lines
            .iter()
            .enumerate()
            .map(|(i, cells)| (i + 2, cells.iter().map(|c| (*c).to_owned()).collect()))
            .collect();
        let (good, refused) = rows(&Mapping(headers), records);
        plan(good, refused, existing)
    }

    fn actions(plan: &Plan) -> Vec<(usize, Action)> {
        plan.planned.iter().map(|p| (p.row.line, p.action.clone())).collect()
    }

    #[test]
    fn rows_find_members_by_external_id_then_e_mail_then_name() {
        let existing = [
            member(1, "Ada", "Lovelace", Some("ada@example.org"), Some("S-1")),
            member(2, "Grace", "Hopper", Some("grace@example.org"), None),
            member(3, "Alan", "Turing", None, None),
        ];
        let columns = vec![Column::ExternalId, Column::FirstName, Column::LastName, Column::Email];
        let plan = planned(
            columns,
            &[
                &["s-1", "Ada", "Lovelace", "ada@example.org"],
                &["S-2", "Grace", "Hopper", "grace@example.org"],
                &["", "Alan", "Turing", ""],
                &["", "Edsger", "Dijkstra", ""],
            ],
            &existing,
        );
        assert_eq!(
            actions(&plan),
            [
                (2, Action::Unchanged { member_id: 1 }),
                (3, Action::Update { member_id: 2, details: true, representative: false, group: false }),
                (4, Action::Unchanged { member_id: 3 }),
                (5, Action::Add),
            ]
        );
        assert!(plan.refused.is_empty());
    }

    #[test]
    fn a_row_that_finds_two_members_or_one_found_twice_is_refused() {
        let existing = [
            member(1, "Ada", "Lovelace", Some("ada@example.org"), Some("S-1")),
            member(2, "Ada", "Byron", Some("ada@example.org"), Some("S-1")),
            member(3, "Grace", "Hopper", Some("grace@example.org"), None),
        ];
        let columns = vec![Column::ExternalId, Column::FullName, Column::Email];
        let plan = planned(
            columns,
            &[
                &["S-1", "Ada Lovelace", "ada@example.org"],
                &["G-7", "Grace Hopper", "grace@example.org"],
                &["", "Grace Hopper", "grace@example.org"],
            ],
            &existing,
        );
        assert!(plan.planned.is_empty());
        let reasons: Vec<(usize, &str)> = plan.refused.iter().map(|e| (e.line, e.reason.as_str())).collect();
        assert_eq!(
            reasons,
            [
                (2, "2 members have this external id: give each their own, or leave the row out."),
                (3, "Line 4 finds the same member, Grace Hopper: say which row is theirs."),
                (4, "Line 3 finds the same member, Grace Hopper: say which row is theirs."),
            ]
        );
    }

    #[test]
    fn an_empty_cell_changes_nothing_and_a_new_representative_or_group_updates() {
        let mut ada = member(1, "Ada", "Lovelace", Some("ada@example.org"), None);
        ada.phone = Some("+44 20 7946 0000".into());
        ada.representatives = vec![person_key("Anne", "Byron", Some("anne@example.org"))];
        let columns = vec![
            Column::FullName,
            Column::Email,
            Column::Phone,
            Column::RepresentativeName,
            Column::RepresentativeEmail,
            Column::Group,
        ];
        let same = planned(
            columns.clone(),
            &[&["Ada Lovelace", "ada@example.org", "", "Anne Byron", "anne@example.org", ""]],
            &[ada.clone()],
        );
        assert_eq!(actions(&same), [(2, Action::Unchanged { member_id: 1 })]);
        let more = planned(
            columns,
            &[&["Ada Lovelace", "ada@example.org", "", "Anne Byron", "anne@example.org", "Judo"]],
            &[ada],
        );
        assert_eq!(
            actions(&more),
            [(2, Action::Update { member_id: 1, details: false, representative: false, group: true })]
        );
    }
}
