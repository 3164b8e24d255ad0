-- A customer's products keyed by the day first: the job's round then adds
-- its rows at the end of the table rather than on a page of each
-- customer's, and the pages it writes back at its commit are a few dozen
-- instead of one a row (a round of 22,000 rows at ten million: 0.03 s to
-- commit against 0.25–1.3 s), so the tills' writer waits less behind it.
-- Every read of the table is by day, or by product and day; the customer
-- stays in the key, which still says one row a customer, day, store and
-- product.
CREATE TABLE customer_products_by_day (
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
    PRIMARY KEY (day, store_id, sku, customer_id)
) WITHOUT ROWID;
INSERT INTO customer_products_by_day
SELECT customer_id, day, store_id, sku, category, quantity_milli, amount_minor,
       discount_minor, points_paid, points_accrued, lines
FROM customer_products ORDER BY day, store_id, sku, customer_id;
DROP TABLE customer_products;
ALTER TABLE customer_products_by_day RENAME TO customer_products;
CREATE INDEX customer_products_sku ON customer_products (sku, day);
CREATE INDEX customer_products_category ON customer_products (category, day);
