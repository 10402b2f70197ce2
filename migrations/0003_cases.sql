-- Cases: what citizens handed to municipal staff, with a readable reference, and every change
-- to a case as an appended event. Times are milliseconds since the Unix epoch, UTC. Every row
-- names the citizen's channel and chat, so that their data can be exported and erased.

-- A case's id is its reference in numbers: year * 100000000 + its number in that year, so
-- SOF-2026-000123 is 202600000123. References are handed out from case_numbers before the
-- turn that opens the case is committed (the citizen's message must carry it): a crash in
-- between skips a number, never repeats one.
CREATE TABLE case_numbers (
    year        INTEGER PRIMARY KEY,
    last        INTEGER NOT NULL
);

-- The current state of each case: a projection of its events, kept for the queue and the
-- staff group. The history is case_events.
CREATE TABLE cases (
    id            INTEGER PRIMARY KEY,
    channel       TEXT    NOT NULL,
    chat          TEXT    NOT NULL,
    lang          TEXT    NOT NULL,
    flow          TEXT    NOT NULL,
    topic         TEXT    NOT NULL,
    district      TEXT,                    -- a district id from dialogs/places.toml, when known
    slots         TEXT    NOT NULL,        -- JSON object: slot name -> value
    summary       TEXT    NOT NULL,
    status        TEXT    NOT NULL CHECK (status IN ('new', 'assigned', 'waiting', 'resolved', 'closed', 'reopened')),
    opened_ms     BIGINT  NOT NULL,
    updated_ms    BIGINT  NOT NULL,
    due_ms        BIGINT  NOT NULL,        -- a staff answer is due by then (working hours)
    answered_ms   BIGINT,                  -- the first staff answer since (re)opening
    resolved_ms   BIGINT,                  -- when staff closed it (status resolved)
    closed_ms     BIGINT,                  -- when it was closed for good
    assignee_id   TEXT,                    -- the staff member who took it
    assignee_name TEXT,
    thread        BIGINT,                  -- its forum topic in the staff group
    relay         INTEGER NOT NULL DEFAULT 1, -- the citizen's messages go to staff, not the bot
    acked         INTEGER NOT NULL DEFAULT 0, -- the citizen was told their message was passed on
    overdue_ms    BIGINT,                  -- when the staff group was told it is overdue
    rating        INTEGER CHECK (rating BETWEEN 1 AND 5),
    follows       INTEGER                  -- the closed case this one follows
);
CREATE INDEX cases_by_chat ON cases (channel, chat, id);
CREATE INDEX cases_by_thread ON cases (thread) WHERE thread IS NOT NULL;
CREATE INDEX cases_open ON cases (due_ms) WHERE status NOT IN ('resolved', 'closed');

-- Every change to a case, appended, never rewritten: who (actor and, for staff, their id and
-- name), when, from where (telegram, staff-group, cli, console, system), what.
CREATE TABLE case_events (
    id          INTEGER PRIMARY KEY,
    case_id     INTEGER NOT NULL REFERENCES cases (id),
    at_ms       BIGINT  NOT NULL,
    channel     TEXT    NOT NULL,          -- the citizen's channel and chat, as in cases
    chat        TEXT    NOT NULL,
    actor       TEXT    NOT NULL CHECK (actor IN ('citizen', 'staff', 'bot', 'system')),
    actor_id    TEXT,
    actor_name  TEXT,
    source      TEXT    NOT NULL,
    kind        TEXT    NOT NULL,          -- opened, message, reply, note, taken, closed, ...
    status      TEXT,                      -- the status after the event, when it changed
    body        TEXT                       -- what was written, when the event is a message
);
CREATE INDEX case_events_by_case ON case_events (case_id, id);
CREATE INDEX case_events_by_chat ON case_events (channel, chat, id);

-- Escalation requests stored before cases existed become cases.
INSERT INTO cases (id, channel, chat, lang, flow, topic, slots, summary, status, opened_ms, updated_ms, due_ms, relay)
SELECT CAST(strftime('%Y', at_ms / 1000, 'unixepoch') AS INTEGER) * 100000000
         + ROW_NUMBER() OVER (PARTITION BY strftime('%Y', at_ms / 1000, 'unixepoch') ORDER BY id),
       channel, chat, lang, flow, topic, slots, reason, 'new', at_ms, at_ms, at_ms, 0
FROM escalations;
INSERT INTO case_events (case_id, at_ms, channel, chat, actor, source, kind, status)
SELECT id, opened_ms, channel, chat, 'bot', 'system', 'opened', 'new' FROM cases;
INSERT INTO case_numbers (year, last)
SELECT id / 100000000, MAX(id % 100000000) FROM cases GROUP BY id / 100000000;
DROP TABLE escalations;

-- Outbox rows written by another process (`sofia-bot cases reply` beside a running service):
-- the service claims them, then sends them like its own.
ALTER TABLE outbox ADD COLUMN external INTEGER NOT NULL DEFAULT 0;
CREATE INDEX outbox_external ON outbox (id) WHERE external = 1;
