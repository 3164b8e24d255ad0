-- The loyalty engine: programs and tiers, cards, receipts and returns, and
-- the points ledger with its open lots. Amounts are integers in minor units,
-- points in hundredths, quantities in thousandths, times in microseconds.

CREATE TABLE programs (
    id         INTEGER PRIMARY KEY,
    name       TEXT    NOT NULL UNIQUE,
    -- ProgramRules as JSON: the marketer's data, read whole by the pricing
    rules      TEXT    NOT NULL,
    is_default INTEGER NOT NULL DEFAULT 0 CHECK (is_default IN (0, 1)),
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL
);
CREATE UNIQUE INDEX programs_one_default ON programs (is_default) WHERE is_default = 1;

CREATE TABLE tiers (
    id              INTEGER PRIMARY KEY,
    program_id      INTEGER NOT NULL REFERENCES programs (id),
    name            TEXT    NOT NULL,
    threshold_minor INTEGER NOT NULL CHECK (threshold_minor >= 0),
    earn_rate_bp    INTEGER CHECK (earn_rate_bp BETWEEN 0 AND 10000),
    discount_bp     INTEGER CHECK (discount_bp BETWEEN 0 AND 10000),
    created_at      INTEGER NOT NULL,
    UNIQUE (program_id, threshold_minor)
);

CREATE TABLE card_groups (
    id         INTEGER PRIMARY KEY,
    name       TEXT    NOT NULL UNIQUE,
    program_id INTEGER NOT NULL REFERENCES programs (id),
    created_at INTEGER NOT NULL
);

CREATE TABLE cards (
    id               INTEGER PRIMARY KEY,
    barcode          TEXT    NOT NULL,
    symbology        TEXT    NOT NULL CHECK (symbology IN ('ean13', 'code128', 'qr')),
    group_id         INTEGER NOT NULL REFERENCES card_groups (id),
    customer_id      INTEGER REFERENCES customers (id),
    active           INTEGER NOT NULL DEFAULT 0 CHECK (active IN (0, 1)),
    blocked          INTEGER NOT NULL DEFAULT 0 CHECK (blocked IN (0, 1)),
    valid_from       INTEGER,
    valid_to         INTEGER,
    withdrawn_at     INTEGER,
    withdrawn_reason TEXT,
    replaced_by      INTEGER REFERENCES cards (id),
    created_at       INTEGER NOT NULL
);
CREATE UNIQUE INDEX cards_barcode ON cards (barcode);
CREATE INDEX cards_customer ON cards (customer_id) WHERE customer_id IS NOT NULL;

-- One row per customer who ever had points or a purchase: the account's
-- debt and the figures tiers are decided by, locked by every receipt.
CREATE TABLE customer_loyalty (
    customer_id       INTEGER PRIMARY KEY REFERENCES customers (id),
    debt              INTEGER NOT NULL DEFAULT 0 CHECK (debt >= 0),
    tier_id           INTEGER REFERENCES tiers (id),
    tier_manual       INTEGER NOT NULL DEFAULT 0 CHECK (tier_manual IN (0, 1)),
    tier_until        INTEGER,
    spent_minor       INTEGER NOT NULL DEFAULT 0,
    purchases         INTEGER NOT NULL DEFAULT 0,
    first_purchase_at INTEGER,
    last_purchase_at  INTEGER
);

CREATE TABLE receipts (
    id             INTEGER PRIMARY KEY,
    till_id        INTEGER NOT NULL REFERENCES tills (id),
    receipt_id     TEXT    NOT NULL,
    store_id       INTEGER NOT NULL REFERENCES stores (id),
    customer_id    INTEGER REFERENCES customers (id),
    card_id        INTEGER REFERENCES cards (id),
    created_at     INTEGER NOT NULL,
    committed_at   INTEGER NOT NULL,
    request_hash   BLOB    NOT NULL,
    total_minor    INTEGER NOT NULL,
    discount_minor INTEGER NOT NULL,
    points_paid    INTEGER NOT NULL,
    points_accrued INTEGER NOT NULL,
    to_pay_minor   INTEGER NOT NULL,
    -- points paid that were no longer there (an offline till), now owed
    points_owed    INTEGER NOT NULL DEFAULT 0,
    -- the first answer, returned byte for byte to every replay
    answer         BLOB    NOT NULL
);
CREATE UNIQUE INDEX receipts_till_receipt ON receipts (till_id, receipt_id);
CREATE INDEX receipts_customer ON receipts (customer_id, created_at) WHERE customer_id IS NOT NULL;
CREATE INDEX receipts_created_at ON receipts (created_at);

