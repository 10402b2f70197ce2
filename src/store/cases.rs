//! Cases in SQL: reading them, and the writes the writer task applies in a turn's transaction.

use sqlx::sqlite::SqliteRow;
use sqlx::{Row, SqliteConnection};

use super::{Store, StoreError};
use crate::lang::Lang;
pub use crate::staff::cases::CaseUpdate;
use crate::staff::cases::{Actor, Case, CaseRef, Event, EventKind, Source, Staffer, Status};

/// A change to cases, committed with the turn or action that decided it.
#[derive(Debug, Clone, PartialEq)]
pub enum CaseWrite {
    /// A new case, with the reference handed out by `Store::next_case_number`.
    Open(Box<Case>),
    /// A change to the case's current state (its history is the events).
    Update(CaseUpdate),
    /// An entry of its history.
    Event(Event),
}

/// What to list: all cases, or those of one status.
#[derive(Debug, Clone, Default)]
pub struct CaseFilter {
    pub status: Option<Status>,
    pub open_only: bool,
    pub limit: Option<i64>,
}

pub(super) const CASE_COLUMNS: &str =
    "id, channel, chat, lang, flow, topic, district, slots, summary, status, opened_ms,
    updated_ms, due_ms, answered_ms, resolved_ms, closed_ms, assignee_id, assignee_name, thread, relay, acked,
    overdue_ms, rating, follows, talked_ms";

pub(super) fn case_of(r: &SqliteRow) -> Case {
    let assignee = match (r.get::<Option<String>, _>(16), r.get::<Option<String>, _>(17)) {
        (Some(id), name) => Some(Staffer { name: name.unwrap_or_else(|| id.clone()), id }),
        _ => None,
    };
    Case {
        reference: CaseRef::from_id(r.get(0)),
        channel: r.get(1),
        chat: r.get(2),
        lang: Lang::parse(&r.get::<String, _>(3)).unwrap_or_default(),
        flow: r.get(4),
        topic: r.get(5),
        district: r.get(6),
        slots: serde_json::from_str(&r.get::<String, _>(7)).unwrap_or_default(),
        summary: r.get(8),
        status: Status::parse(&r.get::<String, _>(9)).unwrap_or(Status::New),
        opened_ms: r.get(10),
        updated_ms: r.get(11),
        due_ms: r.get(12),
        answered_ms: r.get(13),
        resolved_ms: r.get(14),
        closed_ms: r.get(15),
        assignee,
        thread: r.get(18),
        relay: r.get::<i64, _>(19) != 0,
        acked: r.get::<i64, _>(20) != 0,
        overdue_ms: r.get(21),
        rating: r.get(22),
        follows: r.get::<Option<i64>, _>(23).map(CaseRef::from_id),
        talked_ms: r.get(24),
    }
}

fn event_of(r: &SqliteRow) -> Event {
    let actor = match r.get::<String, _>(2).as_str() {
        "citizen" => Actor::Citizen,
        "staff" => {
            let id: String = r.get::<Option<String>, _>(3).unwrap_or_default();
            Actor::Staff(Staffer { name: r.get::<Option<String>, _>(4).unwrap_or_else(|| id.clone()), id })
        }
        "bot" => Actor::Bot,
        _ => Actor::System,
    };
    let source = match r.get::<String, _>(5).as_str() {
        "chat" => Source::Chat,
        "staff-group" => Source::StaffGroup,
        "cli" => Source::Cli,
        "console" => Source::Console,
        _ => Source::System,
    };
    Event {
        case: CaseRef::from_id(r.get(0)),
        at_ms: r.get(1),
        actor,
        source,
        kind: EventKind::parse(&r.get::<String, _>(6)).unwrap_or(EventKind::Note),
        status: r.get::<Option<String>, _>(7).and_then(|s| Status::parse(&s)),
        body: r.get(8),
    }
}

impl Store {
    /// A case by its reference.
    pub async fn case(&self, reference: CaseRef) -> Result<Option<Case>, StoreError> {
        let sql = format!("SELECT {CASE_COLUMNS} FROM cases WHERE id = ?");
        let row = sqlx::query(&sql).bind(reference.id()).fetch_optional(&self.pool).await?;
        Ok(row.as_ref().map(case_of))
    }

    /// The case whose forum topic is `thread` in the staff group.
    pub async fn case_by_thread(&self, thread: i64) -> Result<Option<Case>, StoreError> {
        let sql = format!("SELECT {CASE_COLUMNS} FROM cases WHERE thread = ? ORDER BY id DESC LIMIT 1");
        let row = sqlx::query(&sql).bind(thread).fetch_optional(&self.pool).await?;
        Ok(row.as_ref().map(case_of))
    }

