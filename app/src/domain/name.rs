use serde::{Deserialize, Serialize};

/// One part of a person's name (first or last): 1–100 characters, no control characters,
/// not made only of punctuation. Kept as typed, apart from surrounding spaces.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PersonName(String);

pub const MAX_NAME_LEN: usize = 100;

impl PersonName {
    pub fn parse(input: &str) -> Result<Self, &'static str> {
        let s = input.trim();
        if s.is_empty() {
            return Err("Enter a name.");
        }
        if s.chars().count() > MAX_NAME_LEN {
            return Err("That name is too long (100 characters at most).");
        }
        if super::has_forbidden_chars(s, false) {
            return Err("A name cannot contain line breaks or control characters.");
        }
        if !s.chars().any(char::is_alphanumeric) {
            return Err("A name needs at least one letter.");
        }
        Ok(Self(s.to_owned()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keeps_real_names_as_typed() {
        assert_eq!(PersonName::parse("  Siobhán ").unwrap().as_str(), "Siobhán");
        assert!(PersonName::parse("O'Brien-Smith").is_ok());
        assert!(PersonName::parse("李").is_ok());
        assert!(PersonName::parse("<script>alert(1)</script>").is_ok(), "escaped on output, not refused");
    }

    #[test]
    fn rejects_empty_long_and_hostile_names() {
        assert_eq!(PersonName::parse(" "), Err("Enter a name."));
        assert!(PersonName::parse(&"a".repeat(101)).unwrap_err().contains("too long"));
        assert!(PersonName::parse(&"é".repeat(100)).is_ok(), "length counts characters, not bytes");
        assert!(PersonName::parse("Ada\r\nBcc: x@example.org").is_err());
        assert!(PersonName::parse("Ada\u{202E}nimda").is_err());
        assert!(PersonName::parse("---").is_err());
    }
}
