-- The remediation workflow: the current state of each remediation, and its
-- trail of events. The trail is append-only (a trigger per engine, added by
-- the migration code, refuses UPDATE and DELETE); the current row is
-- rewritten in the same transaction as each event it folds.
-- A remediation names a vulnerability, not a finding row: findings are
-- recomputed by every re-match, remediations outlive that.

CREATE TABLE remediations (
    tenant_id       TEXT NOT NULL REFERENCES tenants (id),
    id              TEXT NOT NULL,
    device_id       TEXT NOT NULL,
    vulnerability   TEXT,
    action          TEXT NOT NULL,
    target_version  TEXT,
    owner_team      TEXT NOT NULL,
    status          TEXT NOT NULL,
    due             TEXT,
    accepted_until  TEXT,
    justification   TEXT,
    evidence        TEXT NOT NULL,
    created_at      TEXT NOT NULL,
    updated_at      TEXT NOT NULL,
    PRIMARY KEY (tenant_id, id),
    FOREIGN KEY (tenant_id, device_id) REFERENCES devices (tenant_id, id)
);

CREATE INDEX remediations_by_device ON remediations (tenant_id, device_id);

CREATE TABLE remediation_events (
    tenant_id       TEXT NOT NULL REFERENCES tenants (id),
    remediation_id  TEXT NOT NULL,
    seq             BIGINT NOT NULL,
    at              TEXT NOT NULL,
    actor           TEXT NOT NULL,
    event           TEXT NOT NULL,
    PRIMARY KEY (tenant_id, remediation_id, seq),
    FOREIGN KEY (tenant_id, remediation_id) REFERENCES remediations (tenant_id, id)
);
