//! The calendar's arithmetic, on the content's own file (`locales/calendar.toml`): the
//! holidays Bulgaria observed or will observe, and Sofia's clock changes.

use std::path::Path;

use chrono::NaiveDateTime;

use super::*;

/// The content's calendar.
pub(crate) fn sofia() -> Calendar {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("locales").join(CALENDAR_FILE);
    Calendar::load(&path).expect("the content's calendar loads")
}

/// An instant written with its Sofia offset, e.g. `2026-01-09T17:00+02:00`.
fn at(text: &str) -> DateTime<Utc> {
    DateTime::parse_from_str(text, "%Y-%m-%dT%H:%M%:z").expect("a test instant").to_utc()
}

fn date(text: &str) -> NaiveDate {
    text.parse().expect("a test date")
}

fn dates(texts: &[&str]) -> Vec<NaiveDate> {
    texts.iter().map(|t| date(t)).collect()
}

fn holiday_dates(year: i32) -> Vec<NaiveDate> {
    sofia().days_off(year).into_iter().map(|(d, _)| d).collect()
}

fn holiday_on(date: NaiveDate) -> Option<String> {
    sofia().day_off(date)
}

#[test]
fn orthodox_easter_matches_the_published_dates_2025_to_2030() {
    let published = ["2025-04-20", "2026-04-12", "2027-05-02", "2028-04-16", "2029-04-08", "2030-04-28"];
    for (year, easter) in (2025..).zip(published) {
        assert_eq!(orthodox_easter(year), date(easter), "Orthodox Easter {year}");
    }
}

#[test]
fn holidays_of_2026_give_mondays_off_for_24_may_6_september_and_26_december() {
    #[rustfmt::skip]
    let expected = dates(&[
        "2026-01-01", "2026-03-03",
        "2026-04-10", "2026-04-11", "2026-04-12", "2026-04-13",
        "2026-05-01", "2026-05-06", "2026-05-24", "2026-05-25",
        "2026-09-06", "2026-09-07", "2026-09-22",
        "2026-12-24", "2026-12-25", "2026-12-26", "2026-12-28",
    ]);
    assert_eq!(holiday_dates(2026), expected);
    assert_eq!(holiday_on(date("2026-05-25")), Some(String::from("Culture and Literacy Day (observed)")));
    assert_eq!(holiday_on(date("2026-09-07")), Some(String::from("Unification Day (observed)")));
    assert_eq!(holiday_on(date("2026-03-03")), Some(String::from("Liberation Day")));
    // Holy Saturday and Easter Sunday are on a weekend by nature and give no day off.
    assert_eq!(holiday_on(date("2026-04-14")), None);
}

#[test]
fn holidays_of_2027_give_each_weekend_holiday_its_own_weekday() {
    #[rustfmt::skip]
    let expected = dates(&[
        "2027-01-01", "2027-03-03",
        // 1 May is Holy Saturday: its day off comes after Easter Monday.
        "2027-04-30", "2027-05-01", "2027-05-01", "2027-05-02", "2027-05-03", "2027-05-04",
        "2027-05-06", "2027-05-24", "2027-09-06", "2027-09-22",
        // 24-26 December fall Friday to Sunday: Monday and Tuesday are off.
        "2027-12-24", "2027-12-25", "2027-12-26", "2027-12-27", "2027-12-28",
    ]);
    assert_eq!(holiday_dates(2027), expected);
    assert_eq!(holiday_on(date("2027-05-04")), Some(String::from("Labour Day (observed)")));
    assert_eq!(holiday_on(date("2027-12-27")), Some(String::from("Christmas Day (observed)")));
    assert_eq!(holiday_on(date("2027-12-28")), Some(String::from("Second Day of Christmas (observed)")));
}

#[test]
fn christmas_eve_on_a_saturday_moves_past_the_second_day_of_christmas() {
    // 2022: 24 Saturday, 25 Sunday, 26 Monday; the days off were 27 and 28 December.
    let december: Vec<_> = holiday_dates(2022).into_iter().filter(|d| d.month() == 12).collect();
    assert_eq!(december, dates(&["2022-12-24", "2022-12-25", "2022-12-26", "2022-12-27", "2022-12-28"]));
}

#[test]
fn sofia_moves_to_summer_time_at_one_utc_on_the_last_sunday_of_march() {
    let before = at("2026-03-29T00:59+00:00");
    let after = at("2026-03-29T01:00+00:00");
    assert_eq!(sofia().offset_seconds(before), 2 * 3600);
    assert_eq!(sofia().offset_seconds(after), 3 * 3600);
    assert_eq!(sofia().local_time(before).to_string(), "2026-03-29 02:59:00");
    assert_eq!(sofia().local_time(after).to_string(), "2026-03-29 04:00:00");
}

#[test]
fn sofia_moves_back_to_winter_time_at_one_utc_on_the_last_sunday_of_october() {
    let before = at("2026-10-25T00:59+00:00");
    let after = at("2026-10-25T01:00+00:00");
    assert_eq!(sofia().offset_seconds(before), 3 * 3600);
    assert_eq!(sofia().offset_seconds(after), 2 * 3600);
    assert_eq!(sofia().local_time(before).to_string(), "2026-10-25 03:59:00");
    assert_eq!(sofia().local_time(after).to_string(), "2026-10-25 03:00:00");
}

