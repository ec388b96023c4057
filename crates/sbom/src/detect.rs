//! Format detection from content, then dispatch to the reader.

use serde_json::Value;

use crate::error::{Parsed, ReadError};
use crate::{Document, cyclonedx, spdx, vex};

pub(crate) fn read(file: &str, bytes: &[u8], strict: bool) -> Result<Parsed<Document>, ReadError> {
    let text = std::str::from_utf8(bytes).map_err(|e| ReadError::NotUtf8 {
        file: file.to_owned(),
        offset: e.valid_up_to(),
    })?;
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let unknown = |reason| ReadError::UnknownFormat {
        file: file.to_owned(),
        reason,
    };
    match text.trim_start().as_bytes().first() {
        Some(b'<') => {
            if text.contains("http://cyclonedx.org/schema/bom/") {
                cyclonedx::read_xml(file, text, strict)
            } else {
                Err(unknown(
                    "XML without a CycloneDX namespace (SPDX RDF/XML is not read)",
                ))
            }
        }
        Some(b'{') => {
            let value: Value = serde_json::from_str(text).map_err(|e| ReadError::json(file, &e))?;
            let context = value
                .get("@context")
                .map(Value::to_string)
                .unwrap_or_default();
            if context.contains("spdx.org/rdf/3") {
                Err(unknown("SPDX 3.0 JSON-LD (not read: only SPDX 2.x)"))
            } else if value.get("bomFormat").is_some() {
                cyclonedx::read_json(file, &value, strict)
            } else if value.get("spdxVersion").is_some() {
                spdx::read_json(file, &value, strict)
            } else if context.contains("openvex") {
                vex::openvex::read(file, &value, strict)
            } else if value
                .get("document")
                .and_then(|d| d.get("csaf_version"))
                .is_some()
            {
                vex::csaf::read(file, text.as_bytes(), &value, strict)
            } else if value.get("specVersion").is_some() && value.get("components").is_some() {
                // CycloneDX without bomFormat: the checker reports it.
                cyclonedx::read_json(file, &value, strict)
            } else {
                Err(unknown("JSON object of no known format"))
            }
        }
        _ if text
            .lines()
            .any(|l| l.trim_start().starts_with("SPDXVersion:")) =>
        {
            spdx::read_tag_value(file, text, strict)
        }
        _ => Err(unknown("neither JSON, XML nor SPDX tag-value")),
    }
}
