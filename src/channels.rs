//! The loop every channel shares: load the session, read the input, step, render, commit the
//! turn, then hand the replies to the channel to send. A reply leaves only after its turn is
//! committed.

pub mod console;
pub mod telegram;

use chrono::{DateTime, Utc};
use serde::Serialize;

use crate::engine::{self, Effect, Flows, Incoming, Input, Reply, Session, Turn};
use crate::i18n::Locales;
use crate::lang::Lang;
use crate::nlu::normalize::normalize;
use crate::store::{Escalation, Line, Store, StoreError, TurnRecord};

/// A message rendered in the citizen's language, ready for any channel.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Outgoing {
    pub text: String,
    pub buttons: Vec<Vec<Shown>>,
    pub lang: Lang,
    pub flow: Option<String>,
    pub step: Option<String>,
}

/// A button as shown: its label in the citizen's language and its data.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Shown {
    pub label: String,
    pub data: String,
}

/// The engine, its text and its store: what a channel needs to hold conversations.
pub struct Assistant {
    pub flows: Flows,
    pub locales: Locales,
    pub store: Store,
}

impl Assistant {
    /// Handles one input from one chat, commits the turn, and returns what to send.
    pub async fn handle(
        &self,
        channel: &str,
        chat: &str,
        input: Input,
        channel_lang: Option<Lang>,
        now: DateTime<Utc>,
    ) -> Result<Vec<Outgoing>, StoreError> {
        let (record, out) = self.prepare(channel, chat, input, channel_lang, now).await?;
        self.store.commit_turn(record).await?;
        Ok(out)
    }

    /// Everything `handle` does but the commit: loads the session, steps, renders, and returns
    /// the rows to commit with what to send. A channel that must write more in the same
    /// transaction (Telegram's inbox and outbox) commits the record itself.
    pub async fn prepare(
        &self,
        channel: &str,
        chat: &str,
        input: Input,
        channel_lang: Option<Lang>,
        now: DateTime<Utc>,
    ) -> Result<(TurnRecord, Vec<Outgoing>), StoreError> {
        let session = match self.store.load_session(channel, chat).await? {
            Some(json) => Session::restore(&json),
            None => Session::new(channel_lang.unwrap_or_default()),
        };
        let input = press_typed_button(input, &session, &self.flows, &self.locales);
        let incoming = Incoming { input, channel_lang };
        let (turn, out) = respond(&self.flows, &self.locales, session, &incoming, now);
        let record = record_turn(channel, chat, &incoming.input, &turn, &out, now);
        Ok((record, out))
    }
}

/// Where the session waits, as (flow, step), for what is shown and stored beside a message.
fn position(session: &Session) -> (Option<String>, Option<String>) {
    match &session.at {
        Some(t) => (Some(t.flow.clone()), Some(t.step.clone())),
        None => (None, None),
    }
}

/// One step and its rendering, without any IO: the transcript tests and the benchmarks call it.
pub fn respond(
    flows: &Flows,
    locales: &Locales,
    session: Session,
    incoming: &Incoming,
    now: DateTime<Utc>,
) -> (Turn, Vec<Outgoing>) {
    let turn = engine::step(flows, session, incoming, now);
    let out = render(locales, &turn);
    (turn, out)
}

/// Renders a turn's replies in the session's language.
pub fn render(locales: &Locales, turn: &Turn) -> Vec<Outgoing> {
    let lang = turn.session.lang;
    let (flow, step) = position(&turn.session);
    turn.replies
        .iter()
        .map(|Reply { text, buttons }| Outgoing {
            text: locales.render(lang, text),
            buttons: buttons
                .iter()
                .map(|row| {
                    row.iter().map(|b| Shown { label: locales.render(lang, &b.label), data: b.data.clone() }).collect()
                })
                .collect(),
            lang,
            flow: flow.clone(),
            step: step.clone(),
        })
        .collect()
}

/// Longer than any button label.
const MAX_LABEL_CHARS: usize = 64;

/// A typed text that is exactly the label of a button on offer presses that button; so does
/// its number (1, 2, ...) when no question is open (a question may want a number itself).
pub fn press_typed_button(input: Input, session: &Session, flows: &Flows, locales: &Locales) -> Input {
    let Input::Text { text } = &input else { return input };
    // Labels are a few words: a longer text is a question, and rendering every label to
    // compare with it would be wasted work on every message.
    if session.offered.is_empty() || text.chars().count() > MAX_LABEL_CHARS {
        return input;
    }
    let typed = normalize(text);
    if typed.is_empty() {
        return input;
    }
    let label_of = |b: &engine::Button| normalize(&locales.render(session.lang, &b.label));
    if let Some(b) = session.offered.iter().find(|b| label_of(b) == typed) {
        return Input::Button { data: b.data.clone() };
    }
    if let Ok(n) = typed.parse::<usize>() {
        let asking = session
            .at
            .as_ref()
            .and_then(|t| flows.step_at(t))
            .is_some_and(|s| matches!(s.kind, engine::StepKind::Ask(_)));
        if !asking && n >= 1 && n <= session.offered.len() {
            return Input::Button { data: session.offered[n - 1].data.clone() };
        }
    }
    input
}

/// The rows a turn adds: the citizen's input, every reply, every escalation.
fn record_turn(
    channel: &str,
    chat: &str,
    input: &Input,
    turn: &Turn,
    out: &[Outgoing],
    now: DateTime<Utc>,
) -> TurnRecord {
    let at_ms = now.timestamp_millis();
    let lang = turn.session.lang.code().to_string();
    let (flow, step) = position(&turn.session);
    let (kind, body) = describe(input);
    let understood = turn.understood.clone().unwrap_or_default();
    let mut lines = vec![Line {
        at_ms,
        incoming: true,
        lang: lang.clone(),
        flow: flow.clone(),
        step: step.clone(),
        kind: kind.to_string(),
        body,
        intent: understood.intent,
        score: turn.understood.as_ref().map(|u| u.score),
        missed: understood.missed,
    }];
    lines.extend(out.iter().map(|o| Line {
        at_ms,
        incoming: false,
        lang: lang.clone(),
        flow: flow.clone(),
        step: step.clone(),
        kind: "text".into(),
        body: o.text.clone(),
        ..Line::default()
    }));
    let escalations = turn
        .effects
        .iter()
        .map(|Effect::Escalate { flow, topic, reason, slots }| Escalation {
            at_ms,
            channel: channel.to_string(),
            chat: chat.to_string(),
            lang: lang.clone(),
            flow: flow.clone(),
            topic: topic.clone(),
            reason: reason.clone(),
            slots: serde_json::to_string(slots).unwrap_or_else(|_| "{}".into()),
            ..Escalation::default()
        })
        .collect();
    TurnRecord {
        channel: channel.into(),
        chat: chat.into(),
        at_ms,
        session_json: turn.session.to_json(),
        lines,
        escalations,
    }
}

/// The kind and the stored body of an input.
fn describe(input: &Input) -> (&'static str, String) {
    match input {
        Input::Text { text } => ("text", text.clone()),
        Input::Command { name, arg } => ("command", format!("/{name} {arg}").trim_end().to_string()),
        Input::Button { data } => ("button", data.clone()),
        Input::Location { lat, lon } => ("location", format!("{lat},{lon}")),
        Input::Photo { file_id } => ("photo", file_id.clone()),
        Input::Contact { phone } => ("contact", phone.clone()),
        Input::Unsupported { what } => ("unsupported", what.clone()),
    }
}
