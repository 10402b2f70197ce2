//! What the Telegram tests share: the real content, a bot serving a fake Bot API on a fresh
//! database file, and waiting for what the fake receives without timing assertions.

use std::path::{Path, PathBuf};
use std::sync::{Arc, OnceLock};
use std::time::Duration;

use serde_json::Value;
use sofia_bot::bench::{Act, Planned, plan_until_staff};
use sofia_bot::channels::Assistant;
use sofia_bot::channels::telegram::fake::{Citizen, FakeBotApi};
use sofia_bot::channels::telegram::rate::Limits;
use sofia_bot::channels::telegram::render::Request;
use sofia_bot::channels::telegram::{self, Settings, TelegramError};
use sofia_bot::engine::{Flows, Settings as EngineSettings, load_flows};
use sofia_bot::i18n::Locales;
use sofia_bot::lang::Lang;
use sofia_bot::staff::cases::CaseSettings;
use sofia_bot::store::{Durability, Store};
use tokio::sync::watch;

/// Only a guard against a hang: no test asserts how long anything takes, except that a 429
/// is not retried sooner than Telegram asked.
pub const PATIENCE: Duration = Duration::from_secs(60);

pub fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

pub fn flows() -> &'static Flows {
    static FLOWS: OnceLock<Flows> = OnceLock::new();
    FLOWS.get_or_init(|| load_flows(&root().join("dialogs"), EngineSettings::default()).expect("dialogs load"))
}

pub fn locales() -> &'static Locales {
    static LOCALES: OnceLock<Locales> = OnceLock::new();
    LOCALES.get_or_init(|| Locales::load(&root().join("locales")).expect("locales load"))
}

/// A database file in its own temporary folder.
pub struct TempDb {
    pub dir: tempfile::TempDir,
}

impl TempDb {
    pub fn new() -> TempDb {
        TempDb { dir: tempfile::tempdir().expect("a temporary folder") }
    }

    pub fn path(&self) -> PathBuf {
        self.dir.path().join("telegram.db")
    }
}

/// Settings for a test: no rate limits (the fake does not enforce them).
pub fn settings() -> Settings {
    Settings { limits: Limits::none(), ..Settings::default() }
}

/// A bot serving the fake until stopped.
pub struct Running {
    pub store: Store,
    stop: watch::Sender<bool>,
    task: tokio::task::JoinHandle<Result<(), TelegramError>>,
}

impl Running {
    /// Stops as SIGTERM would: no new updates, turns in flight finished, the store flushed.
    pub async fn stop(self) {
        let _ = self.stop.send(true);
        self.task.await.expect("the bot task ends").expect("the bot stops cleanly");
        self.store.close().await;
    }
}

/// Starts the bot against the fake on the database at `db`.
pub async fn start(fake: &FakeBotApi, db: &Path, settings: Settings) -> Running {
    start_with(fake, db, settings, CaseSettings::default()).await
}

/// Starts the bot with its cases run as `cases` says (a staff group, working hours).
pub async fn start_with(fake: &FakeBotApi, db: &Path, settings: Settings, cases: CaseSettings) -> Running {
    let store = Store::open(db, Durability::Full).await.expect("the store opens");
    let flows = load_flows(&root().join("dialogs"), EngineSettings::default()).expect("dialogs load");
    let locales = Locales::load(&root().join("locales")).expect("locales load");
    let assistant = Arc::new(Assistant { flows, locales, store: store.clone(), cases, privacy: Default::default() });
    let (stop, stopped) = watch::channel(false);
    let task = tokio::spawn(telegram::serve(fake.bot(), assistant, settings, stopped));
    Running { store, stop, task }
}

/// What the bot must answer a citizen's acts with, from the pure engine.
pub fn expect(citizen: &Citizen, acts: &[Act]) -> Vec<Planned> {
    // A hand-over to staff may end the acts; the plan stops before one anywhere else.
    let last = acts.len().saturating_sub(1);
    plan_until_staff(flows(), locales(), citizen.id, citizen.lang.as_deref().and_then(Lang::parse), acts, last)
}

/// The fields of a sendMessage request that the citizen sees.
pub fn seen(body: &Value) -> Value {
    serde_json::json!({
        "chat_id": body["chat_id"],
        "text": body["text"],
        "parse_mode": body["parse_mode"],
        "reply_markup": body.get("reply_markup").cloned().unwrap_or(Value::Null),
    })
}

/// The same fields of a planned request.
pub fn planned(request: &Request) -> Value {
    seen(&serde_json::to_value(request).expect("a request serialises"))
}

/// Waits until `chat` has received `n` messages.
pub async fn wait_for_messages(fake: &FakeBotApi, chat: i64, n: usize) {
    let arrived = fake.wait_until(PATIENCE, |v| v.sent_to(chat) >= n).await;
    assert!(arrived, "chat {chat} got {} of {n} messages", fake.messages_to(chat).len());
}

/// Every test ends here: nothing Telegram would refuse, every button press answered.
pub fn assert_telegram_would_accept_everything(fake: &FakeBotApi) {
    assert_eq!(fake.violations(), Vec::<String>::new(), "requests Telegram would refuse");
    assert_eq!(fake.unanswered_callbacks(), Vec::<String>::new(), "button presses never answered");
}
