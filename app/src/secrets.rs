//! Random values from the OS CSPRNG, and the one-way and sealed forms we store instead of
//! them. Hashes are domain-separated by kind, so a token of one kind is useless as another.

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use chacha20poly1305::aead::{Aead, KeyInit};
use chacha20poly1305::{ChaCha20Poly1305, Key, Nonce};
use hmac::{Hmac, Mac};
use sha2::{Digest, Sha256};

use crate::domain::InviteToken;
use crate::domain::token::TOKEN_BYTES;

pub fn random_bytes<const N: usize>() -> [u8; N] {
    let mut bytes = [0u8; N];
    getrandom::getrandom(&mut bytes).expect("the OS random number generator is unavailable");
    bytes
}

pub fn new_invite_token() -> InviteToken {
    InviteToken::from_random_bytes(random_bytes::<TOKEN_BYTES>())
}

pub fn invite_token_hash(token: &InviteToken) -> String {
    typed_hash("portico invitation token", token.expose())
}

/// A sign-up's confirmation token is made like an invitation's but hashed as its own kind:
/// neither works in the other's place (SECURITY.md rule 2).
pub fn sign_up_token_hash(token: &InviteToken) -> String {
    typed_hash("portico sign-up token", token.expose())
}

/// A password reset's token: its own kind again (SECURITY.md rule 2).
pub fn password_reset_token_hash(token: &InviteToken) -> String {
    typed_hash("portico password reset", token.expose())
}

/// A staff invitation's token: its own kind, so it opens no member invitation and no member
/// invitation's token opens it (SECURITY.md rule 2).
pub fn staff_invitation_token_hash(token: &InviteToken) -> String {
    typed_hash("portico staff invitation", token.expose())
}

/// A session id for the cookie: 256 random bits.
pub fn new_session_id() -> String {
    URL_SAFE_NO_PAD.encode(random_bytes::<32>())
}

pub fn session_id_hash(session_id: &str) -> String {
    typed_hash("portico session", session_id)
}

/// A new key for /api/v1: its prefix (`domain::api_key::PREFIX`, so a leaked key is
/// recognised by scanners and people) and 256 random bits.
pub fn new_api_key() -> String {
    format!("{}{}", crate::domain::api_key::PREFIX, URL_SAFE_NO_PAD.encode(random_bytes::<32>()))
}

/// An API key is stored as this hash only: 256 random bits need no slow hash.
pub fn api_key_hash(key: &str) -> String {
    typed_hash("portico api key", key)
}

/// A fresh nonce for claims and idempotency keys.
/// A webhook endpoint's signing secret, as the Standard Webhooks specification writes one:
/// `whsec_` and 24 random bytes in base64.
pub fn new_webhook_secret() -> String {
    format!("whsec_{}", base64::engine::general_purpose::STANDARD.encode(random_bytes::<24>()))
}

/// The `webhook-signature` header of a message (Standard Webhooks): `v1,` and the base64
/// HMAC-SHA256 of `id.timestamp.body` under the secret's bytes.
pub fn webhook_signature(secret: &str, id: &str, timestamp: i64, body: &str) -> String {
    let mac = webhook_mac(&webhook_key(secret).unwrap_or_default(), id, timestamp, body.as_bytes());
    format!("v1,{}", base64::engine::general_purpose::STANDARD.encode(mac.finalize().into_bytes()))
}

/// Whether `signatures` (a `webhook-signature` or `svix-signature` header: `v1,<base64>`
/// entries separated by spaces) holds the signature of this message under `secret`, as
/// `webhook_signature` makes it; compared in constant time.
pub fn webhook_signature_matches(secret: &str, id: &str, timestamp: i64, body: &[u8], signatures: &str) -> bool {
    let standard = base64::engine::general_purpose::STANDARD;
    let Some(key) = webhook_key(secret) else { return false };
    signatures.split_whitespace().filter_map(|entry| entry.strip_prefix("v1,")).any(|given| {
        let Ok(given) = standard.decode(given) else { return false };
        webhook_mac(&key, id, timestamp, body).verify_slice(&given).is_ok()
    })
}

/// A `whsec_` secret's key bytes.
fn webhook_key(secret: &str) -> Option<Vec<u8>> {
    base64::engine::general_purpose::STANDARD.decode(secret.trim_start_matches("whsec_")).ok()
}

