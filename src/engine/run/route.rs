//! Free text outside a form: answered at once, offered as "Did you mean ...?", or not
//! understood. Two questions in one message get both answers (the second as a button when
//! it opens a form), and a short follow-up is read in the topic of the last answer.

use super::super::action::Action;
use super::super::decide::{Decision, decide};
use super::super::flow::StepKind;
use super::super::{Button, Msg, Target, Understood, areas};
use super::{Cx, button};
use crate::nlu::{Understanding, clauses};

/// What the topic of the last answer adds to its intents' scores for a short follow-up.
const CONTEXT_BOOST: f32 = 0.2;
/// A follow-up is short: at most this many words.
const FOLLOW_UP_WORDS: usize = 8;

impl Cx<'_> {
    /// Answers free text outside a form.
    pub(super) fn route(&mut self, text: &str, u: &Understanding) {
        if let Some((first, second)) = self.two_questions(text) {
            self.decided(first.0, first.1, text);
            return self.also(second.0, second.1);
        }
        let mut decision = decide(self.flows, u);
        if !matches!(decision, Decision::Answer { .. })
            && let Some(d) = self.in_context(text, u)
        {
            decision = d;
        }
        match decision {
            Decision::Answer { intent, score } => self.decided(intent, score, text),
            Decision::Suggest { intents, score } => {
                let buttons = intents
                    .into_iter()
                    .map(|i| {
                        let (flow, intent) = self.flows.intent(i);
                        vec![Button { label: Msg::new(&flow.title), data: Action::Go(intent.goto.clone()).to_string() }]
                    })
                    .collect();
                self.understood = Some(Understood { intent: None, score, missed: false });
                self.say_buttons(Msg::new("did-you-mean"), buttons);
            }
            Decision::Missed { score } => self.missed(score),
        }
    }

    /// Goes where an understood intent leads, with what the message already answers.
    pub(super) fn decided(&mut self, i: usize, score: f32, text: &str) {
        self.understood(i, score);
        self.s.misses = 0;
        let (flow, intent) = self.flows.intent(i);
        let goto = intent.goto.clone();
        if ![areas::GENERAL, areas::HUMAN, areas::NONE].contains(&flow.topic.as_str()) {
            self.s.context = Some(flow.id.clone());
        }
        self.begin(&goto);
        self.fill_from_intent(i);
        self.prefill(&goto, text);
        self.go(goto);
    }

    /// The two requests of a message that asks two things with different answers ("паркинг в
    /// синя зона и също как да сменя личния лекар"), in the order asked.
    fn two_questions(&self, text: &str) -> Option<((usize, f32), (usize, f32))> {
        let parts = clauses(text);
        if parts.len() < 2 {
            return None;
        }
        let mut found: Vec<(usize, f32)> = Vec::new();
        for part in parts {
            let u = self.flows.classifier.understand(&part);
            if u.guard.is_some() {
                return None;
            }
            // A part alone is short: an intent it offers first with a fair score counts too.
            let fair = (self.flows.settings.suggest + self.flows.settings.accept) / 2.0;
            let taken = match decide(self.flows, &u) {
                Decision::Answer { intent, score } => Some((intent, score)),
                Decision::Suggest { intents, score } if score >= fair => intents.first().map(|&i| (i, score)),
                _ => None,
            };
            if let Some((intent, score)) = taken {
                let flow = self.flows.intent(intent).0;
                let small_talk = [areas::GENERAL, areas::NONE].contains(&flow.topic.as_str());
                // Two questions of one topic count too ("parking in the blue zone? and where do
                // I buy a card"), unless they lead to the same answer.
                let goto = &self.flows.intent(intent).1.goto;
                if !small_talk && found.iter().all(|(j, _)| self.flows.intent(*j).1.goto != *goto) {
                    found.push((intent, score));
                }
            }
        }
        match found.as_slice() {
            [first, second, ..] => Some((*first, *second)),
            _ => None,
        }
    }

    /// The second question of a message: answered too when it is a plain answer; offered as
    /// a button when it opens a form (one errand at a time).
    fn also(&mut self, i: usize, score: f32) {
        let goto = self.flows.intent(i).1.goto.clone();
        if self.in_form() || self.opens_form(&goto) {
            let label = self.label_for(&goto);
            let row = vec![Button { label, data: Action::Go(goto).to_string() }];
            return self.say_buttons(Msg::new("also-asked"), vec![row]);
        }
        let first = self.understood.clone();
        self.go(goto);
        // The transcript keeps what the message was first understood as.
        self.understood = first.or(Some(Understood { intent: None, score, missed: false }));
    }

    /// Whether the steps from `t` stop at a question.
    fn opens_form(&self, t: &Target) -> bool {
        let mut t = t.clone();
        for _ in 0..8 {
            match self.flows.step_at(&t).map(|s| &s.kind) {
                Some(StepKind::Ask(_)) => return true,
                Some(StepKind::Say { next: Some(n), .. }) => t = n.clone(),
                Some(StepKind::Branch { default, .. }) => t = default.clone(),
                _ => return false,
            }
        }
        false
    }

    /// A button's label for a step: the label of a menu button that leads there, else the
    /// flow's title.
    fn label_for(&self, t: &Target) -> Msg {
        let label = self.flows.flows.iter().flat_map(|f| f.steps.values()).find_map(|s| match &s.kind {
            StepKind::Say { buttons, .. } => buttons.iter().find(|b| &b.goto == t).map(|b| b.label.clone()),
            _ => None,
        });
        let title = || self.flows.flow(&t.flow).map(|f| f.title.clone()).unwrap_or_default();
        Msg::new(&label.unwrap_or_else(title))
    }

    /// A short message that is not clear alone ("а какви документи трябват?", "ima li
    /// telefon"), read in the topic of the last answer, while the conversation is fresh.
    fn in_context(&self, text: &str, u: &Understanding) -> Option<Decision> {
        let flow = self.s.context.as_deref()?;
        let fresh = self.s.last_active.is_some_and(|t| self.now - t <= self.flows.settings.session_timeout);
        if !fresh || text.split_whitespace().count() > FOLLOW_UP_WORDS {
            return None;
        }
        let mut ranked = u.ranked.clone();
        for (i, s) in &mut ranked {
            if self.flows.intent(*i).0.id == flow {
                *s += CONTEXT_BOOST;
            }
        }
        ranked.sort_by(|a, b| b.1.total_cmp(&a.1));
        let boosted = Understanding { ranked, ..u.clone() };
        match decide(self.flows, &boosted) {
            d @ Decision::Answer { intent, .. } if self.flows.intent(intent).0.id == flow => Some(d),
            _ => None,
        }
    }

    fn missed(&mut self, score: f32) {
        self.understood = Some(Understood { intent: None, score, missed: true });
        self.s.misses = self.s.misses.saturating_add(1);
        if self.s.misses >= 2 {
            let mut rows = vec![vec![button("btn-human", &Action::Human.to_string())]];
            rows.extend(self.menu_buttons());
            self.say_buttons(Msg::new("not-understood-human"), rows);
            self.nav = false;
        } else {
            self.say_with_menu(Msg::new("not-understood"));
        }
    }
}
