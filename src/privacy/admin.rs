//! The data protection side of the command line: the purge, a citizen's data found, exported
//! or erased for a request received by other means, and the "not understood" list with
//! personal numbers masked. Exports and erasures are audit entries.

use std::process::ExitCode;

use anyhow::{Context, bail};
use chrono::Utc;

use super::redact::{PublicNumbers, redact};
use super::rights::audit;
use crate::assistant::Assistant;
use crate::lang::Lang;
use crate::staff::desk::Handled;
use crate::store::{Purged, TurnRecord};

/// Rows of a table deleted per transaction by the purge.
pub(crate) const PURGE_BATCH: i64 = 500;

/// `sofia-bot purge [--dry-run]`: what is past its time, counted or removed.
pub(crate) async fn purge(a: &Assistant, dry_run: bool) -> anyhow::Result<ExitCode> {
    let cutoffs = a.privacy.retention.cutoffs(Utc::now());
    let p = if dry_run { a.store.purge_counts(cutoffs).await? } else { a.store.purge(cutoffs, PURGE_BATCH).await? };
    print!("{}", report(&p, dry_run));
    Ok(ExitCode::SUCCESS)
}

/// A purge's counts, one line per kind of row.
pub(crate) fn report(p: &Purged, dry_run: bool) -> String {
    let verb = if dry_run { "would remove" } else { "removed" };
    let mut out = format!("{verb} {} rows\n", p.total());
    for (name, n) in [
        ("conversation messages", p.transcript),
        ("sessions", p.sessions),
        ("chats", p.chats),
        ("cases", p.cases),
        ("case events", p.case_events),
        ("audit entries", p.audit),
        ("Telegram updates", p.inbox),
        ("Telegram requests", p.outbox),
    ] {
        out.push_str(&format!("  {name}: {n}\n"));
    }
    out
}

/// `channel:chat`, as the command line takes a citizen.
fn parse_chat(text: &str) -> anyhow::Result<(String, String)> {
    match text.split_once(':') {
        Some((channel, chat)) if !channel.is_empty() && !chat.is_empty() => Ok((channel.into(), chat.into())),
        _ => bail!("give the citizen as CHANNEL:CHAT, like telegram:123456789"),
    }
}

fn actor(name: Option<String>) -> String {
    let name = name.or_else(|| std::env::var("USER").ok()).filter(|n| !n.trim().is_empty());
    format!("cli:{}", name.unwrap_or_else(|| "staff".into()))
}

/// `sofia-bot data find CHANNEL:CHAT`: what is kept about a citizen, counted.
pub(crate) async fn find(a: &Assistant, chat: &str) -> anyhow::Result<ExitCode> {
    let (channel, chat) = parse_chat(chat)?;
    let lines = a.store.transcript(&channel, &chat).await?.len();
    let cases = a.store.chat_cases(&channel, &chat).await?;
    let session = a.store.load_session(&channel, &chat).await?.is_some();
    println!(
        "{channel}:{chat}: {lines} messages, {} cases, session: {}",
        cases.len(),
        if session { "yes" } else { "no" }
    );
    for c in cases {
        println!("  {} {}", a.cases.show(c.reference), c.status);
    }
    Ok(ExitCode::SUCCESS)
}

/// `sofia-bot data export CHANNEL:CHAT --out DIR`: the citizen's files, as /mydata makes them.
pub(crate) async fn export(
    a: &Assistant,
    chat: &str,
    out: &std::path::Path,
    name: Option<String>,
) -> anyhow::Result<ExitCode> {
    let (channel, chat) = parse_chat(chat)?;
    let now = Utc::now();
    let Some(files) = super::export::export(a, &channel, &chat, Lang::Bg, now).await? else {
        println!("nothing is kept about {channel}:{chat}");
        return Ok(ExitCode::SUCCESS);
    };
    std::fs::create_dir_all(out).with_context(|| format!("creating {}", out.display()))?;
    for f in &files {
        let path = out.join(&f.name);
        std::fs::write(&path, &f.content).with_context(|| format!("writing {}", path.display()))?;
        println!("{}", path.display());
    }
    let entry = audit(now, &actor(name), "export", &channel, &chat, &format!("{} files", files.len()));
    let record = TurnRecord { at_ms: now.timestamp_millis(), audit: vec![entry], ..TurnRecord::default() };
    a.store.commit_turn(record).await?;
    Ok(ExitCode::SUCCESS)
}

/// `sofia-bot data erase CHANNEL:CHAT`: erases as /forget does.
pub(crate) async fn erase(a: &Assistant, chat: &str, name: Option<String>) -> anyhow::Result<ExitCode> {
    let (channel, chat) = parse_chat(chat)?;
    let now = Utc::now();
    let mut handled = Handled::default();
    a.forget(&channel, &chat, Lang::Bg, &actor(name), now, &mut handled).await?;
    let detail = handled.audit.first().map(|e| e.detail.clone()).unwrap_or_default();
    let record = TurnRecord {
        channel: channel.clone(),
        chat: chat.clone(),
        at_ms: now.timestamp_millis(),
        erase: handled.erase,
        audit: handled.audit,
        ..TurnRecord::default()
    };
    a.store.commit_turn(record).await?;
    println!("{channel}:{chat}: {detail}");
    Ok(ExitCode::SUCCESS)
}

/// `sofia-bot missed`: the questions the assistant did not understand most often, with
/// personal numbers, phones, e-mail addresses and cards masked.
pub(crate) async fn missed(a: &Assistant, limit: i64) -> anyhow::Result<ExitCode> {
    let public = PublicNumbers::new(a.locales.facts.numbers());
    for (text, n) in a.store.missed_texts(limit).await? {
        let one_line = text.split_whitespace().collect::<Vec<_>>().join(" ");
        println!("{n:>5}  {}", redact(&one_line, &public));
    }
    Ok(ExitCode::SUCCESS)
}

/// `sofia-bot data audit`: every export and erasure, oldest first.
pub(crate) async fn audit_log(a: &Assistant) -> anyhow::Result<ExitCode> {
    for e in a.store.audit_log().await? {
        let at = chrono::DateTime::<Utc>::from_timestamp_millis(e.at_ms).unwrap_or_default();
        println!("{} {} {} {}: {}", at.format("%Y-%m-%d %H:%M UTC"), e.actor, e.action, e.subject, e.detail);
    }
    Ok(ExitCode::SUCCESS)
}
