//! `sofia-bot bench`: simulated citizens through understanding, the engine and the durable
//! store on a fresh database file; with `--telegram`, through teloxide, a fake Bot API server
//! in this process, the inbox, the processor and the sender. Prints figures; decides nothing
//! (no pass or fail).

use std::sync::Arc;
use std::time::{Duration, Instant};

use crate::channels::telegram::fake::{Citizen, FakeBotApi};
use crate::channels::telegram::rate::Limits;
use crate::channels::telegram::render::{self, Request};
use crate::channels::telegram::{self, Settings};
use crate::channels::{Assistant, press_typed_button, respond};
use crate::engine::{Flows, Incoming, Input, Session, epoch};
use crate::i18n::Locales;
use crate::lang::Lang;
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

pub async fn run(
    flows: Flows,
    locales: Locales,
    durability: Durability,
    citizens: usize,
    turns: usize,
    rate: f64,
) -> anyhow::Result<()> {
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
fn print_spread(lat: &mut [Duration], elapsed: Duration, unit: &str, latency: &str) {
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

/// Something a simulated Telegram citizen does.
#[derive(Debug, Clone, PartialEq)]
pub enum Act {
    /// Writes a text (or a command).
    Write(String),
    /// Presses the n-th button on offer (wrapping around), or writes /menu when none is.
    Press(usize),
    /// Presses the button with this data.
    Button(String),
    /// Sends a photo with this file id.
    Photo(String),
    /// Does exactly this (a sticker is `Input::Unsupported`).
    Input(Input),
    /// Sends a location pin.
    Pin(f64, f64),
}

/// An act as it will reach the bot, with the sendMessage requests the bot must answer with.
#[derive(Debug, Clone)]
pub struct Planned {
    pub input: Input,
    pub replies: Vec<Request>,
}

/// Plays a citizen's acts through the pure engine and the renderer, as the Telegram channel
/// would (a fresh session, the app language as the first turn's language), to know what each
/// update must be answered with. The plan stops before the first act that hands the citizen
/// to staff (a case), except when `to_staff` allows that act: from there on the shell answers
/// (the case's reference, the relay to staff), which the engine alone cannot foresee.
pub fn plan(flows: &Flows, locales: &Locales, chat: i64, lang: Option<Lang>, acts: &[Act]) -> Vec<Planned> {
    plan_until_staff(flows, locales, chat, lang, acts, acts.len())
}

/// Like `plan`, stopping before the first hand-over to staff unless it is act `allowed`.
pub fn plan_until_staff(
    flows: &Flows,
    locales: &Locales,
    chat: i64,
    lang: Option<Lang>,
    acts: &[Act],
    allowed: usize,
) -> Vec<Planned> {
    let mut session = Session::new(lang.unwrap_or_default());
    let now = chrono::Utc::now();
    let mut planned = Vec::with_capacity(acts.len());
    for (i, act) in acts.iter().enumerate() {
        let input = match act {
            Act::Write(t) => Input::from_text(t),
            Act::Press(n) if !session.offered.is_empty() => {
                Input::Button { data: session.offered[n % session.offered.len()].data.clone() }
            }
            Act::Press(_) => Input::from_text("/menu"),
            Act::Button(data) => Input::Button { data: data.clone() },
            Act::Photo(file_id) => Input::Photo { file_id: file_id.clone() },
            Act::Input(input) => input.clone(),
            Act::Pin(lat, lon) => Input::Location { lat: *lat, lon: *lon },
        };
        let sent = input.clone();
        let input = press_typed_button(input, &session, flows, locales);
        let (turn, out) = respond(flows, locales, session.clone(), &Incoming { input, channel_lang: lang }, now);
        if !turn.effects.is_empty() && i != allowed {
            break;
        }
        session = turn.session;
        planned.push(Planned { input: sent, replies: render::messages(chat, &out) });
    }
    planned
}

/// The update a planned input arrives as; a button press returns its callback id too.
pub fn push_input(fake: &FakeBotApi, citizen: &Citizen, input: &Input) -> (i64, Option<String>) {
    match input {
        Input::Button { data } => {
            let (id, callback) = fake.press(citizen, data);
            (id, Some(callback))
        }
        Input::Location { lat, lon } => (fake.push(citizen.location(*lat, *lon)), None),
        Input::Photo { file_id } => (fake.push(citizen.photo(file_id)), None),
        Input::Text { text } => (fake.push(citizen.text(text)), None),
        Input::Command { name, arg } => (fake.push(citizen.text(format!("/{name} {arg}").trim_end())), None),
        other => (fake.push(citizen.text(&format!("{other:?}"))), None),
    }
}

/// What simulated Telegram citizens do, in a cycle: half texts, a quarter buttons, a quarter
/// commands. Citizen `c` starts its texts at `c`.
fn telegram_acts(c: usize, turns: usize) -> Vec<Act> {
    let texts: Vec<&str> =
        SCRIPT.iter().copied().filter(|l| !l.starts_with('/') && l.parse::<u32>().is_err()).collect();
    (0..turns)
        .map(|t| match t % 4 {
            0 | 2 => Act::Write(texts[(c + t) % texts.len()].to_string()),
            1 => Act::Press(c + t),
            _ => Act::Write(if t % 8 == 3 { "/menu" } else { "/start" }.to_string()),
        })
        .collect()
}

/// `sofia-bot bench --telegram`: a closed loop (each citizen writes again as soon as the whole
/// answer arrived) for throughput, then a paced run at `rate` updates a second for latency.
pub async fn telegram(
    flows: Flows,
    locales: Locales,
    durability: Durability,
    citizens: usize,
    turns: usize,
    rate: f64,
) -> anyhow::Result<()> {
    let variants = 16;
    let plans: Vec<Vec<Planned>> =
        (0..variants).map(|v| plan(&flows, &locales, 0, Some(Lang::Bg), &telegram_acts(v, turns))).collect();
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
    println!(
        "  each citizen: half texts, a quarter buttons, a quarter commands; latency from the update to the last reply of its turn"
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
                    if r.method == "sendMessage" && r.status == 200 {
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
