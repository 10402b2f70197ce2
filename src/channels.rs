//! The loop every channel shares: load the session, read the input, step (or answer in the
//! shell: cases, privacy, ratings), render, commit the turn, then hand the replies to the
//! channel to send. A reply leaves only after its turn is committed.
//!
//! Everything the citizen is told is a draft (`assistant::Draft`: message ids and arguments,
//! buttons with typed actions), rendered once; turns the shell answers set the buttons on
//! offer just as the engine's do, so typing a label or a number presses them in every
//! channel. While a case takes the citizen's messages, `staff::relay` decides where each one
//! goes.

pub mod console;
pub mod telegram;

use chrono::{DateTime, Utc};

use crate::assistant::{Assistant, Outgoing, describe, offered, press_typed_button, render, render_msgs, typed_rating};
use crate::engine::action::Action;
use crate::engine::{self, Incoming, Input, Session, Turn};
use crate::lang::Lang;
use crate::privacy::export::DataFile;
use crate::staff::cases::Case;
use crate::staff::desk::{Asking, Handled, StaffPost, staff_line};
use crate::staff::relay::{Route, relayable};
use crate::store::{Finish, Line, Outbound, StoreError, TurnRecord};

/// The messages the shell says itself (to citizens and in the staff group), beside the
/// engine's (`engine::CORE_MESSAGES`); every locale must have each of them.
pub const SHELL_MESSAGES: &[&str] = &[
    // Telegram's command menu (channels::telegram::render::COMMANDS).
    "cmd-start",
    "cmd-menu",
    "cmd-help",
    "cmd-language",
    "cmd-human",
    "cmd-cases",
    "cmd-privacy",
    "cmd-mydata",
    "cmd-forget",
    "cmd-cancel",
    "cmd-reset",
    "btn-menu",
    "btn-human",
    "btn-forget-yes",
    "btn-forget-no",
    "btn-rate-1",
    "btn-rate-2",
    "btn-rate-3",
    "btn-rate-4",
    "btn-rate-5",
    "case-opened",
    "case-due",
    "case-out-of-hours",
    "case-when",
    "case-already-open",
    "case-relayed",
    "case-passed-on",
    "case-still-open",
    "case-staff-reply",
    "case-staff-attachment",
    "case-closed",
    "case-closed-note",
    "case-rated",
    "case-rating-late",
    "case-reopened",
    "case-followup",
    "cases-none",
    "cases-list",
    "cases-item",
    "privacy-notice",
    "privacy-contact-staff",
    "mydata-ready",
    "mydata-empty",
    "mydata-console",
    "forget-confirm",
    "forget-done",
    "forget-cancelled",
    "menu-words",
    "forget-yes-words",
    "forget-no-words",
    "staff-answered-by-bot",
    "staff-from-citizen",
    "staff-citizen-sent",
    "staff-card",
    "staff-reply-from",
];

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
        self.commit(channel, chat, prepared, now).await
    }

    /// Commits a prepared turn of a channel without an outbox of its own (the console): the
    /// posts for the staff group go to the outbox, for the Telegram service to send.
    pub async fn commit(
        &self,
        channel: &str,
        chat: &str,
        prepared: Prepared,
        now: DateTime<Utc>,
    ) -> Result<(Vec<Outgoing>, Vec<DataFile>), StoreError> {
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
    /// the citizen (when on Telegram; a console citizen reads them from the transcript) and
    /// the posts for the staff group.
    pub fn staff_record(&self, case: &Case, handled: Handled, finish: &mut Finish, now: DateTime<Utc>) -> TurnRecord {
        self.staff_turn(case, handled, finish, now).0
    }

    /// `staff_record`, also returning the messages for the citizen as rendered.
    pub fn staff_turn(
        &self,
        case: &Case,
        handled: Handled,
        finish: &mut Finish,
        now: DateTime<Utc>,
    ) -> (TurnRecord, Vec<Outgoing>) {
        let out = self.render_drafts(&handled.citizen);
        finish.outbox.extend(telegram::staff::citizen_outbound(case, &out));
        finish.outbox.extend(self.staff_outbound(&handled.staff));
        let at_ms = now.timestamp_millis();
        let mut lines = handled.lines;
        lines.extend(out.iter().map(|o| staff_line(case, at_ms, &o.text)));
        let record = TurnRecord {
            channel: case.channel.clone(),
            chat: case.chat.clone(),
            at_ms,
            session_json: None,
            lines,
            cases: handled.cases,
            ..TurnRecord::default()
        };
        (record, out)
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

    /// Everything `handle` does but the commit: loads the session, answers in the shell or
    /// steps (or passes the message to staff, when the citizen's case takes their messages),
    /// renders, and returns the rows to commit with what to send. A channel that must write
    /// more in the same transaction (Telegram's inbox and outbox) commits the record itself.
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
        // A rating typed after staff asked for one is the rating, whatever buttons the
        // assistant offered since; otherwise a typed label, number or menu word presses its
        // button.
        let input = match live.as_ref().and_then(|c| typed_rating(c, &input, &self.locales)) {
            Some(data) => Input::Button { data },
            None => press_typed_button(input, &session, &self.flows, &self.locales),
        };
        let mut handled = Handled::default();
        if self.answer_in_shell((channel, chat), &input, session.lang, now, &mut handled).await? {
            return Ok(self.shell_turn(channel, chat, &input, session, handled, now));
        }
        let relaying = live.as_ref().filter(|c| c.relay && relayable(&input));
        let route = relaying.map_or(Route::Assistant, |case| self.route(case, &input, &session, now));
        if let (Some(case), Route::Relay) = (relaying, route) {
            self.relay(case, &input, now, &mut handled).await?;
            return Ok(self.shell_turn(channel, chat, &input, session, handled, now));
        }
        if let (Some(case), Route::Urgent) = (relaying, route) {
            // An emergency gets the assistant's answer at once, and staff see it too.
            handled.staff.extend(self.relay_copy(case, &input));
        }
        let incoming = Incoming { input, channel_lang };
        let turn = engine::step(&self.flows, session, &incoming, now);
        let mut out = render(&self.flows, &self.locales, &turn);
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
        let lang = turn.session.lang;
        for effect in &turn.effects {
            let engine::Effect::Escalate { reply, .. } = effect;
            let from = Asking { channel, chat, lang, live: live.as_ref(), said };
            let tail = self.escalate(&from, effect, now, &mut handled).await?;
            if let Some(o) = out.get_mut(*reply) {
                // Said in the same bubble as the hand-over, after it.
                o.text = format!("{}\n\n{}", o.text, render_msgs(&self.locales, lang, &tail, "\n"));
                // The transcript's first line is the citizen's; the replies follow in order.
                if let Some(line) = handled.lines.get_mut(1 + reply) {
                    line.body = o.text.clone();
                }
            }
        }
        if let (Some(case), Route::Answer { remind }) = (relaying, route)
            && turn.effects.is_empty()
        {
            // An answer that is a question of the assistant's own (a form begun) needs no
            // reminder after it: the citizen is to answer the question.
            let asking = turn.session.at.as_ref().and_then(|t| self.flows.step_at(t));
            let remind = remind && !asking.is_some_and(|s| matches!(s.kind, engine::StepKind::Ask(_)));
            self.answered_while_open(case, &incoming.input, &out, remind, now, &mut handled);
        }
        let more = self.render_drafts(&handled.citizen);
        handled.lines.extend(more.iter().map(|o| outgoing_line(o, now)));
        out.extend(more);
        record.lines = handled.lines;
        record.cases = handled.cases;
        Ok(Prepared { record, out, staff: handled.staff, files: Vec::new() })
    }

    /// What the shell answers itself, outside the engine: a rating, the citizen's cases, and
    /// their data rights. False when the input is for the engine.
    async fn answer_in_shell(
        &self,
        (channel, chat): (&str, &str),
        input: &Input,
        lang: Lang,
        now: DateTime<Utc>,
        handled: &mut Handled,
    ) -> Result<bool, StoreError> {
        match input {
            Input::Button { data } => match Action::parse(data) {
                Some(Action::Rate { case, stars }) => {
                    self.rate((channel, chat), (case, stars), lang, now, handled).await?
                }
                Some(Action::Forget(true)) => self.forget(channel, chat, lang, "citizen", now, handled).await?,
                Some(Action::Forget(false)) => self.forget_cancelled(lang, handled),
                _ => return Ok(false),
            },
            Input::Command { name, .. } => match name.as_str() {
                "cases" => self.list_for_citizen(channel, chat, lang, handled).await?,
                "privacy" => self.privacy_notice(lang, handled),
                "mydata" => self.my_data(channel, chat, lang, now, handled).await?,
                "forget" => self.forget_confirm(lang, handled),
                _ => return Ok(false),
            },
            _ => return Ok(false),
        }
        Ok(true)
    }

    /// A turn the shell answered itself (a message passed to staff, a rating, /cases, the
    /// data rights). The session stays where it was; when the shell said something beyond an
    /// acknowledgement, the buttons it offered are the ones on offer now. The transcript gets
    /// the input and the replies.
    fn shell_turn(
        &self,
        channel: &str,
        chat: &str,
        input: &Input,
        mut session: Session,
        handled: Handled,
        now: DateTime<Utc>,
    ) -> Prepared {
        let at_ms = now.timestamp_millis();
        let out = self.render_drafts(&handled.citizen);
        let spoke = handled.citizen.iter().any(|d| !d.ack);
        let session_json = spoke.then(|| {
            session.offered = offered(&handled.citizen);
            session.to_json()
        });
        let (kind, body) = describe(input);
        let lang = session.lang.code().to_string();
        let mut lines = vec![Line { at_ms, incoming: true, lang, kind: kind.into(), body, ..Line::default() }];
        lines.extend(handled.lines);
        lines.extend(out.iter().filter(|o| !o.ack).map(|o| outgoing_line(o, now)));
        let record = TurnRecord {
            channel: channel.into(),
            chat: chat.into(),
            at_ms,
            session_json,
            lines,
            cases: handled.cases,
            erase: handled.erase,
            audit: handled.audit,
        };
        Prepared { record, out, staff: handled.staff, files: handled.files }
    }
}

/// Where the session waits, as (flow, step), for what is shown and stored beside a message.
fn position(session: &Session) -> (Option<String>, Option<String>) {
    match &session.at {
        Some(t) => (Some(t.flow.clone()), Some(t.step.clone())),
        None => (None, None),
    }
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

/// A transcript line for a message the shell said.
fn outgoing_line(o: &Outgoing, now: DateTime<Utc>) -> Line {
    Line {
        at_ms: now.timestamp_millis(),
        incoming: false,
        lang: o.lang.code().to_string(),
        kind: "text".into(),
        body: o.text.clone(),
        ..Line::default()
    }
}
