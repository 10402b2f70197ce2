//! Runs every conversation in `tests/transcripts/**/*.txt` through the real shell (the
//! assistant over a fresh SQLite file per transcript: the engine, cases, privacy commands,
//! ratings) with the real `dialogs/` and `locales/`, in-process, and reports every failing
//! file at once with expected and actual side by side. `BLESS=1` rewrites the expected lines.
//! A name given on the command line (`cargo test --test transcripts -- housing`) runs only the
//! files whose path contains it. The format is described in `tests/transcripts/README.md`.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use chrono::{DateTime, Duration, Utc};
use sofia_bot::assistant::{Assistant, Outgoing, Shown};
use sofia_bot::channels::console;
use sofia_bot::engine::{Input, Settings, epoch, load_flows};
use sofia_bot::i18n::Locales;
use sofia_bot::lang::Lang;
use sofia_bot::staff::cases::{CaseRef, EventKind, Source, Staffer};
use sofia_bot::staff::desk::StaffAct;
use sofia_bot::store::{CaseWrite, Durability, Finish, Store};

/// The chat every transcript talks in.
const CHAT: &str = "transcript";

fn main() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let flows = load_flows(&root.join("dialogs"), Settings::default()).unwrap_or_else(|e| panic!("dialogs: {e:?}"));
    let locales = Locales::load(&root.join("locales")).unwrap_or_else(|e| panic!("locales: {e:?}"));
    let bless = std::env::var("BLESS").is_ok_and(|v| v == "1");
    let filter: Vec<String> = std::env::args().skip(1).filter(|a| !a.starts_with('-')).collect();
    let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().expect("a runtime");

    let mut files = Vec::new();
    collect(&root.join("tests/transcripts"), &mut files);
    files.sort();
    let scratch = tempfile::tempdir().expect("a scratch folder");
    let mut assistant = runtime.block_on(async {
        let store = Store::open(&scratch.path().join("first.db"), Durability::Normal).await.expect("a store");
        Assistant { flows, locales, store, cases: Default::default(), privacy: Default::default() }
    });
    let (mut passed, mut failed) = (0, Vec::new());
    for (n, file) in files.iter().enumerate() {
        let shown = file.strip_prefix(root).unwrap_or(file).display().to_string();
        if !filter.is_empty() && !filter.iter().any(|f| shown.contains(f.as_str())) {
            continue;
        }
        let expected = std::fs::read_to_string(file).unwrap_or_else(|e| panic!("{shown}: {e}"));
        let actual = runtime.block_on(async {
            // A fresh database for each conversation.
            let store =
                Store::open(&scratch.path().join(format!("{n}.db")), Durability::Normal).await.expect("a store");
            std::mem::replace(&mut assistant.store, store).close().await;
            Transcript::new(&assistant, &expected).run(&expected).await
        });
        if actual == expected {
            passed += 1;
        } else if bless {
            std::fs::write(file, &actual).unwrap_or_else(|e| panic!("{shown}: {e}"));
            println!("blessed {shown}");
            passed += 1;
        } else {
            failed.push((shown, side_by_side(&expected, &actual)));
        }
    }
    runtime.block_on(assistant.store.close());
    for (name, diff) in &failed {
        println!("\n--- {name}: expected | actual\n{diff}");
    }
    println!("\ntranscripts: {passed} passed, {} failed", failed.len());
    if !failed.is_empty() {
        println!("(run with BLESS=1 to accept the actual answers, then review the diff)");
        std::process::exit(1);
    }
}

fn collect(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else { return };
    for e in entries.flatten() {
        let p = e.path();
        if p.is_dir() {
            collect(&p, out);
        } else if p.extension().is_some_and(|x| x == "txt") {
            out.push(p);
        }
    }
}

/// One conversation being replayed.
struct Transcript<'a> {
    a: &'a Assistant,
    channel_lang: Option<Lang>,
    now: DateTime<Utc>,
    /// The buttons of every message shown, the latest turn's last: what `> [Label]` presses.
    shown: Vec<Vec<Shown>>,
    out: String,
}

