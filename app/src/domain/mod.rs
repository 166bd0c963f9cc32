//! Pure rules: no `async`, no SQL, no HTTP. A value that made it into one of these types is
//! valid; a rule that needs the time takes it as an argument.

pub mod addresses;
pub mod api_key;
pub mod brand;
pub mod contact;
#[cfg(feature = "ssr")]
pub mod csv;
#[cfg(feature = "ssr")]
pub mod csv_reader;
pub mod dates;
#[cfg(feature = "ssr")]
pub mod delivery_report;
pub mod email;
pub mod html;
pub mod import;
pub mod import_plan;
pub mod invitation;
pub mod name;
pub mod numbers;
pub mod password;
pub mod portal_records;
pub mod query;
pub mod role;
pub mod round;
#[cfg(feature = "ssr")]
pub mod search;
pub mod standing;
pub mod template;
pub mod timeline;
pub mod token;
pub mod webhook;

pub use contact::{PersonalMessage, Phone, PostalAddress, Relation};
pub use email::Email;
pub use invitation::{InvitationFacts, InvitationState};
pub use name::PersonName;
pub use password::Password;
pub use role::Role;
pub use standing::{MemberSort, PortalStatus};
pub use token::InviteToken;

/// Characters that may not appear in any single-line value: control characters (CR/LF among
/// them, so nothing typed can reach a mail header) and the Unicode bidi overrides.
pub(crate) fn has_forbidden_chars(s: &str, allow_newlines: bool) -> bool {
    s.chars().any(|c| {
        (c.is_control() && !(allow_newlines && (c == '\n' || c == '\r' || c == '\t')))
            || ('\u{202A}'..='\u{202E}').contains(&c)
            || ('\u{2066}'..='\u{2069}').contains(&c)
    })
}