    /// A chat's latest case that is not closed for good, if any.
    pub async fn live_case(&self, channel: &str, chat: &str) -> Result<Option<Case>, StoreError> {
        let sql = format!(
            "SELECT {CASE_COLUMNS} FROM cases WHERE channel = ? AND chat = ? AND status <> 'closed'
             ORDER BY id DESC LIMIT 1"
        );
        let row = sqlx::query(&sql).bind(channel).bind(chat).fetch_optional(&self.pool).await?;
        Ok(row.as_ref().map(case_of))
    }

    /// A chat's cases, newest first.
    pub async fn chat_cases(&self, channel: &str, chat: &str) -> Result<Vec<Case>, StoreError> {
        let sql = format!("SELECT {CASE_COLUMNS} FROM cases WHERE channel = ? AND chat = ? ORDER BY id DESC");
        let rows = sqlx::query(&sql).bind(channel).bind(chat).fetch_all(&self.pool).await?;
        Ok(rows.iter().map(case_of).collect())
    }

    /// Cases, the open ones by due time and then the rest newest first.
    pub async fn cases(&self, filter: &CaseFilter) -> Result<Vec<Case>, StoreError> {
        let mut sql = format!("SELECT {CASE_COLUMNS} FROM cases WHERE 1 = 1");
        if filter.status.is_some() {
            sql.push_str(" AND status = ?");
        }
        if filter.open_only {
            sql.push_str(" AND status NOT IN ('resolved', 'closed')");
        }
        sql.push_str(" ORDER BY status IN ('resolved', 'closed'), CASE WHEN status IN ('resolved', 'closed') THEN -id ELSE due_ms END");
        sql.push_str(" LIMIT ?");
        let mut q = sqlx::query(&sql);
        if let Some(s) = filter.status {
            q = q.bind(s.code());
        }
        let rows = q.bind(filter.limit.unwrap_or(-1)).fetch_all(&self.pool).await?;
        Ok(rows.iter().map(case_of).collect())
    }

    /// Open cases past their due time that the staff group has not been told about, and
    /// resolved cases whose reopening window has passed.
    pub async fn cases_to_sweep(&self, now_ms: i64, resolved_before_ms: i64) -> Result<Vec<Case>, StoreError> {
        let sql = format!(
            "SELECT {CASE_COLUMNS} FROM cases
             WHERE (status NOT IN ('resolved', 'closed') AND answered_ms IS NULL AND due_ms < ? AND overdue_ms IS NULL)
                OR (status = 'resolved' AND resolved_ms < ?)
             ORDER BY id"
        );
        let rows = sqlx::query(&sql).bind(now_ms).bind(resolved_before_ms).fetch_all(&self.pool).await?;
        Ok(rows.iter().map(case_of).collect())
    }

    /// A case's history, oldest first.
    pub async fn case_events(&self, reference: CaseRef) -> Result<Vec<Event>, StoreError> {
        let rows = sqlx::query(
            "SELECT case_id, at_ms, actor, actor_id, actor_name, source, kind, status, body
             FROM case_events WHERE case_id = ? ORDER BY id",
        )
        .bind(reference.id())
        .fetch_all(&self.pool)
        .await?;
        Ok(rows.iter().map(event_of).collect())
    }

    /// What staff sent a chat after transcript row `after`, with the rows' ids: how the
    /// console channel sees answers given from elsewhere.
    pub async fn staff_lines_after(
        &self,
        channel: &str,
        chat: &str,
        after: i64,
    ) -> Result<Vec<(i64, String)>, StoreError> {
        let rows = sqlx::query(
            "SELECT id, body FROM transcript WHERE channel = ? AND chat = ? AND id > ? AND kind = 'staff' ORDER BY id",
        )
        .bind(channel)
        .bind(chat)
        .bind(after)
        .fetch_all(&self.pool)
        .await?;
        Ok(rows.iter().map(|r| (r.get(0), r.get(1))).collect())
    }

    /// The newest transcript row's id (0 when there is none).
    pub async fn last_line_id(&self) -> Result<i64, StoreError> {
        Ok(sqlx::query_scalar("SELECT COALESCE(MAX(id), 0) FROM transcript").fetch_one(&self.pool).await?)
    }
}

/// Hands out the next case number of a year.
pub(super) async fn next_number(conn: &mut SqliteConnection, year: i32) -> Result<i64, sqlx::Error> {
    sqlx::query_scalar(
        "INSERT INTO case_numbers (year, last) VALUES (?, 1)
         ON CONFLICT (year) DO UPDATE SET last = last + 1 RETURNING last",
    )
    .bind(year)
    .fetch_one(&mut *conn)
    .await
}

/// Applies case writes in order.
pub(super) async fn apply(conn: &mut SqliteConnection, writes: &[CaseWrite]) -> Result<(), sqlx::Error> {
    for w in writes {
        match w {
            CaseWrite::Open(c) => open(conn, c).await?,
            CaseWrite::Update(u) => update(conn, u).await?,
            CaseWrite::Event(e) => event(conn, e).await?,
        }
    }
    Ok(())
}

