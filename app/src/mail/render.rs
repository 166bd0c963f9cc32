//! The invitation e-mail, as plain text and HTML. The link is left as a placeholder and
//! filled in at send time, so the outbox never holds a usable link.

use crate::domain::html::escape_html;
use crate::domain::template::{Piece, Placeholder, pieces};

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
    /// The full name on the profile the invitation opens: theirs, or the member's they
    /// represent.
    pub member_name: &'a str,
    pub personal_message: Option<&'a str>,
    /// The template's subject and body (`template::BUILT_IN_*` when none was chosen).
    pub subject: &'a str,
    pub body: &'a str,
    /// When the link stops working, in the organisation's time zone: "22 November 2026,
    /// 14:05 CET".
    pub expires: &'a str,
    /// The organisation's face: its logo's whole address, above the words, and the colour
    /// of the link's button ("#1d4ed8").
    pub logo_url: Option<&'a str>,
    pub accent: &'a str,
}

/// The invitation in the template's words, filled for one person: placeholders take their
/// values once (a value is never read as a placeholder), a paragraph that is only `{link}`
/// becomes a button, and a personal message stands where `{message}` does — or, in a
/// template without it, just before the link.
pub fn invitation_email(e: &InvitationEmail<'_>) -> RenderedEmail {
    let org = single_line(e.organisation_name);
    let expiry = single_line(e.expires);
    let value = |slot: Placeholder| -> String {
        match slot {
            Placeholder::FirstName => single_line(e.first_name),
            Placeholder::Organisation => org.clone(),
            Placeholder::MemberName => single_line(e.member_name),
            Placeholder::Expiry => expiry.clone(),
            Placeholder::Link => LINK_PLACEHOLDER.to_owned(),
            Placeholder::Message => e.personal_message.unwrap_or_default().to_owned(),
        }
    };
    let subject = single_line(&fill(e.subject, |piece| match piece {
        Piece::Text(text) => text.to_owned(),
        Piece::Slot(slot) => value(slot),
    }));
    let paragraphs = paragraphs(e.body, e.personal_message);
    let text: Vec<String> = paragraphs
        .iter()
        .map(|paragraph| match paragraph {
            Paragraph::Words(words) => fill(words, |piece| match piece {
                Piece::Text(text) => text.to_owned(),
                Piece::Slot(slot) => value(slot),
            }),
            Paragraph::Message(message) => (*message).to_owned(),
            Paragraph::Button => LINK_PLACEHOLDER.to_owned(),
        })
        .collect();
    let html: String = paragraphs
        .iter()
        .map(|paragraph| match paragraph {
            Paragraph::Words(words) => {
                let inner = fill(words, |piece| match piece {
                    Piece::Text(text) => escape_html(text).replace('\n', "<br>"),
                    Piece::Slot(Placeholder::Link) => format!("<a href=\"{LINK_PLACEHOLDER}\">{LINK_PLACEHOLDER}</a>"),
                    Piece::Slot(slot) => escape_html(&value(slot)).replace('\n', "<br>"),
                });
                format!("<p>{inner}</p>")
            }
            Paragraph::Message(message) => {
                format!("<blockquote style=\"white-space:pre-line\">{}</blockquote>", escape_html(message))
            }
            Paragraph::Button => format!(
                "<p><a href=\"{LINK_PLACEHOLDER}\" style=\"display:inline-block;padding:12px 20px;background:{};\
                 color:#fff;text-decoration:none;border-radius:6px\">Set your password</a></p>\
                 <p style=\"color:#555\">Or open this link: {LINK_PLACEHOLDER}</p>",
                escape_html(e.accent)
            ),
        })
        .collect();
    let logo = e
        .logo_url
        .map(|src| {
            format!(
                "<p><img src=\"{}\" alt=\"{}\" style=\"max-height:64px;max-width:240px\"></p>",
                escape_html(src),
                escape_html(&org)
            )
        })
        .unwrap_or_default();
    RenderedEmail {
        text: format!("{}\n", text.join("\n\n")),
        html: format!(
            "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>{}</title></head>\
             <body style=\"font-family:sans-serif;font-size:16px;line-height:1.5\">{logo}{html}</body></html>",
            escape_html(&subject)
        ),
        subject,
    }
}

