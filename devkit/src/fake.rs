//! A fake Telegram Bot API server for the tests and the Telegram benchmark (`telegram-bench`):
//! axum on 127.0.0.1:0, talked to by the real teloxide client over HTTP.
//!
//! It serves getUpdates from a scripted queue (honouring `offset`, long polling with
//! `timeout`), records every request, and checks requests the way Telegram does: fields and
//! their types against the Bot API description (`bot-api.json`, from api.json), message text
//! 1-4096 characters and captions 0-1024 after HTML parsing, HTML with only Telegram's tags and
//! balanced, callback_data 1-64 bytes, at most 8 buttons a row, every callback answered once,
//! photos sent by a file id Telegram handed out, documents uploaded (multipart, up to 50 MB) or
//! sent again by their file id, reactions only on a citizen's message it handed out, one of
//! Telegram's emoji. It keeps the documents' files for the tests. It can answer the next call of a method with
//! 429 (with `retry_after`), 5xx, or 403 (blocked by a citizen, kicked from a group), and
//! every n-th call of any method likewise (`fail_every`).
//!
//! It plays Telegram's file server too (`files`): getFile for the photos and documents it knows
//! and the files a test gave bytes (`put_file`), and their download at
//! `/file/bot<token>/<path>`.
//!
//! It keeps the bot's messages, which it may delete within 48 hours and edit (`posts`), and can
//! hold a chat's requests until released, as a slow answer.
//!
//! It also plays a staff group (`add_group`): a forum supergroup the bot administers, where it
//! opens a topic per case and staff members write (`StaffMember`). Messages to a topic that
//! does not exist or was deleted are refused as Telegram refuses them.
//!
//! It never touches the network beyond 127.0.0.1 and holds no real token.

use std::collections::{HashMap, HashSet, VecDeque};
use std::net::SocketAddr;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use axum::Router;
use axum::extract::DefaultBodyLimit;
use axum::routing::{get, post};
use serde_json::{Value, json};
use tokio::sync::{Notify, mpsc};

mod check;
mod citizen;
mod document;
mod files;
mod form;
mod posts;
mod serve;
mod staff;

pub use check::parse_html;
pub use citizen::{Citizen, StaffMember};
use citizen::{bot_user, chat_in, files_in, sender_in};
use document::SentDocument;
use form::Upload;
pub use posts::Post;
use staff::{Group, is_in_topic};

/// The token the fake accepts.
pub const TOKEN: &str = "123456:TEST-fake-token";
/// The fake bot's user id and name.
const BOT_ID: i64 = 4242;
const BOT_USERNAME: &str = "sofia_test_bot";

/// A request the fake received, with what it answered.
#[derive(Debug, Clone)]
pub struct Recorded {
    /// The method as Telegram names it (`sendMessage`), whatever the case it was called in.
    pub method: String,
    pub body: Value,
    pub at: Instant,
    pub status: u16,
    /// The chat it was about, if any.
    pub chat: Option<i64>,
}

/// An answer the fake gives the next call of a method instead of doing it.
#[derive(Debug, Clone, PartialEq)]
pub enum Fault {
    /// 429 Too Many Requests with `retry_after` seconds.
    RetryAfter(u32),
    /// 500 Internal Server Error (teloxide itself then waits 10 s before reading it).
    ServerError,
    /// 403 bot was blocked by the user.
    Blocked,
    /// 403 bot was kicked from the supergroup chat (a staff group).
    Kicked,
}

/// The fake server. Dropping it stops it.
pub struct FakeBotApi {
    inner: Arc<Inner>,
    addr: SocketAddr,
    task: tokio::task::JoinHandle<()>,
}

struct Inner {
    state: Mutex<FakeState>,
    /// Woken on every new update and every request.
    changed: Notify,
    /// Keep every request (tests); the benchmark only taps them.
    record: bool,
    taps: Mutex<HashMap<i64, mpsc::UnboundedSender<Recorded>>>,
}

