//! The sender: delivers the outbox, in order per chat, chats in parallel, and marks each row
//! sent. It keeps to Telegram's rates and reads Telegram's answers:
//!
//! - 429 waits `retry_after` and tries again, never sooner, never dropping the row;
//! - 5xx and network errors retry with backoff (0.5, 1, 2, 4 s), then rest 30 s and go on
//!   trying, so a row is never skipped and the chat's later rows wait behind it;
//! - 403 (the citizen blocked the bot) marks the chat inactive and drops its unsent rows;
//! - any other refusal is logged without the message text, the row marked failed, and the
//!   chat's next row goes on.

use std::sync::{Arc, OnceLock};
use std::time::Duration;

use teloxide::RequestError;
use teloxide::errors::ApiError;
use teloxide::prelude::*;
use teloxide::types::{
    CallbackQueryId, FileId, InlineKeyboardButton, InlineKeyboardMarkup, InputFile, LinkPreviewOptions, MessageId,
    ParseMode, ThreadId,
};
use tokio::sync::{Semaphore, watch};

use super::CHANNEL;
use super::lanes::Lanes;
use super::rate::{Buckets, Limits};
use super::render::{self, Request};
use super::staff::StaffGroup;
use crate::store::{Committed, Queued, Store};

/// Quick retries of a failing row before a longer rest.
const QUICK_RETRIES: u32 = 4;
const REST: Duration = Duration::from_secs(30);

/// The outbox's delivery, running in the background.
#[derive(Clone)]
pub struct Sender {
    inner: Arc<Inner>,
}

struct Inner {
    bot: Bot,
    store: Store,
    buckets: Buckets,
    /// Requests in flight to Telegram at once.
    permits: Semaphore,
    stop: watch::Receiver<bool>,
    lanes: OnceLock<Lanes<Queued>>,
    /// Per chat, the mark of the last row sent, while it commits.
    marks: std::sync::Mutex<std::collections::HashMap<i64, Committed>>,
    /// The staff group, which finds (or opens) the forum topic of a case's posts.
    staff: Option<Arc<StaffGroup>>,
}

/// What Telegram's answer means for a row.
#[derive(Debug, Clone, PartialEq)]
enum Outcome {
    Sent,
    /// 429: wait this long, then send it again.
    Wait(Duration),
    /// Worth trying again (5xx, network); the reason, without message text.
    Retry(String),
    /// The citizen blocked the bot, or can no longer be written to.
    Blocked,
    /// Telegram refused the request; the reason, without message text.
    Refused(String),
    /// The forum topic it was for is gone (a staff member deleted it).
    TopicGone,
}

impl Sender {
    /// Starts a sender that stops retrying and waiting when `stop` turns true.
    pub fn start(
        bot: Bot,
        store: Store,
        limits: Limits,
        in_flight: usize,
        staff: Option<Arc<StaffGroup>>,
        stop: watch::Receiver<bool>,
    ) -> Sender {
        let inner = Arc::new(Inner {
            bot,
            store,
            buckets: Buckets::new(limits),
            permits: Semaphore::new(in_flight.max(1)),
            stop,
            lanes: OnceLock::new(),
            marks: std::sync::Mutex::new(std::collections::HashMap::new()),
            staff,
        });
        let weak = Arc::downgrade(&inner);
        let lanes = Lanes::new(move |chat, row: Queued| {
            let inner = weak.upgrade();
            async move {
                if let Some(inner) = inner {
                    deliver(&inner, chat, row).await;
                }
            }
        });
        let _ = inner.lanes.set(lanes);
        Sender { inner }
    }

    /// Queues rows for delivery, each behind the rows of its chat queued before it.
    pub fn enqueue(&self, rows: Vec<Queued>) {
        for row in rows {
            let chat = row.chat.parse::<i64>().unwrap_or(0);
            self.lanes().push(chat, row);
        }
    }

    /// Rows queued and not yet started.
    pub fn queued(&self) -> usize {
        self.lanes().queued()
    }

    /// Takes no more rows; with `drop_queued`, leaves the unstarted ones to the next start.
    pub fn close(&self, drop_queued: bool) {
        self.lanes().close(drop_queued);
    }

    /// Waits until every chat's lane has finished.
    pub async fn idle(&self) {
        self.lanes().idle().await;
    }

    fn lanes(&self) -> &Lanes<Queued> {
        self.inner.lanes.get().expect("the lanes are set at start")
    }
}

