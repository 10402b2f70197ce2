//! `sofia-bot cases ...`: cases from the command line, for a city without a staff group, or
//! beside one. Answers go to the outbox marked as written elsewhere: a running service picks
//! them up within seconds, or sends them when it next starts.

use std::process::ExitCode;

use anyhow::{Context, bail};
use chrono::{DateTime, Utc};

use super::cases::{Actor, Case, CaseRef, Source, Staffer, Status};
use super::desk::StaffAct;
use crate::assistant::Assistant;
use crate::store::{CaseFilter, Finish};

/// What to do, as the command line read it.
#[derive(Debug, Clone, PartialEq)]
pub enum Action {
    List { status: Option<String>, open: bool },
    Show { reference: String },
    Reply { reference: String, text: String, name: Option<String> },
    Close { reference: String, note: Option<String>, name: Option<String> },
    Take { reference: String, name: Option<String> },
    Reopen { reference: String, name: Option<String> },
    Note { reference: String, text: String, name: Option<String> },
}

pub async fn run(assistant: &Assistant, action: Action) -> anyhow::Result<ExitCode> {
    let now = Utc::now();
    let (reference, name, act) = match action {
        Action::List { status, open } => {
            let status = match status {
                Some(s) => Some(Status::parse(&s).with_context(|| {
                    format!("{s:?} is not a status: new, assigned, waiting, resolved, closed, reopened")
                })?),
                None => None,
            };
            let cases = assistant.store.cases(&CaseFilter { status, open_only: open, limit: None }).await?;
            print!("{}", list(assistant, &cases, now));
            return Ok(ExitCode::SUCCESS);
        }
        Action::Show { reference } => {
            let case = find(assistant, &reference).await?;
            print!("{}", show(assistant, &case).await?);
            return Ok(ExitCode::SUCCESS);
        }
        Action::Reply { reference, text, name } => {
            if text.trim().is_empty() {
                bail!("the answer is empty");
            }
            (reference, name, StaffAct::Reply(text))
        }
        Action::Close { reference, note, name } => (reference, name, StaffAct::Close(note)),
        Action::Take { reference, name } => (reference, name, StaffAct::Take),
        Action::Reopen { reference, name } => (reference, name, StaffAct::Reopen),
        Action::Note { reference, text, name } => (reference, name, StaffAct::Note(text)),
    };
    let case = find(assistant, &reference).await?;
    let who = staffer(name);
    let handled = assistant.staff_act(&case, &who, Source::Cli, act, now).await?;
    if handled.cases.is_empty() {
        bail!("{} is {}: nothing done", assistant.cases.show(case.reference), case.status);
    }
    let mut finish = Finish { at_ms: now.timestamp_millis(), external: true, ..Finish::default() };
    let record = assistant.staff_record(&case, handled, &mut finish, now);
    assistant.store.finish(Some(record), finish).await?;
    let after = assistant.store.case(case.reference).await?.context("the case is gone")?;
    println!("{}: {}", assistant.cases.show(after.reference), after.status);
    Ok(ExitCode::SUCCESS)
}

async fn find(assistant: &Assistant, reference: &str) -> anyhow::Result<Case> {
    let r = CaseRef::parse(reference)
        .with_context(|| format!("{reference:?} is not a case reference like SOF-2026-000123"))?;
    assistant.store.case(r).await?.with_context(|| format!("there is no case {reference}"))
}

/// Who acts from the command line: `--as NAME`, else the login name.
fn staffer(name: Option<String>) -> Staffer {
    let name =
        name.or_else(|| std::env::var("USER").ok()).filter(|n| !n.trim().is_empty()).unwrap_or_else(|| "staff".into());
    Staffer { id: format!("cli:{name}"), name }
}

fn time(a: &Assistant, ms: i64) -> String {
    let at = DateTime::<Utc>::from_timestamp_millis(ms).unwrap_or_default();
    a.locales.calendar.local_time(at).format("%Y-%m-%d %H:%M").to_string()
}

/// One line per case.
pub fn list(assistant: &Assistant, cases: &[Case], now: DateTime<Utc>) -> String {
    if cases.is_empty() {
        return "no cases\n".into();
    }
    let mut out = String::new();
    for c in cases {
        let overdue = if c.is_overdue(now.timestamp_millis()) { " OVERDUE" } else { "" };
        let who = c.assignee.as_ref().map_or(String::new(), |a| format!(" ({})", a.name));
        out.push_str(&format!(
            "{}  {:<8} {:<10} {:<3} due {}{overdue}{who}  {}\n",
            assistant.cases.show(c.reference),
            c.status.code(),
            c.topic,
            c.lang.code(),
            time(assistant, c.due_ms),
            c.summary.chars().take(60).collect::<String>(),
        ));
    }
    out
}

/// A case in full: its details, its conversation and its history.
pub async fn show(assistant: &Assistant, c: &Case) -> anyhow::Result<String> {
    let settings = &assistant.cases;
    let mut out = format!(
        "{}\nstatus: {}\ntopic: {}\nlanguage: {}\ndistrict: {}\nopened: {}\ndue: {}\nchat: {}:{}\n",
        settings.show(c.reference),
        c.status,
        c.topic,
        c.lang.code(),
        c.district.as_deref().unwrap_or("-"),
        time(assistant, c.opened_ms),
        time(assistant, c.due_ms),
        c.channel,
        c.chat,
    );
    if let Some(a) = &c.assignee {
        out.push_str(&format!("taken by: {}\n", a.name));
    }
    if let Some(r) = c.rating {
        out.push_str(&format!("rating: {r}/5\n"));
    }
    if !c.slots.is_empty() {
        out.push_str("\ncollected:\n");
        for (k, v) in &c.slots {
            out.push_str(&format!("  {k}: {}\n", v.value()));
        }
    }
    out.push_str("\nconversation:\n");
    for l in assistant.store.transcript(&c.channel, &c.chat).await? {
        let who = match (l.incoming, l.kind.as_str()) {
            (true, _) => "citizen",
            (false, "staff") => "staff",
            _ => "bot",
        };
        out.push_str(&format!("  {} {who}: {}\n", time(assistant, l.at_ms), l.body.replace('\n', "\n      ")));
    }
    out.push_str("\nhistory:\n");
    for e in assistant.store.case_events(c.reference).await? {
        let who = match &e.actor {
            Actor::Staff(s) => format!("staff {} ({})", s.name, s.id),
            other => other.code().to_string(),
        };
        let status = e.status.map_or(String::new(), |s| format!(" -> {s}"));
        let body = e.body.map_or(String::new(), |b| format!(": {}", b.replace('\n', " ")));
        out.push_str(&format!(
            "  {} {} by {who} via {}{status}{body}\n",
            time(assistant, e.at_ms),
            e.kind.code(),
            e.source.code()
        ));
    }
    Ok(out)
}
