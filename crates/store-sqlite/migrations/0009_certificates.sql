-- Gift certificates: templates, issued certificates with their balance, and
-- the append-only movements that balance is the sum of.
CREATE TABLE certificate_templates (
    id               INTEGER PRIMARY KEY,
    name             TEXT    NOT NULL UNIQUE,
    face_value_minor INTEGER NOT NULL CHECK (face_value_minor > 0),
    valid_days       INTEGER NOT NULL CHECK (valid_days > 0),
    partial_use      INTEGER NOT NULL CHECK (partial_use IN (0, 1)),
    created_at       INTEGER NOT NULL
);

CREATE TABLE certificates (
    id               INTEGER PRIMARY KEY,
    code             TEXT    NOT NULL UNIQUE,
    template_id      INTEGER NOT NULL REFERENCES certificate_templates (id),
    customer_id      INTEGER REFERENCES customers (id),
    face_value_minor INTEGER NOT NULL,
    balance_minor    INTEGER NOT NULL CHECK (balance_minor >= 0),
    partial_use      INTEGER NOT NULL CHECK (partial_use IN (0, 1)),
    issued_at        INTEGER NOT NULL,
    valid_to         INTEGER NOT NULL
);
CREATE INDEX certificates_customer ON certificates (customer_id, id) WHERE customer_id IS NOT NULL;

CREATE TABLE certificate_movements (
    id             INTEGER PRIMARY KEY,
    certificate_id INTEGER NOT NULL REFERENCES certificates (id),
    customer_id    INTEGER REFERENCES customers (id),
    kind           TEXT    NOT NULL CHECK (kind IN ('issue', 'redeem', 'refund')),
    amount_minor   INTEGER NOT NULL,
    receipt_key    INTEGER REFERENCES receipts (id),
    created_at     INTEGER NOT NULL
);
CREATE INDEX certificate_movements_certificate ON certificate_movements (certificate_id, id);
CREATE TRIGGER certificate_movements_no_update BEFORE UPDATE ON certificate_movements
BEGIN
    SELECT RAISE(ABORT, 'certificate movements are append-only');
END;
CREATE TRIGGER certificate_movements_no_delete BEFORE DELETE ON certificate_movements
BEGIN
    SELECT RAISE(ABORT, 'certificate movements are append-only');
END;
