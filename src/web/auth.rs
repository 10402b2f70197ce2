//! Who is signed in: passwords (Argon2id, hashed off the async runtime), sessions (128 random
//! bits in a cookie, idle and absolute timeouts), CSRF tokens, and login limits per address
//! and per account that never tell whether an account exists.

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use argon2::{Algorithm, Argon2, Params, Version};

/// OWASP's minimum for Argon2id: 19 MiB, 2 iterations, 1 lane.
fn argon2() -> Argon2<'static> {
    let params = Params::new(19 * 1024, 2, 1, None).expect("valid Argon2 parameters");
    Argon2::new(Algorithm::Argon2id, Version::V0x13, params)
}

/// The shortest password accepted.
pub const MIN_PASSWORD: usize = 12;

/// The most common passwords (and their shapes), refused whatever their length.
const COMMON: &str = include_str!("common-passwords.txt");

/// Why a password is refused.
pub fn weak_password(password: &str, name: &str) -> Option<&'static str> {
    let lower = password.to_lowercase();
    if password.chars().count() < MIN_PASSWORD {
        return Some("a password needs at least 12 characters");
    }
    if COMMON.lines().any(|c| !c.is_empty() && lower.contains(c.trim())) {
        return Some("this password is too common");
    }
    if lower.contains(&name.to_lowercase()) {
        return Some("a password must not contain the account's name");
    }
    None
}

/// Hashes a password (about 20 MiB and tens of milliseconds: call it off the runtime).
pub fn hash(password: &str) -> Result<String, String> {
    let mut bytes = [0u8; 16];
    getrandom::getrandom(&mut bytes).map_err(|e| e.to_string())?;
    let salt = SaltString::encode_b64(&bytes).map_err(|e| e.to_string())?;
    argon2().hash_password(password.as_bytes(), &salt).map(|h| h.to_string()).map_err(|e| e.to_string())
}

/// Whether a password matches a stored hash.
pub fn verify(password: &str, stored: &str) -> bool {
    PasswordHash::new(stored).is_ok_and(|h| argon2().verify_password(password.as_bytes(), &h).is_ok())
}

/// A hash to check against when the account does not exist, so that answering takes as long
/// as for an account that does.
pub fn decoy() -> &'static str {
    static DECOY: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    DECOY.get_or_init(|| hash("not a password of anyone here").unwrap_or_default())
}

/// 128 random bits as 32 hex digits.
pub fn token() -> String {
    let mut bytes = [0u8; 16];
    if getrandom::getrandom(&mut bytes).is_err() {
        // Without the OS's randomness no session can be safe: refuse to make one.
        return String::new();
    }
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// Compares two secrets in time that does not depend on where they differ.
pub fn same(a: &str, b: &str) -> bool {
    a.len() == b.len() && a.bytes().zip(b.bytes()).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

/// Failed logins, per address and per account: after too many in the window, logins from
/// there (or to it) are refused until the window passes, with the same answer as a wrong
/// password.
pub struct Limiter {
    window: Duration,
    per_address: usize,
    per_account: usize,
    failures: Mutex<HashMap<String, Vec<Instant>>>,
}

impl Limiter {
    pub fn new(window: Duration, per_address: usize, per_account: usize) -> Limiter {
        Limiter { window, per_address, per_account, failures: Mutex::new(HashMap::new()) }
    }

    fn recent(&self, key: &str, now: Instant) -> usize {
        let mut f = self.failures.lock().unwrap_or_else(|p| p.into_inner());
        let list = f.entry(key.to_string()).or_default();
        list.retain(|t| now.duration_since(*t) < self.window);
        list.len()
    }

    /// Whether a login may be tried now.
    pub fn allows(&self, address: &str, account: &str) -> bool {
        let now = Instant::now();
        self.recent(&format!("a:{address}"), now) < self.per_address
            && self.recent(&format!("u:{}", account.to_lowercase()), now) < self.per_account
    }

    pub fn failed(&self, address: &str, account: &str) {
        let now = Instant::now();
        let mut f = self.failures.lock().unwrap_or_else(|p| p.into_inner());
        if f.len() > 100_000 {
            f.retain(|_, l| l.last().is_some_and(|t| now.duration_since(*t) < self.window));
        }
        f.entry(format!("a:{address}")).or_default().push(now);
        f.entry(format!("u:{}", account.to_lowercase())).or_default().push(now);
    }

    pub fn succeeded(&self, account: &str) {
        self.failures.lock().unwrap_or_else(|p| p.into_inner()).remove(&format!("u:{}", account.to_lowercase()));
    }
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
    fn short_common_and_name_passwords_are_refused() {
        assert!(weak_password("short", "maria").is_some());
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
        assert!(same(&a, &a.clone()) && !same(&a, &b));
    }

    #[test]
    fn the_limiter_counts_per_address_and_per_account() {
        let l = Limiter::new(Duration::from_secs(60), 3, 2);
        l.failed("1.2.3.4", "maria");
        l.failed("1.2.3.4", "maria");
        assert!(!l.allows("5.6.7.8", "Maria"), "the account is locked from anywhere");
        assert!(l.allows("1.2.3.4", "ivan"), "the address may still try another account");
        l.failed("1.2.3.4", "ivan");
        assert!(!l.allows("1.2.3.4", "petar"), "the address is locked");
    }
}
