//! Members from a spreadsheet: what each column holds (guessed from its header, changeable),
//! each row checked as the add-member form checks it, and a file that names one person
//! twice refused on both lines rather than merged.

use std::collections::HashMap;

use serde::{Deserialize, Serialize};

use super::{Email, PersonName, Phone, PostalAddress, Relation};

/// What a column of the file holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Column {
    Ignore,
    FirstName,
    LastName,
    /// First and last name in one cell: the last word is the last name.
    FullName,
    Email,
    Phone,
    Address,
    ExternalId,
    RepresentativeName,
    RepresentativeEmail,
    RepresentativeRelation,
    /// Whether the representative is the primary contact.
    Primary,
    Group,
}

impl Column {
    pub const ALL: [Column; 13] = [
        Column::Ignore,
        Column::FirstName,
        Column::LastName,
        Column::FullName,
        Column::Email,
        Column::Phone,
        Column::Address,
        Column::ExternalId,
        Column::RepresentativeName,
        Column::RepresentativeEmail,
        Column::RepresentativeRelation,
        Column::Primary,
        Column::Group,
    ];

    pub fn slug(self) -> &'static str {
        match self {
            Column::Ignore => "ignore",
            Column::FirstName => "first_name",
            Column::LastName => "last_name",
            Column::FullName => "full_name",
            Column::Email => "email",
            Column::Phone => "phone",
            Column::Address => "address",
            Column::ExternalId => "external_id",
            Column::RepresentativeName => "representative_name",
            Column::RepresentativeEmail => "representative_email",
            Column::RepresentativeRelation => "representative_relation",
            Column::Primary => "primary",
            Column::Group => "group",
        }
    }

    pub fn from_slug(slug: &str) -> Option<Column> {
        Column::ALL.into_iter().find(|c| c.slug() == slug)
    }

    pub fn label(self) -> &'static str {
        match self {
            Column::Ignore => "Do not import",
            Column::FirstName => "First name",
            Column::LastName => "Last name",
            Column::FullName => "Full name",
            Column::Email => "E-mail",
            Column::Phone => "Phone",
            Column::Address => "Address",
            Column::ExternalId => "External id",
            Column::RepresentativeName => "Representative's name",
            Column::RepresentativeEmail => "Representative's e-mail",
            Column::RepresentativeRelation => "Representative's relation",
            Column::Primary => "Representative is the primary contact",
            Column::Group => "Group",
        }
    }

    /// The column a header most likely names, in the words spreadsheets of schools, clubs and
    /// practices use; anything else is not imported until someone says what it is.
    pub fn guess(header: &str) -> Column {
        let key: String = header.chars().filter(|c| c.is_alphanumeric()).flat_map(char::to_lowercase).collect();
        let representative = ["parent", "guardian", "representative", "contact", "bookkeeper", "carer"]
            .iter()
            .find_map(|who| key.strip_prefix(who).or_else(|| key.strip_suffix(who)).filter(|rest| !rest.is_empty()));
        if let Some(rest) = representative {
            return match rest {
                "name" | "fullname" => Column::RepresentativeName,
                "email" | "emailaddress" | "mail" => Column::RepresentativeEmail,
                "relation" | "relationship" | "role" => Column::RepresentativeRelation,
                "primary" | "isprimary" => Column::Primary,
                _ => Column::Ignore,
            };
        }
        match key.as_str() {
            "firstname" | "first" | "givenname" | "forename" | "forenames" => Column::FirstName,
            "lastname" | "last" | "surname" | "familyname" => Column::LastName,
            "name" | "fullname" | "membername" | "clientname" | "studentname" => Column::FullName,
            "email" | "emailaddress" | "mail" | "memberemail" => Column::Email,
            "phone" | "telephone" | "tel" | "mobile" | "phonenumber" | "mobilenumber" | "cell" => Column::Phone,
            "address" | "postaladdress" | "homeaddress" => Column::Address,
            "externalid" | "id" | "memberid" | "membernumber" | "memberno" | "studentid" | "clientid" | "reference"
            | "ref" => Column::ExternalId,
            "relation" | "relationship" => Column::RepresentativeRelation,
            "primary" | "primarycontact" => Column::Primary,
            "group" | "groups" | "class" | "team" | "form" => Column::Group,
            _ => Column::Ignore,
        }
    }
}