async fn deliver(inner: &Inner, chat: i64, row: Queued) {
    let mut request: Request = match serde_json::from_str(&row.payload) {
        Ok(r) => r,
        Err(_) => {
            tracing::error!(id = row.id, chat = %crate::privacy::pseudonym(chat), "an outbox row does not read as a request; marked failed");
            let _ = inner.store.note_attempt(row.id, now_ms(), "unreadable payload", true).await;
            return;
        }
    };
    let method = method_name(&request);
    let mut quick = 0;
    // A case's post goes to its forum topic: found, or opened, before sending.
    let mut thread = None;
    let mut topic_gone = 0;
    let staff_group = inner.staff.as_ref().is_some_and(|s| s.chat == chat);
    // Rows merged into this one, sent with it.
    let mut merged: Option<Vec<i64>> = None;
    loop {
        if *inner.stop.borrow() {
            return;
        }
        if let (Some(case), Some(staff), None) = (request.case(), &inner.staff, thread) {
            match staff.thread(&inner.bot, case, topic_gone > 0).await {
                Ok(t) => thread = Some(t),
                Err(why) => {
                    quick += 1;
                    tracing::warn!(chat = %crate::privacy::pseudonym(chat), error = %why, attempt = quick, "the case's forum topic could not be opened; will retry");
                    if !pause(inner, Duration::from_millis(500 << quick.min(6))).await {
                        return;
                    }
                    continue;
                }
            }
        }
        if request.is_message() {
            let wait = inner.buckets.reserve(chat);
            if !wait.is_zero() && !pause(inner, wait).await {
                return;
            }
        }
        // The staff group takes 20 messages a minute: what queued up meanwhile for the same
        // case goes out in this message.
        if staff_group && merged.is_none() {
            merged = Some(batch(inner, chat, &mut request));
        }
        let result = {
            let _permit = inner.permits.acquire().await;
            execute(&inner.bot, &request, thread).await
        };
        match outcome(result) {
            // Staff posts are never dropped: if the bot lost its rights in the group, they
            // wait until someone gives them back.
            Outcome::Blocked if staff_group => {
                tracing::error!(chat = %crate::privacy::pseudonym(chat), method, "the bot cannot post in the staff group; check its rights there");
                let _ = inner.store.note_attempt(row.id, now_ms(), "no rights in the staff group", false).await;
                if !pause(inner, REST).await {
                    return;
                }
            }
            Outcome::Sent => {
                for id in merged.iter().flatten() {
                    if let Err(e) = inner.store.mark_sent(*id, now_ms()).await {
                        tracing::error!(id, error = %e, "a merged row could not be marked sent");
                    }
                }
                settle(inner, chat, row.id).await;
                return;
            }
            Outcome::Wait(wait) => {
                tracing::info!(chat = %crate::privacy::pseudonym(chat), method, seconds = wait.as_secs(), "Telegram asks to retry later");
                let _ = inner
                    .store
                    .note_attempt(row.id, now_ms(), &format!("retry after {} s", wait.as_secs()), false)
                    .await;
                if !pause(inner, wait).await {
                    return;
                }
            }
            Outcome::Retry(why) => {
                quick += 1;
                tracing::warn!(chat = %crate::privacy::pseudonym(chat), method, error = %why, attempt = quick, "sending failed; will retry");
                let _ = inner.store.note_attempt(row.id, now_ms(), &why, false).await;
                let wait = if quick <= QUICK_RETRIES {
                    Duration::from_millis(500 << (quick - 1))
                } else {
                    quick = 0;
                    REST
                };
                if !pause(inner, wait).await {
                    return;
                }
            }
            Outcome::Blocked => {
                tracing::info!(chat = %crate::privacy::pseudonym(chat), "the citizen blocked the bot; the chat is inactive");
                if let Some(lanes) = inner.lanes.get() {
                    lanes.clear(chat);
                }
                if let Err(e) = inner.store.deactivate_chat(CHANNEL, &row.chat, now_ms()).await {
                    tracing::error!(chat = %crate::privacy::pseudonym(chat), error = %e, "the chat could not be marked inactive");
                }
                return;
            }
            Outcome::TopicGone if topic_gone < 2 && request.case().is_some() => {
                tracing::info!(chat = %crate::privacy::pseudonym(chat), "a case's forum topic was deleted; opening it again");
                topic_gone += 1;
                thread = None;
            }
            Outcome::TopicGone => {
                tracing::warn!(chat = %crate::privacy::pseudonym(chat), method, "the case's forum topic is gone; going on");
                for id in std::iter::once(row.id).chain(merged.iter().flatten().copied()) {
                    let _ = inner.store.note_attempt(id, now_ms(), "forum topic gone", true).await;
                }
                return;
            }
            Outcome::Refused(why) => {
                tracing::warn!(chat = %crate::privacy::pseudonym(chat), method, error = %why, "Telegram refused a request; going on");
                for id in std::iter::once(row.id).chain(merged.iter().flatten().copied()) {
                    let _ = inner.store.note_attempt(id, now_ms(), &why, true).await;
                }
                return;
            }
        }
    }
}

