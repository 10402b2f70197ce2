//! The staff group: a Telegram forum supergroup where each case has its own topic. Staff write
//! in a case's topic to answer the citizen; `/close <note>`, `/note <text>`, `/take` and
//! `/reopen` act on it, and so do the buttons on its card. Only the configured group acts on
//! cases: a message or a button from any other chat is ignored.
//!
//! A case's topic is opened when its first post is sent (the sender asks `StaffGroup::thread`),
//! and opened again, with its card, if staff deleted it.

use std::sync::Arc;

use chrono::{DateTime, Utc};
use teloxide::prelude::*;
use teloxide::types::{Message, Update, UpdateKind};

use super::render::{self, Request};
use super::send::execute;
use super::{CHANNEL, describe};
use crate::channels::Assistant;
use crate::engine::Input;
use crate::staff::cases::{Actor, Case, CaseRef, Event, EventKind, Source, Staffer};
use crate::staff::desk::{Handled, StaffAct};
use crate::store::{CaseUpdate, CaseWrite, Finish, Outbound, StoreError, TurnRecord};

/// What a staff member did in the staff group.
#[derive(Debug, Clone, PartialEq)]
pub struct StaffInput {
    /// The forum topic it happened in; `None` in the General topic.
    pub thread: Option<i64>,
    pub who: Staffer,
    pub did: StaffDid,
    /// A pressed button's query, to answer.
    pub callback: Option<String>,
}

#[derive(Debug, Clone, PartialEq)]
pub enum StaffDid {
    Text(String),
    Command {
        name: String,
        arg: String,
    },
    Button(String),
    /// A photo, a file, a voice message...: copied to the citizen after an introduction.
    Media {
        message_id: i32,
        what: &'static str,
    },
}

/// Reads an update from the staff group; `None` when it is not from that group (or is the
/// bot's own message, or a service message).
pub fn read_staff(update: &Update, group: i64) -> Option<StaffInput> {
    match &update.kind {
        UpdateKind::Message(m) if m.chat.id.0 == group => read_message(m),
        UpdateKind::CallbackQuery(q) => {
            let m = q.message.as_ref()?;
            if m.chat().id.0 != group {
                return None;
            }
            let thread = m.regular_message().and_then(|m| m.thread_id).map(|t| i64::from(t.0.0));
            Some(StaffInput {
                thread,
                who: staffer(&q.from),
                did: StaffDid::Button(q.data.clone().unwrap_or_default()),
                callback: Some(q.id.0.clone()),
            })
        }
        _ => None,
    }
}

fn read_message(m: &Message) -> Option<StaffInput> {
    let from = m.from.as_ref().filter(|u| !u.is_bot)?;
    let thread = if m.is_topic_message { m.thread_id.map(|t| i64::from(t.0.0)) } else { None };
    let did = match m.text() {
        Some(text) => match Input::from_text(text) {
            Input::Command { name, arg } => StaffDid::Command { name, arg },
            _ => StaffDid::Text(text.to_string()),
        },
        None => {
            let what = if m.photo().is_some() {
                "photo"
            } else if m.document().is_some() {
                "document"
            } else if m.voice().is_some() {
                "voice"
            } else if m.video().is_some() {
                "video"
            } else if m.audio().is_some() {
                "audio"
            } else if m.sticker().is_some() {
                "sticker"
            } else {
                // Service messages (a topic renamed, a member joined) are nobody's answer.
                return None;
            };
            StaffDid::Media { message_id: m.id.0, what }
        }
    };
    Some(StaffInput { thread, who: staffer(from), did, callback: None })
}

fn staffer(user: &teloxide::types::User) -> Staffer {
    Staffer { id: user.id.0.to_string(), name: user.full_name() }
}

/// The staff group, as the sender and the processor use it.
pub struct StaffGroup {
    pub chat: i64,
    assistant: Arc<Assistant>,
}

impl StaffGroup {
    pub fn new(chat: i64, assistant: Arc<Assistant>) -> StaffGroup {
        StaffGroup { chat, assistant }
    }

    /// The forum topic of a case: the one it has, or a new one. `reopen`: the old topic is
    /// gone, so a new one is opened and the card posted again. Only the staff group's lane
    /// calls this, one post at a time, so a case never gets two topics at once.
    pub async fn thread(&self, bot: &Bot, case_id: i64, reopen: bool) -> Result<i64, String> {
        let store = &self.assistant.store;
        let case = store.case(CaseRef::from_id(case_id)).await.map_err(|e| e.to_string())?;
        let case = case.ok_or_else(|| "the case does not exist".to_string())?;
        if let (Some(thread), false) = (case.thread, reopen) {
            return Ok(thread);
        }
        let name = self.assistant.topic_name(&case);
        let topic = bot.create_forum_topic(ChatId(self.chat), name).await.map_err(|e| describe(&e))?;
        let thread = i64::from(topic.thread_id.0.0);
        let at_ms = Utc::now().timestamp_millis();
        let mut u = CaseUpdate::of(case.reference, at_ms);
        u.thread = Some(Some(thread));
        let event = Event {
            case: case.reference,
            at_ms,
            actor: Actor::Bot,
            source: Source::StaffGroup,
            kind: EventKind::Topic,
            status: None,
            body: Some(thread.to_string()),
        };
        let record = TurnRecord {
            channel: case.channel.clone(),
            chat: case.chat.clone(),
            at_ms,
            cases: vec![CaseWrite::Update(u), CaseWrite::Event(event)],
            ..TurnRecord::default()
        };
        store.commit_turn(record).await.map_err(|e| e.to_string())?;
        if reopen {
            self.post_card_again(bot, &case, thread).await;
        }
        Ok(thread)
    }

