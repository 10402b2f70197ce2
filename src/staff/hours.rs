//! Working hours: when staff answer, and the due-time arithmetic on them. Which days are off
//! comes from the content's `Calendar`; the hours themselves from `SOFIA_WORKING_HOURS`. Pure.

use chrono::{DateTime, Datelike, Duration, NaiveDate, NaiveTime, Utc, Weekday};

use crate::calendar::Calendar;

/// How far ahead working windows are looked for: ten years of days.
const SCAN_DAYS: usize = 3_653;

/// When staff answer: some weekdays, from an opening to a closing time in the calendar's
/// time zone, outside its days off. It always opens before it closes, on at least one weekday.
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

    /// Whether staff work on a date: one of the working weekdays and not a day off, or a day
    /// decreed a working day.
    pub fn is_working_day(&self, calendar: &Calendar, date: NaiveDate) -> bool {
        let weekday = self.days[date.weekday().num_days_from_monday() as usize];
        calendar.is_decreed_working(date) || (weekday && calendar.day_off(date).is_none())
    }

    /// Whether staff are at work at an instant. Opening time is in, closing time is out.
    pub fn is_open(&self, calendar: &Calendar, now: DateTime<Utc>) -> bool {
        let window = self.window(calendar, calendar.local_time(now).date());
        window.is_some_and(|(open, close)| open <= now && now < close)
    }

    /// When staff are next at work: `now` if they are, else the next opening. A calendar with
    /// no working day in ten years (every date a day off) gives `now`.
    pub fn next_open(&self, calendar: &Calendar, now: DateTime<Utc>) -> DateTime<Utc> {
        self.windows_from(calendar, now).next().map_or(now, |(open, _)| open.max(now))
    }

    /// The instant by which `duration` of working time has passed since `start`: time outside
    /// working hours does not count. Zero (or less) is the next opening. Where the windows
    /// of the next ten years hold too little working time, the time passes as on a clock.
    pub fn add_working_time(&self, calendar: &Calendar, start: DateTime<Utc>, duration: Duration) -> DateTime<Utc> {
        let mut left = duration.max(Duration::zero());
        for (open, close) in self.windows_from(calendar, start) {
            let from = open.max(start);
            if left <= close - from {
                return from + left;
            }
            left -= close - from;
        }
        start + duration.max(Duration::zero())
    }

    /// Opening and closing on a date of the calendar's time zone, as instants, if it is a
    /// working day.
    fn window(&self, calendar: &Calendar, date: NaiveDate) -> Option<(DateTime<Utc>, DateTime<Utc>)> {
        let at = |time| calendar.to_utc(date.and_time(time));
        self.is_working_day(calendar, date).then(|| (at(self.open), at(self.close)))
    }

    /// The working windows, in order, that have not closed by `from`, over the next ten
    /// years: a calendar file can make every date a day off, and the scan must end.
    fn windows_from<'a>(
        &'a self,
        calendar: &'a Calendar,
        from: DateTime<Utc>,
    ) -> impl Iterator<Item = (DateTime<Utc>, DateTime<Utc>)> + 'a {
        let days = calendar.local_time(from).date().iter_days().take(SCAN_DAYS);
        days.filter_map(|date| self.window(calendar, date)).filter(move |&(_, close)| close > from)
    }
}

fn weekday(text: &str) -> Result<Weekday, ParseHoursError> {
    text.parse().map_err(|_| ParseHoursError::UnknownDay(text.to_string()))
}

fn time_of_day(text: &str) -> Result<NaiveTime, ParseHoursError> {
    NaiveTime::parse_from_str(text, "%H:%M").map_err(|_| ParseHoursError::BadTime(text.to_string()))
}

#[cfg(test)]
mod tests;
