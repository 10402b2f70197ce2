//! `step`: one citizen action in, one `Turn` out. Commands first, then the emergency guard,
//! then the open question of a form, then understanding free text.

use chrono::{DateTime, Utc};

use super::answer::{self, Answer};
use super::decide::{Decision, decide};
use super::flow::{Ask, StepKind};
use super::{Arg, Button, Effect, Flows, Incoming, Input, Msg, Reply, Session, Slot, Target, Turn, Understood};
use crate::lang::Lang;
use crate::nlu::Understanding;

/// The messages the engine says itself; `locales/*/core.ftl` must have each of them.
pub const CORE_MESSAGES: &[&str] = &[
    "btn-menu",
    "btn-human",
    "btn-skip",
    "btn-continue",
    "btn-restart",
    "btn-lang-bg",
    "btn-lang-en",
    "lang-choose",
    "lang-set",
    "not-understood",
    "not-understood-human",
    "did-you-mean",
    "cancelled",
    "nothing-to-cancel",
    "reset-done",
    "welcome-back",
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
        self.s.paused = None;
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
        let parts: Vec<&str> = data.split(':').collect();
        match parts.as_slice() {
            ["g", flow, step] => {
                let t = target(flow, step);
                if self.flows.step_at(&t).is_some() {
                    self.s.paused = None;
                    self.begin(&t);
                    self.go(t);
                } else {
                    self.stale();
                }
            }
            ["c", flow, step, i] if self.waiting_at(flow, step) => match i.parse::<usize>() {
                Ok(i) => self.answer(Answer::Choice(i)),
                Err(_) => self.stale(),
            },
            ["k", flow, step] if self.waiting_at(flow, step) => self.skip(),
            ["l", code] => match Lang::parse(code) {
                Some(lang) => {
                    self.s.lang = lang;
                    self.s.lang_chosen = true;
                    self.say(Msg::new("lang-set"));
                    if !self.repeat_question() {
                        self.go(target("main", "menu"));
                    }
                }
                None => self.stale(),
            },
            ["m"] => self.command("menu", ""),
            ["h"] => self.go(self.human()),
            ["r", "c"] if self.s.paused.is_some() => {
                self.s.at = self.s.paused.take();
                self.repeat_question();
            }
            ["r", "n"] if self.s.paused.is_some() => {
                self.s.paused = None;
                self.leave_form();
                self.go(target("main", "menu"));
            }
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
            self.leave_form();
            let goto = self.flows.intent(i).1.goto.clone();
            self.go(goto);
            return;
        }
        if timed_out && self.in_form() {
            self.s.paused = self.s.at.take();
            self.say_buttons(
                Msg::new("welcome-back"),
                vec![vec![button("btn-continue", "r:c"), button("btn-restart", "r:n")]],
            );
            return;
        }
        self.s.paused = None;
        if self.in_form() {
            self.answer(Answer::Text(text));
            return;
        }
        self.route(&u);
    }

    /// Answers free text outside a form: at once, with "Did you mean ...?", or not at all.
    fn route(&mut self, u: &Understanding) {
        match decide(self.flows, u) {
            Decision::Answer { intent, score } => self.decided(intent, score),
            Decision::Suggest { intents, score } => {
                let buttons = intents
                    .into_iter()
                    .map(|i| {
                        let (flow, intent) = self.flows.intent(i);
                        vec![Button { label: Msg::new(&flow.title), data: go_data(&intent.goto) }]
                    })
                    .collect();
                self.understood = Some(Understood { intent: None, score, missed: false });
                self.say_buttons(Msg::new("did-you-mean"), buttons);
            }
            Decision::Missed { score } => self.missed(score),
        }
    }

    fn decided(&mut self, i: usize, score: f32) {
        self.understood(i, score);
        self.s.misses = 0;
        let intent = self.flows.intent(i).1;
        self.begin(&intent.goto);
        for (slot, value) in &intent.set {
            if let Some(label) = self.choice_label(&intent.goto.flow, slot, value) {
                self.s.slots.insert(slot.clone(), Slot::Choice { value: value.clone(), label });
            }
        }
        self.go(intent.goto.clone());
    }

    /// Going to an entry point starts afresh: answers of an earlier form are forgotten, except
    /// on the way to a person, who should see them.
    fn begin(&mut self, t: &Target) {
        if t.flow != "human" && self.flows.entries.contains(t) {
            self.s.slots.clear();
        }
    }

    fn choice_label(&self, flow: &str, slot: &str, value: &str) -> Option<String> {
        self.flows.flow(flow)?.steps.values().find_map(|st| match &st.kind {
            StepKind::Ask(a) if a.slot == slot => a.choices.iter().find(|c| c.value == value).map(|c| c.label.clone()),
            _ => None,
        })
    }

    fn understood(&mut self, i: usize, score: f32) {
        let (flow, intent) = self.flows.intent(i);
        self.understood = Some(Understood { intent: Some(format!("{}.{}", flow.id, intent.id)), score, missed: false });
    }

    fn missed(&mut self, score: f32) {
        self.understood = Some(Understood { intent: None, score, missed: true });
        self.s.misses = self.s.misses.saturating_add(1);
        if self.s.misses >= 2 {
            let mut rows = vec![vec![button("btn-human", "h")]];
            rows.extend(self.menu_buttons());
            self.say_buttons(Msg::new("not-understood-human"), rows);
            self.nav = false;
        } else {
            self.say_with_menu(Msg::new("not-understood"));
        }
    }

    fn attachment(&mut self, answer: Answer) {
        self.s.paused = None;
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

    fn waiting_at(&self, flow: &str, step: &str) -> bool {
        self.s.at.as_ref().is_some_and(|t| t.flow == flow && t.step == step) && self.in_form()
    }

    fn answer(&mut self, answer: Answer) {
        let Some((at, ask)) = self.current_ask() else { return self.stale() };
        let today = self.now.date_naive();
        match answer::check(ask, &answer, &self.flows.places, today) {
            Some(slot) => {
                self.s.slots.insert(ask.slot.clone(), slot);
                self.s.retries = 0;
                self.go(ask.next.clone());
            }
            None => {
                self.s.retries = self.s.retries.saturating_add(1);
                if self.s.retries > ask.retries {
                    self.s.retries = 0;
                    self.say(Msg::new("retry-give-up"));
                    self.go(ask.on_fail.clone());
                } else {
                    let retry = ask.retry.clone().unwrap_or_else(|| ask.expect.default_retry().to_string());
                    let buttons = self.ask_buttons(&at, ask);
                    let msg = self.msg(&retry);
                    self.say_buttons(msg, buttons);
                }
            }
        }
    }

    fn skip(&mut self) {
        let Some((_, ask)) = self.current_ask() else { return self.stale() };
        if !ask.optional {
            return self.stale();
        }
        self.s.slots.remove(&ask.slot);
        self.s.retries = 0;
        self.go(ask.next.clone());
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
            vec![vec![button("btn-lang-bg", "l:bg"), button("btn-lang-en", "l:en")]],
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
    }

    /// Runs steps from `t` until one waits for the citizen.
    fn go(&mut self, mut t: Target) {
        for _ in 0..MAX_STEPS_PER_TURN {
            if t.flow != "human" && self.s.at.as_ref().is_some_and(|at| at.flow != t.flow) {
                self.s.slots.clear();
            }
            self.s.at = Some(t.clone());
            let Some(step) = self.flows.step_at(&t) else {
                // Loading checks every target, so this is a bug; never leave the citizen stuck.
                self.leave_form();
                return self.say_with_menu(Msg::new("not-understood"));
            };
            self.nav = true;
            match &step.kind {
                StepKind::Say { message, buttons, next, nav } => {
                    let rows = buttons
                        .iter()
                        .map(|b| vec![Button { label: Msg::new(&b.label), data: go_data(&b.goto) }])
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
                    let (flow, mut topic) =
                        self.flows.flow(&t.flow).map(|f| (f.id.clone(), f.topic.clone())).unwrap_or_default();
                    let reason = if topic == "human" { "person" } else { "step" };
                    if let Some(origin) = self
                        .origin
                        .as_ref()
                        .filter(|o| topic == "human" && !["general", "human", "none"].contains(&o.as_str()))
                    {
                        topic = origin.clone();
                    }
                    let slots = self.s.slots.clone();
                    let msg = self.msg(message.as_deref().unwrap_or("escalated"));
                    self.say(msg);
                    let reply = self.replies.len() - 1;
                    self.effects.push(Effect::Escalate { flow, topic, reason: reason.into(), slots, reply });
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
        self.leave_form();
        self.say_with_menu(Msg::new("not-understood"));
    }

    fn ask_buttons(&self, at: &Target, ask: &Ask) -> Vec<Vec<Button>> {
        let mut rows: Vec<Vec<Button>> = ask
            .choices
            .iter()
            .enumerate()
            .map(|(i, c)| vec![Button { label: Msg::new(&c.label), data: format!("c:{}:{}:{i}", at.flow, at.step) }])
            .collect();
        if ask.optional {
            rows.push(vec![button("btn-skip", &format!("k:{}:{}", at.flow, at.step))]);
        }
        rows
    }

    /// The main menu's buttons, to offer after a message that leaves the citizen without a way on.
    fn menu_buttons(&self) -> Vec<Vec<Button>> {
        match self.flows.step_at(&target("main", "menu")).map(|s| &s.kind) {
            Some(StepKind::Say { buttons, .. }) => {
                buttons.iter().map(|b| vec![Button { label: Msg::new(&b.label), data: go_data(&b.goto) }]).collect()
            }
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
        self.replies.push(Reply { text, buttons });
    }

    fn say_with_menu(&mut self, text: Msg) {
        let rows = self.menu_buttons();
        self.say_buttons(text, rows);
        self.nav = true;
    }

    fn finish(mut self) -> Turn {
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
                row.push(button("btn-menu", "m"));
            }
            let to_human = last.buttons.iter().flatten().any(|b| b.data.starts_with("g:human:"));
            if with_human && !has("h") && !to_human {
                row.push(button("btn-human", "h"));
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

fn go_data(t: &Target) -> String {
    format!("g:{}:{}", t.flow, t.step)
}
