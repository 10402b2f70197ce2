//! The case desk: what happens to cases when a citizen escalates or writes while a case is
//! open, and when staff act on a case (from the Telegram staff group, the command line or the
//! web console). Each action returns what to commit (events, case changes, transcript lines)
//! and what to send (to the citizen, and to the case's topic in the staff group); the caller
//! commits and sends. It reads the store, never writes it.

use std::collections::BTreeMap;

use chrono::{DateTime, Datelike, Duration, Utc};

use super::calendar::local_time;
use super::cases::{Actor, Case, CaseRef, Event, EventKind, Source, Staffer, Status};
use crate::channels::{Assistant, Outgoing, Shown, describe};
use crate::engine::{Arg, Effect, Input, Msg, Slot};
use crate::lang::Lang;
use crate::store::{CaseUpdate, CaseWrite, Line, StoreError};

/// Characters of a message shown on a card or in a summary.
const CLIP: usize = 300;
/// Messages of the conversation shown on a card.
const CARD_LINES: usize = 6;

/// A post in a case's forum topic in the staff group, rendered in the staff's language.
#[derive(Debug, Clone, PartialEq)]
pub enum StaffPost {
    /// Plain text (the channel escapes it), with buttons.
    Text {
        case: CaseRef,
        text: String,
        buttons: Vec<Vec<Shown>>,
    },
    /// A photo the citizen sent, by the channel's file id.
    Photo {
        case: CaseRef,
        file_id: String,
        caption: String,
    },
    Location {
        case: CaseRef,
        lat: f64,
        lon: f64,
    },
}

impl StaffPost {
    pub fn case(&self) -> CaseRef {
        match self {
            StaffPost::Text { case, .. } | StaffPost::Photo { case, .. } | StaffPost::Location { case, .. } => *case,
        }
    }
}

/// What an action on a case does beyond the turn: case writes and transcript lines to commit,
/// messages to the citizen, posts for the staff group.
#[derive(Debug, Clone, Default)]
pub struct Handled {
    pub cases: Vec<CaseWrite>,
    pub lines: Vec<Line>,
    pub citizen: Vec<Outgoing>,
    pub staff: Vec<StaffPost>,
    /// The staff member's own message is to be copied to the citizen after `citizen`.
    pub copy: bool,
    /// Files for the citizen (their data).
    pub files: Vec<crate::privacy::export::DataFile>,
    /// Erase the chat's data with this turn's commit.
    pub erase: Option<crate::store::Erasure>,
    pub audit: Vec<crate::store::Audit>,
}

impl Handled {
    fn event(&mut self, case: CaseRef, at_ms: i64, actor: Actor, source: Source, kind: EventKind) -> &mut Event {
        self.cases.push(CaseWrite::Event(Event { case, at_ms, actor, source, kind, status: None, body: None }));
        match self.cases.last_mut() {
            Some(CaseWrite::Event(e)) => e,
            _ => unreachable!("an event was just pushed"),
        }
    }

    fn update(&mut self, u: CaseUpdate) {
        self.cases.push(CaseWrite::Update(u));
    }
}

/// What staff do to a case.
#[derive(Debug, Clone, PartialEq)]
pub enum StaffAct {
    /// Answer the citizen.
    Reply(String),
    /// Pass the citizen something staff posted that is not text (a photo, a file), named by
    /// its kind; the channel copies it after the introduction (`Handled::copy`).
    Attachment(String),
    /// Keep a note on the case, never sent.
    Note(String),
    Take,
    /// Give it to a colleague (a supervisor's act).
    Assign(Staffer),
    /// Close it, with a note for the citizen.
    Close(Option<String>),
    Reopen,
}

/// Who asked for staff: their chat, their language, their case if they have one, and what
/// they wrote.
#[derive(Debug, Clone, Copy)]
pub struct Asking<'a> {
    pub channel: &'a str,
    pub chat: &'a str,
    pub lang: Lang,
    pub live: Option<&'a Case>,
    pub said: Option<&'a str>,
}

/// Whether a citizen's input is something to pass to staff while their case is open, rather
/// than talk to the assistant (commands and buttons always go to the assistant).
pub fn relayable(input: &Input) -> bool {
    matches!(
        input,
        Input::Text { .. }
            | Input::Photo { .. }
            | Input::Location { .. }
            | Input::Contact { .. }
            | Input::Unsupported { .. }
    )
}

