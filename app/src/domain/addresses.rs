//! Addresses outside the server functions that pages link to and the router serves (the
//! two must agree): forms posted as multipart, the e-mail preview's frame, and the pages an
//! e-mail's link opens.

/// Where a member's profile uploads a file (`web::files`, a multipart form, not a server
/// function): also the `__path` its error comes back with.
pub fn upload_path(member_id: i64) -> String {
    format!("/staff/members/{member_id}/files")
}

/// Where the import's form sends a spreadsheet.
pub const IMPORT_UPLOAD_PATH: &str = "/staff/imports/new";

/// An import's page (its mapping, dry run and report).
pub fn import_path(import_id: i64) -> String {
    format!("/staff/imports/{import_id}")
}

/// Where an import's mapping form is sent (a plain form: one field per column of the file).
pub fn import_mapping_path(import_id: i64) -> String {
    format!("/staff/imports/{import_id}/mapping")
}

/// Where the HTML version of a preview is served, alone, for a sandboxed frame.
pub const EMAIL_PREVIEW_PATH: &str = "/staff/email-preview";

/// The page an e-mail's link opens with its token (the outbox's `link_kind` column).
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum LinkKind {
    Invitation,
    SignUp,
    PasswordReset,
    StaffInvitation,
}

impl LinkKind {
    /// As the outbox stores it.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Invitation => "invitation",
            Self::SignUp => "sign_up",
            Self::PasswordReset => "password_reset",
            Self::StaffInvitation => "staff_invitation",
        }
    }

    /// The page's address, the token following it.
    pub fn page(self) -> &'static str {
        match self {
            Self::Invitation => "/invite/",
            Self::SignUp => "/join/confirm/",
            Self::PasswordReset => "/reset-password/",
            Self::StaffInvitation => "/join-staff/",
        }
    }
}
