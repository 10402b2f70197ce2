//! Every status change of a case, the reopening window, ratings and overdue, on the content's
//! calendar and the default working hours (Monday to Friday, 09:00-17:30), with the clock set
//! by the test.

use std::collections::BTreeMap;

use chrono::{DateTime, Utc};

use super::*;
use crate::calendar::tests::sofia;
use crate::lang::Lang;
use crate::staff::cases::CaseRef;

/// An instant written with its Sofia offset.
fn at(text: &str) -> DateTime<Utc> {
    DateTime::parse_from_str(text, "%Y-%m-%dT%H:%M%:z").expect("a test instant").to_utc()
}

fn ms(text: &str) -> i64 {
    at(text).timestamp_millis()
}

fn maria() -> Staffer {
    Staffer { id: "501".into(), name: "Мария".into() }
}

fn ivan() -> Staffer {
    Staffer { id: "502".into(), name: "Иван".into() }
}

/// A case opened on Monday 7 December 2026 at 10:00, due a working day later.
fn case(status: Status) -> Case {
    Case {
        reference: CaseRef { year: 2026, number: 1 },
        channel: "telegram".into(),
        chat: "1".into(),
        lang: Lang::Bg,
        flow: "housing".into(),
        topic: "housing".into(),
        district: None,
        slots: BTreeMap::new(),
        summary: "Няма ток във входа".into(),
        status,
        opened_ms: ms("2026-12-07T10:00+02:00"),
        updated_ms: ms("2026-12-07T10:00+02:00"),
        due_ms: ms("2026-12-08T10:00+02:00"),
        answered_ms: None,
        resolved_ms: None,
        closed_ms: None,
        assignee: None,
        thread: None,
        relay: true,
        acked: false,
        overdue_ms: None,
        rating: None,
        follows: None,
        talked_ms: None,
    }
}

fn resolved_on(text: &str) -> Case {
    Case { resolved_ms: Some(ms(text)), assignee: Some(maria()), answered_ms: Some(ms(text)), ..case(Status::Resolved) }
}

/// Runs the machine with a 7-day reopening window and a due time of one working day.
fn run(case: &Case, happening: Happening, now: &str) -> Step {
    let (hours, calendar) = (WorkingHours::default(), sofia());
    let rules = Rules { reopen_days: 7, due: hours.working_day_length(), hours: &hours, calendar: &calendar };
    apply(case, &happening, rules, at(now))
}

/// The step's update and events, or the test fails.
fn changed(step: Step) -> (CaseUpdate, Vec<(EventKind, Option<Status>)>) {
    match step {
        Step::Changed { update, events } => (update, events),
        other => panic!("expected a change, got {other:?}"),
    }
}

const NOW: &str = "2026-12-07T11:00+02:00";

#[test]
fn taking_a_new_case_assigns_it() {
    let (u, events) = changed(run(&case(Status::New), Happening::Taken(maria()), NOW));
    assert_eq!(u.status, Some(Status::Assigned));
    assert_eq!(u.assignee, Some(Some(maria())));
    assert_eq!(events, [(EventKind::Taken, Some(Status::Assigned))]);
}

#[test]
fn taking_a_case_a_colleague_holds_is_refused_but_a_closed_one_changes_hands() {
    let held = Case { assignee: Some(ivan()), ..case(Status::Assigned) };
    assert_eq!(run(&held, Happening::Taken(maria()), NOW), Step::Refused(Refusal::TakenBy(ivan())));
    // Taking one's own case again changes nothing of its status.
    let own = Case { assignee: Some(maria()), ..case(Status::Waiting) };
    let (u, events) = changed(run(&own, Happening::Taken(maria()), NOW));
    assert_eq!((u.status, events), (None, vec![(EventKind::Taken, None)]));
    let closed = Case { assignee: Some(ivan()), ..case(Status::Closed) };
    assert_eq!(changed(run(&closed, Happening::Taken(maria()), NOW)).0.assignee, Some(Some(maria())));
}

#[test]
fn a_supervisor_assigns_a_reopened_case_and_it_is_assigned_again() {
    let (u, events) = changed(run(&case(Status::Reopened), Happening::Assigned(ivan()), NOW));
    assert_eq!((u.status, u.assignee), (Some(Status::Assigned), Some(Some(ivan()))));
    assert_eq!(events, [(EventKind::Taken, Some(Status::Assigned))]);
}

