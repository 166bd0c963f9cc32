use serde::{Deserialize, Serialize};

/// A password someone chose: 8–256 characters, counted as characters, never truncated and
/// with no composition rules. `Debug` never shows it.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Password(String);

pub const MIN_PASSWORD_CHARS: usize = 8;
pub const MAX_PASSWORD_CHARS: usize = 256;

impl Password {
    pub fn parse(input: &str) -> Result<Self, &'static str> {
        let chars = input.chars().count();
        if chars == 0 {
            return Err("Choose a password.");
        }
        if chars < MIN_PASSWORD_CHARS {
            return Err("Use at least 8 characters.");
        }
        if chars > MAX_PASSWORD_CHARS {
            return Err("Use 256 characters at most.");
        }
        if input.trim().is_empty() {
            return Err("A password cannot be only spaces.");
        }
        Ok(Self(input.to_owned()))
    }

    /// The repeat typed under it must be the same, character for character.
    pub fn check_repeat(password: &str, repeat: &str) -> Result<(), &'static str> {
        if password == repeat { Ok(()) } else { Err("The two passwords are not the same.") }
    }

    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl std::fmt::Debug for Password {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Password(…)")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn length_is_counted_in_characters_and_never_truncated() {
        assert_eq!(Password::parse("").unwrap_err(), "Choose a password.");
        assert_eq!(Password::parse("1234567").unwrap_err(), "Use at least 8 characters.");
        assert!(Password::parse("12345678").is_ok());
        assert!(Password::parse("ééééé€€€").is_ok(), "8 characters, 19 bytes");
        let longest = "p".repeat(256);
        assert_eq!(Password::parse(&longest).unwrap().expose(), longest);
        assert!(Password::parse(&"p".repeat(257)).is_err());
        assert!(Password::parse("        ").is_err());
    }

    #[test]
    fn the_repeat_must_match_exactly() {
        assert!(Password::check_repeat("correct horse", "correct horse").is_ok());
        let mismatch = Password::check_repeat("correct horse", "correct horse ");
        assert_eq!(mismatch.unwrap_err(), "The two passwords are not the same.");
    }

    #[test]
    fn debug_output_hides_the_password() {
        let p = Password::parse("correct horse battery").unwrap();
        assert!(!format!("{p:?}").contains("horse"));
    }
}
