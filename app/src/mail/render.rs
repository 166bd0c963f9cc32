//! The invitation e-mail, as plain text and HTML. The link is left as a placeholder and
//! filled in at send time, so the outbox never holds a usable link.

use crate::domain::dates::format_date;
use crate::domain::html::escape_html;

pub const LINK_PLACEHOLDER: &str = "{{invitation_link}}";

pub struct RenderedEmail {
    pub subject: String,
    pub text: String,
    pub html: String,
}

pub struct InvitationEmail<'a> {
    pub organisation_name: &'a str,
    /// The invited person's first name.
    pub first_name: &'a str,
    /// A representative is invited to manage this member's profile (their full name).
    pub on_behalf_of: Option<&'a str>,
    pub personal_message: Option<&'a str>,
    /// From a template: added to the subject line.
    pub subject_addition: Option<&'a str>,
    pub expires_at: i64,
}

pub fn invitation_email(e: &InvitationEmail<'_>) -> RenderedEmail {
    let org = single_line(e.organisation_name);
    let expiry = format_date(e.expires_at);
    let subject = match e.subject_addition {
        Some(addition) => format!("{org} invites you to your member portal: {}", single_line(addition)),
        None => format!("{org} invites you to your member portal"),
    };

    let whose = match e.on_behalf_of {
        Some(member) => format!("{}'s", single_line(member)),
        None => "your own".to_owned(),
    };
    let mut text = format!(
        "Hello {name},\n\n{org} invites you to its member portal, where you can see {whose} \
         profile, memberships, bookings and files.\n\n",
        name = e.first_name,
    );
    if let Some(message) = e.personal_message {
        text.push_str(&format!("A message from {org}:\n\n{message}\n\n"));
    }
    text.push_str(&format!(
        "Set your password here:\n{LINK_PLACEHOLDER}\n\nThis link works once and expires on {expiry}. \
         If it has expired, ask {org} for a new one.\n\nIf you were not expecting this e-mail, you can ignore it.\n"
    ));

    let message_html = e
        .personal_message
        .map(|m| {
            format!(
                "<p>A message from {org}:</p><blockquote style=\"white-space:pre-line\">{}</blockquote>",
                escape_html(m),
                org = escape_html(&org)
            )
        })
        .unwrap_or_default();
    let html = format!(
        "<!doctype html><html><body style=\"font-family:sans-serif;font-size:16px;line-height:1.5\">\
         <p>Hello {name},</p>\
         <p>{org} invites you to its member portal, where you can see {whose} profile, memberships, bookings and files.</p>\
         {message_html}\
         <p><a href=\"{LINK_PLACEHOLDER}\" style=\"display:inline-block;padding:12px 20px;background:#1d4ed8;color:#fff;text-decoration:none;border-radius:6px\">Set your password</a></p>\
         <p>Or open this link: {LINK_PLACEHOLDER}</p>\
         <p>This link works once and expires on {expiry}. If it has expired, ask {org} for a new one.</p>\
         <p style=\"color:#555\">If you were not expecting this e-mail, you can ignore it.</p>\
         </body></html>",
        name = escape_html(e.first_name),
        whose = escape_html(&whose),
        org = escape_html(&org),
    );
    RenderedEmail { subject, text, html }
}

/// The e-mail that proves a sign-up's address: one link, nothing else to act on.
pub fn sign_up_email(organisation_name: &str, expires_at: i64) -> RenderedEmail {
    let org = single_line(organisation_name);
    let expiry = format_date(expires_at);
    let subject = format!("Confirm your e-mail address for {org}");
    let text = format!(
        "Hello,\n\nSomeone (we hope you) signed up for the {org} member portal with this address. \
         Confirm it here:\n{LINK_PLACEHOLDER}\n\nThe link works once, until {expiry}. \
         If it was not you, ignore this e-mail: nothing happens without the link.\n"
    );
    let html = format!(
        "<!doctype html><html><body style=\"font-family:sans-serif;font-size:16px;line-height:1.5\">\
         <p>Hello,</p><p>Someone (we hope you) signed up for the {org} member portal with this address.</p>\
         <p><a href=\"{LINK_PLACEHOLDER}\">Confirm my e-mail address</a></p><p>Or open this link: {LINK_PLACEHOLDER}</p>\
         <p>The link works once, until {expiry}. If it was not you, ignore this e-mail: nothing happens without the link.</p>\
         </body></html>",
        org = escape_html(&org)
    );
    RenderedEmail { subject, text, html }
}

/// The e-mail with a password reset link: one link, good for an hour, and what to do if the
/// person did not ask for it.
pub fn password_reset_email(organisation_name: &str) -> RenderedEmail {
    let org = single_line(organisation_name);
    let subject = format!("Reset your password for {org}");
    let text = format!(
        "Hello,\n\nSomeone (we hope you) asked to reset the password of your {org} portal login. \
         Choose a new one here:\n{LINK_PLACEHOLDER}\n\nThe link works once, for an hour. \
         If it was not you, ignore this e-mail: your password stays as it is.\n"
    );
    let html = format!(
        "<!doctype html><html><body style=\"font-family:sans-serif;font-size:16px;line-height:1.5\">\
         <p>Hello,</p><p>Someone (we hope you) asked to reset the password of your {org} portal login.</p>\
         <p><a href=\"{LINK_PLACEHOLDER}\">Choose a new password</a></p><p>Or open this link: {LINK_PLACEHOLDER}</p>\
         <p>The link works once, for an hour. If it was not you, ignore this e-mail: your password stays as it is.</p>\
         </body></html>",
        org = escape_html(&org)
    );
    RenderedEmail { subject, text, html }
}

