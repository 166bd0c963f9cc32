//! The store's executor over D1. D1 has no interactive transactions; `batch` is atomic,
//! which is all the store asks for. D1's futures are not `Send`: they are wrapped here.

use async_trait::async_trait;
use portico_app::store::{Changes, Db, DbError, Row, SqlValue, Stmt};
use serde_json::Value;
use wasm_bindgen::JsValue;
use worker::send::SendFuture;
use worker::{D1Database, D1PreparedStatement, D1Result};

/// JavaScript numbers hold integers exactly up to 2^53.
const MAX_SAFE_INTEGER: i64 = (1 << 53) - 1;

pub struct D1Db {
    db: D1Database,
}

impl D1Db {
    pub fn new(db: D1Database) -> Self {
        Self { db }
    }

    fn prepare(&self, stmt: &Stmt) -> Result<D1PreparedStatement, DbError> {
        let args = stmt.args.iter().map(to_js).collect::<Result<Vec<_>, _>>()?;
        self.db.prepare(&*stmt.text()?).bind(&args).map_err(backend)
    }
}

fn to_js(value: &SqlValue) -> Result<JsValue, DbError> {
    Ok(match value {
        SqlValue::Null => JsValue::null(),
        SqlValue::Int(i) if i.abs() <= MAX_SAFE_INTEGER => JsValue::from_f64(*i as f64),
        SqlValue::Int(i) => return Err(DbError::Backend(format!("{i} is too large for D1"))),
        SqlValue::Real(f) => JsValue::from_f64(*f),
        SqlValue::Text(s) => JsValue::from_str(s),
        SqlValue::Blob(bytes) => js_sys::Uint8Array::from(bytes.as_slice()).into(),
    })
}

/// D1 hands every number over as a JavaScript number; whole ones become integers again, so
/// rows decode exactly as they do from sqlx.
fn to_row(mut row: Row) -> Row {
    for value in row.values_mut() {
        if let Some(f) = value.as_f64().filter(|f| f.fract() == 0.0 && f.abs() <= MAX_SAFE_INTEGER as f64) {
            *value = Value::from(f as i64);
        }
    }
    row
}

fn changes(result: &D1Result) -> Result<Changes, DbError> {
    let meta = result.meta().map_err(backend)?;
    Ok(Changes {
        rows_affected: meta.as_ref().and_then(|m| m.changes).unwrap_or(0) as u64,
        last_insert_id: meta.and_then(|m| m.last_row_id).unwrap_or(0),
    })
}

fn backend(error: worker::Error) -> DbError {
    let message = error.to_string();
    if ["UNIQUE constraint failed", "FOREIGN KEY constraint failed", "CHECK constraint failed"]
        .iter()
        .any(|kind| message.contains(kind))
    {
        DbError::Constraint(message)
    } else {
        DbError::Backend(message)
    }
}

#[async_trait]
impl Db for D1Db {
    async fn fetch_all(&self, q: Stmt) -> Result<Vec<Row>, DbError> {
        let statement = self.prepare(&q)?;
        let result = SendFuture::new(statement.all()).await.map_err(|e| backend(e).at(q.origin))?;
        let rows = result.results::<Row>().map_err(|e| DbError::Decode(e.to_string()).at(q.origin))?;
        Ok(rows.into_iter().map(to_row).collect())
    }

    async fn execute(&self, q: Stmt) -> Result<Changes, DbError> {
        let statement = self.prepare(&q)?;
        let result = SendFuture::new(statement.run()).await.map_err(|e| backend(e).at(q.origin))?;
        changes(&result)
    }

    async fn batch(&self, qs: Vec<Stmt>) -> Result<Vec<Changes>, DbError> {
        let statements = qs.iter().map(|q| self.prepare(q)).collect::<Result<Vec<_>, _>>()?;
        // D1 says which batch failed, not which statement: its first names it.
        let results = match SendFuture::new(self.db.batch(statements)).await {
            Ok(results) => results,
            Err(error) => {
                let error = backend(error);
                return Err(match qs.first() {
                    Some(first) => error.at(first.origin),
                    None => error,
                });
            }
        };
        results.iter().map(changes).collect()
    }
}
