-- Scheduled jobs run at most once per slot: the first to insert the slot's
-- row runs it, across restarts.
CREATE TABLE job_slots (
    job        TEXT    NOT NULL,
    slot       TEXT    NOT NULL,
    claimed_at INTEGER NOT NULL,
    PRIMARY KEY (job, slot)
) WITHOUT ROWID;
