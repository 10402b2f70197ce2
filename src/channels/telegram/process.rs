//! The processor: takes updates from the inbox and runs the loop every channel shares, one
//! chat strictly in order, chats in parallel. A turn's commit marks its update done and puts
//! its replies in the outbox in the same transaction; only then does the sender see them.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, OnceLock};
use std::time::Duration;

use teloxide::RequestError;
use teloxide::prelude::*;
use teloxide::types::{ChatAction, Update, UpdateKind};
use tokio::sync::Semaphore;

use super::lanes::Lanes;
use super::read::{Action, read, read_payload};
use super::render;
use super::send::Sender;
use super::staff::{StaffGroup, StaffInput, read_staff};
use super::{CHANNEL, retry_wait};
use crate::assistant::Assistant;
use crate::store::{Finish, Outbound, Received};

/// The longest wait between tries at committing an update that could not be stored for a
/// passing reason (the disk full, the database held by another process): those tries go on
/// until it commits or the bot stops, so the chat's later updates wait behind it and nothing
/// is answered out of order.
const COMMIT_REST: Duration = Duration::from_secs(5);
/// Tries at an update whose commit fails for any other reason, before it is left in the inbox
/// for the next start (so that one bad update does not hold its chat for ever).
const COMMIT_TRIES: u64 = 3;
/// Times "typing..." is shown again after a 429.
const TYPING_RETRIES: u32 = 3;

/// Turns inbox updates into committed turns and queued replies.
#[derive(Clone)]
pub struct Processor {
    inner: Arc<Inner>,
}

struct Inner {
    assistant: Arc<Assistant>,
    sender: Sender,
    bot: Bot,
    /// Turns under way at once, over all chats.
    permits: Semaphore,
    /// A turn slower than this shows "typing..." to the citizen.
    typing_after: Duration,
    lanes: OnceLock<Lanes<Pending>>,
    staff: Option<Arc<StaffGroup>>,
    /// Set by `close`: an update that cannot be committed is left for the next start.
    closing: AtomicBool,
}

/// An update to handle: as stored, and as parsed when it was just received.
struct Pending {
    received: Received,
    update: Option<Box<Update>>,
}

impl Processor {
    pub fn start(
        assistant: Arc<Assistant>,
        sender: Sender,
        bot: Bot,
        turns: usize,
        typing_after: Duration,
        staff: Option<Arc<StaffGroup>>,
    ) -> Processor {
        let inner = Arc::new(Inner {
            assistant,
            sender,
            bot,
            permits: Semaphore::new(turns.max(1)),
            typing_after,
            lanes: OnceLock::new(),
            staff,
            closing: AtomicBool::new(false),
        });
        let weak = Arc::downgrade(&inner);
        let lanes = Lanes::new(move |chat, pending: Pending| {
            let inner = weak.upgrade();
            async move {
                if let Some(inner) = inner {
                    handle(&inner, chat, pending).await;
                }
            }
        });
        let _ = inner.lanes.set(lanes);
        Processor { inner }
    }

    /// Queues a stored update behind the updates of its chat queued before it.
    pub fn push(&self, received: Received) -> bool {
        self.push_parsed(received, None)
    }

    /// Like `push`, with the update already parsed (it need not be read again).
    pub fn push_parsed(&self, received: Received, update: Option<Update>) -> bool {
        let chat = received.chat.parse::<i64>().unwrap_or(0);
        self.lanes().push(chat, Pending { received, update: update.map(Box::new) })
    }

    /// Updates queued and not yet started.
    pub fn queued(&self) -> usize {
        self.lanes().queued()
    }

    /// Takes no more updates and forgets the queued ones (they stay pending in the inbox).
    pub fn close(&self) {
        self.inner.closing.store(true, Ordering::SeqCst);
        self.lanes().close(true);
    }

    /// Waits for the turns in flight.
    pub async fn idle(&self) {
        self.lanes().idle().await;
    }

    fn lanes(&self) -> &Lanes<Pending> {
        self.inner.lanes.get().expect("the lanes are set at start")
    }
}

async fn handle(inner: &Inner, chat: i64, pending: Pending) {
    let _permit = inner.permits.acquire().await;
    let received = &pending.received;
    let parsed = match pending.update {
        Some(update) => Some(*update),
        None => serde_json::from_str::<Update>(&received.payload).ok(),
    };
    let parsed = parsed.filter(|u| !matches!(u.kind, UpdateKind::Error(_)));
    let staff = match (&inner.staff, &parsed) {
        (Some(group), Some(update)) => read_staff(update, group.chat),
        _ => None,
    };
    let action = match (staff, &parsed) {
        (Some(input), _) => Action::Staff(input),
        (None, Some(update)) => read(update),
        (None, None) => read_payload(&received.payload),
    };
    // The citizen wrote, or started the bot again: the chat takes messages again, before this
    // turn's replies are queued. Telegram saying they blocked the bot stops the sending.
    let reachable = match &action {
        Action::Turn { chat, .. } | Action::ChatStatus { chat, active: true } => Some((*chat, true)),
        Action::ChatStatus { chat, active: false } => Some((*chat, false)),
        _ => None,
    };
    let replied = Arc::new(AtomicBool::new(false));
    let turn = finish(inner, received, action);
    tokio::pin!(turn);
    let queued = tokio::select! {
        result = &mut turn => result,
        _ = tokio::time::sleep(inner.typing_after) => {
            if chat > 0 {
                tokio::spawn(typing(inner.bot.clone(), chat, replied.clone()));
            }
            turn.await
        }
    };
    if queued.is_some() {
        match reachable {
            Some((chat, true)) => inner.sender.unblock(chat),
            Some((chat, false)) => inner.sender.block(chat),
            None => {}
        }
    }
    replied.store(true, Ordering::SeqCst);
    match queued {
        Some(rows) => inner.sender.enqueue(rows),
        None => {
            tracing::error!(update_id = received.update_id, chat = %crate::privacy::pseudonym(chat), "an update stays in the inbox for the next start")
        }
    }
}

