//! The bot's own messages as the fake keeps them, so that they can be deleted and edited as
//! Telegram allows: deleteMessage within 48 hours (a test makes posts older with `age_posts`),
//! editMessageText on a text, editMessageCaption on a caption. It can also hold a chat
//! (`hold`): requests about it wait until `release`, as if Telegram answered it slowly.

use axum::http::StatusCode;
use serde_json::{Value, json};

use super::check::plain;
use super::{FakeBotApi, Inner};

/// A message the bot sent, as it is now.
#[derive(Debug, Clone, PartialEq)]
pub struct Post {
    pub message_id: i64,
    /// The method that sent it (`sendMessage`, `sendPhoto`, ...).
    pub method: String,
    /// Its text or caption as shown now (after edits), without markup.
    pub text: String,
    pub deleted: bool,
    pub edited: bool,
    /// Sent more than 48 hours ago: it can no longer be deleted.
    pub old: bool,
    /// The message as Telegram returns it.
    pub(super) message: Value,
}

type Refusal = (StatusCode, String);

fn bad(description: &str) -> Refusal {
    (StatusCode::BAD_REQUEST, format!("Bad Request: {description}"))
}

/// Keeps a message the bot sent.
pub(super) fn keep(posts: &mut Vec<(i64, Post)>, chat: i64, method: &str, message: &Value) {
    let text = message.get("text").or_else(|| message.get("caption")).and_then(Value::as_str).unwrap_or_default();
    posts.push((
        chat,
        Post {
            message_id: message["message_id"].as_i64().unwrap_or_default(),
            method: method.to_string(),
            text: text.to_string(),
            deleted: false,
            edited: false,
            old: false,
            message: message.clone(),
        },
    ));
}

fn find<'a>(posts: &'a mut [(i64, Post)], body: &Value) -> Option<&'a mut Post> {
    let chat = body["chat_id"].as_i64()?;
    let id = body["message_id"].as_i64()?;
    posts.iter_mut().find(|(c, p)| *c == chat && p.message_id == id && !p.deleted).map(|(_, p)| p)
}

/// deleteMessage: a message of the bot's, sent less than 48 hours ago.
pub(super) fn delete(inner: &Inner, body: &Value) -> Result<Value, Refusal> {
    let mut s = inner.lock();
    let post = find(&mut s.posts, body).ok_or_else(|| bad("message to delete not found"))?;
    if post.old {
        return Err(bad("message can't be deleted"));
    }
    post.deleted = true;
    Ok(json!(true))
}

/// editMessageText and editMessageCaption: the edited message.
pub(super) fn edit(inner: &Inner, body: &Value, method: &str) -> Result<Value, Refusal> {
    let field = if method == "editMessageText" { "text" } else { "caption" };
    let new = plain(body, field).unwrap_or_default();
    let mut s = inner.lock();
    let post = find(&mut s.posts, body).ok_or_else(|| bad("message to edit not found"))?;
    if field == "text" && post.message.get("text").is_none() {
        return Err(bad("there is no text in the message to edit"));
    }
    if field == "caption" && post.message.get("text").is_some() {
        return Err(bad("there is no caption in the message to edit"));
    }
    if new == post.text {
        return Err(bad(
            "message is not modified: specified new message content and reply markup are exactly the same as a current content and reply markup of the message",
        ));
    }
    post.text = new.clone();
    post.edited = true;
    post.message[field] = json!(new);
    post.message["edit_date"] = json!(super::citizen::DATE + 60);
    if let Some(m) = post.message.as_object_mut() {
        m.remove("reply_markup");
    }
    Ok(post.message.clone())
}

/// Waits while requests about `chat` are held.
pub(super) async fn wait_while_held(inner: &Inner, chat: i64) {
    loop {
        let notified = inner.changed.notified();
        tokio::pin!(notified);
        notified.as_mut().enable();
        if !inner.lock().held.contains(&chat) {
            return;
        }
        notified.await;
    }
}

impl FakeBotApi {
    /// The bot's messages to a chat, in order, as they are now.
    pub fn posts_in(&self, chat: i64) -> Vec<Post> {
        self.inner.lock().posts.iter().filter(|(c, _)| *c == chat).map(|(_, p)| p.clone()).collect()
    }

    /// Every message the bot has sent to `chat` so far is older than 48 hours: it can be
    /// edited, no longer deleted.
    pub fn age_posts(&self, chat: i64) {
        let mut s = self.inner.lock();
        s.posts.iter_mut().filter(|(c, _)| *c == chat).for_each(|(_, p)| p.old = true);
    }

    /// Requests about `chat` wait (the request already under way too) until `release`.
    pub fn hold(&self, chat: i64) {
        self.inner.lock().held.insert(chat);
    }

    pub fn release(&self, chat: i64) {
        self.inner.lock().held.remove(&chat);
        self.inner.changed.notify_waiters();
    }

    /// Requests about `chat` waiting for `release`, now.
    pub fn held_requests(&self, chat: i64) -> usize {
        self.inner.lock().waiting.get(&chat).copied().unwrap_or(0)
    }
}
