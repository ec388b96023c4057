//! Where each value of a device came from.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use time::OffsetDateTime;

use crate::{DeviceField, ProvenanceId};

/// The kind of source a value came from.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SourceKind {
    /// An import of a CMMS / asset-management export.
    CmmsImport,
    /// Passive network discovery.
    Discovery,
    /// Typed in by a person.
    Manual,
}

impl SourceKind {
    /// The stable name used in storage and APIs.
    pub const fn as_str(self) -> &'static str {
        match self {
            Self::CmmsImport => "cmms_import",
            Self::Discovery => "discovery",
            Self::Manual => "manual",
        }
    }

    /// The kind named by [`SourceKind::as_str`].
    pub fn from_name(s: &str) -> Option<Self> {
        match s {
            "cmms_import" => Some(Self::CmmsImport),
            "discovery" => Some(Self::Discovery),
            "manual" => Some(Self::Manual),
            _ => None,
        }
    }
}

/// One source event: an import run, a discovery run or a manual edit.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Provenance {
    /// Identifier, referenced by [`FieldSources`].
    pub id: ProvenanceId,
    /// What kind of source.
    pub kind: SourceKind,
    /// When it happened.
    #[serde(with = "time::serde::rfc3339")]
    pub at: OffsetDateTime,
    /// Who did it (user name, sensor name).
    pub actor: String,
    /// What it was (file name, capture, interface).
    pub detail: String,
}

/// For each field of a device, the provenance record that last set it.
pub type FieldSources = BTreeMap<DeviceField, ProvenanceId>;
