-- Privacy: counts that outlive the rows they count, and the audit log of data requests.
-- Times are milliseconds since the Unix epoch, UTC.

-- Messages per day, channel, language and understood intent, added up from transcript rows
-- before the purge removes them: statistics without anyone's words.
CREATE TABLE daily_counts (
    day       TEXT    NOT NULL,            -- YYYY-MM-DD, UTC
    channel   TEXT    NOT NULL,
    lang      TEXT    NOT NULL,
    intent    TEXT    NOT NULL,            -- '' for none
    messages  INTEGER NOT NULL,            -- the citizens' messages
    missed    INTEGER NOT NULL,            -- of those, not understood
    PRIMARY KEY (day, channel, lang, intent)
);

-- Cases per day of opening, topic and language, added up before the purge removes them.
CREATE TABLE case_counts (
    day         TEXT    NOT NULL,
    topic       TEXT    NOT NULL,
    lang        TEXT    NOT NULL,
    cases       INTEGER NOT NULL,
    rated       INTEGER NOT NULL,
    rating_sum  INTEGER NOT NULL,
    PRIMARY KEY (day, topic, lang)
);

-- Who exported or erased whose data, and when: never the data itself. `subject` is the
-- channel and chat the request was about (kept as proof that the request was served).
CREATE TABLE audit (
    id       INTEGER PRIMARY KEY,
    at_ms    BIGINT  NOT NULL,
    actor    TEXT    NOT NULL,             -- 'citizen', or the staff member ('cli:maria')
    action   TEXT    NOT NULL,             -- export, erase, purge
    subject  TEXT    NOT NULL,
    detail   TEXT    NOT NULL              -- counts, never content
);
CREATE INDEX audit_by_time ON audit (at_ms);
