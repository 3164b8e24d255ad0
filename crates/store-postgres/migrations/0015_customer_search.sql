-- Any word of a name, in any order, or the start of one ("Ива Мар" finds
-- «Иванова Мария Петровна»): the words of customers.search_name (lowercase,
-- ё as е) as a text search vector in a GIN index. 'simple' keeps words as
-- they are, with no language's stemming.
CREATE INDEX customers_name_words ON customers
    USING gin (to_tsvector('simple'::regconfig, search_name));

-- A survivor's history holds the receipts of the customers merged into it.
CREATE INDEX customers_merged_into ON customers (merged_into) WHERE merged_into IS NOT NULL;

-- The other customer of a merge, so the points history can name them. Not
-- a foreign key: under Citus that customer lives on another shard.
ALTER TABLE ledger_entries ADD COLUMN counterpart_id bigint;

-- Every customer has an account row from registration on, so that the list
-- sorts and filters by spend, purchases, last purchase and balance along
-- the account's indexes (a customer who never bought has zeros there).
INSERT INTO customer_loyalty (customer_id) SELECT id FROM customers ON CONFLICT DO NOTHING;

-- The balance (the sum of the customer's ledger) beside the other figures,
-- written with the account by every change of points.
ALTER TABLE customer_loyalty ADD COLUMN balance bigint NOT NULL DEFAULT 0;
UPDATE customer_loyalty l SET balance = s.points
FROM (SELECT customer_id, SUM(points)::bigint AS points FROM ledger_entries GROUP BY customer_id) s
WHERE l.customer_id = s.customer_id;

-- The sort keys end with the customer, as the keyset pages compare pairs.
CREATE INDEX customer_loyalty_spent ON customer_loyalty (spent_minor, customer_id);
CREATE INDEX customer_loyalty_purchases ON customer_loyalty (purchases, customer_id);
CREATE INDEX customer_loyalty_balance ON customer_loyalty (balance, customer_id);
-- Never bought sorts before every purchase.
CREATE INDEX customer_loyalty_last_purchase
    ON customer_loyalty ((COALESCE(last_purchase_at, '-infinity'::timestamptz)), customer_id);
