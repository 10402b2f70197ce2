//! The case desk: what happens to cases when a citizen escalates or writes while a case is
//! open, and when staff act on a case (from the Telegram staff group, the command line or the
//! web console). Each action returns what to commit (events, case changes, transcript lines)
//! and what to send (to the citizen, and to the case's topic in the staff group); the caller
//! commits and sends. It reads the store and writes one thing itself: a new case's number,
//! taken from the store's counter before the turn commits, so the reference can be shown.
//!
//! What staff see of a case is in `card`; what a citizen's messages do while their case is
//! open, in `relay`; ratings and `/cases`, in `citizen`. Messages for the citizen are drafts
//! (ids, arguments, buttons with typed actions), rendered once by whoever sends them.

use std::collections::BTreeMap;

use chrono::{DateTime, Datelike, Duration, Utc};

use super::cases::{Actor, Case, CaseRef, Event, EventKind, Source, Staffer, Status};
use super::lifecycle::{self, Happening, Refusal, Rules, Step};
use crate::assistant::{Assistant, Draft, Part, Shown, button, describe, msg};
use crate::engine::action::Action;
use crate::engine::{Arg, Effect, Input, Msg, Slot};
use crate::lang::Lang;
use crate::store::{CaseUpdate, CaseWrite, Line, StoreError};

/// Characters of a message shown on a card or in a summary.
const CLIP: usize = 300;

/// A post in a case's forum topic in the staff group, rendered in the staff's language.
#[derive(Debug, Clone, PartialEq)]
pub enum StaffPost {
    /// Plain text (the channel escapes it), with buttons.
    Text {
        case: CaseRef,
        text: String,
        buttons: Vec<Vec<Shown>>,
    },
    /// A photo the citizen sent, by the channel's file id.
    Photo {
        case: CaseRef,
        file_id: String,
        caption: String,
    },
    Location {
        case: CaseRef,
        lat: f64,
        lon: f64,
    },
}

impl StaffPost {
    pub fn case(&self) -> CaseRef {
        match self {
            StaffPost::Text { case, .. } | StaffPost::Photo { case, .. } | StaffPost::Location { case, .. } => *case,
        }
    }
}

/// What an action on a case does beyond the turn: case writes and transcript lines to commit,
/// messages to the citizen, posts for the staff group.
#[derive(Debug, Clone, Default)]
pub struct Handled {
    pub cases: Vec<CaseWrite>,
    pub lines: Vec<Line>,
    /// Messages for the citizen, not yet rendered.
    pub citizen: Vec<Draft>,
    pub staff: Vec<StaffPost>,
    /// The staff member's own message is to be copied to the citizen after `citizen`.
    pub copy: bool,
    /// Files for the citizen (their data).
    pub files: Vec<crate::privacy::export::DataFile>,
    /// Erase the chat's data with this turn's commit.
    pub erase: Option<crate::store::Erasure>,
    pub audit: Vec<crate::store::Audit>,
}

impl Handled {
    pub(crate) fn event(
        &mut self,
        case: CaseRef,
        at_ms: i64,
        actor: Actor,
        source: Source,
        kind: EventKind,
    ) -> &mut Event {
        self.cases.push(CaseWrite::Event(Event { case, at_ms, actor, source, kind, status: None, body: None }));
        match self.cases.last_mut() {
            Some(CaseWrite::Event(e)) => e,
            _ => unreachable!("an event was just pushed"),
        }
    }

    pub(crate) fn update(&mut self, u: CaseUpdate) {
        self.cases.push(CaseWrite::Update(u));
    }

    /// Records a step of the case machine, its events by `actor` from `source`; a refused
    /// step records nothing. A follow-up's closing is recorded too (the caller opens the new
    /// case).
    pub(crate) fn record(&mut self, step: Step, actor: Actor, source: Source) -> Result<(), Refusal> {
        match step {
            Step::Changed { update, events } | Step::FollowUp { update, events } => {
                let (case, at_ms) = (update.case, update.at_ms);
                self.update(update);
                for (kind, status) in events {
                    let case = case.expect("a step names its case");
                    self.event(case, at_ms, actor.clone(), source, kind).status = status;
                }
                Ok(())
            }
            Step::Refused(why) => Err(why),
        }
    }

