//! Sofia's calendar for the staff side: local time (EET/EEST by the EU rule), Bulgarian public
//! holidays (Labour Code, art. 154), and working hours with the due-time arithmetic built on them.
//! Pure: every function takes the instant it needs as an argument. It must not read the clock,
//! do IO, or need a time zone database.

use chrono::{DateTime, Datelike, Days, Duration, FixedOffset, NaiveDate, NaiveDateTime, NaiveTime, Utc, Weekday};

/// Winter time in Sofia, EET.
const EET: FixedOffset = FixedOffset::east_opt(2 * 3600).unwrap();
/// Summer time in Sofia, EEST.
const EEST: FixedOffset = FixedOffset::east_opt(3 * 3600).unwrap();

/// Sofia's offset from UTC at an instant: UTC+3 (EEST) from 01:00 UTC on the last Sunday of
/// March until 01:00 UTC on the last Sunday of October, UTC+2 (EET) otherwise.
pub fn utc_offset(utc: DateTime<Utc>) -> FixedOffset {
    let year = utc.year();
    if clock_change(year, 3) <= utc && utc < clock_change(year, 10) { EEST } else { EET }
}

/// The wall-clock time in Sofia at an instant.
pub fn local_time(utc: DateTime<Utc>) -> NaiveDateTime {
    utc.with_timezone(&utc_offset(utc)).naive_local()
}

/// The instant the clocks change in March or October of a year: 01:00 UTC on the last Sunday.
fn clock_change(year: i32, month: u32) -> DateTime<Utc> {
    // Both months have 31 days, so the last Sunday is the 31st or up to six days before it.
    let last = NaiveDate::from_ymd_opt(year, month, 31).expect("March and October have a 31st");
    let sunday = last - Days::new(last.weekday().num_days_from_sunday().into());
    sunday.and_time(const { NaiveTime::from_hms_opt(1, 0, 0).unwrap() }).and_utc()
}

/// The instant of a Sofia wall-clock time. A time the clocks skip in spring (03:00-03:59) reads
/// as if they had not moved yet, an hour later in the new time; a time they show twice in
/// autumn reads as its first occurrence.
fn to_utc(local: NaiveDateTime) -> DateTime<Utc> {
    let summer = (local - Duration::hours(3)).and_utc();
    if utc_offset(summer) == EEST { summer } else { (local - Duration::hours(2)).and_utc() }
}

/// The Gregorian date of Orthodox Easter Sunday, for years from 1583 on.
pub fn orthodox_easter(year: i32) -> NaiveDate {
    // Meeus' Julian algorithm: the date of Easter in the Julian calendar.
    let (a, b, c) = (year.rem_euclid(4), year.rem_euclid(7), year.rem_euclid(19));
    let d = (19 * c + 15) % 30;
    let e = (2 * a + 4 * b - d + 34) % 7;
    let (month, day) = ((d + e + 114) / 31, (d + e + 114) % 31 + 1);
    let julian = NaiveDate::from_ymd_opt(year, month as u32, day as u32).expect("Easter falls between March and May");
    // The Julian calendar runs behind the Gregorian: 13 days from 1900 to 2099, 14 after.
    let behind = year.div_euclid(100) - year.div_euclid(400) - 2;
    julian + Duration::days(behind.into())
}

/// The holidays on fixed dates, in date order: month, day, name, and the name of the day off
/// given for it when it falls on a weekend.
#[rustfmt::skip]
const FIXED_HOLIDAYS: [(u32, u32, &str, &str); 10] = [
    (1, 1, "New Year's Day", "New Year's Day (observed)"),
    (3, 3, "Liberation Day", "Liberation Day (observed)"),
    (5, 1, "Labour Day", "Labour Day (observed)"),
    (5, 6, "St George's Day", "St George's Day (observed)"),
    (5, 24, "Culture and Literacy Day", "Culture and Literacy Day (observed)"),
    (9, 6, "Unification Day", "Unification Day (observed)"),
    (9, 22, "Independence Day", "Independence Day (observed)"),
    (12, 24, "Christmas Eve", "Christmas Eve (observed)"),
    (12, 25, "Christmas Day", "Christmas Day (observed)"),
    (12, 26, "Second Day of Christmas", "Second Day of Christmas (observed)"),
];

