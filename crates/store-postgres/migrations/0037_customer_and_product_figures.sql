-- More figures the reports read, kept by the job that keeps the day
-- figures, from the same mark and in the same transaction. Each is rolled
-- up from receipts whose customers and stores are checked already: no
-- foreign keys, so that a row written costs no lookups and a rebuild
-- clears a table at once.

-- Each identified customer's months in each store (the month's first day,
-- in the store's time zone): cohorts and visitors are counted from them.
-- Returns leave them alone: a customer's months count purchases. Kept
-- with the customer (distributed by customer_id).
CREATE TABLE customer_months (
    customer_id    bigint NOT NULL,
    month          date   NOT NULL,
    store_id       bigint NOT NULL,
    receipts       bigint NOT NULL,
    revenue_minor  bigint NOT NULL,
    discount_minor bigint NOT NULL,
    points_paid    bigint NOT NULL,
    points_accrued bigint NOT NULL,
    CONSTRAINT customer_months_pkey PRIMARY KEY (customer_id, month, store_id)
);
CREATE INDEX customer_months_month ON customer_months (month);

-- What each identified customer bought of each product, per day (in the
-- store's time zone) and store: the buyers of a sku or a category are read
-- from its rows alone. Kept with the customer. Skus and categories compare
-- in byte order, as in the other engine.
CREATE TABLE customer_products (
    customer_id    bigint NOT NULL,
    day            date   NOT NULL,
    store_id       bigint NOT NULL,
    sku            text   COLLATE "C" NOT NULL,
    category       text   COLLATE "C",
    quantity_milli bigint NOT NULL,
    amount_minor   bigint NOT NULL,
    discount_minor bigint NOT NULL,
    points_paid    bigint NOT NULL,
    points_accrued bigint NOT NULL,
    lines          bigint NOT NULL,
    CONSTRAINT customer_products_pkey PRIMARY KEY (customer_id, day, store_id, sku)
);
CREATE INDEX customer_products_sku ON customer_products (sku, day);
CREATE INDEX customer_products_category ON customer_products (category, day);

-- Each product's days in each store, anonymous receipts included, with
-- what was returned of it on the day of the return at the till's store;
-- named as it was last sold. Whole on every server, as store_days.
CREATE TABLE product_days (
    day                     date   NOT NULL,
    store_id                bigint NOT NULL,
    sku                     text   COLLATE "C" NOT NULL,
    name                    text   NOT NULL,
    category                text   COLLATE "C",
    quantity_milli          bigint NOT NULL,
    amount_minor            bigint NOT NULL,
    discount_minor          bigint NOT NULL,
    points_paid             bigint NOT NULL,
    points_accrued          bigint NOT NULL,
    lines                   bigint NOT NULL,
    returned_quantity_milli bigint NOT NULL,
    refunds_minor           bigint NOT NULL,
    CONSTRAINT product_days_pkey PRIMARY KEY (day, store_id, sku)
);

-- One mark keeps every table: the day figures are rolled up again with the
-- new ones, from the first receipt (the job does it a batch at a time).
DELETE FROM store_days;
DELETE FROM figure_marks;

-- The reports' reads of customer_loyalty by spend and by last purchase
-- have their indexes already (0015: customer_loyalty_spent, and
-- customer_loyalty_last_purchase on the last purchase as the list orders
-- it, never bought first), each kept by partition_by_distribution.