    /// Sets the body of the latest event of a kind recorded in this action.
    pub(crate) fn body(&mut self, kind: EventKind, body: String) {
        let latest = self.cases.iter_mut().rev().find_map(|w| match w {
            CaseWrite::Event(e) if e.kind == kind => Some(e),
            _ => None,
        });
        if let Some(e) = latest {
            e.body = Some(body);
        }
    }
}

/// What staff do to a case.
#[derive(Debug, Clone, PartialEq)]
pub enum StaffAct {
    /// Answer the citizen.
    Reply(String),
    /// Pass the citizen something staff posted that is not text (a photo, a file), named by
    /// its kind; the channel copies it after the introduction (`Handled::copy`).
    Attachment(String),
    /// Keep a note on the case, never sent.
    Note(String),
    Take,
    /// Give it to a colleague (a supervisor's act).
    Assign(Staffer),
    /// Close it, with a note for the citizen.
    Close(Option<String>),
    Reopen,
}

/// Who asked for staff: their chat, their language, their case if they have one, and what
/// they wrote.
#[derive(Debug, Clone, Copy)]
pub struct Asking<'a> {
    pub channel: &'a str,
    pub chat: &'a str,
    pub lang: Lang,
    pub live: Option<&'a Case>,
    pub said: Option<&'a str>,
}

impl Assistant {
    pub(crate) fn show(&self, r: CaseRef) -> String {
        self.cases.show(r)
    }

    /// A message rendered at once: for staff posts, and for values inside a citizen's message.
    pub(crate) fn text(&self, lang: Lang, id: &str, args: Vec<(&str, Arg)>) -> String {
        self.locales.render(lang, &msg(id, args))
    }

    /// "Friday 27.11, 17:00" in a language, for an instant, in the calendar's time zone.
    pub fn when(&self, lang: Lang, at: DateTime<Utc>) -> String {
        let local = self.locales.calendar.local_time(at);
        let weekday = format!("weekday-{}", local.weekday().number_from_monday());
        self.text(
            lang,
            "case-when",
            vec![
                ("weekday", Arg::Msg(weekday)),
                ("date", Arg::Text(local.format("%d.%m").to_string())),
                ("time", Arg::Text(local.format("%H:%M").to_string())),
            ],
        )
    }

    /// A message to the citizen of a case, in the case's language, with the [Menu] button.
    pub(crate) fn to_citizen(&self, case: &Case, text: Msg) -> Draft {
        Draft::shell(Part::Cases, case.lang, text, Vec::new()).with_row(vec![button("btn-menu", &Action::Menu)])
    }

    /// A line from the bot in a case's topic.
    pub fn staff_note(&self, case: CaseRef, id: &str) -> StaffPost {
        let r = Arg::Text(self.show(case));
        self.staff_text(case, id, vec![("ref", r)])
    }

    pub(crate) fn staff_text(&self, case: CaseRef, id: &str, args: Vec<(&str, Arg)>) -> StaffPost {
        StaffPost::Text { case, text: self.text(self.cases.staff_lang, id, args), buttons: Vec::new() }
    }

