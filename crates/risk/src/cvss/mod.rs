//! CVSS v2.0, v3.0, v3.1 and v4.0 scores through the `cvss` crate, with the
//! metrics kept so the SSVC derivations can read them.

mod types;

pub use types::{
    CvssError, CvssScore, CvssVersion, Nomenclature, Safety, Severity, Supplemental, V4Detail,
};

const V2_TEMPORAL: &[&str] = &["E", "RL", "RC"];
const V2_ENVIRONMENTAL: &[&str] = &["CDP", "TD", "CR", "IR", "AR"];
const V3_BASE: &[&str] = &["AV", "AC", "PR", "UI", "S", "C", "I", "A"];
const V3_TEMPORAL: &[&str] = &["E", "RL", "RC"];
const V3_ENVIRONMENTAL: &[&str] = &[
    "CR", "IR", "AR", "MAV", "MAC", "MPR", "MUI", "MS", "MC", "MI", "MA",
];
const V4_BASE: &[&str] = &[
    "AV", "AC", "AT", "PR", "UI", "VC", "VI", "VA", "SC", "SI", "SA",
];
const V4_ENVIRONMENTAL: &[&str] = &[
    "CR", "IR", "AR", "MAV", "MAC", "MAT", "MPR", "MUI", "MVC", "MVI", "MVA", "MSC", "MSI", "MSA",
];

/// Parses and scores a CVSS vector of any supported version: v2.0 without
/// prefix, `CVSS:3.0/`, `CVSS:3.1/`, `CVSS:4.0/`.
///
/// # Errors
/// [`CvssError`] when the vector is empty, malformed, or lacks a base metric.
pub fn score(vector: &str) -> Result<CvssScore, CvssError> {
    let vector = vector.trim();
    if vector.is_empty() {
        return Err(CvssError::Empty);
    }
    let invalid = |e: cvss::Error| CvssError::Invalid {
        vector: vector.to_owned(),
        reason: e.to_string(),
    };
    let parsed: cvss::Cvss = vector.parse().map_err(invalid)?;
    let metrics = split_metrics(vector);
    let has = |names: &[&str]| metrics.iter().any(|(k, _)| names.contains(&k.as_str()));
    let mut out = match parsed {
        cvss::Cvss::CvssV20(v) => {
            let base = v.score().value();
            let temporal = has(V2_TEMPORAL).then(|| v.temporal_score().value());
            let environmental = has(V2_ENVIRONMENTAL).then(|| v.environmental_score().value());
            let score = environmental.or(temporal).unwrap_or(base);
            CvssScore::v2_v3(CvssVersion::V2, base, temporal, environmental, score)
        }
        cvss::Cvss::CvssV30(v) | cvss::Cvss::CvssV31(v) => {
            // The crate accepts a v3 vector without its base metrics; the
            // specification (v3.1 §6) makes them mandatory.
            if let Some(metric) = V3_BASE
                .iter()
                .find(|m| !metrics.iter().any(|(k, _)| k == *m))
            {
                return Err(CvssError::MissingMetric {
                    vector: vector.to_owned(),
                    metric,
                });
            }
            let version = if v.minor_version == 0 {
                CvssVersion::V30
            } else {
                CvssVersion::V31
            };
            let base = v.base_score().value();
            let temporal = v.temporal_score().value();
            let environmental = v.environmental_score().value();
            let score = if has(V3_ENVIRONMENTAL) {
                environmental
            } else if has(V3_TEMPORAL) {
                temporal
            } else {
                base
            };
            CvssScore::v2_v3(version, base, Some(temporal), Some(environmental), score)
        }
        cvss::Cvss::CvssV40(v) => {
            let full = v.score().value();
            // CVSS-B: the same vector with every non-base metric dropped.
            let base_only = std::iter::once("CVSS:4.0".to_owned())
                .chain(
                    metrics
                        .iter()
                        .filter(|(k, _)| V4_BASE.contains(&k.as_str()))
                        .map(|(k, v)| format!("{k}:{v}")),
                )
                .collect::<Vec<_>>()
                .join("/");
            let base = base_only
                .parse::<cvss::v4::Vector>()
                .map_err(invalid)?
                .score()
                .value();
            let nomenclature = match (has(&["E"]), has(V4_ENVIRONMENTAL)) {
                (false, false) => Nomenclature::CvssB,
                (true, false) => Nomenclature::CvssBT,
                (false, true) => Nomenclature::CvssBE,
                (true, true) => Nomenclature::CvssBTE,
            };
            let get = |name: &str| {
                metrics
                    .iter()
                    .find(|(k, _)| k == name)
                    .map(|(_, v)| v.clone())
            };
            let supplemental = Supplemental {
                safety: get("S").map(|s| match s.as_str() {
                    "P" => Safety::Present,
                    "N" => Safety::Negligible,
                    _ => Safety::NotDefined,
                }),
                automatable: get("AU"),
                recovery: get("R"),
                value_density: get("V"),
                response_effort: get("RE"),
                provider_urgency: get("U"),
            };
            CvssScore {
                version: CvssVersion::V40,
                vector: String::new(),
                base,
                temporal: None,
                environmental: None,
                score: full,
                severity: Severity::of(full, CvssVersion::V40),
                v4: Some(V4Detail {
                    nomenclature,
                    supplemental,
                }),
                metrics: Vec::new(),
            }
        }
        _ => {
            return Err(CvssError::Invalid {
                vector: vector.to_owned(),
                reason: "unsupported CVSS version".to_owned(),
            });
        }
    };
    vector.clone_into(&mut out.vector);
    out.metrics = metrics;
    Ok(out)
}

