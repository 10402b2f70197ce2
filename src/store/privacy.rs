//! Retention and erasure in SQL: the purge (in batches, counts kept in aggregate), erasing
//! one chat's data, and the audit log.

use sqlx::{Row, SqliteConnection};

use super::{Store, StoreError};

/// Rows older than these instants (ms) are purged.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Cutoffs {
    /// Conversations (transcript, sessions, chats) of chats with no case kept.
    pub conversations_ms: i64,
    /// Cases closed for good before this, with their events.
    pub cases_ms: i64,
    pub audit_ms: i64,
    /// Handled Telegram updates and delivered requests.
    pub updates_ms: i64,
}

/// What a purge removed (or, in a dry run, would remove).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Purged {
    pub transcript: i64,
    pub sessions: i64,
    pub chats: i64,
    pub cases: i64,
    pub case_events: i64,
    pub audit: i64,
    pub inbox: i64,
    pub outbox: i64,
}

impl Purged {
    pub fn total(&self) -> i64 {
        self.transcript
            + self.sessions
            + self.chats
            + self.cases
            + self.case_events
            + self.audit
            + self.inbox
            + self.outbox
    }

    fn add(&mut self, o: &Purged) {
        self.transcript += o.transcript;
        self.sessions += o.sessions;
        self.chats += o.chats;
        self.cases += o.cases;
        self.case_events += o.case_events;
        self.audit += o.audit;
        self.inbox += o.inbox;
        self.outbox += o.outbox;
    }
}

/// An entry of the audit log: who did what to whose data, with counts, never content.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Audit {
    pub at_ms: i64,
    pub actor: String,
    pub action: String,
    pub subject: String,
    pub detail: String,
}

/// Transcript rows past their time: old, and of a chat with no case still kept.
const OLD_LINES: &str = "at_ms < ?1 AND NOT EXISTS (SELECT 1 FROM cases c WHERE c.channel = transcript.channel
    AND c.chat = transcript.chat AND (c.closed_ms IS NULL OR c.closed_ms >= ?2))";
const OLD_SESSIONS: &str = "updated_ms < ?1 AND NOT EXISTS (SELECT 1 FROM cases c WHERE c.channel = sessions.channel
    AND c.chat = sessions.chat AND (c.closed_ms IS NULL OR c.closed_ms >= ?2))";
const OLD_CHATS: &str = "last_ms < ?1 AND NOT EXISTS (SELECT 1 FROM cases c WHERE c.channel = chats.channel
    AND c.chat = chats.chat AND (c.closed_ms IS NULL OR c.closed_ms >= ?2))";
const OLD_CASES: &str = "status = 'closed' AND closed_ms < ?2";
const OLD_AUDIT: &str = "at_ms < ?3";
/// The newest update stays: it holds the polling offset.
const OLD_INBOX: &str = "done_ms IS NOT NULL AND received_ms < ?4 AND update_id < (SELECT MAX(update_id) FROM inbox)";
const OLD_OUTBOX: &str = "(sent_ms IS NOT NULL OR failed_ms IS NOT NULL) AND created_ms < ?4";

impl Store {
    /// What a purge with these cutoffs would remove, removing nothing.
    pub async fn purge_counts(&self, c: Cutoffs) -> Result<Purged, StoreError> {
        let count = |table: &str, filter: &str| format!("SELECT COUNT(*) FROM {table} WHERE {filter}");
        let mut p = Purged::default();
        for (field, sql) in [
            (&mut p.transcript, count("transcript", OLD_LINES)),
            (&mut p.sessions, count("sessions", OLD_SESSIONS)),
            (&mut p.chats, count("chats", OLD_CHATS)),
            (&mut p.cases, count("cases", OLD_CASES)),
            (
                &mut p.case_events,
                format!("SELECT COUNT(*) FROM case_events WHERE case_id IN (SELECT id FROM cases WHERE {OLD_CASES})"),
            ),
            (&mut p.audit, count("audit", OLD_AUDIT)),
            (&mut p.inbox, count("inbox", OLD_INBOX)),
            (&mut p.outbox, count("outbox", OLD_OUTBOX)),
        ] {
            *field = sqlx::query_scalar(&fill(&sql, c)).fetch_one(&self.pool).await?;
        }
        Ok(p)
    }

