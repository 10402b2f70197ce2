//! The loop every channel shares: load the session, read the input, step, render, commit the
//! turn, then hand the replies to the channel to send. A reply leaves only after its turn is
//! committed.

pub mod console;
pub mod telegram;

use chrono::{DateTime, Utc};
use serde::Serialize;

use crate::engine::decide::{Decision, decide};
use crate::engine::{self, Flows, Incoming, Input, Reply, Session, Turn};
use crate::i18n::Locales;
use crate::lang::Lang;
use crate::nlu::normalize::normalize;
use crate::privacy::PrivacySettings;
use crate::privacy::export::DataFile;
use crate::privacy::rights::{FORGET_NO, FORGET_YES};
use crate::staff::cases::{Case, CaseSettings, Status};
use crate::staff::desk::{Asking, Handled, StaffPost, relayable};
use crate::store::{Finish, Line, Outbound, Store, StoreError, TurnRecord};

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

/// The engine, its text, its store and how cases run: what a channel needs to hold
/// conversations.
pub struct Assistant {
    pub flows: Flows,
    pub locales: Locales,
    pub store: Store,
    pub cases: CaseSettings,
    pub privacy: PrivacySettings,
}

/// A turn ready to commit: its rows, what to send the citizen, what to post for staff.
#[derive(Debug, Clone, Default)]
pub struct Prepared {
    pub record: TurnRecord,
    pub out: Vec<Outgoing>,
    pub staff: Vec<StaffPost>,
    /// Files for the citizen (their data, asked for with /mydata).
    pub files: Vec<DataFile>,
}

impl Assistant {
    /// Handles one input from one chat, commits the turn, and returns what to send. Posts
    /// for the staff group go to the outbox for the Telegram service to send, when a staff
    /// group is configured.
    pub async fn handle(
        &self,
        channel: &str,
        chat: &str,
        input: Input,
        channel_lang: Option<Lang>,
        now: DateTime<Utc>,
    ) -> Result<Vec<Outgoing>, StoreError> {
        Ok(self.handle_with_files(channel, chat, input, channel_lang, now).await?.0)
    }

    /// `handle`, also returning the files for the citizen (their data, after /mydata).
    pub async fn handle_with_files(
        &self,
        channel: &str,
        chat: &str,
        input: Input,
        channel_lang: Option<Lang>,
        now: DateTime<Utc>,
    ) -> Result<(Vec<Outgoing>, Vec<DataFile>), StoreError> {
        let prepared = self.prepare(channel, chat, input, channel_lang, now).await?;
        let outbox = self.staff_outbound(&prepared.staff);
        if outbox.is_empty() {
            self.store.commit_turn(prepared.record).await?;
        } else {
            let finish = Finish {
                channel: channel.into(),
                chat: chat.into(),
                at_ms: now.timestamp_millis(),
                outbox,
                external: true,
                ..Finish::default()
            };
            self.store.finish(Some(prepared.record), finish).await?;
        }
        Ok((prepared.out, prepared.files))
    }

    /// The rows and requests of a staff action on a case, added to `finish`: the messages for
    /// the citizen (when on Telegram; a console citizen reads them from the case's events)
    /// and the posts for the staff group.
    pub fn staff_record(&self, case: &Case, handled: Handled, finish: &mut Finish, now: DateTime<Utc>) -> TurnRecord {
        finish.outbox.extend(telegram::staff::citizen_outbound(case, &handled));
        finish.outbox.extend(self.staff_outbound(&handled.staff));
        TurnRecord {
            channel: case.channel.clone(),
            chat: case.chat.clone(),
            at_ms: now.timestamp_millis(),
            session_json: None,
            lines: handled.lines,
            cases: handled.cases,
            ..TurnRecord::default()
        }
    }

    /// Staff posts as outbox rows for the staff group (none without a group).
    pub fn staff_outbound(&self, posts: &[StaffPost]) -> Vec<Outbound> {
        match self.cases.staff_group {
            Some(group) => telegram::render::staff_posts(group, posts)
                .iter()
                .map(|r| Outbound { chat: group.to_string(), payload: r.to_payload() })
                .collect(),
            None => Vec::new(),
        }
    }

