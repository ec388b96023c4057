//! Remediation priorities P1–P4.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

/// Remediation priority; `P1` is the most urgent, so `P1 < P4`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Priority {
    /// Remediate or mitigate now.
    P1,
    /// Soon.
    P2,
    /// In the next maintenance window.
    P3,
    /// Within standard timelines.
    P4,
}

impl Priority {
    /// Every priority, most urgent first.
    pub const ALL: [Self; 4] = [Self::P1, Self::P2, Self::P3, Self::P4];

    /// `"P1"` … `"P4"`.
    pub const fn as_str(self) -> &'static str {
        match self {
            Self::P1 => "P1",
            Self::P2 => "P2",
            Self::P3 => "P3",
            Self::P4 => "P4",
        }
    }

    /// Index 0 (P1) to 3 (P4).
    pub const fn index(self) -> usize {
        match self {
            Self::P1 => 0,
            Self::P2 => 1,
            Self::P3 => 2,
            Self::P4 => 3,
        }
    }
}

impl fmt::Display for Priority {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A priority name that is not P1–P4.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("unknown priority '{value}' (expected P1, P2, P3 or P4)")]
pub struct ParsePriorityError {
    /// The offending text.
    pub value: String,
}

impl FromStr for Priority {
    type Err = ParsePriorityError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s.trim().to_ascii_uppercase().as_str() {
            "P1" | "1" => Ok(Self::P1),
            "P2" | "2" => Ok(Self::P2),
            "P3" | "3" => Ok(Self::P3),
            "P4" | "4" => Ok(Self::P4),
            _ => Err(ParsePriorityError {
                value: s.trim().to_owned(),
            }),
        }
    }
}

impl Serialize for Priority {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}

impl<'de> Deserialize<'de> for Priority {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        s.parse().map_err(serde::de::Error::custom)
    }
}

/// `Option<Priority>` as `"P2"` or `"none"`: TOML has no null, and an
/// absent key means "keep the default".
pub(crate) mod optional_priority {
    use serde::{Deserialize, Deserializer, Serializer};

    use super::Priority;

    pub(crate) fn serialize<S: Serializer>(p: &Option<Priority>, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(p.map_or("none", Priority::as_str))
    }

    pub(crate) fn deserialize<'de, D: Deserializer<'de>>(
        d: D,
    ) -> Result<Option<Priority>, D::Error> {
        let s = String::deserialize(d)?;
        if s.trim().eq_ignore_ascii_case("none") {
            return Ok(None);
        }
        s.parse().map(Some).map_err(serde::de::Error::custom)
    }
}
