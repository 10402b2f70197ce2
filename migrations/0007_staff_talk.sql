-- When staff last wrote to the citizen of a case. While it is recent (SOFIA_STAFF_TALK_MINUTES)
-- a staff member is talking with the citizen, and everything the citizen writes goes to
-- them; before anyone has answered, or once that talk has gone quiet, the assistant answers
-- the questions it can and passes the rest on.
ALTER TABLE cases ADD COLUMN talked_ms BIGINT;
UPDATE cases SET talked_ms = (
    SELECT MAX(at_ms) FROM case_events WHERE case_events.case_id = cases.id AND case_events.kind = 'reply'
);