/// Takes the rows queued behind `request` that merge into it; their ids.
fn batch(inner: &Inner, chat: i64, request: &mut Request) -> Vec<i64> {
    let Some(lanes) = inner.lanes.get() else { return Vec::new() };
    let taken = lanes.take_front_while(chat, |next| {
        serde_json::from_str::<Request>(&next.payload).is_ok_and(|next| render::merge_into(request, &next))
    });
    if !taken.is_empty() {
        tracing::debug!(chat = %crate::privacy::pseudonym(chat), rows = taken.len() + 1, "posts to the staff group sent as one");
    }
    taken.into_iter().map(|q| q.id).collect()
}

/// Marks a sent row. The mark commits while the chat's next row goes out; the row before
/// must be marked before this one returns, so at most two of a chat's rows are ever sent but
/// not yet marked (the ones a crash can send twice). A chat with nothing more queued waits
/// for its last mark too.
async fn settle(inner: &Inner, chat: i64, id: i64) {
    let mark = match inner.store.mark_sent_later(id, now_ms()).await {
        Ok(mark) => mark,
        Err(e) => {
            tracing::error!(id, error = %e, "a sent row could not be marked sent");
            return;
        }
    };
    let previous = lock(&inner.marks).insert(chat, mark);
    let last = inner.lanes.get().is_none_or(|l| l.queued_for(chat) == 0);
    let mut waits = Vec::from_iter(previous);
    if last {
        waits.extend(lock(&inner.marks).remove(&chat));
    }
    for w in waits {
        if let Err(e) = w.wait().await {
            tracing::error!(chat = %crate::privacy::pseudonym(chat), error = %e, "a sent row could not be marked sent");
        }
    }
}

fn lock<T>(m: &std::sync::Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|p| p.into_inner())
}

/// Sleeps, unless the sender is stopped first; false when stopped.
async fn pause(inner: &Inner, wait: Duration) -> bool {
    let mut stop = inner.stop.clone();
    tokio::select! {
        biased;
        _ = stop.wait_for(|s| *s) => false,
        _ = tokio::time::sleep(wait) => true,
    }
}

/// Makes the call through teloxide; `thread` is the forum topic it goes to, if any.
pub(super) async fn execute(bot: &Bot, request: &Request, thread: Option<i64>) -> Result<(), RequestError> {
    let thread = thread.map(|t| ThreadId(MessageId(t as i32)));
    match request {
        Request::SendMessage { chat_id, text, parse_mode, link_preview_options, reply_markup, .. } => {
            let mut call = bot.send_message(ChatId(*chat_id), text.clone());
            if let Some(t) = thread {
                call = call.message_thread_id(t);
            }
            if parse_mode == "HTML" {
                call = call.parse_mode(ParseMode::Html);
            }
            if let Some(p) = link_preview_options {
                call = call.link_preview_options(LinkPreviewOptions {
                    is_disabled: p.is_disabled,
                    url: None,
                    prefer_small_media: false,
                    prefer_large_media: false,
                    show_above_text: false,
                });
            }
            if let Some(k) = reply_markup {
                let rows = k.inline_keyboard.iter().map(|row| {
                    row.iter()
                        .map(|b| InlineKeyboardButton::callback(b.text.clone(), b.callback_data.clone()))
                        .collect::<Vec<_>>()
                });
                call = call.reply_markup(InlineKeyboardMarkup::new(rows));
            }
            call.await.map(|_| ())
        }
        Request::AnswerCallbackQuery { callback_query_id, text } => {
            let mut call = bot.answer_callback_query(CallbackQueryId(callback_query_id.clone()));
            if let Some(t) = text {
                call = call.text(t.clone());
            }
            call.await.map(|_| ())
        }
        Request::SendPhoto { chat_id, photo, caption, .. } => {
            let mut call = bot.send_photo(ChatId(*chat_id), InputFile::file_id(FileId(photo.clone())));
            if !caption.is_empty() {
                call = call.caption(caption.clone());
            }
            if let Some(t) = thread {
                call = call.message_thread_id(t);
            }
            call.await.map(|_| ())
        }
        Request::SendDocument { chat_id, file_name, content } => {
            let file = InputFile::memory(content.clone().into_bytes()).file_name(file_name.clone());
            bot.send_document(ChatId(*chat_id), file).await.map(|_| ())
        }
        Request::CopyMessage { chat_id, from_chat_id, message_id } => {
            bot.copy_message(ChatId(*chat_id), ChatId(*from_chat_id), MessageId(*message_id)).await.map(|_| ())
        }
        Request::SendLocation { chat_id, latitude, longitude, .. } => {
            let mut call = bot.send_location(ChatId(*chat_id), *latitude, *longitude);
            if let Some(t) = thread {
                call = call.message_thread_id(t);
            }
            call.await.map(|_| ())
        }
    }
}

