//! The Telegram channel: citizens on Telegram, every message answered once, none lost.
//!
//! ```text
//! getUpdates / webhook --> inbox (durable) --> processor (per chat, in order)
//!     --> turn + update done + outbox rows (one transaction) --> sender --> Telegram
//! ```
//!
//! An update is stored in the inbox before Telegram may forget it: before the webhook's 200,
//! and before the next getUpdates offset confirms it. The processor runs the loop every channel
//! shares; its commit marks the update done and queues the replies in the outbox. The sender
//! delivers the outbox and marks each row sent. On start, pending updates and unsent rows are
//! handled first. What it must not do: talk in groups, or send before the turn is committed.
//!
//! Modules: `read` (update -> engine input), `render` (replies -> Bot API requests), `poll`,
//! `webhook`, `process`, `send` (with `call`: a stored request as a teloxide call), `staff` (the
//! staff group), with `lanes` (per-chat order) and `rate` (Telegram's rates).
//! The fake Bot API server the tests and the Telegram benchmark run against is in `devkit/`,
//! outside the shipped binary.

mod call;
mod lanes;
pub(crate) mod poll;
pub mod process;
pub mod rate;
pub mod read;
pub mod render;
pub(crate) mod send;
pub mod staff;
pub mod webhook;

use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use teloxide::RequestError;
use teloxide::prelude::*;
use teloxide::types::{BotCommand, BotCommandScope};
use tokio::sync::watch;

use self::process::Processor;
use self::rate::Limits;
use self::send::Sender;
use self::staff::StaffGroup;
use crate::assistant::Assistant;
use crate::lang::Lang;
use crate::secret::Secret;
use crate::store::{Finish, Queued, StoreError, TurnRecord};

/// The channel's name in sessions and transcripts.
pub const CHANNEL: &str = "telegram";

/// How updates reach the bot.
#[derive(Debug, Clone)]
pub enum Intake {
    /// Long polling with getUpdates.
    Polling,
    /// Telegram POSTs to `url`; we listen on `listen` (behind a TLS proxy).
    Webhook { url: url::Url, listen: SocketAddr, secret: Secret },
}

/// How the channel runs.
#[derive(Debug, Clone)]
pub struct Settings {
    pub intake: Intake,
    pub limits: Limits,
    /// The long-polling timeout; below teloxide's 17 s HTTP timeout.
    pub poll_timeout: Duration,
    /// Turns under way at once, over all chats.
    pub turns: usize,
    /// Requests in flight to Telegram at once.
    pub sends: usize,
    /// A turn slower than this shows "typing...".
    pub typing_after: Duration,
    /// After a stop, how long the sender may go on delivering committed replies.
    pub drain: Duration,
    /// Set the command menu at start.
    pub set_commands: bool,
    /// Handle updates; false only stores them (to test a crash between inbox and reply).
    pub process: bool,
    /// How often replies written by another process (`sofia-bot cases reply`) are picked up.
    pub claim_every: Duration,
    /// How often cases are swept: overdue ones flagged, resolved ones closed for good.
    pub sweep_every: Duration,
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            intake: Intake::Polling,
            limits: Limits::default(),
            poll_timeout: Duration::from_secs(10),
            turns: 512,
            sends: 128,
            typing_after: Duration::from_millis(1500),
            drain: Duration::from_secs(5),
            set_commands: true,
            process: true,
            claim_every: Duration::from_secs(2),
            sweep_every: Duration::from_secs(60),
        }
    }
}

