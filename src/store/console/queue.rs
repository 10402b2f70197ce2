//! The console's queue and dashboard in SQL: filtering, counting and paging cases, and the
//! dashboard's figures, so that a page (refreshed every 30 seconds) reads one page of cases
//! and a few numbers, never every case. The SQL is what PostgreSQL also accepts, but for the
//! text search (see `contains`).

use sqlx::{QueryBuilder, Row, Sqlite};

use super::super::cases::{CASE_COLUMNS, case_of};
use super::super::{Store, StoreError};
use crate::staff::cases::{Case, CaseRef, Status};

/// Which cases the queue shows, and which page of them.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct QueueFilter {
    /// One status; `None`: every open one.
    pub status: Option<Status>,
    pub topic: Option<String>,
    pub lang: Option<String>,
    pub district: Option<String>,
    /// A reference (`SOF-2026-000123`, `2026-123`, `123`), or text in the summary or in what
    /// the form collected, in any letter case.
    pub search: Option<String>,
    pub offset: i64,
    pub limit: i64,
}

/// Cases opened and closed on one day, in one topic and language.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DayCount {
    pub day: String,
    pub topic: String,
    pub lang: String,
    pub opened: i64,
    pub closed: i64,
}

/// The dashboard's figures over every case.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Figures {
    /// The median time from opening to the first staff answer.
    pub median_first_answer_ms: Option<i64>,
    pub answered: i64,
    pub answered_in_time: i64,
    pub average_rating: Option<f64>,
}

/// A GLOB pattern that finds `text` anywhere, in any letter case: each letter becomes a class
/// of its two cases, GLOB's own characters a class of one. SQLite's LIKE and LOWER fold ASCII
/// letters only, and staff search Cyrillic; on PostgreSQL this is `column ILIKE '%text%'`.
fn contains(text: &str) -> String {
    let mut pattern = String::from("*");
    for c in text.chars() {
        let (lower, upper): (String, String) = (c.to_lowercase().collect(), c.to_uppercase().collect());
        match c {
            '*' | '?' | '[' => pattern.push_str(&format!("[{c}]")),
            _ if lower != upper && lower.chars().count() == 1 && upper.chars().count() == 1 => {
                pattern.push_str(&format!("[{lower}{upper}]"))
            }
            _ => pattern.push(c),
        }
    }
    pattern.push('*');
    pattern
}

/// The queue's WHERE clause, after `WHERE`.
fn filter_sql<'a>(q: &mut QueryBuilder<'a, Sqlite>, f: &'a QueueFilter) {
    match f.status {
        Some(status) => q.push("status = ").push_bind(status.code()),
        None => q.push("status NOT IN ('resolved', 'closed')"),
    };
    for (column, value) in [("topic", &f.topic), ("lang", &f.lang), ("district", &f.district)] {
        if let Some(v) = value {
            q.push(format!(" AND {column} = ")).push_bind(v.as_str());
        }
    }
    if let Some(text) = f.search.as_deref() {
        let pattern = contains(text);
        q.push(" AND (summary GLOB ").push_bind(pattern.clone()).push(" OR slots GLOB ").push_bind(pattern);
        if let Some(r) = CaseRef::parse(text) {
            q.push(" OR id = ").push_bind(r.id());
        }
        if let Ok(n) = text.trim().parse::<i64>() {
            q.push(" OR id % 100000000 = ").push_bind(n);
        }
        q.push(")");
    }
}

impl Store {
    /// One page of the queue (open cases by due time; resolved and closed ones newest first),
    /// and how many cases match in all.
    pub async fn queue_page(&self, f: &QueueFilter) -> Result<(Vec<Case>, i64), StoreError> {
        let mut q = QueryBuilder::new(format!("SELECT {CASE_COLUMNS} FROM cases WHERE "));
        filter_sql(&mut q, f);
        let open = f.status.is_none_or(Status::is_open);
        q.push(if open { " ORDER BY due_ms, id" } else { " ORDER BY id DESC" });
        q.push(" LIMIT ").push_bind(f.limit).push(" OFFSET ").push_bind(f.offset);
        let rows = q.build().fetch_all(&self.pool).await?;
        let mut count = QueryBuilder::new("SELECT COUNT(*) FROM cases WHERE ");
        filter_sql(&mut count, f);
        let total: i64 = count.build_query_scalar().fetch_one(&self.pool).await?;
        Ok((rows.iter().map(case_of).collect(), total))
    }