/// Shows "typing..." in a private chat. After a 429 it tries again once Telegram's
/// `retry_after` has passed, never sooner, a few times, and not at all once `replied` is set
/// (the turn's replies are on their way: "typing..." would outlast them).
pub async fn typing(bot: Bot, chat: i64, replied: Arc<AtomicBool>) {
    for _ in 0..=TYPING_RETRIES {
        match bot.send_chat_action(ChatId(chat), ChatAction::Typing).await {
            Err(RequestError::RetryAfter(after)) => {
                tracing::info!(chat = %crate::privacy::pseudonym(chat), method = "sendChatAction", seconds = after.seconds(), "Telegram asks to retry later");
                tokio::time::sleep(retry_wait(after)).await;
            }
            _ => return,
        }
        if replied.load(Ordering::SeqCst) {
            return;
        }
    }
}

/// Handles one update and commits it; the queued outbox rows, or `None` if it could not be
/// committed before the processor closed, or in a few tries for a reason that does not pass
/// (either way it stays in the inbox for the next start). Nothing
/// of a turn reaches anyone before its commit, so a turn that cannot be stored says nothing.
async fn finish(inner: &Inner, received: &Received, action: Action) -> Option<Vec<crate::store::Queued>> {
    let mut wait = Duration::from_millis(200);
    for attempt in 1u64.. {
        match try_finish(inner, received, action.clone()).await {
            Ok(rows) => {
                if attempt > 1 {
                    tracing::info!(update_id = received.update_id, attempt, "an update was committed after all");
                }
                return Some(rows);
            }
            Err(e) => {
                if attempt == 1 || attempt.is_power_of_two() {
                    tracing::error!(update_id = received.update_id, attempt, error = %e, "an update could not be committed; trying again");
                }
                if inner.closing.load(Ordering::SeqCst) || (!e.is_transient() && attempt >= COMMIT_TRIES) {
                    return None;
                }
                tokio::time::sleep(wait).await;
                wait = (wait * 2).min(COMMIT_REST);
            }
        }
    }
    None
}

async fn try_finish(
    inner: &Inner,
    received: &Received,
    action: Action,
) -> Result<Vec<crate::store::Queued>, crate::store::StoreError> {
    let now = chrono::Utc::now();
    let at_ms = now.timestamp_millis();
    let store = &inner.assistant.store;
    let mut finish = Finish {
        update_id: Some(received.update_id),
        channel: CHANNEL.to_string(),
        chat: received.chat.clone(),
        at_ms,
        ..Finish::default()
    };
    match action {
        Action::Turn { chat, input, lang, callback, message } => {
            let chat_key = chat.to_string();
            let prepared = inner.assistant.prepare(CHANNEL, &chat_key, input, lang, now).await?;
            let requests = render::turn_requests(chat, message, callback.as_deref(), &prepared.out, &prepared.files);
            finish.outbox =
                requests.iter().map(|r| Outbound { chat: chat_key.clone(), payload: r.to_payload() }).collect();
            finish.outbox.extend(inner.assistant.staff_outbound(&prepared.staff));
            finish.chat = chat_key;
            finish.active = Some(true);
            store.finish(Some(prepared.record), finish).await
        }
        Action::Staff(input) => staff_finish(inner, received, &input, now).await,
        Action::Ignore { chat, callback, why } => {
            tracing::debug!(update_id = received.update_id, why, "update not answered");
            if let Some(chat) = chat {
                finish.chat = chat.to_string();
            }
            finish.outbox = callback
                .as_deref()
                .map(render::answer_callback)
                .iter()
                .map(|r| Outbound { chat: finish.chat.clone(), payload: r.to_payload() })
                .collect();
            store.finish(None, finish).await
        }
        Action::ChatStatus { chat, active } => {
            finish.chat = chat.to_string();
            finish.active = Some(active);
            store.finish(None, finish).await
        }
    }
}

/// A staff member's action in the staff group, committed with its update.
async fn staff_finish(
    inner: &Inner,
    received: &Received,
    input: &StaffInput,
    now: chrono::DateTime<chrono::Utc>,
) -> Result<Vec<crate::store::Queued>, crate::store::StoreError> {
    let Some(group) = &inner.staff else { return Ok(Vec::new()) };
    let (record, finish) = group.act(input, received.update_id, now).await?;
    inner.assistant.store.finish(record, finish).await
}
