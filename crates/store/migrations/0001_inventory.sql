-- Tenants, sites, provenance and devices.
-- Portable SQL: runs unchanged on SQLite and PostgreSQL.
-- Every table but `tenants` has `tenant_id` first in its primary key, so the
-- schema can be distributed by tenant (e.g. Citus `create_distributed_table`).

CREATE TABLE tenants (
    id          TEXT PRIMARY KEY,
    name        TEXT NOT NULL UNIQUE,
    kind        TEXT NOT NULL,
    created_at  TEXT NOT NULL
);

CREATE TABLE sites (
    tenant_id   TEXT NOT NULL REFERENCES tenants (id),
    id          TEXT NOT NULL,
    name        TEXT NOT NULL,
    PRIMARY KEY (tenant_id, id),
    UNIQUE (tenant_id, name)
);

CREATE TABLE provenance (
    tenant_id   TEXT NOT NULL REFERENCES tenants (id),
    id          TEXT NOT NULL,
    kind        TEXT NOT NULL,
    at          TEXT NOT NULL,
    actor       TEXT NOT NULL,
    detail      TEXT NOT NULL,
    PRIMARY KEY (tenant_id, id)
);

CREATE TABLE devices (
    tenant_id         TEXT NOT NULL REFERENCES tenants (id),
    id                TEXT NOT NULL,
    site_id           TEXT,
    building          TEXT,
    ward              TEXT,
    room              TEXT,
    bed               TEXT,
    vendor            TEXT,
    model             TEXT,
    serial            TEXT,
    asset_tag         TEXT,
    udi_di            TEXT,
    software_version  TEXT,
    firmware_version  TEXT,
    category          TEXT,
    eu_class          TEXT,
    fda_class         TEXT,
    criticality       TEXT,
    owner_team        TEXT,
    mac               TEXT,
    ip                TEXT,
    vlan              BIGINT,
    hostname          TEXT,
    end_of_support    TEXT,
    patchable         BIGINT,
    first_seen        TEXT NOT NULL,
    last_seen         TEXT NOT NULL,
    field_sources     TEXT NOT NULL,
    PRIMARY KEY (tenant_id, id),
    FOREIGN KEY (tenant_id, site_id) REFERENCES sites (tenant_id, id)
);

CREATE INDEX devices_asset_tag ON devices (tenant_id, asset_tag);
CREATE INDEX devices_serial ON devices (tenant_id, serial);
CREATE INDEX devices_mac ON devices (tenant_id, mac);
CREATE INDEX devices_site ON devices (tenant_id, site_id);
