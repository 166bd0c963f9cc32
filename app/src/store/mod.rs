//! The storage port. Every query lives in this folder, written once in the SQLite dialect
//! that D1 also speaks, above a small executor trait that each target implements
//! (sqlx on the server, D1 on the Worker). Rows come back as JSON-like maps and are decoded
//! into row structs with serde, so no repository function sees an adapter's types.
//!
//! There are no interactive transactions: a multi-statement write is one atomic `batch`,
//! and its correctness lives in the SQL guards.

pub mod api_keys;
pub mod contacts;
pub mod dev_mailbox;
pub mod events;
pub mod groups;
pub mod idempotency;
pub mod imports;
pub mod invitations;
pub mod linking;
pub mod member_list;
pub mod members;
pub mod organisations;
pub mod outbox;
pub mod password_resets;
pub mod portal_records;
pub mod rate_limits;
pub mod rounds;
pub mod scope;
pub mod sessions;
pub mod team;
pub mod templates;
pub mod users;
pub mod webhooks;

use async_trait::async_trait;
use serde::de::DeserializeOwned;

pub type Row = serde_json::Map<String, serde_json::Value>;

#[derive(Debug, Clone, PartialEq)]
pub enum SqlValue {
    Null,
    Int(i64),
    Real(f64),
    Text(String),
    Blob(Vec<u8>),
}

impl From<i64> for SqlValue {
    fn from(v: i64) -> Self {
        Self::Int(v)
    }
}
impl From<bool> for SqlValue {
    fn from(v: bool) -> Self {
        Self::Int(i64::from(v))
    }
}
impl From<&str> for SqlValue {
    fn from(v: &str) -> Self {
        Self::Text(v.to_owned())
    }
}
impl From<String> for SqlValue {
    fn from(v: String) -> Self {
        Self::Text(v)
    }
}
impl From<&String> for SqlValue {
    fn from(v: &String) -> Self {
        Self::Text(v.clone())
    }
}
impl<T: Into<SqlValue>> From<Option<T>> for SqlValue {
    fn from(v: Option<T>) -> Self {
        v.map_or(Self::Null, Into::into)
    }
}

/// One SQL statement and its arguments, and where in the code it was written: an error it
/// meets says so (`DbError::at`), so a log names the statement. Its values are either all
/// positional (`?`, bound in order) or all named (`:member`, bound by name with `bind_as`,
/// as every statement built from the scope's fragments is): a fragment says what it needs
/// by name, so no caller counts question marks across it.
#[derive(Debug, Clone)]
pub struct Stmt {
    /// Written in the code, never from input: a fixed string, or one assembled from fixed
    /// fragments (the member list's query for the chosen filter and order).
    pub sql: std::borrow::Cow<'static, str>,
    pub args: Vec<SqlValue>,
    /// The name of each argument, in the same order, when the statement is named.
    pub names: Vec<&'static str>,
    pub origin: &'static std::panic::Location<'static>,
}

impl Stmt {
    /// A statement written where this is called (`stmt!`'s own caller).
    #[track_caller]
    pub fn new(sql: impl Into<std::borrow::Cow<'static, str>>) -> Self {
        Self { sql: sql.into(), args: Vec::new(), names: Vec::new(), origin: std::panic::Location::caller() }
    }

    pub fn bind(mut self, value: impl Into<SqlValue>) -> Self {
        self.args.push(value.into());
        self
    }

    /// Binds the value the SQL calls `:name`. The same name bound again with the same value
    /// (a fragment and its statement both needing the organisation) is one value.
    pub fn bind_as(mut self, name: &'static str, value: impl Into<SqlValue>) -> Self {
        let value = value.into();
        let known = self.names.iter().zip(&self.args).any(|(n, v)| *n == name && *v == value);
        if !known {
            self.names.push(name);
            self.args.push(value);
        }
        self
    }

    /// This statement's SQL followed by `more`'s, with the values of both (a guard's
    /// condition after the change it guards). Both positional or both named: a mix is
    /// refused by `text`.
    pub fn then(mut self, more: Stmt) -> Self {
        self.sql = format!("{}{}", self.sql, more.sql).into();
        if more.names.is_empty() {
            self.args.extend(more.args);
        } else {
            self = more.names.into_iter().zip(more.args).fold(self, |stmt, (name, value)| stmt.bind_as(name, value));
        }
        self
    }

