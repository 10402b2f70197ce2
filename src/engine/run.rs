//! `step`: one citizen action in, one `Turn` out. Commands first, then buttons, then the
//! emergency guard, then the open question of a form (`forms`), then free text (`route`).
//! Here: the turn's state, commands and buttons, and walking the steps of a flow.

mod forms;
mod route;
#[cfg(test)]
mod tests;

use chrono::{DateTime, Utc};

use super::action::Action;
use super::answer::Answer;
use super::flow::{Ask, StepKind};
use super::{Arg, Button, Effect, Flows, Incoming, Input, Msg, Reply, Session, Slot, Target, Turn, Understood};
use crate::lang::Lang;

/// The messages the engine says itself; `locales/*/core.ftl` must have each of them.
pub const CORE_MESSAGES: &[&str] = &[
    "btn-menu",
    "btn-human",
    "btn-skip",
    "btn-continue",
    "btn-restart",
    "btn-resume",
    "btn-lang-bg",
    "btn-lang-en",
    "btn-place-yes",
    "btn-place-again",
    "lang-choose",
    "lang-set",
    "not-understood",
    "not-understood-human",
    "did-you-mean",
    "also-asked",
    "cancelled",
    "nothing-to-cancel",
    "reset-done",
    "welcome-back",
    "resume-offer",
    "session-lost",
    "unknown-command",
    "unsupported-input",
    "unexpected-attachment",
    "empty-input",
    "stale-button",
    "escalated",
    "retry-give-up",
    "retry-choice",
    "retry-text",
    "retry-number",
    "retry-date",
    "retry-phone",
    "retry-district",
    "retry-location",
    "retry-photo",
    "retry-district-or-location",
    "place-far",
    "slot-photo",
];

/// A guard against a cycle of `next` steps in content; `check` reports such cycles too.
const MAX_STEPS_PER_TURN: usize = 32;
/// Understanding looks at the start of a long message only.
const MAX_UNDERSTOOD_CHARS: usize = 2000;

/// Takes one thing the citizen did and returns what to store, say and do.
pub fn step(flows: &Flows, session: Session, incoming: &Incoming, now: DateTime<Utc>) -> Turn {
    let origin = session.at.as_ref().and_then(|t| flows.flow(&t.flow)).map(|f| f.topic.clone());
    let mut cx = Cx {
        flows,
        s: session,
        now,
        replies: Vec::new(),
        effects: Vec::new(),
        understood: None,
        nav: true,
        origin,
        repeating: false,
        here: None,
        lead: Vec::new(),
    };
    if cx.s.recovering {
        cx.s.recovering = false;
        cx.say(Msg::new("session-lost"));
    }
    if cx.s.last_active.is_none()
        && !cx.s.lang_chosen
        && let Some(lang) = incoming.channel_lang
    {
        cx.s.lang = lang;
    }
    let timed_out = cx.s.last_active.is_some_and(|t| now - t > flows.settings.session_timeout);
    cx.handle(&incoming.input, timed_out);
    cx.finish()
}

struct Cx<'a> {
    flows: &'a Flows,
    s: Session,
    now: DateTime<Utc>,
    replies: Vec<Reply>,
    effects: Vec<Effect>,
    understood: Option<Understood>,
    /// Whether the last reply gets the [Menu] [Talk to a person] row.
    nav: bool,
    /// The topic of the flow the citizen was in when the turn began, so that a handover to a
    /// person still tells staff what it was about.
    origin: Option<String>,
    /// Asking the open question again (its slot may hold an answer being corrected).
    repeating: bool,
    /// The step whose message is being said, named on each reply; `None` while the engine
    /// speaks for itself.
    here: Option<Target>,
    /// Messages of steps that go straight on (a `say` with `next` and no buttons): said in
    /// the same bubble as the next message, before it.
    lead: Vec<Msg>,
}

