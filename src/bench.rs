//! `sofia-bot bench`: simulated citizens through understanding, the engine and the durable
//! store on a fresh database file. Prints figures; decides nothing (no pass or fail).
//!
//! The benchmark through Telegram (teloxide, a fake Bot API server, the inbox, the processor
//! and the sender) is `telegram-bench` in the dev-only `devkit/` crate, so that the shipped
//! binary holds no test server; it shares the script and the figures' format from here.

use std::sync::Arc;
use std::time::{Duration, Instant};

use crate::assistant::{Assistant, respond};
use crate::engine::{Flows, Incoming, Input, Session, epoch};
use crate::i18n::Locales;
use crate::store::{Durability, Store};

/// What simulated citizens write, in turn: questions in three styles, buttons, commands.
pub const SCRIPT: &[&str] = &[
    "/start",
    "здравей",
    "kude moga da si kupq karta za gradskiya transport",
    "how do I pay for parking in the blue zone",
    "искам да подам сигнал за боклук",
    "/menu",
    "kak da si smenq li4niq lekar",
    "детска градина прием",
    "1",
    "registraciq v buro po truda",
    "не разбирам",
    "/cancel",
];

pub async fn run(
    flows: Flows,
    locales: Locales,
    durability: Durability,
    citizens: usize,
    turns: usize,
    rate: f64,
) -> anyhow::Result<()> {
    println!("understanding alone, per message (every example phrase of dialogs/, one thread):");
    understanding_only(&flows);
    println!("engine step alone (understanding + step + rendering, one thread):");
    engine_only(&flows, &locales, 20_000);

    let dir = tempfile_dir()?;
    let db = dir.join("bench.db");
    let store = Store::open(&db, durability).await?;
    let assistant =
        Arc::new(Assistant { flows, locales, store, cases: Default::default(), privacy: Default::default() });
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
    println!(
        "\nthrough the durable store ({durability:?}, WAL, group commit), {citizens} citizens x {turns} turns, {cores} cores"
    );
    println!("closed loop (each citizen writes again as soon as it is answered; latency is mostly queueing):");
    let (mut lat, elapsed) = citizens_talk(&assistant, "closed", citizens, turns, None).await?;
    print_figures(&mut lat, elapsed);
    if rate > 0.0 {
        println!(
            "paced: {rate:.0} turns/s offered over all citizens, each writing every {:.0} ms:",
            citizens as f64 / rate * 1000.0
        );
        let (mut lat, elapsed) = citizens_talk(&assistant, "paced", citizens, turns, Some(rate)).await?;
        print_figures(&mut lat, elapsed);
    }
    println!("peak memory (VmHWM): {}", peak_memory());
    if let Ok(a) = Arc::try_unwrap(assistant) {
        a.store.close().await;
    }
    let _ = std::fs::remove_dir_all(&dir);
    Ok(())
}

/// Every citizen takes `turns` turns through the whole loop; with a rate, each waits its turn
/// on a steady clock (an open loop, as real citizens do), else writes again at once.
async fn citizens_talk(
    assistant: &Arc<Assistant>,
    run: &str,
    citizens: usize,
    turns: usize,
    rate: Option<f64>,
) -> anyhow::Result<(Vec<Duration>, Duration)> {
    let started = Instant::now();
    let period = rate.map(|r| Duration::from_secs_f64(citizens as f64 / r));
    let mut tasks = Vec::with_capacity(citizens);
    for c in 0..citizens {
        let a = assistant.clone();
        let chat = format!("{run}-{c}");
        tasks.push(tokio::spawn(async move {
            let mut lat = Vec::with_capacity(turns);
            // Citizens start spread over one period, so the offered load is even.
            let offset = period.map(|p| p.mul_f64(c as f64 / citizens as f64)).unwrap_or_default();
            for t in 0..turns {
                if let Some(p) = period {
                    tokio::time::sleep_until((started + offset + p * t as u32).into()).await;
                }
                let line = SCRIPT[(c + t) % SCRIPT.len()];
                let t0 = Instant::now();
                a.handle("bench", &chat, Input::from_text(line), None, chrono::Utc::now()).await?;
                lat.push(t0.elapsed());
            }
            Ok::<_, crate::store::StoreError>(lat)
        }));
    }
    let mut all = Vec::with_capacity(citizens * turns);
    for t in tasks {
        all.extend(t.await??);
    }
    Ok((all, started.elapsed()))
}

/// `Classifier::understand` on each example phrase, in all three styles, twice over (the
/// second pass is what a warmed-up server sees: Latin readings are cached).
fn understanding_only(flows: &Flows) {
    let texts: Vec<&String> =
        flows.flows.iter().flat_map(|f| &f.intents).flat_map(|i| i.examples.values().flatten()).collect();
    for pass in ["first pass (cold reading cache)", "second pass"] {
        let mut lat = Vec::with_capacity(texts.len());
        let started = Instant::now();
        for t in &texts {
            let t0 = Instant::now();
            std::hint::black_box(flows.classifier.understand(t));
            lat.push(t0.elapsed());
        }
        println!("  {pass}:");
        print_spread(&mut lat, started.elapsed(), "messages", "understanding");
    }
}

fn engine_only(flows: &Flows, locales: &Locales, n: usize) {
    let mut session = Session::new(Default::default());
    let mut lat = Vec::with_capacity(n);
    let now = epoch();
    let started = Instant::now();
    for i in 0..n {
        let incoming = Incoming { input: Input::from_text(SCRIPT[i % SCRIPT.len()]), channel_lang: None };
        let t0 = Instant::now();
        let (turn, out) = respond(flows, locales, session, &incoming, now);
        lat.push(t0.elapsed());
        std::hint::black_box(out);
        session = turn.session;
    }
    print_figures(&mut lat, started.elapsed());
}

fn print_figures(lat: &mut [Duration], elapsed: Duration) {
    print_spread(lat, elapsed, "turns", "latency");
}

/// Count, rate and latency percentiles of one run, as one line.
pub fn print_spread(lat: &mut [Duration], elapsed: Duration, unit: &str, latency: &str) {
    lat.sort();
    let pick = |q: f64| lat.get(((lat.len() as f64 - 1.0) * q).round() as usize).copied().unwrap_or_default();
    let ms = |d: Duration| d.as_secs_f64() * 1000.0;
    println!(
        "  {} {unit} in {:.2} s: {:.0} {unit}/s; {latency} p50 {:.2} ms, p99 {:.2} ms, max {:.2} ms",
        lat.len(),
        elapsed.as_secs_f64(),
        lat.len() as f64 / elapsed.as_secs_f64(),
        ms(pick(0.5)),
        ms(pick(0.99)),
        ms(lat.last().copied().unwrap_or_default())
    );
}

/// The process's peak resident memory, as the kernel reports it (`VmHWM`).
pub fn peak_memory() -> String {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| s.lines().find(|l| l.starts_with("VmHWM")).map(|l| l["VmHWM:".len()..].trim().to_string()))
        .unwrap_or_else(|| "unknown".into())
}

/// A fresh, empty folder for a benchmark's database file, named after the process and the
/// call.
pub fn tempfile_dir() -> std::io::Result<std::path::PathBuf> {
    // One folder per call: tests in one process each plan on a database of their own.
    static NEXT: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);
    let n = NEXT.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    let dir = std::env::temp_dir().join(format!("sofia-bot-bench-{}-{n}", std::process::id()));
    // A folder left by an earlier process with the same id would hold its database.
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir)?;
    Ok(dir)
}