#[test]
fn the_first_answer_takes_the_case_and_waits_for_the_citizen() {
    let (u, events) = changed(run(&case(Status::New), Happening::Answered(maria()), NOW));
    assert_eq!(u.status, Some(Status::Waiting));
    assert_eq!(u.assignee, Some(Some(maria())));
    assert_eq!(u.answered_ms, Some(Some(ms(NOW))));
    assert_eq!(u.talked_ms, Some(Some(ms(NOW))), "staff are talking with the citizen from now on");
    assert_eq!(events, [(EventKind::Taken, Some(Status::Assigned)), (EventKind::Reply, Some(Status::Waiting))]);
}

#[test]
fn a_later_answer_keeps_the_first_answer_time_and_the_assignee() {
    let answered =
        Case { assignee: Some(ivan()), answered_ms: Some(ms("2026-12-07T10:30+02:00")), ..case(Status::Waiting) };
    let (u, events) = changed(run(&answered, Happening::Answered(maria()), NOW));
    assert_eq!((u.answered_ms, u.assignee), (None, None), "neither changes");
    assert_eq!(events, [(EventKind::Reply, Some(Status::Waiting))]);
}

#[test]
fn staff_cannot_answer_or_close_a_case_that_is_not_open() {
    for status in [Status::Resolved, Status::Closed] {
        assert_eq!(run(&case(status), Happening::Answered(maria()), NOW), Step::Refused(Refusal::NotOpen));
        assert_eq!(run(&case(status), Happening::Closed(maria()), NOW), Step::Refused(Refusal::NotOpen));
    }
}

#[test]
fn closing_resolves_the_case_and_names_who_closed_an_unassigned_one() {
    let (u, events) = changed(run(&case(Status::New), Happening::Closed(maria()), NOW));
    assert_eq!((u.status, u.resolved_ms), (Some(Status::Resolved), Some(Some(ms(NOW)))));
    assert_eq!(u.acked, Some(false), "the citizen's next message is acknowledged again");
    assert_eq!(events, [(EventKind::Taken, None), (EventKind::Closed, Some(Status::Resolved))]);
    let assigned = Case { assignee: Some(ivan()), ..case(Status::Waiting) };
    assert_eq!(
        changed(run(&assigned, Happening::Closed(maria()), NOW)).1,
        [(EventKind::Closed, Some(Status::Resolved))]
    );
}

#[test]
fn a_citizen_writing_within_the_window_reopens_the_case_due_a_working_day_later() {
    // Resolved Friday 4 December; the citizen writes on Friday 11 December at 16:00, within
    // seven days: due a working day later, Monday at 16:00.
    let resolved = resolved_on("2026-12-04T16:00+02:00");
    let (u, events) = changed(run(&resolved, Happening::CitizenWrote, "2026-12-11T16:00+02:00"));
    assert_eq!(u.status, Some(Status::Reopened));
    assert_eq!(u.due_ms, Some(ms("2026-12-14T16:00+02:00")));
    assert_eq!((u.resolved_ms, u.answered_ms, u.overdue_ms), (Some(None), Some(None), Some(None)));
    assert_eq!(events, [(EventKind::Reopened, Some(Status::Reopened))]);
}

#[test]
fn a_citizen_writing_after_the_window_gets_a_follow_up_and_the_case_closes_for_good() {
    let resolved = resolved_on("2026-12-04T16:00+02:00");
    let step = run(&resolved, Happening::CitizenWrote, "2026-12-11T16:01+02:00");
    let Step::FollowUp { update, events } = step else { panic!("a follow-up: {step:?}") };
    assert_eq!((update.status, update.relay), (Some(Status::Closed), Some(false)));
    assert_eq!(events, [(EventKind::Closed, Some(Status::Closed))]);
    // Writing to a case that is still open is not the machine's business: the relay passes it on.
    assert_eq!(run(&case(Status::Waiting), Happening::CitizenWrote, NOW), Step::Refused(Refusal::AlreadyOpen));
}

#[test]
fn staff_reopen_a_resolved_or_closed_case_but_not_an_open_one() {
    for status in [Status::Resolved, Status::Closed] {
        let (u, events) = changed(run(&case(status), Happening::Reopened, NOW));
        assert_eq!((u.status, u.closed_ms), (Some(Status::Reopened), Some(None)));
        assert_eq!(u.due_ms, Some(ms("2026-12-08T11:00+02:00")));
        assert_eq!(events, [(EventKind::Reopened, Some(Status::Reopened))]);
    }
    assert_eq!(run(&case(Status::Assigned), Happening::Reopened, NOW), Step::Refused(Refusal::AlreadyOpen));
}