impl<'a> Cx<'a> {
    fn handle(&mut self, input: &Input, timed_out: bool) {
        match input {
            Input::Command { name, arg } => self.command(name, arg),
            Input::Button { data } => self.button(data),
            Input::Text { text } => self.text(text, timed_out),
            Input::Location { lat, lon } => self.attachment(Answer::Location { lat: *lat, lon: *lon }),
            Input::Photo { file_id } => self.attachment(Answer::Photo(file_id)),
            Input::Contact { phone } => self.attachment(Answer::Contact(phone)),
            Input::Unsupported { .. } => {
                self.say(Msg::new("unsupported-input"));
                self.repeat_question();
            }
        }
    }

    fn command(&mut self, name: &str, arg: &str) {
        self.forget_paused();
        match name {
            "start" => {
                self.leave_form();
                let deep = arg.trim().to_ascii_lowercase();
                match self.flows.flow(&deep) {
                    Some(flow) if !deep.is_empty() => self.go(target(&flow.id, &flow.start)),
                    _ => self.go(target("main", "welcome")),
                }
            }
            "menu" => {
                self.leave_form();
                self.go(target("main", "menu"));
            }
            "help" => self.go(target("main", "help")),
            "language" => self.choose_language(),
            "human" => self.go(self.human()),
            "cancel" => {
                let in_form = self.in_form() || !self.s.slots.is_empty();
                self.leave_form();
                self.say_with_menu(Msg::new(if in_form { "cancelled" } else { "nothing-to-cancel" }));
            }
            "reset" => {
                let lang = self.s.lang;
                let chosen = self.s.lang_chosen;
                self.s = Session { lang_chosen: chosen, ..Session::new(lang) };
                self.say(Msg::new("reset-done"));
                self.go(target("main", "welcome"));
            }
            _ => self.say_with_menu(Msg::new("unknown-command")),
        }
    }

    fn button(&mut self, data: &str) {
        let Some(action) = Action::parse(data) else { return self.stale() };
        match action {
            Action::Go(t) if self.flows.step_at(&t).is_some() => {
                self.forget_paused();
                self.s.pending = None;
                self.begin(&t);
                self.go(t);
            }
            Action::Choose { at, index } if self.waiting_at(&at) => self.answer(Answer::Choice(index)),
            Action::Skip(at) if self.waiting_at(&at) => self.skip(),
            Action::Lang(lang) => {
                self.s.lang = lang;
                self.s.lang_chosen = true;
                self.say(Msg::new("lang-set"));
                if !self.repeat_question() {
                    self.go(target("main", "menu"));
                }
            }
            Action::Menu => self.command("menu", ""),
            Action::Human => {
                // A person sees what the citizen had answered of a form they left for a moment.
                if self.s.at.is_none() && self.s.paused.is_some() {
                    self.resume_slots();
                }
                self.go(self.human())
            }
            Action::Resume(true) if self.s.paused.is_some() => {
                self.resume_slots();
                self.repeat_question();
            }
            Action::Resume(false) if self.s.paused.is_some() => {
                self.forget_paused();
                self.leave_form();
                self.go(target("main", "menu"));
            }
            Action::Place(right) if self.s.pending.is_some() && self.in_form() => self.confirm_place(right),
            _ => self.stale(),
        }
    }

    fn text(&mut self, text: &str, timed_out: bool) {
        let clipped: String = text.chars().take(MAX_UNDERSTOOD_CHARS).collect();
        let u = self.flows.classifier.understand(&clipped);
        if !self.s.lang_chosen
            && let Some(lang) = u.lang
        {
            self.s.lang = lang;
        }
        if !u.has_content {
            self.say(Msg::new("empty-input"));
            self.repeat_question();
            return;
        }
        if let Some(i) = u.guard {
            self.understood(i, 1.0);
            // Danger to life comes first; a form under way waits, with what it collected.
            let in_form = self.in_form();
            if in_form {
                self.pause();
            } else {
                self.leave_form();
            }
            let goto = self.flows.intent(i).1.goto.clone();
            self.go(goto);
            if in_form {
                self.offer_resume();
            }
            return;
        }
        if timed_out && self.in_form() {
            self.pause();
            self.say_buttons(
                Msg::new("welcome-back"),
                vec![vec![
                    button("btn-continue", &Action::Resume(true).to_string()),
                    button("btn-restart", &Action::Resume(false).to_string()),
                ]],
            );
            return;
        }
        if self.in_form() {
            self.form_text(text, &clipped, &u);
            return;
        }
        self.route(&clipped, &u);
    }

