//! The flow model: what `dialogs/*.toml` say, loaded and checked into plain Rust values.
//!
//! Owns parsing and resolving flows (targets, steps, intents). It must not know any flow by
//! name except the two every bot needs (`main` and `human`), and it never reads text from
//! `locales/` (that is `i18n`'s job).

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::Deserialize;
use toml::Spanned;

use super::LoadError;
use crate::lang::Lang;

/// One conversation flow, from one file in `dialogs/`.
#[derive(Debug, Clone)]
pub struct Flow {
    pub id: String,
    /// Fluent id of the flow's name, used on buttons.
    pub title: String,
    /// What the flow is about: an area of `dialogs/areas.toml`, or `general` (small talk).
    pub topic: String,
    pub start: String,
    pub intents: Vec<Intent>,
    pub steps: BTreeMap<String, Step>,
    pub file: PathBuf,
}

/// Something a citizen may say that a flow answers.
#[derive(Debug, Clone)]
pub struct Intent {
    pub id: String,
    pub goto: Target,
    pub examples: BTreeMap<Lang, Vec<String>>,
    pub patterns: Vec<regex_lite::Regex>,
    /// Wins over everything, in any step (the emergency guard).
    pub guard: bool,
    /// Choices this intent already answers ("the street light is out" is the category
    /// "light"): slot name to choice value, filled before the flow starts.
    pub set: BTreeMap<String, String>,
    pub line: usize,
}

impl crate::nlu::Learn for Intent {
    fn examples(&self) -> &BTreeMap<Lang, Vec<String>> {
        &self.examples
    }

    fn patterns(&self) -> &[regex_lite::Regex] {
        &self.patterns
    }

    fn is_guard(&self) -> bool {
        self.guard
    }
}

/// A place in the dialogue: a step of a flow.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize, serde::Deserialize)]
pub struct Target {
    pub flow: String,
    pub step: String,
}

impl std::fmt::Display for Target {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}:{}", self.flow, self.step)
    }
}

#[derive(Debug, Clone)]
pub struct Step {
    pub name: String,
    pub kind: StepKind,
    pub line: usize,
}

#[derive(Debug, Clone)]
pub enum StepKind {
    Say { message: String, buttons: Vec<ButtonSpec>, next: Option<Target>, nav: bool },
    Ask(Ask),
    Branch { slot: String, cases: Vec<(String, Target)>, default: Target },
    Escalate { message: Option<String>, next: Option<Target> },
    End { message: Option<String> },
}

#[derive(Debug, Clone)]
pub struct ButtonSpec {
    pub label: String,
    pub goto: Target,
}

/// A question whose answer is stored in a slot.
#[derive(Debug, Clone)]
pub struct Ask {
    pub slot: String,
    pub prompt: String,
    pub expect: Expect,
    pub choices: Vec<Choice>,
    pub retry: Option<String>,
    pub retries: u8,
    pub on_fail: Target,
    pub optional: bool,
    pub next: Target,
    pub min: Option<f64>,
    pub max: Option<f64>,
    /// The citizen's first message may answer this (text) question when it describes rather
    /// than asks: "a tree fell on the pavement in front of block 215" is the description.
    pub from_first: bool,
}

#[derive(Debug, Clone)]
pub struct Choice {
    pub value: String,
    pub label: String,
    /// Beginnings of words that name this choice in free text ("дупк", "dupk", "pothole"),
    /// lowercase; Latin-typed Bulgarian is also read in Cyrillic before matching.
    pub words: Vec<String>,
}

/// The kinds of answer an ask step accepts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Expect {
    Choice,
    Text,
    Number,
    Date,
    Phone,
    District,
    Location,
    Photo,
    DistrictOrLocation,
}

impl Expect {
    /// The core message said when an answer does not fit and the step names no retry.
    pub fn default_retry(self) -> &'static str {
        match self {
            Expect::Choice => "retry-choice",
            Expect::Text => "retry-text",
            Expect::Number => "retry-number",
            Expect::Date => "retry-date",
            Expect::Phone => "retry-phone",
            Expect::District => "retry-district",
            Expect::Location => "retry-location",
            Expect::Photo => "retry-photo",
            Expect::DistrictOrLocation => "retry-district-or-location",
        }
    }
}

