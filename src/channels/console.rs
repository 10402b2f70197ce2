//! The console channel: the same engine and store, in a terminal or a pipe, no token needed.
//!
//! In a terminal it shows buttons numbered; from a pipe it reads one message per line.
//! `--json` prints one JSON object per assistant message.

use std::io::IsTerminal;

use anyhow::Context;
use serde::Serialize;
use tokio::io::{AsyncBufReadExt, BufReader};

use super::{Assistant, Outgoing};
use crate::engine::Input;
use crate::lang::Lang;

pub const CHANNEL: &str = "console";

/// Reads what a console line stands for: a command, `@location LAT LON`, `@photo`, a named
/// unsupported kind (`@sticker`, `@voice`, ...), `@contact PHONE`, or text.
pub fn parse_line(line: &str) -> Input {
    let trimmed = line.trim();
    if let Some(rest) = trimmed.strip_prefix('@') {
        let mut words = rest.split_whitespace();
        match words.next() {
            Some("location") => {
                let lat = words.next().and_then(|w| w.parse().ok());
                let lon = words.next().and_then(|w| w.parse().ok());
                if let (Some(lat), Some(lon)) = (lat, lon) {
                    return Input::Location { lat, lon };
                }
            }
            Some("photo") => return Input::Photo { file_id: words.next().unwrap_or("console-photo").to_string() },
            Some("contact") => return Input::Contact { phone: words.collect::<Vec<_>>().join(" ") },
            Some(kind @ ("sticker" | "voice" | "video" | "document" | "audio" | "animation" | "poll")) => {
                return Input::Unsupported { what: kind.to_string() };
            }
            _ => {}
        }
    }
    Input::from_text(line)
}

#[derive(Serialize)]
struct JsonMessage<'a> {
    text: &'a str,
    buttons: Vec<&'a str>,
    lang: Lang,
    flow: Option<&'a str>,
    step: Option<&'a str>,
    area: &'a str,
    /// Only acknowledges a message passed on to staff (Telegram shows a reaction instead).
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    ack: bool,
}

/// Talks with one citizen (`user`) until the input ends.
pub async fn run(
    assistant: &Assistant,
    user: &str,
    lang: Option<Lang>,
    json: bool,
    data_dir: &std::path::Path,
) -> anyhow::Result<()> {
    let interactive = std::io::stdin().is_terminal() && !json;
    let mut lines = BufReader::new(tokio::io::stdin()).lines();
    if interactive {
        eprintln!("sofia-bot chat: write a message, or a command such as /start, /menu, /language.");
        eprintln!("Press a button by typing its number or its label. Ctrl-D ends.");
    }
    // Answers from staff (given from the command line, the staff group or the web console)
    // are shown as they arrive.
    let mut seen = assistant.store.last_line_id().await?;
    let mut poll = tokio::time::interval(std::time::Duration::from_secs(1));
    loop {
        if interactive {
            eprint!("> ");
        }
        let line = loop {
            tokio::select! {
                line = lines.next_line() => break line.context("reading standard input")?,
                _ = poll.tick() => {
                    for (id, text) in assistant.store.staff_lines_after(CHANNEL, user, seen).await? {
                        seen = seen.max(id);
                        if json {
                            println!("{}", serde_json::json!({"text": text, "from": "staff", "flow": "cases", "area": "human"}));
                        } else {
                            println!("\n{text}\n");
                        }
                    }
                }
            }
        };
        let Some(line) = line else { break };
        let input = parse_line(&line);
        let (out, files) = assistant.handle_with_files(CHANNEL, user, input, lang, chrono::Utc::now()).await?;
        // The citizen's data (/mydata) is written beside the database, as Telegram would send
        // it as files.
        for f in &files {
            let path = data_dir.join(format!("sofia-data-{}-{}", safe(user), f.name));
            std::fs::write(&path, &f.content).with_context(|| format!("writing {}", path.display()))?;
            let lang = out.first().map_or(Lang::default(), |o| o.lang);
            let shown = path.display().to_string();
            let msg = crate::engine::Msg {
                id: "mydata-console".into(),
                args: vec![("path".into(), crate::engine::Arg::Text(shown))],
            };
            eprintln!("{}", assistant.locales.render(lang, &msg));
        }
        // Buttons are numbered across the whole turn, as the session remembers them.
        let mut n = 0;
        for o in &out {
            if json {
                println!("{}", serde_json::to_string(&to_json(o))?);
            } else {
                print_message(o, &mut n);
            }
        }
    }
    Ok(())
}

/// A user id fit for a file name.
fn safe(user: &str) -> String {
    user.chars().map(|c| if c.is_ascii_alphanumeric() || c == '-' || c == '_' { c } else { '_' }).take(40).collect()
}

fn to_json(o: &Outgoing) -> JsonMessage<'_> {
    JsonMessage {
        text: &o.text,
        buttons: o.buttons.iter().flatten().map(|b| b.label.as_str()).collect(),
        lang: o.lang,
        flow: o.flow.as_deref(),
        step: o.step.as_deref(),
        area: &o.area,
        ack: o.ack,
    }
}

fn print_message(o: &Outgoing, n: &mut usize) {
    println!("{}", o.text);
    for row in &o.buttons {
        let labels: Vec<String> = row
            .iter()
            .map(|b| {
                *n += 1;
                format!("[{n}] {}", b.label)
            })
            .collect();
        println!("    {}", labels.join("   "));
    }
    println!();
}