#[derive(Debug, thiserror::Error)]
pub enum TelegramError {
    /// What the Bot API answered, as `describe` tells it (never the token or message text).
    #[error("telegram: {0}")]
    Telegram(String),
    #[error("{0}")]
    Store(#[from] StoreError),
    #[error("listening on {addr}: {error}")]
    Listen { addr: SocketAddr, error: std::io::Error },
}

impl From<RequestError> for TelegramError {
    fn from(e: RequestError) -> Self {
        TelegramError::Telegram(describe(&e))
    }
}

/// A Bot API error fit for a log. teloxide's own text can hold the request URL, which holds
/// the token, or a response body, which can hold citizens' messages: neither appears here.
pub fn describe(e: &RequestError) -> String {
    match e {
        RequestError::Api(api) => api.to_string(),
        RequestError::RetryAfter(s) => format!("retry after {} s", s.seconds()),
        RequestError::MigrateToChatId(_) => "the group became a supergroup".into(),
        RequestError::Network(n) if n.is_timeout() => "network error: timed out".into(),
        RequestError::Network(n) if n.is_connect() => "network error: cannot connect to the Bot API server".into(),
        RequestError::Network(n) => match n.status() {
            Some(status) => format!("network error: HTTP {status}"),
            None => "network error".into(),
        },
        RequestError::InvalidJson { .. } => "the Bot API answered something that is not its JSON".into(),
        RequestError::Io(_) => "i/o error".into(),
    }
}

/// How many times a call outside the outbox is made again after a 429.
const RETRIES_AFTER_429: u32 = 5;

/// How long a 429 asks to wait: its `retry_after`, and at least a second (Telegram counts in
/// whole seconds).
pub(crate) fn retry_wait(after: teloxide::types::Seconds) -> Duration {
    after.duration().max(Duration::from_secs(1))
}

/// Makes a call outside the outbox (at start, a forum topic's card, "typing..."), and makes
/// it again after each 429 once Telegram's `retry_after` has passed, never sooner, a bounded
/// number of times; any other answer is returned as it came.
pub(crate) async fn patiently<T, F, Fut>(method: &str, mut call: F) -> Result<T, RequestError>
where
    F: FnMut() -> Fut,
    Fut: Future<Output = Result<T, RequestError>>,
{
    let mut retries = 0;
    loop {
        match call().await {
            Err(RequestError::RetryAfter(after)) if retries < RETRIES_AFTER_429 => {
                retries += 1;
                tracing::info!(method, seconds = after.seconds(), "Telegram asks to retry later");
                tokio::time::sleep(retry_wait(after)).await;
            }
            other => return other,
        }
    }
}

/// Serves citizens until `stop` turns true, then takes no new updates, finishes the turns in
/// flight, gives the sender `drain` to deliver, and flushes the store.
pub async fn serve(
    bot: Bot,
    assistant: Arc<Assistant>,
    settings: Settings,
    stop: watch::Receiver<bool>,
) -> Result<(), TelegramError> {
    let me = patiently("getMe", || bot.get_me().send()).await?;
    tracing::info!(bot = %me.username(), "connected to the Bot API");
    match &settings.intake {
        // getUpdates fails while a webhook is set.
        Intake::Polling => {
            patiently("deleteWebhook", || bot.delete_webhook().send()).await?;
        }
        Intake::Webhook { url, secret, .. } => {
            let call = || bot.set_webhook(url.clone()).secret_token(secret.expose()).allowed_updates(poll::ALLOWED);
            patiently("setWebhook", || call().send()).await?;
        }
    }
    if settings.set_commands {
        set_commands(&bot, &assistant.locales).await;
    }
    let store = assistant.store.clone();
    let staff = assistant.cases.staff_group.map(|chat| Arc::new(StaffGroup::new(chat, assistant.clone())));
    if let Some(group) = &staff {
        check_staff_group(&bot, group.chat, me.id).await;
    }

    // Unsent replies first, then pending updates: a chat's order stays as it was. Rows that
    // another process wrote are this service's to send from now on.
    let (sender_stop, sender_stopped) = watch::channel(false);
    let blocked = store.inactive_chats(CHANNEL).await?.iter().filter_map(|c| c.parse::<i64>().ok()).collect();
    let sender = Sender::start(
        bot.clone(),
        store.clone(),
        settings.limits,
        settings.sends,
        staff.clone(),
        blocked,
        sender_stopped,
    );
    store.claim_external().await?;
    let unsent = store.pending_outbox().await?;
    if !unsent.is_empty() {
        tracing::info!(rows = unsent.len(), "sending replies left unsent");
    }
    sender.enqueue(unsent);
    let processor = settings.process.then(|| {
        Processor::start(
            assistant.clone(),
            sender.clone(),
            bot.clone(),
            settings.turns,
            settings.typing_after,
            staff.clone(),
        )
    });
    let chores = tokio::spawn(housekeeping(assistant.clone(), sender.clone(), settings.clone(), stop.clone()));
    if let Some(p) = &processor {
        let pending = store.pending_updates().await?;
        if !pending.is_empty() {
            tracing::info!(updates = pending.len(), "handling updates left pending");
        }
        for update in pending {
            p.push(update);
        }
    }

    let intake = match &settings.intake {
        Intake::Polling => {
            let offset = poll::first_offset(&store).await;
            poll::poll(bot.clone(), store.clone(), processor.clone(), settings.poll_timeout, offset, stop.clone())
                .await;
            Ok(())
        }
        Intake::Webhook { url, listen, secret } => {
            let hook = Arc::new(webhook::Hook {
                store: store.clone(),
                processor: processor.clone(),
                secret: secret.expose().to_string(),
            });
            let path = if url.path().is_empty() { "/" } else { url.path() };
            let app = webhook::router(path, hook);
            match tokio::net::TcpListener::bind(listen).await {
                Ok(listener) => {
                    tracing::info!(%listen, path, "webhook listening");
                    let mut stop = stop.clone();
                    let served = axum::serve(listener, app)
                        .with_graceful_shutdown(async move {
                            let _ = stop.wait_for(|s| *s).await;
                        })
                        .await;
                    served.map_err(|error| TelegramError::Listen { addr: *listen, error })
                }
                Err(error) => Err(TelegramError::Listen { addr: *listen, error }),
            }
        }
    };

    // Stopping: no new updates; finish the turns in flight; let the sender deliver for a while.
    if let Some(p) = &processor {
        p.close();
        p.idle().await;
    }
    sender.close(false);
    if tokio::time::timeout(settings.drain, sender.idle()).await.is_err() {
        tracing::info!(rows = sender.queued(), "replies left for the next start");
        sender.close(true);
        let _ = sender_stop.send(true);
        sender.idle().await;
    }
    chores.abort();
    store.flush().await?;
    intake
}

/// Work on a schedule until stopped: replies another process wrote (every `claim_every`, and
/// at once when this process wrote them),
/// the case sweep (every `sweep_every`), and the purge of what is past its retention period
/// (handled updates and delivered requests, old conversations and cases), hourly.
async fn housekeeping(assistant: Arc<Assistant>, sender: Sender, settings: Settings, mut stop: watch::Receiver<bool>) {
    let store = &assistant.store;
    let (mut swept, mut pruned) = (None::<tokio::time::Instant>, None::<tokio::time::Instant>);
    loop {
        let now = tokio::time::Instant::now();
        match store.claim_external().await {
            Ok(rows) => sender.enqueue(rows),
            Err(e) => tracing::warn!(error = %e, "replies written elsewhere could not be picked up"),
        }
        if swept.is_none_or(|t| now - t >= settings.sweep_every) {
            swept = Some(now);
            match sweep(&assistant, chrono::Utc::now()).await {
                Ok(rows) => sender.enqueue(rows),
                Err(e) => tracing::warn!(error = %e, "cases could not be swept"),
            }
        }
        if pruned.is_none_or(|t| now - t >= Duration::from_secs(3600)) {
            pruned = Some(now);
            let cutoffs = assistant.privacy.retention.cutoffs(chrono::Utc::now());
            match store.purge(cutoffs, crate::privacy::admin::PURGE_BATCH).await {
                Ok(p) if p.total() > 0 => tracing::info!(rows = p.total(), "data past its retention period purged"),
                Ok(_) => {}
                Err(e) => tracing::warn!(error = %e, "data past its retention period could not be purged"),
            }
        }
        tokio::select! {
            _ = stop.wait_for(|s| *s) => return,
            // An answer written in this process (the console beside the bot) goes out at once.
            _ = store.external_written() => {}
            _ = tokio::time::sleep(settings.claim_every) => {}
        }
    }
}

/// Flags overdue cases in the staff group and closes for good the resolved ones whose
/// reopening window passed; returns the queued posts.
pub async fn sweep(assistant: &Assistant, now: chrono::DateTime<chrono::Utc>) -> Result<Vec<Queued>, StoreError> {
    let handled = assistant.sweep(now).await?;
    if handled.cases.is_empty() {
        return Ok(Vec::new());
    }
    let finish = Finish {
        channel: CHANNEL.into(),
        at_ms: now.timestamp_millis(),
        outbox: assistant.staff_outbound(&handled.staff),
        ..Finish::default()
    };
    let record = TurnRecord { at_ms: now.timestamp_millis(), cases: handled.cases, ..TurnRecord::default() };
    assistant.store.finish(Some(record), finish).await
}

/// Warns at start when the staff group cannot work: not a forum, or the bot may not open
/// topics there.
async fn check_staff_group(bot: &Bot, group: i64, me: UserId) {
    // Read through JSON: teloxide nests these fields deep in per-kind types.
    let field = |v: serde_json::Value, name: &str| v.get(name).and_then(serde_json::Value::as_bool).unwrap_or(false);
    match patiently("getChat", || bot.get_chat(ChatId(group)).send()).await {
        Ok(chat) if serde_json::to_value(&chat).is_ok_and(|v| field(v, "is_forum")) => {}
        Ok(_) => tracing::error!(group, "the staff group is not a forum: turn on Topics in its settings"),
        Err(e) => {
            tracing::error!(group, error = %describe(&e), "the staff group cannot be reached; is the bot a member?")
        }
    }
    match patiently("getChatMember", || bot.get_chat_member(ChatId(group), me).send()).await {
        Ok(member)
            if member.is_owner() || serde_json::to_value(&member).is_ok_and(|v| field(v, "can_manage_topics")) => {}
        Ok(_) => {
            tracing::error!(group, "the bot may not manage topics in the staff group: make it an admin with that right")
        }
        Err(e) => tracing::warn!(group, error = %describe(&e), "the bot's rights in the staff group could not be read"),
    }
}

/// The command menu in Bulgarian (`bg`) and, for everyone else, in English.
async fn set_commands(bot: &Bot, locales: &crate::i18n::Locales) {
    for (lang, code) in [(Lang::Bg, Some("bg")), (Lang::En, None)] {
        let commands: Vec<BotCommand> =
            render::command_menu(locales, lang).into_iter().map(|(c, d)| BotCommand::new(c, d)).collect();
        let call = || {
            let call = bot.set_my_commands(commands.clone()).scope(BotCommandScope::Default);
            match code {
                Some(code) => call.language_code(code),
                None => call,
            }
        };
        if let Err(e) = patiently("setMyCommands", || call().send()).await {
            tracing::warn!(error = %describe(&e), lang = %lang, "the command menu could not be set");
        }
    }
}

/// A bot for a token and, if given, another Bot API server (a local telegram-bot-api, a fake).
pub fn bot(token: &str, api_url: Option<&url::Url>) -> Bot {
    let bot = Bot::with_client(token, teloxide::net::client_from_env());
    match api_url {
        Some(url) => bot.set_api_url(url.clone()),
        None => bot,
    }
}
