//! The real binary, `sofia-bot run`, against the fake Bot API under load: killed ten times
//! with SIGKILL, started again each time, then stopped with SIGTERM. The citizens hand their
//! conversation to staff and go on writing (a message for staff, the menu typed as a word, a
//! question, a button): seven kills fall among them. Then staff answer cases from the command
//! line, a second process writing the same database while the bot runs: three kills fall among
//! those answers. Every update the fake handed out is answered with a reply or a reaction,
//! exactly once, and every staff answer reaches its citizen; one may repeat only where the
//! README says it can (Telegram accepted it, the bot died before marking it sent): at most two
//! per chat per kill.

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
/// Kills among the citizens' messages, then among the staff answers.
const KILLS_CITIZENS: usize = 7;
const KILLS_STAFF: usize = 3;
const KILLS: usize = KILLS_CITIZENS + KILLS_STAFF;
/// Cases staff answer from the command line, and what each answer says before its number.
const ANSWERED: usize = 24;
const ANSWER: &str = "Отговор от служител, номер";

/// SIGKILL, and the next start on the same database.
fn kill_and_start(mut child: Child, fake: &FakeBotApi, db: &TempDb, n: usize) -> Child {
    child.kill().expect("SIGKILL");
    child.wait().unwrap();
    spawn(fake, db, n)
}

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

/// A staff answer that Telegram accepted: the number it was given, if `r` is one.
fn staff_answer(r: &sofia_devkit::fake::Recorded) -> Option<usize> {
    if !answers(r) {
        return None;
    }
    let text = r.body["text"].as_str()?;
    text.split(ANSWER).nth(1)?.trim().parse().ok()
}

/// What a chat received from the assistant, staff answers left out, masked for comparing.
fn from_assistant(requests: &[sofia_devkit::fake::Recorded], chat: i64) -> Vec<Value> {
    requests
        .iter()
        .filter(|r| answers(r) && r.chat == Some(chat) && staff_answer(r).is_none())
        .map(|r| sofia_devkit::plans::masked(&r.method, &r.body))
        .collect()
}

/// Runs `sofia-bot cases ...` on the bot's database, as a staff member at a terminal does.
fn cases(db: &std::path::Path, args: &[&str]) -> String {
    let out = Command::new(env!("CARGO_BIN_EXE_sofia-bot"))
        .current_dir(root())
        .arg("cases")
        .args(args)
        .arg("--db")
        .arg(db)
        .env_remove("RUST_LOG")
        .output()
        .expect("sofia-bot cases runs");
    assert!(out.status.success(), "sofia-bot cases {args:?}: {}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8(out.stdout).expect("utf-8")
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
    let progress = |v: &sofia_devkit::fake::FakeView<'_>| v.count("sendMessage") + v.count("setMessageReaction");
    for k in 1..=KILLS_CITIZENS {
        let at = total * k / (KILLS_CITIZENS + 1);
        assert!(fake.wait_until(PATIENCE, |v| progress(v) >= at).await, "no progress before kill {k}");
        child = kill_and_start(child, &fake, &db, k);
    }
    for d in drivers {
        tokio::time::timeout(PATIENCE, d).await.expect("every citizen got answers").unwrap();
    }

    // Staff answer open cases from the command line while the bot runs and is killed.
    let listed = cases(&db.path(), &["list", "--open"]);
    let references: Vec<String> =
        listed.lines().filter_map(|l| l.split_whitespace().next()).take(ANSWERED).map(String::from).collect();
    assert_eq!(references.len(), ANSWERED, "open cases to answer:\n{listed}");
    let answering = {
        let (db, references) = (db.path(), references.clone());
        tokio::task::spawn_blocking(move || {
            for (n, reference) in references.iter().enumerate() {
                cases(&db, &["reply", reference, &format!("{ANSWER} {n}"), "--as", "Мария"]);
            }
        })
    };
    let delivered = |v: &sofia_devkit::fake::FakeView<'_>| {
        v.requests.iter().filter_map(staff_answer).collect::<std::collections::BTreeSet<usize>>().len()
    };
    for k in 1..=KILLS_STAFF {
        let at = ANSWERED * k / (KILLS_STAFF + 1);
        assert!(fake.wait_until(PATIENCE, |v| delivered(v) >= at).await, "no staff answer came before kill {k}");
        child = kill_and_start(child, &fake, &db, KILLS_CITIZENS + k);
    }
    answering.await.expect("every answer was written");
    let all_answers = fake.wait_until(PATIENCE, |v| delivered(v) == ANSWERED).await;
    assert!(all_answers, "staff answers that never reached their citizen");

    let wanted: Vec<Vec<Value>> =
        plans.iter().map(|p| p.iter().flat_map(|s| s.replies.iter().map(planned)).collect()).collect();
    let complete = fake
        .wait_until(PATIENCE, |v| {
            citizens.iter().zip(&wanted).all(|(c, w)| align(&from_assistant(v.requests, c.id), w).is_ok())
        })
        .await;
    assert!(complete, "some citizen is missing answers");

    // A clean stop: SIGTERM, exit 0.
    let term = Command::new("kill").args(["-TERM", &child.id().to_string()]).status().unwrap();
    assert!(term.success());
    let status = tokio::task::spawn_blocking(move || child.wait().unwrap()).await.unwrap();
    assert!(status.success(), "sofia-bot run did not exit 0 on SIGTERM: {status:?}");

    let mut repeats = 0;
    let mut answers_to = std::collections::BTreeMap::new();
    for (c, w) in citizens.iter().zip(&wanted) {
        let requests = fake.requests();
        let r = align(&from_assistant(&requests, c.id), w).unwrap_or_else(|e| panic!("chat {}: {e}", c.id));
        // A staff answer arrives once, or again after a kill: counted with the repeats.
        let theirs: Vec<usize> = requests.iter().filter(|q| q.chat == Some(c.id)).filter_map(staff_answer).collect();
        let again = theirs.len().saturating_sub(theirs.iter().collect::<std::collections::BTreeSet<_>>().len());
        assert!(r + again <= 2 * KILLS, "chat {} got {} repeats from {KILLS} kills", c.id, r + again);
        repeats += r + again;
        answers_to.insert(c.id, theirs.iter().collect::<std::collections::BTreeSet<_>>().len());
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
            plan.iter().map(|s| s.replies.len()).sum::<usize>() + presses + answers_to[&c.id],
            "chat {}: replies and staff answers queued",
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
        "{total} replies and reactions ({reactions} reactions sent) to {} updates and {ANSWERED} staff answers; \
         {repeats} repeated after {KILLS} SIGKILLs",
        CHATS as usize * TURNS
    );
}
