//! The types a CVSS score is reported in.

use std::fmt;

use serde::Serialize;

/// Which CVSS specification a vector follows.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[non_exhaustive]
pub enum CvssVersion {
    /// CVSS v2.0 (no prefix in the vector).
    #[serde(rename = "2.0")]
    V2,
    /// CVSS v3.0 (`CVSS:3.0/`).
    #[serde(rename = "3.0")]
    V30,
    /// CVSS v3.1 (`CVSS:3.1/`).
    #[serde(rename = "3.1")]
    V31,
    /// CVSS v4.0 (`CVSS:4.0/`).
    #[serde(rename = "4.0")]
    V40,
}

impl CvssVersion {
    /// The version as the specifications write it.
    pub const fn as_str(self) -> &'static str {
        match self {
            Self::V2 => "2.0",
            Self::V30 => "3.0",
            Self::V31 => "3.1",
            Self::V40 => "4.0",
        }
    }
}

impl fmt::Display for CvssVersion {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Qualitative severity rating (CVSS v3.1 §5, v4.0 §6; for v2 the NVD
/// ranges Low 0–3.9, Medium 4–6.9, High 7–10, which have no Critical).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
#[non_exhaustive]
pub enum Severity {
    /// 0.0.
    None,
    /// 0.1–3.9.
    Low,
    /// 4.0–6.9.
    Medium,
    /// 7.0–8.9 (v2: 7.0–10.0).
    High,
    /// 9.0–10.0 (v3 and v4 only).
    Critical,
}

impl Severity {
    /// The rating of `score` on the scale of `version`.
    pub fn of(score: f64, version: CvssVersion) -> Self {
        match (version, score) {
            (_, s) if s <= 0.0 => Self::None,
            (_, s) if s < 4.0 => Self::Low,
            (_, s) if s < 7.0 => Self::Medium,
            (CvssVersion::V2, _) => Self::High,
            (_, s) if s < 9.0 => Self::High,
            _ => Self::Critical,
        }
    }

    /// The lower-case name.
    pub const fn as_str(self) -> &'static str {
        match self {
            Self::None => "none",
            Self::Low => "low",
            Self::Medium => "medium",
            Self::High => "high",
            Self::Critical => "critical",
        }
    }
}

impl fmt::Display for Severity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// CVSS v4.0 nomenclature (spec §1.3): which metric groups went into a score.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
#[non_exhaustive]
pub enum Nomenclature {
    /// Base metrics only.
    #[serde(rename = "CVSS-B")]
    CvssB,
    /// Base and Threat.
    #[serde(rename = "CVSS-BT")]
    CvssBT,
    /// Base and Environmental.
    #[serde(rename = "CVSS-BE")]
    CvssBE,
    /// Base, Threat and Environmental.
    #[serde(rename = "CVSS-BTE")]
    CvssBTE,
}

impl fmt::Display for Nomenclature {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Self::CvssB => "CVSS-B",
            Self::CvssBT => "CVSS-BT",
            Self::CvssBE => "CVSS-BE",
            Self::CvssBTE => "CVSS-BTE",
        })
    }
}

/// CVSS v4.0 Safety supplemental metric (spec §4.1).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
#[non_exhaustive]
pub enum Safety {
    /// `S:X`: not defined.
    NotDefined,
    /// `S:N`: negligible consequences to human safety (IEC 61508 categories).
    Negligible,
    /// `S:P`: consequences of exploitation meet IEC 61508 "marginal" or worse.
    Present,
}

/// CVSS v4.0 supplemental metrics (spec §4); they never change the score.
/// Each field holds the vector's value letters (`"Y"`, `"A"`, `"Red"`) or
/// `None` when the metric is absent.
#[derive(Clone, Debug, PartialEq, Eq, Default, Serialize)]
#[non_exhaustive]
pub struct Supplemental {
    /// Safety (`S`).
    pub safety: Option<Safety>,
    /// Automatable (`AU`: N, Y, X).
    pub automatable: Option<String>,
    /// Recovery (`R`: A, U, I, X).
    pub recovery: Option<String>,
    /// Value Density (`V`: D, C, X).
    pub value_density: Option<String>,
    /// Vulnerability Response Effort (`RE`: L, M, H, X).
    pub response_effort: Option<String>,
    /// Provider Urgency (`U`: Clear, Green, Amber, Red, X).
    pub provider_urgency: Option<String>,
}

/// The v4.0-only part of a score.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[non_exhaustive]
pub struct V4Detail {
    /// Which metric groups the full-vector score used.
    pub nomenclature: Nomenclature,
    /// The supplemental metrics, parsed out.
    pub supplemental: Supplemental,
}

/// A parsed and scored CVSS vector.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[non_exhaustive]
pub struct CvssScore {
    /// The specification version.
    pub version: CvssVersion,
    /// The vector as given (trimmed).
    pub vector: String,
    /// Base score. For v4.0 the CVSS-B score of the base metrics alone.
    pub base: f64,
    /// Temporal score. v2.0: only when the vector carries a temporal metric
    /// (`E`, `RL`, `RC`). v3.x: always, since the v3 equations define it
    /// with every absent metric as `X` (FIRST's calculator and the Red Hat
    /// library report it so). v4.0: `None` (threat is part of
    /// [`CvssScore::score`]).
    pub temporal: Option<f64>,
    /// Environmental score, with the same rules as `temporal`. Note that
    /// a v3.1 base-only vector with scope changed can have an environmental
    /// score that differs from its base score by 0.1 (v3.1 §7.3 changed the
    /// modified-impact equation, not the base one).
    pub environmental: Option<f64>,
    /// The score of the most specific group the vector carries: v2/v3
    /// environmental when it has an environmental metric, else temporal when
    /// it has a temporal metric, else base; v4.0 the single score of the
    /// full vector (named by its [`Nomenclature`]).
    pub score: f64,
    /// Qualitative rating of [`CvssScore::score`].
    pub severity: Severity,
    /// v4.0 nomenclature and supplemental metrics.
    pub v4: Option<V4Detail>,
    #[serde(skip)]
    pub(super) metrics: Vec<(String, String)>,
}

impl CvssScore {
    /// The value of metric `name` (`"AV"`, `"S"`, `"MAV"`) as written in the
    /// vector, upper-case; `None` when the vector does not carry it.
    pub fn metric(&self, name: &str) -> Option<&str> {
        self.metrics
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    /// CVSS v4.0 Safety, when the vector is v4.0 and carries `S`.
    pub fn safety(&self) -> Option<Safety> {
        self.v4.as_ref().and_then(|d| d.supplemental.safety)
    }
}

/// Why a CVSS vector was rejected.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum CvssError {
    /// The text is empty.
    #[error("empty CVSS vector")]
    Empty,
    /// The vector does not parse under its version's rules.
    #[error("invalid CVSS vector '{vector}': {reason}")]
    Invalid {
        /// The offending vector.
        vector: String,
        /// What the parser objected to.
        reason: String,
    },
    /// A mandatory base metric is missing.
    #[error("CVSS vector '{vector}' lacks the mandatory base metric {metric}")]
    MissingMetric {
        /// The offending vector.
        vector: String,
        /// The missing metric's abbreviation.
        metric: &'static str,
    },
}
