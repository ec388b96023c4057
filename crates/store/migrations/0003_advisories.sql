-- Advisories (CSAF documents and vulnerability records) and the findings
-- the matching engine derives from them for the tenant's devices.
-- Advisories are public data, but each tenant holds the ones its feeds
-- brought: a tenant's findings never depend on another tenant's imports,
-- and the tables stay distributed by tenant like the rest.

CREATE TABLE advisories (
    tenant_id        TEXT NOT NULL REFERENCES tenants (id),
    format           TEXT NOT NULL,
    id               TEXT NOT NULL,
    version          TEXT,
    title            TEXT,
    publisher        TEXT,
    published        TEXT,
    modified         TEXT,
    vulnerabilities  TEXT NOT NULL,
    origin           TEXT NOT NULL,
    sha256           TEXT NOT NULL,
    diagnostics      TEXT NOT NULL,
    errors           BIGINT NOT NULL,
    document         TEXT NOT NULL,
    imported_at      TEXT NOT NULL,
    PRIMARY KEY (tenant_id, format, id)
);

CREATE TABLE findings (
    tenant_id         TEXT NOT NULL REFERENCES tenants (id),
    device_id         TEXT NOT NULL,
    vulnerability     TEXT NOT NULL,
    advisory_format   TEXT NOT NULL,
    advisory_id       TEXT NOT NULL,
    status            TEXT NOT NULL,
    confidence        BIGINT NOT NULL,
    evidence          TEXT NOT NULL,
    remediation       TEXT,
    found_at          TEXT NOT NULL,
    PRIMARY KEY (tenant_id, device_id, vulnerability, advisory_format, advisory_id),
    FOREIGN KEY (tenant_id, device_id) REFERENCES devices (tenant_id, id),
    FOREIGN KEY (tenant_id, advisory_format, advisory_id)
        REFERENCES advisories (tenant_id, format, id)
);

CREATE INDEX findings_by_advisory ON findings (tenant_id, advisory_format, advisory_id);