/// Bulgaria's official holidays in a year (Labour Code, art. 154), in date order: the fixed
/// dates, Good Friday to Easter Monday, and the days off given for fixed holidays that fall on
/// a Saturday or Sunday. A date can appear twice when two holidays meet (6 May and Easter
/// Monday in 2024).
pub fn public_holidays(year: i32) -> Vec<(NaiveDate, &'static str)> {
    let date = |month, day| NaiveDate::from_ymd_opt(year, month, day).expect("a real date");
    let easter = orthodox_easter(year);
    let mut holidays = vec![
        (easter - Days::new(2), "Good Friday"),
        (easter - Days::new(1), "Holy Saturday"),
        (easter, "Easter Sunday"),
        (easter + Days::new(1), "Easter Monday"),
    ];
    holidays.extend(FIXED_HOLIDAYS.iter().map(|&(month, day, name, _)| (date(month, day), name)));
    // Art. 154(2): the first working day after a fixed holiday on a weekend is a day off; the
    // Easter days are exempt. Going in date order, each weekend holiday takes the next weekday
    // still free, so 25 and 26 December on a Saturday and Sunday give Monday and Tuesday.
    for &(month, day, _, observed) in &FIXED_HOLIDAYS {
        let holiday = date(month, day);
        if is_weekend(holiday) {
            let day_off = holiday
                .iter_days()
                .skip(1)
                .find(|d| !is_weekend(*d) && !holidays.iter().any(|(h, _)| h == d))
                .expect("a free weekday follows within days");
            holidays.push((day_off, observed));
        }
    }
    holidays.sort_by_key(|&(date, _)| date);
    holidays
}

/// The name of the public holiday on a date, if it is one.
pub fn holiday_on(date: NaiveDate) -> Option<&'static str> {
    public_holidays(date.year()).into_iter().find(|&(d, _)| d == date).map(|(_, name)| name)
}

fn is_weekend(date: NaiveDate) -> bool {
    matches!(date.weekday(), Weekday::Sat | Weekday::Sun)
}

/// When staff answer: some weekdays, from an opening to a closing time in Sofia, outside
/// public holidays. It always opens before it closes, on at least one weekday.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct WorkingHours {
    /// Which weekdays are working days, Monday first.
    days: [bool; 7],
    open: NaiveTime,
    close: NaiveTime,
}

/// Working hours in configuration that do not read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ParseHoursError {
    #[error("working hours {0:?} do not read like \"mon-fri 09:00-17:30\"")]
    Shape(String),
    #[error("{0:?} is not a day of the week (mon, tue, wed, thu, fri, sat, sun)")]
    UnknownDay(String),
    #[error("day range {0:?} runs backwards: the week starts on mon")]
    BackwardsDays(String),
    #[error("{0:?} is not a time of day like 09:00")]
    BadTime(String),
    #[error("closing time {close} is not after opening time {open}")]
    ClosesBeforeOpening { open: String, close: String },
}

impl Default for WorkingHours {
    /// Monday to Friday, 09:00 to 17:30.
    fn default() -> WorkingHours {
        WorkingHours {
            days: [true, true, true, true, true, false, false],
            open: const { NaiveTime::from_hms_opt(9, 0, 0).unwrap() },
            close: const { NaiveTime::from_hms_opt(17, 30, 0).unwrap() },
        }
    }
}

impl WorkingHours {
    /// Reads working hours from configuration: days as ranges or lists, then the hours, e.g.
    /// `mon-fri 09:00-17:30` or `mon-thu,sat 08:00-12:00`. Spaces and case do not matter.
    pub fn parse(text: &str) -> Result<WorkingHours, ParseHoursError> {
        let shape = || ParseHoursError::Shape(text.to_string());
        let compact: String = text.chars().filter(|c| !c.is_whitespace()).collect();
        let split = compact.find(|c: char| c.is_ascii_digit()).ok_or_else(shape)?;
        let (days_text, hours_text) = compact.split_at(split);
        let (open_text, close_text) = hours_text.split_once('-').ok_or_else(shape)?;
        if days_text.is_empty() {
            return Err(shape());
        }
        let mut days = [false; 7];
        for part in days_text.split(',') {
            let (first, last) = match part.split_once('-') {
                Some((first, last)) => (weekday(first)?, weekday(last)?),
                None => (weekday(part)?, weekday(part)?),
            };
            let (first, last) = (first.num_days_from_monday(), last.num_days_from_monday());
            if first > last {
                return Err(ParseHoursError::BackwardsDays(part.to_string()));
            }
            days[first as usize..=last as usize].fill(true);
        }
        let (open, close) = (time_of_day(open_text)?, time_of_day(close_text)?);
        if open >= close {
            let (open, close) = (open_text.to_string(), close_text.to_string());
            return Err(ParseHoursError::ClosesBeforeOpening { open, close });
        }
        Ok(WorkingHours { days, open, close })
    }

    /// The length of one working day (8 h 30 min by default): "one working day" of working
    /// time is this long.
    pub fn working_day_length(&self) -> Duration {
        self.close - self.open
    }

    /// Whether staff work on a date: one of the working weekdays, and not a public holiday.
    pub fn is_working_day(&self, date: NaiveDate) -> bool {
        self.days[date.weekday().num_days_from_monday() as usize] && holiday_on(date).is_none()
    }

