//! The fake's Bot API methods: getUpdates with long polling, the calls that deliver a message
//! (sendMessage, sendPhoto, sendDocument, sendLocation, copyMessage: to a private chat, or to a
//! group, in a topic or in General), answerCallbackQuery and the calls made at start, each
//! checked before it is answered. Deleting and editing the bot's messages is in `posts`, the
//! forum topic methods are in `staff`, the files of
//! documents in `document`, getFile and the downloads in `files`.

use std::collections::HashMap;
use std::sync::Arc;
use std::time::{Duration, Instant};

use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::Response;
use serde_json::{Value, json};

use super::check::{check_limits, plain, spec};
use super::citizen::{DATE, group_chat, photo_sizes};
use super::document::{SentDocument, UPLOAD_LIMIT, document_object, document_to_send};
use super::form::{Form, Upload};
use super::{BOT_ID, BOT_USERNAME, FakeState, Fault, Inner, Recorded, TOKEN, answer, bot_user, files, posts, staff};

pub(super) async fn handle(
    State(inner): State<Arc<Inner>>,
    Path((token, method)): Path<(String, String)>,
    headers: axum::http::HeaderMap,
    body: Bytes,
) -> Response {
    let at = Instant::now();
    if token.strip_prefix("bot") != Some(TOKEN) {
        return answer(
            StatusCode::UNAUTHORIZED,
            json!({"ok": false, "error_code": 401, "description": "Unauthorized"}),
        );
    }
    let Some(method) = spec().canonical(&method) else {
        return answer(
            StatusCode::NOT_FOUND,
            json!({"ok": false, "error_code": 404, "description": "Not Found: method not found"}),
        );
    };
    if body.len() > UPLOAD_LIMIT {
        let size = body.len();
        inner.lock().violations.push(format!("{method}: a request of {size} bytes, over Telegram's 50 MB"));
        inner.record(Recorded { method, body: Value::Null, at, status: 413, chat: None });
        let description = "Request Entity Too Large";
        return answer(
            StatusCode::PAYLOAD_TOO_LARGE,
            json!({"ok": false, "error_code": 413, "description": description}),
        );
    }
    let content_type = headers.get(axum::http::header::CONTENT_TYPE).and_then(|v| v.to_str().ok()).unwrap_or_default();
    let Form { body, uploads } = if body.is_empty() {
        Form { body: json!({}), uploads: HashMap::new() }
    } else if let Some(boundary) = content_type.strip_prefix("multipart/form-data; boundary=") {
        // teloxide sends methods that may carry a file (sendPhoto, sendDocument, setWebhook)
        // as multipart forms.
        match spec().form(&method, &body, boundary) {
            Some(form) => form,
            None => return refuse(&inner, &method, Value::Null, None, at, "Bad Request: the form does not parse"),
        }
    } else {
        match serde_json::from_slice(&body) {
            Ok(body) => Form { body, uploads: HashMap::new() },
            Err(_) => return refuse(&inner, &method, Value::Null, None, at, "Bad Request: the body is not JSON"),
        }
    };
    let chat = chat_of_request(&inner, &method, &body);
    if let Some(chat) = chat {
        *inner.lock().waiting.entry(chat).or_default() += 1;
        inner.changed.notify_waiters();
        posts::wait_while_held(&inner, chat).await;
        *inner.lock().waiting.entry(chat).or_default() -= 1;
    }
    if let Some(fault) = take_fault(&inner, &method) {
        let (status, reply) = match fault {
            Fault::RetryAfter(s) => (
                StatusCode::TOO_MANY_REQUESTS,
                json!({"ok": false, "error_code": 429, "description": format!("Too Many Requests: retry after {s}"), "parameters": {"retry_after": s}}),
            ),
            Fault::ServerError => (
                StatusCode::INTERNAL_SERVER_ERROR,
                json!({"ok": false, "error_code": 500, "description": "Internal Server Error"}),
            ),
            Fault::Blocked => (
                StatusCode::FORBIDDEN,
                json!({"ok": false, "error_code": 403, "description": "Forbidden: bot was blocked by the user"}),
            ),
            Fault::Kicked => (
                StatusCode::FORBIDDEN,
                json!({"ok": false, "error_code": 403, "description": "Forbidden: bot was kicked from the supergroup chat"}),
            ),
        };
        inner.record(Recorded { method, body, at, status: status.as_u16(), chat });
        return answer(status, reply);
    }
    let mut problems = spec().check_method(&method, &body);
    problems.extend(check_limits(&method, &body));
    if let Some(problem) = problems.first().cloned() {
        let mut s = inner.lock();
        s.violations.extend(problems.iter().map(|p| format!("{method}: {p}")));
        drop(s);
        return refuse(&inner, &method, body, chat, at, &format!("Bad Request: {problem}"));
    }
    let result = match method.as_str() {
        "getUpdates" => return get_updates(inner, body, at).await,
        "getMe" => Ok(json!({
            "id": BOT_ID, "is_bot": true, "first_name": "Sofia", "username": BOT_USERNAME,
            "can_join_groups": false, "can_read_all_group_messages": false, "supports_inline_queries": false,
            "can_connect_to_business": false, "has_main_web_app": false
        })),
        "sendMessage" | "sendPhoto" | "sendDocument" | "sendLocation" | "copyMessage" => {
            deliver(&inner, &method, &body, &uploads)
        }
        "answerCallbackQuery" => answer_callback(&inner, &body),
        "setMessageReaction" => react(&inner, &body),
        "deleteMessage" => posts::delete(&inner, &body),
        "editMessageText" | "editMessageCaption" => posts::edit(&inner, &body, &method),
        "getFile" => files::get_file(&inner, &body),
        "createForumTopic" => staff::create_topic(&inner, &body),
        "editForumTopic" | "closeForumTopic" | "reopenForumTopic" => staff::change_topic(&inner, &body, &method),
        "getChat" => staff::get_chat(&inner, &body),
        "getChatMember" => staff::get_chat_member(&inner, &body),
        "setWebhook" => {
            inner.lock().webhook = body["url"].as_str().map(str::to_string);
            Ok(json!(true))
        }
        "deleteWebhook" => {
            inner.lock().webhook = None;
            Ok(json!(true))
        }
        "getWebhookInfo" => Ok(
            json!({"url": inner.lock().webhook.clone().unwrap_or_default(), "has_custom_certificate": false, "pending_update_count": 0}),
        ),
        _ => Ok(json!(true)),
    };
    match result {
        Ok(result) => {
            inner.record(Recorded { method, body, at, status: 200, chat });
            answer(StatusCode::OK, json!({"ok": true, "result": result}))
        }
        Err((status, description)) => {
            inner.record(Recorded { method, body, at, status: status.as_u16(), chat });
            answer(status, json!({"ok": false, "error_code": status.as_u16(), "description": description}))
        }
    }
}

