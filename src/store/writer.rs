//! The writer task: the one connection that writes, committing every write waiting in one
//! transaction (group commit), with runs of the common kinds batched into one statement per
//! table. Only `store` uses it.

use super::*;

/// Takes every write waiting, commits them in one transaction, and tells each its outcome. A
/// group that fails is retried one write at a time, so that one bad write fails alone.
pub(super) async fn write_loop(mut conn: SqliteConnection, mut jobs: mpsc::Receiver<Job>) {
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
        Ok(results) => {
            // A COMMIT that fails (the disk full) leaves the transaction open: rolled back, so
            // that the next group can begin.
            if let Err(e) = conn.execute("COMMIT").await {
                let _ = conn.execute("ROLLBACK").await;
                return Err(e);
            }
            // After an erasure the log must not keep the pages that held the erased words. The
            // group is committed either way: a failed checkpoint is tried again at the next
            // erasure (and by `vacuum`), never reported as a failed write.
            let erased = writes.iter().any(|w| match w {
                Write::Turn(t) | Write::Finish(Some(t), _) => t.erase.is_some(),
                _ => false,
            });
            if erased && let Err(e) = conn.execute("PRAGMA wal_checkpoint(TRUNCATE)").await {
                tracing::error!(error = %e, "the write-ahead log could not be emptied after an erasure");
            }
            Ok(results)
        }
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
    // A turn committed by itself (the command line) leaves the rows its erasure queues to a
    // running service, which claims them; a Finish hands them to this process's sender.
    let turns: Vec<(&TurnRecord, bool)> = writes
        .iter()
        .filter_map(|w| match w {
            Write::Turn(t) => Some((t, true)),
            Write::Finish(Some(t), f) => Some((t, f.external)),
            _ => None,
        })
        .collect();
    let withdrawn = write_turns(conn, &turns).await?;
    let stored = receive_updates(conn, writes).await?;
    let queued = write_finishes(conn, writes).await?;
    mark_sent(conn, writes).await?;
    let (mut stored, mut queued, mut withdrawn) = (stored.into_iter(), queued.into_iter(), withdrawn.into_iter());
    Ok(writes
        .iter()
        .map(|w| match w {
            Write::Receive(_) => Written::Stored(stored.next().unwrap_or_default()),
            Write::Turn(_) => {
                withdrawn.next();
                Written::Nothing
            }
            Write::Finish(turn, _) => {
                let mut rows = if turn.is_some() { withdrawn.next().unwrap_or_default() } else { Vec::new() };
                rows.extend(queued.next().unwrap_or_default());
                Written::Queued(rows)
            }
            _ => Written::Nothing,
        })
        .collect())
}

