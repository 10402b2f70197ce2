//! What staff see of a case in the staff group: the forum topic's name and the card that
//! opens it (what the case is about, what was collected, the last messages, the buttons to
//! take, close and reopen it), with the location and photos as posts of their own. It reads
//! the store, never writes it.

use std::collections::BTreeMap;

use super::cases::Case;
use super::desk::{StaffPost, at, clip};
use crate::assistant::{Assistant, Shown};
use crate::engine::action::{Action, StaffButton};
use crate::engine::{Arg, Slot};
use crate::lang::Lang;
use crate::store::{Line, StoreError};

/// Messages of the conversation shown on a card.
const CARD_LINES: usize = 6;

impl Assistant {
    /// A topic's title, as the staff read it.
    pub fn topic_title(&self, topic: &str) -> String {
        let flow = self.flows.flow(topic).or_else(|| self.flows.flows.iter().find(|f| f.topic == topic));
        match flow {
            Some(f) => self.text(self.cases.staff_lang, &f.title, vec![]),
            None => topic.to_string(),
        }
    }

    fn district_name(&self, id: Option<&str>, lang: Lang) -> Option<String> {
        id.map(|id| self.flows.places.get(id).map_or_else(|| id.to_string(), |d| d.name(lang).to_string()))
    }

    /// The forum topic's name for a case: reference, topic, district (Telegram allows 128).
    pub fn topic_name(&self, case: &Case) -> String {
        let r = Arg::Text(self.show(case.reference));
        let topic = Arg::Text(self.topic_title(&case.topic));
        let name = match self.district_name(case.district.as_deref(), self.cases.staff_lang) {
            Some(d) => self.text(
                self.cases.staff_lang,
                "staff-topic-name",
                vec![("ref", r), ("topic", topic), ("district", Arg::Text(d))],
            ),
            None => {
                self.text(self.cases.staff_lang, "staff-topic-name-no-district", vec![("ref", r), ("topic", topic)])
            }
        };
        name.chars().take(128).collect()
    }

    /// The card that opens a case's topic: what it is about, what was collected, the last
    /// messages, and the buttons to take, close and reopen it.
    /// `pending` are messages not yet committed (the turn that opens the case).
    pub async fn card(&self, case: &Case, pending: &[Line]) -> Result<StaffPost, StoreError> {
        let lang = self.cases.staff_lang;
        let district = self
            .district_name(case.district.as_deref(), lang)
            .unwrap_or_else(|| self.text(lang, "staff-unknown-district", vec![]));
        let mut text = self.text(
            lang,
            "staff-card",
            vec![
                ("ref", Arg::Text(self.show(case.reference))),
                ("lang", Arg::Msg(format!("staff-lang-{}", case.lang.code()))),
                ("topic", Arg::Text(self.topic_title(&case.topic))),
                ("district", Arg::Text(district)),
                ("opened", Arg::Text(self.when(lang, at(case.opened_ms)))),
                ("due", Arg::Text(self.when(lang, at(case.due_ms)))),
            ],
        );
        if let Some(old) = case.follows {
            text.push('\n');
            text.push_str(&self.text(lang, "staff-followup", vec![("old", Arg::Text(self.show(old)))]));
        }
        if !case.slots.is_empty() {
            text.push_str("\n\n");
            text.push_str(&self.text(lang, "staff-card-slots", vec![]));
            for (name, value) in &case.slots {
                text.push_str(&format!("\n• {name}: {}", clip(&self.slot_shown(value, lang))));
            }
        }
        let mut lines = self.store.recent_lines(&case.channel, &case.chat, CARD_LINES).await?;
        lines.extend(pending.iter().cloned());
        let lines = &lines[lines.len().saturating_sub(CARD_LINES)..];
        if !lines.is_empty() {
            text.push_str("\n\n");
            text.push_str(&self.text(lang, "staff-card-last", vec![]));
            for l in lines {
                let who = if l.incoming { "staff-card-citizen" } else { "staff-card-bot" };
                text.push_str(&format!("\n{} {}", self.text(lang, who, vec![]), clip(&l.body)));
            }
        }
        text.push_str("\n\n");
        text.push_str(&self.text(lang, "staff-card-help", vec![]));
        let id = case.id();
        let button = |label: &str, act: StaffButton| Shown {
            label: self.text(lang, label, vec![]),
            data: Action::Staff { act, case: id }.to_string(),
        };
        let buttons = vec![vec![
            button("staff-btn-take", StaffButton::Take),
            button("staff-btn-close", StaffButton::Close),
            button("staff-btn-reopen", StaffButton::Reopen),
        ]];
        Ok(StaffPost::Text { case: case.reference, text, buttons })
    }

    /// A stored slot value as staff read it: a district by name, a choice by its label.
    fn slot_shown(&self, value: &Slot, lang: Lang) -> String {
        match value {
            Slot::District { id } => self.district_name(Some(id), lang).unwrap_or_default(),
            Slot::Choice { label, .. } => self.text(lang, label, vec![]),
            Slot::Photo { .. } => "📷".into(),
            other => other.value(),
        }
    }

    /// The card and the pins of a new case: location and photos as their own posts.
    pub(super) async fn card_posts(
        &self,
        case: &Case,
        slots: &BTreeMap<String, Slot>,
        pending: &[Line],
    ) -> Result<Vec<StaffPost>, StoreError> {
        let mut posts = vec![self.card(case, pending).await?];
        for value in slots.values() {
            match value {
                Slot::Location { lat, lon } => {
                    posts.push(StaffPost::Location { case: case.reference, lat: *lat, lon: *lon })
                }
                Slot::Photo { file_id } => posts.push(StaffPost::Photo {
                    case: case.reference,
                    file_id: file_id.clone(),
                    caption: self.text(
                        self.cases.staff_lang,
                        "staff-from-citizen",
                        vec![("ref", Arg::Text(self.show(case.reference)))],
                    ),
                }),
                _ => {}
            }
        }
        Ok(posts)
    }
}
