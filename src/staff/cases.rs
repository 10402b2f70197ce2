//! The case model: references, statuses, events and who acted. Pure types: the store keeps
//! them, the desk decides them.

use std::collections::BTreeMap;
use std::fmt;

use chrono::Duration;
use serde::{Deserialize, Serialize};

use super::hours::WorkingHours;
use crate::engine::Slot;
use crate::lang::Lang;

/// A case's number in its year times this, plus its year's count, is its id.
const PER_YEAR: i64 = 100_000_000;

/// A case's reference: its year and its number in that year. Shown as `SOF-2026-000123`
/// with the configured prefix; read back with or without a prefix.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct CaseRef {
    pub year: i32,
    pub number: i64,
}

impl CaseRef {
    /// The id the store keys the case by.
    pub fn id(self) -> i64 {
        i64::from(self.year) * PER_YEAR + self.number
    }

    pub fn from_id(id: i64) -> CaseRef {
        CaseRef { year: (id / PER_YEAR) as i32, number: id % PER_YEAR }
    }

    /// `PREFIX-YYYY-NNNNNN`.
    pub fn show(self, prefix: &str) -> String {
        format!("{prefix}-{}-{:06}", self.year, self.number)
    }

    /// Reads `SOF-2026-000123`, `sof-2026-123` or `2026-123`; any prefix is accepted, so that a
    /// reference stays readable after the prefix changes.
    pub fn parse(text: &str) -> Option<CaseRef> {
        let parts: Vec<&str> = text.trim().split('-').collect();
        let (year, number) = match parts.as_slice() {
            [_, year, number] | [year, number] => (year, number),
            _ => return None,
        };
        let year: i32 = year.parse().ok().filter(|y| (2000..=9999).contains(y))?;
        let number: i64 = number.parse().ok().filter(|n| (1..PER_YEAR).contains(n))?;
        Some(CaseRef { year, number })
    }
}

/// Where a case stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    /// Waiting for a staff member.
    New,
    /// A staff member has taken it.
    Assigned,
    /// Staff answered and wait for the citizen.
    Waiting,
    /// Staff closed it; the citizen may still reopen it for a while.
    Resolved,
    /// Closed for good.
    Closed,
    /// The citizen (or staff) opened it again after it was resolved.
    Reopened,
}

impl Status {
    pub const ALL: [Status; 6] =
        [Status::New, Status::Assigned, Status::Waiting, Status::Resolved, Status::Closed, Status::Reopened];

    pub fn code(self) -> &'static str {
        match self {
            Status::New => "new",
            Status::Assigned => "assigned",
            Status::Waiting => "waiting",
            Status::Resolved => "resolved",
            Status::Closed => "closed",
            Status::Reopened => "reopened",
        }
    }

    pub fn parse(code: &str) -> Option<Status> {
        Status::ALL.into_iter().find(|s| s.code() == code)
    }

    /// Staff still have work to do on it.
    pub fn is_open(self) -> bool {
        !matches!(self, Status::Resolved | Status::Closed)
    }
}

impl fmt::Display for Status {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

/// A case as it stands now.
#[derive(Debug, Clone, PartialEq)]
pub struct Case {
    pub reference: CaseRef,
    pub channel: String,
    pub chat: String,
    pub lang: Lang,
    pub flow: String,
    pub topic: String,
    pub district: Option<String>,
    pub slots: BTreeMap<String, Slot>,
    pub summary: String,
    pub status: Status,
    pub opened_ms: i64,
    pub updated_ms: i64,
    pub due_ms: i64,
    pub answered_ms: Option<i64>,
    pub resolved_ms: Option<i64>,
    pub closed_ms: Option<i64>,
    pub assignee: Option<Staffer>,
    pub thread: Option<i64>,
    pub relay: bool,
    pub acked: bool,
    pub overdue_ms: Option<i64>,
    pub rating: Option<i64>,
    pub follows: Option<CaseRef>,
    /// When staff last wrote to the citizen (a reply or an attachment).
    pub talked_ms: Option<i64>,
}

impl Case {
    pub fn id(&self) -> i64 {
        self.reference.id()
    }

