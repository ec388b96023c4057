//! Advisories and findings: storing what the feeds brought and what the
//! matching engine derived from it, one advisory's findings replaced at once.

use std::collections::HashMap;

use medvigil_model::DeviceId;

use crate::db::{Param, Row};
use crate::rows::{now_text, parse_col};
use crate::{StoreError, TenantStore};

/// What identifies and describes an advisory, stored and listed alike.
#[derive(Clone, Debug, serde::Serialize)]
pub struct AdvisoryMeta {
    /// `csaf`, `osv`, `cve5` or `nvd`.
    pub format: String,
    /// `document.tracking.id` or the record id.
    pub id: String,
    /// `document.tracking.version`, or the record's modification time.
    pub version: Option<String>,
    /// Title or summary.
    pub title: Option<String>,
    /// Publisher name.
    pub publisher: Option<String>,
    /// First publication (RFC 3339, as written).
    pub published: Option<String>,
    /// Last revision (RFC 3339, as written).
    pub modified: Option<String>,
    /// Vulnerability ids (CVE…) it covers.
    pub vulnerabilities: Vec<String>,
    /// File path or URL it was read from.
    pub origin: String,
    /// SHA-256 of the bytes read, hex.
    pub sha256: String,
}

/// An advisory to store: a CSAF document or a vulnerability record, with
/// what was learnt reading it. The caller parses; the store keeps the text.
#[derive(Clone, Debug)]
pub struct NewAdvisory {
    /// What identifies and describes it.
    pub meta: AdvisoryMeta,
    /// Validation findings and reader diagnostics, as a JSON array.
    pub diagnostics: String,
    /// How many of those are errors (failed mandatory tests).
    pub errors: u64,
    /// The document as read.
    pub document: String,
}

/// A finding to store: one vulnerability of one advisory on one device.
#[derive(Clone, Debug)]
pub struct NewFinding {
    /// The device.
    pub device: DeviceId,
    /// Vulnerability id (CVE…, or the advisory's own id when it has none).
    pub vulnerability: String,
    /// `affected`, `not_affected`, `fixed` or `under_investigation`.
    pub status: String,
    /// Match confidence, 0–100.
    pub confidence: u8,
    /// Why it matched, as JSON.
    pub evidence: String,
    /// The vendor's remediation, as JSON, when there is one.
    pub remediation: Option<String>,
}

/// What storing one advisory did.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize)]
pub enum AdvisoryChange {
    /// It was new.
    New,
    /// A different revision replaced the stored one (and its findings).
    Updated,
    /// The same bytes were already stored: nothing written.
    Unchanged,
}

/// An advisory as listed.
#[derive(Clone, Debug, serde::Serialize)]
pub struct AdvisorySummary {
    /// What identifies and describes it.
    #[serde(flatten)]
    pub meta: AdvisoryMeta,
    /// Failed mandatory tests.
    pub errors: u64,
    /// Findings it gives on the tenant's devices (status affected).
    pub affected_devices: u64,
}

/// A stored advisory in full.
#[derive(Clone, Debug, serde::Serialize)]
pub struct AdvisoryDetail {
    /// What the list shows.
    #[serde(flatten)]
    pub summary: AdvisorySummary,
    /// Validation findings and diagnostics (JSON array).
    pub diagnostics: serde_json::Value,
    /// When it was stored.
    pub imported_at: String,
    /// The document as read.
    #[serde(skip)]
    pub document: String,
}

/// Which advisories to list.
#[derive(Clone, Debug, Default)]
pub struct AdvisoryQuery {
    /// In the id, title, publisher or vulnerability ids (case-insensitive).
    pub search: Option<String>,
    /// The order (default: last modified first).
    pub order: Option<(AdvisorySortKey, bool)>,
    /// At most this many.
    pub limit: Option<u64>,
    /// Skip this many first.
    pub offset: u64,
}

sort_keys! {
    /// What an advisory list can be sorted by (with a descending flag beside it).
    pub enum AdvisorySortKey {
        /// Advisory id.
        Id = ("id", "a.id"),
        /// Title.
        Title = ("title", "a.title"),
        /// Publisher.
        Publisher = ("publisher", "a.publisher"),
        /// First published.
        Published = ("published", "a.published"),
        /// Last modified.
        Modified = ("modified", "a.modified"),
    }
}