    /// Whether staff are at work at an instant. Opening time is in, closing time is out.
    pub fn is_open(&self, now: DateTime<Utc>) -> bool {
        let window = self.window(local_time(now).date());
        window.is_some_and(|(open, close)| open <= now && now < close)
    }

    /// When staff are next at work: `now` if they are, else the next opening.
    pub fn next_open(&self, now: DateTime<Utc>) -> DateTime<Utc> {
        let (open, _) = self.windows_from(now).next().expect("working days recur every week");
        open.max(now)
    }

    /// The instant by which `duration` of working time has passed since `start`: time outside
    /// working hours does not count. Zero (or less) is the next opening.
    pub fn add_working_time(&self, start: DateTime<Utc>, duration: Duration) -> DateTime<Utc> {
        let mut left = duration.max(Duration::zero());
        for (open, close) in self.windows_from(start) {
            let from = open.max(start);
            if left <= close - from {
                return from + left;
            }
            left -= close - from;
        }
        unreachable!("working days recur every week")
    }

    /// Opening and closing on a Sofia date, as instants, if it is a working day.
    fn window(&self, date: NaiveDate) -> Option<(DateTime<Utc>, DateTime<Utc>)> {
        let at = |time| to_utc(date.and_time(time));
        self.is_working_day(date).then(|| (at(self.open), at(self.close)))
    }

    /// The working windows, in order, that have not closed by `from`.
    fn windows_from(&self, from: DateTime<Utc>) -> impl Iterator<Item = (DateTime<Utc>, DateTime<Utc>)> + '_ {
        let days = local_time(from).date().iter_days();
        days.filter_map(|date| self.window(date)).filter(move |&(_, close)| close > from)
    }
}

fn weekday(text: &str) -> Result<Weekday, ParseHoursError> {
    text.parse().map_err(|_| ParseHoursError::UnknownDay(text.to_string()))
}

fn time_of_day(text: &str) -> Result<NaiveTime, ParseHoursError> {
    NaiveTime::parse_from_str(text, "%H:%M").map_err(|_| ParseHoursError::BadTime(text.to_string()))
}

