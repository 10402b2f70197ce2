//! Our own long-polling listener. teloxide's listener confirms a batch (by asking for the next
//! offset) before any handler has run, so a crash loses the batch; this one stores the batch in
//! the inbox in a durable commit first, and only then asks with the next offset, which is what
//! confirms the batch to Telegram.

use std::time::Duration;

use teloxide::RequestError;
use teloxide::errors::ApiError;
use teloxide::prelude::*;
use teloxide::types::{AllowedUpdate, Update};
use tokio::sync::watch;

use super::process::Processor;
use super::read::chat_of;
use crate::store::{Received, Store};

/// The update kinds the bot asks for.
pub(crate) const ALLOWED: [AllowedUpdate; 4] =
    [AllowedUpdate::Message, AllowedUpdate::EditedMessage, AllowedUpdate::CallbackQuery, AllowedUpdate::MyChatMember];
/// Telegram's most per call.
const LIMIT: u8 = 100;
/// Past this many updates waiting for the processor, intake pauses (they are safe in the
/// inbox either way; this bounds memory).
const MAX_QUEUED: usize = 20_000;
/// Update ids grow by one, except after a week without updates, when Telegram picks them at
/// random: an offset older than that could skip the new ones.
const OFFSET_KEPT_FOR: Duration = Duration::from_secs(6 * 24 * 3600);

/// Where polling goes on from: one past the newest update stored, if it is recent enough.
pub(crate) async fn first_offset(store: &Store) -> Option<i32> {
    let (update_id, received_ms) = store.last_update().await.ok().flatten()?;
    let age_ms = chrono::Utc::now().timestamp_millis() - received_ms;
    (age_ms < OFFSET_KEPT_FOR.as_millis() as i64).then(|| i32::try_from(update_id + 1).ok()).flatten()
}

/// Polls until `stop` turns true. Each batch is committed to the inbox before the next call;
/// new updates go to the processor (if any), repeated ones are ignored.
pub(crate) async fn poll(
    bot: Bot,
    store: Store,
    processor: Option<Processor>,
    timeout: Duration,
    mut offset: Option<i32>,
    mut stop: watch::Receiver<bool>,
) {
    let mut failures = 0u32;
    loop {
        if *stop.borrow() {
            return;
        }
        if processor.as_ref().is_some_and(|p| p.queued() > MAX_QUEUED) {
            if !pause(&mut stop, Duration::from_millis(20)).await {
                return;
            }
            continue;
        }
        let mut call = bot.get_updates().timeout(timeout.as_secs() as u32).limit(LIMIT).allowed_updates(ALLOWED);
        if let Some(o) = offset {
            call = call.offset(o);
        }
        let result = tokio::select! {
            r = call.send() => r,
            // Nothing handed out by an abandoned call is confirmed: it comes again next time.
            _ = stop.wait_for(|s| *s) => return,
        };
        let updates = match result {
            Ok(updates) => {
                failures = 0;
                updates
            }
            Err(e) => {
                failures += 1;
                // A 429 asks the same call again (same offset) after retry_after, not sooner.
                let wait = match &e {
                    RequestError::RetryAfter(s) => super::retry_wait(*s),
                    _ => Duration::from_millis(500 * 2u64.pow(failures.min(6))).min(Duration::from_secs(30)),
                };
                match &e {
                    RequestError::Api(ApiError::TerminatedByOtherGetUpdates) => {
                        tracing::error!("another instance of the bot is polling with this token")
                    }
                    _ => tracing::warn!(error = %super::describe(&e), "getUpdates failed; trying again"),
                }
                if !pause(&mut stop, wait).await {
                    return;
                }
                continue;
            }
        };
        if updates.is_empty() {
            continue;
        }
        let next = updates.iter().map(|u| u.id.0).max().map(|id| id as i64 + 1);
        let batch: Vec<Received> = updates.iter().map(received).collect();
        let stored = loop {
            match store.receive(batch.clone()).await {
                Ok(stored) => break stored,
                Err(e) => {
                    // Without the commit the offset must not move: Telegram keeps the batch.
                    tracing::error!(error = %e, "updates could not be stored; trying again");
                    if !pause(&mut stop, Duration::from_secs(1)).await {
                        return;
                    }
                }
            }
        };
        if let Some(p) = &processor {
            // Each update stored for the first time goes on once, even if the batch holds it twice.
            let mut fresh: std::collections::HashSet<i64> = stored.into_iter().collect();
            for (r, u) in batch.into_iter().zip(updates) {
                if fresh.remove(&r.update_id) {
                    p.push_parsed(r, Some(u));
                }
            }
        }
        offset = next.and_then(|n| i32::try_from(n).ok());
    }
}

/// An update as the inbox stores it.
pub(crate) fn received(update: &Update) -> Received {
    Received {
        update_id: i64::from(update.id.0),
        chat: chat_of(update).to_string(),
        received_ms: chrono::Utc::now().timestamp_millis(),
        payload: serde_json::to_string(update).unwrap_or_else(|_| "{}".into()),
    }
}

/// Sleeps, unless stopped first; false when stopped.
async fn pause(stop: &mut watch::Receiver<bool>, wait: Duration) -> bool {
    tokio::select! {
        biased;
        _ = stop.wait_for(|s| *s) => false,
        _ = tokio::time::sleep(wait) => true,
    }
}
