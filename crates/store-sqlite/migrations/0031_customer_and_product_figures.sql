-- More figures the reports read, kept by the job that keeps the day
-- figures, from the same mark and in the same transaction. Each is rolled
-- up from receipts whose customers and stores are checked already: no
-- foreign keys, so that a row written costs no lookups and a rebuild
-- clears a table at once.

-- Each identified customer's months in each store (the month's first day,
-- in the store's time zone): cohorts and visitors are counted from them.
-- Returns leave them alone: a customer's months count purchases.
CREATE TABLE customer_months (
    customer_id    INTEGER NOT NULL,
    month          TEXT    NOT NULL,
    store_id       INTEGER NOT NULL,
    receipts       INTEGER NOT NULL,
    revenue_minor  INTEGER NOT NULL,
    discount_minor INTEGER NOT NULL,
    points_paid    INTEGER NOT NULL,
    points_accrued INTEGER NOT NULL,
    PRIMARY KEY (customer_id, month, store_id)
) WITHOUT ROWID;
CREATE INDEX customer_months_month ON customer_months (month);

-- What each identified customer bought of each product, per day (in the
-- store's time zone) and store: the buyers of a sku or a category are read
-- from its rows alone.
CREATE TABLE customer_products (
    customer_id    INTEGER NOT NULL,
    day            TEXT    NOT NULL,
    store_id       INTEGER NOT NULL,
    sku            TEXT    NOT NULL,
    category       TEXT,
    quantity_milli INTEGER NOT NULL,
    amount_minor   INTEGER NOT NULL,
    discount_minor INTEGER NOT NULL,
    points_paid    INTEGER NOT NULL,
    points_accrued INTEGER NOT NULL,
    lines          INTEGER NOT NULL,
    PRIMARY KEY (customer_id, day, store_id, sku)
) WITHOUT ROWID;
CREATE INDEX customer_products_sku ON customer_products (sku, day);
CREATE INDEX customer_products_category ON customer_products (category, day);

-- Each product's days in each store, anonymous receipts included, with
-- what was returned of it on the day of the return at the till's store;
-- named as it was last sold.
CREATE TABLE product_days (
    day                     TEXT    NOT NULL,
    store_id                INTEGER NOT NULL,
    sku                     TEXT    NOT NULL,
    name                    TEXT    NOT NULL,
    category                TEXT,
    quantity_milli          INTEGER NOT NULL,
    amount_minor            INTEGER NOT NULL,
    discount_minor          INTEGER NOT NULL,
    points_paid             INTEGER NOT NULL,
    points_accrued          INTEGER NOT NULL,
    lines                   INTEGER NOT NULL,
    returned_quantity_milli INTEGER NOT NULL,
    refunds_minor           INTEGER NOT NULL,
    PRIMARY KEY (day, store_id, sku)
) WITHOUT ROWID;

-- One mark keeps every table: the day figures are rolled up again with the
-- new ones, from the first receipt (the job does it a batch at a time).
DELETE FROM store_days;
DELETE FROM figure_marks;

-- The reports' reads of customer_loyalty by spend and by last purchase
-- have their indexes already (0016: customer_loyalty_spent, and
-- customer_loyalty_last_purchase on the last purchase as the list orders
-- it, never bought first).
