-- The outbox: every message to a customer, with where it is on its way.
-- The worker takes those due (queued or held, due_at passed), decides with
-- the customer as they are then, and records what became of each.
CREATE TABLE messages (
    id           INTEGER PRIMARY KEY,
    customer_id  INTEGER NOT NULL REFERENCES customers (id),
    source       TEXT    NOT NULL,
    -- The channels to try, in order: 'email,sms'.
    channels     TEXT    NOT NULL,
    subject      TEXT,
    body         TEXT    NOT NULL,
    state        TEXT    NOT NULL,
    reason       TEXT,
    -- The channel and address it left over.
    channel      TEXT,
    address      TEXT,
    attempts     INTEGER NOT NULL DEFAULT 0,
    due_at       INTEGER NOT NULL,
    expires_at   INTEGER NOT NULL,
    created_at   INTEGER NOT NULL,
    author_id    INTEGER REFERENCES staff_users (id),
    claimed_at   INTEGER,
    sent_at      INTEGER,
    delivered_at INTEGER,
    -- The provider's id of the message, and its answer to a failure.
    provider_id  TEXT,
    answer       TEXT
);
CREATE INDEX messages_due ON messages (due_at) WHERE state IN ('queued', 'held');
CREATE INDEX messages_sending ON messages (claimed_at) WHERE state = 'sending';
CREATE INDEX messages_customer ON messages (customer_id, id);
CREATE INDEX messages_state ON messages (state, id);

-- The shop's keys, made once: `unsubscribe` signs the links in messages.
CREATE TABLE shop_keys (
    name TEXT PRIMARY KEY,
    key  BLOB NOT NULL
) WITHOUT ROWID;

-- The messages written before there was an outbox were never sent, and no
-- channel could send them then: they are kept as expired.
INSERT INTO messages (id, customer_id, source, channels, body, state, reason,
                      due_at, expires_at, created_at)
SELECT id, customer_id, CASE source WHEN 'birthday' THEN 'birthday' ELSE 'manual' END,
       'push,viber,sms,email', body, 'expired', 'before_outbox', created_at, created_at, created_at
FROM customer_messages;
DROP TABLE customer_messages;
