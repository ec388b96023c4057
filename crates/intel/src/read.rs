//! Reading advisory files of any supported format into what the store
//! keeps (one [`NewAdvisory`] per CSAF document or vulnerability record)
//! and what the matching engine needs (the parsed content).

use medvigil_csaf::CsafDocument;
use medvigil_csaf::validate::Level;
use medvigil_store::{AdvisoryMeta, EpssRow, KevRow, NewAdvisory};
use medvigil_vulndb::VulnRecord;
use serde_json::{Value, json};
use sha2::{Digest, Sha256};

/// The parsed content of one advisory.
#[derive(Debug)]
#[non_exhaustive]
pub enum Content {
    /// A CSAF 2.0 document.
    Csaf(Box<CsafDocument>),
    /// An OSV, CVE 5 or NVD record.
    Record(Box<VulnRecord>),
}

/// One advisory read from a file.
#[derive(Debug)]
pub struct Ingested {
    /// What the store keeps.
    pub advisory: NewAdvisory,
    /// What matching reads.
    pub content: Content,
}

/// Why a file could not be read as advisories.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum ReadError {
    /// The bytes are not JSON.
    #[error("{origin}: not JSON (line {line}, column {column}): {message}")]
    Json {
        /// File or URL.
        origin: String,
        /// Line of the error.
        line: usize,
        /// Column of the error.
        column: usize,
        /// The parser's explanation.
        message: String,
    },
    /// JSON, but not a format we read.
    #[error(
        "{origin}: not a CSAF document nor an OSV, CVE 5 or NVD record (no `document.csaf_version`, `cveMetadata`, `vulnerabilities[].cve` or OSV `id`)"
    )]
    UnknownFormat {
        /// File or URL.
        origin: String,
    },
    /// The format was recognised but a property has the wrong shape.
    #[error("{origin}: {message}")]
    Shape {
        /// File or URL.
        origin: String,
        /// What is wrong, with its JSON path.
        message: String,
    },
}

fn sha256_hex(bytes: &[u8]) -> String {
    let digest = Sha256::digest(bytes);
    digest.iter().map(|b| format!("{b:02x}")).collect()
}

fn non_empty(s: &str) -> Option<String> {
    (!s.trim().is_empty()).then(|| s.to_owned())
}

/// What a file held.
#[derive(Debug)]
#[non_exhaustive]
pub enum Input {
    /// Advisories (CSAF documents, vulnerability records).
    Advisories(Vec<Ingested>),
    /// The CISA KEV catalog (JSON or CSV).
    Kev(Vec<KevRow>),
    /// A FIRST EPSS scores file (CSV).
    Epss(Vec<EpssRow>),
}

/// Reads a file of any supported kind: advisories (see [`read`]), the CISA
/// KEV catalog (JSON or CSV) or FIRST EPSS scores (CSV).
///
/// # Errors
/// As [`read`]; and when a KEV or EPSS file does not have its format's shape.
pub fn read_input(origin: &str, bytes: &[u8]) -> Result<Input, ReadError> {
    let shape = |e: medvigil_vulndb::ReadError| ReadError::Shape {
        origin: origin.to_owned(),
        message: e.to_string(),
    };
    let head = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    let first_line = head.split(|b| *b == b'\n').next().unwrap_or_default();
    if first_line.starts_with(b"#model_version") || first_line.starts_with(b"cve,epss") {
        let text = String::from_utf8_lossy(head);
        let file = medvigil_vulndb::epss::read_csv(&text).map_err(shape)?;
        let date = file.value.score_date.clone();
        return Ok(Input::Epss(
            file.value
                .scores
                .into_iter()
                .map(|s| EpssRow {
                    cve: s.cve,
                    score: s.epss.to_string(),
                    percentile: s.percentile.to_string(),
                    score_date: date.clone(),
                })
                .collect(),
        ));
    }
    let kev_rows = |entries: Vec<medvigil_vulndb::kev::KevEntry>| {
        entries
            .into_iter()
            .map(|e| KevRow {
                cve: e.cve_id,
                name: e.vulnerability_name,
                date_added: e.date_added,
                due_date: e.due_date,
                ransomware: e.known_ransomware_campaign_use,
                required_action: e.required_action,
            })
            .collect()
    };
    if first_line.starts_with(b"cveID,") {
        let entries = medvigil_vulndb::kev::read_csv(head).map_err(shape)?;
        return Ok(Input::Kev(kev_rows(entries.value)));
    }
    if let Ok(value) = serde_json::from_slice::<Value>(head)
        && medvigil_vulndb::detect::detect(&value) == Some(medvigil_vulndb::detect::Format::Kev)
    {
        let text = String::from_utf8_lossy(head);
        let catalog = medvigil_vulndb::kev::read_json(&text).map_err(shape)?;
        return Ok(Input::Kev(kev_rows(catalog.value.entries)));
    }
    read(origin, bytes).map(Input::Advisories)
}