/// The HMAC-SHA256 of `id.timestamp.body` under `key`, both ways of webhooks sign.
fn webhook_mac(key: &[u8], id: &str, timestamp: i64, body: &[u8]) -> Hmac<Sha256> {
    let mut mac = <Hmac<Sha256> as Mac>::new_from_slice(key).expect("HMAC takes a key of any length");
    mac.update(format!("{id}.{timestamp}.").as_bytes());
    mac.update(body);
    mac
}

pub fn new_nonce() -> String {
    URL_SAFE_NO_PAD.encode(random_bytes::<16>())
}

/// SHA-256 of some bytes, in hex: a name that changes whenever they do (a logo's address).
pub fn digest(bytes: &[u8]) -> String {
    Sha256::digest(bytes).iter().map(|b| format!("{b:02x}")).collect()
}

fn typed_hash(kind: &str, secret: &str) -> String {
    let mut hasher = Sha256::new();
    hasher.update(kind.as_bytes());
    hasher.update([0u8]);
    hasher.update(secret.as_bytes());
    hasher.finalize().iter().map(|b| format!("{b:02x}")).collect()
}

/// The server's 32-byte key for sealing values it must keep for a while but never in clear.
#[derive(Clone)]
pub struct SecretKey([u8; 32]);

impl SecretKey {
    pub fn generate() -> Self {
        Self(random_bytes())
    }

    /// From its base64url form (43 characters).
    pub fn parse(encoded: &str) -> Option<Self> {
        URL_SAFE_NO_PAD.decode(encoded.trim()).ok()?.try_into().ok().map(Self)
    }

    pub fn encode(&self) -> String {
        URL_SAFE_NO_PAD.encode(self.0)
    }

    /// ChaCha20-Poly1305 with a random nonce, base64url(nonce ‖ ciphertext).
    pub fn seal(&self, plaintext: &str) -> String {
        let nonce = random_bytes::<12>();
        let cipher = ChaCha20Poly1305::new(Key::from_slice(&self.0));
        let sealed =
            cipher.encrypt(Nonce::from_slice(&nonce), plaintext.as_bytes()).expect("sealing a short value cannot fail");
        URL_SAFE_NO_PAD.encode([nonce.as_slice(), &sealed].concat())
    }

    /// HMAC-SHA256 of `text`, base64url: proves a value came from this server.
    pub fn sign(&self, text: &str) -> String {
        URL_SAFE_NO_PAD.encode(self.mac(text).finalize().into_bytes())
    }

    /// Whether `signature` is `sign(text)`, compared in constant time.
    pub fn verify(&self, text: &str, signature: &str) -> bool {
        URL_SAFE_NO_PAD.decode(signature).is_ok_and(|bytes| self.mac(text).verify_slice(&bytes).is_ok())
    }

    fn mac(&self, text: &str) -> Hmac<Sha256> {
        let mut mac = <Hmac<Sha256> as Mac>::new_from_slice(&self.0).expect("HMAC takes a key of any length");
        mac.update(text.as_bytes());
        mac
    }

    pub fn open(&self, sealed: &str) -> Option<String> {
        let bytes = URL_SAFE_NO_PAD.decode(sealed).ok()?;
        if bytes.len() < 12 {
            return None;
        }
        let (nonce, ciphertext) = bytes.split_at(12);
        let cipher = ChaCha20Poly1305::new(Key::from_slice(&self.0));
        String::from_utf8(cipher.decrypt(Nonce::from_slice(nonce), ciphertext).ok()?).ok()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_are_fresh_and_hashes_are_typed() {
        let a = new_invite_token();
        let b = new_invite_token();
        assert_ne!(a, b);
        assert_eq!(invite_token_hash(&a).len(), 64);
        assert!(!invite_token_hash(&a).contains(a.expose()));
        // The same secret presented as a session id hashes to something else entirely.
        assert_ne!(invite_token_hash(&a), session_id_hash(a.expose()));
    }

    #[test]
    fn sealed_values_open_only_with_their_key() {
        let key = SecretKey::generate();
        let sealed = key.seal("the token");
        assert!(!sealed.contains("the token"));
        assert_eq!(key.open(&sealed).as_deref(), Some("the token"));
        assert_eq!(SecretKey::generate().open(&sealed), None);
        assert_eq!(key.open("garbage"), None);
        assert_eq!(SecretKey::parse(&key.encode()).map(|k| k.0), Some(key.0));
        assert!(SecretKey::parse("short").is_none());
    }
}