    /// A staff member is talking with the citizen: they wrote to them within `window`.
    pub fn staff_talking(&self, now_ms: i64, window: Duration) -> bool {
        self.status.is_open() && self.talked_ms.is_some_and(|t| now_ms - t <= window.num_milliseconds())
    }

    /// Overdue: no staff answer since it was (re)opened, and the due time has passed.
    pub fn is_overdue(&self, now_ms: i64) -> bool {
        self.status.is_open() && self.answered_ms.is_none() && self.due_ms < now_ms
    }
}

/// The fields of a case to change; `None` leaves a field as it is.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct CaseUpdate {
    pub case: Option<CaseRef>,
    pub at_ms: i64,
    pub status: Option<Status>,
    pub assignee: Option<Option<Staffer>>,
    pub thread: Option<Option<i64>>,
    pub relay: Option<bool>,
    pub acked: Option<bool>,
    pub due_ms: Option<i64>,
    pub answered_ms: Option<Option<i64>>,
    /// When staff last wrote to the citizen.
    pub talked_ms: Option<Option<i64>>,
    pub resolved_ms: Option<Option<i64>>,
    pub closed_ms: Option<Option<i64>>,
    pub overdue_ms: Option<Option<i64>>,
    pub rating: Option<i64>,
    pub slots: Option<BTreeMap<String, Slot>>,
    pub summary: Option<String>,
}

impl CaseUpdate {
    pub fn of(case: CaseRef, at_ms: i64) -> CaseUpdate {
        CaseUpdate { case: Some(case), at_ms, ..CaseUpdate::default() }
    }
}

/// A staff member, as Telegram or the console knows them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Staffer {
    pub id: String,
    pub name: String,
}

/// Who did something to a case.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Actor {
    Citizen,
    Staff(Staffer),
    /// The assistant itself (opening a case, acknowledging).
    Bot,
    /// Scheduled work (overdue flags, closing for good).
    System,
}

impl Actor {
    pub fn code(&self) -> &'static str {
        match self {
            Actor::Citizen => "citizen",
            Actor::Staff(_) => "staff",
            Actor::Bot => "bot",
            Actor::System => "system",
        }
    }
}

/// Where an action came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Source {
    /// The citizen's chat (Telegram or console).
    Chat,
    /// The staff group on Telegram.
    StaffGroup,
    /// `sofia-bot cases ...`.
    Cli,
    /// The web console.
    Console,
    System,
}

impl Source {
    pub fn code(self) -> &'static str {
        match self {
            Source::Chat => "chat",
            Source::StaffGroup => "staff-group",
            Source::Cli => "cli",
            Source::Console => "console",
            Source::System => "system",
        }
    }
}

/// What happened to a case.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum EventKind {
    /// The case was opened, with what the flow collected.
    Opened,
    /// The citizen asked for staff again while it was open; the body holds the new slots.
    Escalated,
    /// The citizen wrote (or sent something) to staff.
    Message,
    /// Staff answered the citizen.
    Reply,
    /// Staff wrote an internal note, never sent.
    Note,
    Taken,
    Closed,
    Reopened,
    Rated,
    /// The staff group was told the answer is overdue.
    Overdue,
    /// The case's forum topic was (re)created.
    Topic,
    /// The citizen went back to the assistant (their messages no longer go to staff).
    BackToBot,
    /// A reply could not be delivered (the citizen blocked the bot).
    Undelivered,
    /// The assistant answered a question the citizen asked while the case was open and no
    /// staff member was talking with them; the body holds the start of its answer.
    Answered,
}

impl EventKind {
    pub const ALL: [EventKind; 14] = [
        EventKind::Opened,
        EventKind::Escalated,
        EventKind::Message,
        EventKind::Reply,
        EventKind::Note,
        EventKind::Taken,
        EventKind::Closed,
        EventKind::Reopened,
        EventKind::Rated,
        EventKind::Overdue,
        EventKind::Topic,
        EventKind::BackToBot,
        EventKind::Undelivered,
        EventKind::Answered,
    ];

