//! The closed vocabularies of the CycloneDX schemas that the checks use.

/// `component.type`, with the minor version that introduced each value.
pub(super) const COMPONENT_TYPES: &[(&str, u8)] = &[
    ("application", 0),
    ("framework", 0),
    ("library", 0),
    ("container", 2),
    ("operating-system", 0),
    ("device", 0),
    ("firmware", 2),
    ("file", 2),
    ("platform", 5),
    ("device-driver", 5),
    ("machine-learning-model", 5),
    ("data", 5),
    ("cryptographic-asset", 6),
];
pub(super) const COMPONENT_TYPE_NAMES: &[&str] = &[
    "application",
    "framework",
    "library",
    "container",
    "platform",
    "operating-system",
    "device",
    "device-driver",
    "firmware",
    "file",
    "machine-learning-model",
    "data",
    "cryptographic-asset",
];
pub(super) const SCOPES: &[&str] = &["required", "optional", "excluded"];
pub(super) const HASH_ALGS: &[&str] = &[
    "MD5",
    "SHA-1",
    "SHA-256",
    "SHA-384",
    "SHA-512",
    "SHA3-256",
    "SHA3-384",
    "SHA3-512",
    "BLAKE2b-256",
    "BLAKE2b-384",
    "BLAKE2b-512",
    "BLAKE3",
];
pub(super) const PATCH_TYPES: &[&str] = &["unofficial", "monkey", "backport", "cherry-pick"];
pub(super) const ISSUE_TYPES: &[&str] = &["defect", "enhancement", "security"];
pub(super) const DATA_FLOWS: &[&str] = &["inbound", "outbound", "bi-directional", "unknown"];
pub(super) const ENCODINGS: &[&str] = &["base64"];
/// `metadata` properties, with the minor version that introduced each
/// (`metadata` allows no others).
pub(super) const METADATA_KEYS: &[(&str, u8)] = &[
    ("timestamp", 0),
    ("tools", 0),
    ("authors", 0),
    ("component", 0),
    ("manufacture", 0),
    ("supplier", 0),
    ("licenses", 3),
    ("properties", 3),
    ("lifecycles", 5),
    ("manufacturer", 6),
    ("distributionConstraints", 7),
];
