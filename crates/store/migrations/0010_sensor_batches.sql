-- Batches a site sensor sent (POST /api/v1/discovery/batches), one row per
-- batch id the sensor chose. Written in the transaction that merges the
-- batch, so a batch resent after a lost acknowledgement is applied once.

CREATE TABLE sensor_batches (
    tenant_id      TEXT NOT NULL REFERENCES tenants (id),
    batch_id       TEXT NOT NULL,
    sensor         TEXT NOT NULL,
    received_at    TEXT NOT NULL,
    provenance_id  TEXT NOT NULL,
    devices        BIGINT NOT NULL,
    conversations  BIGINT NOT NULL,
    PRIMARY KEY (tenant_id, batch_id)
)
