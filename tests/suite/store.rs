//! The store on a real SQLite file: turns commit whole, sessions survive a restart, cases are
//! kept with what the flow collected, and a database of the old migration runner is adopted.
//! A test on a fresh database takes it from `#[sqlx::test]` (a file under target/sqlx/, the
//! migrations of `migrations/` applied); a test that restarts uses a file of its own.

use sofia_bot::channels::console::CHANNEL;
use sofia_bot::engine::Input;
use sofia_bot::store::{Durability, Line, MIGRATOR, Store, TurnRecord};
use sqlx::sqlite::{SqliteConnectOptions, SqlitePoolOptions};

use crate::support::{TempDb, assistant, assistant_on};

/// The store over `#[sqlx::test]`'s database.
async fn store(options: SqliteConnectOptions) -> Store {
    Store::connect(options, Durability::Normal).await.expect("the store opens")
}

fn text(t: &str) -> Input {
    Input::from_text(t)
}

#[sqlx::test]
async fn a_turn_stores_the_session_and_both_sides_of_the_transcript(_: SqlitePoolOptions, db: SqliteConnectOptions) {
    let a = assistant_on(store(db).await);
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

#[sqlx::test]
async fn an_escalation_is_stored_with_its_topic_and_language(_: SqlitePoolOptions, db: SqliteConnectOptions) {
    let a = assistant_on(store(db).await);
    a.handle(CHANNEL, "9", text("/human"), None, chrono::Utc::now()).await.unwrap();
    let cases = a.store.chat_cases(CHANNEL, "9").await.unwrap();
    assert_eq!(cases.len(), 1);
    assert_eq!(cases[0].topic, "human");
    assert_eq!(cases[0].chat, "9");
    assert_eq!(cases[0].lang, sofia_bot::lang::Lang::Bg);
    assert_eq!(cases[0].status, sofia_bot::staff::cases::Status::New);
}

#[sqlx::test]
async fn many_concurrent_turns_all_commit(_: SqlitePoolOptions, db: SqliteConnectOptions) {
    let store = store(db).await;
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

#[sqlx::test]
async fn a_session_from_an_older_format_becomes_an_apology_and_a_fresh_start(
    _: SqlitePoolOptions,
    db: SqliteConnectOptions,
) {
    let a = assistant_on(store(db).await);
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

#[sqlx::test]
async fn chats_that_blocked_the_bot_are_listed_until_they_write_again(_: SqlitePoolOptions, db: SqliteConnectOptions) {
    let a = assistant_on(store(db).await);
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

#[sqlx::test(migrations = false)]
async fn a_database_of_the_old_migration_runner_is_adopted_without_running_a_migration_again(
    _: SqlitePoolOptions,
    db: SqliteConnectOptions,
) {
    use sqlx::{Connection, Executor};
    // What the store's own runner left: the migrations applied, and its table listing them.
    let mut old = sqlx::SqliteConnection::connect_with(&db.clone().create_if_missing(true)).await.unwrap();
    old.execute("CREATE TABLE schema_migrations (version BIGINT PRIMARY KEY, applied_ms BIGINT NOT NULL)")
        .await
        .unwrap();
    for m in MIGRATOR.iter() {
        sqlx::raw_sql(m.sql.as_ref()).execute(&mut old).await.unwrap();
        sqlx::query("INSERT INTO schema_migrations VALUES (?, 1)").bind(m.version).execute(&mut old).await.unwrap();
    }
    sqlx::query("INSERT INTO sessions (channel, chat, data, updated_ms) VALUES ('test', '1', '{}', 1)")
        .execute(&mut old)
        .await
        .unwrap();
    old.close().await.unwrap();

    // Opening it twice: the first adopts, the second finds nothing to do.
    for _ in 0..2 {
        let store = store(db.clone()).await;
        assert_eq!(store.load_session("test", "1").await.unwrap().as_deref(), Some("{}"), "the data stays");
        store.close().await;
    }
    let mut conn = sqlx::SqliteConnection::connect_with(&db).await.unwrap();
    let versions: Vec<i64> = sqlx::query_scalar("SELECT version FROM _sqlx_migrations WHERE success ORDER BY version")
        .fetch_all(&mut conn)
        .await
        .unwrap();
    assert_eq!(versions, MIGRATOR.iter().map(|m| m.version).collect::<Vec<_>>());
    let old_table: i64 = sqlx::query_scalar("SELECT count(*) FROM sqlite_master WHERE name = 'schema_migrations'")
        .fetch_one(&mut conn)
        .await
        .unwrap();
    assert_eq!(old_table, 0, "the old runner's table is gone");
}
