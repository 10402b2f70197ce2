-- The staff console: accounts, their browser sessions, and canned replies.
-- Times are milliseconds since the Unix epoch, UTC.

CREATE TABLE staff_users (
    id          INTEGER PRIMARY KEY,
    name        TEXT    NOT NULL UNIQUE,
    role        TEXT    NOT NULL CHECK (role IN ('agent', 'supervisor', 'admin')),
    hash        TEXT    NOT NULL,          -- Argon2id, PHC string
    disabled    INTEGER NOT NULL DEFAULT 0,
    created_ms  BIGINT  NOT NULL
);

-- A signed-in browser. The id is 128 random bits, sent only in a cookie.
CREATE TABLE web_sessions (
    id          TEXT    PRIMARY KEY,
    user_id     INTEGER NOT NULL REFERENCES staff_users (id),
    csrf        TEXT    NOT NULL,
    created_ms  BIGINT  NOT NULL,
    seen_ms     BIGINT  NOT NULL
);
CREATE INDEX web_sessions_by_user ON web_sessions (user_id);

-- Answers staff use often, per language; supervisors edit them.
CREATE TABLE canned_replies (
    id          INTEGER PRIMARY KEY,
    lang        TEXT    NOT NULL,
    title       TEXT    NOT NULL,
    body        TEXT    NOT NULL,
    updated_ms  BIGINT  NOT NULL
);
