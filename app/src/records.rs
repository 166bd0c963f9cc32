//! What travels to the browser and more than one door shares: rows as they come out of the
//! store, a round's lines, the member list's state. Compiled on both sides, unlike `store`
//! and `service`, which are server-only; a service answers in these types, a page shows them.

use serde::{Deserialize, Serialize};

use crate::domain::{MemberSort, PortalStatus};
use crate::error::AppError;

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

/// One person in a round's dry run or report.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RoundLine {
    pub member_name: String,
    pub contact_name: String,
    pub email: Option<String>,
    /// None: invited (or, in a dry run, will be).
    pub skipped_because: Option<String>,
    /// Invited, but the e-mail could not be delivered.
    #[serde(default)]
    pub delivery_failed: bool,
}

impl RoundLine {
    /// What happened to them, in a word or two: the start of their line on the page and
    /// their CSV outcome. `planned`: a dry run, where nothing has happened yet.
    pub fn outcome(&self, planned: bool) -> &'static str {
        match (&self.skipped_because, self.delivery_failed, planned) {
            (Some(_), _, _) => "Skipped",
            (None, true, _) => "E-mail not delivered",
            (None, false, true) => "Will invite",
            (None, false, false) => "Invited",
        }
    }
}

/// One way a round ended for people, and how many: the report's filters.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct OutcomeCount {
    /// Safe in an address: "invited", "delivery-failed", "waiting", "skipped-declined-the-portal".
    pub key: String,
    pub label: String,
    pub count: i64,
}

/// The longest search accepted, in characters.
pub const MAX_SEARCH_LEN: usize = 100;

/// The list's state, as its URL carries it: `?q=gar&status=waiting&sort=last-login&after=812`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct MemberListQuery {
    pub q: String,
    pub status: Option<PortalStatus>,
    pub sort: MemberSort,
    /// The member the previous page ended with.
    pub after: Option<i64>,
}

impl MemberListQuery {
    /// From the URL's or the request's words; each unknown one is named in the message.
    pub fn parse(q: &str, status: &str, sort: &str, after: Option<i64>) -> Result<Self, AppError> {
        if q.chars().count() > MAX_SEARCH_LEN {
            return Err(AppError::invalid("q", "That search is too long (100 characters at most)."));
        }
        if q.chars().any(char::is_control) {
            return Err(AppError::invalid("q", "A search cannot contain line breaks or control characters."));
        }
        let status = match status {
            "" | "all" => None,
            slug => Some(PortalStatus::from_slug(slug).ok_or_else(|| {
                AppError::invalid("status", &format!("There is no status filter called \u{201c}{slug}\u{201d}."))
            })?),
        };
        let sort = match sort {
            "" => MemberSort::Name,
            slug => MemberSort::from_slug(slug).ok_or_else(|| {
                AppError::invalid("sort", &format!("The list cannot be sorted by \u{201c}{slug}\u{201d}."))
            })?,
        };
        Ok(Self { q: q.to_owned(), status, sort, after })
    }

    /// This state's address: parameters at their defaults are left out.
    pub fn href(&self) -> String {
        self.address("/staff/members", self.after)
    }

    /// This state on another page of the same list (`/staff/not-registered`).
    pub fn href_on(&self, path: &str) -> String {
        self.address(path, self.after)
    }

    /// The CSV export of every member this search and filter finds, in this order.
    pub fn export_href(&self) -> String {
        self.address("/staff/members/export", None)
    }

    fn address(&self, path: &str, after: Option<i64>) -> String {
        let mut params = Vec::new();
        if !self.q.trim().is_empty() {
            params.push(format!("q={}", crate::domain::query::url_encode(self.q.trim())));
        }
        if let Some(status) = self.status {
            params.push(format!("status={}", status.slug()));
        }
        if self.sort != MemberSort::Name {
            params.push(format!("sort={}", self.sort.slug()));
        }
        if let Some(after) = after {
            params.push(format!("after={after}"));
        }
        if params.is_empty() { path.to_owned() } else { format!("{path}?{}", params.join("&")) }
    }

    /// The first page of this search with another filter or order.
    pub fn with(&self, status: Option<PortalStatus>, sort: MemberSort) -> Self {
        Self { q: self.q.clone(), status, sort, after: None }
    }
}

/// The invitation part of a contact's card, worded on the server against its clock.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct InvitationSummary {
    pub headline: String,
    pub email: String,
    pub message: Option<String>,
    pub is_pending: bool,
    /// "Link expires on …", while it is pending.
    pub expiry: Option<String>,
    /// "Delivered to the mailbox on …", "E-mail handed to the e-mail service on …", "Bounced on …"
    pub delivery: Option<String>,
    pub delivery_failed: bool,
    /// Declined: by whom, and why ("Declined from the invitation page."). Staff then see
    /// "Reinvite" instead of "Invite".
    pub declined: Option<String>,
    /// Sent again after the person had declined.
    pub reinvite: bool,
    /// Made by "Re-enable invite link" for staff to pass on by hand: never e-mailed.
    pub handed_out: bool,
    /// Revoked because the contact's e-mail changed: staff are offered a new invitation to
    /// the new address.
    pub revoked_for_new_email: bool,
}

/// One person around a profile, with their own portal access.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ContactCard {
    pub id: i64,
    /// The member themself (else a representative).
    pub is_self: bool,
    pub first_name: String,
    pub last_name: String,
    pub relation: Option<String>,
    pub email: Option<String>,
    pub is_primary: bool,
    pub login: Option<LinkedLogin>,
    /// The latest invitation, while no login is linked.
    pub invitation: Option<InvitationSummary>,
    /// Why no login is linked by e-mail (000's troubleshooting): one waits in Link
    /// requests, one exists unlinked, or none uses this exact address.
    pub not_linked_because: Option<String>,
    /// The link "Re-enable invite link" just made, shown this once (from the sealed cookie
    /// `reenabled_link` reads).
    pub new_link: Option<String>,
}

/// A template of the organisation's, as its pages and selects show it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TemplateView {
    pub id: i64,
    pub name: String,
    pub subject: String,
    pub body: String,
    /// The organisation's default: forms that send invitations start with it.
    pub is_default: bool,
}

/// Who a round from the member list is for: the members ticked (`members`, ids separated by
/// commas), or else everyone the search and filter find — only those without a login when
/// `not_registered`. `ticked`: the round is "Invite selected", for the ticked members and
/// never more; with none ticked it is refused, not widened to everyone.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Selection {
    pub members: String,
    pub q: String,
    pub status: Option<PortalStatus>,
    pub not_registered: bool,
    pub ticked: bool,
    /// The members an import found or added (its id; 0 for none): "Invite the people just
    /// imported".
    pub import: i64,
}

/// The refusal of "Invite selected" with no member ticked.
pub const NOTHING_TICKED: &str =
    "No member is ticked. Tick the members to invite, or use “Invite all … matching this filter”.";

impl Selection {
    /// The dry run's address.
    pub fn href(&self) -> String {
        let mut params = Vec::new();
        if self.import > 0 {
            params.push(format!("import={}", self.import));
        } else if !self.members.is_empty() {
            params.push(format!("members={}", self.members));
        } else {
            if !self.q.trim().is_empty() {
                params.push(format!("q={}", crate::domain::query::url_encode(self.q.trim())));
            }
            if let Some(status) = self.status {
                params.push(format!("status={}", status.slug()));
            }
        }
        if self.not_registered {
            params.push("not_registered=true".to_owned());
        }
        if self.ticked {
            params.push("ticked=true".to_owned());
        }
        format!("/staff/invite-round?{}", params.join("&"))
    }
}
