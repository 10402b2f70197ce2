//! Forms that listen: answering the open question (by button, label, number or free words),
//! filling questions the first message already answered, a question about something else
//! in between (answered, the form waits), a location far outside the city (questioned), and
//! too many answers that do not fit (a person is offered, nothing is sent by itself).

use super::super::action::Action;
use super::super::answer::{self, Answer};
use super::super::decide::{Decision, decide};
use super::super::flow::{Ask, Expect, StepKind};
use super::super::{Msg, Slot, Target, areas};
use super::{Cx, button};
use crate::nlu::{Understanding, is_question};

/// How many steps `leads_to` follows before it gives up (content has no longer forms).
const MAX_FORM_STEPS: usize = 32;

impl Cx<'_> {
    /// A text while a question is open.
    pub(super) fn form_text(&mut self, text: &str, clipped: &str, u: &Understanding) {
        let Some((at, ask)) = self.current_ask() else { return self.route(clipped, u) };
        let decision = decide(self.flows, u);
        if ask.expect == Expect::Text {
            // Free text answers a text question, unless it is plainly a question about
            // another topic (a question for staff about this one is the answer itself).
            let elsewhere = match decision {
                Decision::Answer { intent, .. } => self.flows.intent(intent).1.goto.flow != at.flow,
                _ => false,
            };
            if elsewhere && is_question(clipped) && self.digress(&at, &decision, clipped) {
                return;
            }
            return self.answer(Answer::Text(text));
        }
        if self.fits(ask, text) {
            return self.answer(Answer::Text(text));
        }
        if self.digress(&at, &decision, clipped) {
            return;
        }
        // The citizen says again what the form is for ("не свети лампата" while asked the
        // kind of problem): what that says fills the form.
        if let Decision::Answer { intent, .. } = decision {
            let goto = self.flows.intent(intent).1.goto.clone();
            if self.leads_to(&goto, &at) {
                self.fill_from_intent(intent);
                self.prefill(&goto, clipped);
                if self.s.slots.contains_key(&ask.slot) {
                    self.s.retries = 0;
                    return self.go(ask.next.clone());
                }
            }
        }
        self.answer(Answer::Text(text))
    }

    /// Whether a text answers the question (before counting it as a miss).
    fn fits(&self, ask: &Ask, text: &str) -> bool {
        answer::check(ask, &Answer::Text(text), &self.flows.places, self.now.date_naive()).is_some()
            || (ask.expect == Expect::Choice
                && answer::choice_by_words(ask, &self.flows.classifier.words(text)).is_some())
    }

    /// A clear new question in the middle of a form: answered, and the form offered to go on
    /// where it was. True when the question was taken as one.
    fn digress(&mut self, at: &Target, decision: &Decision, text: &str) -> bool {
        let Decision::Answer { intent, score } = *decision else { return false };
        // Only a sure understanding of a real question interrupts a form: "не знам" or "пред
        // магазина" are attempts at an answer, not small talk or a new errand.
        let flow = self.flows.intent(intent).0;
        let small_talk = [areas::GENERAL, areas::NONE].contains(&flow.topic.as_str());
        if score < self.flows.settings.accept || small_talk {
            return false;
        }
        let goto = self.flows.intent(intent).1.goto.clone();
        if self.leads_to(&goto, at) {
            return false;
        }
        self.pause();
        self.decided(intent, score, text);
        if self.in_form() {
            // The new question opened a form of its own: that is the errand now.
            self.forget_paused();
        } else {
            self.offer_resume();
        }
        true
    }

    /// Whether the steps from `from` reach `to` within the same form (following `next`,
    /// branches and retries' targets in one flow).
    pub(super) fn leads_to(&self, from: &Target, to: &Target) -> bool {
        let mut todo = vec![from.clone()];
        let mut seen = Vec::new();
        while let Some(t) = todo.pop() {
            if &t == to {
                return true;
            }
            if t.flow != to.flow || seen.contains(&t) || seen.len() > MAX_FORM_STEPS {
                continue;
            }
            seen.push(t.clone());
            match self.flows.step_at(&t).map(|s| &s.kind) {
                Some(StepKind::Say { next: Some(n), .. }) => todo.push(n.clone()),
                Some(StepKind::Ask(a)) => todo.push(a.next.clone()),
                Some(StepKind::Branch { cases, default, .. }) => {
                    todo.extend(cases.iter().map(|(_, t)| t.clone()));
                    todo.push(default.clone());
                }
                Some(StepKind::Escalate { next: Some(n), .. }) => todo.push(n.clone()),
                _ => {}
            }
        }
        false
    }

    /// Fills the choices an intent already answers (`set`), before its flow starts.
    pub(super) fn fill_from_intent(&mut self, i: usize) {
        let intent = self.flows.intent(i).1;
        for (slot, value) in &intent.set {
            if let Some(label) = self.choice_label(&intent.goto.flow, slot, value) {
                self.s.slots.insert(slot.clone(), Slot::Choice { value: value.clone(), label });
            }
        }
    }

    fn choice_label(&self, flow: &str, slot: &str, value: &str) -> Option<String> {
        self.flows.flow(flow)?.steps.values().find_map(|st| match &st.kind {
            StepKind::Ask(a) if a.slot == slot => a.choices.iter().find(|c| c.value == value).map(|c| c.label.clone()),
            _ => None,
        })
    }

    /// Fills the questions of the form that starts at `goto` that the message already
    /// answers: a district named in it ("дупка на Витоша в Лозенец"), a choice named by its
    /// words, and a description where the step takes one from a first message that tells
    /// rather than asks.
    pub(super) fn prefill(&mut self, goto: &Target, text: &str) {
        let Some(flow) = self.flows.flow(&goto.flow) else { return };
        let words = self.flows.classifier.words(text);
        for step in flow.steps.values() {
            let StepKind::Ask(ask) = &step.kind else { continue };
            let here = Target { flow: flow.id.clone(), step: step.name.clone() };
            if self.s.slots.contains_key(&ask.slot) || !self.leads_to(goto, &here) {
                continue;
            }
            let found = match ask.expect {
                Expect::District | Expect::DistrictOrLocation => {
                    self.flows.places.find_in_message(text).map(|d| Slot::District { id: d.id.clone() })
                }
                Expect::Choice => answer::choice_by_words(ask, &words),
                Expect::Text if ask.from_first && !is_question(text) => {
                    answer::check(ask, &Answer::Text(text), &self.flows.places, self.now.date_naive())
                }
                _ => None,
            };
            if let Some(slot) = found {
                self.s.slots.insert(ask.slot.clone(), slot);
            }
        }
    }

    /// An answer to the open question: stored and on to the next step, or asked again.
    pub(super) fn answer(&mut self, answer: Answer) {
        let Some((at, ask)) = self.current_ask() else { return self.stale() };
        let today = self.now.date_naive();
        let mut slot = answer::check(ask, &answer, &self.flows.places, today);
        if slot.is_none()
            && ask.expect == Expect::Choice
            && let Answer::Text(t) = answer
        {
            slot = answer::choice_by_words(ask, &self.flows.classifier.words(t));
        }
        match slot {
            Some(Slot::Location { lat, lon }) if self.flows.places.outside(lat, lon) => {
                // Far from the city: most likely a pin dropped by mistake.
                self.s.pending = Some(Slot::Location { lat, lon });
                self.here = Some(at);
                self.say_buttons(
                    Msg::new("place-far"),
                    vec![
                        vec![button("btn-place-yes", &Action::Place(true).to_string())],
                        vec![button("btn-place-again", &Action::Place(false).to_string())],
                    ],
                );
                self.here = None;
            }
            Some(slot) => {
                self.s.slots.insert(ask.slot.clone(), slot);
                self.s.retries = 0;
                self.go(ask.next.clone());
            }
            None => self.retry(&at, ask),
        }
    }

    /// An answer that does not fit: asked again, saying what fits; after too many, a person is
    /// offered (or the step's own `on_fail` is followed), never a case opened by itself.
    fn retry(&mut self, at: &Target, ask: &Ask) {
        // The retry belongs to the form's question.
        self.here = Some(at.clone());
        self.s.retries = self.s.retries.saturating_add(1);
        let buttons = self.ask_buttons(at, ask);
        if self.s.retries > ask.retries {
            self.s.retries = 0;
            if ask.on_fail.flow == "human" {
                // The [Talk to a person] button comes with the turn's last message.
                self.say_buttons(Msg::new("retry-give-up"), buttons);
            } else {
                self.say(Msg::new("retry-give-up"));
                self.go(ask.on_fail.clone());
            }
        } else {
            let retry = ask.retry.clone().unwrap_or_else(|| ask.expect.default_retry().to_string());
            let msg = self.msg(&retry);
            self.say_buttons(msg, buttons);
        }
        self.here = None;
    }

    /// The citizen says whether the far location is right.
    pub(super) fn confirm_place(&mut self, right: bool) {
        let pending = self.s.pending.take();
        match (right, pending, self.current_ask()) {
            (true, Some(slot), Some((_, ask))) => {
                self.s.slots.insert(ask.slot.clone(), slot);
                self.s.retries = 0;
                self.go(ask.next.clone());
            }
            _ => {
                self.repeat_question();
            }
        }
    }

    pub(super) fn skip(&mut self) {
        let Some((_, ask)) = self.current_ask() else { return self.stale() };
        if !ask.optional {
            return self.stale();
        }
        self.s.slots.remove(&ask.slot);
        self.s.retries = 0;
        self.go(ask.next.clone());
    }
}
