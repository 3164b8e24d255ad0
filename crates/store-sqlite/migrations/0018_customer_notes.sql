-- Dated notes about a customer, each signed by its author: a customer's own
-- rows, numbered within the customer, never edited.
CREATE TABLE customer_notes (
    customer_id INTEGER NOT NULL REFERENCES customers (id),
    id          INTEGER NOT NULL,
    author      TEXT    NOT NULL,
    text        TEXT    NOT NULL CHECK (length(text) BETWEEN 1 AND 2000),
    created_at  INTEGER NOT NULL,
    PRIMARY KEY (customer_id, id)
) WITHOUT ROWID;

-- A card group's blank cards in number order: the desk gives the next one.
CREATE INDEX cards_free ON cards (group_id, id)
    WHERE customer_id IS NULL AND withdrawn_at IS NULL AND blocked = 0;
