//! The staff group: a Telegram forum supergroup where each case has its own topic. Staff write
//! in a case's topic to answer the citizen; `/close <note>`, `/note <text>`, `/take` and
//! `/reopen` act on it, and so do the buttons on its card. Only the configured group acts on
//! cases: a message or a button from any other chat is ignored.
//!
//! A case's topic is opened when its first post is sent (the sender asks `StaffGroup::thread`),
//! and opened again, with its card, if staff deleted it.

use std::sync::Arc;
use std::time::Duration;

use chrono::{DateTime, Utc};
use teloxide::RequestError;
use teloxide::prelude::*;
use teloxide::types::{Message, Update, UpdateKind};

use super::call::{execute, method_name};
use super::render::{self, Request};
use super::{CHANNEL, describe, patiently, retry_wait};
use crate::assistant::{Assistant, Outgoing};
use crate::engine::Input;
use crate::engine::action::{Action, StaffButton};
use crate::staff::cases::{Actor, Case, CaseRef, Event, EventKind, Source, Staffer, Status};
use crate::staff::desk::StaffAct;
use crate::store::{CaseUpdate, CaseWrite, Finish, Outbound, Queued, Store, StoreError, TurnRecord};

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

/// Why a case's forum topic could not be found or opened.
#[derive(Debug, Clone, PartialEq)]
pub enum TopicError {
    /// 429: ask again after this long, not sooner.
    RetryAfter(Duration),
    /// Anything else, without message text.
    Failed(String),
}

impl std::fmt::Display for TopicError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            TopicError::RetryAfter(wait) => write!(f, "retry after {} s", wait.as_secs()),
            TopicError::Failed(why) => f.write_str(why),
        }
    }
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
    pub async fn thread(&self, bot: &Bot, case_id: i64, reopen: bool) -> Result<i64, TopicError> {
        let store = &self.assistant.store;
        let case = store.case(CaseRef::from_id(case_id)).await.map_err(|e| TopicError::Failed(e.to_string()))?;
        let case = case.ok_or_else(|| TopicError::Failed("the case does not exist".into()))?;
        if let (Some(thread), false) = (case.thread, reopen) {
            return Ok(thread);
        }
        let name = self.assistant.topic_name(&case);
        let topic = match bot.create_forum_topic(ChatId(self.chat), name).await {
            Ok(topic) => topic,
            Err(RequestError::RetryAfter(after)) => return Err(TopicError::RetryAfter(retry_wait(after))),
            Err(e) => return Err(TopicError::Failed(describe(&e))),
        };
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
        if !reopen {
            store.commit_turn(record).await.map_err(|e| TopicError::Failed(e.to_string()))?;
            return Ok(thread);
        }
        // The topic was deleted: a line saying so and the card go into the new one before
        // the post that asked for it. They are committed to the outbox with the new topic
        // (an erasure finds them there and takes them back), then sent from here.
        let posts = self.card_again(&case).await;
        let finish =
            Finish { channel: CHANNEL.into(), chat: self.chat.to_string(), at_ms, outbox: posts, ..Finish::default() };
        let rows = store.finish(Some(record), finish).await.map_err(|e| TopicError::Failed(e.to_string()))?;
        self.post_card_again(bot, rows, thread).await;
        Ok(thread)
    }

    /// A line saying the topic was opened again, then the case's card, as outbox rows.
    async fn card_again(&self, case: &Case) -> Vec<Outbound> {
        let a = &self.assistant;
        let card = match a.card(case, &[]).await {
            Ok(card) => card,
            Err(e) => {
                tracing::error!(error = %e, "the card could not be read for a reopened topic");
                return Vec::new();
            }
        };
        let note = a.staff_note(case.reference, "staff-recreated");
        render::staff_posts(self.chat, &[note, card]).iter().map(|r| self.outbound(r.clone())).collect()
    }

    /// Sends the rows of `card_again` to the new topic and marks them sent. One that fails
    /// stays in the outbox, sent at the next start.
    async fn post_card_again(&self, bot: &Bot, rows: Vec<Queued>, thread: i64) {
        let store = &self.assistant.store;
        for row in rows {
            let Ok(request) = serde_json::from_str::<Request>(&row.payload) else { continue };
            match patiently(method_name(&request), || execute(bot, &request, Some(thread))).await {
                Ok(message_id) => {
                    let at_ms = Utc::now().timestamp_millis();
                    if let Err(e) = store.mark_sent(row.id, at_ms, message_id.map(i64::from)).await {
                        tracing::error!(id = row.id, error = %e, "a card posted again could not be marked sent");
                    }
                }
                Err(e) => tracing::warn!(error = %describe(&e), "the card could not be posted in the reopened topic"),
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
                let Some(Action::Staff { act, case }) = Action::parse(data) else { return Ok((None, finish)) };
                let act = match act {
                    StaffButton::Take => StaffAct::Take,
                    StaffButton::Close => StaffAct::Close(None),
                    StaffButton::Reopen => StaffAct::Reopen,
                };
                (a.store.case(CaseRef::from_id(case)).await?, act)
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

/// A message for a citizen was not sent: they blocked the bot. Their case, if one is not
/// closed for good, records it in its history (the web console and `cases show` list it);
/// with a staff group, its topic says so. Returns that post, queued.
pub async fn undelivered(
    store: &Store,
    staff: Option<&StaffGroup>,
    chat: &str,
    at_ms: i64,
) -> Result<Vec<Queued>, StoreError> {
    let cases = store.chat_cases(CHANNEL, chat).await?;
    let Some(case) = cases.into_iter().find(|c| c.status != Status::Closed) else { return Ok(Vec::new()) };
    let event = Event {
        case: case.reference,
        at_ms,
        actor: Actor::Bot,
        source: Source::System,
        kind: EventKind::Undelivered,
        status: None,
        body: None,
    };
    let record = TurnRecord {
        channel: case.channel.clone(),
        chat: case.chat.clone(),
        at_ms,
        cases: vec![CaseWrite::Event(event)],
        ..TurnRecord::default()
    };
    let outbox = match staff {
        Some(group) => {
            let a = &group.assistant;
            a.staff_outbound(&[a.staff_note(case.reference, "staff-undelivered")])
        }
        None => Vec::new(),
    };
    let finish = Finish { channel: CHANNEL.into(), chat: case.chat.clone(), at_ms, outbox, ..Finish::default() };
    store.finish(Some(record), finish).await
}

/// The messages for the citizen of a case, when they are on Telegram. (A console citizen
/// reads them from the transcript.)
pub fn citizen_outbound(case: &Case, out: &[Outgoing]) -> Vec<Outbound> {
    match case.chat.parse::<i64>() {
        Ok(chat) if case.channel == CHANNEL => render::messages(chat, None, out)
            .iter()
            .map(|r| Outbound { chat: case.chat.clone(), payload: r.to_payload() })
            .collect(),
        _ => Vec::new(),
    }
}
