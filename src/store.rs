//! The SQLite store: the only module that speaks SQL.
//!
//! Reads go through a small pool. Writes go through one writer task that commits turns in
//! groups: every turn waits until the transaction holding it is durable (WAL,
//! `synchronous=FULL`), and turns that arrive together share one fsync. One writer means no
//! SQLITE_BUSY between writers, and a turn's session and transcript rows commit together or
//! not at all.
//!
//! For Telegram the writer also keeps an inbox and an outbox: updates are stored before they
//! are acknowledged, and a turn's commit marks its update done and queues its replies in the
//! same transaction (see `channels::telegram`).

use std::path::Path;
use std::str::FromStr;
use std::time::Duration;

use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions, SqliteSynchronous};
use sqlx::{Connection, Executor, Row, SqliteConnection, SqlitePool};
use tokio::sync::{mpsc, oneshot};

/// The numbered migrations, embedded so that the binary runs from any folder.
const MIGRATIONS: &[(i64, &str)] =
    &[(1, include_str!("../migrations/0001_init.sql")), (2, include_str!("../migrations/0002_telegram.sql"))];
/// At most this many writes share one transaction.
const MAX_GROUP: usize = 256;

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("database: {0}")]
    Database(#[from] sqlx::Error),
    #[error("the store's writer has stopped")]
    WriterGone,
}

/// How hard a commit waits for the disk.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Durability {
    /// fsync at every commit: a committed turn survives a power cut.
    Full,
    /// fsync at checkpoints: a committed turn survives a crash of the process, not of the machine.
    Normal,
}

/// Everything one turn writes, committed together.
#[derive(Debug, Clone, Default)]
pub struct TurnRecord {
    pub channel: String,
    pub chat: String,
    pub at_ms: i64,
    pub session_json: String,
    pub lines: Vec<Line>,
    pub escalations: Vec<Escalation>,
}

/// One message in or out, for the transcript.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Line {
    pub at_ms: i64,
    pub incoming: bool,
    pub lang: String,
    pub flow: Option<String>,
    pub step: Option<String>,
    pub kind: String,
    pub body: String,
    pub intent: Option<String>,
    pub score: Option<f32>,
    pub missed: bool,
}

/// A request to hand a conversation to staff.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Escalation {
    pub id: i64,
    pub at_ms: i64,
    pub channel: String,
    pub chat: String,
    pub lang: String,
    pub flow: String,
    pub topic: String,
    pub reason: String,
    /// JSON object of slot name to value.
    pub slots: String,
    pub status: String,
}

/// An update as it arrived, before it is handled.
#[derive(Debug, Clone, PartialEq)]
pub struct Received {
    pub update_id: i64,
    /// The chat it came from; empty when the update names none.
    pub chat: String,
    pub received_ms: i64,
    /// The update as the channel received it (JSON).
    pub payload: String,
}

/// What handling an update writes beside its turn, in the same transaction: the update marked
/// done, and the requests that answer it queued in the outbox.
#[derive(Debug, Clone, Default)]
pub struct Finish {
    /// The inbox update this handles, if it came through the inbox.
    pub update_id: Option<i64>,
    pub channel: String,
    pub chat: String,
    pub at_ms: i64,
    /// The requests to send, in order (JSON payloads the channel understands).
    pub outbox: Vec<String>,
    /// `Some(true)`: the citizen wrote, so the bot may write to the chat again;
    /// `Some(false)`: the citizen blocked the bot.
    pub active: Option<bool>,
}

/// An outbox row waiting to be sent.
#[derive(Debug, Clone, PartialEq)]
pub struct Queued {
    pub id: i64,
    pub chat: String,
    pub payload: String,
}

/// An outbox row with its delivery state, for inspection.
#[derive(Debug, Clone, PartialEq)]
pub struct OutboxRow {
    pub id: i64,
    pub chat: String,
    pub update_id: Option<i64>,
    pub created_ms: i64,
    pub payload: String,
    pub sent_ms: Option<i64>,
    pub failed_ms: Option<i64>,
    pub attempts: i64,
    pub last_error: Option<String>,
}

