//! Reading advisory files of any supported format into what the store
//! keeps (one [`NewAdvisory`] per CSAF document or vulnerability record)
//! and what the matching engine needs (the parsed content).

use medvigil_csaf::CsafDocument;
use medvigil_csaf::validate::Level;
use medvigil_store::NewAdvisory;
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
        if let Some(id) = id {
            if !vulnerabilities.contains(&id) {
                vulnerabilities.push(id);
            }
        }
    }
    let advisory = NewAdvisory {
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
        diagnostics: serde_json::to_string(&report.findings).unwrap_or_else(|_| "[]".to_owned()),
        errors: errors as u64,
        document: String::from_utf8_lossy(bytes).into_owned(),
    };
    Ok(Ingested {
        advisory,
        content: Content::Csaf(Box::new(doc)),
    })
}
