//! Checking requests the way Telegram does: fields and their types against the Bot API
//! description (`bot-api.json`, from api.json), and the limits beyond types. What depends on
//! the fake's state (known chats, topics, file ids) is checked where the method is served.

use std::collections::HashMap;
use std::sync::OnceLock;

use serde_json::{Map, Value};

use super::form::{self, Form, Upload};

/// Telegram's limits beyond field types: lengths, keyboards, HTML.
pub(super) fn check_limits(method: &str, body: &Value) -> Vec<String> {
    let mut problems = Vec::new();
    match method {
        "sendMessage" => {
            let len = check_text(body, "text", &mut problems);
            if problems.is_empty() && len == 0 {
                problems.push("message text is empty".into());
            }
            if len > 4096 {
                problems.push(format!("message is too long ({len} UTF-16 units)"));
            }
            check_keyboard(body, &mut problems);
        }
        "sendPhoto" | "sendDocument" | "copyMessage" => {
            let len = check_text(body, "caption", &mut problems);
            if len > 1024 {
                problems.push(format!("message caption is too long ({len} UTF-16 units)"));
            }
            for file in ["photo", "document"] {
                if body[file].as_str().is_some_and(str::is_empty) {
                    problems.push(format!("{file} is empty"));
                }
            }
            check_keyboard(body, &mut problems);
        }
        "sendLocation" => {
            if body["latitude"].as_f64().is_some_and(|l| !(-90.0..=90.0).contains(&l)) {
                problems.push("latitude must be -90 to 90".into());
            }
            if body["longitude"].as_f64().is_some_and(|l| !(-180.0..=180.0).contains(&l)) {
                problems.push("longitude must be -180 to 180".into());
            }
            check_keyboard(body, &mut problems);
        }
        "createForumTopic" | "editForumTopic" => {
            // createForumTopic needs a name; editForumTopic keeps the old one when given none.
            let least = if method == "createForumTopic" { 1 } else { 0 };
            if let Some(name) = body["name"].as_str() {
                let len = name.chars().count();
                if len < least || len > 128 || (len > 0 && name.trim().is_empty()) {
                    problems.push(format!("topic name of {len} characters; it must be {least}-128"));
                }
            }
            if body["icon_color"].as_i64().is_some_and(|c| !TOPIC_COLORS.contains(&c)) {
                problems.push("icon_color must be one of the six topic colours".into());
            }
        }
        "answerCallbackQuery" if body["text"].as_str().is_some_and(|t| t.chars().count() > 200) => {
            problems.push("callback answer text over 200 characters".into());
        }
        "setMyCommands" => {
            let commands = body["commands"].as_array().cloned().unwrap_or_default();
            if commands.is_empty() || commands.len() > 100 {
                problems.push(format!("{} commands", commands.len()));
            }
            for c in &commands {
                let name = c["command"].as_str().unwrap_or_default();
                if name.is_empty()
                    || name.len() > 32
                    || !name.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_')
                {
                    problems.push(format!("BOT_COMMAND_INVALID {name:?}"));
                }
                let description = c["description"].as_str().unwrap_or_default().chars().count();
                if !(1..=256).contains(&description) {
                    problems.push(format!("command description of {description} characters"));
                }
            }
            if let Some(code) = body["language_code"].as_str()
                && !(code.is_empty() || (code.len() == 2 && code.bytes().all(|b| b.is_ascii_lowercase())))
            {
                problems.push(format!("language_code {code:?}"));
            }
        }
        "setWebhook" => {
            if let Some(secret) = body["secret_token"].as_str() {
                let ok = (1..=256).contains(&secret.len())
                    && secret.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-');
                if !ok {
                    problems.push("secret_token must be 1-256 of A-Z a-z 0-9 _ -".into());
                }
            }
            if !body["url"].as_str().unwrap_or_default().starts_with("https://") {
                problems.push("bad webhook: an HTTPS URL must be provided for webhook".into());
            }
        }
        "getUpdates" => {
            if body["limit"].as_i64().is_some_and(|l| !(1..=100).contains(&l)) {
                problems.push("limit must be 1-100".into());
            }
            if body["timeout"].as_i64().is_some_and(|t| t < 0) {
                problems.push("timeout must not be negative".into());
            }
        }
        "setMessageReaction" => {
            let reactions = body["reaction"].as_array().cloned().unwrap_or_default();
            // "Currently, as non-premium users, bots can set up to one reaction per message."
            if reactions.len() > 1 {
                problems.push(format!("REACTIONS_TOO_MANY ({} reactions; a bot may set one)", reactions.len()));
            }
            for r in &reactions {
                match r["type"].as_str() {
                    Some("emoji") => {
                        let emoji = r["emoji"].as_str().unwrap_or_default();
                        if !spec().reaction_emoji().iter().any(|e| e == emoji) {
                            problems.push(format!("REACTION_INVALID: {emoji:?} is not one of Telegram's reactions"));
                        }
                    }
                    Some("paid") => problems.push("bots can't use paid reactions".into()),
                    _ => {}
                }
            }
        }
        "sendChatAction" => {
            const ACTIONS: &[&str] = &[
                "typing",
                "upload_photo",
                "record_video",
                "upload_video",
                "record_voice",
                "upload_voice",
                "upload_document",
                "choose_sticker",
                "find_location",
                "record_video_note",
                "upload_video_note",
            ];
            if !body["action"].as_str().is_some_and(|a| ACTIONS.contains(&a)) {
                problems.push("wrong parameter action in request".into());
            }
        }
        _ => {}
    }
    problems
}

