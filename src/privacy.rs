//! Privacy: how long citizens' data is kept, their rights in the chat (see what is kept, take
//! a copy, erase it), and keeping personal data out of the places it does not belong.
//!
//! `redact` masks personal numbers, bank accounts, phones, e-mail addresses and cards in text
//! bound for analytics and the "not understood" list. `rights` serves /privacy, /mydata and
//! /forget (and the same for staff acting on a request received by other means); `export`
//! writes a citizen's data as JSON and as readable text.

pub(crate) mod admin;
pub(crate) mod export;
pub mod redact;
pub(crate) mod rights;

use std::hash::{BuildHasher, Hasher};
use std::sync::OnceLock;

use chrono::{DateTime, Duration, Utc};

use crate::store::Cutoffs;

/// How long each kind of data is kept, in days.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Retention {
    /// Conversations with the assistant that did not become a case.
    pub conversations: i64,
    /// Cases and their conversations, after they are closed for good.
    pub cases: i64,
    /// The audit log of data requests.
    pub audit: i64,
    /// Telegram's updates and the bot's requests, once handled and delivered.
    pub updates: i64,
}

impl Default for Retention {
    fn default() -> Self {
        Retention { conversations: 90, cases: 2 * 365, audit: 5 * 365, updates: 7 }
    }
}

impl Retention {
    /// What is older than these instants goes.
    pub fn cutoffs(&self, now: DateTime<Utc>) -> Cutoffs {
        let before = |days: i64| (now - Duration::days(days)).timestamp_millis();
        Cutoffs {
            conversations_ms: before(self.conversations),
            cases_ms: before(self.cases),
            audit_ms: before(self.audit),
            updates_ms: before(self.updates),
        }
    }
}

/// Privacy settings, from configuration.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PrivacySettings {
    pub retention: Retention,
    /// Where citizens write about their data (an e-mail address, a web page), shown by
    /// /privacy; without it, /privacy points to a staff member.
    pub contact: Option<String>,
}

/// A chat id as logs show it: a stable pseudonym for this run of the process, so that one
/// chat's lines can be followed without the log holding anyone's Telegram id.
pub fn pseudonym(chat: i64) -> String {
    static KEY: OnceLock<std::collections::hash_map::RandomState> = OnceLock::new();
    let mut h = KEY.get_or_init(std::collections::hash_map::RandomState::new).build_hasher();
    h.write_i64(chat);
    format!("c{:08x}", h.finish() as u32)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_pseudonym_is_stable_within_a_run_and_hides_the_id() {
        assert_eq!(pseudonym(123456789), pseudonym(123456789));
        assert_ne!(pseudonym(123456789), pseudonym(123456790));
        assert!(!pseudonym(123456789).contains("123456789"));
    }
}