    /// Removes what is past its time, `batch` rows of a table per transaction so that the
    /// writer is never held for long; counts are added to the aggregates first.
    pub async fn purge(&self, c: Cutoffs, batch: i64) -> Result<Purged, StoreError> {
        let mut total = Purged::default();
        loop {
            let done = match self.write(super::Write::Purge { cutoffs: c, batch }).await? {
                super::Written::Purged(p) => p,
                _ => Purged::default(),
            };
            total.add(&done);
            if done.total() == 0 {
                return Ok(total);
            }
        }
    }

    /// The audit log, oldest first.
    pub async fn audit_log(&self) -> Result<Vec<Audit>, StoreError> {
        let rows = sqlx::query("SELECT at_ms, actor, action, subject, detail FROM audit ORDER BY id")
            .fetch_all(&self.pool)
            .await?;
        Ok(rows
            .iter()
            .map(|r| Audit { at_ms: r.get(0), actor: r.get(1), action: r.get(2), subject: r.get(3), detail: r.get(4) })
            .collect())
    }

    /// Messages counted per day and language after their rows were purged: (day, lang,
    /// messages, missed).
    pub async fn daily_counts(&self) -> Result<Vec<(String, String, i64, i64)>, StoreError> {
        let rows = sqlx::query(
            "SELECT day, lang, SUM(messages), SUM(missed) FROM daily_counts GROUP BY day, lang ORDER BY day, lang",
        )
        .fetch_all(&self.pool)
        .await?;
        Ok(rows.iter().map(|r| (r.get(0), r.get(1), r.get(2), r.get(3))).collect())
    }

    /// The texts citizens wrote that were not understood, most frequent first, as written
    /// (redact before showing them anywhere but a case).
    pub async fn missed_texts(&self, limit: i64) -> Result<Vec<(String, i64)>, StoreError> {
        let rows = sqlx::query(
            "SELECT body, COUNT(*) AS n FROM transcript WHERE missed = 1 AND direction = 'in'
             GROUP BY lower(trim(body)) ORDER BY n DESC, MAX(id) DESC LIMIT ?",
        )
        .bind(limit)
        .fetch_all(&self.pool)
        .await?;
        Ok(rows.iter().map(|r| (r.get(0), r.get(1))).collect())
    }
}

/// The cutoffs written into a filter (`?1` conversations, `?2` cases, `?3` audit, `?4`
/// updates): whole numbers the code computed, never text from outside.
fn fill(sql: &str, c: Cutoffs) -> String {
    sql.replace("?1", &c.conversations_ms.to_string())
        .replace("?2", &c.cases_ms.to_string())
        .replace("?3", &c.audit_ms.to_string())
        .replace("?4", &c.updates_ms.to_string())
}

async fn exec(conn: &mut SqliteConnection, sql: &str, c: Cutoffs) -> Result<i64, sqlx::Error> {
    Ok(sqlx::query(&fill(sql, c)).execute(&mut *conn).await?.rows_affected() as i64)
}

