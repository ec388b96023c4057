//! Reading devices: list with filters, look-up by key, summary.

use std::collections::{BTreeMap, HashMap};

use crate::db::{Param, Row, Tx};
use crate::rows::{parse_col, parse_opt, parse_time};
use crate::{StoreError, TenantStore};
use medvigil_model::{
    Category, Device, DeviceField, DeviceFields, EuClass, FieldSources, Location, ProvenanceId,
};

/// Filters for listing devices. Every filter is optional; text filters are
/// case-insensitive.
#[derive(Clone, Debug, Default)]
pub struct DeviceQuery {
    /// Site name (exact).
    pub site: Option<String>,
    /// Category.
    pub category: Option<Category>,
    /// EU class.
    pub eu_class: Option<EuClass>,
    /// Vendor name contains this.
    pub vendor: Option<String>,
    /// Any of vendor, model, serial, asset tag, host name, IP, MAC, ward contains this.
    pub search: Option<String>,
    /// Only devices with at least one affected finding.
    pub with_findings: bool,
    /// The order (default: asset tag, then id).
    pub order: DeviceOrder,
    /// At most this many devices.
    pub limit: Option<u64>,
    /// Skip this many first.
    pub offset: u64,
}

sort_keys! {
    /// What a device list can be sorted by.
    #[derive(Default)]
    pub enum DeviceSortKey {
        /// Asset tag (the default).
        #[default]
        AssetTag = ("asset_tag", "d.asset_tag"),
        /// Manufacturer.
        Vendor = ("vendor", "d.vendor"),
        /// Model.
        Model = ("model", "d.model"),
        /// Site name.
        Site = ("site", "s.name"),
        /// Category.
        Category = ("category", "d.category"),
        /// EU MDR class.
        EuClass = ("class", "d.eu_class"),
        /// Last recorded or seen.
        LastSeen = ("last_seen", "d.last_seen"),
        /// End of support.
        EndOfSupport = ("end_of_support", "d.end_of_support"),
    }
}

/// A device list's order: a key, ascending or descending, then the device
/// id the same way, so that every order is total and pages never overlap.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct DeviceOrder {
    /// The key.
    pub key: DeviceSortKey,
    /// Descending.
    pub descending: bool,
}

impl DeviceOrder {
    /// `ORDER BY …`. Devices without the value come first ascending and last
    /// descending, said explicitly because SQLite and PostgreSQL default
    /// differently.
    fn sql(self) -> String {
        let c = self.key.column();
        if self.descending {
            format!(" ORDER BY {c} DESC NULLS LAST, d.id DESC")
        } else {
            format!(" ORDER BY {c} NULLS FIRST, d.id")
        }
    }
}

/// Device counts for dashboards and the demo's summary.
#[derive(Clone, Debug, Default, PartialEq, Eq, serde::Serialize)]
pub struct InventorySummary {
    /// All devices.
    pub total: u64,
    /// By site name ("" for none).
    pub by_site: BTreeMap<String, u64>,
    /// By category name ("" for none).
    pub by_category: BTreeMap<String, u64>,
    /// By EU class ("" for none).
    pub by_eu_class: BTreeMap<String, u64>,
    /// Devices whose end of support is before `as_of`.
    pub end_of_support_passed: u64,
    /// Devices recorded as not patchable.
    pub not_patchable: u64,
}

/// The columns of `devices` as written, in bind order.
pub(crate) const WRITE_COLUMNS: [&str; 28] = [
    "tenant_id",
    "id",
    "site_id",
    "building",
    "ward",
    "room",
    "bed",
    "vendor",
    "model",
    "serial",
    "asset_tag",
    "udi_di",
    "software_version",
    "firmware_version",
    "category",
    "eu_class",
    "fda_class",
    "criticality",
    "owner_team",
    "mac",
    "ip",
    "vlan",
    "hostname",
    "end_of_support",
    "patchable",
    "first_seen",
    "last_seen",
    "field_sources",
];

/// The join that names a device's site `s`.
const SITE_JOIN: &str = " LEFT JOIN sites s ON s.tenant_id = d.tenant_id AND s.id = d.site_id";

/// The select list matching [`device_from_row`].
const SELECT: &str = "SELECT d.id, s.name, d.building, d.ward, d.room, d.bed, d.vendor, d.model, d.serial, \
     d.asset_tag, d.udi_di, d.software_version, d.firmware_version, d.category, d.eu_class, d.fda_class, \
     d.criticality, d.owner_team, d.mac, d.ip, d.vlan, d.hostname, d.end_of_support, d.patchable, \
     d.first_seen, d.last_seen, d.field_sources \
     FROM devices d LEFT JOIN sites s ON s.tenant_id = d.tenant_id AND s.id = d.site_id \
     WHERE d.tenant_id = $1";

