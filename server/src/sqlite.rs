//! The store's executor over an embedded SQLite file. sqlx migrates the file when it is
//! opened; statements then run through rusqlite (the same linked SQLite) on the thread that
//! asks: a read takes microseconds, and handing it to a connection's own thread and back,
//! as sqlx's driver does, cost more than the read (a quarter of a page's time). A batch
//! runs inside one `BEGIN IMMEDIATE` transaction: all of it or none of it, and no other
//! writer in between.

use std::path::Path;
use std::str::FromStr;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use async_trait::async_trait;
use portico_app::store::{Changes, Db, DbError, Row, SqlValue, Stmt};
use rusqlite::types::{ToSqlOutput, ValueRef};
use rusqlite::{Connection, OpenFlags};
use sqlx::migrate::Migrator;
use sqlx::sqlite::SqliteConnectOptions;
use sqlx::{ConnectOptions, Connection as _};
use tokio::sync::{Semaphore, SemaphorePermit};

use crate::migrations;

/// Connections to the file open at once: readers run side by side (WAL), writers queue on
/// SQLite's lock.
const CONNECTIONS: usize = 8;
/// How long a writer waits for another's transaction before giving up.
const BUSY_TIMEOUT: Duration = Duration::from_secs(10);
/// A statement slower than this is logged with the place it was written.
const SLOW: Duration = Duration::from_secs(1);

#[derive(Debug, thiserror::Error)]
pub enum OpenError {
    #[error("{0}")]
    Migrate(#[from] sqlx::Error),
    #[error("{0}")]
    Open(#[from] rusqlite::Error),
}

pub struct SqliteDb {
    connections: Connections,
}

impl SqliteDb {
    /// Opens (creating it if needed) and migrates the database file.
    pub async fn open(path: &Path) -> Result<Self, OpenError> {
        let mut migrating = SqliteConnectOptions::from_str("sqlite://")?
            .filename(path)
            .create_if_missing(true)
            .busy_timeout(BUSY_TIMEOUT)
            .connect()
            .await?;
        let migrator = Migrator::new(migrations::Embedded(migrations::FILES)).await.map_err(sqlx::Error::from)?;
        migrator.run(&mut migrating).await.map_err(sqlx::Error::from)?;
        migrating.close().await?;
        let idle = (0..CONNECTIONS).map(|_| connect(path)).collect::<Result<Vec<_>, _>>()?;
        Ok(Self { connections: Connections { idle: Mutex::new(idle), free: Semaphore::new(CONNECTIONS) } })
    }
}

fn connect(path: &Path) -> Result<Connection, rusqlite::Error> {
    let connection =
        Connection::open_with_flags(path, OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_NO_MUTEX)?;
    connection.busy_timeout(BUSY_TIMEOUT)?;
    // 32 MiB of page cache a connection (SQLite's default is 2 MiB), and the file mapped
    // rather than read: at 100,000 members, rounds and the list otherwise spend their time
    // copying pages out of the file. SQLite as a whole keeps under 32 MiB of heap, taking
    // back the least used cached pages past it: eight full caches were 256 MiB, and a large
    // import filled them (the server's heap peaked at 242 MB).
    connection.execute_batch(
        "PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL; PRAGMA foreign_keys = ON;
         PRAGMA cache_size = -32768; PRAGMA mmap_size = 268435456; PRAGMA soft_heap_limit = 33554432;",
    )?;
    connection.set_prepared_statement_cache_capacity(128);
    Ok(connection)
}

/// The open connections, lent to one statement or batch at a time.
struct Connections {
    idle: Mutex<Vec<Connection>>,
    free: Semaphore,
}

struct Lent<'a> {
    connection: Option<Connection>,
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
    fn connection(&self) -> &Connection {
        self.connection.as_ref().expect("a permit always finds a connection")
    }
}

impl Drop for Lent<'_> {
    fn drop(&mut self) {
        if let Some(connection) = self.connection.take() {
            self.from.idle.lock().expect("no panic holds this lock").push(connection);
        }
    }
}

/// Runs `work` here; a write may wait up to `BUSY_TIMEOUT` on another writer, so on the
/// multi-threaded runtime it first hands this thread's other tasks to another worker.
fn blocking<T>(writes: bool, work: impl FnOnce() -> T) -> T {
    let multi_threaded = tokio::runtime::Handle::try_current()
        .is_ok_and(|runtime| runtime.runtime_flavor() == tokio::runtime::RuntimeFlavor::MultiThread);
    if writes && multi_threaded { tokio::task::block_in_place(work) } else { work() }
}

