//! The storage port. Every query lives in this folder, written once in the SQLite dialect
//! that D1 also speaks, above a small executor trait that each target implements
//! (sqlx on the server, D1 on the Worker). Rows come back as JSON-like maps and are decoded
//! into row structs with serde, so no repository function sees an adapter's types.
//!
//! There are no interactive transactions: a multi-statement write is one atomic `batch`,
//! and its correctness lives in the SQL guards.

pub mod contacts;
pub mod dev_mailbox;
pub mod events;
pub mod groups;
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

/// One SQL statement and its positional (`?`) arguments, and where in the code it was
/// written: an error it meets says so (`DbError::at`), so a log names the statement.
#[derive(Debug, Clone)]
pub struct Stmt {
    /// Written in the code, never from input: a fixed string, or one assembled from fixed
    /// fragments (the member list's query for the chosen filter and order).
    pub sql: std::borrow::Cow<'static, str>,
    pub args: Vec<SqlValue>,
    pub origin: &'static std::panic::Location<'static>,
}

impl Stmt {
    /// A statement written where this is called (`stmt!`'s own caller).
    #[track_caller]
    pub fn new(sql: impl Into<std::borrow::Cow<'static, str>>) -> Self {
        Self { sql: sql.into(), args: Vec::new(), origin: std::panic::Location::caller() }
    }

    pub fn bind(mut self, value: impl Into<SqlValue>) -> Self {
        self.args.push(value.into());
        self
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

fn decode<T: DeserializeOwned>(row: Row) -> Result<T, DbError> {
    serde_json::from_value(serde_json::Value::Object(row)).map_err(|e| DbError::Decode(e.to_string()))
}

/// A `Stmt` from SQL text and arguments: `stmt!("… WHERE id = ?", id)`.
#[macro_export]
macro_rules! stmt {
    ($sql:expr $(, $arg:expr)* $(,)?) => {
        $crate::store::Stmt::new($sql)$(.bind($arg))*
    };
}