/// The colours Telegram allows for a topic icon.
const TOPIC_COLORS: [i64; 6] = [0x6FB9F0, 0xFFD67E, 0xCB86DB, 0x8EEE98, 0xFF93B2, 0xFB6F5F];

/// Checks a text field (a message's text, a caption) as its parse mode reads it; returns its
/// length after parsing, in UTF-16 units as Telegram counts (0 if it is absent).
fn check_text(body: &Value, field: &str, problems: &mut Vec<String>) -> usize {
    let Some(text) = body[field].as_str() else { return 0 };
    let plain = match body["parse_mode"].as_str() {
        Some("HTML") => match parse_html(text) {
            Ok(plain) => plain,
            Err(e) => {
                problems.push(format!("can't parse entities: {e}"));
                return 0;
            }
        },
        Some(other) => {
            problems.push(format!("parse mode {other:?} is not what this bot uses"));
            text.to_string()
        }
        None => text.to_string(),
    };
    if plain.trim().is_empty() { 0 } else { plain.encode_utf16().count() }
}

/// Checks an inline keyboard, if any: its size, and every button's text and callback_data.
fn check_keyboard(body: &Value, problems: &mut Vec<String>) {
    let Some(rows) = body["reply_markup"].get("inline_keyboard").and_then(Value::as_array) else { return };
    let total: usize = rows.iter().map(|r| r.as_array().map_or(0, Vec::len)).sum();
    if total > 100 {
        problems.push(format!("reply markup is too long ({total} buttons)"));
    }
    for row in rows {
        let row = row.as_array().cloned().unwrap_or_default();
        if row.is_empty() || row.len() > 8 {
            problems.push(format!("a keyboard row has {} buttons", row.len()));
        }
        for b in &row {
            if b["text"].as_str().is_none_or(|t| t.trim().is_empty()) {
                problems.push("a button has no text".into());
            }
            match b["callback_data"].as_str() {
                Some(d) if (1..=64).contains(&d.len()) => {}
                Some(d) => problems.push(format!("BUTTON_DATA_INVALID ({} bytes)", d.len())),
                None => problems.push("a button has no callback_data".into()),
            }
        }
    }
}

