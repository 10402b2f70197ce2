//! The fake's Bot API methods: getUpdates with long polling, sendMessage, answerCallbackQuery
//! and the calls made at start, each checked before it is answered.

use std::sync::Arc;
use std::time::{Duration, Instant};

use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde_json::{Value, json};

use super::check::{check_limits, parse_html, spec};
use super::{BOT_ID, BOT_USERNAME, Fault, Inner, Recorded, TOKEN, bot_user};

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
    let content_type = headers.get(axum::http::header::CONTENT_TYPE).and_then(|v| v.to_str().ok()).unwrap_or_default();
    let body: Value = if body.is_empty() {
        json!({})
    } else if let Some(boundary) = content_type.strip_prefix("multipart/form-data; boundary=") {
        // teloxide sends methods that may carry a file (setWebhook) as multipart forms.
        match spec().form(&method, &body, boundary) {
            Some(v) => v,
            None => return refuse(&inner, &method, Value::Null, None, at, "Bad Request: the form does not parse"),
        }
    } else {
        match serde_json::from_slice(&body) {
            Ok(v) => v,
            Err(_) => return refuse(&inner, &method, Value::Null, None, at, "Bad Request: the body is not JSON"),
        }
    };
    let chat = chat_of_request(&inner, &method, &body);
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
        "sendMessage" => send_message(&inner, &body),
        "answerCallbackQuery" => answer_callback(&inner, &body),
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

fn answer(status: StatusCode, body: Value) -> Response {
    (status, axum::Json(body)).into_response()
}

fn refuse(inner: &Inner, method: &str, body: Value, chat: Option<i64>, at: Instant, description: &str) -> Response {
    inner.record(Recorded { method: method.to_string(), body, at, status: 400, chat });
    answer(StatusCode::BAD_REQUEST, json!({"ok": false, "error_code": 400, "description": description}))
}

fn take_fault(inner: &Inner, method: &str) -> Option<Fault> {
    let mut s = inner.lock();
    let i = s.faults.iter().position(|(m, _)| m == method)?;
    Some(s.faults.remove(i).1)
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

fn send_message(inner: &Inner, body: &Value) -> Result<Value, (StatusCode, String)> {
    let chat = body["chat_id"].as_i64().unwrap_or_default();
    let mut s = inner.lock();
    if s.blocked.contains(&chat) {
        return Err((StatusCode::FORBIDDEN, "Forbidden: bot was blocked by the user".into()));
    }
    if !s.known_chats.contains(&chat) {
        return Err((StatusCode::BAD_REQUEST, "Bad Request: chat not found".into()));
    }
    let id = s.next_message_id;
    s.next_message_id += 1;
    let text = match body["parse_mode"].as_str() {
        Some("HTML") => parse_html(body["text"].as_str().unwrap_or_default()).unwrap_or_default(),
        _ => body["text"].as_str().unwrap_or_default().to_string(),
    };
    Ok(json!({
        "message_id": id, "date": 1_790_000_000,
        "chat": {"id": chat, "type": "private", "first_name": "Citizen"},
        "from": bot_user(), "text": text,
    }))
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
