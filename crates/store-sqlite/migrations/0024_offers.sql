-- Personal offers: a reward for everyone or a segment under conditions,
-- kept whole as their terms (JSON), with the few columns a list or a
-- reference needs beside them. Coupons are kept by their code, unique
-- across the base; a coupon issued to someone names them.
CREATE TABLE offers (
    id          INTEGER PRIMARY KEY,
    name        TEXT    NOT NULL,
    terms       TEXT    NOT NULL,
    active      INTEGER NOT NULL CHECK (active IN (0, 1)),
    segment_id  INTEGER REFERENCES segments (id),
    created_at  INTEGER NOT NULL,
    updated_at  INTEGER NOT NULL,
    version     INTEGER NOT NULL DEFAULT 1
);
CREATE UNIQUE INDEX offers_name_key ON offers (name);
CREATE INDEX offers_segment ON offers (segment_id) WHERE segment_id IS NOT NULL;

CREATE TABLE coupons (
    code        TEXT    PRIMARY KEY,
    offer_id    INTEGER NOT NULL REFERENCES offers (id),
    customer_id INTEGER REFERENCES customers (id),
    issued_at   INTEGER NOT NULL
) WITHOUT ROWID;
CREATE INDEX coupons_offer ON coupons (offer_id, code);
CREATE INDEX coupons_customer ON coupons (customer_id) WHERE customer_id IS NOT NULL;