/// One batch of the purge.
pub(super) async fn purge_batch(conn: &mut SqliteConnection, c: Cutoffs, batch: i64) -> Result<Purged, sqlx::Error> {
    let mut p = Purged::default();
    // Counts first, then the rows.
    let lines = format!("SELECT id FROM transcript WHERE {OLD_LINES} ORDER BY id LIMIT {batch}");
    let count_lines = format!(
        "INSERT INTO daily_counts (day, channel, lang, intent, messages, missed)
         SELECT date(at_ms / 1000, 'unixepoch'), channel, lang, COALESCE(intent, ''),
                SUM(direction = 'in'), SUM(missed) FROM transcript WHERE id IN ({lines})
         GROUP BY 1, 2, 3, 4
         ON CONFLICT (day, channel, lang, intent) DO UPDATE SET
            messages = messages + excluded.messages, missed = missed + excluded.missed"
    );
    exec(conn, &count_lines, c).await?;
    p.transcript = exec(conn, &format!("DELETE FROM transcript WHERE id IN ({lines})"), c).await?;
    for (field, table, filter, key) in [
        (&mut p.sessions, "sessions", OLD_SESSIONS, "rowid"),
        (&mut p.chats, "chats", OLD_CHATS, "rowid"),
        (&mut p.audit, "audit", OLD_AUDIT, "id"),
        (&mut p.inbox, "inbox", OLD_INBOX, "update_id"),
        (&mut p.outbox, "outbox", OLD_OUTBOX, "id"),
    ] {
        let sql =
            format!("DELETE FROM {table} WHERE {key} IN (SELECT {key} FROM {table} WHERE {filter} LIMIT {batch})");
        *field = exec(conn, &sql, c).await?;
    }
    let cases = format!("SELECT id FROM cases WHERE {OLD_CASES} ORDER BY id LIMIT {batch}");
    let count_cases = format!(
        "INSERT INTO case_counts (day, topic, lang, cases, rated, rating_sum)
         SELECT date(opened_ms / 1000, 'unixepoch'), topic, lang, COUNT(*), COUNT(rating), COALESCE(SUM(rating), 0)
         FROM cases WHERE id IN ({cases}) GROUP BY 1, 2, 3
         ON CONFLICT (day, topic, lang) DO UPDATE SET cases = cases + excluded.cases,
            rated = rated + excluded.rated, rating_sum = rating_sum + excluded.rating_sum"
    );
    exec(conn, &count_cases, c).await?;
    p.case_events = exec(conn, &format!("DELETE FROM case_events WHERE case_id IN ({cases})"), c).await?;
    p.cases = exec(conn, &format!("DELETE FROM cases WHERE id IN ({cases})"), c).await?;
    Ok(p)
}