impl Assistant {
    fn show(&self, r: CaseRef) -> String {
        self.cases.show(r)
    }

    fn text(&self, lang: Lang, id: &str, args: Vec<(&str, Arg)>) -> String {
        let msg = Msg { id: id.to_string(), args: args.into_iter().map(|(k, v)| (k.to_string(), v)).collect() };
        self.locales.render(lang, &msg)
    }

    /// "Friday 27.11, 17:00" in a language, for an instant, in Sofia's time.
    pub fn when(&self, lang: Lang, at: DateTime<Utc>) -> String {
        let local = local_time(at);
        let weekday = format!("weekday-{}", local.weekday().number_from_monday());
        self.text(
            lang,
            "case-when",
            vec![
                ("weekday", Arg::Msg(weekday)),
                ("date", Arg::Text(local.format("%d.%m").to_string())),
                ("time", Arg::Text(local.format("%H:%M").to_string())),
            ],
        )
    }

    /// A message to the citizen of a case, with the [Menu] button.
    fn to_citizen(&self, case: &Case, text: String, mut buttons: Vec<Vec<Shown>>) -> Outgoing {
        buttons.push(vec![Shown { label: self.text(case.lang, "btn-menu", vec![]), data: "m".into() }]);
        Outgoing { text, buttons, lang: case.lang, flow: None, step: None }
    }

    /// A line from the bot in a case's topic.
    pub fn staff_note(&self, case: CaseRef, id: &str) -> StaffPost {
        let r = Arg::Text(self.show(case));
        self.staff_text(case, id, vec![("ref", r)])
    }

