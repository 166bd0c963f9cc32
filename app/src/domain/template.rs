//! A message template's parts, parsed from what staff typed, and its placeholders filled
//! for one person.

use serde::{Deserialize, Serialize};

use super::has_forbidden_chars;

pub const PLACEHOLDERS: [&str; 2] = ["{first_name}", "{organisation}"];

/// The body: the message part of the invitation e-mail, with placeholders.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TemplateBody(String);

impl TemplateBody {
    pub fn parse(input: &str) -> Result<Self, &'static str> {
        let s = input.trim().replace("\r\n", "\n");
        if s.is_empty() {
            return Err("Write the message.");
        }
        if s.chars().count() > 2000 {
            return Err("That message is too long (2000 characters at most).");
        }
        if has_forbidden_chars(&s, true) {
            return Err("Remove the control characters from this text.");
        }
        if has_unknown_placeholder(&s) {
            return Err("Only {first_name} and {organisation} can be filled in; write other braces out.");
        }
        Ok(Self(s))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// Added to the subject line: one short line, optional.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SubjectAddition(String);

impl SubjectAddition {
    pub fn parse(input: &str) -> Result<Option<Self>, &'static str> {
        let s = input.trim();
        if s.is_empty() {
            return Ok(None);
        }
        if s.chars().count() > 100 {
            return Err("That is too long for a subject line (100 characters at most).");
        }
        if has_forbidden_chars(s, false) {
            return Err("Write it on one line, without control characters.");
        }
        Ok(Some(Self(s.to_owned())))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

fn has_unknown_placeholder(s: &str) -> bool {
    let mut rest = s;
    while let Some(start) = rest.find('{') {
        let tail = &rest[start..];
        match PLACEHOLDERS.iter().find(|p| tail.starts_with(**p)) {
            Some(p) => rest = &tail[p.len()..],
            None => return true,
        }
    }
    false
}

/// The body with its placeholders filled for one person, in one pass: what is filled in is
/// never read as a placeholder again.
pub fn fill(body: &str, first_name: &str, organisation: &str) -> String {
    let mut out = String::with_capacity(body.len());
    let mut rest = body;
    while let Some(start) = rest.find('{') {
        out.push_str(&rest[..start]);
        let tail = &rest[start..];
        let (value, len) = if tail.starts_with(PLACEHOLDERS[0]) {
            (first_name, PLACEHOLDERS[0].len())
        } else if tail.starts_with(PLACEHOLDERS[1]) {
            (organisation, PLACEHOLDERS[1].len())
        } else {
            ("{", 1)
        };
        out.push_str(value);
        rest = &tail[len..];
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_the_two_placeholders_are_allowed_and_filled() {
        let body = TemplateBody::parse("Dear {first_name},\r\nwelcome to {organisation}.").unwrap();
        assert_eq!(fill(body.as_str(), "Ada", "Riverside"), "Dear Ada,\nwelcome to Riverside.");
        assert!(TemplateBody::parse("Hi {name}").is_err());
        assert!(TemplateBody::parse("Hi {first_name").is_err());
        assert!(TemplateBody::parse("  ").is_err());
        // A filled-in name with braces is text, not a placeholder.
        assert_eq!(fill("{first_name}!", "{organisation}", "X"), "{organisation}!");
    }

    #[test]
    fn a_subject_addition_is_one_short_line() {
        assert_eq!(SubjectAddition::parse(" "), Ok(None));
        assert!(SubjectAddition::parse("Term starts\nBcc: x@example.org").is_err());
        assert!(SubjectAddition::parse(&"x".repeat(101)).is_err());
    }
}