// ---- the raw TOML shape -------------------------------------------------------------------

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawFile {
    flow: RawFlow,
    #[serde(default)]
    intent: Vec<Spanned<RawIntent>>,
    #[serde(default)]
    step: BTreeMap<String, Spanned<RawStep>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawFlow {
    id: Spanned<String>,
    title: Spanned<String>,
    topic: Spanned<String>,
    start: Spanned<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawIntent {
    id: String,
    goto: Option<Spanned<String>>,
    #[serde(default)]
    bg: Vec<String>,
    #[serde(default)]
    en: Vec<String>,
    #[serde(default)]
    patterns: Vec<Spanned<String>>,
    #[serde(default)]
    guard: bool,
    #[serde(default)]
    set: BTreeMap<String, String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawStep {
    say: Option<Spanned<String>>,
    #[serde(default)]
    buttons: Vec<RawButton>,
    next: Option<Spanned<String>>,
    nav: Option<bool>,
    ask: Option<String>,
    prompt: Option<Spanned<String>>,
    expect: Option<Expect>,
    #[serde(default)]
    choices: Vec<RawChoice>,
    retry: Option<Spanned<String>>,
    retries: Option<u8>,
    on_fail: Option<Spanned<String>>,
    #[serde(default)]
    optional: bool,
    min: Option<f64>,
    max: Option<f64>,
    #[serde(default)]
    from_first: bool,
    branch: Option<String>,
    #[serde(default)]
    cases: BTreeMap<String, Spanned<String>>,
    default: Option<Spanned<String>>,
    #[serde(default)]
    escalate: bool,
    #[serde(default)]
    end: bool,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawButton {
    label: Spanned<String>,
    goto: Spanned<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawChoice {
    value: String,
    label: Spanned<String>,
    #[serde(default)]
    words: Vec<String>,
}

/// Where a Fluent id is used, so a missing message can be reported at its use.
#[derive(Debug, Clone)]
pub struct MessageUse {
    pub id: String,
    pub file: PathBuf,
    pub line: usize,
}

/// A target as written, before the other flows are known.
#[derive(Debug, Clone)]
pub(crate) struct PendingTarget {
    pub target: Target,
    /// `housing:` names a flow at its start; the start is filled in once every flow is loaded.
    pub flow_start: bool,
    pub line: usize,
    pub from_step: Option<String>,
}

/// A flow as parsed from one file, with what still needs checking against the others.
pub(crate) struct ParsedFlow {
    pub flow: Flow,
    pub targets: Vec<PendingTarget>,
    pub messages: Vec<MessageUse>,
    /// Where the flow's topic is written, for a topic that is not an area.
    pub topic_line: usize,
}

/// Names of flows and steps go into callback data (at most 64 bytes), so they are short ASCII.
fn valid_name(name: &str, max: usize) -> bool {
    !name.is_empty()
        && name.len() <= max
        && name.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_')
}

pub(crate) const MAX_FLOW_ID: usize = 20;
pub(crate) const MAX_STEP_NAME: usize = 24;

/// Turns a byte offset into a 1-based line number.
pub(crate) fn line_of(source: &str, offset: usize) -> usize {
    source[..offset.min(source.len())].bytes().filter(|&b| b == b'\n').count() + 1
}

pub(crate) fn parse_flow(path: &Path, source: &str) -> Result<ParsedFlow, LoadError> {
    let err = |line: usize, message: String| LoadError::at(path, line, message);
    let raw: RawFile = toml::from_str(source).map_err(|e| {
        let line = e.span().map(|s| line_of(source, s.start)).unwrap_or(1);
        err(line, e.message().trim().to_string())
    })?;
    let line = |span: std::ops::Range<usize>| line_of(source, span.start);

    let id = raw.flow.id.get_ref().clone();
    if !valid_name(&id, MAX_FLOW_ID) {
        return Err(err(
            line(raw.flow.id.span()),
            format!("flow id \"{id}\" must be 1-{MAX_FLOW_ID} characters of a-z, 0-9 and _"),
        ));
    }
    let stem = path.file_stem().and_then(|s| s.to_str()).unwrap_or_default();
    if stem != id {
        return Err(err(
            line(raw.flow.id.span()),
            format!("flow id \"{id}\" must match its file name \"{stem}.toml\""),
        ));
    }

    let mut targets = Vec::new();
    let mut messages = vec![MessageUse {
        id: raw.flow.title.get_ref().clone(),
        file: path.to_path_buf(),
        line: line(raw.flow.title.span()),
    }];
    let mut use_message = |s: &Spanned<String>| {
        messages.push(MessageUse { id: s.get_ref().clone(), file: path.to_path_buf(), line: line(s.span()) });
        s.get_ref().clone()
    };
    let mut resolve = |s: &Spanned<String>, from_step: Option<&str>| -> Result<Target, LoadError> {
        let written = s.get_ref();
        let at = line(s.span());
        let (flow, step, flow_start) = match written.split_once(':') {
            Some((f, "")) => (f.to_string(), String::new(), true),
            Some((f, st)) => (f.to_string(), st.to_string(), false),
            None => (id.clone(), written.clone(), false),
        };
        if !valid_name(&flow, MAX_FLOW_ID) || (!flow_start && !valid_name(&step, MAX_STEP_NAME)) {
            return Err(err(at, format!("\"{written}\" is not a step, \"flow:step\" or \"flow:\"")));
        }
        let target = Target { flow, step };
        targets.push(PendingTarget {
            target: target.clone(),
            flow_start,
            line: at,
            from_step: from_step.map(str::to_string),
        });
        Ok(target)
    };

    let start_line = line(raw.flow.start.span());
    let start = raw.flow.start.get_ref().clone();
    resolve(&raw.flow.start, None)?;

    let mut steps = BTreeMap::new();
    for (name, spanned) in &raw.step {
        let at = line(spanned.span());
        if !valid_name(name, MAX_STEP_NAME) {
            return Err(err(
                at,
                format!("step name \"{name}\" must be 1-{MAX_STEP_NAME} characters of a-z, 0-9 and _"),
            ));
        }
        let s = spanned.get_ref();
        let from = Some(name.as_str());
        let kinds = [s.say.is_some() && !s.escalate && !s.end, s.ask.is_some(), s.branch.is_some(), s.escalate, s.end];
        let count = kinds.iter().filter(|k| **k).count();
        if count != 1 {
            return Err(err(
                at,
                format!("step \"{name}\" must do exactly one thing: say, ask, branch, escalate or end"),
            ));
        }
        let kind = if s.ask.is_some() {
            let slot = s.ask.clone().unwrap_or_default();
            let prompt = s.prompt.as_ref().ok_or_else(|| err(at, format!("step \"{name}\" asks without a prompt")))?;
            let expect = s.expect.ok_or_else(|| err(at, format!("step \"{name}\" asks without expect")))?;
            if expect == Expect::Choice && s.choices.is_empty() {
                return Err(err(at, format!("step \"{name}\" expects a choice but lists no choices")));
            }
            if s.from_first && expect != Expect::Text {
                return Err(err(
                    at,
                    format!("step \"{name}\" takes its answer from the first message, which needs expect = \"text\""),
                ));
            }
            if expect != Expect::Choice && !s.choices.is_empty() {
                return Err(err(at, format!("step \"{name}\" lists choices but expects {expect:?}")));
            }
            let next = s.next.as_ref().ok_or_else(|| err(at, format!("step \"{name}\" asks but has no next")))?;
            let on_fail = match &s.on_fail {
                Some(t) => resolve(t, from)?,
                None => resolve(&Spanned::new(spanned.span(), "human:".to_string()), from)?,
            };
            StepKind::Ask(Ask {
                slot,
                prompt: use_message(prompt),
                expect,
                choices: s
                    .choices
                    .iter()
                    .map(|c| Choice {
                        value: c.value.clone(),
                        label: use_message(&c.label),
                        words: c.words.iter().map(|w| crate::nlu::normalize::normalize(w)).collect(),
                    })
                    .collect(),
                retry: s.retry.as_ref().map(&mut use_message),
                retries: s.retries.unwrap_or(2),
                on_fail,
                optional: s.optional,
                next: resolve(next, from)?,
                min: s.min,
                max: s.max,
                from_first: s.from_first,
            })
        } else if let Some(slot) = &s.branch {
            let default =
                s.default.as_ref().ok_or_else(|| err(at, format!("step \"{name}\" branches without a default")))?;
            let mut cases = Vec::new();
            for (value, t) in &s.cases {
                cases.push((value.clone(), resolve(t, from)?));
            }
            StepKind::Branch { slot: slot.clone(), cases, default: resolve(default, from)? }
        } else if s.escalate {
            StepKind::Escalate {
                message: s.say.as_ref().map(&mut use_message),
                next: s.next.as_ref().map(|t| resolve(t, from)).transpose()?,
            }
        } else if s.end {
            StepKind::End { message: s.say.as_ref().map(&mut use_message) }
        } else {
            let message = use_message(s.say.as_ref().expect("a say step has say"));
            let mut buttons = Vec::new();
            for b in &s.buttons {
                buttons.push(ButtonSpec { label: use_message(&b.label), goto: resolve(&b.goto, from)? });
            }
            StepKind::Say {
                message,
                buttons,
                next: s.next.as_ref().map(|t| resolve(t, from)).transpose()?,
                nav: s.nav.unwrap_or(true),
            }
        };
        steps.insert(name.clone(), Step { name: name.clone(), kind, line: at });
    }
    if !steps.contains_key(&start) && !start.contains(':') {
        return Err(err(start_line, format!("flow \"{id}\" starts at unknown step \"{start}\"")));
    }

    let mut intents = Vec::new();
    for spanned in &raw.intent {
        let at = line(spanned.span());
        let i = spanned.get_ref();
        let goto = match &i.goto {
            Some(t) => resolve(t, None)?,
            None => Target { flow: id.clone(), step: start.clone() },
        };
        let mut patterns = Vec::new();
        for p in &i.patterns {
            let re = regex_lite::Regex::new(p.get_ref())
                .map_err(|e| err(line(p.span()), format!("intent \"{}\": pattern does not compile: {e}", i.id)))?;
            patterns.push(re);
        }
        let mut examples = BTreeMap::new();
        examples.insert(Lang::Bg, i.bg.clone());
        examples.insert(Lang::En, i.en.clone());
        intents.push(Intent {
            id: i.id.clone(),
            goto,
            examples,
            patterns,
            guard: i.guard,
            set: i.set.clone(),
            line: at,
        });
    }

    let flow = Flow {
        id,
        title: raw.flow.title.get_ref().clone(),
        topic: raw.flow.topic.get_ref().clone(),
        start,
        intents,
        steps,
        file: path.to_path_buf(),
    };
    let topic_line = line(raw.flow.topic.span());
    Ok(ParsedFlow { flow, targets, messages, topic_line })
}
