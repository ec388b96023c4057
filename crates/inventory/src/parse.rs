//! Reading a CSV export into validated device rows, with an error for every
//! bad cell that names its line, column and value.

use std::collections::HashMap;

use medvigil_model::{DeviceField, DeviceFields};

use crate::mapping::{ColumnMapping, MappingFile};
use crate::{Encoding, decode};

/// How to read a CSV file.
#[derive(Clone, Debug, Default)]
pub struct ImportOptions {
    /// Explicit column mapping and reading options (defaults: auto-detect everything).
    pub mapping: MappingFile,
    /// Overrides the mapping file's encoding.
    pub encoding: Option<Encoding>,
}

/// One valid row.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ParsedRow {
    /// 1-based line of the file where the row starts.
    pub line: u64,
    /// What the row says about the device.
    pub fields: DeviceFields,
}

/// A rejected row: the line, the column and the value, and why.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, thiserror::Error)]
#[error("line {line}, column '{column}': {reason}")]
pub struct RowError {
    /// 1-based line where the row starts.
    pub line: u64,
    /// The column header ("" when the problem is the row as a whole).
    pub column: String,
    /// The offending value.
    pub value: String,
    /// Why it was rejected.
    pub reason: String,
}

/// A file that cannot be imported at all.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum CsvError {
    /// No header line.
    #[error("the file is empty (expected a header line)")]
    Empty,
    /// Malformed CSV (e.g. an unterminated quote).
    #[error("line {line}: malformed CSV: {message}")]
    Syntax {
        /// Line of the record that could not be read.
        line: u64,
        /// What the CSV reader says.
        message: String,
    },
    /// None of the columns identifies a device.
    #[error(
        "no column identifies a device: need an asset tag, a serial number or a MAC address column (headers: {headers}); map one in a mapping file"
    )]
    NoIdentifyingColumn {
        /// The headers found.
        headers: String,
    },
}

/// The result of reading one file.
#[derive(Clone, Debug, Default)]
pub struct ParsedCsv {
    /// The column mapping used.
    pub mapping: ColumnMapping,
    /// Valid rows, in file order.
    pub rows: Vec<ParsedRow>,
    /// Errors of rejected rows (a row may have several).
    pub errors: Vec<RowError>,
}

impl ParsedCsv {
    /// How many rows were rejected.
    pub fn rejected_rows(&self) -> usize {
        rejected_rows(&self.errors)
    }
}

/// How many rows `errors` (in line order) reject: a row may have several errors.
pub fn rejected_rows(errors: &[RowError]) -> usize {
    let mut lines: Vec<u64> = errors.iter().map(|e| e.line).collect();
    lines.dedup();
    lines.len()
}

/// Picks the delimiter that occurs most in the header line (Excel in
/// continental Europe writes ';', "Unicode text" writes tabs).
fn sniff_delimiter(text: &str) -> u8 {
    let header = text.lines().next().unwrap_or("");
    [b',', b';', b'\t', b'|']
        .into_iter()
        .max_by_key(|&d| header.bytes().filter(|&b| b == d).count())
        .unwrap_or(b',')
}

/// Line numbers from byte offsets. The CSV reader's own line count skips
/// blank lines, and users look rows up in an editor by the true line.
struct LineCounter<'a> {
    text: &'a [u8],
    offset: usize,
    line: u64,
}

impl<'a> LineCounter<'a> {
    fn new(text: &'a str) -> Self {
        Self {
            text: text.as_bytes(),
            offset: 0,
            line: 1,
        }
    }

    /// The 1-based line of byte `offset`; offsets must not decrease between calls.
    fn line_at(&mut self, offset: u64) -> u64 {
        let mut target = usize::try_from(offset)
            .unwrap_or(usize::MAX)
            .min(self.text.len());
        // A record's position is where reading began, before any blank lines it skipped.
        while matches!(self.text.get(target), Some(b'\r' | b'\n')) {
            target += 1;
        }
        if target > self.offset {
            self.line += self.text[self.offset..target]
                .iter()
                .filter(|&&b| b == b'\n')
                .count() as u64;
            self.offset = target;
        }
        self.line
    }
}

/// The key under which two rows name the same device.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub(crate) enum Key {
    AssetTag(String),
    Serial(String, String),
    Mac([u8; 6]),
}

