//! Citizens' data rights and retention on a real database file: /mydata holds what was said,
//! /forget leaves no trace of it in the file's bytes (also after VACUUM) while cases stay
//! anonymised, and the purge removes exactly what its dry run counted, keeping counts.

use chrono::{DateTime, Duration, Utc};
use sofia_bot::assistant::Assistant;
use sofia_bot::channels::console::CHANNEL;
use sofia_bot::engine::Input;
use sofia_bot::privacy::Retention;
use sofia_bot::staff::cases::{Source, Staffer, Status};
use sofia_bot::staff::desk::StaffAct;
use sofia_bot::store::Finish;

use crate::support::{TempDb, assistant};

const PHRASES: [&str; 3] = ["Зелената пейка до блок 417 е счупена", "Казвам се Пенка Тодорова", "ще мина в петък"];
/// Another citizen's words, which must stay.
const OTHERS: [&str; 3] = ["Липсва капак на шахта на ъгъла", "Аз съм Стоян Петров", "екипът идва утре"];

fn at(text: &str) -> DateTime<Utc> {
    DateTime::parse_from_str(text, "%Y-%m-%dT%H:%M%:z").expect("a test instant").to_utc()
}

async fn say(a: &Assistant, chat: &str, input: Input, now: DateTime<Utc>) -> Vec<String> {
    a.handle(CHANNEL, chat, input, None, now).await.expect("a turn").into_iter().map(|o| o.text).collect()
}

fn text(t: &str) -> Input {
    Input::from_text(t)
}

/// A citizen who talked, handed a problem to staff, and got an answer.
async fn citizen_with_a_case(a: &Assistant, chat: &str, phrases: [&str; 3], now: DateTime<Utc>) {
    say(a, chat, text("/human"), now).await;
    say(a, chat, text(phrases[0]), now).await;
    say(a, chat, text(phrases[1]), now).await;
    let case = a.store.chat_cases(CHANNEL, chat).await.unwrap().remove(0);
    let maria = Staffer { id: "501".into(), name: "Мария".into() };
    let handled = a.staff_act(&case, &maria, Source::Cli, StaffAct::Reply(phrases[2].into()), now).await.unwrap();
    let mut finish = Finish::default();
    let record = a.staff_record(&case, handled, &mut finish, now);
    a.store.finish(Some(record), finish).await.unwrap();
}

/// Every byte of the database and its write-ahead log.
fn raw_bytes(db: &TempDb) -> Vec<u8> {
    let mut bytes = std::fs::read(db.path()).unwrap();
    let wal = db.path().with_extension("db-wal");
    if let Ok(more) = std::fs::read(wal) {
        bytes.extend(more);
    }
    bytes
}

fn holds(bytes: &[u8], phrase: &str) -> bool {
    bytes.windows(phrase.len()).any(|w| w == phrase.as_bytes())
}

#[tokio::test]
async fn mydata_gives_the_citizen_their_conversation_and_cases() {
    let db = TempDb::new();
    let a = assistant(&db).await;
    let now = at("2026-12-01T10:00+02:00");
    citizen_with_a_case(&a, "5", PHRASES, now).await;
    let (out, files) = a.handle_with_files(CHANNEL, "5", text("/mydata"), None, now).await.unwrap();
    assert!(!out.is_empty());
    let names: Vec<&str> = files.iter().map(|f| f.name.as_str()).collect();
    assert_eq!(names, ["my-data.json", "my-data.txt"]);
    let json: serde_json::Value = serde_json::from_str(&files[0].content).unwrap();
    let said = json["conversation"].to_string();
    assert!(said.contains(PHRASES[0]) && said.contains(PHRASES[1]), "{said}");
    assert_eq!(json["cases"][0]["reference"], "SOF-2026-000001");
    assert!(json["cases"][0]["history"].to_string().contains(PHRASES[2]));
    assert!(files[1].content.contains(PHRASES[0]) && files[1].content.contains("SOF-2026-000001"));
    // Staff are named by role in the citizen's file, not by name.
    assert!(!files[0].content.contains("Мария"));
    let audit = a.store.audit_log().await.unwrap();
    assert_eq!((audit[0].action.as_str(), audit[0].subject.as_str()), ("export", "console:5"));
    // Nothing kept: said so, and no file.
    let (_, none) = a.handle_with_files(CHANNEL, "6", text("/mydata"), None, now).await.unwrap();
    assert!(none.is_empty());
}

