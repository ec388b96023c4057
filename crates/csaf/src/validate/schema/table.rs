//! The CSAF 2.0 JSON schema (spec section 3 / `csaf_json_schema.json`
//! errata 01) as static tables for `schema.rs`.

use super::{Obj, Str, Ty};
use crate::model::{
    BranchCategory, FlagLabel, InvolvementParty, InvolvementStatus, NoteCategory,
    PublisherCategory, ReferenceCategory, RelationshipCategory, RemediationCategory,
    RestartCategory, ThreatCategory, TlpLabel, TrackingStatus,
};

const TEXT: Ty = Ty::Str(Str::Text);
const URI: Ty = Ty::Str(Str::Uri);
const DATE: Ty = Ty::Str(Str::DateTime);
const TEXTS: Ty = Ty::Arr(&TEXT, 1, false);
const UNIQUE_TEXTS: Ty = Ty::Arr(&TEXT, 1, true);
const URIS: Ty = Ty::Arr(&URI, 1, false);
/// `products_t` / `product_groups_t`.
const IDS: Ty = Ty::Arr(&TEXT, 1, true);

static ACKNOWLEDGMENT: Obj = Obj {
    fields: &[
        ("names", TEXTS),
        ("organization", TEXT),
        ("summary", TEXT),
        ("urls", URIS),
    ],
    required: &[],
    min_properties: 1,
};
const ACKNOWLEDGMENTS: Ty = Ty::Arr(&Ty::Obj(&ACKNOWLEDGMENT), 1, false);

static NOTE: Obj = Obj {
    fields: &[
        ("audience", TEXT),
        ("category", Ty::Str(Str::Enum(NoteCategory::ALLOWED))),
        ("text", TEXT),
        ("title", TEXT),
    ],
    required: &["category", "text"],
    min_properties: 0,
};
const NOTES: Ty = Ty::Arr(&Ty::Obj(&NOTE), 1, false);

static REFERENCE: Obj = Obj {
    fields: &[
        ("category", Ty::Str(Str::Enum(ReferenceCategory::ALLOWED))),
        ("summary", TEXT),
        ("url", URI),
    ],
    required: &["summary", "url"],
    min_properties: 0,
};
const REFERENCES: Ty = Ty::Arr(&Ty::Obj(&REFERENCE), 1, false);

static FILE_HASH: Obj = Obj {
    fields: &[("algorithm", TEXT), ("value", Ty::Str(Str::HashValue))],
    required: &["algorithm", "value"],
    min_properties: 0,
};
static HASHES: Obj = Obj {
    fields: &[
        ("file_hashes", Ty::Arr(&Ty::Obj(&FILE_HASH), 1, false)),
        ("filename", TEXT),
    ],
    required: &["file_hashes", "filename"],
    min_properties: 0,
};
static GENERIC_URI: Obj = Obj {
    fields: &[("namespace", URI), ("uri", URI)],
    required: &["namespace", "uri"],
    min_properties: 0,
};
static HELPER: Obj = Obj {
    fields: &[
        ("cpe", Ty::Str(Str::Cpe)),
        ("hashes", Ty::Arr(&Ty::Obj(&HASHES), 1, false)),
        ("model_numbers", UNIQUE_TEXTS),
        ("purl", Ty::Str(Str::Purl)),
        ("sbom_urls", URIS),
        ("serial_numbers", UNIQUE_TEXTS),
        ("skus", TEXTS),
        ("x_generic_uris", Ty::Arr(&Ty::Obj(&GENERIC_URI), 1, false)),
    ],
    required: &[],
    min_properties: 1,
};
static FULL_PRODUCT_NAME: Obj = Obj {
    fields: &[
        ("name", TEXT),
        ("product_id", TEXT),
        ("product_identification_helper", Ty::Obj(&HELPER)),
    ],
    required: &["name", "product_id"],
    min_properties: 0,
};
static BRANCH: Obj = Obj {
    fields: &[
        ("branches", Ty::Arr(&Ty::Obj(&BRANCH), 1, false)),
        ("category", Ty::Str(Str::Enum(BranchCategory::ALLOWED))),
        ("name", TEXT),
        ("product", Ty::Obj(&FULL_PRODUCT_NAME)),
    ],
    required: &["category", "name"],
    min_properties: 3,
};
static PRODUCT_GROUP: Obj = Obj {
    fields: &[
        ("group_id", TEXT),
        ("product_ids", Ty::Arr(&TEXT, 2, true)),
        ("summary", TEXT),
    ],
    required: &["group_id", "product_ids"],
    min_properties: 0,
};
static RELATIONSHIP: Obj = Obj {
    fields: &[
        (
            "category",
            Ty::Str(Str::Enum(RelationshipCategory::ALLOWED)),
        ),
        ("full_product_name", Ty::Obj(&FULL_PRODUCT_NAME)),
        ("product_reference", TEXT),
        ("relates_to_product_reference", TEXT),
    ],
    required: &[
        "category",
        "full_product_name",
        "product_reference",
        "relates_to_product_reference",
    ],
    min_properties: 0,
};
static PRODUCT_TREE: Obj = Obj {
    fields: &[
        ("branches", Ty::Arr(&Ty::Obj(&BRANCH), 1, false)),
        (
            "full_product_names",
            Ty::Arr(&Ty::Obj(&FULL_PRODUCT_NAME), 1, false),
        ),
        (
            "product_groups",
            Ty::Arr(&Ty::Obj(&PRODUCT_GROUP), 1, false),
        ),
        ("relationships", Ty::Arr(&Ty::Obj(&RELATIONSHIP), 1, false)),
    ],
    required: &[],
    min_properties: 1,
};

