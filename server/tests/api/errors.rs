//! An error of ours names its place: a storage error says which statement, written where,
//! met it — what `request::internal` logs before answering 500 — in a single statement and
//! in a batch alike.

use portico_app::stmt;

use crate::helpers::*;

#[tokio::test]
async fn a_storage_error_names_the_statement_that_met_it() {
    let app = spawn_app().await;
    let db = app.state.db.as_ref();
    let (statement, line) = (stmt!("INSERT INTO no_such_table VALUES (1)"), line!());
    let error = db.execute(statement).await.unwrap_err().to_string();
    assert!(error.contains(&format!("{}:{line}:", file!())), "{error}");
    assert!(error.contains("no_such_table"), "and what the database said: {error}");

    let (failing, line) = (stmt!("INSERT INTO organisations (id, name) VALUES (1, 'twice')"), line!());
    let error = db.batch(vec![stmt!("SELECT 1"), failing]).await.unwrap_err().to_string();
    assert!(error.contains(&format!("{}:{line}:", file!())), "the batch's failing statement: {error}");
}
