//! RFC 3339 date-times as used by ROLIE `updated`, `changes.csv` and the
//! provider metadata `last_updated`.

use serde::{Deserialize, Deserializer, Serialize, Serializer};
use std::fmt;
use time::OffsetDateTime;
use time::format_description::well_known::Rfc3339;

/// A point in time read from an RFC 3339 string; compares by instant.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Timestamp(OffsetDateTime);

impl Timestamp {
    /// Parses an RFC 3339 date-time (`2025-02-27T07:00:00.000000Z`).
    pub fn parse(s: &str) -> Option<Self> {
        OffsetDateTime::parse(s.trim(), &Rfc3339).ok().map(Self)
    }

    /// The current time.
    pub fn now() -> Self {
        Self(OffsetDateTime::now_utc())
    }
}

impl fmt::Display for Timestamp {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let utc = self.0.to_offset(time::UtcOffset::UTC);
        match utc.format(&Rfc3339) {
            Ok(s) => f.write_str(&s),
            Err(_) => write!(f, "{utc}"),
        }
    }
}

impl Serialize for Timestamp {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for Timestamp {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        Self::parse(&s).ok_or_else(|| serde::de::Error::custom(format!("not RFC 3339: {s}")))
    }
}

/// Deserializes an optional RFC 3339 string leniently: a value that does not
/// parse becomes `None` (the document is then fetched, never skipped).
pub(crate) fn lenient<'de, D: Deserializer<'de>>(d: D) -> Result<Option<Timestamp>, D::Error> {
    let s = Option::<serde_json::Value>::deserialize(d)?;
    Ok(s.as_ref()
        .and_then(serde_json::Value::as_str)
        .and_then(Timestamp::parse))
}