/// An inbox row, for inspection.
#[derive(Debug, Clone, PartialEq)]
pub struct InboxRow {
    pub update_id: i64,
    pub chat: String,
    pub received_ms: i64,
    pub done_ms: Option<i64>,
}

/// One write for the writer task.
enum Write {
    Turn(TurnRecord),
    Finish(Option<TurnRecord>, Finish),
    Receive(Vec<Received>),
    Sent {
        id: i64,
        at_ms: i64,
    },
    Attempt {
        id: i64,
        at_ms: i64,
        error: String,
        give_up: bool,
    },
    Inactive {
        channel: String,
        chat: String,
        at_ms: i64,
    },
    Prune {
        before_ms: i64,
    },
    /// Nothing: waits for the writes queued before it.
    Flush,
}

/// What a write gives back.
enum Written {
    Nothing,
    /// The update ids stored for the first time.
    Stored(Vec<i64>),
    /// The outbox rows queued.
    Queued(Vec<Queued>),
}

struct Job {
    write: Write,
    done: oneshot::Sender<Result<Written, String>>,
}

/// A queued write, to wait for.
pub struct Committed(oneshot::Receiver<Result<Written, String>>);

impl Committed {
    /// Waits until the write is durable.
    pub async fn wait(self) -> Result<(), StoreError> {
        match self.0.await {
            Ok(Ok(_)) => Ok(()),
            Ok(Err(e)) => Err(StoreError::Database(sqlx::Error::Protocol(e))),
            Err(_) => Err(StoreError::WriterGone),
        }
    }
}

#[derive(Clone)]
pub struct Store {
    pool: SqlitePool,
    writer: mpsc::Sender<Job>,
}

impl Store {
    /// Opens (or creates) the database file, applies migrations and starts the writer.
    pub async fn open(path: &Path, durability: Durability) -> Result<Store, StoreError> {
        let options = SqliteConnectOptions::from_str(&format!("sqlite://{}", path.display()))?
            .create_if_missing(true)
            .journal_mode(SqliteJournalMode::Wal)
            .synchronous(match durability {
                Durability::Full => SqliteSynchronous::Full,
                Durability::Normal => SqliteSynchronous::Normal,
            })
            .busy_timeout(Duration::from_secs(10))
            .foreign_keys(true);
        let mut conn = SqliteConnection::connect_with(&options).await?;
        migrate(&mut conn).await?;
        let pool = SqlitePoolOptions::new().max_connections(4).connect_with(options).await?;
        let (writer, jobs) = mpsc::channel(4096);
        tokio::spawn(write_loop(conn, jobs));
        Ok(Store { pool, writer })
    }

    /// The stored session JSON of a chat, if any.
    pub async fn load_session(&self, channel: &str, chat: &str) -> Result<Option<String>, StoreError> {
        let row = sqlx::query("SELECT data FROM sessions WHERE channel = ? AND chat = ?")
            .bind(channel)
            .bind(chat)
            .fetch_optional(&self.pool)
            .await?;
        Ok(row.map(|r| r.get::<String, _>(0)))
    }

    /// Commits a turn durably; returns once it is on disk with the turns committed beside it.
    pub async fn commit_turn(&self, turn: TurnRecord) -> Result<(), StoreError> {
        self.write(Write::Turn(turn)).await.map(|_| ())
    }

    /// Commits a turn (if any) together with the end of its update: the inbox row marked done,
    /// the chat's state, and the outbox rows, all in one durable transaction. Returns the
    /// queued rows, in order.
    pub async fn finish(&self, turn: Option<TurnRecord>, finish: Finish) -> Result<Vec<Queued>, StoreError> {
        match self.write(Write::Finish(turn, finish)).await? {
            Written::Queued(rows) => Ok(rows),
            _ => Ok(Vec::new()),
        }
    }

    /// Stores updates in the inbox durably; an update_id already there is ignored. Returns the
    /// ids stored for the first time, which are the ones to handle.
    pub async fn receive(&self, updates: Vec<Received>) -> Result<Vec<i64>, StoreError> {
        if updates.is_empty() {
            return Ok(Vec::new());
        }
        match self.write(Write::Receive(updates)).await? {
            Written::Stored(ids) => Ok(ids),
            _ => Ok(Vec::new()),
        }
    }

