//! Runs every conversation in `tests/transcripts/**/*.txt` against the real `dialogs/` and
//! `locales/`, in-process, and reports every failing file at once with expected and actual
//! side by side. `BLESS=1` rewrites the expected lines. A name given on the command line
//! (`cargo test --test transcripts -- housing`) runs only the files whose path contains it.
//! The format is described in `tests/transcripts/README.md`.

use std::path::{Path, PathBuf};

use chrono::{DateTime, Duration, Utc};
use sofia_bot::channels::{Outgoing, console, press_typed_button, respond};
use sofia_bot::engine::{Effect, Flows, Incoming, Input, Session, Settings, epoch, load_flows};
use sofia_bot::i18n::Locales;
use sofia_bot::lang::Lang;

fn main() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let flows = load_flows(&root.join("dialogs"), Settings::default()).unwrap_or_else(|e| panic!("dialogs: {e:?}"));
    let locales = Locales::load(&root.join("locales")).unwrap_or_else(|e| panic!("locales: {e:?}"));
    let bless = std::env::var("BLESS").is_ok_and(|v| v == "1");
    let filter: Vec<String> = std::env::args().skip(1).filter(|a| !a.starts_with('-')).collect();

    let mut files = Vec::new();
    collect(&root.join("tests/transcripts"), &mut files);
    files.sort();
    let (mut passed, mut failed) = (0, Vec::new());
    for file in files {
        let shown = file.strip_prefix(root).unwrap_or(&file).display().to_string();
        if !filter.is_empty() && !filter.iter().any(|f| shown.contains(f.as_str())) {
            continue;
        }
        let expected = std::fs::read_to_string(&file).unwrap_or_else(|e| panic!("{shown}: {e}"));
        let actual = run(&flows, &locales, &expected);
        if actual == expected {
            passed += 1;
        } else if bless {
            std::fs::write(&file, &actual).unwrap_or_else(|e| panic!("{shown}: {e}"));
            println!("blessed {shown}");
            passed += 1;
        } else {
            failed.push((shown, side_by_side(&expected, &actual)));
        }
    }
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

/// Replays the script lines of a transcript and writes it out again with the actual answers.
fn run(flows: &Flows, locales: &Locales, source: &str) -> String {
    let channel_lang =
        source.lines().find_map(|l| l.strip_prefix("# telegram-language:")).and_then(|v| Lang::parse(v.trim()));
    let mut session = Session::new(channel_lang.unwrap_or_default());
    let mut now: DateTime<Utc> = epoch();
    let mut out = String::new();
    for line in source.lines() {
        match line.chars().next() {
            Some('<' | '|' | '=' | '!') => continue,
            Some('~') => {
                out.push_str(line);
                out.push('\n');
                now += parse_duration(line[1..].trim()).unwrap_or_else(|| panic!("bad clock line: {line}"));
            }
            Some('>') => {
                out.push_str(line);
                out.push('\n');
                let typed = line.strip_prefix("> ").or_else(|| line.strip_prefix('>')).unwrap_or_default();
                let input = match typed.strip_prefix('[').and_then(|t| t.strip_suffix(']')) {
                    Some(label) => match find_button(&session, locales, label) {
                        Some(data) => Input::Button { data },
                        None => {
                            out.push_str(&format!("< (no button \"{label}\" on offer)\n"));
                            continue;
                        }
                    },
                    None => press_typed_button(console::parse_line(typed), &session, flows, locales),
                };
                let incoming = Incoming { input, channel_lang };
                let (turn, said) = respond(flows, locales, session, &incoming, now);
                write_said(&mut out, &said);
                for Effect::Escalate { topic, slots, .. } in &turn.effects {
                    let mut l = format!("! escalate {topic}");
                    for (k, v) in slots {
                        let v = v.value();
                        if v.contains(' ') { l += &format!(" {k}=\"{v}\"") } else { l += &format!(" {k}={v}") }
                    }
                    out.push_str(&l);
                    out.push('\n');
                }
                session = turn.session;
                now += Duration::seconds(5);
            }
            _ => {
                out.push_str(line);
                out.push('\n');
            }
        }
    }
    out
}

fn find_button(session: &Session, locales: &Locales, label: &str) -> Option<String> {
    session.offered.iter().find(|b| locales.render(session.lang, &b.label) == label).map(|b| b.data.clone())
}

fn write_said(out: &mut String, said: &[Outgoing]) {
    for o in said {
        for (i, l) in o.text.lines().enumerate() {
            let mark = if i == 0 { "<" } else { "|" };
            if l.is_empty() {
                out.push_str(mark)
            } else {
                out.push_str(&format!("{mark} {l}"))
            }
            out.push('\n');
        }
        for row in &o.buttons {
            let labels: Vec<&str> = row.iter().map(|b| b.label.as_str()).collect();
            out.push_str(&format!("= {}\n", labels.join(" | ")));
        }
    }
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
