-- Accounts of the server: users (one role each, in one tenant), browser
-- sessions, API tokens, and the append-only audit log (a trigger per
-- engine, added by the migration code, refuses UPDATE and DELETE).
-- Secrets are never stored: sessions and tokens by their SHA-256 (hex),
-- passwords as argon2id PHC strings.
-- A user name is unique in the installation, since it is what a login
-- names before any tenant is known: `users_by_username` is the one unique
-- index that does not lead with tenant_id (on a distributed engine it is
-- enforced on the reference side, or the table made a reference table).

CREATE TABLE users (
    tenant_id       TEXT NOT NULL REFERENCES tenants (id),
    id              TEXT NOT NULL,
    username        TEXT NOT NULL,
    email           TEXT,
    role            TEXT NOT NULL,
    password_hash   TEXT NOT NULL,
    created_at      TEXT NOT NULL,
    disabled        BIGINT NOT NULL DEFAULT 0,
    PRIMARY KEY (tenant_id, id)
);

CREATE UNIQUE INDEX users_by_username ON users (username);

CREATE TABLE sessions (
    tenant_id       TEXT NOT NULL REFERENCES tenants (id),
    id_hash         TEXT NOT NULL,
    user_id         TEXT NOT NULL,
    created_at      TEXT NOT NULL,
    last_seen       TEXT NOT NULL,
    PRIMARY KEY (tenant_id, id_hash),
    FOREIGN KEY (tenant_id, user_id) REFERENCES users (tenant_id, id)
);

CREATE INDEX sessions_by_hash ON sessions (id_hash);

CREATE TABLE api_tokens (
    tenant_id       TEXT NOT NULL REFERENCES tenants (id),
    id              TEXT NOT NULL,
    hash            TEXT NOT NULL,
    user_id         TEXT NOT NULL,
    scopes          TEXT NOT NULL,
    created_at      TEXT NOT NULL,
    expires_at      TEXT,
    revoked_at      TEXT,
    PRIMARY KEY (tenant_id, id),
    FOREIGN KEY (tenant_id, user_id) REFERENCES users (tenant_id, id)
);

CREATE INDEX api_tokens_by_id ON api_tokens (id);

CREATE TABLE audit_log (
    tenant_id       TEXT NOT NULL REFERENCES tenants (id),
    id              TEXT NOT NULL,
    at              TEXT NOT NULL,
    actor           TEXT NOT NULL,
    action          TEXT NOT NULL,
    target          TEXT,
    detail          TEXT NOT NULL,
    PRIMARY KEY (tenant_id, id)
);

CREATE INDEX audit_log_by_time ON audit_log (tenant_id, at);