/// Which column holds what: one entry per column of the file, in its order.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Mapping(pub Vec<Column>);

impl Mapping {
    pub fn guess(headers: &[String]) -> Mapping {
        let mut taken = Vec::new();
        Mapping(
            headers
                .iter()
                .map(|header| {
                    // A second column guessed as the same thing is left for a person to place.
                    let column = Column::guess(header);
                    if column != Column::Ignore && taken.contains(&column) {
                        return Column::Ignore;
                    }
                    taken.push(column);
                    column
                })
                .collect(),
        )
    }

    /// A mapping that names each member: first and last name, or a full name; each thing at
    /// most once.
    pub fn check(&self) -> Result<(), String> {
        for column in Column::ALL.into_iter().filter(|c| *c != Column::Ignore) {
            if self.0.iter().filter(|c| **c == column).count() > 1 {
                return Err(format!("Only one column can be \"{}\".", column.label()));
            }
        }
        let has = |column| self.0.contains(&column);
        let named = has(Column::FullName) || (has(Column::FirstName) && has(Column::LastName));
        if !named {
            return Err("Choose the columns with the members' names: first and last name, or a full name.".into());
        }
        if has(Column::FullName) && (has(Column::FirstName) || has(Column::LastName)) {
            return Err("Choose either a full name column or first and last name columns, not both.".into());
        }
        Ok(())
    }

    fn cell<'a>(&self, cells: &'a [String], column: Column) -> &'a str {
        self.0.iter().position(|c| *c == column).and_then(|i| cells.get(i)).map_or("", |s| s.trim())
    }

    pub fn has(&self, column: Column) -> bool {
        self.0.contains(&column)
    }
}

/// A row that can be imported.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImportRow {
    pub line: usize,
    pub first_name: PersonName,
    pub last_name: PersonName,
    pub email: Option<Email>,
    pub phone: Option<Phone>,
    pub address: Option<PostalAddress>,
    pub external_id: Option<String>,
    pub representative: Option<Representative>,
    pub group: Option<String>,
}

