//! The sender: delivers the outbox, in order per chat, chats in parallel, and marks each row
//! sent. It keeps to Telegram's rates and reads Telegram's answers:
//!
//! - 429 waits `retry_after` and tries again, never sooner, never dropping the row;
//! - 5xx and network errors retry with backoff (0.5, 1, 2, 4 s), then rest 30 s and go on
//!   trying, so a row is never skipped and the chat's later rows wait behind it;
//! - 403 (the citizen blocked the bot) marks the chat inactive and drops its unsent rows;
//!   the rows queued for it later (a staff member's answer, a reminder) are given up without a
//!   call, until the citizen writes again (`unblock`), and the citizen's open case learns of
//!   each such message;
//! - any other refusal is logged without the message text, the row marked failed, and the
//!   chat's next row goes on.

use std::collections::HashSet;
use std::sync::{Arc, OnceLock};
use std::time::Duration;

use teloxide::RequestError;
use teloxide::errors::ApiError;
use teloxide::prelude::*;
use tokio::sync::{Semaphore, watch};

use super::call::{execute, method_name};
use super::lanes::Lanes;
use super::rate::{Buckets, Limits};
use super::render::{self, Request};
use super::staff::{self, StaffGroup, TopicError};
use super::{CHANNEL, retry_wait};
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
    marks: std::sync::Mutex<std::collections::HashMap<i64, Mark>>,
    /// The staff group, which finds (or opens) the forum topic of a case's posts.
    staff: Option<Arc<StaffGroup>>,
    /// The chats that blocked the bot and have not written since: nothing is sent to them.
    blocked: std::sync::Mutex<HashSet<i64>>,
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
    /// Starts a sender that stops retrying and waiting when `stop` turns true; `blocked`: the
    /// chats that blocked the bot (the store's inactive chats).
    pub fn start(
        bot: Bot,
        store: Store,
        limits: Limits,
        in_flight: usize,
        staff: Option<Arc<StaffGroup>>,
        blocked: HashSet<i64>,
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
            blocked: std::sync::Mutex::new(blocked),
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

    /// The citizen of `chat` wrote again (or started the bot again): their chat takes
    /// messages again. Called before the rows of their turn are queued.
    pub fn unblock(&self, chat: i64) {
        if lock(&self.inner.blocked).remove(&chat) {
            tracing::info!(chat = %crate::privacy::pseudonym(chat), "the citizen wrote again; the chat takes messages again");
        }
    }

    /// Telegram said the citizen of `chat` blocked the bot: nothing more is sent to it.
    pub fn block(&self, chat: i64) {
        block(&self.inner, chat);
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
            let _ = inner.store.give_up(row.id, now_ms(), "unreadable payload").await;
            return;
        }
    };
    // Taking back a post that was not yet sent when an erasure committed: the message it
    // became, if it was on its way and became one.
    if let Request::DeleteMessage { message_id: message_id @ None, row: Some(of), .. } = &mut request {
        let _ = inner.store.flush().await;
        match inner.store.message_of(*of).await {
            Ok(Some(m)) => *message_id = Some(m as i32),
            Ok(None) => {
                let _ = inner.store.give_up(row.id, now_ms(), "nothing was sent to take back").await;
                return;
            }
            Err(e) => {
                tracing::error!(id = row.id, error = %e, "the post to take back could not be looked up; left for the next start");
                return;
            }
        }
    }
    let method = method_name(&request);
    let staff_group = inner.staff.as_ref().is_some_and(|s| s.chat == chat);
    if !staff_group && lock(&inner.blocked).contains(&chat) {
        tracing::info!(chat = %crate::privacy::pseudonym(chat), method, "not sent: the chat blocked the bot");
        let _ = inner.store.give_up(row.id, now_ms(), BLOCKED).await;
        undelivered(inner, chat, &request).await;
        return;
    }
    let mut quick = 0;
    // A case's post goes to its forum topic: found, or opened, before sending.
    let mut thread = None;
    let mut topic_gone = 0;
    // Rows merged into this one, sent with it.
    let mut merged: Option<Vec<i64>> = None;
    loop {
        if *inner.stop.borrow() {
            return;
        }
        if let (Some(case), Some(staff), None) = (request.case(), &inner.staff, thread) {
            match staff.thread(&inner.bot, case, topic_gone > 0).await {
                Ok(t) => thread = Some(t),
                // The same topic is asked for again once Telegram's wait is over, not sooner.
                Err(TopicError::RetryAfter(wait)) => {
                    tracing::info!(chat = %crate::privacy::pseudonym(chat), method = "createForumTopic", seconds = wait.as_secs(), "Telegram asks to retry later");
                    if !pause(inner, wait).await {
                        return;
                    }
                    continue;
                }
                Err(TopicError::Failed(why)) => {
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
        // An erasure may have cancelled rows since they were queued here, their words still in
        // memory: only what the outbox still holds as unsent goes out, as it is stored now.
        match still_pending(inner, &row, &mut request, merged.get_or_insert_default()).await {
            Live::Yes => {}
            Live::No(rest) => {
                for next in rest {
                    Box::pin(deliver(inner, chat, next)).await;
                }
                return;
            }
            Live::Unknown => {
                if !pause(inner, Duration::from_secs(1)).await {
                    return;
                }
                continue;
            }
        }
        let result = {
            let _permit = inner.permits.acquire().await;
            execute(&inner.bot, &request, thread).await
        };
        let message_id = result.as_ref().ok().copied().flatten().map(i64::from);
        match outcome(result.map(|_| ())) {
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
                for &id in merged.iter().flatten() {
                    let at_ms = now_ms();
                    if inner.store.mark_sent(id, at_ms, message_id).await.is_err() {
                        mark_again(inner, id, at_ms, message_id).await;
                    }
                }
                settle(inner, chat, row.id, message_id).await;
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
                tracing::info!(chat = %crate::privacy::pseudonym(chat), method, "the citizen blocked the bot; the chat is inactive");
                block(inner, chat);
                if let Some(lanes) = inner.lanes.get() {
                    lanes.clear(chat);
                }
                // This row's request reached Telegram; the chat's other unsent rows did not.
                for id in std::iter::once(row.id).chain(merged.iter().flatten().copied()) {
                    let _ = inner.store.note_attempt(id, now_ms(), BLOCKED, true).await;
                }
                if let Err(e) = inner.store.deactivate_chat(CHANNEL, &row.chat, now_ms()).await {
                    tracing::error!(chat = %crate::privacy::pseudonym(chat), error = %e, "the chat could not be marked inactive");
                }
                undelivered(inner, chat, &request).await;
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
            // A post that can no longer be deleted (after 48 hours) is edited instead.
            Outcome::Refused(_) if request.instead().is_some() => {
                tracing::info!(chat = %crate::privacy::pseudonym(chat), "a post could not be deleted; editing it instead");
                request = request.instead().unwrap_or(request);
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

/// Why a row to a chat that blocked the bot was given up (as the store writes it too).
const BLOCKED: &str = "the chat blocked the bot";

fn block(inner: &Inner, chat: i64) {
    let staff_group = inner.staff.as_ref().is_some_and(|s| s.chat == chat);
    if !staff_group {
        lock(&inner.blocked).insert(chat);
    }
}

/// A message for a citizen was not delivered because they blocked the bot: their case (if
/// open) and the staff group learn of it. Reactions and button answers are nobody's news.
async fn undelivered(inner: &Inner, chat: i64, request: &Request) {
    if matches!(request, Request::SetMessageReaction { .. } | Request::AnswerCallbackQuery { .. }) {
        return;
    }
    match staff::undelivered(&inner.store, inner.staff.as_deref(), &chat.to_string(), now_ms()).await {
        Ok(posts) => {
            if let Some(lanes) = inner.lanes.get() {
                for post in posts {
                    let group = post.chat.parse::<i64>().unwrap_or(0);
                    let _ = lanes.push(group, post);
                }
            }
        }
        Err(e) => {
            tracing::error!(chat = %crate::privacy::pseudonym(chat), error = %e, "an undelivered message could not be noted on its case")
        }
    }
}

/// Whether a row (and the rows merged into it) may still be sent.
enum Live {
    Yes,
    /// The row was cancelled: these rows merged into it were not, and go on alone.
    No(Vec<Queued>),
    /// The store could not tell: try again shortly.
    Unknown,
}

/// Checks the row and those merged into it against the outbox; drops the cancelled ones and
/// rebuilds `request` from the stored payloads if any was dropped.
async fn still_pending(inner: &Inner, row: &Queued, request: &mut Request, merged: &mut Vec<i64>) -> Live {
    let ids: Vec<i64> = std::iter::once(row.id).chain(merged.iter().copied()).collect();
    let live = match inner.store.still_pending(&ids).await {
        Ok(live) => live,
        Err(e) => {
            tracing::error!(id = row.id, error = %e, "an outbox row could not be checked before sending");
            return Live::Unknown;
        }
    };
    if live.len() == ids.len() {
        return Live::Yes;
    }
    if live.first().is_none_or(|first| first.id != row.id) {
        merged.clear();
        return Live::No(live);
    }
    let read = |q: &Queued| serde_json::from_str::<Request>(&q.payload).ok();
    let Some(mut rebuilt) = read(&live[0]) else { return Live::No(Vec::new()) };
    merged.clear();
    for q in &live[1..] {
        if read(q).is_some_and(|next| render::merge_into(&mut rebuilt, &next)) {
            merged.push(q.id);
        }
    }
    *request = rebuilt;
    Live::Yes
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

/// The mark that a row was sent, queued and committing.
struct Mark {
    committed: Committed,
    id: i64,
    at_ms: i64,
    message_id: Option<i64>,
}

/// Marks a sent row. The mark commits while the chat's next row goes out; the row before
/// must be marked before this one returns, so at most two of a chat's rows are ever sent but
/// not yet marked (the ones a crash can send twice). A chat with nothing more queued waits
/// for its last mark too. A mark that cannot be stored (the disk full) is tried again until
/// it is: left unmarked, the row would go out again at the next start.
async fn settle(inner: &Inner, chat: i64, id: i64, message_id: Option<i64>) {
    let at_ms = now_ms();
    let committed = match inner.store.mark_sent_later(id, at_ms, message_id).await {
        Ok(committed) => committed,
        Err(e) => {
            tracing::error!(id, error = %e, "a sent row could not be marked sent");
            return;
        }
    };
    let previous = lock(&inner.marks).insert(chat, Mark { committed, id, at_ms, message_id });
    let last = inner.lanes.get().is_none_or(|l| l.queued_for(chat) == 0);
    let mut waits = Vec::from_iter(previous);
    if last {
        waits.extend(lock(&inner.marks).remove(&chat));
    }
    for mark in waits {
        if mark.committed.wait().await.is_err() {
            mark_again(inner, mark.id, mark.at_ms, mark.message_id).await;
        }
    }
}

/// Tries marking a sent row again, waiting longer each time, until it is stored or the
/// sender stops (then the row may go out again at the next start, as after a crash).
async fn mark_again(inner: &Inner, id: i64, at_ms: i64, message_id: Option<i64>) {
    let mut wait = Duration::from_millis(200);
    for attempt in 1u64.. {
        if attempt == 1 || attempt.is_power_of_two() {
            tracing::error!(id, attempt, "a sent row could not be marked sent; trying again");
        }
        if !pause(inner, wait).await {
            tracing::warn!(id, "a sent row was left unmarked at stop: it may go out again at the next start");
            return;
        }
        if inner.store.mark_sent(id, at_ms, message_id).await.is_ok() {
            return;
        }
        wait = (wait * 2).min(Duration::from_secs(5));
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

/// Reads teloxide's result. teloxide keeps Telegram's description but not the status code, so
/// an unknown description is read by its prefix: "Bad Request" and "Forbidden" are final,
/// anything else (Internal Server Error, Bad Gateway...) is worth another try.
fn outcome(result: Result<(), RequestError>) -> Outcome {
    let e = match result {
        Ok(()) => return Outcome::Sent,
        Err(e) => e,
    };
    match e {
        RequestError::RetryAfter(s) => Outcome::Wait(retry_wait(s)),
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
