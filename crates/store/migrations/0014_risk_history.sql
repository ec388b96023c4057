-- The tenant's risk picture once a day, for the trend over time: devices
-- per priority (by their most urgent finding), remediations still open and
-- overdue. Recorded by the server every hour (today's row is replaced) and
-- by `medvigil report` and `medvigil demo`.
CREATE TABLE risk_history (
    tenant_id       TEXT NOT NULL REFERENCES tenants (id),
    day             TEXT NOT NULL,
    devices         BIGINT NOT NULL,
    p1              BIGINT NOT NULL,
    p2              BIGINT NOT NULL,
    p3              BIGINT NOT NULL,
    p4              BIGINT NOT NULL,
    open_remediations BIGINT NOT NULL,
    overdue         BIGINT NOT NULL,
    recorded_at     TEXT NOT NULL,
    PRIMARY KEY (tenant_id, day)
);
