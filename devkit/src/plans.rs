//! Simulated Telegram citizens' plans: what a citizen does (`Act`), played through the real
//! shell on a scratch database (`Planner`: the engine, cases, privacy commands, ratings) and
//! the Telegram renderer, to know what each update must be answered with (`Planned`), and how
//! a planned input reaches the bot through the fake (`push_input`). The Telegram tests and
//! `telegram-bench` share them. They never run the bot under test: they foresee it.
//!
//! What depends on the moment or on other chats is masked before comparing (`masked`): a
//! case's reference (numbered across all chats) and the lines that say when staff answer.

use std::path::PathBuf;

use serde_json::Value;
use sofia_bot::assistant::Assistant;
use sofia_bot::channels::telegram::CHANNEL;
use sofia_bot::channels::telegram::render::{self, Request};
use sofia_bot::engine::{Flows, Input, Session};
use sofia_bot::i18n::Locales;
use sofia_bot::lang::Lang;
use sofia_bot::staff::cases::CaseSettings;
use sofia_bot::store::{Durability, Store};

use crate::fake::{Citizen, FakeBotApi};

/// Something a simulated Telegram citizen does.
#[derive(Debug, Clone, PartialEq)]
pub enum Act {
    /// Writes a text (or a command).
    Write(String),
    /// Presses the n-th button on offer (wrapping around), or writes /menu when none is.
    Press(usize),
    /// Presses the button with this data.
    Button(String),
    /// Sends a photo with this file id.
    Photo(String),
    /// Does exactly this (a sticker is `Input::Unsupported`).
    Input(Input),
    /// Sends a location pin.
    Pin(f64, f64),
}

/// An act as it will reach the bot, with what the bot must answer it with: its messages and
/// reactions in order (not the answer to a pressed button). A reaction's `message_id` is 0:
/// the fake numbers the citizen's messages when they arrive.
#[derive(Debug, Clone)]
pub struct Planned {
    pub input: Input,
    pub replies: Vec<Request>,
}

impl Planned {
    /// Whether the bot marks this update with a reaction (it passes it on to staff).
    pub fn reacted(&self) -> bool {
        self.replies.iter().any(|r| matches!(r, Request::SetMessageReaction { .. }))
    }
}

/// The real shell on a database of its own, to play citizens' acts through.
pub struct Planner {
    assistant: Assistant,
    dir: PathBuf,
}

impl Planner {
    /// A planner with the bot's content and case settings (cases must run as in the bot under
    /// test: the same working hours, the same staff group or none).
    pub async fn new(flows: Flows, locales: Locales, cases: CaseSettings) -> anyhow::Result<Planner> {
        let dir = sofia_bot::bench::tempfile_dir()?;
        let store = Store::open(&dir.join("plans.db"), Durability::Normal).await?;
        let assistant = Assistant { flows, locales, store, cases, privacy: Default::default() };
        Ok(Planner { assistant, dir })
    }

    /// Plays a citizen's acts, as the Telegram channel would (the app language as the first
    /// turn's language), through everything the shell does: hand-overs to staff and what
    /// follows them included.
    pub async fn plan(&self, chat: i64, lang: Option<Lang>, acts: &[Act]) -> anyhow::Result<Vec<Planned>> {
        let a = &self.assistant;
        let key = chat.to_string();
        let mut planned = Vec::with_capacity(acts.len());
        for act in acts {
            let input = match act {
                Act::Press(n) => {
                    let session = a.store.load_session(CHANNEL, &key).await?.map(|j| Session::restore(&j));
                    match session.filter(|s| !s.offered.is_empty()) {
                        Some(s) => Input::Button { data: s.offered[n % s.offered.len()].data.clone() },
                        None => Input::from_text("/menu"),
                    }
                }
                Act::Write(t) => Input::from_text(t),
                Act::Button(data) => Input::Button { data: data.clone() },
                Act::Photo(file_id) => Input::Photo { file_id: file_id.clone() },
                Act::Input(input) => input.clone(),
                Act::Pin(lat, lon) => Input::Location { lat: *lat, lon: *lon },
            };
            let now = chrono::Utc::now();
            let prepared = a.prepare(CHANNEL, &key, input.clone(), lang, now).await?;
            let message = (!matches!(input, Input::Button { .. })).then_some(0);
            let replies = render::turn_requests(chat, message, None, &prepared.out, &prepared.files);
            a.commit(CHANNEL, &key, prepared, now).await?;
            planned.push(Planned { input, replies });
        }
        Ok(planned)
    }