    fn attachment(&mut self, answer: Answer) {
        if self.in_form() {
            self.answer(answer);
        } else {
            self.say_with_menu(Msg::new("unexpected-attachment"));
        }
    }

    /// The current ask step, if the citizen is in a form.
    fn current_ask(&self) -> Option<(Target, &'a Ask)> {
        let at = self.s.at.as_ref()?;
        let flows: &'a Flows = self.flows;
        match &flows.step_at(at)?.kind {
            StepKind::Ask(a) => Some((at.clone(), a)),
            _ => None,
        }
    }

    fn in_form(&self) -> bool {
        self.current_ask().is_some()
    }

    fn waiting_at(&self, at: &Target) -> bool {
        self.s.at.as_ref() == Some(at) && self.in_form()
    }

    /// Going to an entry point starts afresh: answers of an earlier form are forgotten, except
    /// on the way to a person, who should see them.
    fn begin(&mut self, t: &Target) {
        if t.flow != "human" && self.flows.entries.contains(t) {
            self.s.slots.clear();
        }
    }

    fn understood(&mut self, i: usize, score: f32) {
        let (flow, intent) = self.flows.intent(i);
        self.understood = Some(Understood { intent: Some(format!("{}.{}", flow.id, intent.id)), score, missed: false });
    }

    /// Asks the open question again; false when there is none.
    fn repeat_question(&mut self) -> bool {
        match self.current_ask() {
            Some((at, _)) => {
                self.repeating = true;
                self.go(at);
                self.repeating = false;
                true
            }
            None => false,
        }
    }

    fn choose_language(&mut self) {
        self.say_buttons(
            Msg::new("lang-choose"),
            vec![vec![
                button("btn-lang-bg", &Action::Lang(Lang::Bg).to_string()),
                button("btn-lang-en", &Action::Lang(Lang::En).to_string()),
            ]],
        );
    }

    fn stale(&mut self) {
        self.say_with_menu(Msg::new("stale-button"));
    }

    fn human(&self) -> Target {
        let flow = self.flows.flow("human").map_or("start", |f| f.start.as_str());
        target("human", flow)
    }

    fn leave_form(&mut self) {
        self.s.at = None;
        self.s.slots.clear();
        self.s.retries = 0;
        self.s.pending = None;
    }

    /// Leaves the form under way for a moment, keeping its place and its answers.
    fn pause(&mut self) {
        self.s.paused = self.s.at.take();
        self.s.paused_slots = std::mem::take(&mut self.s.slots);
        self.s.retries = 0;
        self.s.pending = None;
    }

    /// Back to the paused form, with its answers.
    fn resume_slots(&mut self) {
        self.s.at = self.s.paused.take();
        self.s.slots = std::mem::take(&mut self.s.paused_slots);
    }

    fn forget_paused(&mut self) {
        self.s.paused = None;
        self.s.paused_slots.clear();
    }

    /// Offers to go back to the paused form, on the turn's last message.
    fn offer_resume(&mut self) {
        if self.s.paused.is_none() {
            return;
        }
        let resume = vec![button("btn-resume", &Action::Resume(true).to_string())];
        match self.replies.last_mut() {
            Some(last) => last.buttons.insert(0, resume),
            None => self.say_buttons(Msg::new("resume-offer"), vec![resume]),
        }
    }

    /// Runs steps from `t` until one waits for the citizen. What the steps say is named with
    /// the step that said it.
    fn go(&mut self, t: Target) {
        let outer = self.here.take();
        self.walk(t);
        self.here = outer;
    }