#[tokio::test]
async fn forget_leaves_no_trace_of_the_citizens_words_in_the_database_file() {
    let db = TempDb::new();
    let a = assistant(&db).await;
    let now = at("2026-12-01T10:00+02:00");
    citizen_with_a_case(&a, "5", PHRASES, now).await;
    citizen_with_a_case(&a, "6", OTHERS, now).await;
    a.store.flush().await.unwrap();
    let bytes = raw_bytes(&db);
    assert!(PHRASES.iter().chain(&OTHERS).all(|p| holds(&bytes, p)), "the phrases are stored before");

    let confirm = a.handle(CHANNEL, "5", text("/forget"), None, now).await.unwrap();
    assert!(confirm[0].buttons.iter().flatten().any(|b| b.data == "f:y"));
    let done = say(&a, "5", Input::Button { data: "f:y".into() }, now).await.join("\n");
    assert!(done.contains('1'), "one case kept, anonymised: {done}");
    assert!(!done.contains("групата на служителите"), "there is no staff group to speak of: {done}");
    a.store.flush().await.unwrap();

    assert!(a.store.transcript(CHANNEL, "5").await.unwrap().is_empty());
    assert!(a.store.load_session(CHANNEL, "5").await.unwrap().is_none());
    let case = a.store.case(sofia_bot::staff::cases::CaseRef { year: 2026, number: 1 }).await.unwrap().unwrap();
    assert!(case.chat.starts_with("erased-") && case.summary.is_empty() && case.slots.is_empty());
    assert_eq!(case.status, Status::Waiting, "the case stays for staff");
    let events = a.store.case_events(case.reference).await.unwrap();
    assert!(events.iter().all(|e| e.body.is_none()), "{events:?}");
    let erase = a.store.audit_log().await.unwrap().into_iter().find(|e| e.action == "erase").unwrap();
    assert_eq!((erase.actor.as_str(), erase.subject.as_str()), ("citizen", "console:5"));

    // This citizen's words are nowhere in the file; the other citizen's are all there.
    let bytes = raw_bytes(&db);
    for p in PHRASES {
        assert!(!holds(&bytes, p), "{p:?} is still in the database file");
    }
    assert!(OTHERS.iter().all(|p| holds(&bytes, p)));
    // And after VACUUM, which rewrites the whole file.
    a.store.vacuum().await.unwrap();
    let bytes = raw_bytes(&db);
    for p in PHRASES {
        assert!(!holds(&bytes, p), "{p:?} is in the database file after VACUUM");
    }
}

#[tokio::test]
async fn forget_can_be_cancelled() {
    let db = TempDb::new();
    let a = assistant(&db).await;
    let now = at("2026-12-01T10:00+02:00");
    say(&a, "5", text(PHRASES[0]), now).await;
    say(&a, "5", text("/forget"), now).await;
    say(&a, "5", Input::Button { data: "f:n".into() }, now).await;
    assert!(a.store.transcript(CHANNEL, "5").await.unwrap().iter().any(|l| l.body == PHRASES[0]));
}

#[tokio::test]
async fn forget_is_confirmed_by_typing_yes_its_label_or_its_number_even_in_the_middle_of_a_form() {
    let now = at("2026-12-01T10:00+02:00");
    // Before /forget: the menu (whose first button a stale "1" would press), and a form whose
    // open question would take "1" as its answer.
    for (before, typed) in [
        ("здравей", "Да"),
        ("здравей", "1"),
        ("искам да подам сигнал за боклук", "1"),
        ("здравей", "да, изтрийте"),
        ("hello", "yes"),
    ] {
        let db = TempDb::new();
        let a = assistant(&db).await;
        say(&a, "5", text(before), now).await;
        say(&a, "5", text("/forget"), now).await;
        let done = say(&a, "5", text(typed), now).await.join("\n");
        assert!(done.contains("Готово") || done.contains("Done"), "{before} / {typed}: {done}");
        assert!(a.store.transcript(CHANNEL, "5").await.unwrap().is_empty(), "{before} / {typed}: nothing left");
    }
    for typed in ["Не", "2", "Не, отказ"] {
        let db = TempDb::new();
        let a = assistant(&db).await;
        say(&a, "5", text(PHRASES[0]), now).await;
        say(&a, "5", text("/forget"), now).await;
        let kept = say(&a, "5", text(typed), now).await.join("\n");
        assert!(kept.contains("нищо не е изтрито"), "{typed}: {kept}");
        assert!(a.store.transcript(CHANNEL, "5").await.unwrap().iter().any(|l| l.body == PHRASES[0]), "{typed}");
    }
}