/// Parses Telegram's HTML: only its tags, properly nested, and entities it knows. Returns the
/// plain text (what the length limit counts).
pub fn parse_html(text: &str) -> Result<String, String> {
    const TAGS: &[&str] = &[
        "b",
        "strong",
        "i",
        "em",
        "u",
        "ins",
        "s",
        "strike",
        "del",
        "span",
        "tg-spoiler",
        "a",
        "tg-emoji",
        "code",
        "pre",
        "blockquote",
    ];
    let mut plain = String::with_capacity(text.len());
    let mut open: Vec<String> = Vec::new();
    let mut rest = text;
    while let Some(i) = rest.find(['<', '&', '>']) {
        plain.push_str(&rest[..i]);
        let c = rest.as_bytes()[i];
        rest = &rest[i..];
        match c {
            b'>' => return Err("unexpected \">\"; escape it as &gt;".into()),
            b'&' => {
                let end = rest.find(';').filter(|&e| e <= 10).ok_or("a bare \"&\"; escape it as &amp;")?;
                let entity = &rest[1..end];
                let ch = match entity {
                    "lt" => '<',
                    "gt" => '>',
                    "amp" => '&',
                    "quot" => '"',
                    _ => {
                        let code = if let Some(hex) = entity.strip_prefix("#x") {
                            u32::from_str_radix(hex, 16).ok()
                        } else if let Some(dec) = entity.strip_prefix('#') {
                            dec.parse().ok()
                        } else {
                            None
                        };
                        code.and_then(char::from_u32).ok_or_else(|| format!("unsupported entity &{entity};"))?
                    }
                };
                plain.push(ch);
                rest = &rest[end + 1..];
            }
            _ => {
                let end = rest.find('>').ok_or("an unclosed tag")?;
                let tag = &rest[1..end];
                if let Some(name) = tag.strip_prefix('/') {
                    match open.pop() {
                        Some(top) if top == name.trim() => {}
                        _ => return Err(format!("unmatched end tag </{name}>")),
                    }
                } else {
                    let name = tag.split_whitespace().next().unwrap_or_default();
                    if !TAGS.contains(&name) {
                        return Err(format!("unsupported start tag \"{name}\""));
                    }
                    open.push(name.to_string());
                }
                rest = &rest[end + 1..];
            }
        }
    }
    plain.push_str(rest);
    match open.pop() {
        Some(tag) => Err(format!("tag \"{tag}\" is not closed")),
        None => Ok(plain),
    }
}

/// The Bot API description of the methods the bot uses, from api.json.
pub(super) struct Spec {
    methods: HashMap<String, Vec<Field>>,
    types: HashMap<String, Vec<Field>>,
    /// A type that is one of several (ReactionType): its subtype for each value of `type`.
    unions: HashMap<String, HashMap<String, String>>,
    /// The emoji a ReactionTypeEmoji may be, read from its description.
    reaction_emoji: Vec<String>,
}

#[derive(serde::Deserialize)]
struct Field {
    name: String,
    types: Vec<String>,
    required: bool,
    /// Kept only where the fake reads it (the list of reaction emoji).
    #[serde(default)]
    description: Option<String>,
}

pub(super) fn spec() -> &'static Spec {
    static SPEC: OnceLock<Spec> = OnceLock::new();
    SPEC.get_or_init(|| {
        #[derive(serde::Deserialize)]
        struct File {
            methods: HashMap<String, Vec<Field>>,
            types: HashMap<String, Vec<Field>>,
            #[serde(default)]
            unions: HashMap<String, HashMap<String, String>>,
        }
        let file: File = serde_json::from_str(include_str!("../bot-api.json")).expect("bot-api.json reads");
        let emoji = file.types.get("ReactionTypeEmoji").and_then(|fields| fields.iter().find(|f| f.name == "emoji"));
        let reaction_emoji = emoji.and_then(|f| f.description.as_deref()).map(quoted).unwrap_or_default();
        Spec { methods: file.methods, types: file.types, unions: file.unions, reaction_emoji }
    })
}

/// The strings in double quotes in a description: `one of "❤", "👍", ...`.
fn quoted(description: &str) -> Vec<String> {
    description.split('"').skip(1).step_by(2).map(str::to_string).collect()
}