    fn walk(&mut self, mut t: Target) {
        for _ in 0..MAX_STEPS_PER_TURN {
            self.here = Some(t.clone());
            if t.flow != "human" && self.s.at.as_ref().is_some_and(|at| at.flow != t.flow) {
                self.s.slots.clear();
            }
            self.s.at = Some(t.clone());
            let Some(step) = self.flows.step_at(&t) else {
                // Loading checks every target, so this is a bug; never leave the citizen stuck.
                self.here = None;
                self.leave_form();
                return self.say_with_menu(Msg::new("not-understood"));
            };
            self.nav = true;
            match &step.kind {
                StepKind::Say { message, buttons, next: Some(n), .. } if buttons.is_empty() => {
                    // Goes straight on: said in one bubble with what follows.
                    let msg = self.msg(message);
                    self.lead.push(msg);
                    t = n.clone();
                }
                StepKind::Say { message, buttons, next, nav } => {
                    let rows = buttons
                        .iter()
                        .map(|b| {
                            vec![Button { label: Msg::new(&b.label), data: Action::Go(b.goto.clone()).to_string() }]
                        })
                        .collect();
                    let msg = self.msg(message);
                    self.say_buttons(msg, rows);
                    self.nav = *nav;
                    match next {
                        Some(n) => t = n.clone(),
                        None => return,
                    }
                }
                // A question already answered (by the intent that led here) is not asked again.
                StepKind::Ask(ask) if self.s.slots.contains_key(&ask.slot) && !self.repeating => t = ask.next.clone(),
                StepKind::Ask(ask) => {
                    self.s.retries = 0;
                    let rows = self.ask_buttons(&t, ask);
                    let msg = self.msg(&ask.prompt);
                    return self.say_buttons(msg, rows);
                }
                StepKind::Branch { slot, cases, default } => {
                    let value = self.s.slots.get(slot).map(Slot::value);
                    t = cases
                        .iter()
                        .find(|(v, _)| Some(v) == value.as_ref())
                        .map_or_else(|| default.clone(), |(_, t)| t.clone());
                }
                StepKind::Escalate { message, next } => {
                    self.escalate(&t, message.as_deref());
                    match next {
                        Some(n) => t = n.clone(),
                        None => {
                            self.s.at = None;
                            return;
                        }
                    }
                }
                StepKind::End { message } => {
                    let message = message.clone();
                    self.leave_form();
                    match message {
                        Some(m) => {
                            let msg = self.msg(&m);
                            self.say_with_menu(msg);
                        }
                        None => self.go(target("main", "menu")),
                    }
                    return;
                }
            }
        }
        self.here = None;
        self.leave_form();
        self.say_with_menu(Msg::new("not-understood"));
    }

    /// Hands the conversation to staff with what the form collected; the topic is the flow's,
    /// or for a person asked for from within a topic, that topic.
    fn escalate(&mut self, at: &Target, message: Option<&str>) {
        let (flow, mut topic) = self.flows.flow(&at.flow).map(|f| (f.id.clone(), f.topic.clone())).unwrap_or_default();
        let reason = if topic == "human" { "person" } else { "step" };
        if let Some(origin) = self
            .origin
            .as_ref()
            .filter(|o| topic == "human" && !["general", "human", "none", "emergency"].contains(&o.as_str()))
        {
            topic = origin.clone();
        }
        let slots = self.s.slots.clone();
        let msg = self.msg(message.unwrap_or("escalated"));
        self.say(msg);
        let reply = self.replies.len() - 1;
        self.effects.push(Effect::Escalate { flow, topic, reason: reason.into(), slots, reply });
    }

    fn ask_buttons(&self, at: &Target, ask: &Ask) -> Vec<Vec<Button>> {
        let mut rows: Vec<Vec<Button>> = ask
            .choices
            .iter()
            .enumerate()
            .map(|(index, c)| {
                vec![Button { label: Msg::new(&c.label), data: Action::Choose { at: at.clone(), index }.to_string() }]
            })
            .collect();
        if ask.optional {
            rows.push(vec![button("btn-skip", &Action::Skip(at.clone()).to_string())]);
        }
        rows
    }

