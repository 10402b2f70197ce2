//! The citizens of the fake: updates as Telegram sends them when someone writes to the bot.

use serde_json::{Value, json};

use super::{BOT_ID, BOT_USERNAME};

/// A citizen writing to the bot from a private chat (their chat id is their user id).
#[derive(Debug, Clone)]
pub struct Citizen {
    pub id: i64,
    /// Their app's language (`language_code`), if any.
    pub lang: Option<String>,
}

impl Citizen {
    pub fn new(id: i64, lang: Option<&str>) -> Citizen {
        Citizen { id, lang: lang.map(str::to_string) }
    }

    pub fn user(&self) -> Value {
        let mut u = json!({"id": self.id, "is_bot": false, "first_name": format!("Citizen {}", self.id)});
        if let Some(l) = &self.lang {
            u["language_code"] = json!(l);
        }
        u
    }

    pub fn chat(&self) -> Value {
        json!({"id": self.id, "type": "private", "first_name": format!("Citizen {}", self.id)})
    }

    fn message(&self, content: Value) -> Value {
        let mut m = json!({"message_id": 1, "date": 1_790_000_000, "chat": self.chat(), "from": self.user()});
        if let (Some(m), Some(c)) = (m.as_object_mut(), content.as_object()) {
            m.extend(c.clone());
        }
        json!({ "message": m })
    }

    /// A text message (commands too: `/start mobility`).
    pub fn text(&self, text: &str) -> Value {
        let mut content = json!({ "text": text });
        if text.starts_with('/') {
            let len = text.split_whitespace().next().map_or(0, |c| c.encode_utf16().count());
            content["entities"] = json!([{"type": "bot_command", "offset": 0, "length": len}]);
        }
        self.message(content)
    }

    pub fn location(&self, lat: f64, lon: f64) -> Value {
        self.message(json!({ "location": {"latitude": lat, "longitude": lon} }))
    }

    /// A photo in three sizes, smallest first, as Telegram sends it.
    pub fn photo(&self, file_id: &str) -> Value {
        let size = |suffix: &str, w: u32| json!({"file_id": format!("{file_id}{suffix}"), "file_unique_id": format!("u{file_id}{suffix}"), "width": w, "height": w * 3 / 4, "file_size": w * 100});
        self.message(json!({ "photo": [size("-s", 90), size("", 1280), size("-m", 320)] }))
    }

    pub fn contact(&self, phone: &str) -> Value {
        self.message(json!({ "contact": {"phone_number": phone, "first_name": "Citizen", "user_id": self.id} }))
    }

    pub fn sticker(&self) -> Value {
        self.message(json!({ "sticker": {
            "file_id": "sticker-1", "file_unique_id": "us1", "type": "regular", "width": 512, "height": 512,
            "is_animated": false, "is_video": false
        }}))
    }

    pub fn voice(&self) -> Value {
        self.message(json!({ "voice": {"file_id": "voice-1", "file_unique_id": "uv1", "duration": 3, "mime_type": "audio/ogg"} }))
    }

    /// An edit of an earlier text message.
    pub fn edited_text(&self, text: &str) -> Value {
        let mut m = self.text(text)["message"].clone();
        m["edit_date"] = json!(1_790_000_100);
        json!({ "edited_message": m })
    }

    /// A message from this citizen in a group chat.
    pub fn in_group(&self, group_id: i64, text: &str) -> Value {
        json!({ "message": {
            "message_id": 1, "date": 1_790_000_000,
            "chat": {"id": group_id, "type": "supergroup", "title": "A neighbourhood group"},
            "from": self.user(), "text": text
        }})
    }
}

pub(super) fn bot_user() -> Value {
    json!({"id": BOT_ID, "is_bot": true, "first_name": "Sofia", "username": BOT_USERNAME})
}

pub(super) fn chat_in(update: &Value) -> Option<i64> {
    for kind in ["message", "edited_message"] {
        if let Some(id) = update.get(kind).and_then(|m| m["chat"]["id"].as_i64()) {
            return Some(id);
        }
    }
    update.get("callback_query").and_then(|q| q["message"]["chat"]["id"].as_i64().or_else(|| q["from"]["id"].as_i64()))
}
