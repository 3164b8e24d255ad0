-- Holds: points a till reserves between "pay with points" and the payment.
-- A hold is live until it is used by a receipt, released, or expires.
CREATE TABLE holds (
    id          INTEGER PRIMARY KEY,
    -- the id the till is given and sends back
    hold_id     TEXT    NOT NULL UNIQUE,
    till_id     INTEGER NOT NULL REFERENCES tills (id),
    customer_id INTEGER NOT NULL REFERENCES customers (id),
    points      INTEGER NOT NULL CHECK (points > 0),
    created_at  INTEGER NOT NULL,
    expires_at  INTEGER NOT NULL,
    released_at INTEGER,
    receipt_key INTEGER REFERENCES receipts (id)
);
CREATE INDEX holds_live ON holds (customer_id) WHERE released_at IS NULL AND receipt_key IS NULL;