    /// How many cases have each status.
    pub async fn status_counts(&self) -> Result<Vec<(Status, i64)>, StoreError> {
        let rows = sqlx::query("SELECT status, COUNT(*) FROM cases GROUP BY status").fetch_all(&self.pool).await?;
        let counts: Vec<(String, i64)> = rows.iter().map(|r| (r.get(0), r.get(1))).collect();
        Ok(Status::ALL
            .iter()
            .map(|s| (*s, counts.iter().find(|(code, _)| code == s.code()).map_or(0, |(_, n)| *n)))
            .collect())
    }

    /// Cases opened and closed (resolved, or closed for good) per day, topic and language;
    /// `days` are (name, start, end) in milliseconds, newest first. Days without cases are
    /// left out.
    pub async fn cases_per_day(&self, days: &[(String, i64, i64)]) -> Result<Vec<DayCount>, StoreError> {
        if days.is_empty() {
            return Ok(Vec::new());
        }
        let mut q = QueryBuilder::<Sqlite>::new("WITH days (day, start_ms, end_ms) AS (VALUES ");
        let mut values = q.separated(", ");
        for (day, start, end) in days {
            values.push("(").push_bind_unseparated(day.as_str()).push_unseparated(", ");
            values
                .push_bind_unseparated(*start)
                .push_unseparated(", ")
                .push_bind_unseparated(*end)
                .push_unseparated(")");
        }
        q.push(
            ") SELECT day, topic, lang, SUM(opened), SUM(closed) FROM (
                SELECT d.day, c.topic, c.lang, 1 AS opened, 0 AS closed FROM days d
                JOIN cases c ON c.opened_ms >= d.start_ms AND c.opened_ms < d.end_ms
                UNION ALL
                SELECT d.day, c.topic, c.lang, 0, 1 FROM days d
                JOIN cases c ON COALESCE(c.resolved_ms, c.closed_ms) >= d.start_ms
                    AND COALESCE(c.resolved_ms, c.closed_ms) < d.end_ms
             ) AS counted GROUP BY day, topic, lang ORDER BY day DESC, topic, lang",
        );
        let rows = q.build().fetch_all(&self.pool).await?;
        Ok(rows
            .iter()
            .map(|r| DayCount { day: r.get(0), topic: r.get(1), lang: r.get(2), opened: r.get(3), closed: r.get(4) })
            .collect())
    }

    /// The median time to the first answer (the upper one of an even count), the share
    /// answered by the due time, and the average rating.
    pub async fn figures(&self) -> Result<Figures, StoreError> {
        let median: Option<i64> = sqlx::query_scalar(
            "SELECT answered_ms - opened_ms AS waited FROM cases WHERE answered_ms IS NOT NULL
             ORDER BY waited LIMIT 1 OFFSET (SELECT COUNT(*) FROM cases WHERE answered_ms IS NOT NULL) / 2",
        )
        .fetch_optional(&self.pool)
        .await?;
        let row = sqlx::query(
            "SELECT COUNT(*), COALESCE(SUM(CASE WHEN answered_ms <= due_ms THEN 1 ELSE 0 END), 0)
             FROM cases WHERE answered_ms IS NOT NULL",
        )
        .fetch_one(&self.pool)
        .await?;
        let rating: Option<f64> =
            sqlx::query_scalar("SELECT CAST(AVG(rating) AS DOUBLE PRECISION) FROM cases WHERE rating IS NOT NULL")
                .fetch_one(&self.pool)
                .await?;
        Ok(Figures {
            median_first_answer_ms: median,
            answered: row.get(0),
            answered_in_time: row.get(1),
            average_rating: rating,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::contains;

    #[test]
    fn a_search_pattern_matches_either_case_and_escapes_glob() {
        assert_eq!(contains("Шип"), "*[шШ][иИ][пП]*");
        assert_eq!(contains("a*?[5"), "*[aA][*][?][[]5*");
    }
}