static REVISION: Obj = Obj {
    fields: &[
        ("date", DATE),
        ("legacy_version", TEXT),
        ("number", Ty::Str(Str::Version)),
        ("summary", TEXT),
    ],
    required: &["date", "number", "summary"],
    min_properties: 0,
};
static ENGINE: Obj = Obj {
    fields: &[("name", TEXT), ("version", TEXT)],
    required: &["name"],
    min_properties: 0,
};
static GENERATOR: Obj = Obj {
    fields: &[("date", DATE), ("engine", Ty::Obj(&ENGINE))],
    required: &["engine"],
    min_properties: 0,
};
static TRACKING: Obj = Obj {
    fields: &[
        ("aliases", UNIQUE_TEXTS),
        ("current_release_date", DATE),
        ("generator", Ty::Obj(&GENERATOR)),
        ("id", Ty::Str(Str::TrackingId)),
        ("initial_release_date", DATE),
        ("revision_history", Ty::Arr(&Ty::Obj(&REVISION), 1, false)),
        ("status", Ty::Str(Str::Enum(TrackingStatus::ALLOWED))),
        ("version", Ty::Str(Str::Version)),
    ],
    required: &[
        "current_release_date",
        "id",
        "initial_release_date",
        "revision_history",
        "status",
        "version",
    ],
    min_properties: 0,
};
static PUBLISHER: Obj = Obj {
    fields: &[
        ("category", Ty::Str(Str::Enum(PublisherCategory::ALLOWED))),
        ("contact_details", TEXT),
        ("issuing_authority", TEXT),
        ("name", TEXT),
        ("namespace", URI),
    ],
    required: &["category", "name", "namespace"],
    min_properties: 0,
};
static TLP: Obj = Obj {
    fields: &[
        ("label", Ty::Str(Str::Enum(TlpLabel::ALLOWED))),
        ("url", URI),
    ],
    required: &["label"],
    min_properties: 0,
};
static DISTRIBUTION: Obj = Obj {
    fields: &[("text", TEXT), ("tlp", Ty::Obj(&TLP))],
    required: &[],
    min_properties: 1,
};
static AGGREGATE_SEVERITY: Obj = Obj {
    fields: &[("namespace", URI), ("text", TEXT)],
    required: &["text"],
    min_properties: 0,
};
static DOCUMENT: Obj = Obj {
    fields: &[
        ("acknowledgments", ACKNOWLEDGMENTS),
        ("aggregate_severity", Ty::Obj(&AGGREGATE_SEVERITY)),
        ("category", Ty::Str(Str::Category)),
        ("csaf_version", Ty::Str(Str::Enum(&["2.0"]))),
        ("distribution", Ty::Obj(&DISTRIBUTION)),
        ("lang", Ty::Str(Str::Lang)),
        ("notes", NOTES),
        ("publisher", Ty::Obj(&PUBLISHER)),
        ("references", REFERENCES),
        ("source_lang", Ty::Str(Str::Lang)),
        ("title", TEXT),
        ("tracking", Ty::Obj(&TRACKING)),
    ],
    required: &["category", "csaf_version", "publisher", "title", "tracking"],
    min_properties: 0,
};