#[test]
fn a_rating_closes_a_resolved_case_once() {
    let resolved = resolved_on("2026-12-04T16:00+02:00");
    let (u, events) = changed(run(&resolved, Happening::Rated(4), NOW));
    assert_eq!((u.rating, u.status, u.closed_ms), (Some(4), Some(Status::Closed), Some(Some(ms(NOW)))));
    assert_eq!(events, [(EventKind::Rated, Some(Status::Closed))]);
    let rated = Case { rating: Some(4), ..case(Status::Closed) };
    assert_eq!(run(&rated, Happening::Rated(5), NOW), Step::Refused(Refusal::NotRatable));
    assert_eq!(run(&case(Status::Waiting), Happening::Rated(5), NOW), Step::Refused(Refusal::NotRatable));
    // A case closed for good without a rating can still be rated.
    assert_eq!(changed(run(&case(Status::Closed), Happening::Rated(2), NOW)).0.rating, Some(2));
}

#[test]
fn the_sweep_flags_an_unanswered_case_once_after_its_due_time() {
    let due = "2026-12-08T10:00+02:00";
    assert_eq!(run(&case(Status::New), Happening::Swept, due), Step::Refused(Refusal::NothingDue), "not yet");
    let (u, events) = changed(run(&case(Status::New), Happening::Swept, "2026-12-08T10:01+02:00"));
    assert_eq!((u.overdue_ms, u.status), (Some(Some(ms("2026-12-08T10:01+02:00"))), None));
    assert_eq!(events, [(EventKind::Overdue, None)]);
    let flagged = Case { overdue_ms: Some(ms("2026-12-08T10:01+02:00")), ..case(Status::New) };
    assert_eq!(run(&flagged, Happening::Swept, "2026-12-09T10:00+02:00"), Step::Refused(Refusal::NothingDue));
    let answered = Case { answered_ms: Some(ms("2026-12-07T12:00+02:00")), ..case(Status::Waiting) };
    assert_eq!(run(&answered, Happening::Swept, "2026-12-09T10:00+02:00"), Step::Refused(Refusal::NothingDue));
}

#[test]
fn the_sweep_closes_a_resolved_case_for_good_once_the_window_has_passed() {
    let resolved = resolved_on("2026-12-04T16:00+02:00");
    assert_eq!(run(&resolved, Happening::Swept, "2026-12-11T16:00+02:00"), Step::Refused(Refusal::NothingDue));
    let (u, events) = changed(run(&resolved, Happening::Swept, "2026-12-11T16:01+02:00"));
    assert_eq!((u.status, u.closed_ms), (Some(Status::Closed), Some(Some(ms("2026-12-11T16:01+02:00")))));
    assert_eq!(events, [(EventKind::Closed, Some(Status::Closed))]);
}

#[test]
fn a_case_reopened_before_a_holiday_is_due_after_it() {
    // Wednesday 23 December 2026 at 16:00: 24-28 December are off, so one working day later
    // is Tuesday 29 December at 16:00.
    let resolved = resolved_on("2026-12-22T12:00+02:00");
    let (u, _) = changed(run(&resolved, Happening::CitizenWrote, "2026-12-23T16:00+02:00"));
    assert_eq!(u.due_ms, Some(ms("2026-12-29T16:00+02:00")));
}

#[test]
fn every_status_a_step_leads_to_is_one_the_table_names() {
    let happenings = [
        Happening::Answered(maria()),
        Happening::Taken(maria()),
        Happening::Assigned(ivan()),
        Happening::Closed(maria()),
        Happening::Reopened,
        Happening::CitizenWrote,
        Happening::Rated(3),
        Happening::Swept,
    ];
    let mut seen = Vec::new();
    for from in Status::ALL {
        for happening in &happenings {
            let c = Case { resolved_ms: Some(ms("2026-12-04T16:00+02:00")), ..case(from) };
            let step = run(&c, happening.clone(), "2026-12-14T12:00+02:00");
            let to = step.status(&c);
            if to != from {
                seen.push((from, to));
            }
            // A case the machine closes is never relayed to staff any more.
            if let Step::Changed { update, .. } = &step {
                assert!(!(to == Status::Closed && update.relay == Some(true)), "{from} -> {to}");
            }
        }
    }
    seen.sort_by_key(|(a, b)| (a.code(), b.code()));
    seen.dedup();
    let expected = [
        (Status::Assigned, Status::Resolved),
        (Status::Assigned, Status::Waiting),
        (Status::Closed, Status::Reopened),
        (Status::New, Status::Assigned),
        (Status::New, Status::Resolved),
        (Status::New, Status::Waiting),
        (Status::Reopened, Status::Assigned),
        (Status::Reopened, Status::Resolved),
        (Status::Reopened, Status::Waiting),
        (Status::Resolved, Status::Closed),
        (Status::Resolved, Status::Reopened),
        (Status::Waiting, Status::Resolved),
    ];
    assert_eq!(seen, expected);
}
