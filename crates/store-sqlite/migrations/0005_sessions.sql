-- Console sessions: the cookie's secret is kept as its SHA-256, like tokens.
CREATE TABLE sessions (
    secret_hash BLOB    PRIMARY KEY,
    user_id     INTEGER NOT NULL REFERENCES staff_users (id),
    -- the token every form of the session carries (CSRF)
    csrf        TEXT    NOT NULL,
    created_at  INTEGER NOT NULL,
    expires_at  INTEGER NOT NULL
) WITHOUT ROWID;
CREATE INDEX sessions_user ON sessions (user_id);
CREATE INDEX sessions_expiry ON sessions (expires_at);
