-- A segment's purchase-history conditions read every customer's receipts
-- of a period and the lines of the short periods' receipts. These indexes
-- hold what they read, so neither the wide receipt rows (with their stored
-- answers) nor the lines' rows are visited (at a million receipts, one live
-- count of three such conditions read the receipts' 1.1 GB three times).
--
-- A customer's receipts by time carry the receipt's key, store and what it
-- came to: purchases, spent and stores visited in any period, summed in
-- the owner's order.
DROP INDEX receipts_owner;
CREATE INDEX receipts_owner ON receipts (owner_id, created_at)
    INCLUDE (id, store_id, total_minor, discount_minor);
-- The receipts of the last days, found by time, name their owner and key.
DROP INDEX receipts_created_at;
CREATE INDEX receipts_created_at ON receipts (created_at)
    INCLUDE (owner_id, id, store_id, customer_id, total_minor, discount_minor);
-- The lines of the newest receipts, which the short periods read, by the
-- receipt: keys grow with time, so the last weeks' lines sit together at
-- the end of this index, as they do in SQLite's table of lines. In the
-- owner's key they are spread over the whole index: 30 days of lines read
-- 500 MB of its pages, against 60 MB here. Not unique, so not keyed by
-- the owner; the owner is carried to join on.
CREATE INDEX receipt_lines_by_receipt ON receipt_lines (receipt_key)
    INCLUDE (owner_id, line, sku, category, quantity_milli, amount_minor);
-- The customers a segment may hold: none merged into another.
CREATE INDEX customers_current ON customers (id) WHERE merged_into IS NULL;

-- An index is read without its rows only on pages vacuumed since they were
-- written, and the short periods read the newest receipts: these two
-- tables are vacuumed after every 1 % of new rows, not PostgreSQL's 20 %
-- (months of receipts in a big base). Each such vacuum reads only the new
-- pages.
ALTER TABLE receipts SET (autovacuum_vacuum_insert_scale_factor = 0.01);
ALTER TABLE receipt_lines SET (autovacuum_vacuum_insert_scale_factor = 0.01);
