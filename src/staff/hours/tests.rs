//! Working hours on the content's calendar: due times across weekends, holidays, days off
//! and clock changes.

use chrono::DateTime;

use super::*;
use crate::calendar::tests::sofia;

/// An instant written with its Sofia offset, e.g. `2026-01-09T17:00+02:00`.
fn at(text: &str) -> DateTime<Utc> {
    DateTime::parse_from_str(text, "%Y-%m-%dT%H:%M%:z").expect("a test instant").to_utc()
}

fn hours() -> WorkingHours {
    WorkingHours::default()
}

#[test]
fn is_open_from_nine_until_just_before_half_past_five() {
    // A winter Wednesday (UTC+2) and a summer one (UTC+3).
    for day in ["2026-01-14T{}+02:00", "2026-07-15T{}+03:00"] {
        for (time, open) in [("08:59", false), ("09:00", true), ("17:29", true), ("17:30", false)] {
            let now = at(&day.replace("{}", time));
            assert_eq!(hours().is_open(&sofia(), now), open, "{}", day.replace("{}", time));
        }
    }
}

#[test]
fn is_open_is_false_on_weekends_and_holidays() {
    assert!(!hours().is_open(&sofia(), at("2026-01-10T11:00+02:00")), "a Saturday");
    assert!(!hours().is_open(&sofia(), at("2026-03-03T11:00+02:00")), "Liberation Day");
    assert!(!hours().is_open(&sofia(), at("2026-05-25T11:00+03:00")), "the Monday after 24 May");
}

#[test]
fn next_open_from_saturday_noon_is_monday_at_nine() {
    assert_eq!(hours().next_open(&sofia(), at("2026-06-13T12:00+03:00")), at("2026-06-15T09:00+03:00"));
}

#[test]
fn next_open_during_working_hours_is_now() {
    let now = at("2026-06-16T10:15+03:00");
    assert_eq!(hours().next_open(&sofia(), now), now);
}

#[test]
fn one_working_day_from_friday_at_five_is_due_monday_at_five() {
    // Half an hour on Friday, then eight hours from 09:00 on Monday.
    let due = hours().add_working_time(&sofia(), at("2026-01-09T17:00+02:00"), hours().working_day_length());
    assert_eq!(due, at("2026-01-12T17:00+02:00"));
}

#[test]
fn a_due_time_across_the_spring_clock_change_keeps_local_hours() {
    let due = hours().add_working_time(&sofia(), at("2026-03-27T17:00+02:00"), hours().working_day_length());
    assert_eq!(due, at("2026-03-30T17:00+03:00"));
}

#[test]
fn a_case_opened_during_the_easter_weekend_waits_for_tuesday() {
    let saturday = at("2026-04-11T10:00+03:00");
    assert!(!hours().is_open(&sofia(), saturday));
    assert_eq!(hours().next_open(&sofia(), saturday), at("2026-04-14T09:00+03:00"));
    let due = hours().add_working_time(&sofia(), saturday, hours().working_day_length());
    assert_eq!(due, at("2026-04-14T17:30+03:00"));
}

#[test]
fn a_case_opened_the_evening_before_a_holiday_is_due_the_day_after_it() {
    // Monday 2 March 2026; 3 March is Liberation Day.
    let evening = at("2026-03-02T18:00+02:00");
    assert_eq!(hours().next_open(&sofia(), evening), at("2026-03-04T09:00+02:00"));
    let due = hours().add_working_time(&sofia(), evening, hours().working_day_length());
    assert_eq!(due, at("2026-03-04T17:30+02:00"));
    // Wednesday 23 December 2026: 24-25 December, the weekend, and Monday 28 for the 26th.
    assert_eq!(hours().next_open(&sofia(), at("2026-12-23T18:00+02:00")), at("2026-12-29T09:00+02:00"));
}

#[test]
fn several_working_days_skip_a_moved_holiday() {
    // Thursday 3 September 2026; Monday 7 September is off for Unification Day.
    let due = hours().add_working_time(&sofia(), at("2026-09-03T10:00+03:00"), hours().working_day_length() * 2);
    assert_eq!(due, at("2026-09-08T10:00+03:00"));
}

#[test]
fn zero_working_time_is_due_at_the_next_opening() {
    let sunday = at("2026-06-14T20:00+03:00");
    assert_eq!(hours().add_working_time(&sofia(), sunday, Duration::zero()), at("2026-06-15T09:00+03:00"));
}

#[test]
fn a_working_day_is_eight_and_a_half_hours_by_default() {
    assert_eq!(hours().working_day_length(), Duration::minutes(8 * 60 + 30));
}

#[test]
fn parse_reads_day_ranges_lists_and_hours() {
    assert_eq!(WorkingHours::parse("mon-fri 09:00-17:30"), Ok(WorkingHours::default()));
    assert_eq!(WorkingHours::parse(" Mon - Fri  09:00 - 17:30 "), Ok(WorkingHours::default()));
    let short = WorkingHours::parse("mon-thu,sat 08:00-12:00").unwrap();
    assert_eq!(short.days, [true, true, true, true, false, true, false]);
    assert_eq!(short.working_day_length(), Duration::hours(4));
    assert!(short.is_open(&sofia(), at("2026-06-13T11:00+03:00")), "a Saturday");
    assert!(!short.is_open(&sofia(), at("2026-06-12T11:00+03:00")), "a Friday");
}

#[test]
fn parse_rejects_bad_hours_with_a_readable_error() {
    let error = |text| WorkingHours::parse(text).unwrap_err().to_string();
    assert_eq!(error("9 to 5"), r#"working hours "9 to 5" do not read like "mon-fri 09:00-17:30""#);
    assert_eq!(error("mon-fry 09:00-17:30"), r#""fry" is not a day of the week (mon, tue, wed, thu, fri, sat, sun)"#);
    assert_eq!(error("fri-mon 09:00-17:30"), r#"day range "fri-mon" runs backwards: the week starts on mon"#);
    assert_eq!(error("mon-fri 09:00-25:00"), r#""25:00" is not a time of day like 09:00"#);
    assert_eq!(error("mon-fri 17:30-09:00"), "closing time 09:00 is not after opening time 17:30");
    assert_eq!(error("09:00-17:30"), r#"working hours "09:00-17:30" do not read like "mon-fri 09:00-17:30""#);
}

#[test]
fn a_calendar_with_no_working_day_for_ten_years_still_gives_a_time() {
    // Staff work Mondays only, and every Monday for eleven years is decreed a day off.
    let mut file = String::from("time_zone = \"UTC\"\neaster = \"none\"\n");
    let first = NaiveDate::from_ymd_opt(2026, 6, 15).unwrap();
    for monday in first.iter_weeks().take(11 * 53) {
        file.push_str(&format!("[[day_off]]\ndate = \"{monday}\"\nname = \"off\"\nsource = \"a test\"\n"));
    }
    let calendar = Calendar::parse(std::path::Path::new("calendar.toml"), &file).expect("a calendar");
    let mondays = WorkingHours::parse("mon 09:00-17:00").unwrap();
    let now = at("2026-06-15T12:00+00:00");
    assert!(!mondays.is_open(&calendar, now));
    assert_eq!(mondays.next_open(&calendar, now), now);
    assert_eq!(mondays.add_working_time(&calendar, now, Duration::hours(3)), now + Duration::hours(3));
}