#[derive(Default)]
struct FakeState {
    queue: VecDeque<(i64, Value)>,
    next_update_id: i64,
    next_message_id: i64,
    /// Updates below this are confirmed.
    confirmed: i64,
    handed_out: usize,
    requests: Vec<Recorded>,
    /// Successful calls per method, kept even when requests are not recorded.
    counts: HashMap<String, usize>,
    violations: Vec<String>,
    faults: Vec<(String, Fault)>,
    /// Every n-th call of any method gets the fault, counted from `fail_every`'s call.
    periodic: Vec<(usize, Fault)>,
    /// Calls of any method since the first `fail_every`.
    calls_counted: usize,
    /// callback query id -> (chat, answered)
    callbacks: HashMap<String, (i64, bool)>,
    next_callback: u64,
    known_chats: HashSet<i64>,
    blocked: HashSet<i64>,
    /// The supergroups the bot administers, by chat id.
    groups: HashMap<i64, Group>,
    next_thread_id: i64,
    /// File ids Telegram handed out (in updates, or in answers): the ones sendPhoto may use.
    files: HashSet<String>,
    /// Documents Telegram holds, by file id: the ones sendDocument may send again.
    documents: HashMap<String, Upload>,
    /// Documents delivered, in order.
    sent_documents: Vec<SentDocument>,
    /// The paths getFile handed out, the bytes `put_file` gave, and the downloads.
    file_server: files::FileServer,
    webhook: Option<String>,
    /// Updates to hand out once more, whatever the offset.
    again: Vec<Value>,
    /// The message id given to each citizen's message, by update_id (Telegram keeps a
    /// message's id when it delivers its update again).
    citizen_messages: HashMap<i64, (i64, i64)>,
    /// (chat, message id) of every citizen's message handed out: the ones a reaction may mark.
    reactable: HashSet<(i64, i64)>,
    /// Reactions set, in order: (chat, message id, emoji).
    reactions: Vec<(i64, i64, String)>,
    /// The bot's messages, by chat, in order (see `posts`).
    posts: Vec<(i64, posts::Post)>,
    /// Chats whose requests wait until released, and how many wait now.
    held: HashSet<i64>,
    waiting: HashMap<i64, usize>,
}

impl FakeBotApi {
    /// Starts a fake that records every request.
    pub async fn start() -> FakeBotApi {
        FakeBotApi::start_with(true).await
    }

    /// Starts a fake; `record: false` keeps no request list (for long benchmarks).
    pub async fn start_with(record: bool) -> FakeBotApi {
        let inner = Arc::new(Inner {
            state: Mutex::new(FakeState {
                next_update_id: 1000,
                next_message_id: 1,
                next_thread_id: 100,
                ..FakeState::default()
            }),
            changed: Notify::new(),
            record,
            taps: Mutex::new(HashMap::new()),
        });
        // Uploads may be bigger than axum's default limit of 2 MB; `serve` answers one over
        // Telegram's 50 MB as Telegram does.
        let app = Router::new()
            .route("/{token}/{method}", post(serve::handle))
            .route("/file/{token}/{*path}", get(files::download))
            .layer(DefaultBodyLimit::disable())
            .with_state(inner.clone());
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("a local port for the fake Bot API");
        let addr = listener.local_addr().expect("a bound address");
        let task = tokio::spawn(async move {
            let _ = axum::serve(listener, app).await;
        });
        FakeBotApi { inner, addr, task }
    }

    /// Where the fake listens.
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// The address to give teloxide (`TELOXIDE_API_URL`).
    pub fn url(&self) -> url::Url {
        url::Url::parse(&format!("http://{}", self.addr)).expect("a valid URL")
    }

    /// A teloxide bot that talks to this fake.
    pub fn bot(&self) -> teloxide::Bot {
        sofia_bot::channels::telegram::bot(TOKEN, Some(&self.url()))
    }

    /// Queues an update (an object without `update_id`) and returns its new update_id.
    pub fn push(&self, update: Value) -> i64 {
        self.enqueue(None, update)
    }

    /// Queues an update under a given id, as Telegram does when it delivers one again.
    pub fn push_with_id(&self, update_id: i64, update: Value) {
        self.enqueue(Some(update_id), update);
    }

    /// Queues an update under `update_id`, or the next id. The id is taken and the update
    /// queued under one lock: pushed from many tasks at once, the queue stays in id order and
    /// no update lands below an offset the bot already confirmed (which would lose it).
    fn enqueue(&self, update_id: Option<i64>, mut update: Value) -> i64 {
        let update_id = {
            let mut s = self.inner.lock();
            let update_id = update_id.unwrap_or_else(|| {
                let id = s.next_update_id;
                s.next_update_id += 1;
                id
            });
            if let Some(o) = update.as_object_mut() {
                o.insert("update_id".into(), json!(update_id));
            }
            s.number_message(update_id, &mut update);
            if let Some(chat) = chat_in(&update) {
                s.known_chats.insert(chat);
                if let (Some(group), Some(user)) = (s.groups.get_mut(&chat), sender_in(&update)) {
                    group.members.insert(user["id"].as_i64().unwrap_or_default(), user.clone());
                }
            }
            s.files.extend(files_in(&update));
            if let Some(q) = update.get("callback_query") {
                let id = q["id"].as_str().unwrap_or_default().to_string();
                let chat = q["message"]["chat"]["id"].as_i64().or_else(|| q["from"]["id"].as_i64()).unwrap_or(0);
                s.callbacks.entry(id).or_insert((chat, false));
            }
            s.queue.push_back((update_id, update));
            update_id
        };
        self.inner.changed.notify_waiters();
        update_id
    }

