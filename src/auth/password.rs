//! Argon2id password hashing (OWASP's recommended parameters are the crate's defaults).

use std::sync::OnceLock;

use argon2::password_hash::phc::PasswordHash;
use argon2::password_hash::{PasswordHasher, PasswordVerifier};
use argon2::Argon2;

/// A PHC string (`$argon2id$v=19$m=…`) with a fresh 16-byte salt from the operating system.
pub fn hash(password: &str) -> anyhow::Result<String> {
    Argon2::default()
        .hash_password(password.as_bytes())
        .map(|h| h.to_string())
        .map_err(|e| anyhow::anyhow!("password hashing failed: {e}"))
}

/// Checks a password against a stored hash. With no hash (unknown user, or an invitation not yet
/// accepted) it still spends the time of one verification, so timing does not reveal which
/// accounts exist.
pub fn verify(password: &str, stored: Option<&str>) -> bool {
    static DUMMY: OnceLock<String> = OnceLock::new();
    let dummy = DUMMY.get_or_init(|| hash("not a real password").unwrap_or_default());
    let (hash_str, real) = match stored {
        Some(h) => (h, true),
        None => (dummy.as_str(), false),
    };
    let Ok(parsed) = PasswordHash::new(hash_str) else {
        return false;
    };
    Argon2::default().verify_password(password.as_bytes(), &parsed).is_ok() && real
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hashes_verify_and_are_salted() {
        let a = hash("correct horse battery").unwrap();
        let b = hash("correct horse battery").unwrap();
        assert_ne!(a, b);
        assert!(a.starts_with("$argon2id$"));
        assert!(verify("correct horse battery", Some(&a)));
        assert!(!verify("wrong horse battery", Some(&a)));
        assert!(!verify("not a real password", None));
        assert!(!verify("anything", Some("garbage")));
    }

    #[test]
    fn hashes_stored_by_earlier_versions_still_verify() {
        // Made by argon2 0.5 (the crate's defaults then and now: Argon2id, m=19456, t=2, p=1).
        let stored = "$argon2id$v=19$m=19456,t=2,p=1$c2tpbGxtYXJrLXNhbHQ$rt1/lU0jWw8YB5Q5B9W0wHqPI01mXUsccfjky8Spw9M";
        assert!(verify("correct horse battery", Some(stored)));
        assert!(!verify("correct horse batterY", Some(stored)));
        assert!(hash("x").unwrap().starts_with("$argon2id$v=19$m=19456,t=2,p=1$"));
    }
}