/// Reads every advisory in `bytes` (a CSAF document, an OSV record or array
/// of records, a CVE 5 record, an NVD API response). `origin` names the
/// file or URL in errors and in what is stored.
///
/// # Errors
/// When the bytes are not JSON, not one of the formats, or of the wrong
/// shape. Documents that fail CSAF tests are read: their findings are kept
/// with them (real advisories are not always perfect).
pub fn read(origin: &str, bytes: &[u8]) -> Result<Vec<Ingested>, ReadError> {
    let value: Value = serde_json::from_slice(bytes).map_err(|e| ReadError::Json {
        origin: origin.to_owned(),
        line: e.line(),
        column: e.column(),
        message: e.to_string(),
    })?;
    if value
        .pointer("/document/csaf_version")
        .is_some_and(Value::is_string)
    {
        return read_csaf(origin, bytes).map(|a| vec![a]);
    }
    let Some(format) = medvigil_vulndb::detect::detect(&value) else {
        return Err(ReadError::UnknownFormat {
            origin: origin.to_owned(),
        });
    };
    use medvigil_vulndb::detect::Format;
    // One stored advisory per record: split the file, keeping the bytes of
    // single-record files as they are.
    let pieces: Vec<(String, Vec<u8>)> = match (&format, &value) {
        (Format::Osv, Value::Array(items)) => items
            .iter()
            .map(|v| ("osv".to_owned(), v.to_string().into_bytes()))
            .collect(),
        (Format::Osv, _) => vec![("osv".to_owned(), bytes.to_vec())],
        (Format::Cve5, _) => vec![("cve5".to_owned(), bytes.to_vec())],
        (Format::Nvd, _) => value
            .get("vulnerabilities")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .map(|v| {
                let page = json!({"format": "NVD_CVE", "version": "2.0", "vulnerabilities": [v]});
                ("nvd".to_owned(), page.to_string().into_bytes())
            })
            .collect(),
        _ => {
            return Err(ReadError::UnknownFormat {
                origin: origin.to_owned(),
            });
        }
    };
    let mut out = Vec::with_capacity(pieces.len());
    for (i, (format, piece)) in pieces.into_iter().enumerate() {
        let text = String::from_utf8_lossy(&piece);
        let shape = |e: medvigil_vulndb::ReadError| ReadError::Shape {
            origin: format!("{origin} (record {})", i + 1),
            message: e.to_string(),
        };
        let parsed = match format.as_str() {
            "osv" => medvigil_vulndb::osv::read_record(&text)
                .map(|p| (vec![p.value], p.diagnostics))
                .map_err(shape)?,
            "cve5" => medvigil_vulndb::cve5::read_record(&text)
                .map(|p| (vec![p.value], p.diagnostics))
                .map_err(shape)?,
            _ => medvigil_vulndb::nvd::read_response(&text)
                .map(|p| (p.value, p.diagnostics))
                .map_err(shape)?,
        };
        let (records, diagnostics) = parsed;
        let diagnostics: Vec<Value> = diagnostics
            .iter()
            .map(|d| json!({"level": "warning", "path": d.path, "message": d.kind.to_string()}))
            .collect();
        for record in records {
            let mut vulnerabilities = vec![record.id.clone()];
            vulnerabilities.extend(
                record
                    .aliases
                    .iter()
                    .filter(|a| a.starts_with("CVE-"))
                    .cloned(),
            );
            out.push(Ingested {
                advisory: NewAdvisory {
                    meta: AdvisoryMeta {
                        format: format.clone(),
                        id: record.id.clone(),
                        version: record.modified.clone(),
                        title: record.summary.clone().or_else(|| {
                            record
                                .details
                                .as_deref()
                                .map(|d| d.chars().take(160).collect())
                        }),
                        publisher: None,
                        published: record.published.clone(),
                        modified: record.modified.clone(),
                        vulnerabilities,
                        origin: origin.to_owned(),
                        sha256: sha256_hex(&piece),
                    },
                    diagnostics: Value::Array(diagnostics.clone()).to_string(),
                    errors: 0,
                    document: text.clone().into_owned(),
                },
                content: Content::Record(Box::new(record)),
            });
        }
    }
    Ok(out)
}

fn read_csaf(origin: &str, bytes: &[u8]) -> Result<Ingested, ReadError> {
    let parsed = medvigil_csaf::parse(origin, bytes).map_err(|e| ReadError::Shape {
        origin: origin.to_owned(),
        message: e.to_string(),
    })?;
    let report = medvigil_csaf::validate::validate(&parsed);
    let errors = report
        .findings
        .iter()
        .filter(|f| f.level == Level::Error)
        .count();
    let doc = parsed.document;
    let meta = &doc.document;
    let mut vulnerabilities: Vec<String> = Vec::new();
    for v in doc.vulnerabilities.iter().flatten() {
        let id = v.cve.clone().or_else(|| {
            v.ids
                .as_ref()
                .and_then(|ids| ids.first())
                .map(|i| i.text.clone())
        });
        if let Some(id) = id
            && !vulnerabilities.contains(&id)
        {
            vulnerabilities.push(id);
        }
    }
    let advisory = NewAdvisory {
        meta: AdvisoryMeta {
            format: "csaf".to_owned(),
            id: meta.tracking.id.clone(),
            version: non_empty(&meta.tracking.version),
            title: non_empty(&meta.title),
            publisher: non_empty(&meta.publisher.name),
            published: non_empty(&meta.tracking.initial_release_date),
            modified: non_empty(&meta.tracking.current_release_date),
            vulnerabilities,
            origin: origin.to_owned(),
            sha256: sha256_hex(bytes),
        },
        diagnostics: serde_json::to_string(&report.findings).unwrap_or_else(|_| "[]".to_owned()),
        errors: errors as u64,
        document: String::from_utf8_lossy(bytes).into_owned(),
    };
    Ok(Ingested {
        advisory,
        content: Content::Csaf(Box::new(doc)),
    })
}