    /// After a deleted topic is opened again: a line saying so, then the card.
    async fn post_card_again(&self, bot: &Bot, case: &Case, thread: i64) {
        let a = &self.assistant;
        let card = match a.card(case, &[]).await {
            Ok(card) => card,
            Err(e) => return tracing::error!(error = %e, "the card could not be read for a reopened topic"),
        };
        let note = a.staff_note(case.reference, "staff-recreated");
        for request in render::staff_posts(self.chat, &[note, card]) {
            if let Err(e) = execute(bot, &request, Some(thread)).await {
                tracing::warn!(error = %describe(&e), "the card could not be posted in the reopened topic");
            }
        }
    }

    /// Acts on what a staff member did; returns the rows to commit and the requests to send
    /// (to the citizen, and in the topic). Texts outside a case's topic are ignored.
    pub async fn act(
        &self,
        input: &StaffInput,
        update_id: i64,
        now: DateTime<Utc>,
    ) -> Result<(Option<TurnRecord>, Finish), StoreError> {
        let a = &self.assistant;
        let mut finish = Finish {
            update_id: Some(update_id),
            channel: CHANNEL.into(),
            chat: self.chat.to_string(),
            at_ms: now.timestamp_millis(),
            ..Finish::default()
        };
        if let Some(id) = &input.callback {
            finish.outbox.push(self.outbound(render::answer_callback(id)));
        }
        let (case, act) = match &input.did {
            StaffDid::Button(data) => {
                let mut parts = data.split(':');
                let (Some("s"), Some(what), Some(id)) = (parts.next(), parts.next(), parts.next()) else {
                    return Ok((None, finish));
                };
                let act = match what {
                    "t" => StaffAct::Take,
                    "c" => StaffAct::Close(None),
                    "o" => StaffAct::Reopen,
                    _ => return Ok((None, finish)),
                };
                let case = match id.parse::<i64>() {
                    Ok(id) => a.store.case(CaseRef::from_id(id)).await?,
                    Err(_) => None,
                };
                (case, act)
            }
            did => {
                let Some(thread) = input.thread else { return Ok((None, finish)) };
                let act = match did {
                    StaffDid::Text(text) => StaffAct::Reply(text.clone()),
                    StaffDid::Media { what, .. } => StaffAct::Attachment(what.to_string()),
                    StaffDid::Command { name, arg } => match name.as_str() {
                        "close" => StaffAct::Close(Some(arg.clone()).filter(|a| !a.trim().is_empty())),
                        "note" if !arg.trim().is_empty() => StaffAct::Note(arg.clone()),
                        "take" => StaffAct::Take,
                        "reopen" => StaffAct::Reopen,
                        _ => return Ok((None, finish)),
                    },
                    _ => return Ok((None, finish)),
                };
                (a.store.case_by_thread(thread).await?, act)
            }
        };
        let Some(case) = case else { return Ok((None, finish)) };
        let handled = a.staff_act(&case, &input.who, Source::StaffGroup, act, now).await?;
        let copy = match (&input.did, handled.copy, case.chat.parse::<i64>()) {
            (StaffDid::Media { message_id, .. }, true, Ok(chat)) if case.channel == CHANNEL => {
                let copy = Request::CopyMessage { chat_id: chat, from_chat_id: self.chat, message_id: *message_id };
                Some(Outbound { chat: case.chat.clone(), payload: copy.to_payload() })
            }
            _ => None,
        };
        let record = a.staff_record(&case, handled, &mut finish, now);
        finish.outbox.extend(copy);
        Ok((Some(record), finish))
    }

    fn outbound(&self, request: Request) -> Outbound {
        Outbound { chat: self.chat.to_string(), payload: request.to_payload() }
    }
}

/// The messages for the citizen of a case, when they are on Telegram. (A console citizen
/// reads them from the case's events.)
pub fn citizen_outbound(case: &Case, handled: &Handled) -> Vec<Outbound> {
    match case.chat.parse::<i64>() {
        Ok(chat) if case.channel == CHANNEL => render::messages(chat, &handled.citizen)
            .iter()
            .map(|r| Outbound { chat: case.chat.clone(), payload: r.to_payload() })
            .collect(),
        _ => Vec::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// teloxide reads an update from text, as it arrives (`from_value` does not read it).
    fn update(json: serde_json::Value) -> Update {
        serde_json::from_str(&json.to_string()).expect("an update")
    }

    /// A message in topic 100 of `group`, as Telegram sends it (the fake's staff member).
    fn in_topic(group: i64, text: &str) -> Update {
        let mut json = super::super::fake::StaffMember::new(77, "Мария Петрова", group).in_topic(100, text);
        json["update_id"] = serde_json::json!(1);
        update(json)
    }

    #[test]
    fn a_text_in_a_topic_of_the_staff_group_is_a_staff_reply() {
        let input = read_staff(&in_topic(-100, "Здравейте"), -100).expect("read");
        assert_eq!(input.thread, Some(100));
        assert_eq!(input.who.id, "77");
        assert_eq!(input.who.name, "Мария Петрова");
        assert_eq!(input.did, StaffDid::Text("Здравейте".into()));
    }

    #[test]
    fn close_with_a_note_is_a_command() {
        let input = read_staff(&in_topic(-100, "/close ремонтът е направен"), -100).expect("read");
        assert_eq!(input.did, StaffDid::Command { name: "close".into(), arg: "ремонтът е направен".into() });
    }

    #[test]
    fn another_group_is_not_the_staff_group() {
        assert_eq!(read_staff(&in_topic(-200, "/close"), -100), None);
    }
}
