use serde::{Deserialize, Serialize};

/// An e-mail address as people type it, trimmed and lower-cased so that one person has one
/// login. Deliberately plain: one `@`, a dotted domain, no spaces or control characters.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Email(String);

pub const MAX_EMAIL_LEN: usize = 254;

impl Email {
    pub fn parse(input: &str) -> Result<Self, &'static str> {
        let s = input.trim();
        if s.is_empty() {
            return Err("Enter an e-mail address.");
        }
        if s.chars().count() > MAX_EMAIL_LEN {
            return Err("That e-mail address is too long (254 characters at most).");
        }
        if super::has_forbidden_chars(s, false) || s.chars().any(char::is_whitespace) {
            return Err("An e-mail address cannot contain spaces or line breaks.");
        }
        let Some((local, domain)) = s.split_once('@') else {
            return Err("Enter an e-mail address like name@example.org.");
        };
        let well_formed = !local.is_empty()
            && local.len() <= 64
            && !domain.contains('@')
            && !local.contains(['<', '>', '"', ',', ';', '\\', '(', ')', '[', ']'])
            && domain.contains('.')
            && domain.split('.').all(|label| !label.is_empty() && !label.starts_with('-') && !label.ends_with('-'))
            && domain.chars().all(|c| c.is_alphanumeric() || c == '-' || c == '.');
        if !well_formed {
            return Err("Enter an e-mail address like name@example.org.");
        }
        Ok(Self(s.to_lowercase()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl std::fmt::Display for Email {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accepts_ordinary_addresses_and_normalises_them() {
        assert_eq!(Email::parse("  Ada@Example.ORG ").unwrap().as_str(), "ada@example.org");
        assert!(Email::parse("first.last+tag@sub.example.co.uk").is_ok());
        assert!(Email::parse("zoë@exämple.de").is_ok());
    }

    #[test]
    fn rejects_empty_and_whitespace() {
        assert_eq!(Email::parse(""), Err("Enter an e-mail address."));
        assert_eq!(Email::parse("   "), Err("Enter an e-mail address."));
    }

    #[test]
    fn rejects_header_injection() {
        assert!(Email::parse("a@example.org\r\nBcc: evil@example.com").is_err());
        assert!(Email::parse("a@example.org\nx").is_err());
        assert!(Email::parse("a\u{0}@example.org").is_err());
    }

    #[test]
    fn rejects_malformed_addresses() {
        for bad in [
            "plainaddress",
            "@example.org",
            "a@",
            "a@b",
            "a@@example.org",
            "a@exa mple.org",
            "a@-example.org",
            "a@example..org",
            "Ada <ada@example.org>",
            "a,b@example.org",
        ] {
            assert!(Email::parse(bad).is_err(), "{bad} should be rejected");
        }
    }

    #[test]
    fn rejects_overlong_addresses() {
        let long = format!("{}@example.org", "a".repeat(250));
        assert!(Email::parse(&long).unwrap_err().contains("too long"));
        let long_local = format!("{}@example.org", "a".repeat(65));
        assert!(Email::parse(&long_local).is_err());
    }
}
