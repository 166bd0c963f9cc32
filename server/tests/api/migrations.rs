//! Every migration keeps what the database already held: a database made by the first
//! migrations, with a row in every table of that time, is opened by this build (which
//! applies the rest) and still holds every row. A new migration adds the rows of its own
//! tables for the next one.

use std::str::FromStr;

use portico_server::migrations::{Embedded, FILES};
use portico_server::sqlite::SqliteDb;
use sqlx::migrate::Migrator;
use sqlx::sqlite::{SqliteConnectOptions, SqlitePoolOptions};

/// The rows of an organisation in use, as the schema of 0001–0002 holds them.
const BEFORE_STAFF_NAMES: &str = "
    INSERT INTO organisations (id, name, sender_name, sender_email, created_at)
        VALUES (1, 'Harbour Tennis Club', 'Harbour Tennis', 'hello@harbour.example.org', 100);
    INSERT INTO users (id, email, password_hash, created_at, last_login_at)
        VALUES (1, 'owner@harbour.example.org', '$argon2id$v=19$m=19456,t=2,p=1$c2FsdA$aGFzaA', 100, 200),
               (2, 'ada@example.org', '$argon2id$v=19$m=19456,t=2,p=1$c2FsdA$aGFzaA', 300, 400);
    INSERT INTO staff (user_id, organisation_id, role, all_members) VALUES (1, 1, 'owner', 1);
    INSERT INTO members (id, organisation_id, first_name, last_name, email, phone, address, created_at)
        VALUES (1, 1, 'Ada', 'Lovelace', 'ada@example.org', '+44 20 7946 0000', '12 St James''s Square', 150),
               (2, 1, 'Kenji', 'Sato', 'kenji@example.org', NULL, NULL, 160);
    INSERT INTO invitations (id, organisation_id, member_id, email, token_hash, sent_by, created_at, expires_at,
                             accepted_at, accepted_user_id)
        VALUES (1, 1, 1, 'ada@example.org', 'aa', 1, 250, 9999, 300, 2),
               (2, 1, 2, 'kenji@example.org', 'bb', 1, 260, 9999, NULL, NULL);
    INSERT INTO member_links (user_id, member_id, invitation_id, linked_at) VALUES (2, 1, 1, 300);
    INSERT INTO outbox (id, organisation_id, invitation_id, idempotency_key, to_email, from_name, from_email,
                        subject, text_body, html_body, next_attempt_at, created_at)
        VALUES (1, 1, 2, 'key-1', 'kenji@example.org', 'Harbour Tennis', 'hello@harbour.example.org',
                'Your invitation', 'text', '<p>html</p>', 260, 260);
    INSERT INTO sessions (id_hash, user_id, created_at, last_seen_at, expires_at) VALUES ('cc', 2, 300, 300, 9999);
    INSERT INTO rate_limits (bucket, window_start, hits) VALUES ('guess:ada@example.org', 0, 3);
";

const TABLES: &[&str] =
    &["organisations", "users", "staff", "members", "invitations", "member_links", "outbox", "sessions", "rate_limits"];

#[tokio::test]
async fn a_database_of_an_earlier_build_keeps_every_row() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("portico.db");
    let options = SqliteConnectOptions::from_str("sqlite://").unwrap().filename(&path).create_if_missing(true);
    let pool = SqlitePoolOptions::new().max_connections(1).connect_with(options).await.unwrap();
    let before_staff_names = &FILES[..2];
    assert_eq!(before_staff_names.last().unwrap().0, "0002_rate_limits.sql");
    Migrator::new(Embedded(before_staff_names)).await.unwrap().run(&pool).await.unwrap();
    sqlx::raw_sql(BEFORE_STAFF_NAMES).execute(&pool).await.unwrap();
    let mut counts = Vec::new();
    for table in TABLES {
        let (count,): (i64,) = sqlx::query_as(&format!("SELECT count(*) FROM {table}")).fetch_one(&pool).await.unwrap();
        assert!(count > 0, "{table} has a row to keep");
        counts.push(count);
    }
    pool.close().await;

    let _migrated = SqliteDb::open(&path).await.expect("this build opens and migrates it");
    let options = SqliteConnectOptions::from_str("sqlite://").unwrap().filename(&path);
    let pool = SqlitePoolOptions::new().max_connections(1).connect_with(options).await.unwrap();
    for (table, before) in TABLES.iter().zip(counts) {
        let (count,): (i64,) = sqlx::query_as(&format!("SELECT count(*) FROM {table}")).fetch_one(&pool).await.unwrap();
        assert_eq!(count, before, "{table}");
    }
    let (role, name, email): (String, String, String) =
        sqlx::query_as("SELECT s.role, s.name, u.email FROM staff s JOIN users u ON u.id = s.user_id")
            .fetch_one(&pool)
            .await
            .unwrap();
    assert_eq!((role.as_str(), email.as_str()), ("owner", "owner@harbour.example.org"));
    assert_eq!(name, "", "staff made before names have none (the header shows their e-mail)");
    let (member_id,): (i64,) =
        sqlx::query_as("SELECT member_id FROM member_links WHERE user_id = 2").fetch_one(&pool).await.unwrap();
    assert_eq!(member_id, 1);

    // 0005: each member's own e-mail moved to their own contact, which their invitations
    // and links now belong to.
    let contacts: Vec<(i64, i64, Option<String>)> =
        sqlx::query_as("SELECT id, member_id, email FROM contacts WHERE is_self = 1 ORDER BY member_id")
            .fetch_all(&pool)
            .await
            .unwrap();
    let emails: Vec<_> = contacts.iter().map(|(_, member, email)| (*member, email.clone().unwrap())).collect();
    assert_eq!(emails, [(1, "ada@example.org".to_owned()), (2, "kenji@example.org".to_owned())]);
    let (unassigned,): (i64,) = sqlx::query_as(
        "SELECT count(*) FROM invitations i JOIN contacts c ON c.id = i.contact_id WHERE c.member_id <> i.member_id",
    )
    .fetch_one(&pool)
    .await
    .unwrap();
    let (without_contact,): (i64,) =
        sqlx::query_as("SELECT count(*) FROM invitations WHERE contact_id IS NULL").fetch_one(&pool).await.unwrap();
    assert_eq!((unassigned, without_contact), (0, 0), "every invitation belongs to its member's own contact");
    let (link_contact,): (i64,) =
        sqlx::query_as("SELECT contact_id FROM member_links WHERE user_id = 2").fetch_one(&pool).await.unwrap();
    assert_eq!(link_contact, contacts[0].0);

    // 0007: an organisation of an earlier build takes no sign-ups and asks staff before
    // linking by e-mail; its e-mails open invitations.
    let (sign_up, auto_link, at_once): (i64, String, i64) =
        sqlx::query_as("SELECT self_sign_up, auto_link, invite_at_once FROM organisations")
            .fetch_one(&pool)
            .await
            .unwrap();
    assert_eq!((sign_up, auto_link.as_str(), at_once), (0, "ask", 1));
    let (kind,): (String,) = sqlx::query_as("SELECT link_kind FROM outbox").fetch_one(&pool).await.unwrap();
    assert_eq!(kind, "invitation");
}