static CWE: Obj = Obj {
    fields: &[("id", Ty::Str(Str::CweId)), ("name", TEXT)],
    required: &["id", "name"],
    min_properties: 0,
};
static FLAG: Obj = Obj {
    fields: &[
        ("date", DATE),
        ("group_ids", IDS),
        ("label", Ty::Str(Str::Enum(FlagLabel::ALLOWED))),
        ("product_ids", IDS),
    ],
    required: &["label"],
    min_properties: 0,
};
static ID: Obj = Obj {
    fields: &[("system_name", TEXT), ("text", TEXT)],
    required: &["system_name", "text"],
    min_properties: 0,
};
static INVOLVEMENT: Obj = Obj {
    fields: &[
        ("date", DATE),
        ("party", Ty::Str(Str::Enum(InvolvementParty::ALLOWED))),
        ("status", Ty::Str(Str::Enum(InvolvementStatus::ALLOWED))),
        ("summary", TEXT),
    ],
    required: &["party", "status"],
    min_properties: 0,
};
static PRODUCT_STATUS: Obj = Obj {
    fields: &[
        ("first_affected", IDS),
        ("first_fixed", IDS),
        ("fixed", IDS),
        ("known_affected", IDS),
        ("known_not_affected", IDS),
        ("last_affected", IDS),
        ("recommended", IDS),
        ("under_investigation", IDS),
    ],
    required: &[],
    min_properties: 1,
};
static RESTART: Obj = Obj {
    fields: &[
        ("category", Ty::Str(Str::Enum(RestartCategory::ALLOWED))),
        ("details", TEXT),
    ],
    required: &["category"],
    min_properties: 0,
};
static REMEDIATION: Obj = Obj {
    fields: &[
        ("category", Ty::Str(Str::Enum(RemediationCategory::ALLOWED))),
        ("date", DATE),
        ("details", TEXT),
        ("entitlements", TEXTS),
        ("group_ids", IDS),
        ("product_ids", IDS),
        ("restart_required", Ty::Obj(&RESTART)),
        ("url", URI),
    ],
    required: &["category", "details"],
    min_properties: 0,
};
static SCORE: Obj = Obj {
    fields: &[
        ("cvss_v2", Ty::Cvss),
        ("cvss_v3", Ty::Cvss),
        ("products", IDS),
    ],
    required: &["products"],
    min_properties: 2,
};
static THREAT: Obj = Obj {
    fields: &[
        ("category", Ty::Str(Str::Enum(ThreatCategory::ALLOWED))),
        ("date", DATE),
        ("details", TEXT),
        ("group_ids", IDS),
        ("product_ids", IDS),
    ],
    required: &["category", "details"],
    min_properties: 0,
};
static VULNERABILITY: Obj = Obj {
    fields: &[
        ("acknowledgments", ACKNOWLEDGMENTS),
        ("cve", Ty::Str(Str::Cve)),
        ("cwe", Ty::Obj(&CWE)),
        ("discovery_date", DATE),
        ("flags", Ty::Arr(&Ty::Obj(&FLAG), 1, true)),
        ("ids", Ty::Arr(&Ty::Obj(&ID), 1, true)),
        ("involvements", Ty::Arr(&Ty::Obj(&INVOLVEMENT), 1, true)),
        ("notes", NOTES),
        ("product_status", Ty::Obj(&PRODUCT_STATUS)),
        ("references", REFERENCES),
        ("release_date", DATE),
        ("remediations", Ty::Arr(&Ty::Obj(&REMEDIATION), 1, false)),
        ("scores", Ty::Arr(&Ty::Obj(&SCORE), 1, false)),
        ("threats", Ty::Arr(&Ty::Obj(&THREAT), 1, false)),
        ("title", TEXT),
    ],
    required: &[],
    min_properties: 1,
};

/// The whole document.
pub(in crate::validate) static ROOT: Obj = Obj {
    fields: &[
        ("document", Ty::Obj(&DOCUMENT)),
        ("product_tree", Ty::Obj(&PRODUCT_TREE)),
        (
            "vulnerabilities",
            Ty::Arr(&Ty::Obj(&VULNERABILITY), 1, false),
        ),
    ],
    required: &["document"],
    min_properties: 0,
};