    /// The turn asked for staff (`effect`): opens a case, or adds to the open one. Returns
    /// what to add to the citizen's reply, in the same bubble: the reference and when to
    /// expect an answer.
    pub(crate) async fn escalate(
        &self,
        from: &Asking<'_>,
        effect: &Effect,
        now: DateTime<Utc>,
        handled: &mut Handled,
    ) -> Result<Vec<Msg>, StoreError> {
        let Asking { channel, chat, lang, live, said } = *from;
        let Effect::Escalate { flow, topic, slots, .. } = effect;
        let at_ms = now.timestamp_millis();
        let values = slots;
        if let Some(case) = live.filter(|c| c.status.is_open()) {
            let mut merged = case.slots.clone();
            merged.extend(values.iter().map(|(k, v)| (k.clone(), v.clone())));
            let mut u = CaseUpdate::of(case.reference, at_ms);
            u.relay = Some(true);
            u.slots = Some(merged);
            handled.update(u);
            let body = serde_json::to_string(&values.iter().map(|(k, v)| (k, v.value())).collect::<BTreeMap<_, _>>())
                .unwrap_or_default();
            handled.event(case.reference, at_ms, Actor::Citizen, Source::Chat, EventKind::Escalated).body = Some(body);
            for (_, v) in values.iter().filter(|(_, v)| matches!(v, Slot::Photo { .. } | Slot::Location { .. })) {
                handled.staff.extend(self.relay_copy(case, &input_of_slot(v)));
            }
            return Ok(vec![msg("case-already-open", vec![("ref", Arg::Text(self.show(case.reference)))])]);
        }
        let follows = live.map(|c| c.reference);
        if let Some(old) = live {
            self.close_for_good(old, now, Actor::Bot, handled);
        }
        let summary = values
            .values()
            .find_map(|v| match v {
                Slot::Text { text } => Some(text.clone()),
                _ => None,
            })
            .or_else(|| said.map(str::to_string))
            .or_else(|| {
                let texts = handled.lines.iter().rev().filter(|l| l.incoming && l.kind == "text");
                texts.map(|l| l.body.clone()).next()
            })
            .unwrap_or_default();
        let district = values.values().find_map(|v| match v {
            Slot::District { id } => Some(id.clone()),
            _ => None,
        });
        let case =
            self.open_case(channel, chat, lang, flow, topic, district, values, &summary, follows, now, handled).await?;
        let opened = msg("case-opened", vec![("ref", Arg::Text(self.show(case.reference)))]);
        Ok(vec![opened, self.expectation(lang, now, at(case.due_ms))])
    }

    /// Opens a case: a new reference, the case row, its first event, and its card.
    #[allow(clippy::too_many_arguments)]
    pub(crate) async fn open_case(
        &self,
        channel: &str,
        chat: &str,
        lang: Lang,
        flow: &str,
        topic: &str,
        district: Option<String>,
        slots: &BTreeMap<String, Slot>,
        summary: &str,
        follows: Option<CaseRef>,
        now: DateTime<Utc>,
        handled: &mut Handled,
    ) -> Result<Case, StoreError> {
        let at_ms = now.timestamp_millis();
        let year = self.locales.calendar.local_time(now).year();
        let number = self.store.next_case_number(year).await?;
        let reference = CaseRef { year, number };
        let due = self.cases.hours.add_working_time(&self.locales.calendar, now, self.cases.due);
        let case = Case {
            reference,
            channel: channel.to_string(),
            chat: chat.to_string(),
            lang,
            flow: flow.to_string(),
            topic: topic.to_string(),
            district,
            slots: slots.clone(),
            summary: clip(summary),
            status: Status::New,
            opened_ms: at_ms,
            updated_ms: at_ms,
            due_ms: due.timestamp_millis(),
            answered_ms: None,
            resolved_ms: None,
            closed_ms: None,
            assignee: None,
            thread: None,
            relay: true,
            acked: false,
            overdue_ms: None,
            rating: None,
            follows,
            talked_ms: None,
        };
        handled.cases.push(CaseWrite::Open(Box::new(case.clone())));
        let e = handled.event(reference, at_ms, Actor::Bot, Source::Chat, EventKind::Opened);
        e.status = Some(Status::New);
        e.body = Some(case.summary.clone());
        // The card shows this turn's messages too: they commit with the case.
        let posts = self.card_posts(&case, slots, &handled.lines).await?;
        handled.staff.extend(posts);
        Ok(case)
    }

    /// "Staff aim to answer by ..." or, outside working hours, "staff are back at ...; they aim
    /// to answer by ...".
    pub(crate) fn expectation(&self, lang: Lang, now: DateTime<Utc>, due: DateTime<Utc>) -> Msg {
        let when = Arg::Text(self.when(lang, due));
        if self.cases.hours.is_open(&self.locales.calendar, now) {
            msg("case-due", vec![("when", when)])
        } else {
            let open = Arg::Text(self.when(lang, self.cases.hours.next_open(&self.locales.calendar, now)));
            msg("case-out-of-hours", vec![("open", open), ("when", when)])
        }
    }

