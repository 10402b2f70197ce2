//! The assistant's parts and its words, below the channels and the staff desk: `Assistant`
//! (the flows, the text, the store and the settings a conversation needs), what it says
//! (`said`: drafts of message ids and typed buttons, rendered once into `Outgoing`), and what
//! a typed text may stand for besides itself (`typed`). The loop every channel shares is in
//! `channels`; the staff desk and the data rights answer through the same drafts. Nothing here
//! knows a channel.

mod said;
mod typed;

use chrono::{DateTime, Utc};

pub use said::{Draft, Outgoing, Part, Shown, button, engine_drafts, msg, offered, render, render_drafts, render_msgs};
pub use typed::{WORD_LISTS, press_typed_button, typed_rating};

use crate::engine::{self, Flows, Incoming, Input, Session, Turn};
use crate::i18n::Locales;
use crate::privacy::PrivacySettings;
use crate::staff::cases::CaseSettings;
use crate::store::Store;

/// The engine, its text, its store and how cases run: what a channel needs to hold
/// conversations.
pub struct Assistant {
    pub flows: Flows,
    pub locales: Locales,
    pub store: Store,
    pub cases: CaseSettings,
    pub privacy: PrivacySettings,
}

impl Assistant {
    /// Renders drafts with this assistant's flows and text.
    pub fn render_drafts(&self, drafts: &[Draft]) -> Vec<Outgoing> {
        render_drafts(&self.flows, &self.locales, drafts)
    }
}

/// One step and its rendering, without any IO (and without the shell: no cases, no privacy
/// commands): the benchmark and the understanding tests call it.
pub fn respond(
    flows: &Flows,
    locales: &Locales,
    session: Session,
    incoming: &Incoming,
    now: DateTime<Utc>,
) -> (Turn, Vec<Outgoing>) {
    let turn = engine::step(flows, session, incoming, now);
    let out = render(flows, locales, &turn);
    (turn, out)
}

/// The kind and the stored body of an input, as the transcript keeps it.
pub(crate) fn describe(input: &Input) -> (&'static str, String) {
    match input {
        Input::Text { text } => ("text", text.clone()),
        Input::Command { name, arg } => ("command", format!("/{name} {arg}").trim_end().to_string()),
        Input::Button { data } => ("button", data.clone()),
        Input::Location { lat, lon } => ("location", format!("{lat},{lon}")),
        Input::Photo { file_id } => ("photo", file_id.clone()),
        Input::Contact { phone } => ("contact", phone.clone()),
        Input::Unsupported { what } => ("unsupported", what.clone()),
    }
}
