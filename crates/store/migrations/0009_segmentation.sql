-- Segmentation policies: each proposal (zones file + learned policy) kept
-- with its review: proposed → approved (the previous approved one becomes
-- superseded) or rejected. At most one approved policy per tenant; whether
-- it is enforced on the network is recorded, because only an enforced
-- policy lowers a device's exposure.

CREATE TABLE segmentation_policies (
    tenant_id    TEXT NOT NULL REFERENCES tenants (id),
    number       BIGINT NOT NULL,
    status       TEXT NOT NULL,
    zones_toml   TEXT NOT NULL,
    policy_json  TEXT NOT NULL,
    note         TEXT,
    proposed_at  TEXT NOT NULL,
    proposed_by  TEXT NOT NULL,
    decided_at   TEXT,
    decided_by   TEXT,
    enforced     BIGINT NOT NULL,
    PRIMARY KEY (tenant_id, number)
)