    /// The main menu's buttons, to offer after a message that leaves the citizen without a way on.
    fn menu_buttons(&self) -> Vec<Vec<Button>> {
        match self.flows.step_at(&target("main", "menu")).map(|s| &s.kind) {
            Some(StepKind::Say { buttons, .. }) => buttons
                .iter()
                .map(|b| vec![Button { label: Msg::new(&b.label), data: Action::Go(b.goto.clone()).to_string() }])
                .collect(),
            _ => Vec::new(),
        }
    }

    /// A message with the slots filled so far as its arguments.
    fn msg(&self, id: &str) -> Msg {
        let args = self
            .s
            .slots
            .iter()
            .map(|(name, slot)| {
                let arg = match slot {
                    Slot::Text { text } => Arg::Text(text.clone()),
                    Slot::Number { value } => Arg::Number(*value),
                    Slot::Date { date } => Arg::Text(date.clone()),
                    Slot::Phone { phone } => Arg::Text(phone.clone()),
                    Slot::District { id } => Arg::Text(
                        self.flows.places.get(id).map_or_else(|| id.clone(), |d| d.name(self.s.lang).to_string()),
                    ),
                    Slot::Location { lat, lon } => Arg::Text(format!("{lat:.5}, {lon:.5}")),
                    Slot::Photo { .. } => Arg::Msg("slot-photo".into()),
                    Slot::Choice { label, .. } => Arg::Msg(label.clone()),
                };
                (name.clone(), arg)
            })
            .collect();
        Msg { id: id.to_string(), args }
    }

    fn say(&mut self, text: Msg) {
        self.say_buttons(text, Vec::new());
    }

    fn say_buttons(&mut self, text: Msg, buttons: Vec<Vec<Button>>) {
        self.nav = true;
        let lead = std::mem::take(&mut self.lead);
        self.replies.push(Reply { lead, text, buttons, from: self.here.clone() });
    }

    fn say_with_menu(&mut self, text: Msg) {
        let rows = self.menu_buttons();
        self.say_buttons(text, rows);
        self.nav = true;
    }

    fn finish(mut self) -> Turn {
        // A message that was to lead into another, when nothing followed, is said alone.
        if let Some(last) = self.lead.pop() {
            self.say(last);
        }
        let at_menu = self.s.at.as_ref().is_some_and(|t| t.flow == "main" && t.step == "menu");
        // No [Talk to a person] right after a handover, or inside the human flow.
        let with_human = self.effects.is_empty() && self.s.at.as_ref().is_none_or(|t| t.flow != "human");
        if self.replies.is_empty() {
            self.say_with_menu(Msg::new("not-understood"));
        }
        if self.nav
            && let Some(last) = self.replies.last_mut()
        {
            let mut row = Vec::new();
            let has = |data: &str| last.buttons.iter().flatten().any(|b| b.data == data);
            if !at_menu && !has("m") && !has("g:main:menu") {
                row.push(button("btn-menu", &Action::Menu.to_string()));
            }
            let to_human = last.buttons.iter().flatten().any(|b| b.data.starts_with("g:human:"));
            if with_human && !has("h") && !to_human {
                row.push(button("btn-human", &Action::Human.to_string()));
            }
            if !row.is_empty() {
                last.buttons.push(row);
            }
        }
        self.s.last_active = Some(self.now);
        self.s.offered = self.replies.iter().flat_map(|r| r.buttons.iter().flatten().cloned()).collect();
        Turn { session: self.s, replies: self.replies, effects: self.effects, understood: self.understood }
    }
}

fn target(flow: &str, step: &str) -> Target {
    Target { flow: flow.to_string(), step: step.to_string() }
}

fn button(label: &str, data: &str) -> Button {
    Button { label: Msg::new(label), data: data.to_string() }
}
