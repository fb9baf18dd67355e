//! Password hashing: Argon2id with the crate's default (OWASP) parameters, PHC strings in the database.

use argon2::Argon2;
use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use rand::RngCore;

pub fn hash(password: &str) -> Result<String, argon2::password_hash::Error> {
    let mut bytes = [0u8; 16];
    rand::rng().fill_bytes(&mut bytes);
    let salt = SaltString::encode_b64(&bytes)?;
    Ok(Argon2::default().hash_password(password.as_bytes(), &salt)?.to_string())
}

/// True when `password` matches the stored PHC string; a malformed hash never matches.
pub fn verify(password: &str, phc: &str) -> bool {
    PasswordHash::new(phc)
        .map(|parsed| Argon2::default().verify_password(password.as_bytes(), &parsed).is_ok())
        .unwrap_or(false)
}

/// A hash of a random password, verified against when the account does not exist, so that a wrong identifiant
/// costs the same time as a wrong password.
pub fn dummy_hash() -> &'static str {
    static DUMMY: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    DUMMY.get_or_init(unknown_password_hash)
}

/// The hash of a random password thrown away at once: an account stored with it exists, and a sign-in to it costs
/// the time of any other, but no password opens it.
pub fn unknown_password_hash() -> String {
    let mut bytes = [0u8; 32];
    rand::rng().fill_bytes(&mut bytes);
    let password: String = bytes.iter().map(|b| format!("{b:02x}")).collect();
    hash(&password).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_hash_is_argon2id_and_verifies_only_its_password() {
        let h = hash("ceres-demo").expect("hash");
        assert!(h.starts_with("$argon2id$"));
        assert!(verify("ceres-demo", &h));
        assert!(!verify("ceres-demo ", &h));
        assert!(!verify("ceres-demo", "not a hash"));
    }

    #[test]
    fn an_unknown_password_hash_is_a_real_hash_that_no_usual_password_opens() {
        let h = unknown_password_hash();
        assert!(h.starts_with("$argon2id$"), "{h}");
        assert_ne!(h, unknown_password_hash(), "a new password each time");
        for password in ["", "ceres-demo", "compte-inexistant-ceres", "0000000000000000"] {
            assert!(!verify(password, &h), "{password}");
        }
    }
}
