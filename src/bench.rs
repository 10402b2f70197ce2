//! `sofia-bot bench`: simulated citizens through understanding, the engine and the durable
//! store on a fresh database file. Prints figures; decides nothing (no pass or fail).

use std::sync::Arc;
use std::time::{Duration, Instant};

use crate::channels::{Assistant, respond};
use crate::engine::{Flows, Incoming, Input, Session, epoch};
use crate::i18n::Locales;
use crate::store::{Durability, Store};

/// What simulated citizens write, in turn: questions in three styles, buttons, commands.
const SCRIPT: &[&str] = &[
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

pub async fn run(flows: Flows, locales: Locales, durability: Durability, citizens: usize, turns: usize) -> anyhow::Result<()> {
    println!("engine step alone (understanding + step + rendering, one thread):");
    engine_only(&flows, &locales, 20_000);

    let dir = tempfile_dir()?;
    let db = dir.join("bench.db");
    let store = Store::open(&db, durability).await?;
    let assistant = Arc::new(Assistant { flows, locales, store });
    println!(
        "\nthrough the durable store ({:?}, WAL, group commit): {citizens} citizens x {turns} turns, {} cores",
        durability,
        std::thread::available_parallelism().map_or(1, |n| n.get())
    );
    let started = Instant::now();
    let mut tasks = Vec::with_capacity(citizens);
    for c in 0..citizens {
        let a = assistant.clone();
        tasks.push(tokio::spawn(async move {
            let mut lat = Vec::with_capacity(turns);
            let chat = format!("bench-{c}");
            for t in 0..turns {
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
    let elapsed = started.elapsed();
    print_figures(&mut all, elapsed);
    println!("peak memory (VmHWM): {}", peak_memory());
    if let Ok(a) = Arc::try_unwrap(assistant) {
        a.store.close().await;
    }
    let _ = std::fs::remove_dir_all(&dir);
    Ok(())
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
    lat.sort();
    let pick = |q: f64| lat.get(((lat.len() as f64 - 1.0) * q).round() as usize).copied().unwrap_or_default();
    let ms = |d: Duration| d.as_secs_f64() * 1000.0;
    println!(
        "  {} turns in {:.2} s: {:.0} turns/s; latency p50 {:.3} ms, p99 {:.3} ms, max {:.3} ms",
        lat.len(),
        elapsed.as_secs_f64(),
        lat.len() as f64 / elapsed.as_secs_f64(),
        ms(pick(0.5)),
        ms(pick(0.99)),
        ms(lat.last().copied().unwrap_or_default())
    );
}

fn peak_memory() -> String {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| s.lines().find(|l| l.starts_with("VmHWM")).map(|l| l["VmHWM:".len()..].trim().to_string()))
        .unwrap_or_else(|| "unknown".into())
}

fn tempfile_dir() -> std::io::Result<std::path::PathBuf> {
    let dir = std::env::temp_dir().join(format!("sofia-bot-bench-{}", std::process::id()));
    std::fs::create_dir_all(&dir)?;
    Ok(dir)
}