    /// Marks an outbox row sent, durably. A crash between Telegram accepting a row and this
    /// commit sends the row again after the restart.
    pub async fn mark_sent(&self, id: i64, at_ms: i64) -> Result<(), StoreError> {
        self.write(Write::Sent { id, at_ms }).await.map(|_| ())
    }

    /// Queues the mark that an outbox row was sent; the returned `Committed` tells when it is
    /// durable. The sender sends a chat's next row while the mark commits.
    pub async fn mark_sent_later(&self, id: i64, at_ms: i64) -> Result<Committed, StoreError> {
        Ok(Committed(self.queue(Write::Sent { id, at_ms }).await?))
    }

    /// Notes a failed attempt at an outbox row (the error without message text); with
    /// `give_up` the row is marked failed and never sent. Returns once queued.
    pub async fn note_attempt(&self, id: i64, at_ms: i64, error: &str, give_up: bool) -> Result<(), StoreError> {
        self.queue(Write::Attempt { id, at_ms, error: error.to_string(), give_up }).await.map(|_| ())
    }

    /// Marks a chat inactive (the citizen blocked the bot) and gives up its unsent rows.
    pub async fn deactivate_chat(&self, channel: &str, chat: &str, at_ms: i64) -> Result<(), StoreError> {
        self.write(Write::Inactive { channel: channel.into(), chat: chat.into(), at_ms }).await.map(|_| ())
    }

    /// Deletes handled inbox rows and delivered outbox rows older than `before_ms`, keeping the
    /// newest update (it holds the polling offset).
    pub async fn prune(&self, before_ms: i64) -> Result<(), StoreError> {
        self.write(Write::Prune { before_ms }).await.map(|_| ())
    }

    /// Updates stored but not yet handled, oldest first.
    pub async fn pending_updates(&self) -> Result<Vec<Received>, StoreError> {
        let rows = sqlx::query(
            "SELECT update_id, chat, received_ms, payload FROM inbox WHERE done_ms IS NULL ORDER BY update_id",
        )
        .fetch_all(&self.pool)
        .await?;
        Ok(rows
            .into_iter()
            .map(|r| Received { update_id: r.get(0), chat: r.get(1), received_ms: r.get(2), payload: r.get(3) })
            .collect())
    }

    /// Outbox rows neither sent nor given up, oldest first.
    pub async fn pending_outbox(&self) -> Result<Vec<Queued>, StoreError> {
        let rows =
            sqlx::query("SELECT id, chat, payload FROM outbox WHERE sent_ms IS NULL AND failed_ms IS NULL ORDER BY id")
                .fetch_all(&self.pool)
                .await?;
        Ok(rows.into_iter().map(|r| Queued { id: r.get(0), chat: r.get(1), payload: r.get(2) }).collect())
    }

    /// The newest update stored, with when it arrived: the polling offset goes on from it.
    pub async fn last_update(&self) -> Result<Option<(i64, i64)>, StoreError> {
        let row = sqlx::query("SELECT update_id, received_ms FROM inbox ORDER BY update_id DESC LIMIT 1")
            .fetch_optional(&self.pool)
            .await?;
        Ok(row.map(|r| (r.get(0), r.get(1))))
    }

    /// An inbox row, if the update was stored.
    pub async fn inbox_row(&self, update_id: i64) -> Result<Option<InboxRow>, StoreError> {
        let row = sqlx::query("SELECT update_id, chat, received_ms, done_ms FROM inbox WHERE update_id = ?")
            .bind(update_id)
            .fetch_optional(&self.pool)
            .await?;
        Ok(row.map(|r| InboxRow { update_id: r.get(0), chat: r.get(1), received_ms: r.get(2), done_ms: r.get(3) }))
    }

