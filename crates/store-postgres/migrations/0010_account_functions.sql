-- An account as the engine reads it: one row per open lot (or one row with
-- no lot), each with the account's figures and the points its live holds
-- keep aside.
CREATE TYPE account_row AS (
    customer_id       bigint,
    debt              bigint,
    tier_id           bigint,
    tier_manual       boolean,
    tier_until        timestamptz,
    spent_minor       bigint,
    purchases         bigint,
    first_purchase_at timestamptz,
    last_purchase_at  timestamptz,
    entry_id          bigint,
    remaining         bigint,
    usable_from       timestamptz,
    expires_at        timestamptz,
    held              bigint
);

-- The account rows at `at`; inlined into the statements that call it.
CREATE FUNCTION account_rows(customer bigint, at timestamptz)
RETURNS SETOF account_row
LANGUAGE sql STABLE
AS $$
    SELECT a.customer_id, a.debt, a.tier_id, a.tier_manual, a.tier_until, a.spent_minor,
           a.purchases, a.first_purchase_at, a.last_purchase_at,
           l.entry_id, l.remaining, l.usable_from, l.expires_at,
           (SELECT COALESCE(SUM(h.points), 0)::bigint FROM holds h
            WHERE h.customer_id = a.customer_id AND h.released_at IS NULL
              AND h.receipt_key IS NULL AND h.expires_at > at) AS held
    FROM customer_loyalty a
    LEFT JOIN point_lots l ON l.customer_id = a.customer_id AND l.remaining > 0
    WHERE a.customer_id = customer
$$;

-- The account locked until the transaction ends (made first where the
-- customer has none), then read: one round trip for what took two or three.
-- The read is a statement of its own after the lock, so in READ COMMITTED it
-- sees whatever the transaction that held the lock wrote; a single
-- `SELECT ... FOR UPDATE` would re-read only the locked row, not its lots.
CREATE FUNCTION locked_account(customer bigint, at timestamptz)
RETURNS SETOF account_row
LANGUAGE plpgsql VOLATILE
AS $$
BEGIN
    PERFORM 1 FROM customer_loyalty c WHERE c.customer_id = customer FOR UPDATE;
    IF NOT FOUND THEN
        INSERT INTO customer_loyalty (customer_id) VALUES (customer) ON CONFLICT DO NOTHING;
        PERFORM 1 FROM customer_loyalty c WHERE c.customer_id = customer FOR UPDATE;
    END IF;
    RETURN QUERY SELECT * FROM account_rows(customer, at);
END
$$;