fn refuse(inner: &Inner, method: &str, body: Value, chat: Option<i64>, at: Instant, description: &str) -> Response {
    inner.record(Recorded { method: method.to_string(), body, at, status: 400, chat });
    answer(StatusCode::BAD_REQUEST, json!({"ok": false, "error_code": 400, "description": description}))
}

/// The fault this call gets, if any: the next one set for its method, else a periodic one.
fn take_fault(inner: &Inner, method: &str) -> Option<Fault> {
    let mut s = inner.lock();
    s.calls_counted += 1;
    if let Some(i) = s.faults.iter().position(|(m, _)| m == method) {
        return Some(s.faults.remove(i).1);
    }
    let n = s.calls_counted;
    s.periodic.iter().find(|(every, _)| n.is_multiple_of(*every)).map(|(_, fault)| fault.clone())
}

fn chat_of_request(inner: &Inner, method: &str, body: &Value) -> Option<i64> {
    match method {
        "answerCallbackQuery" => {
            body["callback_query_id"].as_str().and_then(|id| inner.lock().callbacks.get(id).map(|c| c.0))
        }
        _ => body["chat_id"].as_i64(),
    }
}

async fn get_updates(inner: Arc<Inner>, body: Value, at: Instant) -> Response {
    let offset = body["offset"].as_i64();
    let limit = body["limit"].as_u64().unwrap_or(100) as usize;
    let timeout = Duration::from_secs(body["timeout"].as_u64().unwrap_or(0));
    {
        let mut s = inner.lock();
        if s.webhook.is_some() {
            drop(s);
            let description = "Conflict: can't use getUpdates method while webhook is active; use deleteWebhook to delete the webhook first";
            inner.record(Recorded { method: "getUpdates".into(), body, at, status: 409, chat: None });
            return answer(StatusCode::CONFLICT, json!({"ok": false, "error_code": 409, "description": description}));
        }
        if let Some(offset) = offset {
            // An offset confirms every update below it: Telegram forgets them.
            s.confirmed = s.confirmed.max(offset);
            s.queue.retain(|(id, _)| *id >= offset);
        }
    }
    inner.record(Recorded { method: "getUpdates".into(), body, at, status: 200, chat: None });
    let deadline = tokio::time::Instant::now() + timeout;
    loop {
        let notified = inner.changed.notified();
        tokio::pin!(notified);
        notified.as_mut().enable();
        {
            let mut s = inner.lock();
            let floor = offset.unwrap_or(i64::MIN);
            let mut batch: Vec<Value> = std::mem::take(&mut s.again);
            let room = limit.saturating_sub(batch.len());
            batch.extend(s.queue.iter().filter(|(id, _)| *id >= floor).take(room).map(|(_, u)| u.clone()));
            if !batch.is_empty() || tokio::time::Instant::now() >= deadline {
                s.handed_out += batch.len();
                return answer(StatusCode::OK, json!({"ok": true, "result": batch}));
            }
        }
        let _ = tokio::time::timeout_at(deadline, notified).await;
    }
}