    /// A chat's outbox rows, oldest first.
    pub async fn outbox_rows(&self, chat: &str) -> Result<Vec<OutboxRow>, StoreError> {
        let rows = sqlx::query(
            "SELECT id, chat, update_id, created_ms, payload, sent_ms, failed_ms, attempts, last_error
             FROM outbox WHERE chat = ? ORDER BY id",
        )
        .bind(chat)
        .fetch_all(&self.pool)
        .await?;
        Ok(rows
            .into_iter()
            .map(|r| OutboxRow {
                id: r.get(0),
                chat: r.get(1),
                update_id: r.get(2),
                created_ms: r.get(3),
                payload: r.get(4),
                sent_ms: r.get(5),
                failed_ms: r.get(6),
                attempts: r.get(7),
                last_error: r.get(8),
            })
            .collect())
    }

    /// Whether the bot may write to a chat (true for a chat it has not seen).
    pub async fn chat_active(&self, channel: &str, chat: &str) -> Result<bool, StoreError> {
        let active: Option<i64> = sqlx::query_scalar("SELECT active FROM chats WHERE channel = ? AND chat = ?")
            .bind(channel)
            .bind(chat)
            .fetch_optional(&self.pool)
            .await?;
        Ok(active.is_none_or(|a| a != 0))
    }

    /// Waits until every write queued so far is committed.
    pub async fn flush(&self) -> Result<(), StoreError> {
        self.write(Write::Flush).await.map(|_| ())
    }

    /// Queues a write and waits for its commit.
    async fn write(&self, write: Write) -> Result<Written, StoreError> {
        let wait = self.queue(write).await?;
        match wait.await {
            Ok(Ok(w)) => Ok(w),
            Ok(Err(e)) => Err(StoreError::Database(sqlx::Error::Protocol(e))),
            Err(_) => Err(StoreError::WriterGone),
        }
    }

    /// Queues a write; the receiver tells when it is committed.
    async fn queue(&self, write: Write) -> Result<oneshot::Receiver<Result<Written, String>>, StoreError> {
        let (done, wait) = oneshot::channel();
        self.writer.send(Job { write, done }).await.map_err(|_| StoreError::WriterGone)?;
        Ok(wait)
    }

    /// A chat's transcript, oldest first.
    pub async fn transcript(&self, channel: &str, chat: &str) -> Result<Vec<Line>, StoreError> {
        let rows = sqlx::query(
            "SELECT at_ms, direction, lang, flow, step, kind, body, intent, score, missed
             FROM transcript WHERE channel = ? AND chat = ? ORDER BY id",
        )
        .bind(channel)
        .bind(chat)
        .fetch_all(&self.pool)
        .await?;
        Ok(rows
            .into_iter()
            .map(|r| Line {
                at_ms: r.get(0),
                incoming: r.get::<String, _>(1) == "in",
                lang: r.get(2),
                flow: r.get(3),
                step: r.get(4),
                kind: r.get(5),
                body: r.get(6),
                intent: r.get(7),
                score: r.get::<Option<f64>, _>(8).map(|s| s as f32),
                missed: r.get::<i64, _>(9) != 0,
            })
            .collect())
    }

    /// Escalation requests, newest first.
    pub async fn escalations(&self) -> Result<Vec<Escalation>, StoreError> {
        let rows = sqlx::query(
            "SELECT id, at_ms, channel, chat, lang, flow, topic, reason, slots, status
             FROM escalations ORDER BY id DESC",
        )
        .fetch_all(&self.pool)
        .await?;
        Ok(rows
            .into_iter()
            .map(|r| Escalation {
                id: r.get(0),
                at_ms: r.get(1),
                channel: r.get(2),
                chat: r.get(3),
                lang: r.get(4),
                flow: r.get(5),
                topic: r.get(6),
                reason: r.get(7),
                slots: r.get(8),
                status: r.get(9),
            })
            .collect())
    }

    /// Waits for every write queued so far to be committed, then closes the read pool.
    pub async fn close(self) {
        let _ = self.flush().await;
        self.pool.close().await;
    }
}

