//! Reading `calendar.toml`: every problem reported at its line, as `check` shows it.

use std::path::Path;
use std::str::FromStr;

use chrono::NaiveDate;
use chrono_tz::Tz;
use serde::Deserialize;
use toml::Spanned;

use super::{Calendar, Easter, Named};
use crate::engine::LoadError;

/// The calendar's file name in the content's `locales/` folder.
pub const CALENDAR_FILE: &str = "calendar.toml";

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawFile {
    time_zone: Spanned<String>,
    easter: Spanned<String>,
    #[serde(default)]
    weekend_holidays_move: bool,
    #[serde(default)]
    holiday: Vec<RawDay>,
    #[serde(default)]
    easter_holiday: Vec<RawEaster>,
    #[serde(default)]
    day_off: Vec<RawDecreed>,
    #[serde(default)]
    working_day: Vec<RawDecreed>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawDay {
    date: Spanned<String>,
    name: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawEaster {
    days: Spanned<i64>,
    name: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawDecreed {
    date: Spanned<String>,
    name: String,
    /// The decision that decreed it, so that a reader can check it.
    source: Spanned<String>,
}

/// A bound on the holidays on fixed dates, against a mistaken file (a year has about a dozen).
/// What guarantees that due-time arithmetic ends is its ten-year scan (`staff::hours`), since
/// decreed days off have no bound.
const MOST_FIXED_HOLIDAYS: usize = 40;

impl Calendar {
    /// Reads and checks a calendar file, reporting every problem at its line.
    pub fn load(path: &Path) -> Result<Calendar, Vec<LoadError>> {
        let source = std::fs::read_to_string(path)
            .map_err(|e| vec![LoadError::at(path, 0, format!("cannot read the calendar: {e}"))])?;
        Calendar::parse(path, &source)
    }

    /// Checks a calendar's text; `path` names it in errors.
    pub fn parse(path: &Path, source: &str) -> Result<Calendar, Vec<LoadError>> {
        let line = |at: usize| source[..at.min(source.len())].matches('\n').count() + 1;
        let raw: RawFile = toml::from_str(source).map_err(|e| {
            vec![LoadError::at(path, e.span().map_or(1, |s| line(s.start)), e.message().trim().to_string())]
        })?;
        let mut errors = Vec::new();
        let mut error = |at: usize, message: String| errors.push(LoadError::at(path, line(at), message));
        let mut calendar = Calendar { weekend_holidays_move: raw.weekend_holidays_move, ..Calendar::default() };
        match Tz::from_str(raw.time_zone.get_ref()) {
            Ok(tz) => calendar.time_zone = tz,
            Err(_) => error(
                raw.time_zone.span().start,
                format!("time_zone \"{}\" is not an IANA time zone like Europe/Sofia", raw.time_zone.get_ref()),
            ),
        }
        calendar.easter = match raw.easter.get_ref().as_str() {
            "orthodox" => Easter::Orthodox,
            "western" => Easter::Western,
            "none" => Easter::None,
            other => {
                error(raw.easter.span().start, format!("easter \"{other}\" is not orthodox, western or none"));
                Easter::None
            }
        };
        for day in raw.holiday {
            // Any leap year reads 29 February.
            match NaiveDate::parse_from_str(&format!("2000-{}", day.date.get_ref()), "%Y-%m-%d") {
                Ok(_) if calendar.fixed.len() == MOST_FIXED_HOLIDAYS => {
                    error(
                        day.date.span().start,
                        format!("more than {MOST_FIXED_HOLIDAYS} holidays on fixed dates: a year has about a dozen"),
                    );
                    break;
                }
                Ok(d) if day.date.get_ref().len() == 5 => {
                    use chrono::Datelike;
                    if calendar.fixed.iter().any(|h| h.when == (d.month(), d.day())) {
                        error(day.date.span().start, format!("holiday {} is listed twice", day.date.get_ref()));
                    }
                    calendar.fixed.push(Named { when: (d.month(), d.day()), name: day.name });
                }
                _ => error(
                    day.date.span().start,
                    format!("holiday date \"{}\" is not a month and day like 12-25", day.date.get_ref()),
                ),
            }
        }
        if calendar.easter == Easter::None && !raw.easter_holiday.is_empty() {
            error(raw.easter.span().start, "easter = \"none\", yet holidays are counted from Easter".into());
        }
        for day in raw.easter_holiday {
            if !(-70..=70).contains(day.days.get_ref()) {
                error(day.days.span().start, format!("{} days from Easter is more than ten weeks", day.days.get_ref()));
            }
            calendar.from_easter.push(Named { when: *day.days.get_ref(), name: day.name });
        }
        let mut working_at = Vec::new();
        for (what, list, into) in [
            ("day_off", raw.day_off, &mut calendar.decreed_off),
            ("working_day", raw.working_day, &mut calendar.decreed_working),
        ] {
            for day in list {
                let Ok(date) = NaiveDate::parse_from_str(day.date.get_ref(), "%Y-%m-%d") else {
                    error(
                        day.date.span().start,
                        format!("{what} date \"{}\" is not a date like 2027-12-31", day.date.get_ref()),
                    );
                    continue;
                };
                if day.source.get_ref().trim().is_empty() {
                    error(day.source.span().start, format!("{what} {date} needs the decision that decreed it"));
                }
                if into.iter().any(|d| d.when == date) {
                    error(day.date.span().start, format!("{what} {date} is listed twice"));
                }
                if what == "working_day" {
                    working_at.push((date, day.date.span().start));
                }
                into.push(Named { when: date, name: day.name });
            }
        }
        for (date, at) in working_at {
            if calendar.decreed_off.iter().any(|d| d.when == date) {
                error(at, format!("{date} is decreed both a day off and a working day"));
            }
        }
        if errors.is_empty() { Ok(calendar) } else { Err(errors) }
    }
}
