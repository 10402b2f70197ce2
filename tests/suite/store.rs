//! The store on a real SQLite file: turns commit whole, sessions survive a restart, and
//! cases are kept with what the flow collected.

use sofia_bot::channels::console::CHANNEL;
use sofia_bot::engine::Input;
use sofia_bot::store::{Durability, Line, Store, TurnRecord};

use crate::support::{TempDb, assistant};

fn text(t: &str) -> Input {
    Input::from_text(t)
}

#[tokio::test]
async fn a_turn_stores_the_session_and_both_sides_of_the_transcript() {
    let db = TempDb::new();
    let a = assistant(&db).await;
    let out = a.handle(CHANNEL, "7", text("/start"), None, chrono::Utc::now()).await.unwrap();
    assert!(!out.is_empty());
    let lines = a.store.transcript(CHANNEL, "7").await.unwrap();
    assert_eq!(lines.iter().filter(|l| l.incoming).count(), 1);
    assert_eq!(lines.iter().filter(|l| !l.incoming).count(), out.len());
    assert_eq!(lines[0].kind, "command");
    assert_eq!(lines[0].body, "/start");
    assert!(a.store.load_session(CHANNEL, "7").await.unwrap().is_some());
}

#[tokio::test]
async fn a_half_filled_form_survives_a_restart() {
    let db = TempDb::new();
    let before = {
        let a = assistant(&db).await;
        a.handle(CHANNEL, "42", text("/human"), None, chrono::Utc::now()).await.unwrap();
        a.handle(CHANNEL, "42", text("/start housing"), None, chrono::Utc::now()).await.unwrap();
        let out =
            a.handle(CHANNEL, "42", text("искам да подам сигнал за боклук"), None, chrono::Utc::now()).await.unwrap();
        a.store.close().await;
        out.last().unwrap().clone()
    };
    let a = assistant(&db).await;
    let session = a.store.load_session(CHANNEL, "42").await.unwrap().expect("the session is stored");
    let session = sofia_bot::engine::Session::restore(&session);
    assert!(!session.recovering);
    assert_eq!(session.at.as_ref().map(|t| t.flow.as_str()), before.flow.as_deref());
    assert_eq!(session.at.as_ref().map(|t| t.step.as_str()), before.step.as_deref());
}

#[tokio::test]
async fn an_escalation_is_stored_with_its_topic_and_language() {
    let db = TempDb::new();
    let a = assistant(&db).await;
    a.handle(CHANNEL, "9", text("/human"), None, chrono::Utc::now()).await.unwrap();
    let cases = a.store.chat_cases(CHANNEL, "9").await.unwrap();
    assert_eq!(cases.len(), 1);
    assert_eq!(cases[0].topic, "human");
    assert_eq!(cases[0].chat, "9");
    assert_eq!(cases[0].lang, sofia_bot::lang::Lang::Bg);
    assert_eq!(cases[0].status, sofia_bot::staff::cases::Status::New);
}

#[tokio::test]
async fn many_concurrent_turns_all_commit() {
    let db = TempDb::new();
    let store = Store::open(&db.path(), Durability::Normal).await.unwrap();
    let mut tasks = Vec::new();
    for chat in 0..50 {
        let s = store.clone();
        tasks.push(tokio::spawn(async move {
            for n in 0..10 {
                let line = Line {
                    incoming: true,
                    kind: "text".into(),
                    body: format!("{chat}-{n}"),
                    lang: "bg".into(),
                    ..Line::default()
                };
                let turn = TurnRecord {
                    channel: "test".into(),
                    chat: chat.to_string(),
                    at_ms: n,
                    session_json: Some(format!("{{\"n\":{n}}}")),
                    lines: vec![line],
                    ..TurnRecord::default()
                };
                s.commit_turn(turn).await.unwrap();
            }
        }));
    }
    for t in tasks {
        t.await.unwrap();
    }
    for chat in [0, 25, 49] {
        let lines = store.transcript("test", &chat.to_string()).await.unwrap();
        let bodies: Vec<String> = lines.into_iter().map(|l| l.body).collect();
        let expected: Vec<String> = (0..10).map(|n| format!("{chat}-{n}")).collect();
        assert_eq!(bodies, expected);
        assert_eq!(store.load_session("test", &chat.to_string()).await.unwrap().as_deref(), Some("{\"n\":9}"));
    }
}

#[tokio::test]
async fn a_session_from_an_older_format_becomes_an_apology_and_a_fresh_start() {
    let db = TempDb::new();
    let a = assistant(&db).await;
    let old = TurnRecord {
        channel: CHANNEL.into(),
        chat: "5".into(),
        at_ms: 1,
        session_json: Some(r#"{"version":0,"state":"whatever"}"#.into()),
        lines: vec![],
        ..TurnRecord::default()
    };
    a.store.commit_turn(old).await.unwrap();
    let out = a.handle(CHANNEL, "5", text("здравей"), None, chrono::Utc::now()).await.unwrap();
    assert!(out[0].text.contains("Съжалявам"), "{:?}", out[0].text);
    let stored = sofia_bot::engine::Session::restore(&a.store.load_session(CHANNEL, "5").await.unwrap().unwrap());
    assert!(!stored.recovering);
}

#[tokio::test]
async fn chats_that_blocked_the_bot_are_listed_until_they_write_again() {
    let db = TempDb::new();
    let a = assistant(&db).await;
    let store = &a.store;
    let finish = |chat: &str, active| sofia_bot::store::Finish {
        channel: "telegram".into(),
        chat: chat.into(),
        at_ms: 1,
        active: Some(active),
        ..Default::default()
    };
    store.finish(None, finish("11", true)).await.unwrap();
    store.finish(None, finish("12", true)).await.unwrap();
    store.deactivate_chat("telegram", "12", 2).await.unwrap();
    store.deactivate_chat("telegram", "13", 2).await.unwrap();
    store.deactivate_chat("console", "14", 2).await.unwrap();
    assert_eq!(store.inactive_chats("telegram").await.unwrap(), ["12", "13"]);

    store.finish(None, finish("12", true)).await.unwrap();
    assert_eq!(store.inactive_chats("telegram").await.unwrap(), ["13"]);
}
