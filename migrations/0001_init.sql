-- The first schema: sessions, the transcript and escalation requests.
-- Times are milliseconds since the Unix epoch, UTC. Every row names its channel and chat, so
-- that a citizen's data can be exported, purged and erased.

CREATE TABLE sessions (
    channel     TEXT    NOT NULL,
    chat        TEXT    NOT NULL,
    data        TEXT    NOT NULL,          -- versioned JSON, see engine::session
    updated_ms  BIGINT  NOT NULL,
    PRIMARY KEY (channel, chat)
);

-- Every message in and out, appended, never rewritten.
CREATE TABLE transcript (
    id          INTEGER PRIMARY KEY,
    at_ms       BIGINT  NOT NULL,
    channel     TEXT    NOT NULL,
    chat        TEXT    NOT NULL,
    direction   TEXT    NOT NULL CHECK (direction IN ('in', 'out')),
    lang        TEXT    NOT NULL,
    flow        TEXT,
    step        TEXT,
    kind        TEXT    NOT NULL,          -- text, command, button, location, photo, ...
    body        TEXT    NOT NULL,          -- what was written or sent
    intent      TEXT,                      -- what the engine understood of an incoming text
    score       REAL,
    missed      INTEGER NOT NULL DEFAULT 0 -- 1 when a text was not understood
);
CREATE INDEX transcript_by_chat ON transcript (channel, chat, at_ms);

-- A request to hand a conversation to staff, with what the flow collected.
CREATE TABLE escalations (
    id          INTEGER PRIMARY KEY,
    at_ms       BIGINT  NOT NULL,
    channel     TEXT    NOT NULL,
    chat        TEXT    NOT NULL,
    lang        TEXT    NOT NULL,
    flow        TEXT    NOT NULL,
    topic       TEXT    NOT NULL,
    reason      TEXT    NOT NULL,
    slots       TEXT    NOT NULL,          -- JSON object: slot name -> value
    status      TEXT    NOT NULL DEFAULT 'new'
);
CREATE INDEX escalations_by_chat ON escalations (channel, chat);