    /// Gives the content back, for the bot under test.
    pub async fn close(self) -> (Flows, Locales) {
        let Planner { assistant, dir } = self;
        assistant.store.close().await;
        let _ = std::fs::remove_dir_all(&dir);
        (assistant.flows, assistant.locales)
    }
}

/// The fields of a request that the citizen sees, with what depends on the moment or on
/// other chats masked: a sendMessage's chat, text, parse mode and buttons; a reaction's chat
/// and emoji (not the message id, which the fake gives out).
pub fn masked(method: &str, body: &Value) -> Value {
    match method {
        "setMessageReaction" => serde_json::json!({
            "method": method,
            "chat_id": body["chat_id"],
            "reaction": body["reaction"],
        }),
        _ => serde_json::json!({
            "method": method,
            "chat_id": body["chat_id"],
            "text": body["text"].as_str().map(mask_text),
            "parse_mode": body["parse_mode"],
            "reply_markup": body.get("reply_markup").cloned().unwrap_or(Value::Null),
        }),
    }
}

/// `masked` for a planned request.
pub fn masked_request(request: &Request) -> Value {
    let body = serde_json::to_value(request).unwrap_or_default();
    masked(body["method"].as_str().unwrap_or_default(), &body)
}

/// A text with every case reference (`SOF-2026-000123`) and every line that names a time of
/// day (when staff answer) masked.
pub fn mask_text(text: &str) -> String {
    text.split('\n')
        .map(|line| if has_time(line) { "‹when›".to_string() } else { mask_refs(line) })
        .collect::<Vec<_>>()
        .join("\n")
}

fn has_time(line: &str) -> bool {
    let b = line.as_bytes();
    b.windows(5).any(|w| {
        w[0].is_ascii_digit() && w[1].is_ascii_digit() && w[2] == b':' && w[3].is_ascii_digit() && w[4].is_ascii_digit()
    })
}

/// Replaces `PREFIX-YYYY-NNNNNN` (a prefix of capital letters or digits) with `‹ref›`.
fn mask_refs(line: &str) -> String {
    let mut out = String::with_capacity(line.len());
    let mut rest = line;
    while let Some(i) = find_ref(rest) {
        let (start, end) = i;
        out.push_str(&rest[..start]);
        out.push_str("‹ref›");
        rest = &rest[end..];
    }
    out.push_str(rest);
    out
}

/// The byte range of the first reference in `text`.
fn find_ref(text: &str) -> Option<(usize, usize)> {
    let b = text.as_bytes();
    let digits = |from: usize, n: usize| b.len() >= from + n && b[from..from + n].iter().all(u8::is_ascii_digit);
    for i in 0..b.len() {
        // "-YYYY-NNNNNN" after a prefix.
        if b[i] == b'-' && digits(i + 1, 4) && b.get(i + 5) == Some(&b'-') && digits(i + 6, 6) {
            let mut start = i;
            while start > 0 && (b[start - 1].is_ascii_uppercase() || b[start - 1].is_ascii_digit()) {
                start -= 1;
            }
            if start < i {
                return Some((start, i + 12));
            }
        }
    }
    None
}

/// The update a planned input arrives as; a button press returns its callback id too.
pub fn push_input(fake: &FakeBotApi, citizen: &Citizen, input: &Input) -> (i64, Option<String>) {
    match input {
        Input::Button { data } => {
            let (id, callback) = fake.press(citizen, data);
            (id, Some(callback))
        }
        Input::Location { lat, lon } => (fake.push(citizen.location(*lat, *lon)), None),
        Input::Photo { file_id } => (fake.push(citizen.photo(file_id)), None),
        Input::Text { text } => (fake.push(citizen.text(text)), None),
        Input::Command { name, arg } => (fake.push(citizen.text(format!("/{name} {arg}").trim_end())), None),
        other => (fake.push(citizen.text(&format!("{other:?}"))), None),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn references_and_times_are_masked_and_nothing_else() {
        let text = "Номер на Вашето запитване: SOF-2026-000017.\nСлужителите се стремят да отговорят до вторник, 22.09, 17:13.\nОбадете се на 0700 17 310.";
        assert_eq!(mask_text(text), "Номер на Вашето запитване: ‹ref›.\n‹when›\nОбадете се на 0700 17 310.");
        assert_eq!(mask_text("(X1-2027-123456) and 2026-000017"), "(‹ref›) and 2026-000017");
    }
}
