-- The figures reports read, per day (in the store's time zone) and store,
-- kept by a job from the receipts and returns committed since its mark.
CREATE TABLE store_days (
    day                      TEXT    NOT NULL,
    store_id                 INTEGER NOT NULL REFERENCES stores (id),
    receipts                 INTEGER NOT NULL,
    identified_receipts      INTEGER NOT NULL,
    revenue_minor            INTEGER NOT NULL,
    identified_revenue_minor INTEGER NOT NULL,
    discount_minor           INTEGER NOT NULL,
    points_accrued           INTEGER NOT NULL,
    points_paid              INTEGER NOT NULL,
    first_purchases          INTEGER NOT NULL,
    returns                  INTEGER NOT NULL,
    refunds_minor            INTEGER NOT NULL,
    points_returned          INTEGER NOT NULL,
    points_taken_back        INTEGER NOT NULL,
    PRIMARY KEY (day, store_id)
);

-- How far each kind of figures is kept: what was committed up to `up_to`
-- is in them.
CREATE TABLE figure_marks (
    name  TEXT    PRIMARY KEY,
    up_to INTEGER NOT NULL
);

-- The job reads the receipts committed since its mark (returns by their
-- time, already indexed).
CREATE INDEX receipts_committed_at ON receipts (committed_at);
