//! What a citizen's message does while their case takes their messages (`Case::relay`). It is
//! never left unanswered:
//!
//! - an emergency is answered by the assistant at once, and staff see it too;
//! - while a staff member is talking with the citizen (they wrote to them within
//!   `CaseSettings::talk`), it goes to staff, each message acknowledged;
//! - before anyone has answered (or once that talk has gone quiet), a question the assistant
//!   can answer is answered, shown in the case's history and the staff group, and the citizen
//!   is told their case stays open; an answer to the assistant's own question (a form under
//!   way) goes to the assistant; anything else goes to staff, acknowledged;
//! - after staff closed the case, small talk is the assistant's, anything else reopens it (or,
//!   after the reopening window, opens a follow-up case).
//!
//! Typed menu words, button labels and commands never come here: they are for the assistant.
//! Like the rest of the desk, it decides what to commit and send; it writes nothing.

use std::collections::BTreeMap;

use chrono::{DateTime, Utc};

use super::cases::{Actor, Case, EventKind, Source, Status};
use super::desk::{Handled, StaffPost, at, clip, describe_for_staff};
use super::lifecycle::{self, Happening, Step};
use crate::assistant::{Assistant, Draft, Outgoing, Part, describe, msg};
use crate::engine::decide::{Decision, decide};
use crate::engine::{Arg, Input, Session, StepKind};
use crate::store::{CaseUpdate, StoreError};

/// Understanding looks at the start of a long message only, as the engine does.
const MAX_UNDERSTOOD_CHARS: usize = 2000;

/// Where a message goes while the citizen's case takes their messages.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Route {
    /// To the assistant, as if there were no case.
    Assistant,
    /// To the assistant, which can answer it; staff see the question and the answer. With
    /// `remind`, the citizen is told their case stays open (not after small talk).
    Answer { remind: bool },
    /// An emergency: the assistant answers at once, and staff get a copy.
    Urgent,
    /// To staff, acknowledged.
    Relay,
}

/// Whether a citizen's input is something to pass to staff while their case is open, rather
/// than talk to the assistant (commands and buttons always go to the assistant).
pub(crate) fn relayable(input: &Input) -> bool {
    matches!(
        input,
        Input::Text { .. }
            | Input::Photo { .. }
            | Input::Location { .. }
            | Input::Contact { .. }
            | Input::Unsupported { .. }
    )
}

impl Assistant {
    /// Where `input` goes while `case` takes the citizen's messages (`case.relay`, and the input
    /// `relayable`). Only here is a text understood before the engine's own step: doing it on
    /// every turn would double the work of every other turn.
    pub fn route(&self, case: &Case, input: &Input, session: &Session, now: DateTime<Utc>) -> Route {
        let understood = match input {
            Input::Text { text } => {
                let clipped: String = text.chars().take(MAX_UNDERSTOOD_CHARS).collect();
                Some(self.flows.classifier.understand(&clipped))
            }
            _ => None,
        };
        if understood.as_ref().is_some_and(|u| u.guard.is_some()) {
            return Route::Urgent;
        }
        let answered = understood.as_ref().and_then(|u| match decide(&self.flows, u) {
            Decision::Answer { intent, .. } => Some(self.flows.intent(intent).0.topic.clone()),
            _ => None,
        });
        let small_talk = answered.as_deref() == Some("general");
        if case.status == Status::Resolved {
            // A "thank you" after staff closed the case must not reopen it.
            return if small_talk { Route::Assistant } else { Route::Relay };
        }
        if case.staff_talking(now.timestamp_millis(), self.cases.talk) {
            return Route::Relay;
        }
        let asking =
            session.at.as_ref().and_then(|t| self.flows.step_at(t)).is_some_and(|s| matches!(s.kind, StepKind::Ask(_)));
        if asking {
            return Route::Assistant;
        }
        match answered.as_deref() {
            // Asking for a person again is for the person the case already waits for.
            Some("human") | None => Route::Relay,
            Some(_) => Route::Answer { remind: !small_talk },
        }
    }

