//! The benchmark through Telegram (`telegram-bench`): simulated citizens through teloxide, a
//! fake Bot API server in this process, the inbox, the processor and the sender, durable
//! commits, no rate limits. It was `sofia-bot bench --telegram`; it lives here so that the
//! shipped binary holds no test server. Prints figures in the format of `sofia-bot bench`;
//! decides nothing (no pass or fail).

use std::sync::Arc;
use std::time::{Duration, Instant};

use sofia_bot::assistant::Assistant;
use sofia_bot::bench::{SCRIPT, peak_memory, print_spread, tempfile_dir};
use sofia_bot::channels::telegram::rate::Limits;
use sofia_bot::channels::telegram::{self, Settings};
use sofia_bot::engine::Flows;
use sofia_bot::i18n::Locales;
use sofia_bot::lang::Lang;
use sofia_bot::staff::cases::{Source, Staffer};
use sofia_bot::staff::desk::StaffAct;
use sofia_bot::store::{CaseFilter, Durability, Finish, Store};

use crate::fake::{Citizen, FakeBotApi};
use crate::plans::{Act, Planned, Planner, push_input};

/// What simulated Telegram citizens do, in a cycle of ten: four questions, two button
/// presses, two commands, a request for a person (a hand-over to staff: a case), and the menu
/// typed as a word. After the hand-over they go on writing (a question, the menu, a button),
/// as citizens do. Citizen `c` starts its questions at `c`.
pub fn telegram_acts(c: usize, turns: usize) -> Vec<Act> {
    let texts: Vec<&str> =
        SCRIPT.iter().copied().filter(|l| !l.starts_with('/') && l.parse::<u32>().is_err()).collect();
    let text = |t: usize| Act::Write(texts[(c + t) % texts.len()].to_string());
    (0..turns)
        .map(|t| match t % 10 {
            0 | 2 | 6 | 8 => text(t),
            1 | 7 => Act::Press(c + t),
            3 => Act::Write(if t % 20 == 3 { "/menu" } else { "/help" }.to_string()),
            4 => Act::Write("искам да говоря със служител".to_string()),
            5 => Act::Write("меню".to_string()),
            _ => Act::Write("/start".to_string()),
        })
        .collect()
}

/// A closed loop (each citizen writes again as soon as the whole answer arrived) for
/// throughput, then a paced run at `rate` updates a second for latency.
pub async fn run(
    flows: Flows,
    locales: Locales,
    durability: Durability,
    citizens: usize,
    turns: usize,
    rate: f64,
) -> anyhow::Result<()> {
    let variants = 16;
    let planner = Planner::new(flows, locales, Default::default()).await?;
    let mut plans: Vec<Vec<Planned>> = Vec::with_capacity(variants);
    for v in 0..variants {
        plans.push(planner.plan(1 + v as i64, Some(Lang::Bg), &telegram_acts(v, turns)).await?);
    }
    let (flows, locales) = planner.close().await;
    let dir = tempfile_dir()?;
    let store = Store::open(&dir.join("bench.db"), durability).await?;
    let assistant = Arc::new(Assistant {
        flows,
        locales,
        store: store.clone(),
        cases: Default::default(),
        privacy: Default::default(),
    });
    let fake = Arc::new(FakeBotApi::start_with(false).await);
    let settings = Settings { limits: Limits::none(), typing_after: Duration::from_secs(5), ..Settings::default() };
    let (stop, stopped) = tokio::sync::watch::channel(false);
    let served = tokio::spawn(telegram::serve(fake.bot(), assistant.clone(), settings, stopped));
    fake.wait_until(Duration::from_secs(30), |v| v.count("getUpdates") > 0).await;

    println!(
        "through Telegram: teloxide against a fake Bot API on 127.0.0.1 in this process, inbox and outbox in SQLite \
         ({durability:?}, WAL, group commit), no rate limits; {} cores, {}",
        std::thread::available_parallelism().map_or(1, |n| n.get()),
        cpu_model()
    );
    let updates: usize = plans.iter().map(Vec::len).sum();
    let reacted: usize = plans.iter().flatten().filter(|p| p.reacted()).count();
    let silent: usize = plans.iter().flatten().filter(|p| p.replies.is_empty()).count();
    println!(
        "  each citizen: questions, buttons, commands, a hand-over to staff and what follows it; of the {updates} \
         updates of the {variants} scripts, {reacted} are passed on to staff (marked with a reaction), {silent} get \
         neither a reply nor a reaction; latency from the update to the last reply of its turn"
    );
    let (all, elapsed) = citizens_run(&fake, &plans, 1, citizens, None).await?;
    println!("closed loop, {citizens} chats x {turns} updates:");
    print_latency(all, elapsed);
    if rate > 0.0 {
        let interval = Duration::from_secs_f64(citizens as f64 / rate);
        let (all, elapsed) = citizens_run(&fake, &plans, 1 + citizens as i64, citizens, Some(interval)).await?;
        println!(
            "paced, {citizens} chats each writing every {:.0} ms ({rate:.0} updates/s offered):",
            interval.as_secs_f64() * 1000.0
        );
        print_latency(all, elapsed);
    }
    console_answers(&fake, &assistant, 100).await?;
    let refused = fake.violations();
    println!(
        "requests Telegram would refuse: {}; button presses left unanswered: {}",
        refused.len(),
        fake.unanswered_callbacks().len()
    );
    for v in refused.iter().take(5) {
        println!("  {v}");
    }
    println!("peak memory (VmHWM): {}", peak_memory());
    let _ = stop.send(true);
    served.await??;
    store.close().await;
    let _ = std::fs::remove_dir_all(&dir);
    Ok(())
}