/// Field sources as stored: provenance id → the fields it set. Grouped by
/// provenance because a device usually has one to three sources, which keeps
/// the column small.
pub(crate) fn sources_to_json(sources: &FieldSources) -> String {
    let mut grouped: BTreeMap<ProvenanceId, Vec<&str>> = BTreeMap::new();
    for (field, prov) in sources {
        grouped.entry(*prov).or_default().push(field.as_str());
    }
    // Written by hand: ids and field names need no escaping, and this runs
    // once per device written.
    let mut out = String::with_capacity(64 + 16 * sources.len());
    out.push('{');
    for (i, (prov, fields)) in grouped.iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        out.push('"');
        out.push_str(&prov.to_string());
        out.push_str("\":[");
        for (j, f) in fields.iter().enumerate() {
            if j > 0 {
                out.push(',');
            }
            out.push('"');
            out.push_str(f);
            out.push('"');
        }
        out.push(']');
    }
    out.push('}');
    out
}

fn sources_from_json(s: String) -> Result<FieldSources, StoreError> {
    let corrupt = || StoreError::Corrupt {
        table: "devices",
        column: "field_sources",
        value: s.clone(),
    };
    let grouped: BTreeMap<String, Vec<String>> = serde_json::from_str(&s).map_err(|_| corrupt())?;
    let mut sources = FieldSources::new();
    for (prov, fields) in grouped {
        let prov: ProvenanceId = prov.parse().map_err(|_| corrupt())?;
        for f in fields {
            sources.insert(f.parse::<DeviceField>().map_err(|_| corrupt())?, prov);
        }
    }
    Ok(sources)
}

/// Decodes device rows. Rows of one listing repeat the same few provenance
/// sets and timestamps (an import stamps all its devices alike), so each
/// distinct value is parsed once.
#[derive(Default)]
struct Decoder {
    sources: HashMap<String, FieldSources>,
    times: HashMap<String, time::OffsetDateTime>,
}

impl Decoder {
    fn time(
        &mut self,
        column: &'static str,
        s: String,
    ) -> Result<time::OffsetDateTime, StoreError> {
        if let Some(t) = self.times.get(&s) {
            return Ok(*t);
        }
        let t = parse_time("devices", column, s.clone())?;
        self.times.insert(s, t);
        Ok(t)
    }

    fn sources(&mut self, s: String) -> Result<FieldSources, StoreError> {
        if let Some(v) = self.sources.get(&s) {
            return Ok(v.clone());
        }
        let v = sources_from_json(s.clone())?;
        self.sources.insert(s, v.clone());
        Ok(v)
    }

    fn all(rows: &[Row]) -> Result<Vec<Device>, StoreError> {
        let mut d = Self::default();
        rows.iter().map(|r| d.device(r)).collect()
    }

    fn device(&mut self, r: &Row) -> Result<Device, StoreError> {
        let text = |i: usize| r.text(i);
        let t = "devices";
        Ok(Device {
            id: parse_col(t, "id", r.req(t, "id", 0)?)?,
            fields: DeviceFields {
                location: Location {
                    site: text(1),
                    building: text(2),
                    ward: text(3),
                    room: text(4),
                    bed: text(5),
                },
                vendor: text(6),
                model: text(7),
                serial: text(8),
                asset_tag: text(9),
                udi_di: parse_opt(t, "udi_di", text(10))?,
                software_version: text(11),
                firmware_version: text(12),
                category: parse_opt(t, "category", text(13))?,
                eu_class: parse_opt(t, "eu_class", text(14))?,
                fda_class: parse_opt(t, "fda_class", text(15))?,
                criticality: parse_opt(t, "criticality", text(16))?,
                owner_team: text(17),
                mac: parse_opt(t, "mac", text(18))?,
                ip: parse_opt(t, "ip", text(19))?,
                vlan: parse_opt(t, "vlan", text(20))?,
                hostname: parse_opt(t, "hostname", text(21))?,
                end_of_support: text(22)
                    .map(|s| {
                        time::Date::parse(
                            &s,
                            time::macros::format_description!("[year]-[month]-[day]"),
                        )
                        .map_err(|_| StoreError::Corrupt {
                            table: t,
                            column: "end_of_support",
                            value: s,
                        })
                    })
                    .transpose()?,
                patchable: r.int(23).map(|p| p != 0),
            },
            first_seen: self.time("first_seen", r.req(t, "first_seen", 24)?)?,
            last_seen: self.time("last_seen", r.req(t, "last_seen", 25)?)?,
            sources: self.sources(r.req(t, "field_sources", 26)?)?,
        })
    }
}