    fn staff_text(&self, case: CaseRef, id: &str, args: Vec<(&str, Arg)>) -> StaffPost {
        StaffPost::Text { case, text: self.text(self.cases.staff_lang, id, args), buttons: Vec::new() }
    }

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
        let buttons = vec![vec![
            Shown { label: self.text(lang, "staff-btn-take", vec![]), data: format!("s:t:{id}") },
            Shown { label: self.text(lang, "staff-btn-close", vec![]), data: format!("s:c:{id}") },
            Shown { label: self.text(lang, "staff-btn-reopen", vec![]), data: format!("s:o:{id}") },
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
    async fn card_posts(
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

    /// The turn asked for staff (`effect`): opens a case, or adds to the open one. Returns
    /// what to add to the citizen's reply (the reference and when to expect an answer).
    pub(crate) async fn escalate(
        &self,
        from: &Asking<'_>,
        effect: &Effect,
        now: DateTime<Utc>,
        handled: &mut Handled,
    ) -> Result<String, StoreError> {
        let Asking { channel, chat, lang, live, said } = *from;
        let Effect::Escalate { flow, topic, slots, .. } = effect;
        let at_ms = now.timestamp_millis();
        let values = slots;
        if let Some(case) = live.filter(|c| c.status.is_open()) {
            let mut merged = case.slots.clone();
            merged.extend(values.iter().map(|(k, v)| (k.clone(), v.clone())));
            let mut u = CaseUpdate::of(case.reference, at_ms);
            u.relay = Some(true);
            u.slots = Some(merged);
            handled.update(u);
            let body = serde_json::to_string(&values.iter().map(|(k, v)| (k, v.value())).collect::<BTreeMap<_, _>>())
                .unwrap_or_default();
            handled.event(case.reference, at_ms, Actor::Citizen, Source::Chat, EventKind::Escalated).body = Some(body);
            for (_, v) in values.iter().filter(|(_, v)| matches!(v, Slot::Photo { .. } | Slot::Location { .. })) {
                handled.staff.extend(self.relay_copy(case, &input_of_slot(v)));
            }
            return Ok(self.text(lang, "case-already-open", vec![("ref", Arg::Text(self.show(case.reference)))]));
        }
        let follows = live.map(|c| c.reference);
        if let Some(old) = live {
            self.close_for_good(old, now, Actor::Bot, handled);
        }
        let summary = values
            .values()
            .find_map(|v| match v {
                Slot::Text { text } => Some(text.clone()),
                _ => None,
            })
            .or_else(|| said.map(str::to_string))
            .or_else(|| {
                let texts = handled.lines.iter().rev().filter(|l| l.incoming && l.kind == "text");
                texts.map(|l| l.body.clone()).next()
            })
            .unwrap_or_default();
        let district = values.values().find_map(|v| match v {
            Slot::District { id } => Some(id.clone()),
            _ => None,
        });
        let case =
            self.open_case(channel, chat, lang, flow, topic, district, values, &summary, follows, now, handled).await?;
        let mut text = self.text(lang, "case-opened", vec![("ref", Arg::Text(self.show(case.reference)))]);
        text.push('\n');
        text.push_str(&self.expectation(lang, now, at(case.due_ms)));
        Ok(text)
    }

    /// Opens a case: a new reference, the case row, its first event, and its card.
    #[allow(clippy::too_many_arguments)]
    async fn open_case(
        &self,
        channel: &str,
        chat: &str,
        lang: Lang,
        flow: &str,
        topic: &str,
        district: Option<String>,
        slots: &BTreeMap<String, Slot>,
        summary: &str,
        follows: Option<CaseRef>,
        now: DateTime<Utc>,
        handled: &mut Handled,
    ) -> Result<Case, StoreError> {
        let at_ms = now.timestamp_millis();
        let year = local_time(now).year();
        let number = self.store.next_case_number(year).await?;
        let reference = CaseRef { year, number };
        let due = self.cases.hours.add_working_time(now, self.cases.due);
        let case = Case {
            reference,
            channel: channel.to_string(),
            chat: chat.to_string(),
            lang,
            flow: flow.to_string(),
            topic: topic.to_string(),
            district,
            slots: slots.clone(),
            summary: clip(summary),
            status: Status::New,
            opened_ms: at_ms,
            updated_ms: at_ms,
            due_ms: due.timestamp_millis(),
            answered_ms: None,
            resolved_ms: None,
            closed_ms: None,
            assignee: None,
            thread: None,
            relay: true,
            acked: false,
            overdue_ms: None,
            rating: None,
            follows,
        };
        handled.cases.push(CaseWrite::Open(Box::new(case.clone())));
        let e = handled.event(reference, at_ms, Actor::Bot, Source::Chat, EventKind::Opened);
        e.status = Some(Status::New);
        e.body = Some(case.summary.clone());
        // The card shows this turn's messages too: they commit with the case.
        let posts = self.card_posts(&case, slots, &handled.lines).await?;
        handled.staff.extend(posts);
        Ok(case)
    }

    /// "Expect an answer by ..." or, outside working hours, "staff are back at ...; by ...".
    fn expectation(&self, lang: Lang, now: DateTime<Utc>, due: DateTime<Utc>) -> String {
        let when = Arg::Text(self.when(lang, due));
        if self.cases.hours.is_open(now) {
            self.text(lang, "case-due", vec![("when", when)])
        } else {
            let open = Arg::Text(self.when(lang, self.cases.hours.next_open(now)));
            self.text(lang, "case-out-of-hours", vec![("open", open), ("when", when)])
        }
    }

    /// A citizen's message while their case takes their messages: passed to staff (reopening
    /// a resolved case, or opening a follow-up one after the reopening window).
    pub(crate) async fn relay(
        &self,
        case: &Case,
        input: &Input,
        now: DateTime<Utc>,
        handled: &mut Handled,
    ) -> Result<(), StoreError> {
        let at_ms = now.timestamp_millis();
        let lang = case.lang;
        let body = describe_for_staff(input);
        if case.status == Status::Resolved {
            let window = Duration::days(self.cases.reopen_days).num_milliseconds();
            if case.resolved_ms.is_some_and(|r| at_ms - r <= window) {
                let due = self.cases.hours.add_working_time(now, self.cases.due).timestamp_millis();
                let mut u = CaseUpdate::of(case.reference, at_ms);
                u.status = Some(Status::Reopened);
                u.resolved_ms = Some(None);
                u.answered_ms = Some(None);
                u.overdue_ms = Some(None);
                u.due_ms = Some(due);
                u.acked = Some(true);
                handled.update(u);
                handled.event(case.reference, at_ms, Actor::Citizen, Source::Chat, EventKind::Reopened).status =
                    Some(Status::Reopened);
                handled.event(case.reference, at_ms, Actor::Citizen, Source::Chat, EventKind::Message).body =
                    Some(body);
                handled.staff.push(self.staff_text(case.reference, "staff-reopened-by-citizen", vec![]));
                handled.staff.extend(self.relay_copy(case, input));
                let text = self.text(lang, "case-reopened", vec![("ref", Arg::Text(self.show(case.reference)))]);
                handled.citizen.push(self.to_citizen(case, text, Vec::new()));
            } else {
                self.close_for_good(case, now, Actor::Bot, handled);
                let slots = BTreeMap::new();
                let new = self
                    .open_case(
                        &case.channel,
                        &case.chat,
                        lang,
                        &case.flow,
                        &case.topic,
                        case.district.clone(),
                        &slots,
                        &body,
                        Some(case.reference),
                        now,
                        handled,
                    )
                    .await?;
                handled.event(new.reference, at_ms, Actor::Citizen, Source::Chat, EventKind::Message).body = Some(body);
                handled.staff.extend(self.relay_copy(&new, input));
                let mut text = self.text(
                    lang,
                    "case-followup",
                    vec![("ref", Arg::Text(self.show(new.reference))), ("old", Arg::Text(self.show(case.reference)))],
                );
                text.push('\n');
                text.push_str(&self.expectation(lang, now, at(new.due_ms)));
                handled.citizen.push(self.to_citizen(&new, text, Vec::new()));
                let mut u = CaseUpdate::of(new.reference, at_ms);
                u.acked = Some(true);
                handled.update(u);
            }
            return Ok(());
        }
        let mut u = CaseUpdate::of(case.reference, at_ms);
        let e = handled.event(case.reference, at_ms, Actor::Citizen, Source::Chat, EventKind::Message);
        e.body = Some(body);
        if case.summary.is_empty()
            && let Input::Text { text } = input
        {
            u.summary = Some(clip(text));
        }
        if case.status == Status::Waiting {
            let back = if case.assignee.is_some() { Status::Assigned } else { Status::New };
            e.status = Some(back);
            u.status = Some(back);
        }
        handled.staff.extend(self.relay_copy(case, input));
        if !case.acked {
            u.acked = Some(true);
            let text = self.text(lang, "case-relayed", vec![("ref", Arg::Text(self.show(case.reference)))]);
            handled.citizen.push(self.to_citizen(case, text, Vec::new()));
        }
        handled.update(u);
        Ok(())
    }

    /// A citizen's input as posts in the case's topic, marked as coming from the citizen.
    pub(crate) fn relay_copy(&self, case: &Case, input: &Input) -> Vec<StaffPost> {
        let staff = self.cases.staff_lang;
        let header = self.text(staff, "staff-from-citizen", vec![("ref", Arg::Text(self.show(case.reference)))]);
        let r = case.reference;
        match input {
            Input::Text { text } => {
                vec![StaffPost::Text { case: r, text: format!("{header}\n{text}"), buttons: vec![] }]
            }
            Input::Photo { file_id } => vec![StaffPost::Photo { case: r, file_id: file_id.clone(), caption: header }],
            Input::Location { lat, lon } => vec![
                StaffPost::Text { case: r, text: format!("{header}\n📍 {lat:.5}, {lon:.5}"), buttons: vec![] },
                StaffPost::Location { case: r, lat: *lat, lon: *lon },
            ],
            Input::Contact { phone } => {
                vec![StaffPost::Text { case: r, text: format!("{header}\n☎ {phone}"), buttons: vec![] }]
            }
            // Unsupported content is named; commands and buttons are for the assistant and
            // never relayed (see `relayable`), but name them too rather than lose them.
            other => {
                let what = Arg::Text(describe(other).1);
                let line = self.text(staff, "staff-citizen-sent", vec![("what", what)]);
                vec![StaffPost::Text { case: r, text: format!("{header}\n{line}"), buttons: vec![] }]
            }
        }
    }

    /// The citizen pressed Menu or a command while their case took their messages: their
    /// messages go to the assistant again; the case stays open.
    pub(crate) fn back_to_bot(&self, case: &Case, now: DateTime<Utc>, handled: &mut Handled) {
        let at_ms = now.timestamp_millis();
        let mut u = CaseUpdate::of(case.reference, at_ms);
        u.relay = Some(false);
        handled.update(u);
        handled.event(case.reference, at_ms, Actor::Citizen, Source::Chat, EventKind::BackToBot);
    }

    /// Closes a resolved case for good (the reopening window passed, or a new case follows it).
    fn close_for_good(&self, case: &Case, now: DateTime<Utc>, actor: Actor, handled: &mut Handled) {
        let at_ms = now.timestamp_millis();
        let mut u = CaseUpdate::of(case.reference, at_ms);
        u.status = Some(Status::Closed);
        u.closed_ms = Some(Some(at_ms));
        u.relay = Some(false);
        handled.update(u);
        handled.event(case.reference, at_ms, actor, Source::System, EventKind::Closed).status = Some(Status::Closed);
    }

    /// The citizen rated a resolved case (a button `v:<case id>:<1-5>`).
    pub(crate) async fn rate(
        &self,
        chat: (&str, &str),
        data: &str,
        lang: Lang,
        now: DateTime<Utc>,
        handled: &mut Handled,
    ) -> Result<(), StoreError> {
        let mut parts = data.split(':').skip(1);
        let id = parts.next().and_then(|p| p.parse::<i64>().ok());
        let rating = parts.next().and_then(|p| p.parse::<i64>().ok()).filter(|r| (1..=5).contains(r));
        let case = match id {
            Some(id) => self.store.case(CaseRef::from_id(id)).await?,
            None => None,
        };
        let at_ms = now.timestamp_millis();
        match (case, rating) {
            (Some(case), Some(rating))
                if case.channel == chat.0 && case.chat == chat.1 && case.rating.is_none() && !case.status.is_open() =>
            {
                let mut u = CaseUpdate::of(case.reference, at_ms);
                u.rating = Some(rating);
                u.status = Some(Status::Closed);
                u.closed_ms = Some(Some(at_ms));
                u.relay = Some(false);
                handled.update(u);
                let e = handled.event(case.reference, at_ms, Actor::Citizen, Source::Chat, EventKind::Rated);
                e.status = Some(Status::Closed);
                e.body = Some(rating.to_string());
                handled.staff.push(self.staff_text(
                    case.reference,
                    "staff-rated",
                    vec![("rating", Arg::Number(rating as f64))],
                ));
                let text = self.text(case.lang, "case-rated", vec![("rating", Arg::Number(rating as f64))]);
                handled.citizen.push(self.to_citizen(&case, text, Vec::new()));
            }
            _ => {
                let text = self.text(lang, "case-rating-late", vec![]);
                handled.citizen.push(Outgoing {
                    text,
                    buttons: vec![vec![Shown { label: self.text(lang, "btn-menu", vec![]), data: "m".into() }]],
                    lang,
                    flow: None,
                    step: None,
                });
            }
        }
        Ok(())
    }

    /// `/cases`: the citizen's cases with reference and status.
    pub(crate) async fn list_for_citizen(
        &self,
        channel: &str,
        chat: &str,
        lang: Lang,
        handled: &mut Handled,
    ) -> Result<(), StoreError> {
        let cases = self.store.chat_cases(channel, chat).await?;
        let text = if cases.is_empty() {
            self.text(lang, "cases-none", vec![])
        } else {
            let mut text = self.text(lang, "cases-list", vec![("count", Arg::Number(cases.len() as f64))]);
            for c in cases.iter().take(20) {
                let date = local_time(at(c.opened_ms)).format("%d.%m.%Y").to_string();
                text.push('\n');
                text.push_str(&self.text(
                    lang,
                    "cases-item",
                    vec![
                        ("ref", Arg::Text(self.show(c.reference))),
                        ("status", Arg::Msg(format!("case-status-{}", c.status.code()))),
                        ("date", Arg::Text(date)),
                    ],
                ));
            }
            text
        };
        let menu = Shown { label: self.text(lang, "btn-menu", vec![]), data: "m".into() };
        let human = Shown { label: self.text(lang, "btn-human", vec![]), data: "h".into() };
        handled.citizen.push(Outgoing { text, buttons: vec![vec![menu, human]], lang, flow: None, step: None });
        Ok(())
    }

    /// A staff member acts on a case. A reply reaches the citizen in their language, with the
    /// reference; closing asks them for a rating; everything is an event with who did it.
    pub async fn staff_act(
        &self,
        case: &Case,
        who: &Staffer,
        source: Source,
        act: StaffAct,
        now: DateTime<Utc>,
    ) -> Result<Handled, StoreError> {
        let mut h = Handled::default();
        let at_ms = now.timestamp_millis();
        let r = case.reference;
        let actor = || Actor::Staff(who.clone());
        let name = || Arg::Text(who.name.clone());
        match act {
            StaffAct::Reply(_) | StaffAct::Attachment(_) => {
                if !case.status.is_open() {
                    h.staff.push(self.staff_text(r, "staff-case-closed", vec![]));
                    return Ok(h);
                }
                let mut u = CaseUpdate::of(r, at_ms);
                if case.assignee.is_none() {
                    u.assignee = Some(Some(who.clone()));
                    h.event(r, at_ms, actor(), source, EventKind::Taken).status = Some(Status::Assigned);
                }
                u.status = Some(Status::Waiting);
                if case.answered_ms.is_none() {
                    u.answered_ms = Some(Some(at_ms));
                }
                u.relay = Some(true);
                u.acked = Some(false);
                h.update(u);
                let reference = Arg::Text(self.show(r));
                let (text, shown) = match &act {
                    StaffAct::Attachment(what) => {
                        h.copy = true;
                        (format!("[{what}]"), self.text(case.lang, "case-staff-attachment", vec![("ref", reference)]))
                    }
                    StaffAct::Reply(text) => {
                        let args = vec![("ref", reference), ("text", Arg::Text(text.clone()))];
                        (text.clone(), self.text(case.lang, "case-staff-reply", args))
                    }
                    _ => unreachable!("only answers come here"),
                };
                let e = h.event(r, at_ms, actor(), source, EventKind::Reply);
                e.status = Some(Status::Waiting);
                e.body = Some(text.clone());
                h.lines.push(staff_line(case, at_ms, &shown));
                h.citizen.push(self.to_citizen(case, shown, Vec::new()));
                if source != Source::StaffGroup {
                    // Staff in the group saw it written there; elsewhere, the topic is told.
                    let via = Arg::Text(source.code().to_string());
                    let mut post =
                        self.text(self.cases.staff_lang, "staff-reply-from", vec![("name", name()), ("via", via)]);
                    post.push('\n');
                    post.push_str(&text);
                    h.staff.push(StaffPost::Text { case: r, text: post, buttons: vec![] });
                }
            }
            StaffAct::Note(text) => {
                h.event(r, at_ms, actor(), source, EventKind::Note).body = Some(text);
                h.staff.push(self.staff_text(r, "staff-note-saved", vec![]));
            }
            StaffAct::Take => match &case.assignee {
                Some(a) if a.id != who.id && case.status.is_open() => {
                    h.staff.push(self.staff_text(r, "staff-already-taken", vec![("name", Arg::Text(a.name.clone()))]));
                }
                _ => {
                    let mut u = CaseUpdate::of(r, at_ms);
                    u.assignee = Some(Some(who.clone()));
                    let e = h.event(r, at_ms, actor(), source, EventKind::Taken);
                    if matches!(case.status, Status::New | Status::Reopened) {
                        u.status = Some(Status::Assigned);
                        e.status = Some(Status::Assigned);
                    }
                    h.update(u);
                    h.staff.push(self.staff_text(r, "staff-taken", vec![("name", name())]));
                }
            },
            StaffAct::Assign(to) => {
                let mut u = CaseUpdate::of(r, at_ms);
                u.assignee = Some(Some(to.clone()));
                let e = h.event(r, at_ms, actor(), source, EventKind::Taken);
                e.body = Some(to.name.clone());
                if matches!(case.status, Status::New | Status::Reopened) {
                    u.status = Some(Status::Assigned);
                    e.status = Some(Status::Assigned);
                }
                h.update(u);
                h.staff.push(self.staff_text(r, "staff-taken", vec![("name", Arg::Text(to.name))]));
            }
            StaffAct::Close(note) => {
                if !case.status.is_open() {
                    h.staff.push(self.staff_text(r, "staff-case-closed", vec![]));
                    return Ok(h);
                }
                let mut u = CaseUpdate::of(r, at_ms);
                u.status = Some(Status::Resolved);
                u.resolved_ms = Some(Some(at_ms));
                u.relay = Some(true);
                u.acked = Some(false);
                if case.assignee.is_none() {
                    u.assignee = Some(Some(who.clone()));
                    h.event(r, at_ms, actor(), source, EventKind::Taken);
                }
                h.update(u);
                let e = h.event(r, at_ms, actor(), source, EventKind::Closed);
                e.status = Some(Status::Resolved);
                e.body = note.clone();
                let mut text = self.text(
                    case.lang,
                    "case-closed",
                    vec![("ref", Arg::Text(self.show(r))), ("days", Arg::Number(self.cases.reopen_days as f64))],
                );
                let mut post = self.text(self.cases.staff_lang, "staff-closed", vec![("name", name())]);
                if let Some(note) = note.as_deref().filter(|n| !n.trim().is_empty()) {
                    text = format!(
                        "{}\n\n{text}",
                        self.text(case.lang, "case-closed-note", vec![("note", Arg::Text(note.to_string()))])
                    );
                    post.push('\n');
                    post.push_str(&self.text(
                        self.cases.staff_lang,
                        "staff-closed-note",
                        vec![("note", Arg::Text(note.to_string()))],
                    ));
                }
                let id = case.id();
                let stars = (1..=5)
                    .map(|n| Shown {
                        label: self.text(case.lang, &format!("btn-rate-{n}"), vec![]),
                        data: format!("v:{id}:{n}"),
                    })
                    .collect();
                h.lines.push(staff_line(case, at_ms, &text));
                h.citizen.push(self.to_citizen(case, text, vec![stars]));
                h.staff.push(StaffPost::Text { case: r, text: post, buttons: vec![] });
            }
            StaffAct::Reopen => {
                if case.status.is_open() {
                    return Ok(h);
                }
                let due = self.cases.hours.add_working_time(now, self.cases.due).timestamp_millis();
                let mut u = CaseUpdate::of(r, at_ms);
                u.status = Some(Status::Reopened);
                u.resolved_ms = Some(None);
                u.closed_ms = Some(None);
                u.answered_ms = Some(None);
                u.overdue_ms = Some(None);
                u.due_ms = Some(due);
                u.relay = Some(true);
                h.update(u);
                h.event(r, at_ms, actor(), source, EventKind::Reopened).status = Some(Status::Reopened);
                h.staff.push(self.staff_text(r, "staff-reopened", vec![("name", name())]));
            }
        }
        Ok(h)
    }

    /// Scheduled work on cases: flags the overdue ones in the staff group, and closes for good
    /// the resolved ones whose reopening window has passed.
    pub async fn sweep(&self, now: DateTime<Utc>) -> Result<Handled, StoreError> {
        let mut h = Handled::default();
        let at_ms = now.timestamp_millis();
        let window = Duration::days(self.cases.reopen_days).num_milliseconds();
        for case in self.store.cases_to_sweep(at_ms, at_ms - window).await? {
            if case.status == Status::Resolved {
                self.close_for_good(&case, now, Actor::System, &mut h);
            } else {
                let mut u = CaseUpdate::of(case.reference, at_ms);
                u.overdue_ms = Some(Some(at_ms));
                h.update(u);
                h.event(case.reference, at_ms, Actor::System, Source::System, EventKind::Overdue);
                let due = Arg::Text(self.when(self.cases.staff_lang, at(case.due_ms)));
                h.staff.push(self.staff_text(case.reference, "staff-overdue", vec![("due", due)]));
            }
        }
        Ok(h)
    }
}

/// A transcript line for a message staff sent the citizen.
fn staff_line(case: &Case, at_ms: i64, text: &str) -> Line {
    Line {
        at_ms,
        incoming: false,
        lang: case.lang.code().to_string(),
        kind: "staff".into(),
        body: text.to_string(),
        ..Line::default()
    }
}

/// What the citizen sent, as a case event's body: a text as written, anything else named.
fn describe_for_staff(input: &Input) -> String {
    match describe(input) {
        ("text", text) => text,
        (kind, body) => format!("[{kind} {body}]"),
    }
}

fn input_of_slot(slot: &Slot) -> Input {
    match slot {
        Slot::Photo { file_id } => Input::Photo { file_id: file_id.clone() },
        Slot::Location { lat, lon } => Input::Location { lat: *lat, lon: *lon },
        other => Input::Text { text: other.value() },
    }
}

fn clip(text: &str) -> String {
    let one_line = text.split_whitespace().collect::<Vec<_>>().join(" ");
    if one_line.chars().count() <= CLIP {
        one_line
    } else {
        let mut s: String = one_line.chars().take(CLIP).collect();
        s.push('…');
        s
    }
}

fn at(ms: i64) -> DateTime<Utc> {
    DateTime::<Utc>::from_timestamp_millis(ms).unwrap_or_default()
}
