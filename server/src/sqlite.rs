//! The store's executor over an embedded SQLite file (sqlx). A batch runs inside one
//! `BEGIN IMMEDIATE` transaction: all of it or none of it, and no other writer in between.

use std::path::Path;
use std::str::FromStr;
use std::sync::Mutex;
use std::time::Duration;

use async_trait::async_trait;
use portico_app::store::{Changes, Db, DbError, Row, SqlValue, Stmt};
use sqlx::migrate::Migrator;
use sqlx::sqlite::{SqliteArguments, SqliteConnectOptions, SqliteConnection, SqliteJournalMode, SqliteSynchronous};
use sqlx::{Column, ConnectOptions, Connection, Executor, Row as _, Sqlite, TypeInfo, ValueRef};
use tokio::sync::{Semaphore, SemaphorePermit};

use crate::migrations;

/// Connections to the file open at once: readers run side by side (WAL), writers queue on
/// SQLite's lock.
const CONNECTIONS: usize = 8;

pub struct SqliteDb {
    connections: Connections,
}

impl SqliteDb {
    /// Opens (creating it if needed) and migrates the database file.
    pub async fn open(path: &Path) -> Result<Self, sqlx::Error> {
        let options = SqliteConnectOptions::from_str("sqlite://")?
            .filename(path)
            .create_if_missing(true)
            .journal_mode(SqliteJournalMode::Wal)
            .synchronous(SqliteSynchronous::Normal)
            .foreign_keys(true)
            // 32 MiB of page cache a connection (SQLite's default is 2 MiB), and the file
            // mapped rather than read: at 100,000 members, rounds and the list otherwise
            // spend their time copying pages out of the file.
            .pragma("cache_size", "-32768")
            .pragma("mmap_size", "268435456")
            .busy_timeout(Duration::from_secs(10));
        let mut first = options.connect().await?;
        Migrator::new(migrations::Embedded(migrations::FILES)).await?.run(&mut first).await?;
        let mut idle = vec![first];
        while idle.len() < CONNECTIONS {
            idle.push(options.connect().await?);
        }
        Ok(Self { connections: Connections { idle: Mutex::new(idle), free: Semaphore::new(CONNECTIONS) } })
    }
}

/// The open connections, lent to one statement or batch at a time. Not sqlx's pool: it
/// pings a connection's thread each time it is returned (and by default each time it is
/// lent), two round trips between threads as dear as the statement itself, for a file that
/// cannot drop the line. A transaction left open by a cancelled request is rolled back by
/// sqlx on the connection's own thread before whatever it runs next.
struct Connections {
    idle: Mutex<Vec<SqliteConnection>>,
    free: Semaphore,
}

struct Lent<'a> {
    connection: Option<SqliteConnection>,
    from: &'a Connections,
    _permit: SemaphorePermit<'a>,
}

impl Connections {
    async fn lend(&self) -> Lent<'_> {
        let permit = self.free.acquire().await.expect("the semaphore is never closed");
        let connection = self.idle.lock().expect("no panic holds this lock").pop();
        Lent { connection, from: self, _permit: permit }
    }
}

impl Lent<'_> {
    fn connection(&mut self) -> &mut SqliteConnection {
        self.connection.as_mut().expect("a permit always finds a connection")
    }
}

impl Drop for Lent<'_> {
    fn drop(&mut self) {
        if let Some(connection) = self.connection.take() {
            self.from.idle.lock().expect("no panic holds this lock").push(connection);
        }
    }
}

type Query<'q> = sqlx::query::Query<'q, Sqlite, SqliteArguments<'q>>;

fn query<'q>(sql: &'q str, stmt: &'q Stmt) -> Query<'q> {
    stmt.args.iter().fold(sqlx::query(sql), |q, arg| match arg {
        SqlValue::Null => q.bind(None::<i64>),
        SqlValue::Int(v) => q.bind(*v),
        SqlValue::Real(v) => q.bind(*v),
        SqlValue::Text(v) => q.bind(v.as_str()),
        SqlValue::Blob(v) => q.bind(v.as_slice()),
    })
}

fn to_json(row: &sqlx::sqlite::SqliteRow) -> Result<Row, DbError> {
    let mut map = Row::new();
    for (i, column) in row.columns().iter().enumerate() {
        let raw = row.try_get_raw(i).map_err(decode_error)?;
        let value = if raw.is_null() {
            serde_json::Value::Null
        } else {
            match raw.type_info().name() {
                "INTEGER" | "BOOLEAN" => row.try_get::<i64, _>(i).map_err(decode_error)?.into(),
                "REAL" => row.try_get::<f64, _>(i).map_err(decode_error)?.into(),
                "BLOB" => row.try_get::<Vec<u8>, _>(i).map_err(decode_error)?.into(),
                _ => row.try_get::<String, _>(i).map_err(decode_error)?.into(),
            }
        };
        map.insert(column.name().to_owned(), value);
    }
    Ok(map)
}

fn decode_error(e: sqlx::Error) -> DbError {
    DbError::Decode(e.to_string())
}

fn db_error(e: sqlx::Error) -> DbError {
    match &e {
        sqlx::Error::Database(d)
            if d.is_unique_violation() || d.is_foreign_key_violation() || d.is_check_violation() =>
        {
            DbError::Constraint(d.message().to_owned())
        }
        _ => DbError::Backend(e.to_string()),
    }
}

fn changes(result: sqlx::sqlite::SqliteQueryResult) -> Changes {
    Changes { rows_affected: result.rows_affected(), last_insert_id: result.last_insert_rowid() }
}

#[async_trait]
impl Db for SqliteDb {
    async fn fetch_all(&self, q: Stmt) -> Result<Vec<Row>, DbError> {
        let sql = q.text()?;
        let mut lent = self.connections.lend().await;
        let rows = lent.connection().fetch_all(query(&sql, &q)).await.map_err(|e| db_error(e).at(q.origin))?;
        rows.iter().map(to_json).collect::<Result<_, _>>().map_err(|e| e.at(q.origin))
    }

    async fn execute(&self, q: Stmt) -> Result<Changes, DbError> {
        let sql = q.text()?;
        let mut lent = self.connections.lend().await;
        lent.connection().execute(query(&sql, &q)).await.map(changes).map_err(|e| db_error(e).at(q.origin))
    }

    async fn batch(&self, qs: Vec<Stmt>) -> Result<Vec<Changes>, DbError> {
        let texts = qs.iter().map(Stmt::text).collect::<Result<Vec<_>, _>>()?;
        let mut lent = self.connections.lend().await;
        let mut tx = lent.connection().begin_with("BEGIN IMMEDIATE").await.map_err(db_error)?;
        let mut all = Vec::with_capacity(qs.len());
        for (sql, q) in texts.iter().zip(&qs) {
            all.push(changes((&mut *tx).execute(query(sql, q)).await.map_err(|e| db_error(e).at(q.origin))?));
        }
        tx.commit().await.map_err(db_error)?;
        Ok(all)
    }
}
