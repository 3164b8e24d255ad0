-- The home page sums receipts and returns by day: an index holding every
-- column it reads lets it skip the wide receipt rows.
DROP INDEX receipts_created_at;
CREATE INDEX receipts_created_at
    ON receipts (created_at) INCLUDE (store_id, customer_id, total_minor, discount_minor);
CREATE INDEX returns_created_at ON returns (created_at) INCLUDE (refund_minor);

-- A staff user's starred customers.
CREATE TABLE favourites (
    user_id     bigint      NOT NULL,
    customer_id bigint      NOT NULL,
    created_at  timestamptz NOT NULL,
    CONSTRAINT favourites_pkey PRIMARY KEY (user_id, customer_id),
    CONSTRAINT favourites_user_id_fkey FOREIGN KEY (user_id) REFERENCES staff_users (id),
    CONSTRAINT favourites_customer_id_fkey FOREIGN KEY (customer_id) REFERENCES customers (id)
);
CREATE INDEX favourites_customer ON favourites (customer_id);
