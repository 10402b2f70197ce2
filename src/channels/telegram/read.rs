//! What a citizen did, read from a Telegram update: an engine `Input` with the chat and the
//! language of their app, or nothing to answer. Pure functions: no IO.
//!
//! The bot talks in private chats only: in groups, supergroups and channels it stays silent.
//! An edited message is not answered (see `Action::Ignore` for why).

use teloxide::types::{Message, MessageKind, Update, UpdateKind};

use crate::engine::Input;
use crate::lang::Lang;

/// What to do with one update.
#[derive(Debug, Clone, PartialEq)]
pub enum Action {
    /// A turn of the conversation in a private chat.
    Turn {
        chat: i64,
        input: Input,
        /// The citizen's app language (`from.language_code`, primary subtag), if we speak it.
        lang: Option<Lang>,
        /// A pressed button's query, to answer with answerCallbackQuery.
        callback: Option<String>,
        /// The citizen's message, when it was one: a message passed on to staff is marked on it
        /// with a reaction.
        message: Option<i32>,
    },
    /// Nothing to say. A pressed button is still answered, or it would spin.
    ///
    /// Edited messages come here: the original was answered already (and may have moved a
    /// form on), so answering the edit would answer a question twice or fill a slot twice; and
    /// a live location arrives as a stream of edits every few seconds, which must not become a
    /// stream of replies. A citizen who wants a new answer writes again.
    Ignore { chat: Option<i64>, callback: Option<String>, why: &'static str },
    /// The citizen blocked the bot (`active: false`) or started it again (`true`).
    ChatStatus { chat: i64, active: bool },
    /// A staff member acted in the staff group (read by `staff::read_staff`).
    Staff(super::staff::StaffInput),
}

/// Reads an update as the inbox stored it. An update teloxide cannot parse (a kind or a field
/// newer than its Bot API 9.1) is read from the raw JSON as far as it goes: a private message
/// still gets an answer (its text, or "I read text, buttons, ..."), a press still gets its
/// callback answered.
pub fn read_payload(payload: &str) -> Action {
    match serde_json::from_str::<Update>(payload) {
        Ok(update) if !matches!(update.kind, UpdateKind::Error(_)) => read(&update),
        _ => match serde_json::from_str::<serde_json::Value>(payload) {
            Ok(raw) => read_raw(&raw),
            Err(_) => Action::Ignore { chat: None, callback: None, why: "unreadable update" },
        },
    }
}

fn read_raw(raw: &serde_json::Value) -> Action {
    if let Some(m) = raw.get("message") {
        let chat = m["chat"]["id"].as_i64();
        let Some(chat) = chat.filter(|_| m["chat"]["type"] == "private") else {
            return Action::Ignore { chat, callback: None, why: "not a private chat" };
        };
        let input = match m["text"].as_str() {
            Some(text) => Input::from_text(text),
            None => Input::Unsupported { what: "unknown".into() },
        };
        let lang = language(m["from"]["language_code"].as_str());
        let message = m["message_id"].as_i64().and_then(|id| i32::try_from(id).ok());
        return Action::Turn { chat, input, lang, callback: None, message };
    }
    if let Some(q) = raw.get("callback_query") {
        let chat = q["message"]["chat"]["id"].as_i64().or_else(|| q["from"]["id"].as_i64());
        let callback = q["id"].as_str().map(str::to_string);
        return Action::Ignore { chat, callback, why: "unreadable button press" };
    }
    let chat = raw.get("edited_message").and_then(|m| m["chat"]["id"].as_i64());
    Action::Ignore { chat, callback: None, why: "update kind not handled" }
}

/// Reads an update.
pub fn read(update: &Update) -> Action {
    match &update.kind {
        UpdateKind::Message(m) => read_message(m),
        UpdateKind::EditedMessage(m) => {
            Action::Ignore { chat: Some(m.chat.id.0), callback: None, why: "edited message" }
        }
        UpdateKind::CallbackQuery(q) => {
            let callback = Some(q.id.0.clone());
            // A button on a message the bot can no longer see still belongs to the user's
            // private chat, whose id is the user's id.
            let (chat, private) = match &q.message {
                Some(m) => (m.chat().id.0, m.chat().is_private()),
                None => (q.from.id.0 as i64, q.inline_message_id.is_none()),
            };
            if !private {
                return Action::Ignore { chat: Some(chat), callback, why: "button outside a private chat" };
            }
            match &q.data {
                Some(data) => Action::Turn {
                    chat,
                    input: Input::Button { data: data.clone() },
                    lang: language(q.from.language_code.as_deref()),
                    callback,
                    message: None,
                },
                None => Action::Ignore { chat: Some(chat), callback, why: "button without data" },
            }
        }
        UpdateKind::MyChatMember(m) if m.chat.is_private() => {
            let new = &m.new_chat_member;
            if new.is_banned() || new.is_left() {
                Action::ChatStatus { chat: m.chat.id.0, active: false }
            } else if new.is_member() {
                Action::ChatStatus { chat: m.chat.id.0, active: true }
            } else {
                Action::Ignore { chat: Some(m.chat.id.0), callback: None, why: "chat member change" }
            }
        }
        _ => Action::Ignore { chat: update.chat().map(|c| c.id.0), callback: None, why: "update kind not handled" },
    }
}

fn read_message(m: &Message) -> Action {
    let chat = m.chat.id.0;
    if !m.chat.is_private() {
        return Action::Ignore { chat: Some(chat), callback: None, why: "not a private chat" };
    }
    let input = match input_of(m) {
        Some(input) => input,
        // Content newer than teloxide's Bot API parses as an empty message: still the citizen
        // talking, so they get the polite "I read text, buttons, ..." answer.
        None if matches!(m.kind, MessageKind::Empty {}) => Input::Unsupported { what: "unknown".into() },
        None => return Action::Ignore { chat: Some(chat), callback: None, why: "service message" },
    };
    Action::Turn {
        chat,
        input,
        lang: language(m.from.as_ref().and_then(|u| u.language_code.as_deref())),
        callback: None,
        message: Some(m.id.0),
    }
}

/// The input a message stands for; `None` for service messages (a pinned message, a new chat
/// photo...), which are not the citizen talking.
fn input_of(m: &Message) -> Option<Input> {
    if let Some(text) = m.text() {
        // `/start@BotName mobility` becomes the command `start` with the deep link `mobility`.
        return Some(Input::from_text(text));
    }
    if let Some(l) = m.location() {
        return Some(Input::Location { lat: l.latitude, lon: l.longitude });
    }
    if let Some(v) = m.venue() {
        return Some(Input::Location { lat: v.location.latitude, lon: v.location.longitude });
    }
    if let Some(sizes) = m.photo() {
        // Telegram lists the sizes smallest first; keep the largest.
        let largest = sizes.iter().max_by_key(|p| (p.width as u64) * (p.height as u64))?;
        return Some(Input::Photo { file_id: largest.file.id.0.clone() });
    }
    if let Some(c) = m.contact() {
        return Some(Input::Contact { phone: c.phone_number.clone() });
    }
    let what = if m.sticker().is_some() {
        "sticker"
    } else if m.voice().is_some() {
        "voice"
    } else if m.video().is_some() || m.video_note().is_some() {
        "video"
    } else if m.document().is_some() {
        "document"
    } else if m.audio().is_some() {
        "audio"
    } else if m.animation().is_some() {
        "animation"
    } else if m.poll().is_some() {
        "poll"
    } else if m.dice().is_some() {
        "dice"
    } else if m.game().is_some() || m.story().is_some() || m.paid_media().is_some() || m.checklist().is_some() {
        "other"
    } else {
        return None;
    };
    Some(Input::Unsupported { what: what.to_string() })
}

/// The language of the citizen's app, by its primary subtag (`en-US` is English).
pub fn language(code: Option<&str>) -> Option<Lang> {
    code.and_then(Lang::parse)
}

/// The chat an update belongs to, for the inbox (0 when it names none).
pub fn chat_of(update: &Update) -> i64 {
    match &update.kind {
        UpdateKind::CallbackQuery(q) => q.message.as_ref().map_or(q.from.id.0 as i64, |m| m.chat().id.0),
        _ => update.chat().map(|c| c.id.0).or_else(|| update.from().map(|u| u.id.0 as i64)).unwrap_or(0),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_private_message_teloxide_cannot_parse_is_still_answered() {
        // A voice message without the fields teloxide requires.
        let raw = r#"{"update_id": 5, "message": {"message_id": 1, "date": 1, "chat": {"id": 7, "type": "private"},
            "from": {"id": 7, "is_bot": false, "first_name": "A", "language_code": "en"}, "voice": {"odd": true}}}"#;
        let action = read_payload(raw);
        assert_eq!(
            action,
            Action::Turn {
                chat: 7,
                input: Input::Unsupported { what: "unknown".into() },
                lang: Some(Lang::En),
                callback: None,
                message: Some(1),
            }
        );
    }

    #[test]
    fn a_group_message_is_ignored_even_when_unparseable() {
        let raw = r#"{"update_id": 5, "message": {"chat": {"id": -100, "type": "supergroup"}, "text": "/start"}}"#;
        assert!(matches!(read_payload(raw), Action::Ignore { chat: Some(-100), .. }));
    }
}