/// Writes the turns; for each, the outbox rows its erasure queued (none without one).
async fn write_turns(
    conn: &mut SqliteConnection,
    turns: &[(&TurnRecord, bool)],
) -> Result<Vec<Vec<Queued>>, sqlx::Error> {
    let external: Vec<bool> = turns.iter().map(|(_, e)| *e).collect();
    let turns: Vec<&TurnRecord> = turns.iter().map(|(t, _)| *t).collect();
    let turns = turns.as_slice();
    // One session row per chat: the last turn's.
    let mut sessions: Vec<(&TurnRecord, &String)> = Vec::with_capacity(turns.len());
    for t in turns {
        let Some(json) = &t.session_json else { continue };
        match sessions.iter_mut().find(|(s, _)| s.channel == t.channel && s.chat == t.chat) {
            Some(s) => *s = (t, json),
            None => sessions.push((t, json)),
        }
    }
    for chunk in sessions.chunks(MAX_BINDS / 4) {
        let sql = format!(
            "INSERT INTO sessions (channel, chat, data, updated_ms) VALUES {}
             ON CONFLICT (channel, chat) DO UPDATE SET data = excluded.data, updated_ms = excluded.updated_ms",
            placeholders(chunk.len(), 4)
        );
        let mut q = sqlx::query(&sql);
        for (t, json) in chunk {
            q = q.bind(&t.channel).bind(&t.chat).bind(*json).bind(t.at_ms);
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
    let mut withdrawn = Vec::with_capacity(turns.len());
    for (t, external) in turns.iter().zip(external) {
        if !t.cases.is_empty() {
            super::cases::apply(conn, &t.cases).await?;
        }
        withdrawn.push(match &t.erase {
            Some(e) => super::privacy::erase(conn, &t.channel, &t.chat, e, t.at_ms, external).await?,
            None => Vec::new(),
        });
        for a in &t.audit {
            super::privacy::audit(conn, a).await?;
        }
    }
    Ok(withdrawn)
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
    let rows: Vec<(&Finish, &Outbound)> = finishes.iter().flat_map(|f| f.outbox.iter().map(move |o| (*f, o))).collect();
    let mut ids = Vec::with_capacity(rows.len());
    for chunk in rows.chunks(MAX_BINDS / 5) {
        let sql = format!(
            "INSERT INTO outbox (chat, update_id, created_ms, payload, external) VALUES {}",
            placeholders(chunk.len(), 5)
        );
        let mut q = sqlx::query(&sql);
        for (f, o) in chunk {
            q = q.bind(&o.chat).bind(f.update_id).bind(f.at_ms).bind(&o.payload).bind(f.external as i64);
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
                .map(|o| Queued {
                    id: ids.next().unwrap_or_default(),
                    chat: o.chat.clone(),
                    payload: o.payload.clone(),
                })
                .collect()
        })
        .collect())
}

async fn mark_sent(conn: &mut SqliteConnection, writes: &[Write]) -> Result<(), sqlx::Error> {
    let sent: Vec<(i64, i64, Option<i64>)> = writes
        .iter()
        .filter_map(|w| match w {
            Write::Sent { id, at_ms, message_id } => Some((*id, *at_ms, *message_id)),
            _ => None,
        })
        .collect();
    for chunk in sent.chunks(MAX_BINDS / 3) {
        let sql = format!(
            "UPDATE outbox SET sent_ms = v.column2, message_id = v.column3, attempts = attempts + 1
             FROM (VALUES {}) AS v WHERE outbox.id = v.column1",
            placeholders(chunk.len(), 3)
        );
        let mut q = sqlx::query(&sql);
        for (id, at, message_id) in chunk {
            q = q.bind(id).bind(at).bind(message_id);
        }
        q.execute(&mut *conn).await?;
    }
    Ok(())
}

/// The writes that are rare enough to go one statement at a time.
async fn apply_one(conn: &mut SqliteConnection, write: &Write) -> Result<Written, sqlx::Error> {
    match write {
        Write::Attempt { id, at_ms, error, give_up, called } => {
            sqlx::query(
                "UPDATE outbox SET attempts = attempts + CASE WHEN ? THEN 1 ELSE 0 END, last_error = ?,
                 failed_ms = CASE WHEN ? THEN ? ELSE failed_ms END WHERE id = ?",
            )
            .bind(*called)
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
        Write::Purge { cutoffs, batch } => {
            return Ok(Written::Purged(super::privacy::purge_batch(conn, *cutoffs, *batch).await?));
        }
        Write::Allocate { year } => return Ok(Written::Number(super::cases::next_number(conn, *year).await?)),
        Write::Claim => {
            let rows = sqlx::query(
                "UPDATE outbox SET external = 0 WHERE external = 1 AND sent_ms IS NULL AND failed_ms IS NULL
                 RETURNING id, chat, payload",
            )
            .fetch_all(&mut *conn)
            .await?;
            let mut rows: Vec<Queued> =
                rows.into_iter().map(|r| Queued { id: r.get(0), chat: r.get(1), payload: r.get(2) }).collect();
            rows.sort_by_key(|r| r.id);
            return Ok(Written::Queued(rows));
        }
        Write::Turn(_) | Write::Finish(..) | Write::Receive(_) | Write::Sent { .. } | Write::Flush => {
            return Ok(apply_run(conn, std::slice::from_ref(write)).await?.pop().unwrap_or(Written::Nothing));
        }
    }
    Ok(Written::Nothing)
}
