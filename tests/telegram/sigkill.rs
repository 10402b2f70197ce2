//! The real binary, `sofia-bot run`, against the fake Bot API under load: killed twice with
//! SIGKILL, started again each time, then stopped with SIGTERM. The citizens hand their
//! conversation to staff and go on writing (a message for staff, the menu typed as a word, a
//! question, a button). Every update the fake handed out is answered with a reply or a
//! reaction, exactly once; one may repeat only where the README says it can (Telegram
//! accepted it, the bot died before marking it sent): at most two per chat per kill.

use std::process::{Child, Command, Stdio};
use std::sync::Arc;

use serde_json::Value;
use sofia_bot::lang::Lang;
use sofia_bot::staff::cases::CaseSettings;
use sofia_devkit::fake::{Citizen, FakeBotApi, TOKEN};
use sofia_devkit::plans::{Act, Planned, push_input};

use crate::support::*;

const CHATS: i64 = 100;
const TURNS: usize = 10;
const KILLS: usize = 2;

fn spawn(fake: &FakeBotApi, db: &TempDb, n: usize) -> Child {
    let log = std::fs::File::create(db.dir.path().join(format!("run-{n}.log"))).unwrap();
    Command::new(env!("CARGO_BIN_EXE_sofia-bot"))
        .current_dir(root())
        .args(["run", "--db"])
        .arg(db.path())
        .env("TELOXIDE_TOKEN", TOKEN)
        .env("TELOXIDE_API_URL", fake.url().as_str())
        .env("SOFIA_SEND_RATE", "0")
        .env("SOFIA_SEND_RATE_PER_CHAT", "0")
        .env("RUST_LOG", "warn")
        .stdout(Stdio::null())
        .stderr(log)
        .spawn()
        .expect("sofia-bot runs")
}

/// Ten acts: a question, a button, a command, a hand-over to staff, a message for staff, the
/// menu typed as a word, a question, a button, a person asked for again, a thank-you.
fn acts(c: usize) -> Vec<Act> {
    let texts =
        ["здравей", "kude moga da si kupq karta", "how do I pay for parking", "детска градина прием", "не разбирам"];
    let text = |t: usize| Act::Write(texts[(c + t) % texts.len()].into());
    let acts = [
        text(0),
        Act::Press(c),
        Act::Write(if c.is_multiple_of(2) { "/menu" } else { "/start" }.into()),
        Act::Write("искам да говоря с човек".into()),
        Act::Write("Вход Б, етаж 4, от три дни".into()),
        Act::Write(if c.is_multiple_of(2) { "меню" } else { "menu" }.into()),
        text(3),
        Act::Press(c + 7),
        Act::Write("/human".into()),
        Act::Write("благодаря".into()),
    ];
    acts.into_iter().take(TURNS).collect()
}

/// Matches what a chat received against what it should have, in order; a message that
/// repeats one already matched (a resend after a crash) is counted, anything else fails.
fn align(received: &[Value], wanted: &[Value]) -> Result<usize, String> {
    let (mut i, mut repeats) = (0, 0);
    for (j, r) in received.iter().enumerate() {
        if i < wanted.len() && r == &wanted[i] {
            i += 1;
        } else if wanted[..i].iter().rev().take(4).any(|w| w == r) {
            repeats += 1;
        } else {
            return Err(format!("message {j} was not expected: {r}"));
        }
    }
    if i < wanted.len() { Err(format!("{} of {} messages arrived", i, wanted.len())) } else { Ok(repeats) }
}