/// sendMessage, sendPhoto, sendDocument, sendLocation and copyMessage: the message as Telegram
/// returns it (copyMessage: only its id).
fn deliver(
    inner: &Inner,
    method: &str,
    body: &Value,
    uploads: &HashMap<String, Upload>,
) -> Result<Value, (StatusCode, String)> {
    let mut s = inner.lock();
    let (chat, thread) = destination(&mut s, method, body)?;
    if method == "copyMessage" && !body["from_chat_id"].as_i64().is_some_and(|c| s.known_chats.contains(&c)) {
        return Err((StatusCode::BAD_REQUEST, "Bad Request: chat not found".into()));
    }
    let mut content = match method {
        "sendPhoto" => {
            let photo = body["photo"].as_str().unwrap_or_default();
            let url = photo.starts_with("https://") || photo.starts_with("http://");
            if !url && !s.files.contains(photo) {
                s.violations.push(format!("sendPhoto: photo {photo:?} is no file id Telegram handed out"));
                return Err((StatusCode::BAD_REQUEST, "Bad Request: wrong file identifier/HTTP URL specified".into()));
            }
            // The answer names the photo anew if it came by URL; the bot may send it on.
            let file = if url { format!("sent-{}", s.next_message_id) } else { photo.to_string() };
            let sizes = photo_sizes(&file);
            s.files.extend(
                sizes.as_array().into_iter().flatten().filter_map(|p| p["file_id"].as_str()).map(str::to_string),
            );
            json!({ "photo": sizes })
        }
        "sendDocument" => {
            let file_id = document_to_send(&mut s, body, uploads)?;
            let document = document_object(&file_id, &s.documents[&file_id]);
            let caption = body["caption"].as_str().map(str::to_string);
            s.sent_documents.push(SentDocument {
                chat: body["chat_id"].as_i64().unwrap_or_default(),
                file_id,
                caption,
            });
            json!({ "document": document })
        }
        "sendLocation" => json!({ "location": {"latitude": body["latitude"], "longitude": body["longitude"]} }),
        _ => json!({ "text": plain(body, "text").unwrap_or_default() }),
    };
    if matches!(method, "sendPhoto" | "sendDocument")
        && let Some(caption) = plain(body, "caption").filter(|c| !c.is_empty())
    {
        content["caption"] = json!(caption);
    }
    let id = s.next_message_id;
    s.next_message_id += 1;
    if method == "copyMessage" {
        return Ok(json!({ "message_id": id }));
    }
    let mut message = json!({"message_id": id, "date": DATE, "chat": chat, "from": bot_user()});
    if let Some(thread) = thread {
        message["message_thread_id"] = json!(thread);
        message["is_topic_message"] = json!(true);
    }
    if let (Some(m), Some(c)) = (message.as_object_mut(), content.as_object()) {
        m.extend(c.clone());
    }
    let to = body["chat_id"].as_i64().unwrap_or_default();
    posts::keep(&mut s.posts, to, method, &message);
    Ok(message)
}

