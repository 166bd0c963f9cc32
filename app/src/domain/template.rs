//! An invitation's words: a subject and a body with placeholders, parsed from what staff
//! typed (or the built-in wording), and cut into pieces a renderer fills for one person.

use serde::{Deserialize, Serialize};

use super::has_forbidden_chars;

/// What a template may say and the renderer fills in, one person at a time.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Placeholder {
    FirstName,
    Organisation,
    /// The full name on the profile the invitation opens (the person's own, or the child's
    /// for a parent).
    MemberName,
    Link,
    Expiry,
    /// The personal message typed on the invite page (nothing when none was).
    Message,
}

impl Placeholder {
    pub const ALL: [Placeholder; 6] = [
        Placeholder::FirstName,
        Placeholder::Organisation,
        Placeholder::MemberName,
        Placeholder::Link,
        Placeholder::Expiry,
        Placeholder::Message,
    ];

    pub const fn text(self) -> &'static str {
        match self {
            Placeholder::FirstName => "{first_name}",
            Placeholder::Organisation => "{organisation}",
            Placeholder::MemberName => "{member_name}",
            Placeholder::Link => "{link}",
            Placeholder::Expiry => "{expiry}",
            Placeholder::Message => "{message}",
        }
    }

    /// Those a subject line may hold: no link, no message.
    fn fits_a_subject(self) -> bool {
        !matches!(self, Placeholder::Link | Placeholder::Message)
    }
}

/// The words every organisation starts with; a template replaces them whole.
pub const BUILT_IN_SUBJECT: &str = "{organisation} invites you to your member portal";
pub const BUILT_IN_BODY: &str = "Hello {first_name},\n\n\
{organisation} invites you to its member portal, where you can see the profile of {member_name}: \
memberships, bookings and files.\n\n\
{message}\n\n\
Set your password with this link:\n\n\
{link}\n\n\
The link works once and expires on {expiry}. If it has expired, ask {organisation} for a new one.\n\n\
If you were not expecting this e-mail, you can ignore it.";

/// A run of text, or a placeholder to fill.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Piece<'a> {
    Text(&'a str),
    Slot(Placeholder),
}

/// `text` cut at its placeholders, in one pass: what is filled in later is never read as a
/// placeholder again. A brace that starts no placeholder stays text (parsed templates have
/// none).
pub fn pieces(text: &str) -> Vec<Piece<'_>> {
    let mut out = Vec::new();
    let mut rest = text;
    while let Some(start) = rest.find('{') {
        let tail = &rest[start..];
        match Placeholder::ALL.into_iter().find(|p| tail.starts_with(p.text())) {
            Some(found) => {
                if start > 0 {
                    out.push(Piece::Text(&rest[..start]));
                }
                out.push(Piece::Slot(found));
                rest = &tail[found.text().len()..];
            }
            None => {
                out.push(Piece::Text(&rest[..=start]));
                rest = &tail[1..];
            }
        }
    }
    if !rest.is_empty() {
        out.push(Piece::Text(rest));
    }
    out
}

/// The body: the whole e-mail but its subject, with `{link}` somewhere in it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TemplateBody(String);

impl TemplateBody {
    pub fn parse(input: &str) -> Result<Self, &'static str> {
        let s = input.trim().replace("\r\n", "\n");
        if s.is_empty() {
            return Err("Write the e-mail.");
        }
        if s.chars().count() > 5000 {
            return Err("That e-mail is too long (5000 characters at most).");
        }
        if has_forbidden_chars(&s, true) {
            return Err("Remove the control characters from this text.");
        }
        if has_unknown_braces(&s, |_| true) {
            return Err("Only {first_name}, {organisation}, {member_name}, {link}, {expiry} and {message} can be \
                        filled in; write other braces out.");
        }
        if !pieces(&s).contains(&Piece::Slot(Placeholder::Link)) {
            return Err("Put {link} where the link to set a password goes: without it nobody can accept.");
        }
        Ok(Self(s))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// The subject line, one short line, its placeholders filled per person.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TemplateSubject(String);

impl TemplateSubject {
    pub fn parse(input: &str) -> Result<Self, &'static str> {
        let s = input.trim();
        if s.is_empty() {
            return Err("Write the subject line.");
        }
        if s.chars().count() > 150 {
            return Err("That is too long for a subject line (150 characters at most).");
        }
        if has_forbidden_chars(s, false) {
            return Err("Write it on one line, without control characters.");
        }
        if has_unknown_braces(s, Placeholder::fits_a_subject) {
            return Err("Only {first_name}, {organisation}, {member_name} and {expiry} can be filled in a subject; \
                        write other braces out.");
        }
        Ok(Self(s.to_owned()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// Whether a brace starts no placeholder, or one `allowed` refuses.
fn has_unknown_braces(s: &str, allowed: impl Fn(Placeholder) -> bool) -> bool {
    !pieces(s).into_iter().all(|piece| match piece {
        Piece::Slot(p) => allowed(p),
        Piece::Text(text) => !text.contains('{'),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_body_needs_its_link_and_knows_its_placeholders() {
        assert!(TemplateBody::parse("Dear {first_name},\r\nwelcome: {link}").is_ok());
        assert!(TemplateBody::parse("Dear {first_name}, welcome.").unwrap_err().contains("{link}"));
        assert!(TemplateBody::parse("Hi {name} {link}").unwrap_err().contains("{first_name}"));
        assert!(TemplateBody::parse("Hi {first_name {link}").is_err());
        assert!(TemplateBody::parse("  ").is_err());
        assert!(TemplateBody::parse(BUILT_IN_BODY).is_ok());
    }

    #[test]
    fn a_subject_is_one_short_line_without_link_or_message() {
        assert!(TemplateSubject::parse("Welcome to {organisation}, {first_name}").is_ok());
        assert!(TemplateSubject::parse(" ").is_err());
        assert!(TemplateSubject::parse("Term starts\nBcc: x@example.org").is_err());
        assert!(TemplateSubject::parse(&"x".repeat(151)).is_err());
        assert!(TemplateSubject::parse("Your link: {link}").unwrap_err().contains("in a subject"));
        assert!(TemplateSubject::parse("{message}").is_err());
        assert!(TemplateSubject::parse(BUILT_IN_SUBJECT).is_ok());
    }

    #[test]
    fn pieces_are_cut_once_and_stray_braces_stay_text() {
        assert_eq!(
            pieces("Hi {first_name}! {x} {link}"),
            vec![
                Piece::Text("Hi "),
                Piece::Slot(Placeholder::FirstName),
                Piece::Text("! {"),
                Piece::Text("x} "),
                Piece::Slot(Placeholder::Link),
            ]
        );
    }
}