/// Which findings to list.
#[derive(Clone, Debug, Default)]
pub struct FindingQuery {
    /// One device (id).
    pub device: Option<DeviceId>,
    /// Devices of this site (name).
    pub site: Option<String>,
    /// One advisory (id, any format).
    pub advisory: Option<String>,
    /// One status (`affected` …).
    pub status: Option<String>,
    /// Confidence at least this.
    pub min_confidence: Option<u8>,
    /// Only findings whose vulnerability is in the CISA KEV catalog.
    pub kev_only: bool,
    /// The order (default: most confident first, then asset tag,
    /// vulnerability and advisory).
    pub order: Option<(FindingSortKey, bool)>,
    /// At most this many.
    pub limit: Option<u64>,
    /// Skip this many first.
    pub offset: u64,
}

sort_keys! {
    /// What a finding list can be sorted by (with a descending flag beside it).
    pub enum FindingSortKey {
        /// Vulnerability id.
        Vulnerability = ("vulnerability", "f.vulnerability"),
        /// The device's asset tag.
        AssetTag = ("asset_tag", "d.asset_tag"),
        /// Match confidence.
        Confidence = ("confidence", "f.confidence"),
        /// EPSS score.
        Epss = ("epss", "CAST(e.score AS REAL)"),
        /// When it was found.
        FoundAt = ("found_at", "f.found_at"),
    }
}

/// The finding list's joins, from `findings f` on.
const FINDING_FROM: &str = "FROM findings f JOIN devices d ON d.tenant_id = f.tenant_id AND d.id = f.device_id \
     LEFT JOIN sites s ON s.tenant_id = d.tenant_id AND s.id = d.site_id \
     LEFT JOIN kev k ON k.tenant_id = f.tenant_id AND k.cve = f.vulnerability \
     LEFT JOIN epss e ON e.tenant_id = f.tenant_id AND e.cve = f.vulnerability \
     WHERE f.tenant_id = $1";

/// A finding as listed, with what identifies its device.
#[derive(Clone, Debug, serde::Serialize)]
pub struct FindingRow {
    /// The device.
    pub device: DeviceId,
    /// Its asset tag.
    pub asset_tag: Option<String>,
    /// Its vendor.
    pub vendor: Option<String>,
    /// Its model.
    pub model: Option<String>,
    /// Its software version.
    pub software_version: Option<String>,
    /// Its firmware version.
    pub firmware_version: Option<String>,
    /// Its site.
    pub site: Option<String>,
    /// Vulnerability id.
    pub vulnerability: String,
    /// Advisory format.
    pub advisory_format: String,
    /// Advisory id.
    pub advisory: String,
    /// Status.
    pub status: String,
    /// Confidence, 0–100.
    pub confidence: u8,
    /// Evidence (JSON).
    pub evidence: serde_json::Value,
    /// Remediation (JSON).
    pub remediation: Option<serde_json::Value>,
    /// When it was found.
    pub found_at: String,
    /// The vulnerability is in the CISA KEV catalog (known exploited).
    pub kev: bool,
    /// Its EPSS score, as published.
    pub epss: Option<String>,
    /// Its EPSS percentile, as published.
    pub epss_percentile: Option<String>,
}

const ADVISORY_COLUMNS: &[&str] = &[
    "tenant_id",
    "format",
    "id",
    "version",
    "title",
    "publisher",
    "published",
    "modified",
    "vulnerabilities",
    "origin",
    "sha256",
    "diagnostics",
    "errors",
    "document",
    "imported_at",
];

const FINDING_COLUMNS: &[&str] = &[
    "tenant_id",
    "device_id",
    "vulnerability",
    "advisory_format",
    "advisory_id",
    "status",
    "confidence",
    "evidence",
    "remediation",
    "found_at",
];

const SUMMARY_SELECT: &str = "SELECT a.format, a.id, a.version, a.title, a.publisher, a.published, \
     a.modified, a.vulnerabilities, a.origin, a.sha256, a.errors, \
     (SELECT COUNT(DISTINCT f.device_id) FROM findings f WHERE f.tenant_id = a.tenant_id \
      AND f.advisory_format = a.format AND f.advisory_id = a.id AND f.status = 'affected')";

