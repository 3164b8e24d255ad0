-- Console sessions: the cookie's secret is kept as its SHA-256, like tokens.
CREATE TABLE sessions (
    secret_hash bytea       NOT NULL,
    user_id     bigint      NOT NULL,
    -- the token every form of the session carries (CSRF)
    csrf        text        NOT NULL,
    created_at  timestamptz NOT NULL,
    expires_at  timestamptz NOT NULL,
    CONSTRAINT sessions_pkey PRIMARY KEY (secret_hash),
    CONSTRAINT sessions_user_id_fkey FOREIGN KEY (user_id) REFERENCES staff_users (id)
);
CREATE INDEX sessions_user ON sessions (user_id);
CREATE INDEX sessions_expiry ON sessions (expires_at);