async fn migrate(conn: &mut SqliteConnection) -> Result<(), StoreError> {
    sqlx::query(
        "CREATE TABLE IF NOT EXISTS schema_migrations (version BIGINT PRIMARY KEY, applied_ms BIGINT NOT NULL)",
    )
    .execute(&mut *conn)
    .await?;
    for (version, sql) in MIGRATIONS {
        let done: Option<i64> = sqlx::query_scalar("SELECT version FROM schema_migrations WHERE version = ?")
            .bind(version)
            .fetch_optional(&mut *conn)
            .await?;
        if done.is_some() {
            continue;
        }
        let mut tx = conn.begin().await?;
        sqlx::raw_sql(sql).execute(&mut *tx).await?;
        sqlx::query("INSERT INTO schema_migrations (version, applied_ms) VALUES (?, ?)")
            .bind(version)
            .bind(chrono::Utc::now().timestamp_millis())
            .execute(&mut *tx)
            .await?;
        tx.commit().await?;
    }
    Ok(())
}

/// Takes every write waiting, commits them in one transaction, and tells each its outcome. A
/// group that fails is retried one write at a time, so that one bad write fails alone.
async fn write_loop(mut conn: SqliteConnection, mut jobs: mpsc::Receiver<Job>) {
    let mut group = Vec::with_capacity(MAX_GROUP);
    while jobs.recv_many(&mut group, MAX_GROUP).await > 0 {
        let (writes, dones): (Vec<Write>, Vec<_>) = group.drain(..).map(|j| (j.write, j.done)).unzip();
        if writes.iter().all(|w| matches!(w, Write::Flush)) {
            dones.into_iter().for_each(|d| {
                let _ = d.send(Ok(Written::Nothing));
            });
            continue;
        }
        match commit_group(&mut conn, &writes).await {
            Ok(results) => {
                for (done, result) in dones.into_iter().zip(results) {
                    let _ = done.send(Ok(result));
                }
            }
            Err(_) => {
                for (write, done) in writes.into_iter().zip(dones) {
                    let result = commit_group(&mut conn, std::slice::from_ref(&write)).await;
                    if let Err(e) = &result {
                        tracing::error!(error = %e, "a write could not be stored");
                    }
                    let _ =
                        done.send(result.map(|mut r| r.pop().unwrap_or(Written::Nothing)).map_err(|e| e.to_string()));
                }
            }
        }
    }
}

async fn commit_group(conn: &mut SqliteConnection, writes: &[Write]) -> Result<Vec<Written>, sqlx::Error> {
    conn.execute("BEGIN IMMEDIATE").await?;
    // Boxed: a plain nested future trips the compiler's Send check for tokio::spawn.
    let result = Box::pin(apply_all(conn, writes)).await;
    match result {
        Ok(results) => conn.execute("COMMIT").await.map(|_| results),
        Err(e) => {
            let _ = conn.execute("ROLLBACK").await;
            Err(e)
        }
    }
}

/// Applies writes in order. Runs of the common kinds (turns, received updates, sent rows) are
/// written with one statement per table instead of one per row: with SQLite behind a worker
/// thread, every statement is a round trip, and the writer is what limits throughput.
async fn apply_all(conn: &mut SqliteConnection, writes: &[Write]) -> Result<Vec<Written>, sqlx::Error> {
    let mut results = Vec::with_capacity(writes.len());
    let mut i = 0;
    while i < writes.len() {
        let run = writes[i..].iter().take_while(|w| batched(w)).count();
        if run > 0 {
            results.extend(apply_run(conn, &writes[i..i + run]).await?);
            i += run;
        } else {
            results.push(apply_one(conn, &writes[i]).await?);
            i += 1;
        }
    }
    Ok(results)
}

fn batched(w: &Write) -> bool {
    matches!(w, Write::Turn(_) | Write::Finish(..) | Write::Receive(_) | Write::Sent { .. } | Write::Flush)
}

/// SQLite's oldest limit on bound values per statement.
const MAX_BINDS: usize = 999;

/// `(?, ?), (?, ?)`: `rows` groups of `cols` placeholders.
fn placeholders(rows: usize, cols: usize) -> String {
    let row = format!("({})", vec!["?"; cols].join(", "));
    vec![row; rows].join(", ")
}

