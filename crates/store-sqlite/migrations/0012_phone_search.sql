-- Any part of a phone ("4567", "912 34") found through the phone's
-- trigrams instead of by reading every customer: an FTS5 index over
-- customers.phone, kept by triggers.
CREATE VIRTUAL TABLE customer_phones USING fts5(
    phone,
    content = 'customers',
    content_rowid = 'id',
    tokenize = 'trigram'
);
INSERT INTO customer_phones (customer_phones) VALUES ('rebuild');

CREATE TRIGGER customer_phones_insert AFTER INSERT ON customers
WHEN new.phone IS NOT NULL
BEGIN
    INSERT INTO customer_phones (rowid, phone) VALUES (new.id, new.phone);
END;

CREATE TRIGGER customer_phones_delete AFTER DELETE ON customers
WHEN old.phone IS NOT NULL
BEGIN
    INSERT INTO customer_phones (customer_phones, rowid, phone) VALUES ('delete', old.id, old.phone);
END;

CREATE TRIGGER customer_phones_update AFTER UPDATE OF phone ON customers
WHEN old.phone IS NOT new.phone
BEGIN
    INSERT INTO customer_phones (customer_phones, rowid, phone)
        SELECT 'delete', old.id, old.phone WHERE old.phone IS NOT NULL;
    INSERT INTO customer_phones (rowid, phone)
        SELECT new.id, new.phone WHERE new.phone IS NOT NULL;
END;
