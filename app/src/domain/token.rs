use serde::{Deserialize, Serialize};

/// The secret in an invitation link: 32 random bytes, base64url without padding (43
/// characters). Parsing only checks the shape; whether it is live is the store's question.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct InviteToken(String);

pub const TOKEN_BYTES: usize = 32;
pub const TOKEN_CHARS: usize = 43;

impl InviteToken {
    pub fn parse(input: &str) -> Option<Self> {
        let well_formed =
            input.len() == TOKEN_CHARS && input.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_');
        well_formed.then(|| Self(input.to_owned()))
    }

    /// Encodes random bytes drawn by the caller (the server's CSPRNG).
    pub fn from_random_bytes(bytes: [u8; TOKEN_BYTES]) -> Self {
        Self(base64url_no_pad(&bytes))
    }

    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl std::fmt::Debug for InviteToken {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("InviteToken(…)")
    }
}

fn base64url_no_pad(bytes: &[u8]) -> String {
    const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    let mut out = String::with_capacity(bytes.len().div_ceil(3) * 4);
    for chunk in bytes.chunks(3) {
        let n = chunk.iter().enumerate().fold(0u32, |n, (i, b)| n | (u32::from(*b) << (16 - 8 * i)));
        let sextets = chunk.len() + 1;
        for i in 0..sextets {
            out.push(ALPHABET[((n >> (18 - 6 * i)) & 63) as usize] as char);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn random_bytes_become_a_43_character_url_safe_token() {
        let token = InviteToken::from_random_bytes([0xfb; 32]);
        assert_eq!(token.expose().len(), 43);
        assert!(token.expose().starts_with("-_v7"));
        assert_eq!(InviteToken::parse(token.expose()), Some(token));
    }

    #[test]
    fn matches_standard_base64url() {
        assert_eq!(base64url_no_pad(b"any carnal pleas"), "YW55IGNhcm5hbCBwbGVhcw");
        assert_eq!(base64url_no_pad(&[0, 0, 0]), "AAAA");
    }

    #[test]
    fn rejects_anything_not_shaped_like_a_token() {
        let good = "A".repeat(43);
        assert!(InviteToken::parse(&good).is_some());
        for bad in [
            String::new(),
            "A".repeat(42),
            "A".repeat(44),
            format!("{}=", "A".repeat(42)),
            format!("{}/", "A".repeat(42)),
            format!("{}%", "A".repeat(42)),
            format!("{}é", "A".repeat(41)),
            "../../etc/passwd".into(),
        ] {
            assert!(InviteToken::parse(&bad).is_none(), "{bad:?}");
        }
    }

    #[test]
    fn debug_output_hides_the_token() {
        let token = InviteToken::from_random_bytes([7; 32]);
        assert!(!format!("{token:?}").contains(token.expose()));
    }
}