/// The chat (as messages show it) and the topic a message goes to, or Telegram's refusal.
fn destination(s: &mut FakeState, method: &str, body: &Value) -> Result<(Value, Option<i64>), (StatusCode, String)> {
    let chat = body["chat_id"].as_i64().unwrap_or_default();
    if s.blocked.contains(&chat) {
        return Err((StatusCode::FORBIDDEN, "Forbidden: bot was blocked by the user".into()));
    }
    if !s.known_chats.contains(&chat) {
        return Err((StatusCode::BAD_REQUEST, "Bad Request: chat not found".into()));
    }
    let thread = body["message_thread_id"].as_i64();
    let not_found = || (StatusCode::BAD_REQUEST, "Bad Request: message thread not found".to_string());
    match (s.groups.get(&chat), thread) {
        // General is no topic: a message goes there without a thread (sending to thread 1
        // fails in Telegram too).
        (Some(group), Some(thread)) if !group.has_topic(thread) => Err(not_found()),
        (Some(group), thread) => Ok((group_chat(chat, group.forum), thread)),
        (None, Some(thread)) => {
            s.violations.push(format!(
                "{method}: message_thread_id {thread} to chat {chat}, which is no group of the fake (add_group)"
            ));
            Err(not_found())
        }
        (None, None) if chat < 0 => Ok((group_chat(chat, false), None)),
        (None, None) => Ok((json!({"id": chat, "type": "private", "first_name": "Citizen"}), None)),
    }
}

/// setMessageReaction: only on a message a citizen sent in their chat (the fake knows each
/// one it handed out).
fn react(inner: &Inner, body: &Value) -> Result<Value, (StatusCode, String)> {
    let chat = body["chat_id"].as_i64().unwrap_or_default();
    let message = body["message_id"].as_i64().unwrap_or_default();
    let mut s = inner.lock();
    if s.blocked.contains(&chat) {
        return Err((StatusCode::FORBIDDEN, "Forbidden: bot was blocked by the user".into()));
    }
    if !s.reactable.contains(&(chat, message)) {
        s.violations.push(format!("setMessageReaction: message {message} in chat {chat} is no citizen's message"));
        return Err((StatusCode::BAD_REQUEST, "Bad Request: MESSAGE_ID_INVALID".into()));
    }
    let reactions = body["reaction"].as_array().cloned().unwrap_or_default();
    for r in reactions {
        s.reactions.push((chat, message, r["emoji"].as_str().unwrap_or_default().to_string()));
    }
    Ok(json!(true))
}

fn answer_callback(inner: &Inner, body: &Value) -> Result<Value, (StatusCode, String)> {
    let id = body["callback_query_id"].as_str().unwrap_or_default();
    let mut s = inner.lock();
    match s.callbacks.get_mut(id) {
        Some((_, answered)) if !*answered => {
            *answered = true;
            Ok(json!(true))
        }
        _ => {
            let problem = format!("answerCallbackQuery: query {id:?} unknown or answered twice");
            s.violations.push(problem);
            Err((
                StatusCode::BAD_REQUEST,
                "Bad Request: query is too old and response timeout expired or query ID is invalid".into(),
            ))
        }
    }
}

#[cfg(test)]
mod tests {
    use teloxide::RequestError;
    use teloxide::errors::ApiError;
    use teloxide::prelude::*;
    use teloxide::types::{FileId, InputFile, MessageId, ParseMode, ThreadId};

    use super::super::{Citizen, FakeBotApi, Fault};

    const GROUP: i64 = -100_200_300;

