//! A fresh database gets a demo organisation and its owner, so a newcomer can sign in
//! straight away.

use crate::domain::{Email, Password, PersonName, PostalAddress};
use crate::ports::AppState;
use crate::store::DbError;
use crate::store::members::{NewMember, StaffScope, insert_member};
use crate::store::organisations::{FirstOrganisation, any_organisation, create_first_organisation};

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
    let scope = StaffScope { organisation_id: 1, user_id: 1, all_members: true };
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
        insert_member(state.db.as_ref(), &scope, &member, now).await?;
    }
    Ok(Some(DemoOwner { email: DEMO_OWNER_EMAIL.into(), password }))
}

fn random_password() -> String {
    use base64::Engine;
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(crate::secrets::random_bytes::<12>())
}