impl<'a> Transcript<'a> {
    fn new(a: &'a Assistant, source: &str) -> Transcript<'a> {
        let channel_lang =
            source.lines().find_map(|l| l.strip_prefix("# telegram-language:")).and_then(|v| Lang::parse(v.trim()));
        Transcript { a, channel_lang, now: epoch(), shown: Vec::new(), out: String::new() }
    }

    /// Replays the script lines and writes the transcript out again with the actual answers.
    async fn run(mut self, source: &str) -> String {
        for line in source.lines() {
            match line.chars().next() {
                Some('<' | '|' | '=' | '!') => continue,
                Some('~') => {
                    self.echo(line);
                    self.now += parse_duration(line[1..].trim()).unwrap_or_else(|| panic!("bad clock line: {line}"));
                }
                Some('>') => {
                    self.echo(line);
                    let typed = line.strip_prefix("> ").or_else(|| line.strip_prefix('>')).unwrap_or_default();
                    self.citizen(typed).await;
                    self.now += Duration::seconds(5);
                }
                Some('@') if line.starts_with("@staff") => {
                    self.echo(line);
                    self.staff(line.trim_start_matches("@staff").trim()).await;
                    self.now += Duration::seconds(5);
                }
                _ => self.echo(line),
            }
        }
        self.out
    }

    fn echo(&mut self, line: &str) {
        self.out.push_str(line);
        self.out.push('\n');
    }

    /// The citizen writes `typed`, or presses the button `[Label]` of a message shown.
    async fn citizen(&mut self, typed: &str) {
        let input = match typed.strip_prefix('[').and_then(|t| t.strip_suffix(']')) {
            Some(label) => match self.button(label) {
                Some(data) => Input::Button { data },
                None => return self.echo(&format!("< (no button \"{label}\" on offer)")),
            },
            None => console::parse_line(typed),
        };
        let a = self.a;
        let channel = console::CHANNEL;
        let prepared = a.prepare(channel, CHAT, input, self.channel_lang, self.now).await.expect("a turn");
        let cases = prepared.record.cases.clone();
        let files: Vec<String> = prepared.files.iter().map(|f| f.name.clone()).collect();
        let (said, _) = a.commit(channel, CHAT, prepared, self.now).await.expect("the turn commits");
        self.say(&said);
        self.cases(&cases);
        if !files.is_empty() {
            self.echo(&format!("! files {}", files.join(" ")));
        }
    }

    /// The newest shown button with this label.
    fn button(&self, label: &str) -> Option<String> {
        self.shown.iter().rev().flatten().find(|b| b.label == label).map(|b| b.data.clone())
    }

    /// A staff member acts on the chat's latest case: `reply TEXT`, `close [NOTE]`, `take`,
    /// `note TEXT`, `reopen`.
    async fn staff(&mut self, command: &str) {
        let (verb, rest) = command.split_once(' ').unwrap_or((command, ""));
        let act = match verb {
            "reply" => StaffAct::Reply(rest.to_string()),
            "close" => StaffAct::Close(Some(rest.to_string()).filter(|n| !n.trim().is_empty())),
            "take" => StaffAct::Take,
            "note" => StaffAct::Note(rest.to_string()),
            "reopen" => StaffAct::Reopen,
            other => panic!("unknown staff action {other:?} (reply, close, take, note, reopen)"),
        };
        let a = self.a;
        let case = a.store.chat_cases(console::CHANNEL, CHAT).await.expect("cases").into_iter().next();
        let Some(case) = case else { return self.echo("! (no case to act on)") };
        let maria = Staffer { id: "staff-1".into(), name: "Мария".into() };
        let handled = a.staff_act(&case, &maria, Source::Console, act, self.now).await.expect("a staff action");
        let cases = handled.cases.clone();
        let mut finish = Finish { at_ms: self.now.timestamp_millis(), ..Finish::default() };
        let (record, said) = a.staff_turn(&case, handled, &mut finish, self.now);
        a.store.finish(Some(record), finish).await.expect("the action commits");
        self.say(&said);
        self.cases(&cases);
    }

    /// Messages to the citizen as `<`, `|` and `=` lines.
    fn say(&mut self, said: &[Outgoing]) {
        for o in said {
            for (i, l) in o.text.lines().enumerate() {
                let mark = if i == 0 { "<" } else { "|" };
                if l.is_empty() { self.echo(mark) } else { self.echo(&format!("{mark} {l}")) }
            }
            for row in &o.buttons {
                let labels: Vec<&str> = row.iter().map(|b| b.label.as_str()).collect();
                self.echo(&format!("= {}", labels.join(" | ")));
            }
            if !o.buttons.is_empty() {
                self.shown.push(o.buttons.iter().flatten().cloned().collect());
            }
        }
    }

    /// What the turn did to cases, as `!` lines: a case opened (with its topic and what was
    /// collected), and every event of its history but the opening itself.
    fn cases(&mut self, writes: &[CaseWrite]) {
        let show = |r: CaseRef| self.a.cases.show(r);
        let mut lines = Vec::new();
        for w in writes {
            match w {
                CaseWrite::Open(c) => {
                    let slots = c.slots.iter().map(|(k, v)| (k.clone(), v.value())).collect();
                    lines.push(format!("! case {} opened {}{}", show(c.reference), c.topic, pairs(&slots)));
                }
                CaseWrite::Event(e) if e.kind == EventKind::Opened => {}
                CaseWrite::Event(e) => {
                    let mut line = format!("! case {} {}", show(e.case), e.kind.code());
                    if e.kind == EventKind::Escalated {
                        let slots: BTreeMap<String, String> =
                            e.body.as_deref().and_then(|b| serde_json::from_str(b).ok()).unwrap_or_default();
                        line.push_str(&pairs(&slots));
                    }
                    if let Some(s) = e.status {
                        line.push_str(&format!(" status={s}"));
                    }
                    lines.push(line);
                }
                CaseWrite::Update(_) => {}
            }
        }
        for l in lines {
            self.echo(&l);
        }
    }
}

/// ` k=v k2="a value"` for each pair.
fn pairs(values: &BTreeMap<String, String>) -> String {
    values.iter().map(|(k, v)| if v.contains(' ') { format!(" {k}=\"{v}\"") } else { format!(" {k}={v}") }).collect()
}

fn parse_duration(s: &str) -> Option<Duration> {
    let (n, unit) = s.split_at(s.find(|c: char| !c.is_ascii_digit())?);
    let n: i64 = n.parse().ok()?;
    match unit.trim() {
        "s" => Some(Duration::seconds(n)),
        "m" => Some(Duration::minutes(n)),
        "h" => Some(Duration::hours(n)),
        "d" => Some(Duration::days(n)),
        _ => None,
    }
}

/// Expected and actual lines next to each other, marking the lines that differ.
fn side_by_side(expected: &str, actual: &str) -> String {
    let e: Vec<&str> = expected.lines().collect();
    let a: Vec<&str> = actual.lines().collect();
    let width = 60;
    let clip = |s: &str| {
        let c: String = s.chars().take(width).collect();
        format!("{c:<width$}")
    };
    (0..e.len().max(a.len()))
        .map(|i| {
            let (x, y) = (e.get(i).copied().unwrap_or(""), a.get(i).copied().unwrap_or(""));
            let mark = if x == y { " " } else { "!" };
            format!("{mark} {} | {}", clip(x), y)
        })
        .collect::<Vec<_>>()
        .join("\n")
}