impl ImportRow {
    /// How the row finds the member it may update: its external id when the file has them,
    /// otherwise its e-mail.
    pub fn key(&self) -> Option<String> {
        self.external_id.clone().or_else(|| self.email.as_ref().map(|e| e.as_str().to_owned()))
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Representative {
    pub first_name: PersonName,
    pub last_name: PersonName,
    pub email: Option<Email>,
    pub relation: Option<Relation>,
    pub primary: bool,
}

/// A row that cannot be imported, and why, in words a person fixes the spreadsheet by.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RowError {
    pub line: usize,
    pub reason: String,
}

/// The longest external id or group name kept.
const MAX_FIELD: usize = 100;

/// One record as a row to import, or the first thing wrong with it.
pub fn row(mapping: &Mapping, line: usize, cells: &[String]) -> Result<ImportRow, RowError> {
    let fail = |reason: String| RowError { line, reason };
    let cell = |column| mapping.cell(cells, column);
    let (first, last) = if mapping.has(Column::FullName) {
        split_name(cell(Column::FullName))
    } else {
        (cell(Column::FirstName), cell(Column::LastName))
    };
    if first.is_empty() && last.is_empty() {
        return Err(fail("No name.".into()));
    }
    let first_name = PersonName::parse(first).map_err(|e| fail(format!("First name: {e}")))?;
    let last_name = PersonName::parse(last).map_err(|e| fail(format!("Last name: {e}")))?;
    let email = optional(cell(Column::Email), Email::parse).map_err(|e| fail(format!("E-mail not valid: {e}")))?;
    let phone = Phone::parse(cell(Column::Phone)).map_err(|e| fail(format!("Phone: {e}")))?;
    let address = PostalAddress::parse(cell(Column::Address)).map_err(|e| fail(format!("Address: {e}")))?;
    let external_id = short_text(cell(Column::ExternalId)).map_err(|e| fail(format!("External id: {e}")))?;
    let group = short_text(cell(Column::Group)).map_err(|e| fail(format!("Group: {e}")))?;
    let representative = representative(mapping, cells).map_err(fail)?;
    Ok(ImportRow { line, first_name, last_name, email, phone, address, external_id, representative, group })
}

fn representative(mapping: &Mapping, cells: &[String]) -> Result<Option<Representative>, String> {
    let cell = |column| mapping.cell(cells, column);
    let name = cell(Column::RepresentativeName);
    let email = cell(Column::RepresentativeEmail);
    if name.is_empty() && email.is_empty() {
        return Ok(None);
    }
    if name.is_empty() {
        return Err("The representative's e-mail is there but not their name.".into());
    }
    let (first, last) = split_name(name);
    Ok(Some(Representative {
        first_name: PersonName::parse(first).map_err(|e| format!("Representative's name: {e}"))?,
        last_name: PersonName::parse(last)
            .map_err(|_| "Representative's name: write their first and last name.".to_owned())?,
        email: optional(email, Email::parse).map_err(|e| format!("Representative's e-mail not valid: {e}"))?,
        relation: Relation::parse(cell(Column::RepresentativeRelation))
            .map_err(|e| format!("Representative's relation: {e}"))?,
        primary: yes(cell(Column::Primary)).map_err(|e| format!("Primary: {e}"))?,
    }))
}

/// "Ada King Lovelace" → ("Ada King", "Lovelace"); "Lovelace, Ada" → ("Ada", "Lovelace").
fn split_name(full: &str) -> (&str, &str) {
    if let Some((last, first)) = full.split_once(',') {
        return (first.trim(), last.trim());
    }
    full.trim().rsplit_once(char::is_whitespace).map_or(("", full.trim()), |(first, last)| (first.trim(), last))
}

fn optional<T>(text: &str, parse: fn(&str) -> Result<T, &'static str>) -> Result<Option<T>, &'static str> {
    if text.is_empty() { Ok(None) } else { parse(text).map(Some) }
}

fn short_text(text: &str) -> Result<Option<String>, &'static str> {
    if text.is_empty() {
        return Ok(None);
    }
    if text.chars().count() > MAX_FIELD {
        return Err("too long (100 characters at most).");
    }
    if super::has_forbidden_chars(text, false) {
        return Err("write it on one line, without control characters.");
    }
    Ok(Some(text.to_owned()))
}

fn yes(text: &str) -> Result<bool, &'static str> {
    match text.to_lowercase().as_str() {
        "" | "no" | "n" | "false" | "0" => Ok(false),
        "yes" | "y" | "true" | "1" | "x" | "✓" => Ok(true),
        _ => Err("write yes or no."),
    }
}

/// The rows of a file, checked one by one and then against each other: two rows that would
/// find the same member (the same external id, or without ids the same e-mail) are both
/// refused, each naming the other line, so that no one is merged by accident.
pub fn rows(mapping: &Mapping, records: Vec<(usize, Vec<String>)>) -> (Vec<ImportRow>, Vec<RowError>) {
    let mut rows = Rows::default();
    for (line, cells) in records {
        rows.read(mapping, line, &cells);
    }
    rows.finish()
}

/// The rows of a file as it is read, one record at a time (`rows` in steps): 100,000
/// records need not sit beside their rows.
#[derive(Default)]
pub struct Rows {
    good: Vec<ImportRow>,
    errors: Vec<RowError>,
}

impl Rows {
    pub fn read(&mut self, mapping: &Mapping, line: usize, cells: &[String]) {
        match row(mapping, line, cells) {
            Ok(row) => self.good.push(row),
            Err(error) => self.errors.push(error),
        }
    }