/// 0019: a template of before (words added to the fixed ones, and to the subject) becomes a
/// whole template that reads as its e-mails did, `{link}` included; an invitation keeps its
/// subject for a resend.
#[tokio::test]
async fn templates_of_before_become_whole_templates_that_read_the_same() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("portico.db");
    let options = SqliteConnectOptions::from_str("sqlite://").unwrap().filename(&path).create_if_missing(true);
    let pool = SqlitePoolOptions::new().max_connections(1).connect_with(options).await.unwrap();
    let before = &FILES[..18];
    assert_eq!(before.last().unwrap().0, "0018_staff_invitation_access.sql");
    Migrator::new(Embedded(before)).await.unwrap().run(&pool).await.unwrap();
    sqlx::raw_sql(
        "INSERT INTO organisations (id, name, sender_name, sender_email, created_at)
             VALUES (1, 'Harbour Tennis Club', 'Harbour Tennis', 'hello@harbour.example.org', 100);
         INSERT INTO users (id, email, password_hash, created_at)
             VALUES (1, 'owner@harbour.example.org', '$argon2id$v=19$m=19456,t=2,p=1$c2FsdA$aGFzaA', 100);
         INSERT INTO members (id, organisation_id, first_name, last_name, created_at)
             VALUES (1, 1, 'Ada', 'Lovelace', 150);
         INSERT INTO contacts (id, member_id, is_self, email, created_at) VALUES (1, 1, 1, 'ada@example.org', 150);
         INSERT INTO message_templates (id, organisation_id, name, subject_addition, body, created_at)
             VALUES (1, 1, 'Families', 'Term starts', 'Dear {first_name}, welcome.', 200),
                    (2, 1, 'Plain', NULL, 'Welcome to {organisation}.', 200);
         INSERT INTO invitations (id, organisation_id, member_id, contact_id, email, token_hash, personal_message,
                                  subject_addition, sent_by, created_at, expires_at)
             VALUES (1, 1, 1, 1, 'ada@example.org', 'aa', 'Dear Ada, welcome.', 'Term starts', 1, 250, 9999);",
    )
    .execute(&pool)
    .await
    .unwrap();
    pool.close().await;

    let _migrated = SqliteDb::open(&path).await.expect("this build opens and migrates it");
    let options = SqliteConnectOptions::from_str("sqlite://").unwrap().filename(&path);
    let pool = SqlitePoolOptions::new().max_connections(1).connect_with(options).await.unwrap();
    let templates: Vec<(String, String)> =
        sqlx::query_as("SELECT subject, body FROM message_templates ORDER BY id").fetch_all(&pool).await.unwrap();
    assert_eq!(templates[0].0, "{organisation} invites you to your member portal: Term starts");
    assert_eq!(templates[1].0, "{organisation} invites you to your member portal");
    assert_eq!(
        templates[0].1,
        portico_app::domain::template::BUILT_IN_BODY.replace("{message}", "Dear {first_name}, welcome."),
        "the built-in words with theirs where the message goes"
    );
    for (subject, body) in &templates {
        portico_app::domain::template::TemplateSubject::parse(subject).expect("a valid subject");
        portico_app::domain::template::TemplateBody::parse(body).expect("a valid body, with its link");
    }
    let (subject, body, message): (Option<String>, Option<String>, Option<String>) =
        sqlx::query_as("SELECT subject_template, body_template, personal_message FROM invitations")
            .fetch_one(&pool)
            .await
            .unwrap();
    assert_eq!(subject.as_deref(), Some("{organisation} invites you to your member portal: Term starts"));
    assert_eq!((body, message.as_deref()), (None, Some("Dear Ada, welcome.")));
}
