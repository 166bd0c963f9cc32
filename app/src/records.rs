//! Rows that travel to the browser as they come out of the store: compiled on both sides,
//! unlike `store`, which is server-only.

use serde::{Deserialize, Serialize};

/// A login linked to a member's profile, as staff see it.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct LinkedLogin {
    pub user_id: i64,
    pub email: String,
    /// When, in the organisation's time zone: "22 November 2026, 14:05 CET".
    pub last_login: Option<String>,
    /// The day it was linked, there.
    pub linked_on: String,
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
    pub records: PortalRecords,
}

/// What is kept on a member's profile for the portal: staff see all of it; the member sees
/// their memberships, and bookings and shared files while the organisation shows them
/// (`None`: that section is off).
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct PortalRecords {
    pub memberships: Vec<MembershipView>,
    pub bookings: Option<Vec<BookingView>>,
    pub files: Option<Vec<FileView>>,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct MembershipView {
    pub id: i64,
    pub programme: String,
    pub level: Option<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct BookingView {
    pub id: i64,
    pub title: String,
    /// "5 December 2026, 18:00".
    pub when: String,
    pub place: Option<String>,
    pub cancelled: bool,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct FileView {
    pub id: i64,
    pub name: String,
    /// "34 KB".
    pub size: String,
    pub added_on: String,
    /// The member sees it.
    pub shared: bool,
    /// Where it downloads from.
    pub url: String,
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

impl MembershipView {
    /// "Karate: Green belt", or the programme alone.
    pub fn summary(&self) -> String {
        match &self.level {
            Some(level) => format!("{}: {level}", self.programme),
            None => self.programme.clone(),
        }
    }
}

impl BookingView {
    /// "Private lesson, 5 December 2026, 18:00, Dojo 2".
    pub fn summary(&self) -> String {
        let mut parts = vec![self.title.as_str(), self.when.as_str()];
        parts.extend(self.place.as_deref());
        parts.join(", ")
    }
}