    /// The rows, and every row refused (each line once, in order).
    pub fn finish(self) -> (Vec<ImportRow>, Vec<RowError>) {
        let Self { mut good, mut errors } = self;
        let mut lines_of: HashMap<String, Vec<usize>> = HashMap::new();
        for row in &good {
            if let Some(key) = row.key() {
                lines_of.entry(key.to_lowercase()).or_default().push(row.line);
            }
        }
        // In place: a second list of 100,000 rows would double them for a moment.
        good.retain(|row| {
            let Some(key) = row.key() else { return true };
            let lines = &lines_of[&key.to_lowercase()];
            if lines.len() == 1 {
                return true;
            }
            let others: Vec<String> = lines.iter().filter(|line| **line != row.line).map(usize::to_string).collect();
            let by = if row.external_id.is_some() { "external id" } else { "e-mail" };
            errors.push(RowError {
                line: row.line,
                reason: format!("The same person twice in the file: line {} has the same {by}.", others.join(", ")),
            });
            false
        });
        errors.sort_by_key(|e| e.line);
        (good, errors)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn strings(cells: &[&str]) -> Vec<String> {
        cells.iter().map(|s| (*s).to_owned()).collect()
    }

    #[test]
    fn headers_as_schools_and_practices_write_them_are_guessed() {
        let headers = strings(&[
            "First Name",
            "Surname",
            "E-mail address",
            "Mobile",
            "Student ID",
            "Parent Name",
            "Parent e-mail",
            "Relationship",
            "Class",
            "Notes",
            "Email",
        ]);
        assert_eq!(
            Mapping::guess(&headers).0,
            [
                Column::FirstName,
                Column::LastName,
                Column::Email,
                Column::Phone,
                Column::ExternalId,
                Column::RepresentativeName,
                Column::RepresentativeEmail,
                Column::RepresentativeRelation,
                Column::Group,
                Column::Ignore,
                Column::Ignore,
            ]
        );
        assert_eq!(Column::guess("Name"), Column::FullName);
        assert_eq!(Column::guess("Guardian relationship"), Column::RepresentativeRelation);
    }

    #[test]
    fn a_mapping_must_name_the_member_once() {
        assert!(Mapping(vec![Column::FullName]).check().is_ok());
        assert!(Mapping(vec![Column::FirstName, Column::LastName]).check().is_ok());
        assert!(Mapping(vec![Column::FirstName, Column::Email]).check().unwrap_err().contains("names"));
        assert!(Mapping(vec![Column::FullName, Column::Email, Column::Email]).check().unwrap_err().contains("E-mail"));
        assert!(Mapping(vec![Column::FullName, Column::LastName]).check().unwrap_err().contains("not both"));
    }

    #[test]
    fn a_row_is_checked_as_the_add_member_form_checks_it() {
        let mapping = Mapping(vec![Column::FullName, Column::Email, Column::RepresentativeName, Column::Primary]);
        let good = row(&mapping, 2, &strings(&["Ada King Lovelace", "ADA@Example.org ", "Anne Byron", "yes"])).unwrap();
        assert_eq!((good.first_name.as_str(), good.last_name.as_str()), ("Ada King", "Lovelace"));
        assert_eq!(good.email.unwrap().as_str(), "ada@example.org");
        assert!(good.representative.unwrap().primary);
        let reason = |cells: &[&str]| row(&mapping, 7, &strings(cells)).unwrap_err();
        assert_eq!(reason(&["", "a@b.org", "", ""]), RowError { line: 7, reason: "No name.".into() });
        assert!(reason(&["Ada Lovelace", "not an address", "", ""]).reason.starts_with("E-mail not valid"));
        assert!(reason(&["Ada Lovelace", "", "Anne Byron", "maybe"]).reason.starts_with("Primary"));
        assert_eq!(split_name("Lovelace, Ada"), ("Ada", "Lovelace"));
    }

    #[test]
    fn the_same_person_twice_is_refused_on_both_lines() {
        let mapping = Mapping(vec![Column::FirstName, Column::LastName, Column::Email]);
        let records = vec![
            (2, strings(&["Ada", "Lovelace", "ada@example.org"])),
            (3, strings(&["Grace", "Hopper", "grace@example.org"])),
            (4, strings(&["Ada", "King", "ADA@example.org"])),
            (5, strings(&["No", "Mail", ""])),
            (6, strings(&["No", "Mail", ""])),
        ];
        let (good, errors) = rows(&mapping, records);
        assert_eq!(good.iter().map(|r| r.line).collect::<Vec<_>>(), [3, 5, 6]);
        assert_eq!(
            errors,
            [
                RowError { line: 2, reason: "The same person twice in the file: line 4 has the same e-mail.".into() },
                RowError { line: 4, reason: "The same person twice in the file: line 2 has the same e-mail.".into() },
            ]
        );
    }
}