    /// Everything `handle` does but the commit: loads the session, steps (or passes the message
    /// to staff, when the citizen's case takes their messages), renders, and returns the rows
    /// to commit with what to send. A channel that must write more in the same transaction
    /// (Telegram's inbox and outbox) commits the record itself.
    pub async fn prepare(
        &self,
        channel: &str,
        chat: &str,
        input: Input,
        channel_lang: Option<Lang>,
        now: DateTime<Utc>,
    ) -> Result<Prepared, StoreError> {
        let session = match self.store.load_session(channel, chat).await? {
            Some(json) => Session::restore(&json),
            None => Session::new(channel_lang.unwrap_or_default()),
        };
        let live = self.store.live_case(channel, chat).await?;
        // A digit after staff asked for a rating is the rating, whatever buttons the
        // assistant offered before.
        let typed = live.as_ref().and_then(|c| typed_rating(c, &input));
        let input = match typed {
            Some(data) => Input::Button { data },
            None => press_typed_button(input, &session, &self.flows, &self.locales),
        };
        let mut handled = Handled::default();
        // What the shell answers itself: a rating, the citizen's cases.
        match &input {
            Input::Button { data } if data.starts_with("v:") => {
                self.rate((channel, chat), data, session.lang, now, &mut handled).await?;
                return Ok(shell_turn(channel, chat, &input, &session, handled, now));
            }
            Input::Command { name, .. } if name == "cases" => {
                self.list_for_citizen(channel, chat, session.lang, &mut handled).await?;
                return Ok(shell_turn(channel, chat, &input, &session, handled, now));
            }
            Input::Command { name, .. } if name == "privacy" => {
                self.privacy_notice(session.lang, &mut handled);
                return Ok(shell_turn(channel, chat, &input, &session, handled, now));
            }
            Input::Command { name, .. } if name == "mydata" => {
                self.my_data(channel, chat, session.lang, now, &mut handled).await?;
                return Ok(shell_turn(channel, chat, &input, &session, handled, now));
            }
            Input::Command { name, .. } if name == "forget" => {
                self.forget_confirm(session.lang, &mut handled);
                return Ok(shell_turn(channel, chat, &input, &session, handled, now));
            }
            Input::Button { data } if data == FORGET_YES => {
                self.forget(channel, chat, session.lang, "citizen", now, &mut handled).await?;
                return Ok(shell_turn(channel, chat, &input, &session, handled, now));
            }
            Input::Button { data } if data == FORGET_NO => {
                self.forget_cancelled(session.lang, &mut handled);
                return Ok(shell_turn(channel, chat, &input, &session, handled, now));
            }
            _ => {}
        }
        // Only while a case takes the citizen's messages: understanding the text here as well
        // would double the work of every other turn.
        if let Some(case) = live.as_ref().filter(|c| c.relay && relayable(&input)) {
            let urgent = self.urgent(&input);
            if !urgent && !self.small_talk_after_close(case, &input) {
                self.relay(case, &input, now, &mut handled).await?;
                return Ok(shell_turn(channel, chat, &input, &session, handled, now));
            }
            if urgent {
                // An emergency gets the assistant's answer at once, and staff see it too.
                handled.staff.extend(self.relay_copy(case, &input));
            }
        }
        let incoming = Incoming { input, channel_lang };
        let (turn, mut out) = respond(&self.flows, &self.locales, session, &incoming, now);
        let mut record = record_turn(channel, chat, &incoming.input, &turn, &out, now);
        if let Some(case) = live.as_ref().filter(|c| c.relay && !relayable(&incoming.input) && turn.effects.is_empty())
        {
            self.back_to_bot(case, now, &mut handled);
        }
        handled.lines = std::mem::take(&mut record.lines);
        let said = match &incoming.input {
            Input::Text { text } => Some(text.as_str()),
            _ => None,
        };
        for effect in &turn.effects {
            let engine::Effect::Escalate { reply, .. } = effect;
            let from = Asking { channel, chat, lang: turn.session.lang, live: live.as_ref(), said };
            let add = self.escalate(&from, effect, now, &mut handled).await?;
            if let Some(o) = out.get_mut(*reply) {
                o.text = format!("{}\n\n{add}", o.text);
                // The transcript's first line is the citizen's; the replies follow in order.
                if let Some(line) = handled.lines.get_mut(1 + reply) {
                    line.body = o.text.clone();
                }
            }
        }
        record.lines = handled.lines;
        record.cases = handled.cases;
        out.extend(handled.citizen);
        Ok(Prepared { record, out, staff: handled.staff, files: Vec::new() })
    }

    /// An emergency that the assistant must answer even while staff hold the conversation.
    fn urgent(&self, input: &Input) -> bool {
        match input {
            Input::Text { text } => self.flows.classifier.understand(text).guard.is_some(),
            _ => false,
        }
    }

    /// A "thank you" or "bye" after staff closed the case is for the assistant: it must not
    /// reopen the case.
    fn small_talk_after_close(&self, case: &Case, input: &Input) -> bool {
        let Input::Text { text } = input else { return false };
        if case.status != Status::Resolved {
            return false;
        }
        let u = self.flows.classifier.understand(text);
        match decide(&self.flows, &u) {
            Decision::Answer { intent, .. } => self.flows.intent(intent).0.topic == "general",
            _ => false,
        }
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
    TurnRecord {
        channel: channel.into(),
        chat: chat.into(),
        at_ms,
        session_json: Some(turn.session.to_json()),
        lines,
        ..TurnRecord::default()
    }
}

/// A turn the shell answered itself (a case's message, a rating, /cases): the session stays
/// as it was; the transcript gets the input and the replies.
fn shell_turn(
    channel: &str,
    chat: &str,
    input: &Input,
    session: &Session,
    handled: Handled,
    now: DateTime<Utc>,
) -> Prepared {
    let at_ms = now.timestamp_millis();
    let lang = session.lang.code().to_string();
    let (kind, body) = describe(input);
    let mut lines =
        vec![Line { at_ms, incoming: true, lang: lang.clone(), kind: kind.into(), body, ..Line::default() }];
    lines.extend(handled.lines);
    lines.extend(handled.citizen.iter().map(|o| Line {
        at_ms,
        incoming: false,
        lang: lang.clone(),
        kind: "text".into(),
        body: o.text.clone(),
        ..Line::default()
    }));
    let record = TurnRecord {
        channel: channel.into(),
        chat: chat.into(),
        at_ms,
        session_json: None,
        lines,
        cases: handled.cases,
        erase: handled.erase,
        audit: handled.audit,
    };
    Prepared { record, out: handled.citizen, staff: handled.staff, files: handled.files }
}

/// A rating typed as a digit, 1 to 5, after staff closed the case and asked for one: the data
/// of the button it stands for.
fn typed_rating(case: &Case, input: &Input) -> Option<String> {
    let Input::Text { text } = input else { return None };
    let n: u8 = text.trim().parse().ok().filter(|n| (1..=5).contains(n))?;
    (case.status == Status::Resolved && case.rating.is_none()).then(|| format!("v:{}:{n}", case.id()))
}

/// The kind and the stored body of an input.
pub(crate) fn describe(input: &Input) -> (&'static str, String) {
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
