-- A customer's receipts by time carry what they came to, so a segment's
-- "spent in the last N days" sums an index instead of reading a million
-- receipt rows with their stored answers (2.5 s against 0.2 s at a
-- million receipts).
DROP INDEX receipts_customer;
CREATE INDEX receipts_customer
    ON receipts (customer_id, created_at, total_minor, discount_minor)
    WHERE customer_id IS NOT NULL;
