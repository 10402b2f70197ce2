//! A whole conversation with a case, through the fake Bot API, leaves no message text, names
//! or Telegram ids in the logs at info level and above, and /forget erases the words from the
//! database file. A test binary of its own: the log capture is a thread's default
//! subscriber, which other tests running beside it in one process could starve (tracing caches
//! per call site whether anyone listens).

use std::io::Write;
use std::sync::{Arc, Mutex};

use sofia_bot::staff::cases::CaseSettings;
use sofia_devkit::fake::{Citizen, FakeBotApi, StaffMember};

#[path = "telegram/support.rs"]
#[allow(dead_code)]
mod support;

use support::*;

const GROUP: i64 = -1_001_234_567_000;

/// Log output, captured.
#[derive(Clone, Default)]
struct Captured(Arc<Mutex<Vec<u8>>>);

impl Write for Captured {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

#[tokio::test]
async fn a_whole_conversation_with_a_case_logs_no_words_names_or_telegram_ids() {
    let logs = Captured::default();
    let writer = logs.clone();
    let subscriber = tracing_subscriber::fmt()
        .with_max_level(tracing::Level::INFO)
        .with_ansi(false)
        .with_writer(move || writer.clone())
        .finish();
    let _guard = tracing::subscriber::set_default(subscriber);
    // Another test's thread may have cached "no one listens" for a call site meanwhile.
    tracing::callsite::rebuild_interest_cache();

    let fake = FakeBotApi::start().await;
    fake.add_group(GROUP, true);
    let db = TempDb::new();
    let cases = CaseSettings { staff_group: Some(GROUP), ..CaseSettings::default() };
    let bot = start_with(&fake, &db.path(), settings(), cases).await;
    let citizen = Citizen::new(730_015_551, Some("bg"));
    let staff = StaffMember::new(640_017_771, "Радостина Илиева", GROUP);
    let words = ["Не работи уличното осветление", "Телефонът ми е 0888123456", "Благодаря Ви много", "ще пратим екип"];
    fake.push(citizen.text(words[0]));
    wait_for_messages(&fake, citizen.id, 1).await;
    fake.push(citizen.text("/human"));
    assert!(fake.wait_until(PATIENCE, |v| v.count("createForumTopic") >= 1).await);
    let (thread, _) = fake.topics(GROUP)[0].clone();
    fake.push(citizen.text(words[1]));
    fake.push(staff.in_topic(thread, words[3]));
    fake.push(citizen.text(words[2]));
    fake.push(citizen.text("/forget"));
    // The confirmation question itself, however the relay's acknowledgements fell in between.
    let asks_to_erase = |m: &serde_json::Value| m["reply_markup"].to_string().contains(r#""callback_data":"f:y""#);
    assert!(
        fake.wait_until(PATIENCE, |v| v
            .requests
            .iter()
            .any(|r| r.method == "sendMessage" && r.chat == Some(citizen.id) && asks_to_erase(&r.body)))
            .await,
        "no confirmation question"
    );
    let before = fake.messages_to(citizen.id).len();
    fake.press(&citizen, "f:y");
    assert!(fake.wait_until(PATIENCE, |v| v.sent_to(citizen.id) > before).await);
    bot.stop().await;

    // The erasure left none of the conversation's words in the database file or its log.
    let mut bytes = std::fs::read(db.path()).unwrap();
    bytes.extend(std::fs::read(db.path().with_extension("db-wal")).unwrap_or_default());
    for w in words {
        assert!(!bytes.windows(w.len()).any(|b| b == w.as_bytes()), "{w:?} is still in the database file");
    }

    let out = String::from_utf8(logs.0.lock().unwrap().clone()).unwrap();
    assert!(!out.is_empty(), "the service logs at info level");
    for secret in words.iter().copied().chain(["Радостина", "730015551", "640017771", "0888123456"]) {
        assert!(!out.contains(secret), "{secret:?} is in the logs:\n{out}");
    }
}
