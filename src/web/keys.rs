//! The console's secret and the tokens derived from it with HMAC-SHA256: a session's CSRF
//! token, a login form's token (bound to the pre-session cookie that came with the form), and
//! device cookies (a browser that signed in to an account before). Nothing here is stored:
//! each token is checked by computing it again. It knows nothing of HTTP.

use ring::hmac;
use subtle::ConstantTimeEq;

use super::auth::{hex, token};

/// Bytes of a tag kept in a token: 128 bits, 32 hex digits.
const TAG: usize = 16;

/// The key every console token is derived from. Its `Debug` shows nothing.
pub(crate) struct Keys {
    mac: hmac::Key,
}

impl std::fmt::Debug for Keys {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Keys([redacted])")
    }
}

impl Keys {
    /// Keys from a secret (the stored one, see `Store::console_secret`).
    pub(crate) fn new(secret: &[u8]) -> Keys {
        Keys { mac: hmac::Key::new(hmac::HMAC_SHA256, secret) }
    }

    /// Keys from a fresh random secret: tokens last as long as this process.
    pub(crate) fn random() -> Keys {
        let mut secret = [0u8; 32];
        getrandom::getrandom(&mut secret).expect("the OS's randomness");
        Keys::new(&secret)
    }

    /// The tag of `parts` for `purpose`; each part is length-prefixed, so no two lists of
    /// parts sign the same bytes.
    fn tag(&self, purpose: &str, parts: &[&str]) -> String {
        let mut ctx = hmac::Context::with_key(&self.mac);
        for part in std::iter::once(purpose).chain(parts.iter().copied()) {
            ctx.update(&(part.len() as u64).to_be_bytes());
            ctx.update(part.as_bytes());
        }
        hex(&ctx.sign().as_ref()[..TAG])
    }

    /// The CSRF token of a session: every form of that session carries it.
    pub(crate) fn session_csrf(&self, session_id: &str) -> String {
        self.tag("csrf-session", &[session_id])
    }

    /// The token of a login form, bound to the nonce in the browser's pre-session cookie.
    pub(crate) fn login_token(&self, nonce: &str) -> String {
        self.tag("csrf-login", &[nonce])
    }

    /// A device cookie's entry for an account: `nonce.tag`.
    pub(crate) fn device_entry(&self, account: &str) -> String {
        let nonce = token();
        let tag = self.tag("device", &[&account.to_lowercase(), &nonce]);
        format!("{nonce}.{tag}")
    }

    /// The nonce of the entry in a device cookie that this console made for `account`, if
    /// there is one. A cookie holds entries separated by `_`.
    pub(crate) fn device_nonce<'a>(&self, cookie: &'a str, account: &str) -> Option<&'a str> {
        let account = account.to_lowercase();
        cookie.split('_').filter_map(|e| e.split_once('.')).find_map(|(nonce, tag)| {
            let ok = nonce.len() == 32 && same(tag, &self.tag("device", &[&account, nonce]));
            ok.then_some(nonce)
        })
    }
}

/// Compares two secrets in time that does not depend on where they differ.
pub(crate) fn same(a: &str, b: &str) -> bool {
    a.len() == b.len() && bool::from(a.as_bytes().ct_eq(b.as_bytes()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_are_bound_to_the_secret_and_to_what_they_sign() {
        let (k, other) = (Keys::new(b"one secret"), Keys::new(b"another secret"));
        assert_eq!(k.session_csrf("s1").len(), 32);
        assert_eq!(k.session_csrf("s1"), k.session_csrf("s1"));
        assert_ne!(k.session_csrf("s1"), k.session_csrf("s2"));
        assert_ne!(k.session_csrf("s1"), other.session_csrf("s1"));
        assert_ne!(k.session_csrf("n"), k.login_token("n"), "a purpose of its own");
    }

    #[test]
    fn a_device_cookie_names_its_accounts_and_nobody_else() {
        let k = Keys::new(b"secret");
        let cookie = format!("{}_{}", k.device_entry("Maria"), k.device_entry("ivan"));
        assert!(k.device_nonce(&cookie, "maria").is_some());
        assert!(k.device_nonce(&cookie, "IVAN").is_some());
        assert!(k.device_nonce(&cookie, "petar").is_none());
        assert!(Keys::new(b"other").device_nonce(&cookie, "maria").is_none());
        assert!(k.device_nonce("x.y", "maria").is_none());
    }
}
