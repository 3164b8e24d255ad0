-- Segments: a marketer's named group of customers, by rules over the
-- profile and purchase history (dynamic, recomputed on its schedule) or
-- a list frozen once (static). Members are kept by customer, as every
-- customer-owned row; each recompute leaves its size in the history.
CREATE TABLE segments (
    id          INTEGER PRIMARY KEY,
    name        TEXT    NOT NULL,
    kind        TEXT    NOT NULL CHECK (kind IN ('dynamic', 'static')),
    -- the rule tree as JSON; a static list ticked or uploaded has none
    rules       TEXT,
    schedule    TEXT    CHECK (schedule IN ('hourly', 'daily', 'weekly')),
    -- the local hour a daily or weekly recompute runs at, and the weekday
    -- (1 Monday … 7 Sunday) of a weekly one
    at_hour     INTEGER CHECK (at_hour BETWEEN 0 AND 23),
    on_weekday  INTEGER CHECK (on_weekday BETWEEN 1 AND 7),
    size        INTEGER NOT NULL DEFAULT 0,
    computed_at INTEGER,
    took_ms     INTEGER,
    created_by  INTEGER REFERENCES staff_users (id),
    created_at  INTEGER NOT NULL,
    updated_at  INTEGER NOT NULL,
    version     INTEGER NOT NULL DEFAULT 1,
    CHECK ((kind = 'dynamic') = (schedule IS NOT NULL)),
    CHECK (kind = 'static' OR rules IS NOT NULL)
);
CREATE UNIQUE INDEX segments_name_key ON segments (name);

CREATE TABLE segment_sizes (
    segment_id  INTEGER NOT NULL REFERENCES segments (id),
    computed_at INTEGER NOT NULL,
    size        INTEGER NOT NULL,
    entered     INTEGER NOT NULL,
    left_count  INTEGER NOT NULL,
    took_ms     INTEGER NOT NULL,
    PRIMARY KEY (segment_id, computed_at)
) WITHOUT ROWID;

CREATE TABLE segment_members (
    customer_id INTEGER NOT NULL REFERENCES customers (id),
    segment_id  INTEGER NOT NULL REFERENCES segments (id),
    since       INTEGER NOT NULL,
    PRIMARY KEY (customer_id, segment_id)
) WITHOUT ROWID;
CREATE INDEX segment_members_by_segment ON segment_members (segment_id, customer_id);

-- RFM scores (1-5), recomputed daily for customers who bought.
ALTER TABLE customer_loyalty ADD COLUMN rfm_recency INTEGER CHECK (rfm_recency BETWEEN 1 AND 5);
ALTER TABLE customer_loyalty ADD COLUMN rfm_frequency INTEGER CHECK (rfm_frequency BETWEEN 1 AND 5);
ALTER TABLE customer_loyalty ADD COLUMN rfm_monetary INTEGER CHECK (rfm_monetary BETWEEN 1 AND 5);

-- When the customer's tier was last set, for "in this tier for N days".
-- Kept by triggers, so every way a tier changes (a purchase, a return, the
-- recount, by hand, a merge) records it; a tier held before this
-- migration counts from it.
ALTER TABLE customer_loyalty ADD COLUMN tier_set_at INTEGER;
UPDATE customer_loyalty SET tier_set_at = CAST((julianday('now') - 2440587.5) * 86400000000 AS INTEGER)
WHERE tier_id IS NOT NULL;
CREATE TRIGGER customer_loyalty_tier_given AFTER INSERT ON customer_loyalty
WHEN NEW.tier_id IS NOT NULL
BEGIN
    UPDATE customer_loyalty
    SET tier_set_at = CAST((julianday('now') - 2440587.5) * 86400000000 AS INTEGER)
    WHERE customer_id = NEW.customer_id;
END;
CREATE TRIGGER customer_loyalty_tier_changed AFTER UPDATE OF tier_id ON customer_loyalty
WHEN OLD.tier_id IS NOT NEW.tier_id
BEGIN
    UPDATE customer_loyalty
    SET tier_set_at = CASE WHEN NEW.tier_id IS NULL THEN NULL
                      ELSE CAST((julianday('now') - 2440587.5) * 86400000000 AS INTEGER) END
    WHERE customer_id = NEW.customer_id;
END;