    /// A button press on the bot's last message to `chat`, as an update; returns its update_id
    /// and callback query id.
    pub fn press(&self, citizen: &Citizen, data: &str) -> (i64, String) {
        let id = {
            let mut s = self.inner.lock();
            s.next_callback += 1;
            format!("cb-{}", s.next_callback)
        };
        let update = json!({
            "callback_query": {
                "id": id,
                "from": citizen.user(),
                "message": {
                    "message_id": 1, "date": 1_790_000_000,
                    "chat": citizen.chat(),
                    "from": bot_user(),
                    "text": "…",
                },
                "chat_instance": format!("ci-{}", citizen.id),
                "data": data,
            }
        });
        (self.push(update), id)
    }

    /// The next call of `method` gets `fault` instead of an answer.
    pub fn fail_next(&self, method: &str, fault: Fault) {
        self.inner.lock().faults.push((method.to_string(), fault));
    }

    /// From now on, every `n`-th call of any method (getUpdates included) gets `fault`
    /// instead of an answer, counting calls from now. When two periods meet, the one given
    /// first wins.
    pub fn fail_every(&self, n: usize, fault: Fault) {
        assert!(n > 0, "fail_every needs a period of at least one call");
        let mut s = self.inner.lock();
        if s.periodic.is_empty() {
            s.calls_counted = 0;
        }
        s.periodic.push((n, fault));
    }

    /// From now on, sending to `chat` answers 403 (the citizen blocked the bot).
    pub fn block(&self, chat: i64) {
        self.inner.lock().blocked.insert(chat);
    }

    /// The citizen has written to the bot (in webhook tests, updates do not pass the fake).
    pub fn meet(&self, chat: i64) {
        self.inner.lock().known_chats.insert(chat);
    }

    /// Telegram handed out this file id (in webhook tests, updates do not pass the fake).
    pub fn know_file(&self, file_id: &str) {
        self.inner.lock().files.insert(file_id.to_string());
    }

    /// The citizen started the bot again.
    pub fn unblock(&self, chat: i64) {
        self.inner.lock().blocked.remove(&chat);
    }

    /// Hands out an update handed out before once more, even if the bot confirmed it: what
    /// Telegram does when it is not sure the bot got it.
    pub fn redeliver(&self, update_id: i64, mut update: Value) {
        if let Some(o) = update.as_object_mut() {
            o.insert("update_id".into(), json!(update_id));
        }
        let mut s = self.inner.lock();
        s.number_message(update_id, &mut update);
        s.again.push(update);
        drop(s);
        self.inner.changed.notify_waiters();
    }

    /// Every request so far, in order.
    pub fn requests(&self) -> Vec<Recorded> {
        self.inner.lock().requests.clone()
    }

    /// The successful requests of one method, in order.
    pub fn calls(&self, method: &str) -> Vec<Recorded> {
        self.inner.lock().requests.iter().filter(|r| r.method == method && r.status == 200).cloned().collect()
    }

    /// The messages delivered to a chat (successful sendMessage calls), in order.
    pub fn messages_to(&self, chat: i64) -> Vec<Value> {
        self.calls("sendMessage").into_iter().filter(|r| r.chat == Some(chat)).map(|r| r.body).collect()
    }

    /// Everything delivered to a chat (successful sendMessage, sendPhoto, sendDocument,
    /// sendLocation and copyMessage calls), in any topic or none, in order.
    pub fn deliveries_to(&self, chat: i64) -> Vec<Recorded> {
        let s = self.inner.lock();
        s.requests.iter().filter(|r| is_delivery(r) && r.chat == Some(chat)).cloned().collect()
    }

    /// The reactions the bot set in a chat, in order: (message id, emoji).
    pub fn reactions_to(&self, chat: i64) -> Vec<(i64, String)> {
        let s = self.inner.lock();
        s.reactions.iter().filter(|r| r.0 == chat).map(|r| (r.1, r.2.clone())).collect()
    }

    /// What Telegram would have refused, with why.
    pub fn violations(&self) -> Vec<String> {
        self.inner.lock().violations.clone()
    }

    /// Callback queries handed out and never answered.
    pub fn unanswered_callbacks(&self) -> Vec<String> {
        let s = self.inner.lock();
        let mut ids: Vec<String> =
            s.callbacks.iter().filter(|(_, (_, answered))| !answered).map(|(id, _)| id.clone()).collect();
        ids.sort();
        ids
    }

    /// Updates below this id are confirmed by the bot.
    pub fn confirmed(&self) -> i64 {
        self.inner.lock().confirmed
    }

    /// How many updates getUpdates has handed out, counting each time one was handed out.
    pub fn handed_out(&self) -> usize {
        self.inner.lock().handed_out
    }

    /// The webhook URL set, if any.
    pub fn webhook(&self) -> Option<String> {
        self.inner.lock().webhook.clone()
    }