#[test]
fn wall_clock_times_around_the_clock_changes_read_predictably() {
    let local = |text: &str| NaiveDateTime::parse_from_str(text, "%Y-%m-%d %H:%M").unwrap();
    // 03:30 never happens on 29 March 2026: it reads as 04:30 summer time.
    assert_eq!(sofia().to_utc(local("2026-03-29 03:30")), at("2026-03-29T04:30+03:00"));
    // 03:30 happens twice on 25 October 2026: the first, in summer time, is taken.
    assert_eq!(sofia().to_utc(local("2026-10-25 03:30")), at("2026-10-25T03:30+03:00"));
    assert_eq!(sofia().to_utc(local("2026-01-15 12:00")), at("2026-01-15T12:00+02:00"));
}

#[test]
fn western_easter_matches_the_published_dates_2025_to_2027() {
    assert_eq!(western_easter(2025), date("2025-04-20"));
    assert_eq!(western_easter(2026), date("2026-04-05"));
    assert_eq!(western_easter(2027), date("2027-03-28"));
}

#[test]
fn a_decreed_day_off_and_a_decreed_working_day_are_read_from_the_file() {
    let text = std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("locales").join(CALENDAR_FILE))
        .expect("the content's calendar");
    let text = format!(
        "{text}\n[[day_off]]\ndate = \"2027-12-31\"\nname = \"Test day off\"\nsource = \"a test\"\n\n\
         [[working_day]]\ndate = \"2027-12-18\"\nname = \"Test Saturday\"\nsource = \"a test\"\n"
    );
    let calendar = Calendar::parse(Path::new("calendar.toml"), &text).expect("it reads");
    assert_eq!(calendar.day_off(date("2027-12-31")), Some(String::from("Test day off")));
    assert!(calendar.is_decreed_working(date("2027-12-18")));
    assert!(!sofia().is_decreed_working(date("2027-12-18")));
}

#[test]
fn a_calendar_that_does_not_read_is_reported_at_its_lines() {
    let text = "time_zone = \"Europe/Sofya\"\neaster = \"julian\"\n\n[[holiday]]\ndate = \"02-30\"\nname = \"x\"\n\n\
                [[day_off]]\ndate = \"2027-13-01\"\nname = \"y\"\nsource = \"z\"\n";
    let errors: Vec<String> = Calendar::parse(Path::new("calendar.toml"), text)
        .expect_err("it does not read")
        .iter()
        .map(|e| format!("{}: {}", e.line, e.message))
        .collect();
    assert_eq!(
        errors,
        [
            "1: time_zone \"Europe/Sofya\" is not an IANA time zone like Europe/Sofia",
            "2: easter \"julian\" is not orthodox, western or none",
            "5: holiday date \"02-30\" is not a month and day like 12-25",
            "9: day_off date \"2027-13-01\" is not a date like 2027-12-31",
        ]
    );
    let unknown =
        Calendar::parse(Path::new("calendar.toml"), "time_zone = \"UTC\"\neaster = \"none\"\nholidays = []\n");
    assert_eq!(unknown.expect_err("an unknown key").first().map(|e| e.line), Some(3));
}

#[test]
fn a_date_decreed_off_and_working_is_reported_at_the_working_day() {
    let text = "time_zone = \"UTC\"\neaster = \"none\"\n\n[[day_off]]\ndate = \"2027-12-18\"\nname = \"a\"\n\
                source = \"b\"\n\n[[working_day]]\nname = \"c\"\nsource = \"d\"\ndate = \"2027-12-18\"\n";
    let errors = Calendar::parse(Path::new("calendar.toml"), text).expect_err("it contradicts itself");
    let errors: Vec<String> = errors.iter().map(|e| format!("{}: {}", e.line, e.message)).collect();
    assert_eq!(errors, ["12: 2027-12-18 is decreed both a day off and a working day"]);
}

#[test]
fn more_than_forty_holidays_on_fixed_dates_are_refused() {
    let mut text = String::from("time_zone = \"UTC\"\neaster = \"none\"\n");
    for day in 1..=31 {
        for month in [1, 2] {
            text.push_str(&format!("[[holiday]]\ndate = \"{month:02}-{day:02}\"\nname = \"x\"\n"));
        }
    }
    let errors = Calendar::parse(Path::new("calendar.toml"), &text).expect_err("too many");
    let errors: Vec<String> = errors.iter().map(|e| e.message.clone()).collect();
    assert_eq!(errors, ["more than 40 holidays on fixed dates: a year has about a dozen"]);
}

#[test]
fn the_default_calendar_is_utc_without_days_off() {
    let calendar = Calendar::default();
    assert_eq!(calendar.time_zone(), "UTC");
    assert!(calendar.days_off(2026).is_empty());
    assert_eq!(calendar.local_time(at("2026-06-01T12:00+00:00")).to_string(), "2026-06-01 12:00:00");
}
