//! Addresses outside the server functions that pages link to and the router serves (the
//! two must agree): forms posted as multipart and the e-mail preview's frame.

/// Where a member's profile uploads a file (`web::files`, a multipart form, not a server
/// function): also the `__path` its error comes back with.
pub fn upload_path(member_id: i64) -> String {
    format!("/staff/members/{member_id}/files")
}

/// Where the HTML version of a preview is served, alone, for a sandboxed frame.
pub const EMAIL_PREVIEW_PATH: &str = "/staff/email-preview";