    /// The rules the case machine (`lifecycle`) runs by, from configuration and content.
    pub(crate) fn rules(&self) -> Rules<'_> {
        Rules {
            reopen_days: self.cases.reopen_days,
            due: self.cases.due,
            hours: &self.cases.hours,
            calendar: &self.locales.calendar,
        }
    }

    /// Closes a resolved case for good (the reopening window passed, or a new case follows it).
    pub(crate) fn close_for_good(&self, case: &Case, now: DateTime<Utc>, actor: Actor, handled: &mut Handled) {
        // Closing for good is never refused.
        let _ = handled.record(lifecycle::close_for_good_step(case, now), actor, Source::System);
    }

    /// A staff member acts on a case. A reply reaches the citizen in their language, with the
    /// reference; closing asks them for a rating; everything is an event with who did it.
    pub async fn staff_act(
        &self,
        case: &Case,
        who: &Staffer,
        source: Source,
        act: StaffAct,
        now: DateTime<Utc>,
    ) -> Result<Handled, StoreError> {
        let mut h = Handled::default();
        let r = case.reference;
        let actor = || Actor::Staff(who.clone());
        let name = || Arg::Text(who.name.clone());
        let happening = match &act {
            StaffAct::Reply(_) | StaffAct::Attachment(_) => Some(Happening::Answered(who.clone())),
            StaffAct::Note(_) => None,
            StaffAct::Take => Some(Happening::Taken(who.clone())),
            StaffAct::Assign(to) => Some(Happening::Assigned(to.clone())),
            StaffAct::Close(_) => Some(Happening::Closed(who.clone())),
            StaffAct::Reopen => Some(Happening::Reopened),
        };
        if let Some(happening) = happening {
            match h.record(lifecycle::apply(case, &happening, self.rules(), now), actor(), source) {
                Err(Refusal::NotOpen) => {
                    h.staff.push(self.staff_text(r, "staff-case-closed", vec![]));
                    return Ok(h);
                }
                Err(Refusal::TakenBy(other)) => {
                    h.staff.push(self.staff_text(r, "staff-already-taken", vec![("name", Arg::Text(other.name))]));
                    return Ok(h);
                }
                Err(_) => return Ok(h),
                Ok(()) => {}
            }
        }
        match act {
            StaffAct::Reply(_) | StaffAct::Attachment(_) => {
                let reference = Arg::Text(self.show(r));
                let (text, shown) = match &act {
                    StaffAct::Attachment(what) => {
                        h.copy = true;
                        (format!("[{what}]"), msg("case-staff-attachment", vec![("ref", reference)]))
                    }
                    StaffAct::Reply(text) => {
                        let args = vec![("ref", reference), ("text", Arg::Text(text.clone()))];
                        (text.clone(), msg("case-staff-reply", args))
                    }
                    _ => unreachable!("only answers come here"),
                };
                h.body(EventKind::Reply, text.clone());
                h.citizen.push(self.to_citizen(case, shown));
                if source != Source::StaffGroup {
                    // Staff in the group saw it written there; elsewhere, the topic is told.
                    let via = Arg::Text(source.code().to_string());
                    let mut post =
                        self.text(self.cases.staff_lang, "staff-reply-from", vec![("name", name()), ("via", via)]);
                    post.push('\n');
                    post.push_str(&text);
                    h.staff.push(StaffPost::Text { case: r, text: post, buttons: vec![] });
                }
            }
            StaffAct::Note(text) => {
                h.event(r, now.timestamp_millis(), actor(), source, EventKind::Note).body = Some(text);
                h.staff.push(self.staff_text(r, "staff-note-saved", vec![]));
            }
            StaffAct::Take => h.staff.push(self.staff_text(r, "staff-taken", vec![("name", name())])),
            StaffAct::Assign(to) => {
                h.body(EventKind::Taken, to.name.clone());
                h.staff.push(self.staff_text(r, "staff-taken", vec![("name", Arg::Text(to.name))]));
            }
            StaffAct::Close(note) => {
                if let Some(note) = &note {
                    h.body(EventKind::Closed, note.clone());
                }
                let closed = msg(
                    "case-closed",
                    vec![("ref", Arg::Text(self.show(r))), ("days", Arg::Number(self.cases.reopen_days as f64))],
                );
                let id = case.id();
                let stars =
                    (1..=5).map(|stars| button(&format!("btn-rate-{stars}"), &Action::Rate { case: id, stars }));
                let mut told = Draft::shell(Part::Cases, case.lang, closed, vec![stars.collect()])
                    .with_row(vec![button("btn-menu", &Action::Menu)]);
                let mut post = self.text(self.cases.staff_lang, "staff-closed", vec![("name", name())]);
                if let Some(note) = note.as_deref().filter(|n| !n.trim().is_empty()) {
                    told.reply.lead.push(msg("case-closed-note", vec![("note", Arg::Text(note.to_string()))]));
                    post.push('\n');
                    post.push_str(&self.text(
                        self.cases.staff_lang,
                        "staff-closed-note",
                        vec![("note", Arg::Text(note.to_string()))],
                    ));
                }
                h.citizen.push(told);
                h.staff.push(StaffPost::Text { case: r, text: post, buttons: vec![] });
            }
            StaffAct::Reopen => h.staff.push(self.staff_text(r, "staff-reopened", vec![("name", name())])),
        }
        Ok(h)
    }

    /// Scheduled work on cases: flags the overdue ones in the staff group, and closes for good
    /// the resolved ones whose reopening window has passed.
    pub async fn sweep(&self, now: DateTime<Utc>) -> Result<Handled, StoreError> {
        let mut h = Handled::default();
        let at_ms = now.timestamp_millis();
        let window = Duration::days(self.cases.reopen_days).num_milliseconds();
        for case in self.store.cases_to_sweep(at_ms, at_ms - window).await? {
            let step = lifecycle::apply(&case, &Happening::Swept, self.rules(), now);
            let flagged =
                matches!(&step, Step::Changed { events, .. } if events.iter().any(|(k, _)| *k == EventKind::Overdue));
            if h.record(step, Actor::System, Source::System).is_ok() && flagged {
                let due = Arg::Text(self.when(self.cases.staff_lang, at(case.due_ms)));
                h.staff.push(self.staff_text(case.reference, "staff-overdue", vec![("due", due)]));
            }
        }
        Ok(h)
    }
}