CREATE TABLE receipt_lines (
    receipt_key    INTEGER NOT NULL REFERENCES receipts (id),
    line           INTEGER NOT NULL,
    sku            TEXT    NOT NULL,
    name           TEXT    NOT NULL,
    category       TEXT,
    quantity_milli INTEGER NOT NULL CHECK (quantity_milli > 0),
    price_minor    INTEGER NOT NULL,
    amount_minor   INTEGER NOT NULL,
    discount_minor INTEGER NOT NULL,
    points_paid    INTEGER NOT NULL,
    points_accrued INTEGER NOT NULL,
    to_pay_minor   INTEGER NOT NULL,
    PRIMARY KEY (receipt_key, line)
) WITHOUT ROWID;

CREATE TABLE returns (
    id                INTEGER PRIMARY KEY,
    receipt_key       INTEGER NOT NULL REFERENCES receipts (id),
    return_id         TEXT    NOT NULL,
    till_id           INTEGER NOT NULL REFERENCES tills (id),
    customer_id       INTEGER REFERENCES customers (id),
    request_hash      BLOB    NOT NULL,
    refund_minor      INTEGER NOT NULL,
    points_returned   INTEGER NOT NULL,
    points_taken_back INTEGER NOT NULL,
    points_owed       INTEGER NOT NULL DEFAULT 0,
    created_at        INTEGER NOT NULL,
    answer            BLOB    NOT NULL
);
CREATE UNIQUE INDEX returns_receipt_return ON returns (receipt_key, return_id);
CREATE INDEX returns_customer ON returns (customer_id, created_at) WHERE customer_id IS NOT NULL;

CREATE TABLE return_lines (
    return_key        INTEGER NOT NULL REFERENCES returns (id),
    line              INTEGER NOT NULL,
    receipt_key       INTEGER NOT NULL,
    quantity_milli    INTEGER NOT NULL CHECK (quantity_milli > 0),
    refund_minor      INTEGER NOT NULL,
    points_returned   INTEGER NOT NULL,
    points_taken_back INTEGER NOT NULL,
    PRIMARY KEY (return_key, line)
) WITHOUT ROWID;
CREATE INDEX return_lines_receipt ON return_lines (receipt_key, line);

CREATE TABLE ledger_entries (
    id          INTEGER PRIMARY KEY,
    customer_id INTEGER NOT NULL REFERENCES customers (id),
    kind        TEXT    NOT NULL CHECK (kind IN ('accrual', 'payment', 'manual', 'birthday', 'referral',
                    'expiry', 'return_reversal', 'return_refund', 'merge', 'opening_balance')),
    points      INTEGER NOT NULL,
    receipt_key INTEGER REFERENCES receipts (id),
    till_id     INTEGER REFERENCES tills (id),
    user_id     INTEGER REFERENCES staff_users (id),
    comment     TEXT,
    usable_from INTEGER,
    expires_at  INTEGER,
    created_at  INTEGER NOT NULL
);
CREATE INDEX ledger_entries_customer ON ledger_entries (customer_id, id);
CREATE INDEX ledger_entries_receipt ON ledger_entries (receipt_key) WHERE receipt_key IS NOT NULL;
CREATE TRIGGER ledger_entries_no_update BEFORE UPDATE ON ledger_entries
BEGIN
    SELECT RAISE(ABORT, 'the points ledger is append-only');
END;
CREATE TRIGGER ledger_entries_no_delete BEFORE DELETE ON ledger_entries
BEGIN
    SELECT RAISE(ABORT, 'the points ledger is append-only');
END;

-- What is left of each accrual: the ledger's open lots, spent oldest expiry
-- first. A projection of the ledger, kept in the same transactions.
CREATE TABLE point_lots (
    entry_id    INTEGER PRIMARY KEY REFERENCES ledger_entries (id),
    customer_id INTEGER NOT NULL,
    remaining   INTEGER NOT NULL CHECK (remaining >= 0),
    usable_from INTEGER NOT NULL,
    expires_at  INTEGER
);
CREATE INDEX point_lots_open ON point_lots (customer_id) WHERE remaining > 0;
CREATE INDEX point_lots_expiring ON point_lots (expires_at) WHERE remaining > 0 AND expires_at IS NOT NULL;

-- Messages to customers waiting for delivery (points by hand, birthdays).
CREATE TABLE customer_messages (
    id           INTEGER PRIMARY KEY,
    customer_id  INTEGER NOT NULL REFERENCES customers (id),
    source       TEXT    NOT NULL,
    body         TEXT    NOT NULL,
    created_at   INTEGER NOT NULL,
    delivered_at INTEGER
);
CREATE INDEX customer_messages_pending ON customer_messages (id) WHERE delivered_at IS NULL;
