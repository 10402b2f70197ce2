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
use std::sync::Arc;
use std::time::Duration;

use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions, SqliteSynchronous};
use sqlx::{Connection, Executor, Row, SqliteConnection, SqlitePool};
use tokio::sync::{mpsc, oneshot};

mod cases;
mod console;
mod privacy;
mod writer;

pub use cases::{CaseFilter, CaseUpdate, CaseWrite};
pub use console::{Canned, DayCount, Figures, QueueFilter, Role, StaffUser, WebSession};
pub use privacy::{Audit, Cutoffs, Purged};

/// The numbered migrations of `migrations/`, embedded so that the binary runs from any folder.
pub static MIGRATOR: sqlx::migrate::Migrator = sqlx::migrate!("./migrations");
/// At most this many writes share one transaction.
const MAX_GROUP: usize = 256;

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("database: {0}")]
    Database(#[from] sqlx::Error),
    #[error("the store's writer has stopped")]
    WriterGone,
    #[error("migrating the database: {0}")]
    Migrate(#[from] sqlx::migrate::MigrateError),
}

impl StoreError {
    /// Whether the write may succeed when tried again unchanged: the disk full, the database
    /// held by another process, a failing disk. SQLite's own words, as they come back through
    /// the writer (which passes errors on as text).
    pub fn is_transient(&self) -> bool {
        const PASSING: [&str; 5] = [
            "database or disk is full",
            "database is locked",
            "database table is locked",
            "disk I/O error",
            "unable to open database file",
        ];
        match self {
            StoreError::Database(e) => {
                let text = e.to_string();
                PASSING.iter().any(|p| text.contains(p))
            }
            StoreError::WriterGone | StoreError::Migrate(_) => false,
        }
    }
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
    /// The session after the turn; `None` leaves it as it was (a message relayed to staff).
    pub session_json: Option<String>,
    pub lines: Vec<Line>,
    /// Cases opened and changed, in order.
    pub cases: Vec<CaseWrite>,
    /// Erase the chat's data after the rest of the turn (see `Erasure`).
    pub erase: Option<Erasure>,
    /// Entries for the audit log.
    pub audit: Vec<Audit>,
}

/// Erasing a chat's data: its transcript, session and chat state are deleted, the Telegram
/// updates and requests that held its words emptied (the unsent ones cancelled), its cases
/// anonymised, and the bot's posts about its cases in the staff group taken back (deleted, or
/// edited to `notice`) through the outbox, in the same transaction. The database file keeps
/// no copy: deleted content is overwritten (`secure_delete`) and the write-ahead log is
/// emptied after the commit.
#[derive(Debug, Clone)]
pub struct Erasure {
    /// The staff group, whose posts about the chat's cases are emptied and taken back too.
    pub staff_group: Option<i64>,
    /// What a post that cannot be deleted is edited to say, in the staff's language (plain
    /// text, no markup).
    pub notice: String,
    /// The staff channel's request that takes back one post, as an outbox payload: the store
    /// knows which posts to take back, the channel how (see `Withdraw`).
    pub withdraw: Withdraw,
}

/// Builds the outbox payload that takes back one staff-group post: `(group, message_id, row,
/// method, notice)`, the post being Telegram message `message_id` or what outbox row `row`
/// becomes, sent as `method`; where it cannot be deleted it is edited to `notice`.
pub type Withdraw = fn(i64, Option<i64>, Option<i64>, &str, &str) -> String;

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
    /// The requests to send, in order.
    pub outbox: Vec<Outbound>,
    /// Written by a process other than the service that sends (the command line): the
    /// service claims such rows to send them.
    pub external: bool,
    /// `Some(true)`: the citizen wrote, so the bot may write to the chat again;
    /// `Some(false)`: the citizen blocked the bot.
    pub active: Option<bool>,
}

/// A request for the outbox: the chat it goes to, and its JSON payload.
#[derive(Debug, Clone, PartialEq)]
pub struct Outbound {
    pub chat: String,
    pub payload: String,
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
        /// The Telegram message it became, if it made one.
        message_id: Option<i64>,
    },
    /// A row's try, or its giving up; `called`: a request reached Telegram (and counts).
    Attempt {
        id: i64,
        at_ms: i64,
        error: String,
        give_up: bool,
        called: bool,
    },
    Inactive {
        channel: String,
        chat: String,
        at_ms: i64,
    },
    /// The next case number of a year.
    Allocate {
        year: i32,
    },
    /// Outbox rows written by another process, taken over for sending.
    Claim,
    /// One batch of the purge.
    Purge {
        cutoffs: Cutoffs,
        batch: i64,
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
    /// A case number handed out.
    Number(i64),
    Purged(Purged),
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
    /// Woken when this process commits rows for another part's sender (`Finish::external`:
    /// a console's or the command line's answer), so that a sender in the same process takes
    /// them at once rather than at its next claim.
    external: Arc<tokio::sync::Notify>,
}