/// Staff answer up to `n` open cases one after another as the web console does (the desk's
/// action, committed to the outbox with the wake for this process's sender), each timed from
/// the commit's start to the fake Bot API receiving the answer for the citizen.
async fn console_answers(fake: &Arc<FakeBotApi>, assistant: &Assistant, n: usize) -> anyhow::Result<()> {
    let filter = CaseFilter { open_only: true, limit: Some(n as i64), ..CaseFilter::default() };
    let cases = assistant.store.cases(&filter).await?;
    let staffer = Staffer { id: "web:bench".into(), name: "bench".into() };
    let mut all = Vec::with_capacity(cases.len());
    let started = Instant::now();
    for case in &cases {
        let chat: i64 = case.chat.parse()?;
        // The fake keeps no request list in a benchmark: the chat's requests are tapped.
        let mut taps = fake.tap(chat);
        let start = Instant::now();
        let now = chrono::Utc::now();
        let act = StaffAct::Reply("Проверяваме и ще ви пишем.".into());
        let handled = assistant.staff_act(case, &staffer, Source::Console, act, now).await?;
        let mut finish = Finish { at_ms: now.timestamp_millis(), external: true, ..Finish::default() };
        let record = assistant.staff_record(case, handled, &mut finish, now);
        assistant.store.finish(Some(record), finish).await?;
        loop {
            let r = tokio::time::timeout(Duration::from_secs(10), taps.recv())
                .await
                .map_err(|_| anyhow::anyhow!("a console answer did not reach chat {chat} in 10 s"))?
                .ok_or_else(|| anyhow::anyhow!("the fake server stopped"))?;
            if r.method == "sendMessage" && r.status == 200 {
                break;
            }
        }
        all.push(start.elapsed());
    }
    println!("console answers, one at a time, to {} open cases (the console's path, in this process):", all.len());
    print_spread(&mut all, started.elapsed(), "answers", "commit-to-Bot-API");
    Ok(())
}

/// Runs `citizens` chats (ids from `first`) through their plans; returns each update's
/// latency and the wall time.
async fn citizens_run(
    fake: &Arc<FakeBotApi>,
    plans: &[Vec<Planned>],
    first: i64,
    citizens: usize,
    pace: Option<Duration>,
) -> anyhow::Result<(Vec<Duration>, Duration)> {
    let started = Instant::now();
    let mut tasks = Vec::with_capacity(citizens);
    for c in 0..citizens {
        let fake = fake.clone();
        let plan = plans[c % plans.len()].clone();
        let citizen = Citizen::new(first + c as i64, Some("bg"));
        tasks.push(tokio::spawn(async move {
            let mut taps = fake.tap(citizen.id);
            // Paced citizens start spread over one interval, so the load is even.
            let offset = pace.map_or(Duration::ZERO, |p| p.mul_f64(c as f64 / citizens as f64));
            let begin = tokio::time::Instant::now() + offset;
            let mut latencies = Vec::with_capacity(plan.len());
            for (i, step) in plan.iter().enumerate() {
                if let Some(p) = pace {
                    tokio::time::sleep_until(begin + p * i as u32).await;
                }
                let t0 = Instant::now();
                push_input(&fake, &citizen, &step.input);
                let mut left = step.replies.len();
                while left > 0 {
                    let r = tokio::time::timeout(Duration::from_secs(60), taps.recv())
                        .await
                        .map_err(|_| anyhow::anyhow!("chat {} waited a minute for an answer", citizen.id))?
                        .ok_or_else(|| anyhow::anyhow!("the fake server stopped"))?;
                    if matches!(r.method.as_str(), "sendMessage" | "setMessageReaction") && r.status == 200 {
                        left -= 1;
                    }
                }
                latencies.push(t0.elapsed());
            }
            Ok::<_, anyhow::Error>(latencies)
        }));
    }
    let mut all = Vec::new();
    for t in tasks {
        all.extend(t.await??);
    }
    Ok((all, started.elapsed()))
}

fn print_latency(mut all: Vec<Duration>, elapsed: Duration) {
    print_spread(&mut all, elapsed, "updates", "update-to-reply");
}

fn cpu_model() -> String {
    std::fs::read_to_string("/proc/cpuinfo")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("model name"))
                .and_then(|l| l.split(':').nth(1))
                .map(|m| m.trim().to_string())
        })
        .unwrap_or_else(|| "unknown CPU".into())
}