impl CvssScore {
    fn v2_v3(
        version: CvssVersion,
        base: f64,
        temporal: Option<f64>,
        environmental: Option<f64>,
        score: f64,
    ) -> Self {
        // The crate clamps v2 at 0.0, yet keep -0.0 out of reports.
        let clean = |s: f64| if s == 0.0 { 0.0 } else { s };
        let base = clean(base);
        let temporal = temporal.map(clean);
        let environmental = environmental.map(clean);
        let score = clean(score);
        Self {
            version,
            vector: String::new(),
            base,
            temporal,
            environmental,
            score,
            severity: Severity::of(score, version),
            v4: None,
            metrics: Vec::new(),
        }
    }
}

/// `(metric, value)` pairs of an already validated vector, upper-case
/// names, the `CVSS:x.y` prefix dropped.
fn split_metrics(vector: &str) -> Vec<(String, String)> {
    vector
        .split('/')
        .filter_map(|c| c.split_once(':'))
        .filter(|(k, _)| !k.eq_ignore_ascii_case("CVSS"))
        .map(|(k, v)| (k.to_ascii_uppercase(), v.to_owned()))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn v4_supplemental_and_base() {
        let s =
            score("CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N/E:U/S:P/AU:Y")
                .unwrap();
        assert_eq!(s.version, CvssVersion::V40);
        assert_eq!(s.safety(), Some(Safety::Present));
        let d = s.v4.as_ref().unwrap();
        assert_eq!(d.nomenclature, Nomenclature::CvssBT);
        assert_eq!(d.supplemental.automatable.as_deref(), Some("Y"));
        assert!((s.base - 9.3).abs() < 1e-9, "{}", s.base);
        assert!(s.score < s.base);
    }

    #[test]
    fn v3_without_base_metric_is_rejected() {
        let e = score("CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H").unwrap_err();
        assert!(matches!(e, CvssError::MissingMetric { metric: "A", .. }));
        assert_eq!(score("  "), Err(CvssError::Empty));
        assert!(matches!(
            score("CVSS:5.0/AV:N"),
            Err(CvssError::Invalid { .. })
        ));
    }

    #[test]
    fn v2_severity_has_no_critical() {
        let s = score("AV:N/AC:L/Au:N/C:C/I:C/A:C").unwrap();
        assert_eq!(s.score, 10.0);
        assert_eq!(s.severity, Severity::High);
        assert_eq!(s.metric("au"), Some("N"));
    }
}
