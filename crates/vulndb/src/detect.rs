//! Reading a vulnerability file whose format is not known in advance, by
//! the marks each format carries at its top level.

use serde_json::Value;

use crate::diag::{Parsed, ReadError};
use crate::model::VulnRecord;
use crate::{cve5, nvd, osv};

/// A JSON vulnerability format.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum Format {
    /// OSV (`id` with `affected`, `modified` or `schema_version`; or an
    /// array of such records).
    Osv,
    /// CVE JSON 5 (`dataType: "CVE_RECORD"` or `cveMetadata`).
    Cve5,
    /// NVD API 2.0 (`format: "NVD_CVE"` or `vulnerabilities[].cve`).
    Nvd,
    /// The CISA KEV catalog (`catalogVersion`), read with [`crate::kev`].
    Kev,
}

/// The format of a parsed JSON document, if it is one of ours.
pub fn detect(v: &Value) -> Option<Format> {
    match v {
        Value::Array(a) => a.first().and_then(detect).filter(|f| *f == Format::Osv),
        Value::Object(m) => {
            if m.get("dataType").and_then(Value::as_str) == Some("CVE_RECORD")
                || m.contains_key("cveMetadata")
            {
                Some(Format::Cve5)
            } else if m.get("format").and_then(Value::as_str) == Some("NVD_CVE")
                || m.get("vulnerabilities")
                    .and_then(|x| x.get(0))
                    .is_some_and(|x| x.get("cve").is_some())
            {
                Some(Format::Nvd)
            } else if m.contains_key("catalogVersion") {
                Some(Format::Kev)
            } else if m.contains_key("id")
                && ["affected", "modified", "schema_version"]
                    .iter()
                    .any(|k| m.contains_key(*k))
            {
                Some(Format::Osv)
            } else {
                None
            }
        }
        _ => None,
    }
}

/// What [`read_any`] found: the format and its records.
pub type Detected = (Format, Parsed<Vec<VulnRecord>>);

/// Reads an OSV, CVE 5 or NVD document into records, whichever it is.
/// `Ok(None)` when the JSON is none of them (a KEV catalog included: it
/// holds no records).
///
/// # Errors
/// [`ReadError::Json`] when the text is not JSON or not the detected
/// format's shape.
pub fn read_any(json: &str) -> Result<Option<Detected>, ReadError> {
    let v: Value = serde_json::from_str(json).map_err(|e| ReadError::json("JSON", &e))?;
    let Some(format) = detect(&v) else {
        return Ok(None);
    };
    // Re-reading from text keeps one code path per format; the cost is a
    // second parse of files that are small (one record) or NVD pages.
    let parsed = match format {
        Format::Osv => osv::read_records(json)?,
        Format::Cve5 => {
            let p = cve5::read_record(json)?;
            Parsed {
                value: vec![p.value],
                diagnostics: p.diagnostics,
            }
        }
        Format::Nvd => nvd::read_response(json)?,
        Format::Kev => return Ok(None),
    };
    Ok(Some((format, parsed)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn detects_each_format() -> Result<(), ReadError> {
        let osv = r#"{"id":"GO-1","modified":"2020-01-01T00:00:00Z","affected":[]}"#;
        let cve = r#"{"dataType":"CVE_RECORD","cveMetadata":{"cveId":"CVE-1"},"containers":{}}"#;
        let nvd = r#"{"format":"NVD_CVE","vulnerabilities":[]}"#;
        let kev = r#"{"catalogVersion":"1","vulnerabilities":[]}"#;
        assert_eq!(read_any(osv)?.map(|x| x.0), Some(Format::Osv));
        assert_eq!(
            read_any(&format!("[{osv}]"))?.map(|x| x.0),
            Some(Format::Osv)
        );
        assert_eq!(read_any(cve)?.map(|x| x.0), Some(Format::Cve5));
        assert_eq!(read_any(nvd)?.map(|x| x.0), Some(Format::Nvd));
        assert_eq!(read_any(kev)?, None);
        assert_eq!(read_any("{}")?, None);
        assert!(read_any("nope").is_err());
        Ok(())
    }
}
