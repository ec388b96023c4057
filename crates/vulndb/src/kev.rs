//! The CISA Known Exploited Vulnerabilities catalog, as JSON (with its
//! schema `known_exploited_vulnerabilities_schema.json`) and as CSV.

use serde::Deserialize;

use crate::diag::{Diagnostic, DiagnosticKind, Parsed, ReadError};

/// One catalog entry.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct KevEntry {
    /// `cveID`
    pub cve_id: String,
    /// `vendorProject`
    pub vendor_project: String,
    /// `product`
    pub product: String,
    /// `vulnerabilityName`
    pub vulnerability_name: String,
    /// `dateAdded` (YYYY-MM-DD)
    pub date_added: String,
    /// `shortDescription`
    pub short_description: String,
    /// `requiredAction`
    pub required_action: String,
    /// `dueDate` (YYYY-MM-DD)
    pub due_date: String,
    /// `knownRansomwareCampaignUse`: `Known` or `Unknown`.
    pub known_ransomware_campaign_use: String,
    /// `notes`
    pub notes: String,
    /// `cwes`
    pub cwes: Vec<String>,
}

/// The catalog with its header fields (JSON only; the CSV has none).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct KevCatalog {
    /// `catalogVersion`
    pub catalog_version: Option<String>,
    /// `dateReleased`
    pub date_released: Option<String>,
    /// The entries.
    pub entries: Vec<KevEntry>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct RawCatalog {
    catalog_version: Option<String>,
    date_released: Option<String>,
    #[serde(default)]
    vulnerabilities: Vec<serde_json::Value>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct RawEntry {
    #[serde(rename = "cveID")]
    cve_id: String,
    #[serde(default)]
    vendor_project: String,
    #[serde(default)]
    product: String,
    #[serde(default)]
    vulnerability_name: String,
    #[serde(default)]
    date_added: String,
    #[serde(default)]
    short_description: String,
    #[serde(default)]
    required_action: String,
    #[serde(default)]
    due_date: String,
    #[serde(default)]
    known_ransomware_campaign_use: String,
    #[serde(default)]
    notes: String,
    #[serde(default)]
    cwes: CweField,
}

/// `cwes` is an array in JSON and a comma-separated cell in CSV.
#[derive(Deserialize, Default)]
#[serde(untagged)]
enum CweField {
    List(Vec<String>),
    Text(String),
    #[default]
    Missing,
}

impl CweField {
    fn into_vec(self) -> Vec<String> {
        match self {
            CweField::List(v) => v,
            CweField::Text(t) => t
                .split(',')
                .map(str::trim)
                .filter(|s| !s.is_empty())
                .map(String::from)
                .collect(),
            CweField::Missing => Vec::new(),
        }
    }
}

impl From<RawEntry> for KevEntry {
    fn from(r: RawEntry) -> KevEntry {
        KevEntry {
            cve_id: r.cve_id,
            vendor_project: r.vendor_project,
            product: r.product,
            vulnerability_name: r.vulnerability_name,
            date_added: r.date_added,
            short_description: r.short_description,
            required_action: r.required_action,
            due_date: r.due_date,
            known_ransomware_campaign_use: r.known_ransomware_campaign_use,
            notes: r.notes,
            cwes: r.cwes.into_vec(),
        }
    }
}

/// Reads the JSON catalog; an entry without `cveID` is skipped with a
/// diagnostic.
///
/// # Errors
/// [`ReadError::Json`] when the text is not the catalog.
pub fn read_json(json: &str) -> Result<Parsed<KevCatalog>, ReadError> {
    let raw: RawCatalog =
        serde_json::from_str(json).map_err(|e| ReadError::json("KEV JSON", &e))?;
    let mut diagnostics = Vec::new();
    let mut entries = Vec::with_capacity(raw.vulnerabilities.len());
    for (i, v) in raw.vulnerabilities.into_iter().enumerate() {
        match serde_json::from_value::<RawEntry>(v) {
            Ok(e) => entries.push(e.into()),
            Err(e) => diagnostics.push(Diagnostic {
                record: format!("#{i}"),
                path: format!("/vulnerabilities/{i}"),
                kind: DiagnosticKind::BadRecord {
                    error: e.to_string(),
                },
            }),
        }
    }
    Ok(Parsed {
        value: KevCatalog {
            catalog_version: raw.catalog_version,
            date_released: raw.date_released,
            entries,
        },
        diagnostics,
    })
}

const CSV_HEADER: &str = "cveID,vendorProject,product,vulnerabilityName,dateAdded,shortDescription,requiredAction,dueDate,knownRansomwareCampaignUse,notes,cwes";

/// Reads the CSV catalog; a row that cannot be read is skipped with a
/// diagnostic naming its line.
///
/// # Errors
/// [`ReadError::Header`] when the first row is not the catalog's header.
pub fn read_csv(bytes: &[u8]) -> Result<Parsed<Vec<KevEntry>>, ReadError> {
    let mut rdr = csv::ReaderBuilder::new().flexible(true).from_reader(bytes);
    let headers = rdr.headers().map_err(|e| ReadError::Csv {
        format: "KEV CSV",
        message: e.to_string(),
    })?;
    let found = headers.iter().collect::<Vec<_>>().join(",");
    // Columns may be added at the end over time; the known ones must lead.
    if !found
        .trim_start_matches('\u{feff}')
        .starts_with("cveID,vendorProject,product")
    {
        return Err(ReadError::Header {
            format: "KEV CSV",
            expected: CSV_HEADER,
            found,
        });
    }
    let mut entries = Vec::new();
    let mut diagnostics = Vec::new();
    for (i, row) in rdr.deserialize::<RawEntry>().enumerate() {
        match row {
            Ok(e) => entries.push(e.into()),
            Err(e) => diagnostics.push(Diagnostic {
                record: format!("row {}", i + 1),
                path: e
                    .position()
                    .map_or_else(String::new, |p| format!("line {}", p.line())),
                kind: DiagnosticKind::BadRecord {
                    error: e.to_string(),
                },
            }),
        }
    }
    Ok(Parsed {
        value: entries,
        diagnostics,
    })
}
