//! Rows that travel to the browser as they come out of the store: compiled on both sides,
//! unlike `store`, which is server-only.

use serde::{Deserialize, Serialize};

/// A login linked to a member's profile, as staff see it.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct LinkedLogin {
    pub user_id: i64,
    pub email: String,
    pub last_login_at: Option<i64>,
    pub linked_at: i64,
}

/// A member's own profile, as the member sees it: no staff notes, no billing.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct OwnProfile {
    pub member_id: i64,
    pub first_name: String,
    pub last_name: String,
    pub email: Option<String>,
    pub phone: Option<String>,
    pub address: Option<String>,
    pub organisation_name: String,
}

/// The portal of one of the profiles linked to a login (a parent's children, a
/// bookkeeper's businesses), and every profile it can switch to, this one included.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct PortalView {
    pub profile: OwnProfile,
    pub choices: Vec<ProfileChoice>,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct ProfileChoice {
    pub member_id: i64,
    pub name: String,
    pub organisation_name: String,
}

/// A message the dev mailer "sent".
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct DevMessage {
    pub id: i64,
    pub to_email: String,
    pub from_header: String,
    pub subject: String,
    pub text_body: String,
    pub html_body: String,
    pub received_at: i64,
}
