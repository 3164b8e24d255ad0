-- A phone, an e-mail or an external id belongs to one customer at most.
-- Customers are spread over shards by id (Citus), where a unique key
-- without the shard's column cannot be kept; so each value is kept in a
-- table keyed by the value itself, written in the same transaction as the
-- customer and read first. `kind` is the field's name: phone, email or
-- external_id.
CREATE TABLE customer_keys (
    kind        text   NOT NULL,
    value       text   COLLATE "C" NOT NULL,
    customer_id bigint NOT NULL,
    CONSTRAINT customer_keys_pkey PRIMARY KEY (value, kind),
    CONSTRAINT customer_keys_kind_check CHECK (kind IN ('phone', 'email', 'external_id'))
);

INSERT INTO customer_keys (kind, value, customer_id)
SELECT 'phone', phone, id FROM customers WHERE phone IS NOT NULL
UNION ALL
SELECT 'email', email, id FROM customers WHERE email IS NOT NULL
UNION ALL
SELECT 'external_id', external_id, id FROM customers WHERE external_id IS NOT NULL;

-- The customers' own columns keep plain indexes: search reads them.
ALTER TABLE customers
    DROP CONSTRAINT customers_phone_key,
    DROP CONSTRAINT customers_email_key,
    DROP CONSTRAINT customers_external_id_key;
CREATE INDEX customers_phone ON customers (phone) WHERE phone IS NOT NULL;
CREATE INDEX customers_email ON customers (email) WHERE email IS NOT NULL;
CREATE INDEX customers_external_id ON customers (external_id) WHERE external_id IS NOT NULL;