impl Store {
    /// Opens (or creates) the database file, applies migrations and starts the writer.
    pub async fn open(path: &Path, durability: Durability) -> Result<Store, StoreError> {
        let options = SqliteConnectOptions::from_str(&format!("sqlite://{}", path.display()))?.create_if_missing(true);
        Store::connect(options, durability).await
    }

    /// Opens the database `options` name (a file, or `#[sqlx::test]`'s), with the store's own
    /// settings on top: WAL, the durability asked for, foreign keys, secure deletion.
    pub async fn connect(options: SqliteConnectOptions, durability: Durability) -> Result<Store, StoreError> {
        let options = options
            .journal_mode(SqliteJournalMode::Wal)
            .synchronous(match durability {
                Durability::Full => SqliteSynchronous::Full,
                Durability::Normal => SqliteSynchronous::Normal,
            })
            .busy_timeout(Duration::from_secs(10))
            .foreign_keys(true)
            // Deleted content is overwritten, not left in free pages: an erasure leaves no copy.
            .pragma("secure_delete", "ON");
        let mut conn = SqliteConnection::connect_with(&options).await?;
        migrate(&mut conn).await?;
        let pool = SqlitePoolOptions::new().max_connections(4).connect_with(options).await?;
        let (writer, jobs) = mpsc::channel(4096);
        tokio::spawn(writer::write_loop(conn, jobs));
        Ok(Store { pool, writer, external: Arc::new(tokio::sync::Notify::new()) })
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
        let external = finish.external && !finish.outbox.is_empty();
        let rows = match self.write(Write::Finish(turn, finish)).await? {
            Written::Queued(rows) => rows,
            _ => Vec::new(),
        };
        if external {
            // A permit is kept if no one waits yet: the wake is never lost.
            self.external.notify_one();
        }
        Ok(rows)
    }

