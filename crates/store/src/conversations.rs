//! Conversations seen by passive discovery, accumulated per client, server,
//! transport and service port.

use medvigil_model::{Conversation, MacAddr, Peer, TenantId};

use crate::db::{Param, Tx};
use crate::rows::{parse_col, parse_opt, parse_time, time_text};
use crate::{StoreError, TenantStore};

const COLUMNS: &[&str] = &[
    "tenant_id",
    "client_ip",
    "server_ip",
    "transport",
    "port",
    "client_mac",
    "server_mac",
    "protocol",
    "flows",
    "packets",
    "bytes",
    "first_seen",
    "last_seen",
];

/// Counters add up, the time span widens, a protocol once recognised stays.
const ACCUMULATE: &str = "ON CONFLICT (tenant_id, client_ip, server_ip, transport, port) DO UPDATE SET \
     flows = conversations.flows + excluded.flows, \
     packets = conversations.packets + excluded.packets, \
     bytes = conversations.bytes + excluded.bytes, \
     first_seen = CASE WHEN excluded.first_seen < conversations.first_seen \
                  THEN excluded.first_seen ELSE conversations.first_seen END, \
     last_seen = CASE WHEN excluded.last_seen > conversations.last_seen \
                 THEN excluded.last_seen ELSE conversations.last_seen END, \
     protocol = COALESCE(excluded.protocol, conversations.protocol), \
     client_mac = COALESCE(excluded.client_mac, conversations.client_mac), \
     server_mac = COALESCE(excluded.server_mac, conversations.server_mac)";

fn count(n: u64) -> Param<'static> {
    i64::try_from(n).unwrap_or(i64::MAX).into()
}

/// Adds `conversations` (each key at most once) to the tenant's, in `tx`.
pub(crate) async fn insert(
    tx: &mut Tx,
    tenant: TenantId,
    conversations: &[Conversation],
) -> Result<(), StoreError> {
    let tenant = tenant.to_string();
    let mut rows: Vec<Param<'_>> = Vec::with_capacity(conversations.len() * COLUMNS.len());
    for c in conversations {
        rows.extend([
            Param::from(tenant.as_str()),
            c.client.ip.to_string().into(),
            c.server.ip.to_string().into(),
            c.transport.as_str().into(),
            i64::from(c.port).into(),
            c.client.mac.map(|m| m.to_string()).into(),
            c.server.mac.map(|m| m.to_string()).into(),
            c.protocol.as_deref().into(),
            count(c.flows),
            count(c.packets),
            count(c.bytes),
            time_text(c.first_seen).into(),
            time_text(c.last_seen).into(),
        ]);
    }
    tx.insert_rows("conversations", COLUMNS, ACCUMULATE, &rows)
        .await
}

impl TenantStore<'_> {
    /// Adds `conversations` (each key at most once) to the stored ones, in
    /// one transaction.
    ///
    /// # Errors
    /// On database failure (nothing is written then).
    pub async fn record_conversations(
        &self,
        conversations: &[Conversation],
    ) -> Result<(), StoreError> {
        let mut tx = self.store.db.begin().await?;
        insert(&mut tx, self.tenant, conversations).await?;
        tx.commit().await
    }

    /// The stored conversations, most bytes first.
    ///
    /// # Errors
    /// On database failure or corrupt rows.
    pub async fn conversations(&self, limit: Option<u64>) -> Result<Vec<Conversation>, StoreError> {
        let mut sql = format!(
            "SELECT {} FROM conversations WHERE tenant_id = $1 \
             ORDER BY bytes DESC, client_ip, server_ip, transport, port",
            COLUMNS[1..].join(", ")
        );
        if let Some(n) = limit {
            sql.push_str(&format!(" LIMIT {n}"));
        }
        let rows = self
            .store
            .db
            .query(&sql, &[self.tenant.to_string().into()])
            .await?;
        const T: &str = "conversations";
        rows.iter()
            .map(|r| {
                let n = |i: usize, c: &'static str| -> Result<u64, StoreError> {
                    r.int(i).and_then(|v| u64::try_from(v).ok()).ok_or_else(|| {
                        StoreError::Corrupt {
                            table: T,
                            column: c,
                            value: format!("{:?}", r.text(i)),
                        }
                    })
                };
                Ok(Conversation {
                    client: Peer {
                        ip: parse_col(T, "client_ip", r.req(T, "client_ip", 0)?)?,
                        mac: parse_opt::<MacAddr>(T, "client_mac", r.text(4))?,
                    },
                    server: Peer {
                        ip: parse_col(T, "server_ip", r.req(T, "server_ip", 1)?)?,
                        mac: parse_opt::<MacAddr>(T, "server_mac", r.text(5))?,
                    },
                    transport: r.req(T, "transport", 2)?,
                    port: u16::try_from(n(3, "port")?).unwrap_or(0),
                    protocol: r.text(6),
                    flows: n(7, "flows")?,
                    packets: n(8, "packets")?,
                    bytes: n(9, "bytes")?,
                    first_seen: parse_time(T, "first_seen", r.req(T, "first_seen", 10)?)?,
                    last_seen: parse_time(T, "last_seen", r.req(T, "last_seen", 11)?)?,
                })
            })
            .collect()
    }
}