#[cfg(test)]
mod tests {
    use super::*;

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
        public_holidays(year).into_iter().map(|(d, _)| d).collect()
    }

    fn hours() -> WorkingHours {
        WorkingHours::default()
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
        assert_eq!(holiday_on(date("2026-05-25")), Some("Culture and Literacy Day (observed)"));
        assert_eq!(holiday_on(date("2026-09-07")), Some("Unification Day (observed)"));
        assert_eq!(holiday_on(date("2026-03-03")), Some("Liberation Day"));
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
        assert_eq!(holiday_on(date("2027-05-04")), Some("Labour Day (observed)"));
        assert_eq!(holiday_on(date("2027-12-27")), Some("Christmas Day (observed)"));
        assert_eq!(holiday_on(date("2027-12-28")), Some("Second Day of Christmas (observed)"));
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
        assert_eq!(utc_offset(before), EET);
        assert_eq!(utc_offset(after), EEST);
        assert_eq!(local_time(before).to_string(), "2026-03-29 02:59:00");
        assert_eq!(local_time(after).to_string(), "2026-03-29 04:00:00");
    }

    #[test]
    fn sofia_moves_back_to_winter_time_at_one_utc_on_the_last_sunday_of_october() {
        let before = at("2026-10-25T00:59+00:00");
        let after = at("2026-10-25T01:00+00:00");
        assert_eq!(utc_offset(before), EEST);
        assert_eq!(utc_offset(after), EET);
        assert_eq!(local_time(before).to_string(), "2026-10-25 03:59:00");
        assert_eq!(local_time(after).to_string(), "2026-10-25 03:00:00");
    }

    #[test]
    fn wall_clock_times_around_the_clock_changes_read_predictably() {
        let local = |text: &str| NaiveDateTime::parse_from_str(text, "%Y-%m-%d %H:%M").unwrap();
        // 03:30 never happens on 29 March 2026: it reads as 04:30 summer time.
        assert_eq!(to_utc(local("2026-03-29 03:30")), at("2026-03-29T04:30+03:00"));
        // 03:30 happens twice on 25 October 2026: the first, in summer time, is taken.
        assert_eq!(to_utc(local("2026-10-25 03:30")), at("2026-10-25T03:30+03:00"));
        assert_eq!(to_utc(local("2026-01-15 12:00")), at("2026-01-15T12:00+02:00"));
    }

    #[test]
    fn is_open_from_nine_until_just_before_half_past_five() {
        // A winter Wednesday (UTC+2) and a summer one (UTC+3).
        for day in ["2026-01-14T{}+02:00", "2026-07-15T{}+03:00"] {
            for (time, open) in [("08:59", false), ("09:00", true), ("17:29", true), ("17:30", false)] {
                let now = at(&day.replace("{}", time));
                assert_eq!(hours().is_open(now), open, "{}", day.replace("{}", time));
            }
        }
    }

    #[test]
    fn is_open_is_false_on_weekends_and_holidays() {
        assert!(!hours().is_open(at("2026-01-10T11:00+02:00")), "a Saturday");
        assert!(!hours().is_open(at("2026-03-03T11:00+02:00")), "Liberation Day");
        assert!(!hours().is_open(at("2026-05-25T11:00+03:00")), "the Monday after 24 May");
    }

    #[test]
    fn next_open_from_saturday_noon_is_monday_at_nine() {
        assert_eq!(hours().next_open(at("2026-06-13T12:00+03:00")), at("2026-06-15T09:00+03:00"));
    }

    #[test]
    fn next_open_during_working_hours_is_now() {
        let now = at("2026-06-16T10:15+03:00");
        assert_eq!(hours().next_open(now), now);
    }

    #[test]
    fn one_working_day_from_friday_at_five_is_due_monday_at_five() {
        // Half an hour on Friday, then eight hours from 09:00 on Monday.
        let due = hours().add_working_time(at("2026-01-09T17:00+02:00"), hours().working_day_length());
        assert_eq!(due, at("2026-01-12T17:00+02:00"));
    }

    #[test]
    fn a_due_time_across_the_spring_clock_change_keeps_local_hours() {
        let due = hours().add_working_time(at("2026-03-27T17:00+02:00"), hours().working_day_length());
        assert_eq!(due, at("2026-03-30T17:00+03:00"));
    }

    #[test]
    fn a_case_opened_during_the_easter_weekend_waits_for_tuesday() {
        let saturday = at("2026-04-11T10:00+03:00");
        assert!(!hours().is_open(saturday));
        assert_eq!(hours().next_open(saturday), at("2026-04-14T09:00+03:00"));
        let due = hours().add_working_time(saturday, hours().working_day_length());
        assert_eq!(due, at("2026-04-14T17:30+03:00"));
    }

    #[test]
    fn a_case_opened_the_evening_before_a_holiday_is_due_the_day_after_it() {
        // Monday 2 March 2026; 3 March is Liberation Day.
        let evening = at("2026-03-02T18:00+02:00");
        assert_eq!(hours().next_open(evening), at("2026-03-04T09:00+02:00"));
        let due = hours().add_working_time(evening, hours().working_day_length());
        assert_eq!(due, at("2026-03-04T17:30+02:00"));
        // Wednesday 23 December 2026: 24-25 December, the weekend, and Monday 28 for the 26th.
        assert_eq!(hours().next_open(at("2026-12-23T18:00+02:00")), at("2026-12-29T09:00+02:00"));
    }

    #[test]
    fn several_working_days_skip_a_moved_holiday() {
        // Thursday 3 September 2026; Monday 7 September is off for Unification Day.
        let due = hours().add_working_time(at("2026-09-03T10:00+03:00"), hours().working_day_length() * 2);
        assert_eq!(due, at("2026-09-08T10:00+03:00"));
    }

    #[test]
    fn zero_working_time_is_due_at_the_next_opening() {
        let sunday = at("2026-06-14T20:00+03:00");
        assert_eq!(hours().add_working_time(sunday, Duration::zero()), at("2026-06-15T09:00+03:00"));
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
        assert!(short.is_open(at("2026-06-13T11:00+03:00")), "a Saturday");
        assert!(!short.is_open(at("2026-06-12T11:00+03:00")), "a Friday");
    }

    #[test]
    fn parse_rejects_bad_hours_with_a_readable_error() {
        let error = |text| WorkingHours::parse(text).unwrap_err().to_string();
        assert_eq!(error("9 to 5"), r#"working hours "9 to 5" do not read like "mon-fri 09:00-17:30""#);
        assert_eq!(
            error("mon-fry 09:00-17:30"),
            r#""fry" is not a day of the week (mon, tue, wed, thu, fri, sat, sun)"#
        );
        assert_eq!(error("fri-mon 09:00-17:30"), r#"day range "fri-mon" runs backwards: the week starts on mon"#);
        assert_eq!(error("mon-fri 09:00-25:00"), r#""25:00" is not a time of day like 09:00"#);
        assert_eq!(error("mon-fri 17:30-09:00"), "closing time 09:00 is not after opening time 17:30");
        assert_eq!(error("09:00-17:30"), r#"working hours "09:00-17:30" do not read like "mon-fri 09:00-17:30""#);
    }
}