    /// Returns when this process has committed rows for another part's sender since the last
    /// call (see `finish`); a sender in another process still finds them by `claim_external`.
    pub async fn external_written(&self) {
        self.external.notified().await;
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

    /// Marks an outbox row sent, durably, with the Telegram message it became (if any). A
    /// crash between Telegram accepting a row and this commit sends the row again after the
    /// restart.
    pub async fn mark_sent(&self, id: i64, at_ms: i64, message_id: Option<i64>) -> Result<(), StoreError> {
        self.write(Write::Sent { id, at_ms, message_id }).await.map(|_| ())
    }

    /// Queues the mark that an outbox row was sent; the returned `Committed` tells when it is
    /// durable. The sender sends a chat's next row while the mark commits.
    pub async fn mark_sent_later(&self, id: i64, at_ms: i64, message_id: Option<i64>) -> Result<Committed, StoreError> {
        Ok(Committed(self.queue(Write::Sent { id, at_ms, message_id }).await?))
    }

    /// Of these outbox rows, the ones still to send, with their payloads as stored now (an
    /// erasure cancels rows the sender may already hold in memory), in id order.
    pub async fn still_pending(&self, ids: &[i64]) -> Result<Vec<Queued>, StoreError> {
        if ids.is_empty() {
            return Ok(Vec::new());
        }
        let sql = format!(
            "SELECT id, chat, payload FROM outbox WHERE id IN ({}) AND sent_ms IS NULL AND failed_ms IS NULL ORDER BY id",
            vec!["?"; ids.len()].join(", ")
        );
        let mut q = sqlx::query(&sql);
        for id in ids {
            q = q.bind(id);
        }
        let rows = q.fetch_all(&self.pool).await?;
        Ok(rows.into_iter().map(|r| Queued { id: r.get(0), chat: r.get(1), payload: r.get(2) }).collect())
    }

    /// The Telegram message an outbox row became, once it is marked sent.
    pub async fn message_of(&self, id: i64) -> Result<Option<i64>, StoreError> {
        let m: Option<Option<i64>> =
            sqlx::query_scalar("SELECT message_id FROM outbox WHERE id = ? AND sent_ms IS NOT NULL")
                .bind(id)
                .fetch_optional(&self.pool)
                .await?;
        Ok(m.flatten())
    }

    /// Notes a failed attempt at an outbox row (the error without message text); with
    /// `give_up` the row is marked failed and never sent. Returns once queued.
    pub async fn note_attempt(&self, id: i64, at_ms: i64, error: &str, give_up: bool) -> Result<(), StoreError> {
        self.queue(Write::Attempt { id, at_ms, error: error.to_string(), give_up, called: true }).await.map(|_| ())
    }

    /// Gives up an outbox row without a request to Telegram (its chat blocked the bot, or
    /// there is nothing to send): marked failed with `why`, its count of attempts unchanged.
    pub async fn give_up(&self, id: i64, at_ms: i64, why: &str) -> Result<(), StoreError> {
        self.queue(Write::Attempt { id, at_ms, error: why.to_string(), give_up: true, called: false }).await.map(|_| ())
    }

    /// Marks a chat inactive (the citizen blocked the bot) and gives up its unsent rows.
    pub async fn deactivate_chat(&self, channel: &str, chat: &str, at_ms: i64) -> Result<(), StoreError> {
        self.write(Write::Inactive { channel: channel.into(), chat: chat.into(), at_ms }).await.map(|_| ())
    }

    /// Hands out the next case number of a year, durably: the reference can be shown before
    /// the turn that opens the case commits (a crash in between skips the number).
    pub async fn next_case_number(&self, year: i32) -> Result<i64, StoreError> {
        match self.write(Write::Allocate { year }).await? {
            Written::Number(n) => Ok(n),
            _ => Err(StoreError::Database(sqlx::Error::Protocol("no case number".into()))),
        }
    }

    /// Takes over the outbox rows another process wrote (see `Finish::external`) and returns
    /// the unsent ones, oldest first, to send.
    pub async fn claim_external(&self) -> Result<Vec<Queued>, StoreError> {
        match self.write(Write::Claim).await? {
            Written::Queued(rows) => Ok(rows),
            _ => Ok(Vec::new()),
        }
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

    /// The chats of a channel that blocked the bot and have not written since.
    pub async fn inactive_chats(&self, channel: &str) -> Result<Vec<String>, StoreError> {
        let chats = sqlx::query_scalar("SELECT chat FROM chats WHERE channel = ? AND active = 0 ORDER BY chat")
            .bind(channel)
            .fetch_all(&self.pool)
            .await?;
        Ok(chats)
    }

    /// Rewrites the database file without its free pages, then empties the write-ahead log.
    pub async fn vacuum(&self) -> Result<(), StoreError> {
        self.flush().await?;
        sqlx::query("VACUUM").execute(&self.pool).await?;
        sqlx::query("PRAGMA wal_checkpoint(TRUNCATE)").execute(&self.pool).await?;
        Ok(())
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

    /// A chat's last `n` transcript lines, oldest first.
    pub async fn recent_lines(&self, channel: &str, chat: &str, n: usize) -> Result<Vec<Line>, StoreError> {
        let rows = sqlx::query(
            "SELECT at_ms, direction, lang, flow, step, kind, body, intent, score, missed FROM
             (SELECT * FROM transcript WHERE channel = ? AND chat = ? ORDER BY id DESC LIMIT ?) ORDER BY id",
        )
        .bind(channel)
        .bind(chat)
        .bind(n as i64)
        .fetch_all(&self.pool)
        .await?;
        Ok(rows.iter().map(line_of).collect())
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
        Ok(rows.iter().map(line_of).collect())
    }

    /// Waits for every write queued so far to be committed, then closes the read pool.
    pub async fn close(self) {
        let _ = self.flush().await;
        self.pool.close().await;
    }
}

fn line_of(r: &sqlx::sqlite::SqliteRow) -> Line {
    Line {
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
    }
}

async fn migrate(conn: &mut SqliteConnection) -> Result<(), StoreError> {
    adopt_old_migrations(conn).await?;
    MIGRATOR.run(&mut *conn).await?;
    Ok(())
}

/// A database made before the store used `sqlx::migrate!` listed its migrations in a table of
/// its own, `schema_migrations`. They are the same files: each one it lists is recorded as
/// applied in sqlx's table, with the embedded file's checksum, and the old table goes, in one
/// transaction. A database that has sqlx's table already is left alone.
async fn adopt_old_migrations(conn: &mut SqliteConnection) -> Result<(), StoreError> {
    use sqlx::migrate::Migrate;
    let exists = |name: &'static str| {
        sqlx::query_scalar::<_, i64>("SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = ?").bind(name)
    };
    if exists("schema_migrations").fetch_one(&mut *conn).await? == 0
        || exists("_sqlx_migrations").fetch_one(&mut *conn).await? > 0
    {
        return Ok(());
    }
    let applied: Vec<i64> = sqlx::query_scalar("SELECT version FROM schema_migrations").fetch_all(&mut *conn).await?;
    let mut tx = conn.begin().await?;
    tx.ensure_migrations_table().await?;
    for m in MIGRATOR.iter().filter(|m| applied.contains(&m.version)) {
        sqlx::query(
            "INSERT INTO _sqlx_migrations (version, description, success, checksum, execution_time)
             VALUES (?, ?, TRUE, ?, 0)",
        )
        .bind(m.version)
        .bind(m.description.as_ref())
        .bind(m.checksum.as_ref())
        .execute(&mut *tx)
        .await?;
    }
    sqlx::query("DROP TABLE schema_migrations").execute(&mut *tx).await?;
    tx.commit().await?;
    Ok(())
}
