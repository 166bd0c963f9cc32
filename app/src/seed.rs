//! A fresh database gets a demo organisation and its owner, so a newcomer can sign in
//! straight away.

use crate::domain::{Email, Password, PersonName, PostalAddress, Role};
use crate::ports::AppState;
use crate::store::DbError;
use crate::store::members::{NewMember, insert_member};
use crate::store::organisations::{FirstOrganisation, any_organisation, create_first_organisation};
use crate::store::scope::StaffScope;

pub const DEMO_OWNER_EMAIL: &str = "owner@example.org";

pub struct DemoOwner {
    pub email: String,
    pub password: String,
}

/// Creates the demo organisation when the database has none; `None` when it already had one.
pub async fn ensure_demo_organisation(
    state: &AppState,
    password: Option<String>,
) -> Result<Option<DemoOwner>, DbError> {
    if any_organisation(state.db.as_ref()).await? {
        return Ok(None);
    }
    let password = password.unwrap_or_else(random_password);
    let parsed = Password::parse(&password).map_err(|e| DbError::Backend(format!("PORTICO_DEMO_PASSWORD: {e}")))?;
    let hash = state.passwords.hash(parsed).await.map_err(|e| DbError::Backend(e.to_string()))?;
    let now = state.clock.now();
    let created = create_first_organisation(
        state.db.as_ref(),
        FirstOrganisation {
            name: "Riverside Martial Arts",
            sender_name: "Riverside Martial Arts",
            sender_email: "hello@riverside.example.org",
            owner_name: "Sam Rivera",
            owner_email: DEMO_OWNER_EMAIL,
            owner_password_hash: &hash,
        },
        now,
    )
    .await?;
    if !created {
        return Ok(None);
    }
    let zone = crate::domain::dates::Zone::utc();
    let scope = StaffScope { organisation_id: 1, user_id: 1, all_members: true, role: Role::Owner, zone };
    for (first, last, email, address) in [
        ("Ada", "Lovelace", "ada@example.org", "12 St James's Square\nLondon SW1Y 4JH"),
        ("Kenji", "Sato", "kenji@example.org", ""),
    ] {
        let member = NewMember {
            first_name: PersonName::parse(first).expect("demo name"),
            last_name: PersonName::parse(last).expect("demo name"),
            email: Email::parse(email).ok(),
            phone: None,
            address: PostalAddress::parse(address).expect("demo address"),
        };
        insert_member(state.db.as_ref(), &scope, &member, None, now).await?;
    }
    Ok(Some(DemoOwner { email: DEMO_OWNER_EMAIL.into(), password }))
}

fn random_password() -> String {
    use base64::Engine;
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(crate::secrets::random_bytes::<12>())
}

/// Adds `count` made-up members to the organisation, for demos and for measuring at scale:
/// each with their own contact (every twentieth without an e-mail), every fifth with a
/// parent as a primary representative. Four statements, however many members.
pub async fn seed_members(
    db: &dyn crate::store::Db,
    organisation_id: i64,
    count: i64,
    now: i64,
) -> Result<(), DbError> {
    use crate::stmt;
    #[derive(serde::Deserialize)]
    struct Last {
        id: i64,
    }
    let start = crate::store::fetch_optional::<Last>(db, stmt!("SELECT coalesce(max(id), 0) AS id FROM members"))
        .await?
        .map_or(0, |last| last.id);
    let insert_members = format!(
        "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < ?),
         firsts(k, name, key) AS (VALUES {}), lasts(k, name, key) AS (VALUES {})
         INSERT INTO members (organisation_id, first_name, last_name, name_key, sort_key, created_at)
         SELECT ?, f.name, l.name, f.key || ' ' || l.key, l.key || ' ' || f.key, ? FROM n
         JOIN firsts f ON f.k = n.i % {}
         JOIN lasts l ON l.k = (n.i / {}) % {}",
        name_table(FIRST_NAMES),
        name_table(LAST_NAMES),
        FIRST_NAMES.len(),
        FIRST_NAMES.len(),
        LAST_NAMES.len()
    );
    db.batch(vec![
        stmt!(insert_members, count, organisation_id, now),
        stmt!(
            "INSERT INTO contacts (member_id, is_self, email, created_at)
             SELECT id, 1, CASE WHEN id % 20 = 0 THEN NULL ELSE 'member' || id || '@example.org' END, ?
             FROM members WHERE id > ?",
            now,
            start
        ),
        stmt!(
            "INSERT INTO contacts (member_id, is_self, first_name, last_name, relation, email, is_primary, created_at)
             SELECT id, 0, 'Parent', last_name, 'parent', 'parent' || id || '@example.org', 1, ?
             FROM members WHERE id > ? AND id % 5 = 0",
            now,
            start
        ),
        stmt!(crate::store::scope::refresh_standing!("SELECT id FROM members WHERE id > ?"), start),
    ])
    .await?;
    Ok(())
}

const FIRST_NAMES: &[&str] = &[
    "Ada", "Ben", "Chioma", "Dmitri", "Élodie", "Farah", "Gustav", "Hana", "Iñigo", "Jun", "Kofi", "Lena", "Mateo",
    "Nia", "Oskar", "Priya", "Quinn", "Rosa", "Søren", "Tariq",
];
const LAST_NAMES: &[&str] = &[
    "Abara",
    "Becker",
    "Castillo",
    "Dubois",
    "Eriksen",
    "Fontaine",
    "García",
    "Haddad",
    "Ivanova",
    "Jensen",
    "Kowalski",
    "Lindqvist",
    "Müller",
    "Nakamura",
    "Okafor",
    "Petrov",
    "Quist",
    "Rossi",
    "Sato",
    "Tanaka",
    "Ueda",
    "Varga",
    "Weber",
];

/// `(0, 'Ada', 'ada'), (1, 'Ben', 'ben'), …`: each name with its search key. The names are
/// the constants above (no quotes in them), never input.
fn name_table(names: &[&str]) -> String {
    names
        .iter()
        .enumerate()
        .map(|(k, name)| format!("({k}, '{name}', '{}')", crate::domain::search::fold(name)))
        .collect::<Vec<_>>()
        .join(", ")
}
