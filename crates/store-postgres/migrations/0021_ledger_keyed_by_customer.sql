-- A customer's ledger entries, lots and messages are keyed by the customer
-- first: on Citus they live on the customer's shard, where a key without
-- the customer cannot be kept unique.
ALTER TABLE point_lots
    DROP CONSTRAINT point_lots_entry_id_fkey,
    DROP CONSTRAINT point_lots_pkey;
ALTER TABLE ledger_entries
    DROP CONSTRAINT ledger_entries_pkey,
    ADD CONSTRAINT ledger_entries_pkey PRIMARY KEY (customer_id, id);
DROP INDEX ledger_entries_customer;
ALTER TABLE point_lots
    ADD CONSTRAINT point_lots_pkey PRIMARY KEY (customer_id, entry_id),
    ADD CONSTRAINT point_lots_entry_id_fkey
        FOREIGN KEY (customer_id, entry_id) REFERENCES ledger_entries (customer_id, id);
ALTER TABLE customer_messages
    DROP CONSTRAINT customer_messages_pkey,
    ADD CONSTRAINT customer_messages_pkey PRIMARY KEY (customer_id, id);
