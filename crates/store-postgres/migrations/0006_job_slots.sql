-- Scheduled jobs run at most once per slot: the first to insert the slot's
-- row runs it, across restarts and across servers sharing the database.
CREATE TABLE job_slots (
    job        text        NOT NULL,
    slot       text        NOT NULL,
    claimed_at timestamptz NOT NULL,
    CONSTRAINT job_slots_pkey PRIMARY KEY (job, slot)
);