/// Erases a chat's data: its transcript, session and chat state go; the Telegram updates and
/// requests that held its words are emptied (kept as ids, so that an update is never handled
/// twice), and the unsent ones cancelled; its cases stay, anonymised: no words, no link to the
/// chat. The bot's posts about its cases in the staff group are taken back: a request for
/// each post sent (delete it, or edit it to `notice`), and one for each post not yet sent
/// (in case it was on its way: the sender finds the message it became, if any). Returns those
/// requests, queued in the outbox (`external`: for a running service to claim).
pub(super) async fn erase(
    conn: &mut SqliteConnection,
    channel: &str,
    chat: &str,
    erasure: &super::Erasure,
    at_ms: i64,
    external: bool,
) -> Result<Vec<super::Queued>, sqlx::Error> {
    let cases: Vec<i64> = sqlx::query_scalar("SELECT id FROM cases WHERE channel = ? AND chat = ?")
        .bind(channel)
        .bind(chat)
        .fetch_all(&mut *conn)
        .await?;
    let mut withdraw = Vec::new();
    for id in &cases {
        let erased = format!("erased-{id}");
        sqlx::query("UPDATE cases SET chat = ?, summary = '', slots = '{}', relay = 0 WHERE id = ?")
            .bind(&erased)
            .bind(id)
            .execute(&mut *conn)
            .await?;
        sqlx::query(
            "UPDATE case_events SET chat = ?, body = CASE WHEN kind IN ('rated', 'topic') THEN body END
             WHERE case_id = ?",
        )
        .bind(&erased)
        .bind(id)
        .execute(&mut *conn)
        .await?;
        let Some(group) = erasure.staff_group else { continue };
        let group_chat = group.to_string();
        // What staff wrote or pressed in the case's topic, as received (a pressed button's
        // update holds the card it was on).
        sqlx::query(
            "UPDATE inbox SET payload = '{}' WHERE chat = ? AND COALESCE(json_extract(payload, '$.message.message_thread_id'),
             json_extract(payload, '$.callback_query.message.message_thread_id')) = (SELECT thread FROM cases WHERE id = ?)",
        )
        .bind(&group_chat)
        .bind(id)
        .execute(&mut *conn)
        .await?;
        // The posts sent: each Telegram message once (posts sent together share one).
        let sent = sqlx::query(
            "SELECT message_id, MIN(json_extract(payload, '$.method')) FROM outbox
             WHERE chat = ? AND json_extract(payload, '$.case') = ? AND sent_ms IS NOT NULL AND message_id IS NOT NULL
             GROUP BY message_id ORDER BY message_id",
        )
        .bind(&group_chat)
        .bind(id)
        .fetch_all(&mut *conn)
        .await?;
        for r in &sent {
            let method: String = r.get(1);
            withdraw.push(withdraw_post(erasure, group, (Some(r.get(0)), None), &method));
        }
        // The posts not yet sent: cancelled, and taken back should one be on its way now.
        let pending = sqlx::query(
            "SELECT id, json_extract(payload, '$.method') FROM outbox
             WHERE chat = ? AND json_extract(payload, '$.case') = ? AND sent_ms IS NULL AND failed_ms IS NULL ORDER BY id",
        )
        .bind(&group_chat)
        .bind(id)
        .fetch_all(&mut *conn)
        .await?;
        for r in &pending {
            let method: String = r.get(1);
            withdraw.push(withdraw_post(erasure, group, (None, Some(r.get(0))), &method));
        }
        sqlx::query(
            "UPDATE outbox SET payload = '{}', failed_ms = COALESCE(failed_ms, ?),
             last_error = CASE WHEN sent_ms IS NULL AND failed_ms IS NULL THEN 'erased' ELSE last_error END
             WHERE chat = ? AND json_extract(payload, '$.case') = ?",
        )
        .bind(at_ms)
        .bind(&group_chat)
        .bind(id)
        .execute(&mut *conn)
        .await?;
    }
    for sql in [
        "DELETE FROM transcript WHERE channel = ?1 AND chat = ?2",
        "DELETE FROM sessions WHERE channel = ?1 AND chat = ?2",
        "DELETE FROM chats WHERE channel = ?1 AND chat = ?2",
    ] {
        sqlx::query(sql).bind(channel).bind(chat).execute(&mut *conn).await?;
    }
    if channel == "telegram" {
        sqlx::query("UPDATE inbox SET payload = '{}' WHERE chat = ?").bind(chat).execute(&mut *conn).await?;
        // Sent rows are emptied; unsent ones cancelled, so that the sender skips them.
        sqlx::query(
            "UPDATE outbox SET payload = '{}', failed_ms = COALESCE(failed_ms, ?),
             last_error = CASE WHEN sent_ms IS NULL AND failed_ms IS NULL THEN 'erased' ELSE last_error END
             WHERE chat = ?",
        )
        .bind(at_ms)
        .bind(chat)
        .execute(&mut *conn)
        .await?;
    }
    let mut queued = Vec::with_capacity(withdraw.len());
    for o in withdraw {
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO outbox (chat, created_ms, payload, external) VALUES (?, ?, ?, ?) RETURNING id",
        )
        .bind(&o.chat)
        .bind(at_ms)
        .bind(&o.payload)
        .bind(external as i64)
        .fetch_one(&mut *conn)
        .await?;
        queued.push(super::Queued { id, chat: o.chat, payload: o.payload });
    }
    Ok(queued)
}

/// The request that takes back one staff-group post, a message sent or an outbox row, as the
/// staff channel writes it (`Erasure::withdraw`).
fn withdraw_post(
    erasure: &super::Erasure,
    group: i64,
    (message_id, row): (Option<i64>, Option<i64>),
    method: &str,
) -> super::Outbound {
    let payload = (erasure.withdraw)(group, message_id, row, method, &erasure.notice);
    super::Outbound { chat: group.to_string(), payload }
}

pub(super) async fn audit(conn: &mut SqliteConnection, a: &Audit) -> Result<(), sqlx::Error> {
    sqlx::query("INSERT INTO audit (at_ms, actor, action, subject, detail) VALUES (?, ?, ?, ?, ?)")
        .bind(a.at_ms)
        .bind(&a.actor)
        .bind(&a.action)
        .bind(&a.subject)
        .bind(&a.detail)
        .execute(&mut *conn)
        .await?;
    Ok(())
}