/// The identity keys of a device, strongest first.
pub(crate) fn keys(f: &DeviceFields) -> Vec<(DeviceField, Key)> {
    let mut keys = Vec::with_capacity(3);
    if let Some(t) = &f.asset_tag {
        keys.push((DeviceField::AssetTag, Key::AssetTag(t.to_uppercase())));
    }
    if let Some(s) = &f.serial {
        let vendor = f.vendor.as_deref().unwrap_or("").to_lowercase();
        keys.push((DeviceField::Serial, Key::Serial(vendor, s.to_uppercase())));
    }
    if let Some(m) = f.mac {
        keys.push((DeviceField::Mac, Key::Mac(m.octets())));
    }
    keys
}

/// Reads a CSV export.
///
/// # Errors
/// When the file as a whole cannot be read ([`CsvError`]); bad rows are not
/// errors here but land in [`ParsedCsv::errors`].
pub fn parse_csv(bytes: &[u8], options: &ImportOptions) -> Result<ParsedCsv, CsvError> {
    let encoding = options.encoding.unwrap_or(options.mapping.options.encoding);
    let text = decode(bytes, encoding);
    let delimiter = match options.mapping.options.delimiter {
        Some(c) => u8::try_from(c).unwrap_or(b','),
        None => sniff_delimiter(&text),
    };
    let mut reader = csv::ReaderBuilder::new()
        .delimiter(delimiter)
        .flexible(true)
        .trim(csv::Trim::All)
        .from_reader(text.as_bytes());
    let headers: Vec<String> = reader
        .headers()
        .map_err(|e| CsvError::Syntax {
            line: 1,
            message: e.to_string(),
        })?
        .iter()
        .map(str::to_owned)
        .collect();
    if headers.iter().all(String::is_empty) {
        return Err(CsvError::Empty);
    }
    let mapping = ColumnMapping::resolve(&headers, &options.mapping);
    if ![DeviceField::AssetTag, DeviceField::Serial, DeviceField::Mac]
        .iter()
        .any(|f| mapping.column_of(*f).is_some())
    {
        return Err(CsvError::NoIdentifyingColumn {
            headers: headers.join(", "),
        });
    }

    let mut out = ParsedCsv {
        mapping,
        ..ParsedCsv::default()
    };
    let mut seen: HashMap<Key, u64> = HashMap::new();
    let mut record = csv::StringRecord::new();
    let mut lines = LineCounter::new(&text);
    loop {
        let start = reader.position().byte();
        match reader.read_record(&mut record) {
            Ok(true) => {}
            Ok(false) => break,
            Err(e) => {
                let line = lines.line_at(e.position().map_or(start, csv::Position::byte));
                return Err(CsvError::Syntax {
                    line,
                    message: e.to_string(),
                });
            }
        }
        let line = lines.line_at(record.position().map_or(start, csv::Position::byte));
        if record.iter().all(str::is_empty) {
            continue;
        }
        let mut fields = DeviceFields::default();
        let errors_before = out.errors.len();
        for (col, header, field) in &out.mapping.columns {
            let value = record.get(*col).unwrap_or("");
            if let Err(e) = fields.set_text(*field, value) {
                out.errors.push(RowError {
                    line,
                    column: header.clone(),
                    value: value.to_owned(),
                    reason: e.to_string(),
                });
            }
        }
        if out.errors.len() > errors_before {
            continue;
        }
        let row_keys = keys(&fields);
        if row_keys.is_empty() {
            out.errors.push(RowError {
                line,
                column: String::new(),
                value: String::new(),
                reason: "no asset tag, serial number or MAC address to identify the device".into(),
            });
            continue;
        }
        let duplicate = row_keys
            .iter()
            .find_map(|(field, key)| Some((*field, *seen.get(key)?)));
        if let Some((field, first)) = duplicate {
            let column = out
                .mapping
                .columns
                .iter()
                .find(|c| c.2 == field)
                .map(|c| c.1.clone())
                .unwrap_or_default();
            let value = fields.text(field).unwrap_or_default();
            out.errors.push(RowError {
                line,
                column,
                value: value.clone(),
                reason: format!(
                    "duplicate {} '{value}' (first on line {first})",
                    field.as_str().replace('_', " ")
                ),
            });
            continue;
        }
        for (_, key) in row_keys {
            seen.insert(key, line);
        }
        out.rows.push(ParsedRow { line, fields });
    }
    Ok(out)
}
