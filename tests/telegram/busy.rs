//! A second process holding the database: `sqlite3` takes an exclusive lock for longer than
//! the store waits for one (its busy timeout), then makes a backup with `.backup`, as an
//! operator's backup job does, while the bot runs. Meanwhile the citizen writes: the bot
//! answers nothing it could not store, keeps running, and once the lock is let go answers every
//! message once, in order; the backup is a whole database.

use std::io::{BufRead, BufReader, Write};
use std::process::{Command, Stdio};
use std::time::Duration;

use sofia_devkit::fake::{Citizen, FakeBotApi};
use sofia_devkit::plans::{Act, push_input};

use crate::support::*;

/// Longer than the store's busy timeout (10 s): its writes fail, not merely wait.
const HELD: Duration = Duration::from_secs(14);

#[tokio::test]
async fn a_backup_holding_the_database_delays_answers_and_loses_none() {
    let fake = FakeBotApi::start().await;
    let db = TempDb::new();
    let bot = start(&fake, &db.path(), settings()).await;
    let citizen = Citizen::new(4301, Some("bg"));
    let acts = [
        Act::Write("kude moga da si kupq karta za gradskiya transport".into()),
        Act::Write("how do I pay for parking in the blue zone".into()),
        Act::Write("детска градина прием".into()),
    ];
    let plan = expect(&citizen, &acts).await;
    push_input(&fake, &citizen, &plan[0].input);
    wait_for_messages(&fake, citizen.id, plan[0].replies.len()).await;

    // The other process takes the lock, and says so once it has it.
    let mut holder = Command::new("sqlite3")
        .arg(db.path())
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("sqlite3 runs (CI installs it)");
    let mut to_holder = holder.stdin.take().unwrap();
    writeln!(to_holder, "BEGIN EXCLUSIVE;\nSELECT 'held';").unwrap();
    let mut said = String::new();
    BufReader::new(holder.stdout.take().unwrap()).read_line(&mut said).unwrap();
    assert_eq!(said.trim(), "held");

    for step in &plan[1..] {
        push_input(&fake, &citizen, &step.input);
    }
    tokio::time::sleep(HELD).await;
    assert_eq!(fake.messages_to(citizen.id).len(), plan[0].replies.len(), "a reply went out from a turn not stored");
    assert!(bot.runs(), "the bot gave up while the database was held");

    // The lock is let go; the backup is made while the bot writes again.
    let backup = db.dir.path().join("backup.db");
    writeln!(to_holder, "COMMIT;\n.backup '{}'\n.quit", backup.display()).unwrap();
    drop(to_holder);
    let out = tokio::task::spawn_blocking(move || holder.wait_with_output().unwrap()).await.unwrap();
    assert!(out.status.success(), "sqlite3: {}", String::from_utf8_lossy(&out.stderr));

    let wanted: Vec<_> = plan.iter().flat_map(|s| s.replies.iter().map(planned)).collect();
    wait_for_messages(&fake, citizen.id, wanted.len()).await;
    bot.stop().await;
    let sent: Vec<_> = fake.messages_to(citizen.id).iter().map(seen).collect();
    assert_eq!(sent, wanted);
    let store = sofia_bot::store::Store::open(&db.path(), sofia_bot::store::Durability::Full).await.unwrap();
    let lines = store.transcript("telegram", &citizen.id.to_string()).await.unwrap();
    assert_eq!(lines.iter().filter(|l| l.incoming).count(), plan.len(), "every update handled once");
    assert!(store.pending_updates().await.unwrap().is_empty());
    store.close().await;

    let check = Command::new("sqlite3").arg(&backup).arg("PRAGMA integrity_check;").output().unwrap();
    assert_eq!(String::from_utf8_lossy(&check.stdout).trim(), "ok", "the backup is not a whole database");
    let backed_up = sofia_bot::store::Store::open(&backup, sofia_bot::store::Durability::Full).await.unwrap();
    assert!(!backed_up.transcript("telegram", &citizen.id.to_string()).await.unwrap().is_empty());
    backed_up.close().await;
    assert_telegram_would_accept_everything(&fake);
}
