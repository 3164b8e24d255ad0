-- no-transaction
-- Phone, e-mail and external id were unique by column constraints, whose
-- indexes SQLite cannot drop. As named indexes, a load into an empty
-- customer base can drop every index and build them after the rows, which
-- is several times faster than inserting into them row by row.
-- The table is rebuilt as SQLite's documentation prescribes: foreign keys
-- off outside the transaction, so that dropping the old table does not
-- touch the rows that refer to it.
PRAGMA foreign_keys = OFF;
BEGIN IMMEDIATE;

CREATE TABLE customers_rebuilt (
    id             INTEGER PRIMARY KEY,
    name           TEXT    NOT NULL,
    -- lowercase, ё as е: what the quick search and the name sort use
    search_name    TEXT    NOT NULL,
    phone          TEXT,
    email          TEXT,
    gender         TEXT    CHECK (gender IN ('female', 'male')),
    birth_date     TEXT,
    -- MMDD of birth_date, for birthday ranges across years
    birthday_md    INTEGER,
    address        TEXT,
    region         TEXT,
    city           TEXT,
    documents      TEXT    NOT NULL DEFAULT '[]',
    group_id       INTEGER NOT NULL REFERENCES customer_groups (id),
    status         TEXT    NOT NULL CHECK (status IN ('active', 'incomplete', 'archived')),
    blocked        INTEGER NOT NULL DEFAULT 0 CHECK (blocked IN (0, 1)),
    blocked_reason TEXT,
    notes          TEXT,
    referrer_id    INTEGER REFERENCES customers (id),
    channel        TEXT    NOT NULL,
    store_id       INTEGER REFERENCES stores (id),
    external_id    TEXT,
    consents       TEXT    NOT NULL DEFAULT '{}',
    -- one bit per granted consent (ConsentKind::flag)
    consent_flags  INTEGER NOT NULL DEFAULT 0,
    merged_into    INTEGER REFERENCES customers (id),
    created_at     INTEGER NOT NULL,
    updated_at     INTEGER NOT NULL,
    version        INTEGER NOT NULL DEFAULT 1
);

INSERT INTO customers_rebuilt SELECT
    id, name, search_name, phone, email, gender, birth_date, birthday_md, address, region, city,
    documents, group_id, status, blocked, blocked_reason, notes, referrer_id, channel, store_id,
    external_id, consents, consent_flags, merged_into, created_at, updated_at, version
FROM customers;
DROP TABLE customers;
ALTER TABLE customers_rebuilt RENAME TO customers;

CREATE UNIQUE INDEX customers_phone ON customers (phone);
CREATE UNIQUE INDEX customers_email ON customers (email);
CREATE UNIQUE INDEX customers_external_id ON customers (external_id);
CREATE INDEX customers_search_name ON customers (search_name);
CREATE INDEX customers_created_at ON customers (created_at);
CREATE INDEX customers_birthday ON customers (birthday_md) WHERE birthday_md IS NOT NULL;
CREATE INDEX customers_referrer ON customers (referrer_id) WHERE referrer_id IS NOT NULL;

COMMIT;
PRAGMA foreign_keys = ON;