/// A reply or a reaction that Telegram accepted.
fn answers(r: &sofia_devkit::fake::Recorded) -> bool {
    matches!(r.method.as_str(), "sendMessage" | "setMessageReaction") && r.status == 200
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn killed_with_sigkill_under_load_every_update_is_answered_exactly_once() {
    let fake = Arc::new(FakeBotApi::start().await);
    let db = TempDb::new();
    let citizens: Vec<Citizen> = (0..CHATS).map(|i| Citizen::new(9000 + i, Some("bg"))).collect();
    // The plans play through the real shell on a scratch database: hand-overs and what follows
    // them included. References and the time staff answer by are masked when comparing.
    let planner = planner(CaseSettings::default()).await;
    let mut plans: Vec<Vec<Planned>> = Vec::new();
    for (i, c) in citizens.iter().enumerate() {
        plans.push(planner.plan(c.id, c.lang.as_deref().and_then(Lang::parse), &acts(i)).await.unwrap());
    }
    planner.close().await;
    let silent: Vec<_> = plans.iter().flatten().filter(|s| s.replies.is_empty()).map(|s| &s.input).collect();
    assert!(silent.is_empty(), "updates the bot would leave without a reply or a reaction: {silent:?}");
    assert!(plans.iter().all(|p| p.iter().any(Planned::reacted)), "every citizen has a message passed on to staff");
    let total: usize = plans.iter().flatten().map(|s| s.replies.len()).sum();

    let mut child = spawn(&fake, &db, 0);
    let mut drivers = Vec::new();
    for (citizen, plan) in citizens.iter().cloned().zip(plans.clone()) {
        let fake = fake.clone();
        drivers.push(tokio::spawn(async move {
            let mut tap = fake.tap(citizen.id);
            let mut received = 0;
            for step in &plan {
                push_input(&fake, &citizen, &step.input);
                let mut left = step.replies.len();
                while left > 0 {
                    let r = tap.recv().await.expect("the fake runs");
                    if answers(&r) {
                        left -= 1;
                        received += 1;
                    }
                }
            }
            received
        }));
    }
    for k in 1..=KILLS {
        let at = total * k / (KILLS + 1);
        let progress = |v: &sofia_devkit::fake::FakeView<'_>| v.count("sendMessage") + v.count("setMessageReaction");
        assert!(fake.wait_until(PATIENCE, |v| progress(v) >= at).await, "no progress before kill {k}");
        child.kill().expect("SIGKILL");
        child.wait().unwrap();
        child = spawn(&fake, &db, k);
    }
    for d in drivers {
        tokio::time::timeout(PATIENCE, d).await.expect("every citizen got answers").unwrap();
    }
    let wanted: Vec<Vec<Value>> =
        plans.iter().map(|p| p.iter().flat_map(|s| s.replies.iter().map(planned)).collect()).collect();
    let complete = fake
        .wait_until(PATIENCE, |v| {
            citizens.iter().zip(&wanted).all(|(c, w)| {
                let got: Vec<Value> = v
                    .requests
                    .iter()
                    .filter(|r| answers(r) && r.chat == Some(c.id))
                    .map(|r| sofia_devkit::plans::masked(&r.method, &r.body))
                    .collect();
                align(&got, w).is_ok()
            })
        })
        .await;
    assert!(complete, "some citizen is missing answers");

    // A clean stop: SIGTERM, exit 0.
    let term = Command::new("kill").args(["-TERM", &child.id().to_string()]).status().unwrap();
    assert!(term.success());
    let status = tokio::task::spawn_blocking(move || child.wait().unwrap()).await.unwrap();
    assert!(status.success(), "sofia-bot run did not exit 0 on SIGTERM: {status:?}");

    let mut repeats = 0;
    for (c, w) in citizens.iter().zip(&wanted) {
        let got: Vec<Value> = fake
            .requests()
            .iter()
            .filter(|r| answers(r) && r.chat == Some(c.id))
            .map(|r| sofia_devkit::plans::masked(&r.method, &r.body))
            .collect();
        let r = align(&got, w).unwrap_or_else(|e| panic!("chat {}: {e}", c.id));
        assert!(r <= 2 * KILLS, "chat {} got {r} repeats from {KILLS} kills", c.id);
        repeats += r;
        // Each message passed on is marked once: as many messages marked as the plan passes on.
        let marked: std::collections::BTreeSet<i64> = fake.reactions_to(c.id).into_iter().map(|(m, _)| m).collect();
        let planned = w.iter().filter(|r| r["method"] == "setMessageReaction").count();
        assert_eq!(marked.len(), planned, "chat {}: messages marked with a reaction", c.id);
    }
    // Each update was handled once: one incoming transcript line each, one set of outbox rows.
    let store = sofia_bot::store::Store::open(&db.path(), sofia_bot::store::Durability::Full).await.unwrap();
    for (c, plan) in citizens.iter().zip(&plans) {
        let lines = store.transcript("telegram", &c.id.to_string()).await.unwrap();
        assert_eq!(lines.iter().filter(|l| l.incoming).count(), plan.len(), "chat {}: updates handled", c.id);
        let presses = plan.iter().filter(|s| matches!(s.input, sofia_bot::engine::Input::Button { .. })).count();
        let rows = store.outbox_rows(&c.id.to_string()).await.unwrap();
        assert_eq!(
            rows.len(),
            plan.iter().map(|s| s.replies.len()).sum::<usize>() + presses,
            "chat {}: replies queued",
            c.id
        );
    }
    assert!(store.pending_updates().await.unwrap().is_empty());
    store.close().await;
    // Button presses: answered; a repeat answer is refused by Telegram as harmless.
    let violations: Vec<String> = fake.violations().into_iter().filter(|v| !v.contains("answered twice")).collect();
    assert_eq!(violations, Vec::<String>::new());
    assert_eq!(fake.unanswered_callbacks(), Vec::<String>::new());
    let reactions: usize = citizens.iter().map(|c| fake.reactions_to(c.id).len()).sum();
    println!(
        "{total} replies and reactions ({reactions} reactions sent) to {} updates; {repeats} repeated after {KILLS} SIGKILLs",
        CHATS as usize * TURNS
    );
}
