//! The SQLite store: the only module that speaks SQL.
//!
//! Reads go through a small pool. Writes go through one writer task that commits turns in
//! groups: every turn waits until the transaction holding it is durable (WAL,
//! `synchronous=FULL`), and turns that arrive together share one fsync. One writer means no
//! SQLITE_BUSY between writers, and a turn's session and transcript rows commit together or
//! not at all.

use std::path::Path;
use std::str::FromStr;
use std::time::Duration;

use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions, SqliteSynchronous};
use sqlx::{Connection, Executor, Row, SqliteConnection, SqlitePool};
use tokio::sync::{mpsc, oneshot};

/// The numbered migrations, embedded so that the binary runs from any folder.
const MIGRATIONS: &[(i64, &str)] = &[(1, include_str!("../migrations/0001_init.sql"))];
/// At most this many turns share one transaction.
const MAX_GROUP: usize = 128;

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

/// A turn to commit; a job without one only waits for the jobs before it (a flush).
struct Job {
    turn: Option<TurnRecord>,
    done: oneshot::Sender<Result<(), String>>,
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
        let (done, wait) = oneshot::channel();
        self.writer.send(Job { turn: Some(turn), done }).await.map_err(|_| StoreError::WriterGone)?;
        match wait.await {
            Ok(Ok(())) => Ok(()),
            Ok(Err(e)) => Err(StoreError::Database(sqlx::Error::Protocol(e))),
            Err(_) => Err(StoreError::WriterGone),
        }
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
        let (done, wait) = oneshot::channel();
        if self.writer.send(Job { turn: None, done }).await.is_ok() {
            let _ = wait.await;
        }
        self.pool.close().await;
    }
}

async fn migrate(conn: &mut SqliteConnection) -> Result<(), StoreError> {
    sqlx::query("CREATE TABLE IF NOT EXISTS schema_migrations (version BIGINT PRIMARY KEY, applied_ms BIGINT NOT NULL)")
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

/// Takes every turn waiting, commits them in one transaction, and tells each its outcome. A
/// group that fails is retried one turn at a time, so that one bad turn fails alone.
async fn write_loop(mut conn: SqliteConnection, mut jobs: mpsc::Receiver<Job>) {
    let mut group = Vec::with_capacity(MAX_GROUP);
    while jobs.recv_many(&mut group, MAX_GROUP).await > 0 {
        let mut turns = Vec::with_capacity(group.len());
        let mut dones = Vec::with_capacity(group.len());
        let mut flushes = Vec::new();
        for job in group.drain(..) {
            match job.turn {
                Some(t) => {
                    turns.push(t);
                    dones.push(job.done);
                }
                None => flushes.push(job.done),
            }
        }
        if turns.is_empty() {
            flushes.into_iter().for_each(|d| {
                let _ = d.send(Ok(()));
            });
            continue;
        }
        if commit_group(&mut conn, &turns).await.is_ok() {
            dones.into_iter().for_each(|d| {
                let _ = d.send(Ok(()));
            });
        } else {
            for (turn, done) in turns.into_iter().zip(dones) {
                let result = commit_group(&mut conn, std::slice::from_ref(&turn)).await;
                if let Err(e) = &result {
                    tracing::error!(error = %e, "a turn could not be stored");
                }
                let _ = done.send(result.map_err(|e| e.to_string()));
            }
        }
        flushes.into_iter().for_each(|d| {
            let _ = d.send(Ok(()));
        });
    }
}

async fn commit_group(conn: &mut SqliteConnection, turns: &[TurnRecord]) -> Result<(), sqlx::Error> {
    conn.execute("BEGIN IMMEDIATE").await?;
    let mut result = Ok(());
    for t in turns {
        // Boxed: a plain nested future trips the compiler's Send check for tokio::spawn.
        result = Box::pin(write_turn(conn, t)).await;
        if result.is_err() {
            break;
        }
    }
    match result {
        Ok(()) => conn.execute("COMMIT").await.map(|_| ()),
        Err(e) => {
            let _ = conn.execute("ROLLBACK").await;
            Err(e)
        }
    }
}

async fn write_turn(conn: &mut SqliteConnection, t: &TurnRecord) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO sessions (channel, chat, data, updated_ms) VALUES (?, ?, ?, ?)
         ON CONFLICT (channel, chat) DO UPDATE SET data = excluded.data, updated_ms = excluded.updated_ms",
    )
    .bind(&t.channel)
    .bind(&t.chat)
    .bind(&t.session_json)
    .bind(t.at_ms)
    .execute(&mut *conn)
    .await?;
    for l in &t.lines {
        sqlx::query(
            "INSERT INTO transcript (at_ms, channel, chat, direction, lang, flow, step, kind, body, intent, score, missed)
             VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        )
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
        .bind(l.missed as i64)
        .execute(&mut *conn)
        .await?;
    }
    for e in &t.escalations {
        sqlx::query(
            "INSERT INTO escalations (at_ms, channel, chat, lang, flow, topic, reason, slots, status)
             VALUES (?, ?, ?, ?, ?, ?, ?, ?, 'new')",
        )
        .bind(e.at_ms)
        .bind(&t.channel)
        .bind(&t.chat)
        .bind(&e.lang)
        .bind(&e.flow)
        .bind(&e.topic)
        .bind(&e.reason)
        .bind(&e.slots)
        .execute(&mut *conn)
        .await?;
    }
    Ok(())
}
