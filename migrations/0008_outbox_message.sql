-- The Telegram message each sent outbox row became, so that an erasure can take back (delete,
-- or edit where Telegram allows no deletion) the bot's posts in the staff group that carried
-- a citizen's words. NULL for rows not sent, for requests that make no message, and for rows
-- sent before this column existed (those posts cannot be taken back).
ALTER TABLE outbox ADD COLUMN message_id BIGINT;
