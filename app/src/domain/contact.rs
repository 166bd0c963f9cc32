//! Optional free-text fields of a profile and of an invitation. Each parses from what was
//! typed; an empty field is `None`, not an error.

use serde::{Deserialize, Serialize};

use super::has_forbidden_chars;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Phone(String);

impl Phone {
    pub fn parse(input: &str) -> Result<Option<Self>, &'static str> {
        let s = input.trim();
        if s.is_empty() {
            return Ok(None);
        }
        if s.chars().count() > 32 {
            return Err("That phone number is too long (32 characters at most).");
        }
        let allowed = |c: char| c.is_ascii_digit() || " +-().".contains(c);
        if !s.chars().all(allowed) || s.chars().filter(char::is_ascii_digit).count() < 3 {
            return Err("Enter a phone number using digits, spaces and + - ( ) only.");
        }
        Ok(Some(Self(s.to_owned())))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PostalAddress(String);

impl PostalAddress {
    pub fn parse(input: &str) -> Result<Option<Self>, &'static str> {
        parse_multiline(input, 300, "That address is too long (300 characters at most).").map(|s| s.map(Self))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// How a representative stands to the member, in the organisation's words: "parent",
/// "guardian", "bookkeeper". One line.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Relation(String);

impl Relation {
    pub fn parse(input: &str) -> Result<Option<Self>, &'static str> {
        let s = input.trim();
        if s.is_empty() {
            return Ok(None);
        }
        if s.chars().count() > 60 {
            return Err("That relation is too long (60 characters at most).");
        }
        if has_forbidden_chars(s, false) {
            return Err("Write the relation on one line, without control characters.");
        }
        Ok(Some(Self(s.to_owned())))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// The optional note staff add to an invitation e-mail.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PersonalMessage(String);

impl PersonalMessage {
    pub fn parse(input: &str) -> Result<Option<Self>, &'static str> {
        parse_multiline(input, 1000, "That message is too long (1000 characters at most).").map(|s| s.map(Self))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

fn parse_multiline(input: &str, max_chars: usize, too_long: &'static str) -> Result<Option<String>, &'static str> {
    let s = input.trim().replace("\r\n", "\n");
    if s.is_empty() {
        return Ok(None);
    }
    if s.chars().count() > max_chars {
        return Err(too_long);
    }
    if has_forbidden_chars(&s, true) {
        return Err("Remove the control characters from this text.");
    }
    Ok(Some(s))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn empty_optional_fields_are_none() {
        assert_eq!(Phone::parse("  "), Ok(None));
        assert_eq!(Relation::parse(" "), Ok(None));
        assert_eq!(PostalAddress::parse(""), Ok(None));
        assert_eq!(PersonalMessage::parse("\n"), Ok(None));
    }

    #[test]
    fn phone_numbers() {
        assert_eq!(Phone::parse(" +44 (0)20 7946-0958 ").unwrap().unwrap().as_str(), "+44 (0)20 7946-0958");
        assert!(Phone::parse("call me").is_err());
        assert!(Phone::parse("+-").is_err());
        assert!(Phone::parse(&"1".repeat(33)).is_err());
        assert!(Phone::parse("123\n456").is_err());
    }

    #[test]
    fn addresses_and_messages_keep_lines_but_not_control_characters() {
        let address = PostalAddress::parse("1 High Street\r\nLeeds LS1 1AA").unwrap().unwrap();
        assert_eq!(address.as_str(), "1 High Street\nLeeds LS1 1AA");
        assert!(PostalAddress::parse("a\u{7}b").is_err());
        assert!(PostalAddress::parse(&"x".repeat(301)).unwrap_err().contains("too long"));
        assert!(PersonalMessage::parse(&"x".repeat(1000)).is_ok());
        assert!(PersonalMessage::parse(&"x".repeat(1001)).is_err());
    }

    #[test]
    fn a_relation_is_one_short_line() {
        assert_eq!(Relation::parse(" parent ").unwrap().unwrap().as_str(), "parent");
        assert!(Relation::parse("parent\nand more").is_err());
        assert!(Relation::parse(&"x".repeat(61)).is_err());
    }
}