    /// The SQL as the database reads it. In a named statement each `:name` becomes the
    /// number of its value (`?3`, which SQLite and D1 both read); a positional statement is
    /// as written. A name with no value, a value the SQL never names, a name bound twice
    /// with different values, or a `?` among names is refused here, never miscounted.
    pub fn text(&self) -> Result<std::borrow::Cow<'_, str>, DbError> {
        if self.names.is_empty() {
            return Ok(std::borrow::Cow::Borrowed(&self.sql));
        }
        let wrong = |what: String| Err(DbError::Backend(what).at(self.origin));
        if self.names.len() != self.args.len() {
            return wrong("the statement mixes `?` with named values".into());
        }
        if let Some(name) =
            self.names.iter().enumerate().find_map(|(i, name)| self.names[..i].contains(name).then_some(name))
        {
            return wrong(format!("the statement binds :{name} twice, with different values"));
        }
        let sql = &*self.sql;
        let mut numbered = String::with_capacity(sql.len());
        let mut used = vec![false; self.names.len()];
        let mut copied = 0;
        let mut quote = None;
        let mut at = 0;
        while let Some(c) = sql[at..].chars().next() {
            let next = at + c.len_utf8();
            match (quote, c) {
                (Some(open), c) if c == open => quote = None,
                (Some(_), _) => {}
                (None, '\'' | '"') => quote = Some(c),
                (None, '?') => return wrong("the statement mixes `?` with named values".into()),
                (None, ':') => {
                    let end = sql[next..]
                        .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
                        .map_or(sql.len(), |length| next + length);
                    let name = &sql[next..end];
                    if !name.is_empty() {
                        let Some(number) = self.names.iter().position(|bound| *bound == name) else {
                            return wrong(format!("the statement names :{name} but binds no value for it"));
                        };
                        used[number] = true;
                        numbered.push_str(&sql[copied..at]);
                        numbered.push('?');
                        numbered.push_str(&(number + 1).to_string());
                        copied = end;
                        at = end;
                        continue;
                    }
                }
                (None, _) => {}
            }
            at = next;
        }
        numbered.push_str(&sql[copied..]);
        match used.iter().position(|used| !used) {
            Some(unused) => wrong(format!("the statement binds :{} but never names it", self.names[unused])),
            None => Ok(std::borrow::Cow::Owned(numbered)),
        }
    }
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Changes {
    pub rows_affected: u64,
    pub last_insert_id: i64,
}

#[derive(Debug, thiserror::Error)]
pub enum DbError {
    #[error("constraint violated: {0}")]
    Constraint(String),
    #[error("database error: {0}")]
    Backend(String),
    #[error("row could not be decoded: {0}")]
    Decode(String),
}

impl DbError {
    /// The same error, saying which statement met it ("app/src/store/rounds.rs:237:5: …").
    pub fn at(self, origin: &std::panic::Location<'_>) -> Self {
        let place = |message: String| format!("{origin}: {message}");
        match self {
            DbError::Constraint(message) => DbError::Constraint(place(message)),
            DbError::Backend(message) => DbError::Backend(place(message)),
            DbError::Decode(message) => DbError::Decode(place(message)),
        }
    }
}

#[async_trait]
pub trait Db: Send + Sync {
    async fn fetch_all(&self, q: Stmt) -> Result<Vec<Row>, DbError>;
    async fn execute(&self, q: Stmt) -> Result<Changes, DbError>;
    /// Runs every statement or none of them, in order.
    async fn batch(&self, qs: Vec<Stmt>) -> Result<Vec<Changes>, DbError>;
}

/// Statements run as one batch (`Db::batch`: all or none), each result read back through
/// the `Step` its `add` gave: a statement added before it later cannot shift what is read.
#[derive(Default)]
pub struct Batch(Vec<Stmt>);

/// Where a statement stands in its `Batch`.
#[derive(Debug, Clone, Copy)]
pub struct Step(usize);

/// What each statement of a batch changed, by its `Step`.
pub struct Done(Vec<Changes>);

impl Batch {
    pub fn add(&mut self, statement: Stmt) -> Step {
        self.0.push(statement);
        Step(self.0.len() - 1)
    }

    /// Statements whose results nobody reads.
    pub fn add_all(&mut self, statements: impl IntoIterator<Item = Stmt>) {
        self.0.extend(statements);
    }

    pub async fn run(self, db: &dyn Db) -> Result<Done, DbError> {
        Ok(Done(db.batch(self.0).await?))
    }
}

impl std::ops::Index<Step> for Done {
    type Output = Changes;

    fn index(&self, step: Step) -> &Changes {
        &self.0[step.0]
    }
}

pub(crate) async fn fetch_all<T: DeserializeOwned>(db: &dyn Db, q: Stmt) -> Result<Vec<T>, DbError> {
    let origin = q.origin;
    let rows = db.fetch_all(q).await?;
    rows.into_iter().map(decode).collect::<Result<_, _>>().map_err(|e| e.at(origin))
}

pub(crate) async fn fetch_optional<T: DeserializeOwned>(db: &dyn Db, q: Stmt) -> Result<Option<T>, DbError> {
    let origin = q.origin;
    let row = db.fetch_all(q).await?.into_iter().next();
    row.map(decode).transpose().map_err(|e| e.at(origin))
}

