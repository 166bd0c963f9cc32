//! The server's SQLite executor runs each statement on the thread that asks. A write may
//! wait on another writer's transaction; while it waits, reads are answered and the rest of
//! the runtime goes on, and then the write goes through.

use std::sync::Arc;

use portico_app::stmt;
use portico_app::store::Db;
use portico_server::sqlite::SqliteDb;

// One worker: were the waiting write to hold it, nothing else spawned could run.
#[tokio::test(flavor = "multi_thread", worker_threads = 1)]
async fn a_write_waiting_on_another_writer_holds_up_neither_reads_nor_the_runtime() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("portico.db");
    let db = Arc::new(SqliteDb::open(&path).await.unwrap());
    // Another writer on the file (a backup tool, say) holds the write lock.
    let other = rusqlite::Connection::open(&path).unwrap();
    other.execute_batch("BEGIN IMMEDIATE").unwrap();

    let write = stmt!(
        "INSERT INTO organisations (name, sender_name, sender_email, created_at) VALUES ('Waited', 'W', 'w@example.org', 0)"
    );
    let writer = tokio::spawn({
        let db = db.clone();
        async move { db.batch(vec![write]).await }
    });
    tokio::time::sleep(std::time::Duration::from_millis(200)).await;
    let reader = tokio::spawn({
        let db = db.clone();
        async move { db.fetch_all(stmt!("SELECT count(*) AS n FROM organisations")).await }
    });
    let rows = reader.await.unwrap().unwrap();
    assert_eq!(rows[0]["n"], 0, "the read saw the file as it was");
    assert!(!writer.is_finished(), "the write is still waiting for the other writer");

    other.execute_batch("COMMIT").unwrap();
    writer.await.unwrap().expect("once the other writer is done, the write goes through");
    let rows = db.fetch_all(stmt!("SELECT name FROM organisations")).await.unwrap();
    assert_eq!(rows[0]["name"], "Waited");
}