#[tokio::test]
async fn privacy_offers_the_person_it_points_to() {
    let db = TempDb::new();
    let a = assistant(&db).await;
    let out = a.handle(CHANNEL, "5", text("/privacy"), None, at("2026-12-01T10:00+02:00")).await.unwrap();
    assert!(out[0].text.contains("Говорете със служител"), "{}", out[0].text);
    let labels: Vec<&str> = out[0].buttons.iter().flatten().map(|b| b.label.as_str()).collect();
    assert_eq!(labels, ["Меню", "Говорете със служител"]);
    // Typing the label presses it: a case is opened.
    a.handle(CHANNEL, "5", text("говорете със служител"), None, at("2026-12-01T10:01+02:00")).await.unwrap();
    assert_eq!(a.store.chat_cases(CHANNEL, "5").await.unwrap().len(), 1);
}

#[tokio::test]
async fn the_purge_removes_exactly_what_its_dry_run_counts_and_keeps_the_counts() {
    let db = TempDb::new();
    let a = assistant(&db).await;
    let now = at("2026-12-01T10:00+02:00");
    let long_ago = now - Duration::days(120);
    // Old chatter without a case, old chatter of a citizen whose case is still open, and
    // recent chatter.
    for chat in ["old-1", "old-2"] {
        say(&a, chat, text("къде да си купя карта за градския транспорт"), long_ago).await;
        say(&a, chat, text("абракадабра"), long_ago).await;
    }
    say(&a, "old-with-case", text("/human"), long_ago).await;
    say(&a, "recent", text("къде да си купя карта за градския транспорт"), now).await;
    let cutoffs = Retention::default().cutoffs(now);

    let counted = a.store.purge_counts(cutoffs).await.unwrap();
    let lines_of = |n: usize| n as i64;
    let old_lines = {
        let mut n = 0;
        for chat in ["old-1", "old-2"] {
            n += a.store.transcript(CHANNEL, chat).await.unwrap().len();
        }
        lines_of(n)
    };
    assert_eq!(counted.transcript, old_lines);
    assert_eq!(counted.sessions, 2);
    assert_eq!(counted.cases, 0, "an open case is kept");

    let removed = a.store.purge(cutoffs, 3).await.unwrap();
    assert_eq!(removed, counted, "the purge removes what the dry run counted");
    assert!(a.store.transcript(CHANNEL, "old-1").await.unwrap().is_empty());
    assert!(!a.store.transcript(CHANNEL, "old-with-case").await.unwrap().is_empty());
    assert!(!a.store.transcript(CHANNEL, "recent").await.unwrap().is_empty());
    assert_eq!(a.store.purge_counts(cutoffs).await.unwrap().total(), 0);
    // The counts outlive the rows: four messages, two of them not understood.
    let counts = a.store.daily_counts().await.unwrap();
    assert_eq!(counts.iter().map(|c| (c.2, c.3)).fold((0, 0), |s, c| (s.0 + c.0, s.1 + c.1)), (4, 2));

    // Two years after the case is closed for good, it goes too, with its conversation.
    let case = a.store.chat_cases(CHANNEL, "old-with-case").await.unwrap().remove(0);
    let maria = Staffer { id: "501".into(), name: "Мария".into() };
    for act in [StaffAct::Close(None)] {
        let h = a.staff_act(&case, &maria, Source::Cli, act, long_ago).await.unwrap();
        let mut f = Finish::default();
        let r = a.staff_record(&case, h, &mut f, long_ago);
        a.store.finish(Some(r), f).await.unwrap();
    }
    say(&a, "old-with-case", text("5"), long_ago).await;
    let later = Retention::default().cutoffs(now + Duration::days(2 * 365));
    let counted = a.store.purge_counts(later).await.unwrap();
    assert_eq!(counted.cases, 1);
    assert_eq!(a.store.purge(later, 500).await.unwrap(), counted);
    assert!(a.store.chat_cases(CHANNEL, "old-with-case").await.unwrap().is_empty());
}

#[tokio::test]
async fn privacy_tells_the_periods_and_the_commands() {
    let db = TempDb::new();
    let a = assistant(&db).await;
    let said = say(&a, "5", text("/privacy"), at("2026-12-01T10:00+02:00")).await.join("\n");
    assert!(said.contains("90") && said.contains("/mydata") && said.contains("/forget"), "{said}");
}
