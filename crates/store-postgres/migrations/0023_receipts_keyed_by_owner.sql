-- Receipts, their lines, returns and return lines are kept with the
-- customer whose they are (on Citus, on that customer's shard) and keyed by
-- them first. An anonymous receipt has no customer: it is kept with the
-- till that sold it. owner_id is the customer's id, or minus the till's id.
-- customer_id stays as it was, the customer or none.
ALTER TABLE receipts ADD COLUMN owner_id bigint;
UPDATE receipts SET owner_id = COALESCE(customer_id, -till_id);
ALTER TABLE receipts ALTER COLUMN owner_id SET NOT NULL;

ALTER TABLE receipt_lines ADD COLUMN owner_id bigint;
UPDATE receipt_lines l SET owner_id = r.owner_id FROM receipts r WHERE r.id = l.receipt_key;
ALTER TABLE receipt_lines ALTER COLUMN owner_id SET NOT NULL;

ALTER TABLE returns ADD COLUMN owner_id bigint;
UPDATE returns x SET owner_id = r.owner_id FROM receipts r WHERE r.id = x.receipt_key;
ALTER TABLE returns ALTER COLUMN owner_id SET NOT NULL;

ALTER TABLE return_lines ADD COLUMN owner_id bigint;
UPDATE return_lines l SET owner_id = x.owner_id FROM returns x WHERE x.id = l.return_key;
ALTER TABLE return_lines ALTER COLUMN owner_id SET NOT NULL;

-- A till's receipt id is unique across the base here, keyed by the till:
-- a replay reads it first to find the receipt and its owner.
CREATE TABLE till_receipts (
    till_id     bigint NOT NULL,
    receipt_id  text   NOT NULL,
    owner_id    bigint NOT NULL,
    receipt_key bigint NOT NULL,
    CONSTRAINT till_receipts_pkey PRIMARY KEY (till_id, receipt_id)
);
INSERT INTO till_receipts (till_id, receipt_id, owner_id, receipt_key)
SELECT till_id, receipt_id, owner_id, id FROM receipts;

-- Keys by owner; the foreign keys that reached receipts by id alone go.
ALTER TABLE ledger_entries DROP CONSTRAINT ledger_entries_receipt_key_fkey;
ALTER TABLE holds DROP CONSTRAINT holds_receipt_key_fkey;
ALTER TABLE certificate_movements DROP CONSTRAINT certificate_movements_receipt_key_fkey;
ALTER TABLE return_lines
    DROP CONSTRAINT return_lines_return_key_fkey,
    DROP CONSTRAINT return_lines_pkey;
ALTER TABLE returns
    DROP CONSTRAINT returns_receipt_key_fkey,
    DROP CONSTRAINT returns_receipt_return_key,
    DROP CONSTRAINT returns_customer_id_fkey,
    DROP CONSTRAINT returns_pkey;
ALTER TABLE receipt_lines
    DROP CONSTRAINT receipt_lines_receipt_key_fkey,
    DROP CONSTRAINT receipt_lines_pkey;
ALTER TABLE receipts
    DROP CONSTRAINT receipts_till_receipt_key,
    DROP CONSTRAINT receipts_customer_id_fkey,
    DROP CONSTRAINT receipts_pkey,
    ADD CONSTRAINT receipts_pkey PRIMARY KEY (owner_id, id);
ALTER TABLE receipt_lines
    ADD CONSTRAINT receipt_lines_pkey PRIMARY KEY (owner_id, receipt_key, line),
    ADD CONSTRAINT receipt_lines_receipt_key_fkey
        FOREIGN KEY (owner_id, receipt_key) REFERENCES receipts (owner_id, id);
ALTER TABLE returns
    ADD CONSTRAINT returns_pkey PRIMARY KEY (owner_id, id),
    ADD CONSTRAINT returns_receipt_return_key UNIQUE (owner_id, receipt_key, return_id),
    ADD CONSTRAINT returns_receipt_key_fkey
        FOREIGN KEY (owner_id, receipt_key) REFERENCES receipts (owner_id, id);
ALTER TABLE return_lines
    ADD CONSTRAINT return_lines_pkey PRIMARY KEY (owner_id, return_key, line),
    ADD CONSTRAINT return_lines_return_key_fkey
        FOREIGN KEY (owner_id, return_key) REFERENCES returns (owner_id, id);
ALTER TABLE ledger_entries
    ADD CONSTRAINT ledger_entries_receipt_key_fkey
        FOREIGN KEY (customer_id, receipt_key) REFERENCES receipts (owner_id, id);
ALTER TABLE holds
    ADD CONSTRAINT holds_receipt_key_fkey
        FOREIGN KEY (customer_id, receipt_key) REFERENCES receipts (owner_id, id);

-- Reads by customer name the owner.
DROP INDEX receipts_customer;
CREATE INDEX receipts_owner ON receipts (owner_id, created_at);
DROP INDEX returns_customer;
CREATE INDEX returns_owner ON returns (owner_id, created_at);
DROP INDEX return_lines_receipt;
CREATE INDEX return_lines_receipt ON return_lines (owner_id, receipt_key, line);
DROP INDEX ledger_entries_receipt;
CREATE INDEX ledger_entries_receipt ON ledger_entries (customer_id, receipt_key)
    WHERE receipt_key IS NOT NULL;