    /// The assistant answered the citizen's question while their case was open (`out` is what
    /// it said): the question and the start of the answer go into the case's history and to
    /// the staff group, and, with `remind`, the citizen is told the case stays open.
    pub(crate) fn answered_while_open(
        &self,
        case: &Case,
        input: &Input,
        out: &[Outgoing],
        remind: bool,
        now: DateTime<Utc>,
        handled: &mut Handled,
    ) {
        let at_ms = now.timestamp_millis();
        let r = case.reference;
        let question = describe_for_staff(input);
        let full = out.iter().map(|o| o.text.as_str()).collect::<Vec<_>>().join("\n");
        // The start of the answer, and every link it gave, which staff need to see what the
        // citizen was sent to even when the text is long.
        let mut answer = clip(&full);
        for link in full.split_whitespace().filter(|w| w.starts_with("https://") || w.starts_with("http://")) {
            if !answer.contains(link) {
                answer.push(' ');
                answer.push_str(link);
            }
        }
        handled.event(r, at_ms, Actor::Citizen, Source::Chat, EventKind::Message).body = Some(question);
        handled.event(r, at_ms, Actor::Bot, Source::Chat, EventKind::Answered).body = Some(answer.clone());
        let mut posts = self.relay_copy(case, input);
        let said = self.text(self.cases.staff_lang, "staff-answered-by-bot", vec![("text", Arg::Text(answer))]);
        match posts.first_mut() {
            Some(StaffPost::Text { text, .. }) => {
                text.push('\n');
                text.push_str(&said);
            }
            _ => posts.push(StaffPost::Text { case: r, text: said, buttons: vec![] }),
        }
        handled.staff.extend(posts);
        if remind {
            let lang = out.last().map_or(case.lang, |o| o.lang);
            let text = msg("case-still-open", vec![("ref", Arg::Text(self.show(r)))]);
            handled.citizen.push(Draft::shell(Part::Cases, lang, text, Vec::new()));
        }
    }

    /// A citizen's message passed to staff, acknowledged (reopening a resolved case, or
    /// opening a follow-up one after the reopening window). The first message passed on is
    /// also told what happens now. Messages about the case are in the case's language.
    pub(crate) async fn relay(
        &self,
        case: &Case,
        input: &Input,
        now: DateTime<Utc>,
        handled: &mut Handled,
    ) -> Result<(), StoreError> {
        let at_ms = now.timestamp_millis();
        let body = describe_for_staff(input);
        if case.status == Status::Resolved {
            let step = lifecycle::apply(case, &Happening::CitizenWrote, self.rules(), now);
            let follow_up = matches!(step, Step::FollowUp { .. });
            // Either way the step changes the case: reopened by the citizen, or closed for good
            // by the bot for a follow-up case.
            let (actor, source) = if follow_up { (Actor::Bot, Source::System) } else { (Actor::Citizen, Source::Chat) };
            let _ = handled.record(step, actor, source);
            if !follow_up {
                handled.event(case.reference, at_ms, Actor::Citizen, Source::Chat, EventKind::Message).body =
                    Some(body);
                handled.staff.push(self.staff_text(case.reference, "staff-reopened-by-citizen", vec![]));
                handled.staff.extend(self.relay_copy(case, input));
                handled.citizen.push(self.passed_on(case));
                let text = msg("case-reopened", vec![("ref", Arg::Text(self.show(case.reference)))]);
                handled.citizen.push(self.to_citizen(case, text));
            } else {
                let slots = BTreeMap::new();
                let new = self
                    .open_case(
                        &case.channel,
                        &case.chat,
                        case.lang,
                        &case.flow,
                        &case.topic,
                        case.district.clone(),
                        &slots,
                        &body,
                        Some(case.reference),
                        now,
                        handled,
                    )
                    .await?;
                handled.event(new.reference, at_ms, Actor::Citizen, Source::Chat, EventKind::Message).body = Some(body);
                handled.staff.extend(self.relay_copy(&new, input));
                handled.citizen.push(self.passed_on(&new));
                let refs =
                    vec![("ref", Arg::Text(self.show(new.reference))), ("old", Arg::Text(self.show(case.reference)))];
                let mut told = self.to_citizen(&new, self.expectation(new.lang, now, at(new.due_ms)));
                told.reply.lead.push(msg("case-followup", refs));
                handled.citizen.push(told);
                let mut u = CaseUpdate::of(new.reference, at_ms);
                u.acked = Some(true);
                handled.update(u);
            }
            return Ok(());
        }
        let mut u = CaseUpdate::of(case.reference, at_ms);
        let e = handled.event(case.reference, at_ms, Actor::Citizen, Source::Chat, EventKind::Message);
        e.body = Some(body);
        if case.summary.is_empty()
            && let Input::Text { text } = input
        {
            u.summary = Some(clip(text));
        }
        if case.status == Status::Waiting {
            let back = if case.assignee.is_some() { Status::Assigned } else { Status::New };
            e.status = Some(back);
            u.status = Some(back);
        }
        handled.staff.extend(self.relay_copy(case, input));
        handled.citizen.push(self.passed_on(case));
        if !case.acked {
            u.acked = Some(true);
            // While a staff member is talking with the citizen, there is nothing to explain.
            if !case.staff_talking(at_ms, self.cases.talk) {
                let text = msg("case-relayed", vec![("ref", Arg::Text(self.show(case.reference)))]);
                handled.citizen.push(self.to_citizen(case, text));
            }
        }
        handled.update(u);
        Ok(())
    }

