-- Staff users, roles, API tokens, tills and the audit log.
-- Secrets are kept as their SHA-256 (BLOB), passwords as argon2 PHC strings.

CREATE TABLE roles (
    id          INTEGER PRIMARY KEY,
    name        TEXT    NOT NULL UNIQUE,
    -- {"customers": "edit", …}
    permissions TEXT    NOT NULL,
    built_in    INTEGER NOT NULL DEFAULT 0 CHECK (built_in IN (0, 1)),
    created_at  INTEGER NOT NULL
);

CREATE TABLE staff_users (
    id            INTEGER PRIMARY KEY,
    login         TEXT    NOT NULL UNIQUE,
    name          TEXT    NOT NULL,
    role_id       INTEGER NOT NULL REFERENCES roles (id),
    -- JSON array of store ids the user is limited to; [] is all
    stores        TEXT    NOT NULL DEFAULT '[]',
    password_hash TEXT    NOT NULL,
    active        INTEGER NOT NULL DEFAULT 1 CHECK (active IN (0, 1)),
    created_at    INTEGER NOT NULL
);

CREATE TABLE api_tokens (
    id          INTEGER PRIMARY KEY,
    user_id     INTEGER NOT NULL REFERENCES staff_users (id),
    label       TEXT    NOT NULL,
    secret_hash BLOB    NOT NULL UNIQUE,
    created_at  INTEGER NOT NULL,
    revoked_at  INTEGER
);
CREATE INDEX api_tokens_user ON api_tokens (user_id);

CREATE TABLE tills (
    id            INTEGER PRIMARY KEY,
    store_id      INTEGER NOT NULL REFERENCES stores (id),
    name          TEXT    NOT NULL,
    key_hash      BLOB    NOT NULL UNIQUE,
    created_at    INTEGER NOT NULL,
    key_issued_at INTEGER NOT NULL,
    revoked_at    INTEGER
);

CREATE TABLE audit_log (
    id          INTEGER PRIMARY KEY,
    at          INTEGER NOT NULL,
    -- {"kind": "user", "id": 1, "login": "anna"}, {"kind": "till", …}, {"kind": "system", …}
    actor       TEXT    NOT NULL,
    actor_login TEXT,
    ip          TEXT,
    action      TEXT    NOT NULL,
    entity      TEXT    NOT NULL,
    entity_id   TEXT,
    customer_id INTEGER,
    before      TEXT,
    after       TEXT
);
CREATE INDEX audit_log_customer ON audit_log (customer_id, id) WHERE customer_id IS NOT NULL;
CREATE INDEX audit_log_login ON audit_log (actor_login, id) WHERE actor_login IS NOT NULL;
CREATE INDEX audit_log_at ON audit_log (at);

-- Append-only: the log cannot be edited or shortened through SQL either.
CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
BEGIN
    SELECT RAISE(ABORT, 'the audit log is append-only');
END;
CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
BEGIN
    SELECT RAISE(ABORT, 'the audit log is append-only');
END;
