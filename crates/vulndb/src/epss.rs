//! FIRST EPSS score files (<https://www.first.org/epss/data_stats>): an
//! optional `#model_version:…,score_date:…` comment line, then the header
//! `cve,epss,percentile`, then one row per CVE.

use crate::diag::{Diagnostic, DiagnosticKind, Parsed, ReadError};

/// One CVE's scores.
#[derive(Clone, Debug, PartialEq)]
pub struct EpssScore {
    /// The CVE id.
    pub cve: String,
    /// Probability of exploitation activity in the next 30 days, 0–1.
    pub epss: f64,
    /// Rank among all scored CVEs, 0–1.
    pub percentile: f64,
}

/// A score file.
#[derive(Clone, Debug, PartialEq)]
pub struct EpssFile {
    /// `model_version` from the comment line (`v2026.06.15`).
    pub model_version: Option<String>,
    /// `score_date` from the comment line (RFC 3339).
    pub score_date: Option<String>,
    /// The rows.
    pub scores: Vec<EpssScore>,
}

const HEADER: &str = "cve,epss,percentile";

/// Reads an EPSS CSV file; rows that cannot be read are skipped with a
/// diagnostic naming their line.
///
/// # Errors
/// [`ReadError::Header`] when the header is not `cve,epss,percentile`.
pub fn read_csv(text: &str) -> Result<Parsed<EpssFile>, ReadError> {
    let text = text.trim_start_matches('\u{feff}');
    let mut lines = text.lines().enumerate().peekable();
    let (mut model_version, mut score_date) = (None, None);
    if let Some((_, first)) = lines.peek()
        && let Some(meta) = first.strip_prefix('#')
    {
        for kv in meta.split(',') {
            match kv.split_once(':') {
                Some(("model_version", v)) => model_version = Some(v.trim().to_string()),
                Some(("score_date", v)) => score_date = Some(v.trim().to_string()),
                _ => {}
            }
        }
        lines.next();
    }
    match lines.next() {
        Some((_, h)) if h.trim() == HEADER => {}
        other => {
            return Err(ReadError::Header {
                format: "EPSS CSV",
                expected: HEADER,
                found: other.map(|(_, h)| h.to_string()).unwrap_or_default(),
            });
        }
    }
    let mut scores = Vec::new();
    let mut diagnostics = Vec::new();
    for (n, line) in lines {
        if line.trim().is_empty() {
            continue;
        }
        let mut cells = line.split(',').map(str::trim);
        let (cve, e, p) = (cells.next(), cells.next(), cells.next());
        let parsed = match (cve, e.map(str::parse::<f64>), p.map(str::parse::<f64>)) {
            (Some(cve), Some(Ok(epss)), Some(Ok(percentile)))
                if cve.starts_with("CVE-")
                    && (0.0..=1.0).contains(&epss)
                    && (0.0..=1.0).contains(&percentile) =>
            {
                Some(EpssScore {
                    cve: cve.into(),
                    epss,
                    percentile,
                })
            }
            _ => None,
        };
        match parsed {
            Some(s) => scores.push(s),
            None => diagnostics.push(Diagnostic {
                record: cve.unwrap_or_default().into(),
                path: format!("line {}", n + 1),
                kind: DiagnosticKind::BadValue {
                    field: "row",
                    value: line.into(),
                },
            }),
        }
    }
    Ok(Parsed {
        value: EpssFile {
            model_version,
            score_date,
            scores,
        },
        diagnostics,
    })
}
