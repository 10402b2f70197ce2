//! The content's calendar, `locales/calendar.toml`: the city's time zone and the days nobody
//! works (holidays on fixed dates, holidays counted from Easter, the day off given for a
//! holiday on a weekend, and days off or working days decreed by the government). Loading
//! checks the file at file:line; after that everything here is pure: every function takes the
//! instant or date it needs, and nothing reads the clock.

mod file;
#[cfg(test)]
pub(crate) mod tests;

use chrono::{DateTime, Datelike, Duration, NaiveDate, NaiveDateTime, Offset, TimeZone, Utc, Weekday};
use chrono_tz::Tz;

pub use file::CALENDAR_FILE;

/// How Easter Sunday is dated, for the holidays counted from it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Easter {
    /// The Julian computus, moved to the Gregorian calendar (the Orthodox churches).
    Orthodox,
    /// The Gregorian computus.
    Western,
    /// No holiday is counted from Easter.
    None,
}

/// A named date of the calendar.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Named<T> {
    when: T,
    name: String,
}

/// The calendar staff work by. `Calendar::default()` is UTC with no days off: where loading
/// the file starts, and what unit tests use. A city always has the file: the bot does not
/// start without it.
#[derive(Debug, Clone)]
pub struct Calendar {
    time_zone: Tz,
    easter: Easter,
    weekend_holidays_move: bool,
    /// Month and day.
    fixed: Vec<Named<(u32, u32)>>,
    /// Days from Easter Sunday.
    from_easter: Vec<Named<i64>>,
    decreed_off: Vec<Named<NaiveDate>>,
    decreed_working: Vec<Named<NaiveDate>>,
}

impl Default for Calendar {
    fn default() -> Calendar {
        Calendar {
            time_zone: Tz::UTC,
            easter: Easter::None,
            weekend_holidays_move: false,
            fixed: Vec::new(),
            from_easter: Vec::new(),
            decreed_off: Vec::new(),
            decreed_working: Vec::new(),
        }
    }
}

impl Calendar {
    /// The time zone's IANA name, e.g. `Europe/Sofia`.
    pub fn time_zone(&self) -> &str {
        self.time_zone.name()
    }

    /// The wall-clock time in the city at an instant.
    pub fn local_time(&self, utc: DateTime<Utc>) -> NaiveDateTime {
        utc.with_timezone(&self.time_zone).naive_local()
    }

    /// The city's offset from UTC at an instant, in seconds.
    pub fn offset_seconds(&self, utc: DateTime<Utc>) -> i32 {
        self.time_zone.offset_from_utc_datetime(&utc.naive_utc()).fix().local_minus_utc()
    }

    /// The instant of a wall-clock time in the city. A time the clocks skip in spring reads as
    /// if they had not moved yet (03:30 is 04:30 in the new time); a time they show twice in
    /// autumn reads as its first occurrence.
    pub fn to_utc(&self, local: NaiveDateTime) -> DateTime<Utc> {
        // Within a gap, go back by the minute to the last time that exists and add the minutes
        // back. The longest gap in the time zone database is a day (a zone that crossed the
        // date line), so this ends within 1,440 steps.
        let mut back = Duration::zero();
        loop {
            if let Some(at) = self.time_zone.from_local_datetime(&(local - back)).earliest() {
                return at.to_utc() + back;
            }
            back += Duration::minutes(1);
        }
    }

    /// When a date starts in the city.
    pub fn day_start(&self, date: NaiveDate) -> DateTime<Utc> {
        self.to_utc(date.and_hms_opt(0, 0, 0).unwrap_or_default())
    }

    /// Easter Sunday in a year, if the calendar dates Easter.
    pub fn easter_sunday(&self, year: i32) -> Option<NaiveDate> {
        match self.easter {
            Easter::Orthodox => Some(orthodox_easter(year)),
            Easter::Western => Some(western_easter(year)),
            Easter::None => None,
        }
    }

