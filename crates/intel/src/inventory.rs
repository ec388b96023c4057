//! A CMMS export imported into the inventory, as the CLI and the server do
//! it: read and validated, reconciled and written in one transaction, then
//! the changed devices matched against the stored advisories.

use medvigil_inventory::{CsvError, ImportOptions, RowError, parse_csv};
use medvigil_model::SourceKind;
use medvigil_store::{ImportReport, ImportRequest, TenantStore};

use crate::pipeline::{IntelError, rematch};

/// What to import and how.
#[derive(Debug)]
pub struct CsvImport {
    /// The file's bytes (any encoding `medvigil_inventory::decode` reads).
    pub bytes: Vec<u8>,
    /// The file's name, recorded as the provenance's detail.
    pub file_name: String,
    /// Column mapping and encoding.
    pub options: ImportOptions,
    /// The site of rows that name none.
    pub site: Option<String>,
    /// Who imports (recorded with the provenance).
    pub actor: String,
    /// Write nothing; report what would change.
    pub dry_run: bool,
    /// Write nothing when any row is rejected.
    pub strict: bool,
}

/// What an import did.
#[derive(Debug)]
pub struct CsvImportOutcome {
    /// The store's report (created, updated, unchanged, sites, provenance).
    pub report: ImportReport,
    /// Every rejected cell or row, file errors and reconciliation errors
    /// together, by line.
    pub rejected: Vec<RowError>,
    /// Rows rejected.
    pub rejected_rows: usize,
    /// Findings after matching, when devices changed and advisories exist.
    pub findings: Option<usize>,
}

/// Why a file could not be imported at all.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum CsvImportError {
    /// The file is not a readable CSV (the message names the position).
    #[error("cannot import {file}: {source}")]
    Csv {
        /// The file.
        file: String,
        /// Why.
        source: CsvError,
    },
    /// Writing or matching failed; nothing was written.
    #[error(transparent)]
    Intel(#[from] IntelError),
}

impl From<medvigil_store::StoreError> for CsvImportError {
    fn from(e: medvigil_store::StoreError) -> Self {
        Self::Intel(e.into())
    }
}

/// Imports `import` into the tenant; `progress(done, total)` follows the
/// writing.
///
/// # Errors
/// [`CsvImportError`]; nothing is written then.
pub async fn import_csv(
    store: &TenantStore<'_>,
    import: CsvImport,
    progress: &mut (dyn FnMut(u64, u64) + Send),
) -> Result<CsvImportOutcome, CsvImportError> {
    let mut parsed =
        parse_csv(&import.bytes, &import.options).map_err(|source| CsvImportError::Csv {
            file: import.file_name.clone(),
            source,
        })?;
    drop(import.bytes);
    if let Some(site) = &import.site {
        for row in &mut parsed.rows {
            row.fields.location.site.get_or_insert_with(|| site.clone());
        }
    }
    let mut rejected = std::mem::take(&mut parsed.errors);
    let dry_run = import.dry_run || (import.strict && !rejected.is_empty());
    let mut report = store
        .import(
            ImportRequest {
                rows: parsed.rows,
                actor: import.actor,
                detail: import.file_name,
                kind: SourceKind::CmmsImport,
                dry_run,
                strict: import.strict,
            },
            progress,
        )
        .await?;
    rejected.append(&mut report.rejected);
    rejected.sort_by_key(|e| e.line);
    let rejected_rows = medvigil_inventory::rejected_rows(&rejected);
    // New or changed devices: match them against the stored advisories.
    let findings = if !report.dry_run
        && report.created + report.updated > 0
        && !store.advisories(None, Some(1)).await?.is_empty()
    {
        Some(rematch(store).await?)
    } else {
        None
    };
    Ok(CsvImportOutcome {
        report,
        rejected,
        rejected_rows,
        findings,
    })
}
