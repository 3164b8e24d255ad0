-- The console's one-time form tokens: a form sent twice (a double click, a
-- page sent again, a second server behind the same database) does its work
-- once. Not a customer's row: keyed by the token alone.
CREATE TABLE form_tokens (
    token      TEXT    PRIMARY KEY,
    -- where the first sending led; NULL while its work is under way
    target     TEXT,
    claimed_at INTEGER NOT NULL,
    expires_at INTEGER NOT NULL
) WITHOUT ROWID;
CREATE INDEX form_tokens_expiry ON form_tokens (expires_at);