/// The invitation to join an organisation's staff, in a role.
pub fn staff_invitation_email(organisation_name: &str, name: &str, role: &str, invited_by: &str) -> RenderedEmail {
    let org = single_line(organisation_name);
    let (name, role, by) = (single_line(name), single_line(role), single_line(invited_by));
    let subject = format!("Join the {org} team on the member portal");
    let text = format!(
        "Hello {name},\n\n{by} invited you to the {org} team on the member portal, as {role}. \
         Set up your login here:\n{LINK_PLACEHOLDER}\n\nThe link works once, for 7 days. \
         If you did not expect this, ignore this e-mail.\n"
    );
    let html = format!(
        "<!doctype html><html><body style=\"font-family:sans-serif;font-size:16px;line-height:1.5\">\
         <p>Hello {name},</p><p>{by} invited you to the {org} team on the member portal, as {role}.</p>\
         <p><a href=\"{LINK_PLACEHOLDER}\">Set up your login</a></p><p>Or open this link: {LINK_PLACEHOLDER}</p>\
         <p>The link works once, for 7 days. If you did not expect this, ignore this e-mail.</p></body></html>",
        org = escape_html(&org),
        name = escape_html(&name),
        role = escape_html(&role),
        by = escape_html(&by)
    );
    RenderedEmail { subject, text, html }
}

/// The notice sent to both addresses when staff change a login's e-mail: no link, what
/// changed, and whom to ask if it was not wanted.
pub fn login_email_changed_email(organisation_name: &str, old: &str, new: &str) -> RenderedEmail {
    let org = single_line(organisation_name);
    let subject = format!("The e-mail address of your {org} portal login changed");
    let text = format!(
        "Hello,\n\nStaff at {org} changed the e-mail address you sign in to the member portal with, \
         from {old} to {new}. Your password is unchanged.\n\n\
         If you did not ask for this, contact {org} straight away.\n"
    );
    let html = format!(
        "<!doctype html><html><body style=\"font-family:sans-serif;font-size:16px;line-height:1.5\">\
         <p>Hello,</p><p>Staff at {org} changed the e-mail address you sign in to the member portal with, \
         from {old} to {new}. Your password is unchanged.</p>\
         <p>If you did not ask for this, contact {org} straight away.</p></body></html>",
        org = escape_html(&org),
        old = escape_html(old),
        new = escape_html(new)
    );
    RenderedEmail { subject, text, html }
}

/// Puts the real link into a stored body.
pub fn with_link(body: &str, link: &str) -> String {
    body.replace(LINK_PLACEHOLDER, link)
}

fn single_line(s: &str) -> String {
    s.chars().map(|c| if c.is_control() { ' ' } else { c }).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn email(message: Option<&'static str>) -> RenderedEmail {
        invitation_email(&InvitationEmail {
            organisation_name: "Dojo <Kai>\r\nBcc: x@example.org",
            first_name: "<b>Ada</b>",
            on_behalf_of: None,
            personal_message: message,
            subject_addition: None,
            expires_at: 1_795_305_600,
        })
    }

    #[test]
    fn names_and_messages_are_escaped_in_html() {
        let e = email(Some("<script>alert(1)</script>"));
        assert!(e.html.contains("&lt;b&gt;Ada&lt;/b&gt;"));
        assert!(e.html.contains("&lt;script&gt;alert(1)&lt;/script&gt;"));
        assert!(!e.html.contains("<script>"));
        assert!(e.text.contains("<script>alert(1)</script>"), "plain text is not HTML");
    }

    #[test]
    fn subject_is_one_line_and_expiry_is_a_date() {
        let e = email(None);
        assert!(!e.subject.contains('\n') && !e.subject.contains('\r'));
        assert!(e.text.contains("expires on 22 November 2026"));
        assert!(e.html.contains("expires on 22 November 2026"));
        assert!(!e.text.contains("A message from"));
    }

    #[test]
    fn the_link_is_filled_in_at_send_time() {
        let e = email(None);
        assert!(e.text.contains(LINK_PLACEHOLDER));
        let sent = with_link(&e.html, "https://portal.example/invite/abc");
        assert!(!sent.contains(LINK_PLACEHOLDER));
        assert_eq!(sent.matches("https://portal.example/invite/abc").count(), 2);
    }

    #[test]
    fn a_representative_is_told_whose_profile_it_opens() {
        let e = invitation_email(&InvitationEmail {
            organisation_name: "Riverside School",
            first_name: "Pat",
            on_behalf_of: Some("Sam <Lee>"),
            personal_message: None,
            subject_addition: Some("Term starts soon"),
            expires_at: 1_795_305_600,
        });
        assert!(e.text.contains("Hello Pat,") && e.text.contains("see Sam <Lee>'s profile"));
        assert!(e.html.contains("see Sam &lt;Lee&gt;&#39;s profile"));
        assert!(!e.text.contains("your own"));
        assert_eq!(e.subject, "Riverside School invites you to your member portal: Term starts soon");
    }
}