fn summary(r: &Row) -> Result<AdvisorySummary, StoreError> {
    let vulns = r.req("advisories", "vulnerabilities", 7)?;
    Ok(AdvisorySummary {
        meta: AdvisoryMeta {
            format: r.req("advisories", "format", 0)?,
            id: r.req("advisories", "id", 1)?,
            version: r.text(2),
            title: r.text(3),
            publisher: r.text(4),
            published: r.text(5),
            modified: r.text(6),
            vulnerabilities: vulns.split_whitespace().map(str::to_owned).collect(),
            origin: r.req("advisories", "origin", 8)?,
            sha256: r.req("advisories", "sha256", 9)?,
        },
        errors: r.int(10).unwrap_or(0).try_into().unwrap_or(0),
        affected_devices: r.int(11).unwrap_or(0).try_into().unwrap_or(0),
    })
}

fn json_col(
    table: &'static str,
    column: &'static str,
    s: String,
) -> Result<serde_json::Value, StoreError> {
    serde_json::from_str(&s).map_err(|_| StoreError::Corrupt {
        table,
        column,
        value: s,
    })
}

impl TenantStore<'_> {
    /// `(format, id) → sha256` of every stored advisory, so a caller can skip
    /// unchanged documents before matching them.
    ///
    /// # Errors
    /// On database failure.
    pub async fn advisory_hashes(&self) -> Result<HashMap<(String, String), String>, StoreError> {
        let rows = self
            .store
            .db
            .query(
                "SELECT format, id, sha256 FROM advisories WHERE tenant_id = $1",
                &[self.tenant.to_string().into()],
            )
            .await?;
        rows.iter()
            .map(|r| {
                Ok((
                    (
                        r.req("advisories", "format", 0)?,
                        r.req("advisories", "id", 1)?,
                    ),
                    r.req("advisories", "sha256", 2)?,
                ))
            })
            .collect()
    }

    /// Stores advisories with their findings, in one transaction: an
    /// advisory already stored with other bytes is replaced together with
    /// all its findings (so a revision that fixes a product removes its
    /// findings); one stored with the same bytes is left alone.
    ///
    /// # Errors
    /// On database failure (nothing is written then).
    pub async fn store_advisories(
        &self,
        items: &[(NewAdvisory, Vec<NewFinding>)],
    ) -> Result<Vec<AdvisoryChange>, StoreError> {
        let known = self.advisory_hashes().await?;
        let tenant = self.tenant.to_string();
        let now = now_text();
        let mut tx = self.store.db.begin().await?;
        let mut changes = Vec::with_capacity(items.len());
        let mut advisory_rows: Vec<Param<'_>> = Vec::new();
        let mut finding_rows: Vec<Param<'_>> = Vec::new();
        for (a, findings) in items {
            let change = match known.get(&(a.meta.format.clone(), a.meta.id.clone())) {
                Some(sha) if *sha == a.meta.sha256 => AdvisoryChange::Unchanged,
                Some(_) => AdvisoryChange::Updated,
                None => AdvisoryChange::New,
            };
            changes.push(change);
            if change == AdvisoryChange::Unchanged {
                continue;
            }
            if change == AdvisoryChange::Updated {
                let key = [
                    Param::from(tenant.as_str()),
                    a.meta.format.as_str().into(),
                    a.meta.id.as_str().into(),
                ];
                tx.execute(
                    "DELETE FROM findings WHERE tenant_id = $1 AND advisory_format = $2 AND advisory_id = $3",
                    &key,
                )
                .await?;
                tx.execute(
                    "DELETE FROM advisories WHERE tenant_id = $1 AND format = $2 AND id = $3",
                    &key,
                )
                .await?;
            }
            advisory_rows.extend([
                Param::from(tenant.as_str()),
                a.meta.format.as_str().into(),
                a.meta.id.as_str().into(),
                a.meta.version.as_deref().into(),
                a.meta.title.as_deref().into(),
                a.meta.publisher.as_deref().into(),
                a.meta.published.as_deref().into(),
                a.meta.modified.as_deref().into(),
                a.meta.vulnerabilities.join(" ").into(),
                a.meta.origin.as_str().into(),
                a.meta.sha256.as_str().into(),
                a.diagnostics.as_str().into(),
                i64::try_from(a.errors).unwrap_or(i64::MAX).into(),
                a.document.as_str().into(),
                now.as_str().into(),
            ]);
            for f in findings {
                finding_rows.extend([
                    Param::from(tenant.as_str()),
                    f.device.to_string().into(),
                    f.vulnerability.as_str().into(),
                    a.meta.format.as_str().into(),
                    a.meta.id.as_str().into(),
                    f.status.as_str().into(),
                    i64::from(f.confidence).into(),
                    f.evidence.as_str().into(),
                    f.remediation.as_deref().into(),
                    now.as_str().into(),
                ]);
            }
        }
        // Advisories first: findings reference them.
        tx.insert_rows("advisories", ADVISORY_COLUMNS, "", &advisory_rows)
            .await?;
        tx.insert_rows(
            "findings",
            FINDING_COLUMNS,
            "ON CONFLICT DO NOTHING",
            &finding_rows,
        )
        .await?;
        tx.commit().await?;
        Ok(changes)
    }

    /// Replaces every finding of the tenant with `findings`, keyed by
    /// advisory `(format, id)`, in one transaction (a full re-match).
    ///
    /// # Errors
    /// On database failure (nothing is written then).
    pub async fn replace_findings(
        &self,
        findings: &[((String, String), NewFinding)],
    ) -> Result<(), StoreError> {
        let tenant = self.tenant.to_string();
        let now = now_text();
        let mut tx = self.store.db.begin().await?;
        // A finding found again keeps the time it was first found.
        let existing = tx
            .query(
                "SELECT device_id, vulnerability, advisory_format, advisory_id, found_at \
                 FROM findings WHERE tenant_id = $1",
                &[tenant.as_str().into()],
            )
            .await?;
        let mut found_at: HashMap<(String, String, String, String), String> = HashMap::new();
        for r in &existing {
            if let (Some(d), Some(v), Some(f), Some(a), Some(t)) =
                (r.text(0), r.text(1), r.text(2), r.text(3), r.text(4))
            {
                found_at.insert((d, v, f, a), t);
            }
        }
        tx.execute(
            "DELETE FROM findings WHERE tenant_id = $1",
            &[tenant.as_str().into()],
        )
        .await?;
        let mut rows: Vec<Param<'_>> = Vec::with_capacity(findings.len() * FINDING_COLUMNS.len());
        for ((format, id), f) in findings {
            let device = f.device.to_string();
            let first = found_at
                .get(&(
                    device.clone(),
                    f.vulnerability.clone(),
                    format.clone(),
                    id.clone(),
                ))
                .cloned()
                .unwrap_or_else(|| now.clone());
            rows.extend([
                Param::from(tenant.as_str()),
                device.into(),
                f.vulnerability.as_str().into(),
                format.as_str().into(),
                id.as_str().into(),
                f.status.as_str().into(),
                i64::from(f.confidence).into(),
                f.evidence.as_str().into(),
                f.remediation.as_deref().into(),
                first.into(),
            ]);
        }
        tx.insert_rows("findings", FINDING_COLUMNS, "ON CONFLICT DO NOTHING", &rows)
            .await?;
        tx.commit().await
    }

    /// The stored advisories, newest revision first; `search` filters on
    /// id, title, publisher and vulnerability ids (case-insensitive).
    ///
    /// # Errors
    /// On database failure or corrupt rows.
    pub async fn advisories(
        &self,
        search: Option<&str>,
        limit: Option<u64>,
    ) -> Result<Vec<AdvisorySummary>, StoreError> {
        self.advisory_list(&AdvisoryQuery {
            search: search.map(str::to_owned),
            limit,
            ..AdvisoryQuery::default()
        })
        .await
    }

    /// Advisories `q` selects, in its order, its page only.
    ///
    /// # Errors
    /// On database failure or corrupt rows.
    pub async fn advisory_list(
        &self,
        q: &AdvisoryQuery,
    ) -> Result<Vec<AdvisorySummary>, StoreError> {
        let (filter, binds) = self.advisory_filter(q);
        let mut sql = format!("{SUMMARY_SELECT} FROM advisories a WHERE a.tenant_id = $1{filter}");
        // Format and id last: every order is total, pages never overlap.
        match q.order {
            None => sql.push_str(" ORDER BY a.modified DESC, a.id, a.format"),
            Some((k, false)) => {
                sql.push_str(&format!(
                    " ORDER BY {} NULLS FIRST, a.id, a.format",
                    k.column()
                ));
            }
            Some((k, true)) => sql.push_str(&format!(
                " ORDER BY {} DESC NULLS LAST, a.id DESC, a.format DESC",
                k.column()
            )),
        }
        match q.limit {
            Some(n) => sql.push_str(&format!(" LIMIT {n} OFFSET {}", q.offset)),
            None if q.offset > 0 => {
                sql.push_str(&format!(" LIMIT {} OFFSET {}", i64::MAX, q.offset));
            }
            None => {}
        }
        let rows = self.store.db.query(&sql, &binds).await?;
        rows.iter().map(summary).collect()
    }

    /// How many advisories `q` selects (its order, limit and offset aside).
    ///
    /// # Errors
    /// On database failure.
    pub async fn advisory_count(&self, q: &AdvisoryQuery) -> Result<u64, StoreError> {
        let (filter, binds) = self.advisory_filter(q);
        self.store
            .counts
            .count(
                &self.store.db,
                &format!("SELECT COUNT(*) FROM advisories a WHERE a.tenant_id = $1{filter}"),
                &binds,
            )
            .await
    }

    fn advisory_filter(&self, q: &AdvisoryQuery) -> (String, Vec<Param<'static>>) {
        let mut binds: Vec<Param<'static>> = vec![self.tenant.to_string().into()];
        let mut sql = String::new();
        if let Some(s) = &q.search {
            binds.push(format!("%{}%", s.to_lowercase()).into());
            sql.push_str(
                " AND (LOWER(a.id) LIKE $2 OR LOWER(COALESCE(a.title, '')) LIKE $2 \
                 OR LOWER(COALESCE(a.publisher, '')) LIKE $2 OR LOWER(a.vulnerabilities) LIKE $2)",
            );
        }
        (sql, binds)
    }

    /// Every stored advisory's origin and document text, in one query (for
    /// re-reading them all).
    ///
    /// # Errors
    /// On database failure or corrupt rows.
    pub async fn advisory_documents(&self) -> Result<Vec<(String, String)>, StoreError> {
        let rows = self
            .store
            .db
            .query(
                "SELECT origin, document FROM advisories WHERE tenant_id = $1 ORDER BY format, id",
                &[self.tenant.to_string().into()],
            )
            .await?;
        rows.iter()
            .map(|r| {
                Ok((
                    r.req("advisories", "origin", 0)?,
                    r.req("advisories", "document", 1)?,
                ))
            })
            .collect()
    }

    /// One advisory by id (any format; the first by format name when ids
    /// collide across formats, e.g. a CVE from CVE 5 and from NVD).
    ///
    /// # Errors
    /// [`StoreError::NotFound`] when there is none.
    pub async fn advisory(&self, id: &str) -> Result<AdvisoryDetail, StoreError> {
        let sql = format!(
            "{SUMMARY_SELECT}, a.diagnostics, a.imported_at, a.document FROM advisories a \
             WHERE a.tenant_id = $1 AND (a.id = $2 OR LOWER(a.id) = LOWER($2)) ORDER BY a.format LIMIT 1"
        );
        let rows = self
            .store
            .db
            .query(&sql, &[self.tenant.to_string().into(), id.into()])
            .await?;
        let r = rows.first().ok_or_else(|| StoreError::NotFound {
            what: "advisory",
            key: id.to_owned(),
        })?;
        Ok(AdvisoryDetail {
            summary: summary(r)?,
            diagnostics: json_col(
                "advisories",
                "diagnostics",
                r.req("advisories", "diagnostics", 12)?,
            )?,
            imported_at: r.req("advisories", "imported_at", 13)?,
            document: r.req("advisories", "document", 14)?,
        })
    }

    /// How many findings match `q` (its order, limit and offset aside).
    ///
    /// # Errors
    /// On database failure.
    pub async fn finding_count(&self, q: &FindingQuery) -> Result<u64, StoreError> {
        let (filter, binds) = self.finding_filter(q);
        self.store
            .counts
            .count(
                &self.store.db,
                &format!("SELECT COUNT(*) {FINDING_FROM}{filter}"),
                &binds,
            )
            .await
    }

    /// The conditions of `q` after the tenant's, and every bind (`$1` the tenant).
    fn finding_filter(&self, q: &FindingQuery) -> (String, Vec<Param<'static>>) {
        let mut sql = String::new();
        let mut binds: Vec<Param<'static>> = vec![self.tenant.to_string().into()];
        let mut bind = |sql: &mut String, clause: &str, value: Param<'static>| {
            binds.push(value);
            sql.push_str(&clause.replace('?', &format!("${}", binds.len())));
        };
        if let Some(d) = q.device {
            bind(&mut sql, " AND f.device_id = ?", d.to_string().into());
        }
        if let Some(s) = &q.site {
            bind(&mut sql, " AND s.name = ?", s.clone().into());
        }
        if let Some(a) = &q.advisory {
            bind(
                &mut sql,
                " AND LOWER(f.advisory_id) = LOWER(?)",
                a.clone().into(),
            );
        }
        if let Some(st) = &q.status {
            bind(&mut sql, " AND f.status = ?", st.clone().into());
        }
        if let Some(c) = q.min_confidence {
            bind(&mut sql, " AND f.confidence >= ?", i64::from(c).into());
        }
        if q.kev_only {
            sql.push_str(" AND k.cve IS NOT NULL");
        }
        (sql, binds)
    }

    /// Findings in `q`'s order (by default most confident first, then by
    /// device asset tag), `q`'s page only.
    ///
    /// # Errors
    /// On database failure or corrupt rows.
    pub async fn findings(&self, q: &FindingQuery) -> Result<Vec<FindingRow>, StoreError> {
        let (filter, binds) = self.finding_filter(q);
        let mut sql = format!(
            "SELECT f.device_id, d.asset_tag, d.vendor, d.model, d.software_version, \
             d.firmware_version, s.name, f.vulnerability, f.advisory_format, f.advisory_id, \
             f.status, f.confidence, f.evidence, f.remediation, f.found_at, k.cve, e.score, e.percentile \
             {FINDING_FROM}{filter}"
        );
        // The primary key last: every order is total, pages never overlap.
        let key = "f.device_id, f.vulnerability, f.advisory_format, f.advisory_id";
        match q.order {
            None => sql.push_str(&format!(
                " ORDER BY f.confidence DESC, d.asset_tag NULLS FIRST, {key}"
            )),
            Some((k, false)) => {
                sql.push_str(&format!(" ORDER BY {} NULLS FIRST, {key}", k.column()));
            }
            Some((k, true)) => {
                let desc = key.replace(',', " DESC,");
                sql.push_str(&format!(
                    " ORDER BY {} DESC NULLS LAST, {desc} DESC",
                    k.column()
                ));
            }
        }
        match q.limit {
            Some(n) => sql.push_str(&format!(" LIMIT {n} OFFSET {}", q.offset)),
            None if q.offset > 0 => {
                sql.push_str(&format!(" LIMIT {} OFFSET {}", i64::MAX, q.offset));
            }
            None => {}
        }
        let rows = self.store.db.query(&sql, &binds).await?;
        rows.iter()
            .map(|r| {
                Ok(FindingRow {
                    device: parse_col("findings", "device_id", r.req("findings", "device_id", 0)?)?,
                    asset_tag: r.text(1),
                    vendor: r.text(2),
                    model: r.text(3),
                    software_version: r.text(4),
                    firmware_version: r.text(5),
                    site: r.text(6),
                    vulnerability: r.req("findings", "vulnerability", 7)?,
                    advisory_format: r.req("findings", "advisory_format", 8)?,
                    advisory: r.req("findings", "advisory_id", 9)?,
                    status: r.req("findings", "status", 10)?,
                    confidence: r.int(11).and_then(|c| u8::try_from(c).ok()).unwrap_or(0),
                    evidence: json_col("findings", "evidence", r.req("findings", "evidence", 12)?)?,
                    remediation: r
                        .text(13)
                        .map(|s| json_col("findings", "remediation", s))
                        .transpose()?,
                    found_at: r.req("findings", "found_at", 14)?,
                    kev: r.text(15).is_some(),
                    epss: r.text(16),
                    epss_percentile: r.text(17),
                })
            })
            .collect()
    }
}
