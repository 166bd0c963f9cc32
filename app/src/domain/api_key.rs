//! Keys other systems call `/api/v1` with: what a key is called and what it may do.

use serde::{Deserialize, Serialize};

/// Every key starts with this, so a leaked one is recognised (by secret scanners too).
pub const PREFIX: &str = "pk_live_";
/// How much of a key the list shows, to tell keys apart: the prefix and six characters.
pub const SHOWN_CHARS: usize = PREFIX.len() + 6;

/// What a key may do: read only, or read and write.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum KeyAccess {
    Read,
    ReadWrite,
}

impl KeyAccess {
    pub fn parse(slug: &str) -> Result<Self, &'static str> {
        match slug {
            "read" => Ok(Self::Read),
            "read_write" => Ok(Self::ReadWrite),
            _ => Err("Choose what the key may do: read, or read and write."),
        }
    }

    pub fn slug(self) -> &'static str {
        match self {
            Self::Read => "read",
            Self::ReadWrite => "read_write",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Self::Read => "Read",
            Self::ReadWrite => "Read and write",
        }
    }

    pub fn may_write(self) -> bool {
        self == Self::ReadWrite
    }
}

/// A key's name, as its maker tells keys apart ("School office sync"): 1–60 characters on one
/// line.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct KeyName(String);

impl KeyName {
    pub fn parse(input: &str) -> Result<Self, &'static str> {
        let s = input.trim();
        if s.is_empty() {
            return Err("Give the key a name, such as the system that will use it.");
        }
        if s.chars().count() > 60 {
            return Err("That name is too long (60 characters at most).");
        }
        if super::has_forbidden_chars(s, false) {
            return Err("Write the name on one line, without control characters.");
        }
        Ok(Self(s.to_owned()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// The key an `Authorization: Bearer …` header carries, when it is one of ours in form.
pub fn bearer_key(authorization: &str) -> Option<&str> {
    let (scheme, key) = authorization.trim().split_once(' ')?;
    let key = key.trim();
    let well_formed = scheme.eq_ignore_ascii_case("bearer")
        && key.starts_with(PREFIX)
        && key.len() <= 100
        && key[PREFIX.len()..].chars().all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_');
    well_formed.then_some(key)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_our_keys_in_a_bearer_header_are_read() {
        assert_eq!(bearer_key("Bearer pk_live_abc-_9"), Some("pk_live_abc-_9"));
        assert_eq!(bearer_key("bearer  pk_live_abc "), Some("pk_live_abc"));
        assert_eq!(bearer_key("Basic pk_live_abc"), None);
        assert_eq!(bearer_key("Bearer sk_live_abc"), None);
        assert_eq!(bearer_key("Bearer pk_live_a'b"), None);
        assert_eq!(bearer_key("Bearer"), None);
    }

    #[test]
    fn names_and_access_are_checked() {
        assert!(KeyName::parse("  ").is_err());
        assert!(KeyName::parse("a\nb").is_err());
        assert_eq!(KeyName::parse(" Office sync ").unwrap().as_str(), "Office sync");
        assert_eq!(KeyAccess::parse("read_write"), Ok(KeyAccess::ReadWrite));
        assert!(KeyAccess::parse("admin").is_err());
    }
}
