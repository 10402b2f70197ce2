//! The conversation state the engine carries between steps, stored as versioned JSON.
//!
//! A session that no longer parses (after a deploy changed the format) is never an error for
//! the citizen: `Session::restore` turns it into a fresh session that apologises once.

use std::collections::BTreeMap;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use super::{Button, Target};
use crate::lang::Lang;

/// Bumped whenever the stored shape changes in a way older code cannot read.
pub const SESSION_VERSION: u32 = 1;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Session {
    pub version: u32,
    pub lang: Lang,
    /// The citizen chose the language with /language; it no longer follows what they write.
    pub lang_chosen: bool,
    /// The step waiting for the citizen, if any.
    pub at: Option<Target>,
    pub slots: BTreeMap<String, Slot>,
    /// Texts in a row that were not understood.
    pub misses: u8,
    /// Answers in a row that did not fit the current question.
    pub retries: u8,
    pub last_active: Option<DateTime<Utc>>,
    /// The buttons of the last turn, so that typing a label or its number can press one.
    pub offered: Vec<Button>,
    /// A form left for a moment (the session timed out, an emergency, a question in between),
    /// waiting for "continue" or "start over".
    pub paused: Option<Target>,
    /// The answers of the paused form, kept while the citizen is elsewhere.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub paused_slots: BTreeMap<String, Slot>,
    /// The flow of the last question answered, so that a short follow-up ("а какви документи
    /// трябват?") is read in its topic.
    #[serde(default)]
    pub context: Option<String>,
    /// An answer waiting for the citizen's confirmation (a location far outside the city).
    #[serde(default)]
    pub pending: Option<Slot>,
    /// Set by `restore` when the stored session could not be read; never stored.
    #[serde(skip)]
    pub recovering: bool,
}

impl Session {
    pub fn new(lang: Lang) -> Session {
        Session {
            version: SESSION_VERSION,
            lang,
            lang_chosen: false,
            at: None,
            slots: BTreeMap::new(),
            misses: 0,
            retries: 0,
            last_active: None,
            offered: Vec::new(),
            paused: None,
            paused_slots: BTreeMap::new(),
            context: None,
            pending: None,
            recovering: false,
        }
    }

    /// Reads a stored session. One that does not parse, or has another version, becomes a
    /// fresh session marked `recovering`, so that the engine apologises and starts over.
    pub fn restore(json: &str) -> Session {
        match serde_json::from_str::<Session>(json) {
            Ok(s) if s.version == SESSION_VERSION => s,
            _ => {
                // Keep the language if that much can still be read.
                let lang = serde_json::from_str::<serde_json::Value>(json)
                    .ok()
                    .and_then(|v| v.get("lang").and_then(|l| l.as_str()).and_then(Lang::parse))
                    .unwrap_or_default();
                Session { recovering: true, ..Session::new(lang) }
            }
        }
    }

    pub fn to_json(&self) -> String {
        serde_json::to_string(self).unwrap_or_else(|_| "{}".to_string())
    }
}

/// A value a citizen gave in a form.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Slot {
    Text {
        text: String,
    },
    Number {
        value: f64,
    },
    /// A calendar date as `YYYY-MM-DD`.
    Date {
        date: String,
    },
    /// A phone number as `+359...`.
    Phone {
        phone: String,
    },
    District {
        id: String,
    },
    Location {
        lat: f64,
        lon: f64,
    },
    Photo {
        file_id: String,
    },
    Choice {
        value: String,
        label: String,
    },
}

impl Slot {
    /// The value as staff and the branch step see it: ids and raw values, no translation.
    pub fn value(&self) -> String {
        match self {
            Slot::Text { text } => text.clone(),
            Slot::Number { value } => value.to_string(),
            Slot::Date { date } => date.clone(),
            Slot::Phone { phone } => phone.clone(),
            Slot::District { id } => id.clone(),
            Slot::Location { lat, lon } => format!("{lat:.5},{lon:.5}"),
            Slot::Photo { file_id } => file_id.clone(),
            Slot::Choice { value, .. } => value.clone(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_session_survives_a_round_trip_through_json() {
        let mut s = Session::new(Lang::En);
        s.slots.insert("district".into(), Slot::District { id: "lyulin".into() });
        s.at = Some(Target { flow: "housing".into(), step: "report".into() });
        assert_eq!(Session::restore(&s.to_json()), s);
    }

    #[test]
    fn an_unreadable_session_becomes_a_fresh_one_that_apologises() {
        for stored in ["", "{", "null", r#"{"version": 0, "lang": "en"}"#, "\u{0}"] {
            let s = Session::restore(stored);
            assert!(s.recovering, "{stored:?}");
            assert!(s.at.is_none());
        }
        assert_eq!(Session::restore(r#"{"version": 0, "lang": "en"}"#).lang, Lang::En);
    }
}
