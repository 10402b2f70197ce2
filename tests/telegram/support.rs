//! What the Telegram tests share: the real content, a bot serving a fake Bot API on a fresh
//! database file, and waiting for what the fake receives without timing assertions.

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

use serde_json::Value;
use sofia_bot::assistant::Assistant;
use sofia_bot::channels::telegram::rate::Limits;
use sofia_bot::channels::telegram::render::Request;
use sofia_bot::channels::telegram::{self, Settings, TelegramError};
use sofia_bot::engine::{Settings as EngineSettings, load_flows};
use sofia_bot::i18n::Locales;
use sofia_bot::lang::Lang;
use sofia_bot::staff::cases::CaseSettings;
use sofia_bot::store::{Durability, Store};
use sofia_devkit::fake::{Citizen, FakeBotApi};
use sofia_devkit::plans::{Act, Planned, Planner, masked, masked_request};
use tokio::sync::watch;

/// Only a guard against a hang: no test asserts how long anything takes, except that a 429
/// is not retried sooner than Telegram asked.
pub const PATIENCE: Duration = Duration::from_secs(60);

pub fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
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

    /// The bot still runs: it has not given up and returned.
    pub fn runs(&self) -> bool {
        !self.task.is_finished()
    }
}

/// Starts the bot against the fake on the database at `db`.
pub async fn start(fake: &FakeBotApi, db: &Path, settings: Settings) -> Running {
    start_with(fake, db, settings, CaseSettings::default()).await
}

/// Starts the bot with its cases run as `cases` says (a staff group, working hours).
pub async fn start_with(fake: &FakeBotApi, db: &Path, settings: Settings, cases: CaseSettings) -> Running {
    start_on(fake.bot(), db, settings, cases).await
}

/// Starts the bot talking to the Bot API through `bot` (the fake, or a cable to it).
pub async fn start_on(bot: teloxide::Bot, db: &Path, settings: Settings, cases: CaseSettings) -> Running {
    let store = Store::open(db, Durability::Full).await.expect("the store opens");
    let flows = load_flows(&root().join("dialogs"), EngineSettings::default()).expect("dialogs load");
    let locales = Locales::load(&root().join("locales")).expect("locales load");
    let assistant = Arc::new(Assistant { flows, locales, store: store.clone(), cases, privacy: Default::default() });
    let (stop, stopped) = watch::channel(false);
    let task = tokio::spawn(telegram::serve(bot, assistant, settings, stopped));
    Running { store, stop, task }
}

/// A planner: the real shell on a scratch database, with the content of `dialogs/` and
/// `locales/` and cases run as `cases` says (as in the bot under test).
pub async fn planner(cases: CaseSettings) -> Planner {
    let flows = load_flows(&root().join("dialogs"), EngineSettings::default()).expect("dialogs load");
    let locales = Locales::load(&root().join("locales")).expect("locales load");
    Planner::new(flows, locales, cases).await.expect("a scratch database")
}

/// An assistant on the bot's database, as another process sees it (the command line, the web
/// console): what it writes to the outbox, the running bot sends.
pub fn assistant_on(store: &Store, cases: CaseSettings) -> Assistant {
    let flows = load_flows(&root().join("dialogs"), EngineSettings::default()).expect("dialogs load");
    let locales = Locales::load(&root().join("locales")).expect("locales load");
    Assistant { flows, locales, store: store.clone(), cases, privacy: Default::default() }
}

/// What the bot (with default case settings) must answer a citizen's acts with, played through
/// the real shell on a scratch database.
pub async fn expect(citizen: &Citizen, acts: &[Act]) -> Vec<Planned> {
    let planner = planner(CaseSettings::default()).await;
    let lang = citizen.lang.as_deref().and_then(Lang::parse);
    let plan = planner.plan(citizen.id, lang, acts).await.expect("the plan plays");
    planner.close().await;
    plan
}

/// The fields of a sendMessage request that the citizen sees, with a case's reference and
/// the time staff answer by masked (they depend on other chats and on the moment).
pub fn seen(body: &Value) -> Value {
    masked("sendMessage", body)
}

/// The same fields of a planned request (a reaction: its chat and emoji).
pub fn planned(request: &Request) -> Value {
    masked_request(request)
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