/// A run of writes whose order within the run does not matter, but for the rows of one chat,
/// which keep their order.
async fn apply_run(conn: &mut SqliteConnection, writes: &[Write]) -> Result<Vec<Written>, sqlx::Error> {
    let turns: Vec<&TurnRecord> = writes
        .iter()
        .filter_map(|w| match w {
            Write::Turn(t) | Write::Finish(Some(t), _) => Some(t),
            _ => None,
        })
        .collect();
    write_turns(conn, &turns).await?;
    let stored = receive_updates(conn, writes).await?;
    let queued = write_finishes(conn, writes).await?;
    mark_sent(conn, writes).await?;
    let (mut stored, mut queued) = (stored.into_iter(), queued.into_iter());
    Ok(writes
        .iter()
        .map(|w| match w {
            Write::Receive(_) => Written::Stored(stored.next().unwrap_or_default()),
            Write::Finish(..) => Written::Queued(queued.next().unwrap_or_default()),
            _ => Written::Nothing,
        })
        .collect())
}

async fn write_turns(conn: &mut SqliteConnection, turns: &[&TurnRecord]) -> Result<(), sqlx::Error> {
    // One session row per chat: the last turn's.
    let mut sessions: Vec<&TurnRecord> = Vec::with_capacity(turns.len());
    for t in turns {
        match sessions.iter_mut().find(|s| s.channel == t.channel && s.chat == t.chat) {
            Some(s) => *s = t,
            None => sessions.push(t),
        }
    }
    for chunk in sessions.chunks(MAX_BINDS / 4) {
        let sql = format!(
            "INSERT INTO sessions (channel, chat, data, updated_ms) VALUES {}
             ON CONFLICT (channel, chat) DO UPDATE SET data = excluded.data, updated_ms = excluded.updated_ms",
            placeholders(chunk.len(), 4)
        );
        let mut q = sqlx::query(&sql);
        for t in chunk {
            q = q.bind(&t.channel).bind(&t.chat).bind(&t.session_json).bind(t.at_ms);
        }
        q.execute(&mut *conn).await?;
    }
    let lines: Vec<(&TurnRecord, &Line)> = turns.iter().flat_map(|t| t.lines.iter().map(move |l| (*t, l))).collect();
    for chunk in lines.chunks(MAX_BINDS / 12) {
        let sql = format!(
            "INSERT INTO transcript (at_ms, channel, chat, direction, lang, flow, step, kind, body, intent, score, missed) VALUES {}",
            placeholders(chunk.len(), 12)
        );
        let mut q = sqlx::query(&sql);
        for (t, l) in chunk {
            q = q
                .bind(l.at_ms)
                .bind(&t.channel)
                .bind(&t.chat)
                .bind(if l.incoming { "in" } else { "out" })
                .bind(&l.lang)
                .bind(&l.flow)
                .bind(&l.step)
                .bind(&l.kind)
                .bind(&l.body)
                .bind(&l.intent)
                .bind(l.score.map(f64::from))
                .bind(l.missed as i64);
        }
        q.execute(&mut *conn).await?;
    }
    let escalations: Vec<(&TurnRecord, &Escalation)> =
        turns.iter().flat_map(|t| t.escalations.iter().map(move |e| (*t, e))).collect();
    for chunk in escalations.chunks(MAX_BINDS / 8) {
        let sql = format!(
            "INSERT INTO escalations (at_ms, channel, chat, lang, flow, topic, reason, slots) VALUES {}",
            placeholders(chunk.len(), 8)
        );
        let mut q = sqlx::query(&sql);
        for (t, e) in chunk {
            q = q
                .bind(e.at_ms)
                .bind(&t.channel)
                .bind(&t.chat)
                .bind(&e.lang)
                .bind(&e.flow)
                .bind(&e.topic)
                .bind(&e.reason)
                .bind(&e.slots);
        }
        q.execute(&mut *conn).await?;
    }
    Ok(())
}

