//! A case's life as a pure state machine, like the engine's `step`: `apply(case, happening,
//! rules, now)` says how the case changes (its fields, as a `CaseUpdate`), which events its
//! history records, and what was refused. It does no IO and reads no clock; the desk adds the
//! words (to the citizen, to the staff group) and commits.
//!
//! | from                   | happening                    | to                          |
//! |------------------------|------------------------------|-----------------------------|
//! | new, reopened          | taken, assigned              | assigned                    |
//! | any open               | answered (reply, attachment) | waiting                     |
//! | any open               | closed by staff              | resolved                    |
//! | resolved               | the citizen writes in time   | reopened, due again         |
//! | resolved               | the citizen writes later     | closed, and a follow-up case |
//! | resolved               | the sweep after the window   | closed                      |
//! | resolved, closed       | rated (once)                 | closed                      |
//! | resolved, closed       | reopened by staff            | reopened, due again         |
//! | any open, not answered | the sweep after the due time | the same, flagged overdue   |

#[cfg(test)]
mod tests;

use chrono::{DateTime, Duration, Utc};

use super::cases::{Case, CaseUpdate, EventKind, Staffer, Status};
use super::hours::WorkingHours;
use crate::calendar::Calendar;

/// What the machine needs of the configuration and the content.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Rules<'a> {
    /// Days after staff close a case in which a citizen's message reopens it.
    pub reopen_days: i64,
    /// Working time by which staff should answer a (re)opened case.
    pub due: Duration,
    pub hours: &'a WorkingHours,
    pub calendar: &'a Calendar,
}

impl Rules<'_> {
    /// When a case (re)opened now is due.
    pub(crate) fn due_from(&self, now: DateTime<Utc>) -> DateTime<Utc> {
        self.hours.add_working_time(self.calendar, now, self.due)
    }

    fn in_window(&self, case: &Case, now_ms: i64) -> bool {
        let window = Duration::days(self.reopen_days).num_milliseconds();
        case.resolved_ms.is_some_and(|resolved| now_ms - resolved <= window)
    }
}

/// What happens to a case.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Happening {
    /// A staff member wrote to the citizen: a reply or an attachment.
    Answered(Staffer),
    /// A staff member takes it.
    Taken(Staffer),
    /// A supervisor gives it to a staff member.
    Assigned(Staffer),
    /// A staff member closes it.
    Closed(Staffer),
    /// A staff member opens it again.
    Reopened,
    /// The citizen wrote while it was resolved.
    CitizenWrote,
    /// The citizen rated it.
    Rated(u8),
    /// The scheduled sweep looked at it.
    Swept,
}

/// Why nothing changed.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Refusal {
    /// Staff cannot answer or close a case that is resolved or closed.
    NotOpen,
    /// A colleague has taken it.
    TakenBy(Staffer),
    /// Only a resolved or closed case reopens.
    AlreadyOpen,
    /// Rated already, or not closed yet: the rating came too late or too early.
    NotRatable,
    /// The sweep has nothing to do with it (not overdue, or flagged already; the window open).
    NothingDue,
}

/// How a case changes.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Step {
    /// The fields to write and the events to record, in order (with the status each sets).
    Changed {
        update: CaseUpdate,
        events: Vec<(EventKind, Option<Status>)>,
    },
    /// The citizen wrote after the reopening window: the case closes for good (`update`,
    /// `events`) and a follow-up case opens.
    FollowUp {
        update: CaseUpdate,
        events: Vec<(EventKind, Option<Status>)>,
    },
    Refused(Refusal),
}

impl Step {
    /// The status the case has after the step.
    #[cfg(test)]
    pub(crate) fn status(&self, case: &Case) -> Status {
        match self {
            Step::Changed { update, .. } | Step::FollowUp { update, .. } => update.status.unwrap_or(case.status),
            Step::Refused(_) => case.status,
        }
    }
}

