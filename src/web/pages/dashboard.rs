//! The dashboard (supervisors): cases opened and closed per day, topic and language over the
//! last days (30, or `?days=N` up to a year), the median time to the first staff answer, the
//! share answered in time, the average rating, and the questions not understood most often
//! with personal numbers masked. The store counts; this names the days in the calendar's
//! time zone.

use std::sync::Arc;

use axum::extract::State;
use axum::response::Response;
use chrono::{DateTime, Duration, NaiveDate, Utc};
use minijinja::{Value, context};

use super::render;
use crate::calendar::Calendar;
use crate::privacy::redact::{PublicNumbers, redact};
use crate::web::Console;
use crate::web::error::WebError;
use crate::web::extract::{Language, Supervisor};
use crate::web::form::Query;

/// Days shown unless `?days=` says otherwise, and the most it may say.
const DAYS: i64 = 30;
const MAX_DAYS: i64 = 366;

/// The last `n` days in the city, newest first: (name, start, end), each day from its local
/// midnight (a day the clocks move is 23 or 25 hours long).
fn last_days(calendar: &Calendar, now: DateTime<Utc>, n: i64) -> Vec<(String, i64, i64)> {
    let today = calendar.local_time(now).date();
    let start = |day: NaiveDate| calendar.day_start(day).timestamp_millis();
    (0..n)
        .filter_map(|back| today.checked_sub_signed(Duration::days(back)))
        .map(|day| {
            let next = day.succ_opt().unwrap_or(day);
            (day.format("%Y-%m-%d").to_string(), start(day), start(next))
        })
        .collect()
}

pub(crate) async fn dashboard(
    State(c): State<Arc<Console>>,
    Language(lang): Language,
    Supervisor(staff): Supervisor,
    Query(q): Query,
) -> Result<Response, WebError> {
    let a = &c.assistant;
    let days: i64 = q.get("days").and_then(|d| d.parse().ok()).unwrap_or(DAYS).clamp(1, MAX_DAYS);
    let range = last_days(&a.locales.calendar, Utc::now(), days);
    let (per_day, figures, missed) =
        tokio::try_join!(a.store.cases_per_day(&range), a.store.figures(), a.store.missed_texts(20))?;
    let per_day: Vec<Value> = per_day
        .into_iter()
        .map(|d| context! { day => d.day, topic => d.topic, lang => d.lang, opened => d.opened, closed => d.closed })
        .collect();
    let dash = "—".to_string();
    let median = figures.median_first_answer_ms.map_or(dash.clone(), |ms| format!("{} min", ms / 60_000));
    let in_time = if figures.answered == 0 {
        dash.clone()
    } else {
        format!("{}%", figures.answered_in_time * 100 / figures.answered)
    };
    let rating = figures.average_rating.map_or(dash, |r| format!("{r:.1}"));
    // Personal numbers never reach the dashboard; the city's public ones stay readable.
    let public = PublicNumbers::new(a.locales.facts.numbers());
    let missed: Vec<Value> = missed
        .iter()
        .map(|(t, n)| context! { n, lang => "", text => redact(t, &public).chars().take(200).collect::<String>() })
        .collect();
    let ctx = context! { per_day, median, in_time, rating, missed, days };
    render(&c, "dashboard.html", lang, Some(&staff), ctx)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_sofia_day_starts_at_local_midnight_in_winter_and_in_summer() {
        let sofia = crate::calendar::tests::sofia();
        let days = last_days(&sofia, DateTime::parse_from_rfc3339("2026-01-15T12:00:00Z").unwrap().into(), 1);
        assert_eq!(days[0].1, DateTime::parse_from_rfc3339("2026-01-14T22:00:00Z").unwrap().timestamp_millis());
        let days = last_days(&sofia, DateTime::parse_from_rfc3339("2026-07-15T12:00:00Z").unwrap().into(), 1);
        assert_eq!(days[0].1, DateTime::parse_from_rfc3339("2026-07-14T21:00:00Z").unwrap().timestamp_millis());
        let days = last_days(&sofia, DateTime::parse_from_rfc3339("2026-03-29T12:00:00Z").unwrap().into(), 2);
        assert_eq!(days[0].0, "2026-03-29");
        assert_eq!(days[0].2 - days[0].1, 23 * 3_600_000, "the day clocks go forward is 23 hours");
        assert_eq!(days[1].2, days[0].1);
    }
}