/// Stores received updates; for each Receive write, the ids stored for the first time.
async fn receive_updates(conn: &mut SqliteConnection, writes: &[Write]) -> Result<Vec<Vec<i64>>, sqlx::Error> {
    let batches: Vec<&Vec<Received>> = writes
        .iter()
        .filter_map(|w| match w {
            Write::Receive(u) => Some(u),
            _ => None,
        })
        .collect();
    if batches.is_empty() {
        return Ok(Vec::new());
    }
    let ids: Vec<i64> = batches.iter().flat_map(|b| b.iter().map(|u| u.update_id)).collect();
    let mut seen = std::collections::HashSet::new();
    for chunk in ids.chunks(MAX_BINDS) {
        let sql = format!("SELECT update_id FROM inbox WHERE update_id IN ({})", vec!["?"; chunk.len()].join(", "));
        let mut q = sqlx::query_scalar::<_, i64>(&sql);
        for id in chunk {
            q = q.bind(id);
        }
        seen.extend(q.fetch_all(&mut *conn).await?);
    }
    let mut stored = Vec::with_capacity(batches.len());
    let mut new: Vec<&Received> = Vec::new();
    for batch in batches {
        let mut ids = Vec::new();
        for u in batch {
            if seen.insert(u.update_id) {
                ids.push(u.update_id);
                new.push(u);
            }
        }
        stored.push(ids);
    }
    for chunk in new.chunks(MAX_BINDS / 4) {
        let sql = format!(
            "INSERT INTO inbox (update_id, chat, received_ms, payload) VALUES {} ON CONFLICT (update_id) DO NOTHING",
            placeholders(chunk.len(), 4)
        );
        let mut q = sqlx::query(&sql);
        for u in chunk {
            q = q.bind(u.update_id).bind(&u.chat).bind(u.received_ms).bind(&u.payload);
        }
        q.execute(&mut *conn).await?;
    }
    Ok(stored)
}

/// Marks updates done, records the chats' state and queues the outbox rows; for each Finish
/// write, its queued rows.
async fn write_finishes(conn: &mut SqliteConnection, writes: &[Write]) -> Result<Vec<Vec<Queued>>, sqlx::Error> {
    let finishes: Vec<&Finish> = writes
        .iter()
        .filter_map(|w| match w {
            Write::Finish(_, f) => Some(f),
            _ => None,
        })
        .collect();
    if finishes.is_empty() {
        return Ok(Vec::new());
    }
    let done: Vec<(i64, i64)> = finishes.iter().filter_map(|f| f.update_id.map(|id| (id, f.at_ms))).collect();
    for chunk in done.chunks(MAX_BINDS / 2) {
        let sql = format!(
            "UPDATE inbox SET done_ms = v.column2 FROM (VALUES {}) AS v WHERE inbox.update_id = v.column1",
            placeholders(chunk.len(), 2)
        );
        let mut q = sqlx::query(&sql);
        for (id, at) in chunk {
            q = q.bind(id).bind(at);
        }
        q.execute(&mut *conn).await?;
    }
    let mut chats: Vec<(&Finish, bool)> = Vec::new();
    for f in &finishes {
        if let Some(active) = f.active {
            match chats.iter_mut().find(|(c, _)| c.channel == f.channel && c.chat == f.chat) {
                Some(c) => *c = (f, active),
                None => chats.push((f, active)),
            }
        }
    }
    for chunk in chats.chunks(MAX_BINDS / 6) {
        let sql = format!(
            "INSERT INTO chats (channel, chat, active, first_ms, last_ms, inactive_ms) VALUES {}
             ON CONFLICT (channel, chat) DO UPDATE SET active = excluded.active, last_ms = excluded.last_ms,
             inactive_ms = excluded.inactive_ms",
            placeholders(chunk.len(), 6)
        );
        let mut q = sqlx::query(&sql);
        for (f, active) in chunk {
            q = q
                .bind(&f.channel)
                .bind(&f.chat)
                .bind(*active as i64)
                .bind(f.at_ms)
                .bind(f.at_ms)
                .bind((!active).then_some(f.at_ms));
        }
        q.execute(&mut *conn).await?;
    }
    // Rows get consecutive ids in the order of VALUES: the table's rowid is max + 1, and this
    // task is the only writer.
    let rows: Vec<(&Finish, &String)> = finishes.iter().flat_map(|f| f.outbox.iter().map(move |p| (*f, p))).collect();
    let mut ids = Vec::with_capacity(rows.len());
    for chunk in rows.chunks(MAX_BINDS / 4) {
        let sql = format!(
            "INSERT INTO outbox (chat, update_id, created_ms, payload) VALUES {}",
            placeholders(chunk.len(), 4)
        );
        let mut q = sqlx::query(&sql);
        for (f, payload) in chunk {
            q = q.bind(&f.chat).bind(f.update_id).bind(f.at_ms).bind(*payload);
        }
        let last = q.execute(&mut *conn).await?.last_insert_rowid();
        let first = last - chunk.len() as i64 + 1;
        ids.extend(first..=last);
    }
    let mut ids = ids.into_iter();
    Ok(finishes
        .iter()
        .map(|f| {
            f.outbox
                .iter()
                .map(|payload| Queued {
                    id: ids.next().unwrap_or_default(),
                    chat: f.chat.clone(),
                    payload: payload.clone(),
                })
                .collect()
        })
        .collect())
}

