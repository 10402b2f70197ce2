//! Passwords and session ids: Argon2id hashes, the rules a new password must meet, a decoy
//! hash made when the console starts (so that a login to an unknown account costs what a wrong
//! password costs, the first one too), and 128-bit random session ids. Hashing blocks for tens
//! of milliseconds: callers run it off the async runtime. Login limits are in `limiter`,
//! tokens bound to the console's secret in `keys`.

use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use argon2::{Algorithm, Argon2, Params, Version};

/// How much an Argon2id hash costs. Verifying takes the cost written in the stored hash; this
/// is the cost of new hashes and of the decoy.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Cost {
    pub memory_kib: u32,
    pub iterations: u32,
}

impl Cost {
    /// OWASP's minimum for Argon2id: 19 MiB, 2 iterations, 1 lane.
    pub const OWASP: Cost = Cost { memory_kib: 19 * 1024, iterations: 2 };
    /// The cheapest Argon2 allows: for tests that hash thousands of times.
    pub const CHEAPEST: Cost = Cost { memory_kib: 8, iterations: 1 };
}

impl Default for Cost {
    fn default() -> Self {
        Cost::OWASP
    }
}

fn argon2(cost: Cost) -> Argon2<'static> {
    let params = Params::new(cost.memory_kib, cost.iterations, 1, None).expect("valid Argon2 parameters");
    Argon2::new(Algorithm::Argon2id, Version::V0x13, params)
}

/// The shortest password accepted.
pub const MIN_PASSWORD: usize = 12;

/// The longest password accepted (it is hashed, so length costs little, but it has a limit).
pub const MAX_PASSWORD: usize = 1024;

/// The most common passwords (and their shapes), refused whatever their length.
const COMMON: &str = include_str!("common-passwords.txt");

/// Why a password is refused.
pub fn weak_password(password: &str, name: &str) -> Option<&'static str> {
    let lower = password.to_lowercase();
    if password.chars().count() < MIN_PASSWORD {
        return Some("a password needs at least 12 characters");
    }
    if password.chars().count() > MAX_PASSWORD {
        return Some("a password has at most 1024 characters");
    }
    if COMMON.lines().any(|c| !c.is_empty() && lower.contains(c.trim())) {
        return Some("this password is too common");
    }
    if lower.contains(&name.to_lowercase()) {
        return Some("a password must not contain the account's name");
    }
    None
}

/// Hashes a password at OWASP's cost (about 20 MiB and tens of milliseconds).
pub fn hash(password: &str) -> Result<String, String> {
    hash_with(Cost::OWASP, password)
}

/// Hashes a password at a given cost.
pub fn hash_with(cost: Cost, password: &str) -> Result<String, String> {
    let mut bytes = [0u8; 16];
    getrandom::getrandom(&mut bytes).map_err(|e| e.to_string())?;
    let salt = SaltString::encode_b64(&bytes).map_err(|e| e.to_string())?;
    argon2(cost).hash_password(password.as_bytes(), &salt).map(|h| h.to_string()).map_err(|e| e.to_string())
}

/// Whether a password matches a stored hash (at the cost the hash names).
pub fn verify(password: &str, stored: &str) -> bool {
    PasswordHash::new(stored).is_ok_and(|h| argon2(Cost::OWASP).verify_password(password.as_bytes(), &h).is_ok())
}

/// A hash of a random password, made once when the console starts, checked when the account
/// does not exist so that the answer takes as long as for an account that does.
#[derive(Debug, Clone)]
pub struct Decoy(String);

impl Decoy {
    pub fn new(cost: Cost) -> Decoy {
        Decoy(hash_with(cost, &token()).unwrap_or_default())
    }

    pub fn hash(&self) -> &str {
        &self.0
    }
}

/// 128 random bits as 32 hex digits: a session id, a nonce.
pub fn token() -> String {
    let mut bytes = [0u8; 16];
    if getrandom::getrandom(&mut bytes).is_err() {
        // Without the OS's randomness no session can be safe: refuse to make one.
        return String::new();
    }
    hex(&bytes)
}

pub(crate) fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_hash_is_argon2id_with_the_owasp_minimum_and_verifies() {
        let h = hash("correct horse battery staple").unwrap();
        assert!(h.starts_with("$argon2id$v=19$m=19456,t=2,p=1$"), "{h}");
        assert!(verify("correct horse battery staple", &h));
        assert!(!verify("correct horse battery stapler", &h));
    }

    #[test]
    fn a_cheaper_hash_verifies_at_its_own_cost() {
        let h = hash_with(Cost::CHEAPEST, "correct horse battery staple").unwrap();
        assert!(h.starts_with("$argon2id$v=19$m=8,t=1,p=1$"), "{h}");
        assert!(verify("correct horse battery staple", &h));
        assert!(!verify("wrong", Decoy::new(Cost::CHEAPEST).hash()));
    }

    #[test]
    fn short_long_common_and_name_passwords_are_refused() {
        assert!(weak_password("short", "maria").is_some());
        assert!(weak_password(&"дълга парола ".repeat(100), "maria").is_some());
        assert!(weak_password("password123456", "maria").is_some());
        assert!(weak_password("Qwerty12345678", "maria").is_some());
        assert!(weak_password("maria-the-great-2026", "maria").is_some());
        assert!(weak_password("зелена ябълка на покрива", "maria").is_none());
    }

    #[test]
    fn tokens_are_128_random_bits() {
        let (a, b) = (token(), token());
        assert_eq!(a.len(), 32);
        assert_ne!(a, b);
        assert!(super::super::keys::same(&a, &a.clone()) && !super::super::keys::same(&a, &b));
    }
}
