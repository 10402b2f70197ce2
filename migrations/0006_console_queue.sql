-- The staff console: indexes for its queue and dashboard, which filter, count and page in
-- SQL, and the secret its tokens (CSRF, device cookies) are derived from.

-- The queue: one status by due time (open) or newest first (resolved, closed).
CREATE INDEX cases_by_status_due ON cases (status, due_ms);
CREATE INDEX cases_by_status_id ON cases (status, id);
-- The dashboard: cases opened, and closed, per day.
CREATE INDEX cases_by_opened ON cases (opened_ms);
CREATE INDEX cases_by_finished ON cases ((COALESCE(resolved_ms, closed_ms)));

-- One row, made at the console's first start: 256 random bits as hex. Deleting it (and
-- restarting every console) voids open forms (a reload mends them) and device cookies.
CREATE TABLE console_secret (
    id          INTEGER PRIMARY KEY CHECK (id = 1),
    secret      TEXT    NOT NULL,
    created_ms  BIGINT  NOT NULL
);