impl Spec {
    /// The emoji Telegram allows as a reaction.
    pub(super) fn reaction_emoji(&self) -> &[String] {
        &self.reaction_emoji
    }

    /// The method's name as the API spells it (calls are case-insensitive: teloxide sends
    /// `SendMessage`).
    pub(super) fn canonical(&self, method: &str) -> Option<String> {
        self.methods.keys().find(|m| m.eq_ignore_ascii_case(method)).cloned()
    }

    /// A multipart form's fields as a JSON object, each read as the API types it, and the files
    /// uploaded in it.
    pub(super) fn form(&self, method: &str, body: &[u8], boundary: &str) -> Option<Form> {
        let fields = self.methods.get(method)?;
        let mut object = Map::new();
        let mut uploads = HashMap::new();
        for part in form::parts(body, boundary)? {
            let types = fields.iter().find(|f| f.name == part.name).map(|f| f.types.as_slice()).unwrap_or_default();
            let Some(file_name) = part.file_name else {
                object.insert(part.name, self.read_text(std::str::from_utf8(part.content).ok()?, types));
                continue;
            };
            // A file in a field that takes one is that field's value; any other file waits for
            // an `attach://` to name it.
            if types.iter().any(|t| t == "InputFile") {
                object.insert(part.name.clone(), Value::String(format!("attach://{}", part.name)));
            }
            uploads.insert(part.name, Upload { file_name, bytes: part.content.to_vec() });
        }
        Some(Form { body: Value::Object(object), uploads })
    }

    /// A text part as a field of these types reads it. A part is text: it is a number, a flag
    /// or an object if the field may be one and the text reads as one (chat_id -100123), and
    /// otherwise a string.
    fn read_text(&self, text: &str, types: &[String]) -> Value {
        match serde_json::from_str::<Value>(text) {
            Ok(v)
                if types.iter().any(|t| t != "String" && t != "InputFile" && self.matches(t, &v, &mut Vec::new())) =>
            {
                v
            }
            _ if types.iter().any(|t| t == "String" || t == "InputFile") => Value::String(text.to_string()),
            Ok(v) => v,
            Err(_) => Value::String(text.to_string()),
        }
    }

    pub(super) fn check_method(&self, method: &str, body: &Value) -> Vec<String> {
        let Some(fields) = self.methods.get(method) else { return vec![format!("unknown method {method}")] };
        match body.as_object() {
            Some(object) => self.check_fields(method, fields, object),
            None => vec!["the body is not an object".into()],
        }
    }

    /// What is wrong with a value of a type this file describes (tests check the fake's own
    /// answers with it).
    #[cfg(test)]
    pub(super) fn check_type(&self, ty: &str, value: &Value) -> Vec<String> {
        match (self.types.get(ty), value.as_object()) {
            (Some(fields), Some(object)) => self.check_fields(ty, fields, object),
            (None, _) => vec![format!("{ty} is not described")],
            (_, None) => vec![format!("{ty}: not an object")],
        }
    }

    fn check_fields(&self, what: &str, fields: &[Field], object: &Map<String, Value>) -> Vec<String> {
        let mut problems = Vec::new();
        for f in fields.iter().filter(|f| f.required) {
            if !object.contains_key(&f.name) {
                problems.push(format!("{what}: required field {} is missing", f.name));
            }
        }
        for (name, value) in object {
            match fields.iter().find(|f| &f.name == name) {
                None => problems.push(format!("{what}: unknown field {name}")),
                Some(f) => {
                    if !f.types.iter().any(|t| self.matches(t, value, &mut Vec::new())) {
                        let mut why = Vec::new();
                        for t in &f.types {
                            self.matches(t, value, &mut why);
                        }
                        problems.push(format!("{what}: field {name} is not {} {why:?}", f.types.join(" or ")));
                    }
                }
            }
        }
        problems
    }