fn to_sql(value: &SqlValue) -> ToSqlOutput<'_> {
    ToSqlOutput::Borrowed(match value {
        SqlValue::Null => ValueRef::Null,
        SqlValue::Int(v) => ValueRef::Integer(*v),
        SqlValue::Real(v) => ValueRef::Real(*v),
        SqlValue::Text(v) => ValueRef::Text(v.as_bytes()),
        SqlValue::Blob(v) => ValueRef::Blob(v),
    })
}

fn prepared<'c>(connection: &'c Connection, sql: &str, q: &Stmt) -> Result<rusqlite::CachedStatement<'c>, DbError> {
    let mut statement = connection.prepare_cached(sql).map_err(|e| db_error(e).at(q.origin))?;
    for (i, arg) in q.args.iter().enumerate() {
        statement.raw_bind_parameter(i + 1, to_sql(arg)).map_err(|e| db_error(e).at(q.origin))?;
    }
    Ok(statement)
}

fn rows(mut statement: rusqlite::CachedStatement<'_>, q: &Stmt) -> Result<Vec<Row>, DbError> {
    let names: Vec<String> = statement.column_names().into_iter().map(str::to_owned).collect();
    let mut rows = statement.raw_query();
    let mut all = Vec::new();
    while let Some(row) = rows.next().map_err(|e| db_error(e).at(q.origin))? {
        let mut map = Row::new();
        for (i, name) in names.iter().enumerate() {
            let value = match row.get_ref(i).map_err(|e| DbError::Decode(e.to_string()).at(q.origin))? {
                ValueRef::Null => serde_json::Value::Null,
                ValueRef::Integer(v) => v.into(),
                ValueRef::Real(v) => v.into(),
                ValueRef::Text(v) => String::from_utf8_lossy(v).into_owned().into(),
                ValueRef::Blob(v) => v.to_vec().into(),
            };
            map.insert(name.clone(), value);
        }
        all.push(map);
    }
    Ok(all)
}

/// Runs a statement to its end; what it changed (nothing, for one that only reads: a
/// batch's guards are `SELECT`s).
fn execute(connection: &Connection, sql: &str, q: &Stmt) -> Result<Changes, DbError> {
    let mut statement = prepared(connection, sql, q)?;
    let reads_only = statement.readonly();
    let mut rows = statement.raw_query();
    while rows.next().map_err(|e| db_error(e).at(q.origin))?.is_some() {}
    let rows_affected = if reads_only { 0 } else { connection.changes() };
    Ok(Changes { rows_affected, last_insert_id: connection.last_insert_rowid() })
}

fn db_error(e: rusqlite::Error) -> DbError {
    match &e {
        rusqlite::Error::SqliteFailure(failure, message)
            if failure.code == rusqlite::ErrorCode::ConstraintViolation =>
        {
            DbError::Constraint(message.clone().unwrap_or_else(|| failure.to_string()))
        }
        _ => DbError::Backend(e.to_string()),
    }
}

/// Times `work`, logging a slow statement with where it was written.
fn timed<T>(q: &Stmt, work: impl FnOnce() -> T) -> T {
    let started = Instant::now();
    let result = work();
    let elapsed = started.elapsed();
    if elapsed >= SLOW {
        tracing::warn!(statement = %q.origin, seconds = elapsed.as_secs_f64(), "slow statement");
    }
    result
}

#[async_trait]
impl Db for SqliteDb {
    async fn fetch_all(&self, q: Stmt) -> Result<Vec<Row>, DbError> {
        let sql = q.text()?;
        let lent = self.connections.lend().await;
        let statement = prepared(lent.connection(), &sql, &q)?;
        // A read never waits on a writer (WAL); a statement that writes (RETURNING) may.
        blocking(!statement.readonly(), || timed(&q, || rows(statement, &q)))
    }

    async fn execute(&self, q: Stmt) -> Result<Changes, DbError> {
        let sql = q.text()?;
        let lent = self.connections.lend().await;
        let connection = lent.connection();
        blocking(true, || timed(&q, || execute(connection, &sql, &q)))
    }

    async fn batch(&self, qs: Vec<Stmt>) -> Result<Vec<Changes>, DbError> {
        let texts = qs.iter().map(Stmt::text).collect::<Result<Vec<_>, _>>()?;
        let lent = self.connections.lend().await;
        let connection = lent.connection();
        blocking(true, || {
            connection.execute_batch("BEGIN IMMEDIATE").map_err(db_error)?;
            let all: Result<Vec<_>, _> =
                texts.iter().zip(&qs).map(|(sql, q)| timed(q, || execute(connection, sql, q))).collect();
            match all {
                Ok(all) => connection.execute_batch("COMMIT").map_err(db_error).map(|()| all),
                Err(error) => {
                    let _ = connection.execute_batch("ROLLBACK");
                    Err(error)
                }
            }
        })
    }
}
