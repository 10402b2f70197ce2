-- The Telegram channel: an inbox of updates and an outbox of Bot API requests, so that no
-- citizen's message is lost and none is handled twice, and the chats the bot may write to.
-- Times are milliseconds since the Unix epoch, UTC. Every row names its chat (Telegram's chat
-- id as text, as in sessions.chat), so that a citizen's data can be exported and erased.

-- Every update, stored durably before Telegram may forget it (the webhook's 200, or the next
-- getUpdates offset). A repeated update_id is ignored.
CREATE TABLE inbox (
    update_id    BIGINT  PRIMARY KEY,
    chat         TEXT    NOT NULL,          -- '' when an update names no chat
    received_ms  BIGINT  NOT NULL,
    payload      TEXT    NOT NULL,          -- the update as Telegram sent it (JSON)
    done_ms      BIGINT                     -- set by the commit of the turn that handled it
);
-- Only the pending few are indexed: a handled update leaves the index.
CREATE INDEX inbox_pending ON inbox (update_id) WHERE done_ms IS NULL;

-- Every request the bot means to make, written in the same transaction as the turn that
-- decided it, and sent in id order per chat. last_error never holds message text.
CREATE TABLE outbox (
    id           INTEGER PRIMARY KEY,
    chat         TEXT    NOT NULL,
    update_id    BIGINT,                    -- the update it answers, if any
    created_ms   BIGINT  NOT NULL,
    payload      TEXT    NOT NULL,          -- {"method": ..., Bot API fields ...} (JSON)
    sent_ms      BIGINT,
    failed_ms    BIGINT,                    -- given up: refused by Telegram, or the chat blocked the bot
    attempts     INTEGER NOT NULL DEFAULT 0,
    last_error   TEXT
);
CREATE INDEX outbox_pending ON outbox (chat, id) WHERE sent_ms IS NULL AND failed_ms IS NULL;

-- The chats of a channel, and whether the bot may still write to them (a citizen who blocked
-- the bot is inactive until they write again).
CREATE TABLE chats (
    channel      TEXT    NOT NULL,
    chat         TEXT    NOT NULL,
    active       INTEGER NOT NULL DEFAULT 1,
    first_ms     BIGINT  NOT NULL,
    last_ms      BIGINT  NOT NULL,
    inactive_ms  BIGINT,
    PRIMARY KEY (channel, chat)
);