    fn matches(&self, ty: &str, value: &Value, why: &mut Vec<String>) -> bool {
        if let Some(inner) = ty.strip_prefix("Array of ") {
            return value.as_array().is_some_and(|items| items.iter().all(|v| self.matches(inner, v, why)));
        }
        match ty {
            "Integer" => value.is_i64() || value.is_u64(),
            "Float" => value.is_number(),
            "String" => value.is_string(),
            "Boolean" => value.is_boolean(),
            "True" => value == &Value::Bool(true),
            "InputFile" => value.is_string(),
            "BotCommandScope" => value.get("type").is_some_and(Value::is_string),
            _ if self.unions.contains_key(ty) => {
                let kind = value.get("type").and_then(Value::as_str).unwrap_or_default();
                match self.unions[ty].get(kind) {
                    Some(subtype) => self.matches(subtype, value, why),
                    None => {
                        why.push(format!("{ty}: no subtype has type {kind:?}"));
                        false
                    }
                }
            }
            _ => match (self.types.get(ty), value.as_object()) {
                (Some(fields), Some(object)) => {
                    let problems = self.check_fields(ty, fields, object);
                    why.extend(problems.iter().cloned());
                    problems.is_empty()
                }
                // A type this fake does not describe: any object.
                (None, Some(_)) => true,
                _ => false,
            },
        }
    }
}

/// A text field as Telegram shows it: without the HTML markup, if any.
pub(super) fn plain(body: &Value, field: &str) -> Option<String> {
    let text = body[field].as_str()?;
    Some(match body["parse_mode"].as_str() {
        Some("HTML") => parse_html(text).unwrap_or_default(),
        _ => text.to_string(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn telegram_html_is_checked_like_telegram() {
        assert_eq!(parse_html("a &lt;b&gt; &amp; <b>bold</b> &#1041;").unwrap(), "a <b> & bold Б");
        assert!(parse_html("a < b").is_err());
        assert!(parse_html("AT&T").is_err());
        assert!(parse_html("<b>open").is_err());
        assert!(parse_html("<b><i>x</b></i>").is_err());
        assert!(parse_html("<script>x</script>").is_err());
        assert!(parse_html("<a href=\"https://sofia.bg\">x</a>").is_ok());
    }

    #[test]
    fn fields_are_checked_against_the_api_description() {
        let ok = json!({"chat_id": 1, "text": "hi", "reply_markup": {"inline_keyboard": [[{"text": "a", "callback_data": "m"}]]}});
        assert!(spec().check_method("sendMessage", &ok).is_empty());
        let missing = json!({"chat_id": 1});
        assert_eq!(spec().check_method("sendMessage", &missing), vec!["sendMessage: required field text is missing"]);
        let wrong = json!({"chat_id": 1, "text": 5});
        assert_eq!(spec().check_method("sendMessage", &wrong).len(), 1);
        assert_eq!(spec().canonical("SendMessage").as_deref(), Some("sendMessage"));
    }

    #[test]
    fn a_reaction_is_one_of_telegrams_emoji_one_at_a_time() {
        let react = |reaction: Value| {
            let body = json!({"chat_id": 1, "message_id": 5, "reaction": reaction});
            let mut problems = spec().check_method("setMessageReaction", &body);
            problems.extend(check_limits("setMessageReaction", &body));
            problems
        };
        assert!(spec().reaction_emoji().len() > 50 && spec().reaction_emoji().iter().any(|e| e == "\u{270D}"));
        assert_eq!(react(json!([{"type": "emoji", "emoji": "\u{270D}"}])), Vec::<String>::new());
        assert_eq!(react(json!([{"type": "emoji", "emoji": "✅"}])).len(), 1, "not a reaction");
        assert_eq!(react(json!([{"type": "emoji", "emoji": "👍"}, {"type": "emoji", "emoji": "👌"}])).len(), 1);
        assert!(!react(json!([{"type": "emoji"}])).is_empty(), "no emoji");
        assert!(!react(json!([{"type": "sticker"}])).is_empty(), "no such type");
    }
}