async fn open(conn: &mut SqliteConnection, c: &Case) -> Result<(), sqlx::Error> {
    let sql = format!(
        "INSERT INTO cases ({CASE_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
    );
    sqlx::query(&sql)
        .bind(c.id())
        .bind(&c.channel)
        .bind(&c.chat)
        .bind(c.lang.code())
        .bind(&c.flow)
        .bind(&c.topic)
        .bind(&c.district)
        .bind(serde_json::to_string(&c.slots).unwrap_or_else(|_| "{}".into()))
        .bind(&c.summary)
        .bind(c.status.code())
        .bind(c.opened_ms)
        .bind(c.updated_ms)
        .bind(c.due_ms)
        .bind(c.answered_ms)
        .bind(c.resolved_ms)
        .bind(c.closed_ms)
        .bind(c.assignee.as_ref().map(|s| &s.id))
        .bind(c.assignee.as_ref().map(|s| &s.name))
        .bind(c.thread)
        .bind(c.relay as i64)
        .bind(c.acked as i64)
        .bind(c.overdue_ms)
        .bind(c.rating)
        .bind(c.follows.map(CaseRef::id))
        .bind(c.talked_ms)
        .execute(&mut *conn)
        .await?;
    Ok(())
}

/// A value bound into an UPDATE.
enum Value {
    Int(Option<i64>),
    Text(Option<String>),
}

async fn update(conn: &mut SqliteConnection, u: &CaseUpdate) -> Result<(), sqlx::Error> {
    let Some(case) = u.case else { return Ok(()) };
    let mut sets: Vec<(&str, Value)> = vec![("updated_ms", Value::Int(Some(u.at_ms)))];
    if let Some(s) = u.status {
        sets.push(("status", Value::Text(Some(s.code().into()))));
    }
    if let Some(a) = &u.assignee {
        sets.push(("assignee_id", Value::Text(a.as_ref().map(|s| s.id.clone()))));
        sets.push(("assignee_name", Value::Text(a.as_ref().map(|s| s.name.clone()))));
    }
    if let Some(t) = u.thread {
        sets.push(("thread", Value::Int(t)));
    }
    if let Some(r) = u.relay {
        sets.push(("relay", Value::Int(Some(r as i64))));
    }
    if let Some(a) = u.acked {
        sets.push(("acked", Value::Int(Some(a as i64))));
    }
    if let Some(d) = u.due_ms {
        sets.push(("due_ms", Value::Int(Some(d))));
    }
    for (column, value) in [
        ("answered_ms", u.answered_ms),
        ("talked_ms", u.talked_ms),
        ("resolved_ms", u.resolved_ms),
        ("closed_ms", u.closed_ms),
        ("overdue_ms", u.overdue_ms),
    ] {
        if let Some(v) = value {
            sets.push((column, Value::Int(v)));
        }
    }
    if let Some(r) = u.rating {
        sets.push(("rating", Value::Int(Some(r))));
    }
    if let Some(s) = &u.slots {
        sets.push(("slots", Value::Text(Some(serde_json::to_string(s).unwrap_or_else(|_| "{}".into())))));
    }
    if let Some(s) = &u.summary {
        sets.push(("summary", Value::Text(Some(s.clone()))));
    }
    let assignments: Vec<String> = sets.iter().map(|(c, _)| format!("{c} = ?")).collect();
    let sql = format!("UPDATE cases SET {} WHERE id = ?", assignments.join(", "));
    let mut q = sqlx::query(&sql);
    for (_, v) in sets {
        q = match v {
            Value::Int(i) => q.bind(i),
            Value::Text(t) => q.bind(t),
        };
    }
    q.bind(case.id()).execute(&mut *conn).await?;
    Ok(())
}

async fn event(conn: &mut SqliteConnection, e: &Event) -> Result<(), sqlx::Error> {
    let (id, name) = match &e.actor {
        Actor::Staff(s) => (Some(s.id.clone()), Some(s.name.clone())),
        _ => (None, None),
    };
    sqlx::query(
        "INSERT INTO case_events (case_id, at_ms, channel, chat, actor, actor_id, actor_name, source, kind, status, body)
         SELECT id, ?, channel, chat, ?, ?, ?, ?, ?, ?, ? FROM cases WHERE id = ?",
    )
    .bind(e.at_ms)
    .bind(e.actor.code())
    .bind(id)
    .bind(name)
    .bind(e.source.code())
    .bind(e.kind.code())
    .bind(e.status.map(Status::code))
    .bind(&e.body)
    .bind(e.case.id())
    .execute(&mut *conn)
    .await?;
    Ok(())
}
