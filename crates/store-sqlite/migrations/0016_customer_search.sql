-- Any word of a name, in any order, or the start of one ("Ива Мар" finds
-- «Иванова Мария Петровна»): an FTS5 index of the words of
-- customers.search_name (lowercase, ё as е), kept by triggers. Nothing
-- ranks by word counts, so the columns' sizes are not kept.
CREATE VIRTUAL TABLE customer_names USING fts5(
    search_name,
    content = 'customers',
    content_rowid = 'id',
    tokenize = 'unicode61 remove_diacritics 0',
    columnsize = 0
);
INSERT INTO customer_names (customer_names) VALUES ('rebuild');

CREATE TRIGGER customer_names_insert AFTER INSERT ON customers
BEGIN
    INSERT INTO customer_names (rowid, search_name) VALUES (new.id, new.search_name);
END;

CREATE TRIGGER customer_names_delete AFTER DELETE ON customers
BEGIN
    INSERT INTO customer_names (customer_names, rowid, search_name)
        VALUES ('delete', old.id, old.search_name);
END;

CREATE TRIGGER customer_names_update AFTER UPDATE OF search_name ON customers
WHEN old.search_name IS NOT new.search_name
BEGIN
    INSERT INTO customer_names (customer_names, rowid, search_name)
        VALUES ('delete', old.id, old.search_name);
    INSERT INTO customer_names (rowid, search_name) VALUES (new.id, new.search_name);
END;

-- A survivor's history holds the receipts of the customers merged into it.
CREATE INDEX customers_merged_into ON customers (merged_into) WHERE merged_into IS NOT NULL;

-- The other customer of a merge, so the points history can name them. Not
-- a foreign key: past one server that customer lives on another shard.
ALTER TABLE ledger_entries ADD COLUMN counterpart_id INTEGER;

-- Every customer has an account row from registration on, so that the list
-- sorts and filters by spend, purchases, last purchase and balance along
-- the account's indexes (a customer who never bought has zeros there).
INSERT INTO customer_loyalty (customer_id)
    SELECT id FROM customers WHERE id NOT IN (SELECT customer_id FROM customer_loyalty);

CREATE TRIGGER customer_loyalty_open AFTER INSERT ON customers
BEGIN
    INSERT INTO customer_loyalty (customer_id) VALUES (new.id);
END;

-- The balance (the sum of the customer's ledger) beside the other figures,
-- written with the account by every change of points.
ALTER TABLE customer_loyalty ADD COLUMN balance INTEGER NOT NULL DEFAULT 0;
UPDATE customer_loyalty
SET balance = (SELECT SUM(e.points) FROM ledger_entries e
               WHERE e.customer_id = customer_loyalty.customer_id)
WHERE customer_id IN (SELECT customer_id FROM ledger_entries);

CREATE INDEX customer_loyalty_spent ON customer_loyalty (spent_minor);
CREATE INDEX customer_loyalty_purchases ON customer_loyalty (purchases);
CREATE INDEX customer_loyalty_balance ON customer_loyalty (balance);
-- Never bought sorts before every purchase (NEVER_BOUGHT in the store).
CREATE INDEX customer_loyalty_last_purchase
    ON customer_loyalty (COALESCE(last_purchase_at, -9223372036854775807));