/// Whether the query returns any row.
pub(crate) async fn exists(db: &dyn Db, q: Stmt) -> Result<bool, DbError> {
    Ok(!db.fetch_all(q).await?.is_empty())
}

/// A 0/1 column as a bool (`#[serde(deserialize_with = "super::flag")]`): SQLite has no
/// booleans, and D1 answers its integers as JSON numbers.
pub(crate) fn flag<'de, D: serde::Deserializer<'de>>(value: D) -> Result<bool, D::Error> {
    Ok(<f64 as serde::Deserialize>::deserialize(value)? != 0.0)
}

fn decode<T: DeserializeOwned>(row: Row) -> Result<T, DbError> {
    serde_json::from_value(serde_json::Value::Object(row)).map_err(|e| DbError::Decode(e.to_string()))
}

/// A `Stmt` from SQL text and arguments: `stmt!("… WHERE id = ?", id)`, or named:
/// `stmt!("… WHERE id = :member", member = id)`.
#[macro_export]
macro_rules! stmt {
    ($sql:expr, $($name:ident = $arg:expr),+ $(,)?) => {
        $crate::store::Stmt::new($sql)$(.bind_as(stringify!($name), $arg))+
    };
    ($sql:expr $(, $arg:expr)* $(,)?) => {
        $crate::store::Stmt::new($sql)$(.bind($arg))*
    };
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text(stmt: &Stmt) -> Result<String, String> {
        stmt.text().map(|sql| sql.into_owned()).map_err(|e| e.to_string())
    }

    #[test]
    fn named_values_are_numbered_by_the_order_they_were_bound() {
        let stmt = stmt!("SELECT 1 WHERE a = :b AND c = :a AND d = :b", a = 1, b = 2);
        assert_eq!(text(&stmt).unwrap(), "SELECT 1 WHERE a = ?2 AND c = ?1 AND d = ?2");
        assert_eq!(stmt.args, vec![SqlValue::Int(1), SqlValue::Int(2)]);
    }

    #[test]
    fn names_inside_quotes_are_text() {
        let stmt = stmt!("SELECT ':a', \"x:a\", strftime('%H:%M', :a), '?' WHERE '' = :a", a = 1);
        assert_eq!(text(&stmt).unwrap(), "SELECT ':a', \"x:a\", strftime('%H:%M', ?1), '?' WHERE '' = ?1");
    }

    #[test]
    fn the_same_name_bound_twice_with_the_same_value_is_one_value() {
        let stmt = stmt!("SELECT :now", now = 5).bind_as("now", 5);
        assert_eq!((text(&stmt).unwrap().as_str(), stmt.args.len()), ("SELECT ?1", 1));
    }

    #[test]
    fn a_statement_that_could_miscount_is_refused() {
        let refused = [
            (stmt!("SELECT :a, :b", a = 1), "binds no value for it"),
            (stmt!("SELECT :a", a = 1, b = 2), "binds :b but never names it"),
            (stmt!("SELECT :a", a = 1).bind_as("a", 2), "twice, with different values"),
            (stmt!("SELECT :a, ?", a = 1), "mixes"),
            (stmt!("SELECT ?, :a", 1).bind_as("a", 2), "mixes"),
        ];
        for (stmt, why) in refused {
            let error = text(&stmt).unwrap_err();
            assert!(error.contains(why) && error.contains("store/mod.rs"), "{}: {error}", stmt.sql);
        }
    }

    #[test]
    fn a_flag_column_reads_as_a_bool_from_either_target() {
        #[derive(serde::Deserialize)]
        struct Flags {
            #[serde(deserialize_with = "super::flag")]
            on: bool,
            #[serde(deserialize_with = "super::flag")]
            off: bool,
        }
        // SQLite through sqlx answers integers; D1 answers JavaScript numbers.
        for row in [serde_json::json!({"on": 1, "off": 0}), serde_json::json!({"on": 1.0, "off": 0.0})] {
            let Flags { on, off } = decode(row.as_object().unwrap().clone()).unwrap();
            assert!(on && !off);
        }
    }

    #[test]
    fn positional_statements_are_as_written() {
        let stmt = stmt!("SELECT ? WHERE x = ':a'", 1);
        assert_eq!(text(&stmt).unwrap(), "SELECT ? WHERE x = ':a'");
    }

    #[test]
    fn a_guard_follows_the_change_with_its_values() {
        let named = stmt!("UPDATE t SET a = :a WHERE ", a = 1).then(stmt!("b = :b AND a = :a", b = 2, a = 1));
        assert_eq!(text(&named).unwrap(), "UPDATE t SET a = ?1 WHERE b = ?2 AND a = ?1");
        let positional = stmt!("UPDATE t SET a = ? WHERE ", 1).then(stmt!("b = ?", 2));
        assert_eq!(positional.args, vec![SqlValue::Int(1), SqlValue::Int(2)]);
    }
}