/// Every device of `tenant`, read through `conn` (e.g. inside an import's transaction).
pub(crate) async fn load_all(
    tx: &mut Tx,
    tenant: medvigil_model::TenantId,
) -> Result<Vec<Device>, StoreError> {
    let rows = tx.query(SELECT, &[tenant.to_string().into()]).await?;
    Decoder::all(&rows)
}

/// Escapes `%`, `_` and `\` for a LIKE pattern with `ESCAPE '\'`.
fn like_pattern(s: &str) -> String {
    let mut p = String::from("%");
    for c in s.to_lowercase().chars() {
        if matches!(c, '%' | '_' | '\\') {
            p.push('\\');
        }
        p.push(c);
    }
    p.push('%');
    p
}

impl TenantStore<'_> {
    /// The `WHERE` conditions of `q` (after the tenant's) and their binds
    /// (the tenant is `$1`).
    fn device_filter(&self, q: &DeviceQuery) -> (String, Vec<String>) {
        let mut sql = String::new();
        let mut binds: Vec<String> = vec![self.tenant.to_string()];
        // Binds `value` and returns its placeholder.
        let mut bind = |value: String| {
            binds.push(value);
            format!("${}", binds.len())
        };
        if let Some(site) = &q.site {
            sql.push_str(&format!(" AND s.name = {}", bind(site.clone())));
        }
        if let Some(c) = q.category {
            sql.push_str(&format!(
                " AND d.category = {}",
                bind(c.as_str().to_owned())
            ));
        }
        if let Some(c) = q.eu_class {
            sql.push_str(&format!(
                " AND d.eu_class = {}",
                bind(c.as_str().to_owned())
            ));
        }
        if let Some(v) = &q.vendor {
            sql.push_str(&format!(
                " AND lower(d.vendor) LIKE {} ESCAPE '\\'",
                bind(like_pattern(v))
            ));
        }
        if q.with_findings {
            sql.push_str(
                // Uncorrelated, so it runs once (the findings primary key
                // starts with the tenant).
                " AND d.id IN (SELECT f.device_id FROM findings f \
                 WHERE f.tenant_id = $1 AND f.status = 'affected')",
            );
        }
        if let Some(s) = &q.search {
            let p = bind(like_pattern(s));
            let cols = [
                "d.vendor",
                "d.model",
                "d.serial",
                "d.asset_tag",
                "d.hostname",
                "d.ip",
                "d.mac",
                "d.ward",
            ];
            let cond = cols
                .map(|c| format!("lower({c}) LIKE {p} ESCAPE '\\'"))
                .join(" OR ");
            sql.push_str(&format!(" AND ({cond})"));
        }
        (sql, binds)
    }

    /// Devices matching `q`, in its order, its page only (`limit`, `offset`).
    ///
    /// # Errors
    /// On database failure or corrupt rows.
    pub async fn devices(&self, q: &DeviceQuery) -> Result<Vec<Device>, StoreError> {
        let (filter, binds) = self.device_filter(q);
        let order = q.order.sql();
        let sql = match q.limit {
            // The page's ids first, then their rows: the skipped rows of a
            // deep page are read from an index in list order (covering for
            // the default order and the category filter), not each from
            // the table (measured: 3 ms of 4 at page 50 of 100,000).
            Some(limit) => {
                let join = if q.site.is_some() || q.order.key == DeviceSortKey::Site {
                    SITE_JOIN
                } else {
                    ""
                };
                // `CROSS JOIN` makes SQLite read the page first, then its rows
                // by key (PostgreSQL takes it as a plain join): with `IN (…)`
                // or a plain join, SQLite preferred to walk the whole tenant in
                // list order to spare itself sorting 50 rows (40 ms a page).
                let (columns, _) = SELECT.split_once(" FROM ").unwrap_or((SELECT, ""));
                format!(
                    "{columns} FROM (SELECT d.id FROM devices d{join} \
                     WHERE d.tenant_id = $1{filter}{order} LIMIT {limit} OFFSET {}) page \
                     CROSS JOIN devices d{SITE_JOIN} \
                     WHERE d.tenant_id = $1 AND d.id = page.id{order}",
                    q.offset
                )
            }
            // SQLite needs a LIMIT before OFFSET; -1 means none there, and PostgreSQL takes ALL.
            None if q.offset > 0 => {
                format!(
                    "{SELECT}{filter}{order} LIMIT {} OFFSET {}",
                    i64::MAX,
                    q.offset
                )
            }
            None => format!("{SELECT}{filter}{order}"),
        };
        let params: Vec<Param<'_>> = binds.into_iter().map(Param::from).collect();
        let rows = self.store.db.query(&sql, &params).await?;
        Decoder::all(&rows)
    }

    /// How many devices match `q` (its order, limit and offset aside): the
    /// total of a paged list.
    ///
    /// # Errors
    /// On database failure.
    pub async fn device_count(&self, q: &DeviceQuery) -> Result<u64, StoreError> {
        let (filter, binds) = self.device_filter(q);
        // The sites join only when a condition names the site.
        let join = if q.site.is_some() { SITE_JOIN } else { "" };
        let sql = format!("SELECT COUNT(*) FROM devices d{join} WHERE d.tenant_id = $1{filter}");
        let params: Vec<Param<'_>> = binds.into_iter().map(Param::from).collect();
        self.store.counts.count(&self.store.db, &sql, &params).await
    }

    /// The device whose id, asset tag, serial number, MAC address or host
    /// name is `key`. An id match wins, then an asset tag: both are
    /// indexed, and are looked up first; serial, MAC and host name have no
    /// index (see migration 0002) and cost a scan of the tenant.
    ///
    /// # Errors
    /// [`StoreError::NotFound`] when none matches; on database failure.
    pub async fn device(&self, key: &str) -> Result<Device, StoreError> {
        let key = key.trim();
        // One look-up per index: with an OR between them (and ORDER BY
        // id) SQLite walked the primary key through the whole tenant.
        for sql in [
            format!("{SELECT} AND d.id = $2"),
            format!("{SELECT} AND d.asset_tag = $2 ORDER BY d.id LIMIT 1"),
        ] {
            let rows = self
                .store
                .db
                .query(&sql, &[self.tenant.to_string().into(), key.into()])
                .await?;
            if let Some(r) = rows.first() {
                return Decoder::default().device(r);
            }
        }
        let mac = key
            .parse::<medvigil_model::MacAddr>()
            .ok()
            .map(|m| m.to_string())
            .unwrap_or_default();
        let sql = format!(
            "{SELECT} AND (d.serial = $2 OR d.mac = $3 OR d.hostname = lower($2)) \
             ORDER BY d.id LIMIT 1"
        );
        let rows = self
            .store
            .db
            .query(
                &sql,
                &[self.tenant.to_string().into(), key.into(), mac.into()],
            )
            .await?;
        match rows.first() {
            Some(r) => Decoder::default().device(r),
            None => Err(StoreError::NotFound {
                what: "device",
                key: key.to_owned(),
            }),
        }
    }

    /// Device counts by site, category and class; end-of-support passed as of `as_of`.
    ///
    /// # Errors
    /// On database failure.
    pub async fn summary(&self, as_of: time::Date) -> Result<InventorySummary, StoreError> {
        let tenant = self.tenant.to_string();
        let mut s = InventorySummary::default();
        let group = |expr: &str| {
            format!(
                "SELECT COALESCE({expr}, ''), COUNT(*) FROM devices d LEFT JOIN sites s \
                 ON s.tenant_id = d.tenant_id AND s.id = d.site_id WHERE d.tenant_id = $1 GROUP BY 1"
            )
        };
        for (expr, map) in [
            ("s.name", &mut s.by_site),
            ("d.category", &mut s.by_category),
            ("d.eu_class", &mut s.by_eu_class),
        ] {
            let rows = self
                .store
                .db
                .query(&group(expr), &[tenant.as_str().into()])
                .await?;
            for r in rows {
                let n = r.int(1).unwrap_or(0);
                map.insert(r.text(0).unwrap_or_default(), u64::try_from(n).unwrap_or(0));
            }
        }
        let rows = self
            .store
            .db
            .query(
                "SELECT COUNT(*), \
                 SUM(CASE WHEN end_of_support < $2 THEN 1 ELSE 0 END), \
                 SUM(CASE WHEN patchable = 0 THEN 1 ELSE 0 END) \
                 FROM devices WHERE tenant_id = $1",
                &[tenant.as_str().into(), as_of.to_string().into()],
            )
            .await?;
        let count = |i: usize| {
            rows.first()
                .and_then(|r| r.int(i))
                .and_then(|n| u64::try_from(n).ok())
                .unwrap_or(0)
        };
        s.total = count(0);
        s.end_of_support_passed = count(1);
        s.not_patchable = count(2);
        Ok(s)
    }
}