    /// The acknowledgement of one message passed to staff: a reaction on Telegram, a short
    /// line elsewhere.
    fn passed_on(&self, case: &Case) -> Draft {
        Draft::ack(case.lang, msg("case-passed-on", vec![("ref", Arg::Text(self.show(case.reference)))]))
    }

    /// A citizen's input as posts in the case's topic, marked as coming from the citizen.
    pub(crate) fn relay_copy(&self, case: &Case, input: &Input) -> Vec<StaffPost> {
        let staff = self.cases.staff_lang;
        let header = self.text(staff, "staff-from-citizen", vec![("ref", Arg::Text(self.show(case.reference)))]);
        let r = case.reference;
        match input {
            Input::Text { text } => {
                vec![StaffPost::Text { case: r, text: format!("{header}\n{text}"), buttons: vec![] }]
            }
            Input::Photo { file_id } => vec![StaffPost::Photo { case: r, file_id: file_id.clone(), caption: header }],
            Input::Location { lat, lon } => vec![
                StaffPost::Text { case: r, text: format!("{header}\n📍 {lat:.5}, {lon:.5}"), buttons: vec![] },
                StaffPost::Location { case: r, lat: *lat, lon: *lon },
            ],
            Input::Contact { phone } => {
                vec![StaffPost::Text { case: r, text: format!("{header}\n☎ {phone}"), buttons: vec![] }]
            }
            // Unsupported content is named; commands and buttons are for the assistant and
            // never relayed (see `relayable`), but name them too rather than lose them.
            other => {
                let what = Arg::Text(describe(other).1);
                let line = self.text(staff, "staff-citizen-sent", vec![("what", what)]);
                vec![StaffPost::Text { case: r, text: format!("{header}\n{line}"), buttons: vec![] }]
            }
        }
    }

    /// The citizen pressed Menu or a command while their case took their messages: their
    /// messages go to the assistant again; the case stays open.
    pub(crate) fn back_to_bot(&self, case: &Case, now: DateTime<Utc>, handled: &mut Handled) {
        let at_ms = now.timestamp_millis();
        let mut u = CaseUpdate::of(case.reference, at_ms);
        u.relay = Some(false);
        handled.update(u);
        handled.event(case.reference, at_ms, Actor::Citizen, Source::Chat, EventKind::BackToBot);
    }
}