/// A transcript line for a message staff sent the citizen.
pub(crate) fn staff_line(case: &Case, at_ms: i64, text: &str) -> Line {
    Line {
        at_ms,
        incoming: false,
        lang: case.lang.code().to_string(),
        kind: "staff".into(),
        body: text.to_string(),
        ..Line::default()
    }
}

/// What the citizen sent, as a case event's body: a text as written, anything else as
/// `[kind body]` (`[photo FILE_ID]`), which `sent_of` reads back.
pub(crate) fn describe_for_staff(input: &Input) -> String {
    match describe(input) {
        ("text", text) => text,
        (kind, body) => format!("[{kind} {body}]"),
    }
}

/// The kind and body of what a citizen sent that was not text, from an event's body written
/// by `describe_for_staff`: `("photo", FILE_ID)`.
pub(crate) fn sent_of(body: &str) -> Option<(&str, &str)> {
    body.strip_prefix('[')?.strip_suffix(']')?.split_once(' ')
}

fn input_of_slot(slot: &Slot) -> Input {
    match slot {
        Slot::Photo { file_id } => Input::Photo { file_id: file_id.clone() },
        Slot::Location { lat, lon } => Input::Location { lat: *lat, lon: *lon },
        other => Input::Text { text: other.value() },
    }
}

pub(crate) fn clip(text: &str) -> String {
    let one_line = text.split_whitespace().collect::<Vec<_>>().join(" ");
    if one_line.chars().count() <= CLIP {
        one_line
    } else {
        let mut s: String = one_line.chars().take(CLIP).collect();
        s.push('…');
        s
    }
}

pub(crate) fn at(ms: i64) -> DateTime<Utc> {
    DateTime::<Utc>::from_timestamp_millis(ms).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn what_a_citizen_sent_reads_back_from_the_events_body() {
        let photo = describe_for_staff(&Input::Photo { file_id: "AgAC-1_x".into() });
        assert_eq!(sent_of(&photo), Some(("photo", "AgAC-1_x")));
        let location = describe_for_staff(&Input::Location { lat: 42.7, lon: 23.3 });
        assert_eq!(sent_of(&location), Some(("location", "42.7,23.3")));
        assert_eq!(sent_of(&describe_for_staff(&Input::from_text("няма ток"))), None);
    }
}
