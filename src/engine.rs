//! The dialogue core. No IO, no async, no clock.
//!
//! `step(flows, session, input, now)` takes one thing a citizen did and returns a `Turn`: the
//! session to store, the replies to send (as Fluent ids with arguments) and the effects for
//! the shell (an escalation to staff). It never fails: what it cannot understand becomes a
//! "did not understand" turn, and a session that no longer loads becomes an apology and a
//! fresh start. It knows no city: every fact comes from `dialogs/` and `locales/`.

pub mod action;
pub(crate) mod answer;
pub(crate) mod areas;
pub(crate) mod decide;
pub(crate) mod flow;
mod load;
pub(crate) mod places;
mod run;
pub(crate) mod session;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

pub use areas::Areas;
pub use flow::{Expect, Flow, Intent, Step, StepKind, Target};
pub use load::{MessageUse, load_flows, unreachable_steps};
pub use places::Places;
pub use run::CORE_MESSAGES;
pub use run::step;
pub use session::{SESSION_VERSION, Session, Slot};

use crate::lang::Lang;
use crate::nlu::Classifier;

/// Everything the engine needs to hold a conversation: the flows, the places, the classifier
/// built from the flows' examples, and the settings.
#[derive(Debug)]
pub struct Flows {
    pub flows: Vec<Flow>,
    pub places: Places,
    pub classifier: Classifier,
    pub settings: Settings,
    /// Every Fluent id that `dialogs/` uses, with where it is used.
    pub messages: Vec<MessageUse>,
    /// (flow index, intent index) for each intent the classifier knows, in its order.
    pub intents: Vec<(usize, usize)>,
    /// The steps where a conversation begins afresh (a flow's start, an intent's target):
    /// going there forgets the answers of an earlier form.
    pub entries: std::collections::HashSet<Target>,
    /// The topic areas a flow's `topic` is chosen from (`dialogs/areas.toml`).
    pub areas: Areas,
}

/// Tunable behaviour, from configuration.
#[derive(Debug, Clone)]
pub struct Settings {
    /// After this long without a message, a citizen in the middle of a form is greeted and
    /// asked whether to go on.
    pub session_timeout: chrono::Duration,
    /// A score at or above this answers at once.
    pub accept: f32,
    /// A score at or above this (but below `accept`, or too close to another topic) asks
    /// "Did you mean ...?".
    pub suggest: f32,
    /// How far ahead the best topic must be of the next one to answer at once.
    pub margin: f32,
    /// Also answered at once, from `suggest` up: when the best other flow scores at most
    /// this share of the best.
    pub lead: f32,
}

impl Default for Settings {
    fn default() -> Self {
        Settings { session_timeout: chrono::Duration::minutes(30), accept: 0.42, suggest: 0.2, margin: 0.06, lead: 0.7 }
    }
}

impl Flows {
    pub fn flow(&self, id: &str) -> Option<&Flow> {
        self.flows.iter().find(|f| f.id == id)
    }

    pub fn step_at(&self, target: &Target) -> Option<&Step> {
        self.flow(&target.flow)?.steps.get(&target.step)
    }

    /// The area of a flow: its topic, except small talk (`general`), which is `none`.
    pub fn area_of(&self, flow: &str) -> &str {
        match self.flow(flow).map(|f| f.topic.as_str()) {
            Some(areas::GENERAL) | None => areas::NONE,
            Some(topic) => topic,
        }
    }

    /// The intent behind the classifier's index `i`, with its flow.
    pub fn intent(&self, i: usize) -> (&Flow, &Intent) {
        let (f, n) = self.intents[i];
        (&self.flows[f], &self.flows[f].intents[n])
    }
}

/// What a citizen did.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Input {
    Text {
        text: String,
    },
    /// `/name arg`; the channel has already taken off any `@BotName`.
    Command {
        name: String,
        arg: String,
    },
    /// The data of a pressed button.
    Button {
        data: String,
    },
    Location {
        lat: f64,
        lon: f64,
    },
    Photo {
        file_id: String,
    },
    Contact {
        phone: String,
    },
    /// A sticker, voice message, video, document...: named, not read.
    Unsupported {
        what: String,
    },
}

impl Input {
    /// Reads a line of text as a command when it starts with `/`, taking off `@BotName`.
    pub fn from_text(text: &str) -> Input {
        let trimmed = text.trim();
        if let Some(rest) = trimmed.strip_prefix('/') {
            let (head, arg) = rest.split_once(char::is_whitespace).unwrap_or((rest, ""));
            let name = head.split('@').next().unwrap_or_default();
            if !name.is_empty() && name.len() <= 32 && name.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_') {
                return Input::Command { name: name.to_ascii_lowercase(), arg: arg.trim().to_string() };
            }
        }
        Input::Text { text: text.to_string() }
    }
}

/// An input together with what the channel knows about the citizen's language.
#[derive(Debug, Clone)]
pub struct Incoming {
    pub input: Input,
    /// The language the citizen's app is set to (Telegram's `language_code`), if known.
    pub channel_lang: Option<Lang>,
}

/// A message to show: a Fluent id and its arguments.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Msg {
    pub id: String,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub args: Vec<(String, Arg)>,
}

impl Msg {
    pub fn new(id: &str) -> Msg {
        Msg { id: id.to_string(), args: Vec::new() }
    }
}

/// A Fluent argument: text, a number (for plurals), or another message rendered first.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Arg {
    Text(String),
    Number(f64),
    Msg(String),
}

/// A button: its label and the short ASCII data the channel sends back when it is pressed.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Button {
    pub label: Msg,
    pub data: String,
}

/// One message of the assistant.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Reply {
    /// Messages said just before `text`, in the same bubble (steps that go straight on).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub lead: Vec<Msg>,
    pub text: Msg,
    /// Rows of buttons.
    pub buttons: Vec<Vec<Button>>,
    /// The step that said it; `None` for the engine's own messages ("Did you mean ...?", "not
    /// understood", a stale button), which belong to no flow.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub from: Option<Target>,
}

/// Something the shell must do beyond sending replies.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Effect {
    /// Hand the conversation to staff, with what the flow collected. `reply` is the index of
    /// the reply that tells the citizen, so that the shell can add the case's reference to it.
    Escalate { flow: String, topic: String, reason: String, slots: BTreeMap<String, Slot>, reply: usize },
}

/// What the engine understood of a text, for the transcript and the statistics.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
pub struct Understood {
    pub intent: Option<String>,
    pub score: f32,
    /// The text was meant to be understood and was not.
    pub missed: bool,
}

/// The result of one step.
#[derive(Debug, Clone)]
pub struct Turn {
    pub session: Session,
    pub replies: Vec<Reply>,
    pub effects: Vec<Effect>,
    pub understood: Option<Understood>,
}

/// A problem in `dialogs/` or `locales/`, at a file and line, worded for a content editor.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{}:{line}: {message}", file.display())]
pub struct LoadError {
    pub file: PathBuf,
    pub line: usize,
    pub message: String,
}

impl LoadError {
    pub fn at(file: &Path, line: usize, message: impl Into<String>) -> LoadError {
        LoadError { file: file.to_path_buf(), line, message: message.into() }
    }
}

/// A clock value for tests and tools: the engine itself never reads the clock.
pub fn epoch() -> DateTime<Utc> {
    DateTime::<Utc>::from_timestamp(1_790_000_000, 0).unwrap_or_default()
}
