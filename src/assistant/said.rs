//! What the assistant says, before and after rendering. A `Draft` is a message as message ids
//! with their arguments and buttons with typed actions: the engine's replies, and the messages
//! the shell says itself (about cases, privacy, ratings), built the same way so that they set
//! the buttons on offer and typing a label or a number presses them. `Outgoing` is a draft
//! rendered in the citizen's language, for any channel. Rendering happens here, once per
//! message; nothing here knows a channel.

use serde::Serialize;

use crate::engine::action::Action;
use crate::engine::{self, Button, Flows, Msg, Reply, Turn};
use crate::i18n::Locales;
use crate::lang::Lang;

/// A message rendered in the citizen's language, ready for any channel.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Outgoing {
    pub text: String,
    pub buttons: Vec<Vec<Shown>>,
    pub lang: Lang,
    /// The flow and step that said it: a flow's step, or for what the shell says itself the
    /// shell's part (`cases`, `privacy`); `None` for the engine's own "Did you mean ...?" and
    /// "not understood".
    pub flow: Option<String>,
    pub step: Option<String>,
    /// The topic area it belongs to (`dialogs/areas.toml`).
    pub area: String,
    /// It only tells the citizen that their message was passed on to staff. A channel that
    /// can mark the citizen's message itself does that instead of sending the text (Telegram
    /// sets a reaction on it); others show the text.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub ack: bool,
}

/// A button as shown: its label in the citizen's language and its data.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Shown {
    pub label: String,
    pub data: String,
}

/// The parts of the shell that speak to citizens: named on their messages as a flow would
/// be, with their area.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Part {
    /// Cases and ratings.
    Cases,
    /// /privacy, /mydata, /forget.
    Privacy,
}

impl Part {
    pub fn name(self) -> &'static str {
        match self {
            Part::Cases => "cases",
            Part::Privacy => "privacy",
        }
    }

    pub fn area(self) -> &'static str {
        match self {
            Part::Cases => engine::areas::HUMAN,
            Part::Privacy => engine::areas::NONE,
        }
    }
}

/// A message for the citizen before rendering.
#[derive(Debug, Clone, PartialEq)]
pub struct Draft {
    pub lang: Lang,
    pub reply: Reply,
    /// For a message of the shell's own, its part; `None` for the engine's.
    pub part: Option<Part>,
    /// Only acknowledges a message passed on to staff (see `Outgoing::ack`).
    pub ack: bool,
}

impl Draft {
    /// One of the engine's replies.
    pub fn engine(lang: Lang, reply: Reply) -> Draft {
        Draft { lang, reply, part: None, ack: false }
    }

    /// A message of the shell's own: a text and rows of buttons.
    pub fn shell(part: Part, lang: Lang, text: Msg, buttons: Vec<Vec<Button>>) -> Draft {
        Draft { lang, reply: Reply { lead: Vec::new(), text, buttons, from: None }, part: Some(part), ack: false }
    }

    /// The short acknowledgement of a message passed on to staff.
    pub fn ack(lang: Lang, text: Msg) -> Draft {
        Draft { ack: true, ..Draft::shell(Part::Cases, lang, text, Vec::new()) }
    }

    /// Adds a row of buttons.
    pub fn with_row(mut self, row: Vec<Button>) -> Draft {
        self.reply.buttons.push(row);
        self
    }
}

/// A button that does `action`, labelled with the message `label`.
pub fn button(label: &str, action: &Action) -> Button {
    Button { label: Msg::new(label), data: action.to_string() }
}

/// A message id with its arguments.
pub fn msg(id: &str, args: Vec<(&str, engine::Arg)>) -> Msg {
    Msg { id: id.to_string(), args: args.into_iter().map(|(k, v)| (k.to_string(), v)).collect() }
}

/// Renders drafts in their languages, each named with its flow (or the shell's part) and area.
pub fn render_drafts(flows: &Flows, locales: &Locales, drafts: &[Draft]) -> Vec<Outgoing> {
    drafts.iter().map(|d| render_draft(flows, locales, d)).collect()
}

fn render_draft(flows: &Flows, locales: &Locales, d: &Draft) -> Outgoing {
    let Reply { lead, text, buttons, from } = &d.reply;
    let lang = d.lang;
    let (flow, step, area) = match (d.part, from) {
        (Some(part), _) => (Some(part.name().to_string()), None, part.area().to_string()),
        (None, Some(t)) => (Some(t.flow.clone()), Some(t.step.clone()), flows.area_of(&t.flow).to_string()),
        (None, None) => (None, None, engine::areas::NONE.to_string()),
    };
    Outgoing {
        text: render_msgs(locales, lang, lead.iter().chain(std::iter::once(text)), "\n\n"),
        buttons: buttons
            .iter()
            .map(|row| {
                row.iter().map(|b| Shown { label: locales.render(lang, &b.label), data: b.data.clone() }).collect()
            })
            .collect(),
        lang,
        flow,
        step,
        area,
        ack: d.ack,
    }
}

/// Messages rendered and joined with `sep`.
pub fn render_msgs<'a>(locales: &Locales, lang: Lang, msgs: impl IntoIterator<Item = &'a Msg>, sep: &str) -> String {
    msgs.into_iter().map(|m| locales.render(lang, m)).collect::<Vec<_>>().join(sep)
}

/// Renders a turn's replies in the session's language, each named with its flow and area.
pub fn render(flows: &Flows, locales: &Locales, turn: &Turn) -> Vec<Outgoing> {
    render_drafts(flows, locales, &engine_drafts(turn))
}

/// A turn's replies as drafts in the session's language.
pub fn engine_drafts(turn: &Turn) -> Vec<Draft> {
    turn.replies.iter().cloned().map(|r| Draft::engine(turn.session.lang, r)).collect()
}

/// The buttons a set of drafts offers, in order: what typing a number counts through.
pub fn offered(drafts: &[Draft]) -> Vec<Button> {
    drafts.iter().filter(|d| !d.ack).flat_map(|d| d.reply.buttons.iter().flatten().cloned()).collect()
}