/// How `happening` changes `case` at `now`.
pub(crate) fn apply(case: &Case, happening: &Happening, rules: Rules, now: DateTime<Utc>) -> Step {
    let at_ms = now.timestamp_millis();
    let mut u = CaseUpdate::of(case.reference, at_ms);
    let mut events = Vec::new();
    let open = case.status.is_open();
    let first_hands = matches!(case.status, Status::New | Status::Reopened);
    match happening {
        Happening::Answered(who) => {
            if !open {
                return Step::Refused(Refusal::NotOpen);
            }
            if case.assignee.is_none() {
                u.assignee = Some(Some(who.clone()));
                events.push((EventKind::Taken, Some(Status::Assigned)));
            }
            u.status = Some(Status::Waiting);
            if case.answered_ms.is_none() {
                u.answered_ms = Some(Some(at_ms));
            }
            u.relay = Some(true);
            // A staff member is talking with the citizen from now on (`CaseSettings::talk`).
            u.talked_ms = Some(Some(at_ms));
            events.push((EventKind::Reply, Some(Status::Waiting)));
        }
        Happening::Taken(who) => {
            if let Some(other) = case.assignee.as_ref().filter(|a| a.id != who.id && open) {
                return Step::Refused(Refusal::TakenBy(other.clone()));
            }
            u.assignee = Some(Some(who.clone()));
            let status = first_hands.then_some(Status::Assigned);
            u.status = status;
            events.push((EventKind::Taken, status));
        }
        Happening::Assigned(to) => {
            u.assignee = Some(Some(to.clone()));
            let status = first_hands.then_some(Status::Assigned);
            u.status = status;
            events.push((EventKind::Taken, status));
        }
        Happening::Closed(who) => {
            if !open {
                return Step::Refused(Refusal::NotOpen);
            }
            u.status = Some(Status::Resolved);
            u.resolved_ms = Some(Some(at_ms));
            u.relay = Some(true);
            u.acked = Some(false);
            if case.assignee.is_none() {
                u.assignee = Some(Some(who.clone()));
                events.push((EventKind::Taken, None));
            }
            events.push((EventKind::Closed, Some(Status::Resolved)));
        }
        Happening::Reopened => {
            if open {
                return Step::Refused(Refusal::AlreadyOpen);
            }
            reopen(&mut u, rules, now);
            u.closed_ms = Some(None);
            u.relay = Some(true);
            events.push((EventKind::Reopened, Some(Status::Reopened)));
        }
        Happening::CitizenWrote => {
            if case.status != Status::Resolved {
                return Step::Refused(Refusal::AlreadyOpen);
            }
            if !rules.in_window(case, at_ms) {
                close_for_good(&mut u, &mut events, at_ms);
                return Step::FollowUp { update: u, events };
            }
            reopen(&mut u, rules, now);
            u.acked = Some(true);
            events.push((EventKind::Reopened, Some(Status::Reopened)));
        }
        Happening::Rated(stars) => {
            if open || case.rating.is_some() {
                return Step::Refused(Refusal::NotRatable);
            }
            u.rating = Some(i64::from(*stars));
            u.status = Some(Status::Closed);
            u.closed_ms = Some(Some(at_ms));
            u.relay = Some(false);
            events.push((EventKind::Rated, Some(Status::Closed)));
        }
        Happening::Swept => {
            if case.status == Status::Resolved && !rules.in_window(case, at_ms) {
                close_for_good(&mut u, &mut events, at_ms);
            } else if case.is_overdue(at_ms) && case.overdue_ms.is_none() {
                u.overdue_ms = Some(Some(at_ms));
                events.push((EventKind::Overdue, None));
            } else {
                return Step::Refused(Refusal::NothingDue);
            }
        }
    }
    Step::Changed { update: u, events }
}

/// Closes a case for good: the reopening window passed, or a follow-up case replaces it.
pub(crate) fn close_for_good_step(case: &Case, now: DateTime<Utc>) -> Step {
    let (mut u, mut events) = (CaseUpdate::of(case.reference, now.timestamp_millis()), Vec::new());
    close_for_good(&mut u, &mut events, now.timestamp_millis());
    Step::Changed { update: u, events }
}

fn close_for_good(u: &mut CaseUpdate, events: &mut Vec<(EventKind, Option<Status>)>, at_ms: i64) {
    u.status = Some(Status::Closed);
    u.closed_ms = Some(Some(at_ms));
    u.relay = Some(false);
    events.push((EventKind::Closed, Some(Status::Closed)));
}

/// Open again, with a new due time and no answer yet.
fn reopen(u: &mut CaseUpdate, rules: Rules, now: DateTime<Utc>) {
    u.status = Some(Status::Reopened);
    u.resolved_ms = Some(None);
    u.answered_ms = Some(None);
    u.overdue_ms = Some(None);
    u.due_ms = Some(rules.due_from(now).timestamp_millis());
}