    /// Every later request about `chat` (successful or not) is also sent to the receiver.
    pub fn tap(&self, chat: i64) -> mpsc::UnboundedReceiver<Recorded> {
        let (tx, rx) = mpsc::unbounded_channel();
        self.inner.taps.lock().unwrap_or_else(|p| p.into_inner()).insert(chat, tx);
        rx
    }

    /// Waits until `done` holds for the requests so far (checked after every request), or
    /// `limit` passes; returns whether it holds. `limit` only guards against a hang.
    pub async fn wait_until(&self, limit: Duration, done: impl Fn(&FakeView<'_>) -> bool) -> bool {
        let deadline = tokio::time::Instant::now() + limit;
        loop {
            let notified = self.inner.changed.notified();
            tokio::pin!(notified);
            notified.as_mut().enable();
            if self.check(&done) {
                return true;
            }
            if tokio::time::timeout_at(deadline, notified).await.is_err() {
                return self.check(&done);
            }
        }
    }

    fn check(&self, done: &impl Fn(&FakeView<'_>) -> bool) -> bool {
        let s = self.inner.lock();
        done(&FakeView { requests: &s.requests, counts: &s.counts, confirmed: s.confirmed, queued: s.queue.len() })
    }
}

impl Drop for FakeBotApi {
    fn drop(&mut self) {
        self.task.abort();
    }
}

/// What `wait_until` looks at.
pub struct FakeView<'a> {
    pub requests: &'a [Recorded],
    pub counts: &'a HashMap<String, usize>,
    pub confirmed: i64,
    pub queued: usize,
}

impl FakeView<'_> {
    /// Successful calls of a method.
    pub fn count(&self, method: &str) -> usize {
        self.counts.get(method).copied().unwrap_or(0)
    }

    /// Successful sendMessage calls to a chat.
    pub fn sent_to(&self, chat: i64) -> usize {
        self.requests.iter().filter(|r| r.method == "sendMessage" && r.status == 200 && r.chat == Some(chat)).count()
    }

    /// Reactions set in a chat.
    pub fn reacted_in(&self, chat: i64) -> usize {
        self.requests
            .iter()
            .filter(|r| r.method == "setMessageReaction" && r.status == 200 && r.chat == Some(chat))
            .count()
    }

    /// Messages of any kind delivered to a chat, as `deliveries_to` counts them.
    pub fn delivered_to(&self, chat: i64) -> usize {
        self.requests.iter().filter(|r| is_delivery(r) && r.chat == Some(chat)).count()
    }

    /// Messages of any kind delivered to a topic, as `in_topic` counts them.
    pub fn in_topic(&self, group_id: i64, thread: i64) -> usize {
        self.requests.iter().filter(|r| is_in_topic(r, group_id, thread)).count()
    }
}

impl FakeState {
    /// A citizen's message gets an id of its own, as in Telegram, so that a reaction can name
    /// it; the same update keeps its id when it is delivered again.
    fn number_message(&mut self, update_id: i64, update: &mut Value) {
        let private = update.get("message").is_some_and(|m| m["chat"]["type"] == "private");
        let Some(chat) = chat_in(update).filter(|_| private) else { return };
        let next = self.next_message_id;
        let (_, id) = *self.citizen_messages.entry(update_id).or_insert((chat, next));
        if id == next {
            self.next_message_id += 1;
        }
        self.reactable.insert((chat, id));
        update["message"]["message_id"] = json!(id);
    }
}

impl Inner {
    fn lock(&self) -> std::sync::MutexGuard<'_, FakeState> {
        self.state.lock().unwrap_or_else(|p| p.into_inner())
    }

    fn record(&self, r: Recorded) {
        if let Some(chat) = r.chat {
            let taps = self.taps.lock().unwrap_or_else(|p| p.into_inner());
            if let Some(tap) = taps.get(&chat) {
                let _ = tap.send(r.clone());
            }
        }
        {
            let mut s = self.lock();
            if r.status == 200 {
                *s.counts.entry(r.method.clone()).or_default() += 1;
            }
            if self.record {
                s.requests.push(r);
            }
        }
        self.changed.notify_waiters();
    }
}

/// The methods that put a message in a chat.
pub(crate) const DELIVERIES: [&str; 5] = ["sendMessage", "sendPhoto", "sendDocument", "sendLocation", "copyMessage"];

/// A successful call that put a message in a chat.
pub(crate) fn is_delivery(r: &Recorded) -> bool {
    r.status == 200 && DELIVERIES.contains(&r.method.as_str())
}

/// A Bot API answer: a status and its JSON body.
pub(crate) fn answer(status: axum::http::StatusCode, body: Value) -> axum::response::Response {
    axum::response::IntoResponse::into_response((status, axum::Json(body)))
}
