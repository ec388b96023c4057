-- Who talks to whom: passive discovery's flows summed per client, server,
-- transport and service port, accumulated over every capture imported.
-- Input of network segmentation (which flows a zone boundary must allow).

CREATE TABLE conversations (
    tenant_id    TEXT NOT NULL REFERENCES tenants (id),
    client_ip    TEXT NOT NULL,
    server_ip    TEXT NOT NULL,
    transport    TEXT NOT NULL,
    port         BIGINT NOT NULL,
    client_mac   TEXT,
    server_mac   TEXT,
    protocol     TEXT,
    flows        BIGINT NOT NULL,
    packets      BIGINT NOT NULL,
    bytes        BIGINT NOT NULL,
    first_seen   TEXT NOT NULL,
    last_seen    TEXT NOT NULL,
    PRIMARY KEY (tenant_id, client_ip, server_ip, transport, port)
)
