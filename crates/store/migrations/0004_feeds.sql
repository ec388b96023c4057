-- Advisory feeds a tenant subscribes to: the feed configuration (JSON, as
-- the feeds crate defines it), where its mirror lives, and the last sync.

CREATE TABLE feeds (
    tenant_id    TEXT NOT NULL REFERENCES tenants (id),
    name         TEXT NOT NULL,
    config       TEXT NOT NULL,
    mirror       TEXT NOT NULL,
    created_at   TEXT NOT NULL,
    last_sync    TEXT,
    last_report  TEXT,
    PRIMARY KEY (tenant_id, name)
)