    #[tokio::test]
    async fn a_citizens_photo_location_and_message_reach_a_topic_as_telegram_answers() {
        let fake = FakeBotApi::start().await;
        fake.add_group(GROUP, true);
        let citizen = Citizen::new(1001, Some("bg"));
        fake.push(citizen.photo("photo-1"));
        let bot = fake.bot();
        let thread = bot.create_forum_topic(ChatId(GROUP), "Case 1").await.unwrap().thread_id;

        // teloxide sends sendPhoto as a multipart form, even for a file id.
        let photo = bot
            .send_photo(ChatId(GROUP), InputFile::file_id(FileId("photo-1".into())))
            .caption("<i>from</i> the citizen")
            .parse_mode(ParseMode::Html)
            .message_thread_id(thread)
            .await
            .unwrap();
        assert_eq!((photo.caption(), photo.thread_id), (Some("from the citizen"), Some(thread)));
        assert!(photo.photo().is_some_and(|sizes| sizes.iter().any(|p| p.file.id.0 == "photo-1")));
        let location = bot.send_location(ChatId(GROUP), 42.6977, 23.3219).message_thread_id(thread).await.unwrap();
        assert_eq!(location.location().map(|l| l.latitude), Some(42.6977));
        let copy = bot.copy_message(ChatId(GROUP), ChatId(citizen.id), MessageId(1)).message_thread_id(thread).await;
        assert!(copy.unwrap().0 > location.id.0);

        let recorded = fake.in_topic(GROUP, thread.0.0.into());
        let methods: Vec<&str> = recorded.iter().map(|r| r.method.as_str()).collect();
        assert_eq!(methods, ["sendPhoto", "sendLocation", "copyMessage"]);
        assert_eq!(recorded[0].body["chat_id"], GROUP, "the form's chat_id reads as a number");
        assert_eq!(recorded[0].body["photo"], "photo-1");
        assert_eq!(recorded[2].body["from_chat_id"], citizen.id);
        assert!(fake.violations().is_empty(), "{:?}", fake.violations());
        assert!(fake.messages_to(citizen.id).is_empty() && fake.deliveries_to(citizen.id).is_empty());
    }

    #[tokio::test]
    async fn every_nth_call_of_any_method_gets_its_fault_and_the_first_period_wins_a_tie() {
        let fake = FakeBotApi::start().await;
        let citizen = Citizen::new(1001, None);
        fake.push(citizen.text("hi"));
        let bot = fake.bot();
        bot.get_updates().await.unwrap();
        fake.fail_every(2, Fault::RetryAfter(1));
        fake.fail_every(3, Fault::ServerError);
        for _ in 0..3 {
            let _ = bot.get_me().await;
            let _ = bot.send_message(ChatId(citizen.id), "hi").await;
        }
        let statuses: Vec<(String, u16)> = fake.requests().into_iter().skip(1).map(|r| (r.method, r.status)).collect();
        // The sixth call is in both periods: the first given wins.
        let wanted: [(&str, u16); 6] = [
            ("getMe", 200),
            ("sendMessage", 429),
            ("getMe", 500),
            ("sendMessage", 429),
            ("getMe", 200),
            ("sendMessage", 429),
        ];
        assert_eq!(statuses, wanted.map(|(m, s)| (m.to_string(), s)));
    }

    #[tokio::test]
    async fn a_thread_in_a_private_chat_and_an_unknown_file_id_are_refused() {
        let fake = FakeBotApi::start().await;
        let citizen = Citizen::new(1001, None);
        fake.push(citizen.photo("photo-1"));
        let bot = fake.bot();
        let threaded = bot.send_message(ChatId(citizen.id), "hi").message_thread_id(ThreadId(MessageId(100))).await;
        assert!(
            matches!(threaded, Err(RequestError::Api(ApiError::Unknown(d))) if d == "Bad Request: message thread not found")
        );
        // The unique id is no file id.
        let unique = bot.send_photo(ChatId(citizen.id), InputFile::file_id(FileId("uphoto-1".into()))).await;
        assert!(matches!(unique, Err(RequestError::Api(ApiError::WrongFileIdOrUrl))), "{unique:?}");
        assert_eq!(fake.violations().len(), 2, "{:?}", fake.violations());
        let long = bot
            .send_photo(ChatId(citizen.id), InputFile::file_id(FileId("photo-1".into())))
            .caption("я".repeat(1025))
            .await;
        assert!(long.is_err());
        fake.fail_next("sendPhoto", Fault::Kicked);
        let kicked = bot.send_photo(ChatId(citizen.id), InputFile::file_id(FileId("photo-1".into()))).await;
        assert!(matches!(kicked, Err(RequestError::Api(ApiError::BotKickedFromSupergroup))), "{kicked:?}");
        bot.send_photo(ChatId(citizen.id), InputFile::file_id(FileId("photo-1".into()))).await.unwrap();
        bot.send_message(ChatId(citizen.id), "hi").await.unwrap();
        assert_eq!(fake.deliveries_to(citizen.id).len(), 2);
        assert_eq!(fake.messages_to(citizen.id).len(), 1);
    }
}