/// A paragraph of an invitation's body.
enum Paragraph<'a> {
    /// Words with placeholders.
    Words(&'a str),
    /// The personal message, as typed.
    Message(&'a str),
    /// A paragraph that is only `{link}`.
    Button,
}

fn paragraphs<'a>(body: &'a str, message: Option<&'a str>) -> Vec<Paragraph<'a>> {
    let has_message_slot = pieces(body).contains(&Piece::Slot(Placeholder::Message));
    let mut out = Vec::new();
    let mut message_placed = has_message_slot;
    for paragraph in body.split("\n\n").map(str::trim).filter(|p| !p.is_empty()) {
        let is_link = paragraph == Placeholder::Link.text();
        if !message_placed && (is_link || paragraph.contains(Placeholder::Link.text())) {
            out.extend(message.map(Paragraph::Message));
            message_placed = true;
        }
        if paragraph == Placeholder::Message.text() {
            out.extend(message.map(Paragraph::Message));
        } else if is_link {
            out.push(Paragraph::Button);
        } else {
            out.push(Paragraph::Words(paragraph));
        }
    }
    if !message_placed {
        out.extend(message.map(Paragraph::Message));
    }
    out
}

/// `text` with each of its pieces as `piece` writes it.
fn fill(text: &str, piece: impl Fn(Piece<'_>) -> String) -> String {
    pieces(text).into_iter().map(piece).collect()
}

/// The e-mail that proves a sign-up's address: one link, nothing else to act on.
pub fn sign_up_email(organisation_name: &str, expires: &str) -> RenderedEmail {
    let org = single_line(organisation_name);
    let expiry = single_line(expires);
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

/// The notice sent to the owner and administrators when a webhook endpoint has failed for
/// five days and was disabled: which address, and what to do about it.
pub fn webhook_disabled_email(organisation_name: &str, url: &str) -> RenderedEmail {
    let org = single_line(organisation_name);
    let subject = format!("A webhook endpoint of {org} was disabled");
    let text = format!(
        "Hello,\n\nEvery delivery to the webhook endpoint {url} failed for 5 days, so the member portal \
         stopped sending to it. Its deliveries are listed on Settings → Webhooks.\n\n\
         Once it answers again, enable it there: messages still being retried are then sent.\n"
    );
    let html = format!(
        "<!doctype html><html><body style=\"font-family:sans-serif;font-size:16px;line-height:1.5\">\
         <p>Hello,</p><p>Every delivery to the webhook endpoint {url} failed for 5 days, so the member portal \
         stopped sending to it. Its deliveries are listed on Settings → Webhooks.</p>\
         <p>Once it answers again, enable it there: messages still being retried are then sent.</p></body></html>",
        url = escape_html(url)
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
    use crate::domain::brand::DEFAULT_ACCENT;
    use crate::domain::template::{BUILT_IN_BODY, BUILT_IN_SUBJECT};

    fn email(message: Option<&'static str>) -> RenderedEmail {
        invitation_email(&InvitationEmail {
            organisation_name: "Dojo <Kai>\r\nBcc: x@example.org",
            first_name: "<b>Ada</b>",
            member_name: "<b>Ada</b> Byron",
            personal_message: message,
            subject: BUILT_IN_SUBJECT,
            body: BUILT_IN_BODY,
            expires: "22 November 2026, 00:00 UTC",
            logo_url: None,
            accent: DEFAULT_ACCENT,
        })
    }

    #[test]
    fn names_and_messages_are_escaped_in_html() {
        let e = email(Some("<script>alert(1)</script>"));
        assert!(e.html.contains("&lt;b&gt;Ada&lt;/b&gt;"));
        assert!(e.html.contains("&lt;script&gt;alert(1)&lt;/script&gt;"));
        assert!(!e.html.contains("<script>") && !e.html.contains("<b>"));
        assert!(e.text.contains("<script>alert(1)</script>"), "plain text is not HTML");
    }

    #[test]
    fn subject_is_one_line_and_expiry_is_a_date() {
        let e = email(None);
        assert_eq!(e.subject, "Dojo <Kai>  Bcc: x@example.org invites you to your member portal");
        assert!(e.text.contains("expires on 22 November 2026, 00:00 UTC."));
        assert!(e.html.contains("expires on 22 November 2026, 00:00 UTC."));
        assert!(!e.text.contains("{message}") && !e.text.contains("\n\n\n"), "{}", e.text);
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
    fn a_template_replaces_the_words_and_a_message_goes_before_the_link() {
        let e = invitation_email(&InvitationEmail {
            organisation_name: "Riverside School",
            first_name: "Pat",
            member_name: "Sam <Lee>",
            personal_message: Some("See you {first_name}"),
            subject: "{first_name}, your family account for {member_name}",
            body: "Dear {first_name},\n\nSam's account is ready:\n\n{link}\n\nUntil {expiry}.",
            expires: "22 November 2026, 00:00 UTC",
            logo_url: Some("https://portal.example/logo/1/ab\"cd"),
            accent: "#7c2d12",
        });
        assert_eq!(e.subject, "Pat, your family account for Sam <Lee>");
        assert_eq!(
            e.text,
            format!(
                "Dear Pat,\n\nSam's account is ready:\n\nSee you {{first_name}}\n\n{LINK_PLACEHOLDER}\n\nUntil 22 November 2026, 00:00 UTC.\n"
            )
        );
        assert!(!e.text.contains("Hello") && !e.text.contains("A message from"));
        assert!(e.html.contains("<p>Sam&#39;s account is ready:</p><blockquote"), "{}", e.html);
        assert!(e.html.contains("<img src=\"https://portal.example/logo/1/ab&quot;cd\" alt=\"Riverside School\""));
        assert!(e.html.contains("background:#7c2d12;"), "the organisation's colour on the button");
    }

    #[test]
    fn a_link_inside_a_sentence_is_a_link_and_lines_stay_lines() {
        let e = invitation_email(&InvitationEmail {
            organisation_name: "Riverside",
            first_name: "Pat",
            member_name: "Pat Lee",
            personal_message: None,
            subject: "Hi",
            body: "Open {link} today.\nThanks,\n{organisation}",
            expires: "1 January 1970, 00:00 UTC",
            logo_url: None,
            accent: DEFAULT_ACCENT,
        });
        assert!(e.html.contains(&format!(
            "<p>Open <a href=\"{LINK_PLACEHOLDER}\">{LINK_PLACEHOLDER}</a> today.<br>Thanks,<br>Riverside</p>"
        )));
    }
}