async fn mark_sent(conn: &mut SqliteConnection, writes: &[Write]) -> Result<(), sqlx::Error> {
    let sent: Vec<(i64, i64)> = writes
        .iter()
        .filter_map(|w| match w {
            Write::Sent { id, at_ms } => Some((*id, *at_ms)),
            _ => None,
        })
        .collect();
    for chunk in sent.chunks(MAX_BINDS / 2) {
        let sql = format!(
            "UPDATE outbox SET sent_ms = v.column2, attempts = attempts + 1 FROM (VALUES {}) AS v WHERE outbox.id = v.column1",
            placeholders(chunk.len(), 2)
        );
        let mut q = sqlx::query(&sql);
        for (id, at) in chunk {
            q = q.bind(id).bind(at);
        }
        q.execute(&mut *conn).await?;
    }
    Ok(())
}

/// The writes that are rare enough to go one statement at a time.
async fn apply_one(conn: &mut SqliteConnection, write: &Write) -> Result<Written, sqlx::Error> {
    match write {
        Write::Attempt { id, at_ms, error, give_up } => {
            sqlx::query(
                "UPDATE outbox SET attempts = attempts + 1, last_error = ?,
                 failed_ms = CASE WHEN ? THEN ? ELSE failed_ms END WHERE id = ?",
            )
            .bind(error)
            .bind(*give_up)
            .bind(at_ms)
            .bind(id)
            .execute(&mut *conn)
            .await?;
        }
        Write::Inactive { channel, chat, at_ms } => {
            sqlx::query(
                "INSERT INTO chats (channel, chat, active, first_ms, last_ms, inactive_ms) VALUES (?, ?, 0, ?, ?, ?)
                 ON CONFLICT (channel, chat) DO UPDATE SET active = 0, inactive_ms = excluded.inactive_ms",
            )
            .bind(channel)
            .bind(chat)
            .bind(at_ms)
            .bind(at_ms)
            .bind(at_ms)
            .execute(&mut *conn)
            .await?;
            sqlx::query(
                "UPDATE outbox SET failed_ms = ?, last_error = 'the chat blocked the bot'
                 WHERE chat = ? AND sent_ms IS NULL AND failed_ms IS NULL",
            )
            .bind(at_ms)
            .bind(chat)
            .execute(&mut *conn)
            .await?;
        }
        Write::Prune { before_ms } => {
            sqlx::query(
                "DELETE FROM inbox WHERE done_ms IS NOT NULL AND received_ms < ?
                 AND update_id < (SELECT MAX(update_id) FROM inbox)",
            )
            .bind(before_ms)
            .execute(&mut *conn)
            .await?;
            sqlx::query("DELETE FROM outbox WHERE (sent_ms IS NOT NULL OR failed_ms IS NOT NULL) AND created_ms < ?")
                .bind(before_ms)
                .execute(&mut *conn)
                .await?;
        }
        Write::Turn(_) | Write::Finish(..) | Write::Receive(_) | Write::Sent { .. } | Write::Flush => {
            return Ok(apply_run(conn, std::slice::from_ref(write)).await?.pop().unwrap_or(Written::Nothing));
        }
    }
    Ok(Written::Nothing)
}
