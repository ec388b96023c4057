//! CycloneDX 1.4–1.6 (and older 1.2/1.3, and 1.7, read leniently) in JSON
//! and XML: the schema rules ([`check`]) and the model builder.

mod build;
mod check;
mod vex;
mod xml;

use std::cell::OnceCell;
use std::collections::HashMap;

use serde_json::Value;

use crate::Document;
use crate::error::{Diagnostic, Location, Parsed, ReadError, Violation};
use crate::model::Format;

/// Where a converted tree's paths point in the source.
enum Positions<'a> {
    Json,
    /// Element offsets are computed by a second conversion, on the first
    /// problem to report.
    Xml {
        text: &'a str,
        map: OnceCell<HashMap<String, usize>>,
    },
}

impl Positions<'_> {
    fn locate(&self, path: &str) -> Location {
        match self {
            Positions::Json => Location::JsonPath(path.to_owned()),
            Positions::Xml { text, map } => {
                let map = map.get_or_init(|| {
                    xml::convert(text, true).map_or_else(|_| HashMap::new(), |c| c.positions)
                });
                // The nearest converted element at or above the path.
                let mut p = path;
                let offset = loop {
                    if let Some(o) = map.get(p) {
                        break *o;
                    }
                    match p.rfind('/') {
                        Some(i) => p = &p[..i],
                        None => break 0,
                    }
                };
                let (line, column) = xml::line_column(text, offset);
                Location::Xml {
                    line,
                    column,
                    path: path.to_owned(),
                }
            }
        }
    }
}

/// Reads CycloneDX JSON.
pub(crate) fn read_json(
    file: &str,
    value: &Value,
    strict: bool,
) -> Result<Parsed<Document>, ReadError> {
    read_tree(file, value, Format::CycloneDxJson, &Positions::Json, strict)
}

/// Reads CycloneDX XML.
pub(crate) fn read_xml(
    file: &str,
    text: &str,
    strict: bool,
) -> Result<Parsed<Document>, ReadError> {
    let conv = xml::convert(text, false).map_err(|f| match f {
        xml::XmlFailure::Syntax { offset, message } => {
            let (line, column) = xml::line_column(text, offset);
            ReadError::Xml {
                file: file.to_owned(),
                line,
                column,
                message,
            }
        }
        xml::XmlFailure::Namespace { offset, namespace } => {
            let (line, column) = xml::line_column(text, offset);
            ReadError::invalid(
                file,
                Diagnostic::new(
                    Location::Xml {
                        line,
                        column,
                        path: String::new(),
                    },
                    Violation::Namespace,
                    &namespace,
                ),
            )
        }
    })?;
    let pos = Positions::Xml {
        text,
        map: OnceCell::new(),
    };
    read_tree(file, &conv.value, Format::CycloneDxXml, &pos, strict)
}

fn read_tree(
    file: &str,
    value: &Value,
    format: Format,
    pos: &Positions<'_>,
    strict: bool,
) -> Result<Parsed<Document>, ReadError> {
    let spec = value
        .get("specVersion")
        .and_then(Value::as_str)
        .unwrap_or_default()
        .to_owned();
    let minor = match spec.strip_prefix("1.").and_then(|m| m.parse::<u8>().ok()) {
        Some(m) if m <= 7 => m,
        _ => {
            let v = value.get("specVersion").cloned().unwrap_or(Value::Null);
            return Err(ReadError::invalid(
                file,
                Diagnostic::new(
                    pos.locate("/specVersion"),
                    Violation::UnsupportedVersion,
                    &match &v {
                        Value::String(s) => s.clone(),
                        other => other.to_string(),
                    },
                ),
            ));
        }
    };
    let mut diagnostics: Vec<Diagnostic> = check::check(value, minor)
        .into_iter()
        .map(|f| Diagnostic::new(pos.locate(&f.path), f.violation, &f.value))
        .collect();
    // A wrong bomFormat means this is not CycloneDX at all: never lenient.
    if let Some(d) = diagnostics
        .iter()
        .find(|d| matches!(d.violation, Violation::BomFormat))
    {
        return Err(ReadError::invalid(file, d.clone()));
    }
    if strict && let Some(d) = diagnostics.first() {
        return Err(ReadError::invalid(file, d.clone()));
    }
    let mut found = Vec::new();
    let sbom = build::sbom(value, format, spec, &mut found);
    let vex = vex::statements(value, &sbom, &mut found);
    diagnostics.extend(
        found
            .into_iter()
            .map(|(path, v, val)| Diagnostic::new(pos.locate(&path), v, &val)),
    );
    Ok(Parsed::new(
        Document {
            format,
            sbom: Some(sbom),
            vex,
        },
        diagnostics,
    ))
}
