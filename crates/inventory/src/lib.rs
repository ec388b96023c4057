//! Inventory import from CMMS / asset-management CSV exports, and the
//! reconciliation of imported rows with the devices already stored.
//!
//! Pure: bytes in, a [`ParsedCsv`] and a [`Plan`] out. The store applies a
//! plan in one transaction; the CLI and server report it.
//!
//! Flow: [`decode`] the bytes (UTF-8, UTF-16 with BOM, Windows-1252) →
//! [`parse_csv`] with a [`ColumnMapping`] (a mapping file, or headers
//! auto-detected) → [`reconcile`] against stored devices.

mod decode;
pub mod discovery;
mod export;
mod mapping;
mod parse;
mod reconcile;

pub use decode::{Encoding, decode};
pub use export::write_csv;
pub use mapping::{ColumnMapping, MappingError, MappingFile};
pub use parse::{
    CsvError, ImportOptions, ParsedCsv, ParsedRow, RowError, parse_csv, rejected_rows,
};
pub use reconcile::{Existing, Plan, Update, reconcile};
