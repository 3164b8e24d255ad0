-- The customer base: groups, the store hierarchy, custom property
-- definitions, customers and their property values.
-- Times are microseconds since the Unix epoch (UTC); dates are 'YYYY-MM-DD'.

CREATE TABLE customer_groups (
    id         INTEGER PRIMARY KEY,
    name       TEXT    NOT NULL UNIQUE,
    is_default INTEGER NOT NULL DEFAULT 0 CHECK (is_default IN (0, 1)),
    created_at INTEGER NOT NULL
);
CREATE UNIQUE INDEX customer_groups_one_default ON customer_groups (is_default) WHERE is_default = 1;

INSERT INTO customer_groups (name, is_default, created_at)
VALUES ('Покупатели', 1, CAST(unixepoch('subsec') * 1000000 AS INTEGER));

CREATE TABLE stores (
    id         INTEGER PRIMARY KEY,
    code       TEXT    NOT NULL UNIQUE,
    name       TEXT    NOT NULL,
    kind       TEXT    NOT NULL CHECK (kind IN ('region', 'city', 'district', 'store')),
    parent_id  INTEGER REFERENCES stores (id),
    address    TEXT,
    created_at INTEGER NOT NULL
);

CREATE TABLE property_definitions (
    id         INTEGER PRIMARY KEY,
    name       TEXT    NOT NULL UNIQUE,
    label      TEXT    NOT NULL,
    kind       TEXT    NOT NULL CHECK (kind IN ('string', 'number', 'date', 'bool', 'choice')),
    choices    TEXT    NOT NULL DEFAULT '[]',
    created_at INTEGER NOT NULL
);

CREATE TABLE customers (
    id             INTEGER PRIMARY KEY,
    name           TEXT    NOT NULL,
    -- lowercase, ё as е: what the quick search and the name sort use
    search_name    TEXT    NOT NULL,
    phone          TEXT    UNIQUE,
    email          TEXT    UNIQUE,
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
    external_id    TEXT    UNIQUE,
    consents       TEXT    NOT NULL DEFAULT '{}',
    -- one bit per granted consent (ConsentKind::flag)
    consent_flags  INTEGER NOT NULL DEFAULT 0,
    merged_into    INTEGER REFERENCES customers (id),
    created_at     INTEGER NOT NULL,
    updated_at     INTEGER NOT NULL,
    version        INTEGER NOT NULL DEFAULT 1
);
CREATE INDEX customers_search_name ON customers (search_name);
CREATE INDEX customers_created_at ON customers (created_at);
CREATE INDEX customers_birthday ON customers (birthday_md) WHERE birthday_md IS NOT NULL;
CREATE INDEX customers_group ON customers (group_id);
CREATE INDEX customers_referrer ON customers (referrer_id) WHERE referrer_id IS NOT NULL;

CREATE TABLE customer_properties (
    customer_id INTEGER NOT NULL REFERENCES customers (id),
    property_id INTEGER NOT NULL REFERENCES property_definitions (id),
    value       TEXT    NOT NULL,
    PRIMARY KEY (customer_id, property_id)
) WITHOUT ROWID;
CREATE INDEX customer_properties_value ON customer_properties (property_id, value);
