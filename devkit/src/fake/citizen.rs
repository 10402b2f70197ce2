//! The people of the fake: updates as Telegram sends them when a citizen writes to the bot, or
//! a staff member writes in the staff group. They build JSON only; the fake's state is elsewhere.

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
        let mut m = json!({"message_id": 1, "date": DATE, "chat": self.chat(), "from": self.user()});
        if let (Some(m), Some(c)) = (m.as_object_mut(), content.as_object()) {
            m.extend(c.clone());
        }
        json!({ "message": m })
    }

    /// A text message (commands too: `/start mobility`).
    pub fn text(&self, text: &str) -> Value {
        self.message(text_content(text))
    }

    pub fn location(&self, lat: f64, lon: f64) -> Value {
        self.message(json!({ "location": {"latitude": lat, "longitude": lon} }))
    }

    /// A photo in three sizes, smallest first, as Telegram sends it.
    pub fn photo(&self, file_id: &str) -> Value {
        self.message(json!({ "photo": photo_sizes(file_id) }))
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

/// A staff member of the municipality writing in a staff group (a forum supergroup). A staff
/// member of another group is one with another `group`.
#[derive(Debug, Clone)]
pub struct StaffMember {
    pub id: i64,
    /// Their first name.
    pub name: String,
    /// The group they write in.
    pub group: i64,
}

impl StaffMember {
    pub fn new(id: i64, name: &str, group: i64) -> StaffMember {
        StaffMember { id, name: name.to_string(), group }
    }

    pub fn user(&self) -> Value {
        json!({"id": self.id, "is_bot": false, "first_name": self.name, "language_code": "bg"})
    }

    /// The group as it appears in the messages written there.
    pub fn chat(&self) -> Value {
        group_chat(self.group, true)
    }

    /// A message in a topic. Telegram marks it `is_topic_message` and makes it a reply to the
    /// message that created the topic, as it does for every message in a topic that replies to
    /// nothing else.
    fn message_in(&self, thread: Option<i64>, content: Value) -> Value {
        let mut m = json!({"message_id": 1, "date": DATE, "chat": self.chat(), "from": self.user()});
        if let Some(thread) = thread {
            m["message_thread_id"] = json!(thread);
            m["is_topic_message"] = json!(true);
            m["reply_to_message"] = json!({
                "message_id": thread, "date": DATE, "chat": self.chat(), "from": bot_user(),
                "message_thread_id": thread, "is_topic_message": true,
                "forum_topic_created": {"name": format!("Topic {thread}"), "icon_color": TOPIC_COLOR},
            });
        }
        if let (Some(m), Some(c)) = (m.as_object_mut(), content.as_object()) {
            m.extend(c.clone());
        }
        json!({ "message": m })
    }

    /// A text message in a topic (commands too: `/close`).
    pub fn in_topic(&self, thread: i64, text: &str) -> Value {
        self.message_in(Some(thread), text_content(text))
    }

    /// A text message in the General topic: no thread.
    pub fn in_general(&self, text: &str) -> Value {
        self.message_in(None, text_content(text))
    }

    /// A photo in a topic, in three sizes as Telegram sends it, with a caption if given.
    pub fn photo_in_topic(&self, thread: i64, file_id: &str, caption: Option<&str>) -> Value {
        let mut content = json!({ "photo": photo_sizes(file_id) });
        if let Some(caption) = caption {
            content["caption"] = json!(caption);
        }
        self.message_in(Some(thread), content)
    }

    /// A press on a button of the bot's message in the group (in a topic, or in General), as
    /// an update.
    pub(super) fn press(&self, callback_id: &str, thread: Option<i64>, data: &str) -> Value {
        let mut message = json!({"message_id": 1, "date": DATE, "chat": self.chat(), "from": bot_user(), "text": "…"});
        if let Some(thread) = thread {
            message["message_thread_id"] = json!(thread);
            message["is_topic_message"] = json!(true);
        }
        json!({ "callback_query": {
            "id": callback_id, "from": self.user(), "message": message,
            "chat_instance": format!("ci{}", self.group), "data": data,
        }})
    }
}

/// The date of every message the fake makes.
pub(super) const DATE: i64 = 1_790_000_000;
/// The first of the six colours Telegram allows for a topic icon.
pub(super) const TOPIC_COLOR: i64 = 0x6FB9F0;
/// The title of every supergroup of the fake.
const GROUP_TITLE: &str = "Sofia municipality: citizens' cases";

/// A supergroup as it appears in messages.
pub(super) fn group_chat(id: i64, forum: bool) -> Value {
    let mut chat = json!({"id": id, "type": "supergroup", "title": GROUP_TITLE});
    if forum {
        chat["is_forum"] = json!(true);
    }
    chat
}

/// A text, with an entity for a leading command as Telegram marks it.
fn text_content(text: &str) -> Value {
    let mut content = json!({ "text": text });
    if text.starts_with('/') {
        let len = text.split_whitespace().next().map_or(0, |c| c.encode_utf16().count());
        content["entities"] = json!([{"type": "bot_command", "offset": 0, "length": len}]);
    }
    content
}

/// A photo in three sizes, smallest first, the largest named `file_id`.
pub(super) fn photo_sizes(file_id: &str) -> Value {
    let size = |suffix: &str, w: u32| json!({"file_id": format!("{file_id}{suffix}"), "file_unique_id": format!("u{file_id}{suffix}"), "width": w, "height": w * 3 / 4, "file_size": w * 100});
    json!([size("-s", 90), size("", 1280), size("-m", 320)])
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

/// Who sent an update, as a User object.
pub(super) fn sender_in(update: &Value) -> Option<&Value> {
    ["message", "edited_message", "callback_query"]
        .iter()
        .find_map(|kind| update.get(*kind))
        .map(|m| &m["from"])
        .filter(|u| u.is_object())
}

/// The file ids an update hands out (of photos): the ones the bot may send on.
pub(super) fn files_in(update: &Value) -> Vec<String> {
    let mut files = Vec::new();
    for kind in ["message", "edited_message"] {
        let sizes = update.get(kind).and_then(|m| m["photo"].as_array());
        files.extend(sizes.into_iter().flatten().filter_map(|p| p["file_id"].as_str()).map(str::to_string));
    }
    files
}
