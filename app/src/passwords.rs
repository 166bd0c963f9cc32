//! argon2id, the same parameters on every target: OWASP's minimum (19 MiB, 2 passes, 1 lane).

use argon2::password_hash::{PasswordHash, PasswordHasher as _, PasswordVerifier as _, SaltString};
use argon2::{Algorithm, Argon2, Params, Version};

use crate::domain::Password;

/// Refuses a password on the common-passwords list (app/data), whatever its letter case.
pub fn refuse_common(password: Password) -> Result<Password, &'static str> {
    static LIST: std::sync::OnceLock<Vec<&'static str>> = std::sync::OnceLock::new();
    let list = LIST.get_or_init(|| include_str!("../data/common-passwords.txt").lines().collect());
    if list.binary_search(&password.expose().to_lowercase().as_str()).is_ok() {
        Err("This is one of the most common passwords, so it is among the first an attacker tries. Choose another.")
    } else {
        Ok(password)
    }
}

pub const MEMORY_KIB: u32 = 19_456;
pub const ITERATIONS: u32 = 2;
pub const PARALLELISM: u32 = 1;

fn argon2() -> Argon2<'static> {
    let params = Params::new(MEMORY_KIB, ITERATIONS, PARALLELISM, None).expect("valid argon2 parameters");
    Argon2::new(Algorithm::Argon2id, Version::V0x13, params)
}

/// The PHC string to store.
pub fn hash_password(password: &Password) -> String {
    let salt = SaltString::encode_b64(&crate::secrets::random_bytes::<16>()).expect("16-byte salt");
    argon2()
        .hash_password(password.expose().as_bytes(), &salt)
        .expect("argon2 hashing with valid parameters")
        .to_string()
}

/// Checks with the parameters recorded in the PHC string; a malformed string never matches.
pub fn verify_password(candidate: &str, phc: &str) -> bool {
    PasswordHash::new(phc)
        .map(|parsed| argon2().verify_password(candidate.as_bytes(), &parsed).is_ok())
        .unwrap_or(false)
}

/// Checks a candidate against a login's stored hash, or, for an unknown login (`None`),
/// against a dummy hash and answers false: both cost the same time (SECURITY rule 15).
pub fn verify_or_dummy(candidate: &str, phc: Option<&str>) -> bool {
    static DUMMY_HASH: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    match phc {
        Some(phc) => verify_password(candidate, phc),
        None => {
            let dummy = DUMMY_HASH.get_or_init(|| {
                hash_password(&Password::parse("no such login; timing only").expect("valid dummy password"))
            });
            let _ = verify_password(candidate, dummy);
            false
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hashes_are_argon2id_with_our_parameters_and_verify() {
        let password = Password::parse("correct horse battery staple").unwrap();
        let phc = hash_password(&password);
        assert!(phc.starts_with("$argon2id$v=19$m=19456,t=2,p=1$"), "{phc}");
        assert!(verify_password("correct horse battery staple", &phc));
        assert!(!verify_password("correct horse battery stapl", &phc));
        assert!(!verify_password("anything", "not a phc string"));
        assert_ne!(phc, hash_password(&password), "salted");
        assert!(verify_or_dummy("correct horse battery staple", Some(&phc)));
        assert!(!verify_or_dummy("no such login; timing only", None), "unknown logins never match");
    }

    #[test]
    fn common_passwords_are_refused_whatever_their_case() {
        for common in ["password", "Password1", "qwertyuiop", "iloveyou", "PASSWORD123", "1234567890"] {
            assert!(refuse_common(Password::parse(common).unwrap()).is_err(), "{common}");
        }
        for rare in ["correct horse battery staple", "Portico-invite-2026!x"] {
            assert!(refuse_common(Password::parse(rare).unwrap()).is_ok(), "{rare}");
        }
    }

    #[test]
    fn the_list_is_sorted_lower_case_and_long_enough() {
        let list: Vec<&str> = include_str!("../data/common-passwords.txt").lines().collect();
        assert!(list.len() >= 10_000, "{}", list.len());
        assert!(list.windows(2).all(|pair| pair[0] < pair[1]), "sorted bytewise, no repeats");
        assert!(list.iter().all(|p| p.chars().count() >= 8 && *p == p.to_lowercase()));
    }
}