/// Reads teloxide's result. teloxide keeps Telegram's description but not the status code, so
/// an unknown description is read by its prefix: "Bad Request" and "Forbidden" are final,
/// anything else (Internal Server Error, Bad Gateway...) is worth another try.
fn outcome(result: Result<(), RequestError>) -> Outcome {
    let e = match result {
        Ok(()) => return Outcome::Sent,
        Err(e) => e,
    };
    match e {
        RequestError::RetryAfter(s) => Outcome::Wait(s.duration().max(Duration::from_secs(1))),
        RequestError::Network(_) => Outcome::Retry("network error".into()),
        RequestError::Io(_) => Outcome::Retry("i/o error".into()),
        // A proxy's HTML error page, or a cut-off body.
        RequestError::InvalidJson { .. } => Outcome::Retry("unreadable answer".into()),
        RequestError::MigrateToChatId(_) => Outcome::Refused("the group became a supergroup".into()),
        RequestError::Api(api) => match api {
            ApiError::MessageNotModified => Outcome::Sent,
            ApiError::BotBlocked
            | ApiError::UserDeactivated
            | ApiError::CantInitiateConversation
            | ApiError::CantTalkWithBots
            | ApiError::BotKicked
            | ApiError::BotKickedFromSupergroup
            | ApiError::BotKickedFromChannel => Outcome::Blocked,
            ApiError::Unknown(description) => {
                if description.contains("thread not found") || description.contains("TOPIC_DELETED") {
                    Outcome::TopicGone
                } else if description.starts_with("Forbidden") {
                    Outcome::Blocked
                } else if description.starts_with("Bad Request") || description.starts_with("Unauthorized") {
                    Outcome::Refused(description)
                } else {
                    Outcome::Retry(description)
                }
            }
            other => Outcome::Refused(other.to_string()),
        },
    }
}

fn method_name(request: &Request) -> &'static str {
    match request {
        Request::SendMessage { .. } => "sendMessage",
        Request::AnswerCallbackQuery { .. } => "answerCallbackQuery",
        Request::SendPhoto { .. } => "sendPhoto",
        Request::SendLocation { .. } => "sendLocation",
        Request::CopyMessage { .. } => "copyMessage",
        Request::SendDocument { .. } => "sendDocument",
    }
}

fn now_ms() -> i64 {
    chrono::Utc::now().timestamp_millis()
}

#[cfg(test)]
mod tests {
    use super::*;
    use teloxide::types::Seconds;

    #[test]
    fn telegrams_answers_are_read_into_what_to_do() {
        assert_eq!(outcome(Ok(())), Outcome::Sent);
        assert_eq!(
            outcome(Err(RequestError::RetryAfter(Seconds::from_seconds(7)))),
            Outcome::Wait(Duration::from_secs(7))
        );
        assert_eq!(outcome(Err(RequestError::Api(ApiError::BotBlocked))), Outcome::Blocked);
        assert_eq!(
            outcome(Err(RequestError::Api(ApiError::Unknown("Forbidden: something new".into())))),
            Outcome::Blocked
        );
        assert!(matches!(
            outcome(Err(RequestError::Api(ApiError::Unknown("Internal Server Error".into())))),
            Outcome::Retry(_)
        ));
        assert!(matches!(
            outcome(Err(RequestError::Api(ApiError::Unknown("Bad Request: odd".into())))),
            Outcome::Refused(_)
        ));
        assert!(matches!(outcome(Err(RequestError::Api(ApiError::MessageIsTooLong))), Outcome::Refused(_)));
        assert_eq!(outcome(Err(RequestError::Api(ApiError::MessageNotModified))), Outcome::Sent);
    }
}