    /// The days off in a year, in date order: fixed holidays, those counted from Easter, the
    /// day off for a fixed holiday on a weekend, and the decreed ones. A date can appear twice
    /// when two holidays meet (6 May and Easter Monday in 2024). Decreed working days are not
    /// taken out here: `is_decreed_working` says which they are.
    pub fn days_off(&self, year: i32) -> Vec<(NaiveDate, String)> {
        let mut days: Vec<(NaiveDate, String)> = Vec::new();
        if let Some(easter) = self.easter_sunday(year) {
            days.extend(self.from_easter.iter().map(|h| (easter + Duration::days(h.when), h.name.clone())));
        }
        let fixed: Vec<(NaiveDate, &str)> = self
            .fixed
            .iter()
            .filter_map(|h| Some((NaiveDate::from_ymd_opt(year, h.when.0, h.when.1)?, h.name.as_str())))
            .collect();
        days.extend(fixed.iter().map(|&(date, name)| (date, name.to_string())));
        if self.weekend_holidays_move {
            // Going in date order, each weekend holiday takes the next weekday still free, so
            // 25 and 26 December on a Saturday and Sunday give Monday and Tuesday.
            for &(holiday, name) in &fixed {
                if is_weekend(holiday) {
                    let free = holiday
                        .iter_days()
                        .skip(1)
                        .take(14)
                        .find(|d| !is_weekend(*d) && !days.iter().any(|(h, _)| h == d));
                    if let Some(day_off) = free {
                        days.push((day_off, format!("{name} (observed)")));
                    }
                }
            }
        }
        days.extend(self.decreed_off.iter().filter(|d| d.when.year() == year).map(|d| (d.when, d.name.clone())));
        days.sort_by_key(|&(date, _)| date);
        days
    }

    /// The name of the day off on a date, if it is one.
    pub fn day_off(&self, date: NaiveDate) -> Option<String> {
        self.days_off(date.year()).into_iter().find(|(d, _)| *d == date).map(|(_, name)| name)
    }

    /// Whether a date is decreed a working day, though a weekend or a day off.
    pub fn is_decreed_working(&self, date: NaiveDate) -> bool {
        self.decreed_working.iter().any(|d| d.when == date)
    }
}

pub(crate) fn is_weekend(date: NaiveDate) -> bool {
    matches!(date.weekday(), Weekday::Sat | Weekday::Sun)
}

/// The Gregorian date of Orthodox Easter Sunday, for years from 1583 on.
pub fn orthodox_easter(year: i32) -> NaiveDate {
    // Meeus' Julian algorithm: the date of Easter in the Julian calendar.
    let (a, b, c) = (year.rem_euclid(4), year.rem_euclid(7), year.rem_euclid(19));
    let d = (19 * c + 15) % 30;
    let e = (2 * a + 4 * b - d + 34) % 7;
    let (month, day) = ((d + e + 114) / 31, (d + e + 114) % 31 + 1);
    let julian = NaiveDate::from_ymd_opt(year, month as u32, day as u32).unwrap_or_default();
    // The Julian calendar runs behind the Gregorian: 13 days from 1900 to 2099, 14 after.
    let behind = year.div_euclid(100) - year.div_euclid(400) - 2;
    julian + Duration::days(behind.into())
}

/// The date of Western Easter Sunday (the anonymous Gregorian algorithm).
pub fn western_easter(year: i32) -> NaiveDate {
    let a = year.rem_euclid(19);
    let (b, c) = (year.div_euclid(100), year.rem_euclid(100));
    let (d, e) = (b / 4, b % 4);
    let f = (b + 8) / 25;
    let g = (b - f + 1) / 3;
    let h = (19 * a + b - d - g + 15) % 30;
    let (i, k) = (c / 4, c % 4);
    let l = (32 + 2 * e + 2 * i - h - k) % 7;
    let m = (a + 11 * h + 22 * l) / 451;
    let (month, day) = ((h + l - 7 * m + 114) / 31, (h + l - 7 * m + 114) % 31 + 1);
    NaiveDate::from_ymd_opt(year, month as u32, day as u32).unwrap_or_default()
}
