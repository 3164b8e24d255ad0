-- The figures reports read, per day (in the store's time zone) and store,
-- kept by a job from the receipts and returns committed since its mark.
CREATE TABLE store_days (
    day                      date   NOT NULL,
    store_id                 bigint NOT NULL,
    receipts                 bigint NOT NULL,
    identified_receipts      bigint NOT NULL,
    revenue_minor            bigint NOT NULL,
    identified_revenue_minor bigint NOT NULL,
    discount_minor           bigint NOT NULL,
    points_accrued           bigint NOT NULL,
    points_paid              bigint NOT NULL,
    first_purchases          bigint NOT NULL,
    returns                  bigint NOT NULL,
    refunds_minor            bigint NOT NULL,
    points_returned          bigint NOT NULL,
    points_taken_back        bigint NOT NULL,
    CONSTRAINT store_days_pkey PRIMARY KEY (day, store_id),
    CONSTRAINT store_days_store_id_fkey FOREIGN KEY (store_id) REFERENCES stores (id)
);

-- How far each kind of figures is kept: what was committed up to `up_to`
-- is in them.
CREATE TABLE figure_marks (
    name  text        COLLATE "C" NOT NULL,
    up_to timestamptz NOT NULL,
    CONSTRAINT figure_marks_pkey PRIMARY KEY (name)
);

-- The job reads the receipts committed since its mark (returns by their
-- time, already indexed).
CREATE INDEX receipts_committed_at ON receipts (committed_at);