    pub fn code(self) -> &'static str {
        match self {
            EventKind::Opened => "opened",
            EventKind::Escalated => "escalated",
            EventKind::Message => "message",
            EventKind::Reply => "reply",
            EventKind::Note => "note",
            EventKind::Taken => "taken",
            EventKind::Closed => "closed",
            EventKind::Reopened => "reopened",
            EventKind::Rated => "rated",
            EventKind::Overdue => "overdue",
            EventKind::Topic => "topic",
            EventKind::BackToBot => "back_to_bot",
            EventKind::Undelivered => "undelivered",
            EventKind::Answered => "answered",
        }
    }

    pub fn parse(code: &str) -> Option<EventKind> {
        EventKind::ALL.into_iter().find(|k| k.code() == code)
    }
}

/// One entry of a case's history.
#[derive(Debug, Clone, PartialEq)]
pub struct Event {
    pub case: CaseRef,
    pub at_ms: i64,
    pub actor: Actor,
    pub source: Source,
    pub kind: EventKind,
    /// The status after the event, when it changed.
    pub status: Option<Status>,
    pub body: Option<String>,
}

/// How long a staff member counts as talking with a citizen after writing to them, by default:
/// as long as a citizen counts as away from a form (`SOFIA_SESSION_TIMEOUT_MINUTES`).
pub const DEFAULT_TALK_MINUTES: i64 = 30;

/// How cases are run, from configuration.
#[derive(Debug, Clone)]
pub struct CaseSettings {
    /// The letters before a reference (`SOF` in `SOF-2026-000123`).
    pub prefix: String,
    /// A citizen's message this many days after staff closed a case reopens it; later, it
    /// opens a new case.
    pub reopen_days: i64,
    /// Working time by which staff should answer a new case.
    pub due: Duration,
    pub hours: WorkingHours,
    /// The language of the staff group's texts.
    pub staff_lang: Lang,
    /// The staff group on Telegram (a forum supergroup's chat id), if there is one.
    pub staff_group: Option<i64>,
    /// After staff write to a citizen, for this long a staff member is talking with them:
    /// everything the citizen writes goes to staff (`SOFIA_STAFF_TALK_MINUTES`).
    pub talk: Duration,
}

impl Default for CaseSettings {
    fn default() -> Self {
        let hours = WorkingHours::default();
        CaseSettings {
            prefix: "SOF".into(),
            reopen_days: 7,
            due: hours.working_day_length(),
            hours,
            staff_lang: Lang::Bg,
            staff_group: None,
            talk: Duration::minutes(DEFAULT_TALK_MINUTES),
        }
    }
}

impl CaseSettings {
    pub fn show(&self, reference: CaseRef) -> String {
        reference.show(&self.prefix)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_reference_shows_six_digits_and_reads_back_with_any_prefix() {
        let r = CaseRef { year: 2026, number: 123 };
        assert_eq!(r.show("SOF"), "SOF-2026-000123");
        assert_eq!(CaseRef::parse("SOF-2026-000123"), Some(r));
        assert_eq!(CaseRef::parse(" sof-2026-123 "), Some(r));
        assert_eq!(CaseRef::parse("2026-123"), Some(r));
        assert_eq!(CaseRef::from_id(r.id()), r);
        assert_eq!(r.id(), 202_600_000_123);
    }

    #[test]
    fn a_reference_that_is_not_one_does_not_read() {
        for text in ["", "SOF", "SOF-26-1", "SOF-2026-0", "SOF-2026-x", "SOF-2026-1-2", "SOF-2026-100000000"] {
            assert_eq!(CaseRef::parse(text), None, "{text}");
        }
    }

    #[test]
    fn statuses_and_event_kinds_read_back_from_their_codes() {
        for s in Status::ALL {
            assert_eq!(Status::parse(s.code()), Some(s));
        }
        for k in EventKind::ALL {
            assert_eq!(EventKind::parse(k.code()), Some(k));
        }
    }
}
