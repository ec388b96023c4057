//! `/document`: the metadata of a CSAF document (spec 3.2.1) and the
//! shared types `notes_t`, `references_t`, `acknowledgments_t` (spec 3.1).
//!
//! Properties the schema requires are plain fields filled with a default
//! when absent (the schema check reports the absence, see `validate::schema`);
//! optional ones are `Option` so that "absent" and "empty" stay apart, which
//! several tests (6.1.27.x, 6.2.10 …) depend on.

use super::enums::{NoteCategory, PublisherCategory, ReferenceCategory, TlpLabel, TrackingStatus};
use serde::{Deserialize, Serialize};

/// `/document` (spec 3.2.1).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct DocumentMeta {
    /// Who is credited (`acknowledgments_t`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub acknowledgments: Option<Vec<Acknowledgment>>,
    /// Overall severity as free text with an optional namespace.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub aggregate_severity: Option<AggregateSeverity>,
    /// Free text with a pattern (spec 3.2.1.3); `csaf_base`, `csaf_vex` … select a profile.
    #[serde(default)]
    pub category: String,
    /// Must be `2.0`.
    #[serde(default)]
    pub csaf_version: String,
    /// Distribution rules (text and TLP).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub distribution: Option<Distribution>,
    /// Language of the document (BCP 47).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub lang: Option<String>,
    /// Notes (`notes_t`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub notes: Option<Vec<Note>>,
    /// Who publishes the document.
    #[serde(default)]
    pub publisher: Publisher,
    /// References (`references_t`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub references: Option<Vec<Reference>>,
    /// Language of the original, for translations.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source_lang: Option<String>,
    /// Title.
    #[serde(default)]
    pub title: String,
    /// Tracking metadata: id, dates, status, version, revisions.
    #[serde(default)]
    pub tracking: Tracking,
}

/// `acknowledgments_t` item (spec 3.1.1).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Acknowledgment {
    /// Names of the acknowledged people.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub names: Option<Vec<String>>,
    /// Organization of the acknowledged people.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub organization: Option<String>,
    /// Summary.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub summary: Option<String>,
    /// URLs.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub urls: Option<Vec<String>>,
}

/// `/document/aggregate_severity` (spec 3.2.1.2).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct AggregateSeverity {
    /// Namespace URI.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub namespace: Option<String>,
    /// Text.
    #[serde(default)]
    pub text: String,
}

/// `/document/distribution` (spec 3.2.1.5).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Distribution {
    /// Text.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub text: Option<String>,
    /// Traffic Light Protocol label.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tlp: Option<Tlp>,
}

/// `/document/distribution/tlp` (spec 3.2.1.5.2).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Tlp {
    /// Label (vocabulary of the schema).
    #[serde(default)]
    pub label: TlpLabel,
    /// URL.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
}

/// `notes_t` item (spec 3.1.6).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Note {
    /// Who the note is for.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub audience: Option<String>,
    /// Category (vocabulary of the schema).
    #[serde(default)]
    pub category: NoteCategory,
    /// Text.
    #[serde(default)]
    pub text: String,
    /// Title.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
}

/// `/document/publisher` (spec 3.2.1.8).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Publisher {
    /// Category (vocabulary of the schema).
    #[serde(default)]
    pub category: PublisherCategory,
    /// How to reach the publisher.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub contact_details: Option<String>,
    /// The publisher's authority to issue the document.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub issuing_authority: Option<String>,
    /// Name.
    #[serde(default)]
    pub name: String,
    /// Namespace URI.
    #[serde(default)]
    pub namespace: String,
}

/// `references_t` item (spec 3.1.9).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Reference {
    /// Absent means `external` (schema default).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub category: Option<ReferenceCategory>,
    /// Summary.
    #[serde(default)]
    pub summary: String,
    /// URL.
    #[serde(default)]
    pub url: String,
}

/// `/document/tracking` (spec 3.2.1.12).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Tracking {
    /// Other tracking ids of this document.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub aliases: Option<Vec<String>>,
    /// Date-time of the current release.
    #[serde(default)]
    pub current_release_date: String,
    /// Generator of the document.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub generator: Option<Generator>,
    /// Identifier.
    #[serde(default)]
    pub id: String,
    /// Date-time of the first release.
    #[serde(default)]
    pub initial_release_date: String,
    /// One item per released revision.
    #[serde(default)]
    pub revision_history: Vec<Revision>,
    /// Status (vocabulary of the schema).
    #[serde(default)]
    pub status: TrackingStatus,
    /// Version.
    #[serde(default)]
    pub version: String,
}

/// `/document/tracking/generator` (spec 3.2.1.12.3).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Generator {
    /// Date-time (RFC 3339).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub date: Option<String>,
    /// The tool that generated the document.
    #[serde(default)]
    pub engine: Engine,
}

/// `/document/tracking/generator/engine` (spec 3.2.1.12.3.2).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Engine {
    /// Name.
    #[serde(default)]
    pub name: String,
    /// Version.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub version: Option<String>,
}

/// `/document/tracking/revision_history[]` item (spec 3.2.1.12.6).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Revision {
    /// Date-time (RFC 3339).
    #[serde(default)]
    pub date: String,
    /// Version in a legacy numbering scheme.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub legacy_version: Option<String>,
    /// Version number of this revision (`version_t`).
    #[serde(default)]
    pub number: String,
    /// Summary.
    #[serde(default)]
    pub summary: String,
}
