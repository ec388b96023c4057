//! The CVE Record Format 5.x as it comes (only the fields we use).

use serde::Deserialize;
use serde_json::Value;

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub(super) struct RawRecord {
    pub cve_metadata: RawMetadata,
    #[serde(default)]
    pub containers: RawContainers,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub(super) struct RawMetadata {
    pub cve_id: String,
    pub state: Option<String>,
    pub date_published: Option<String>,
    pub date_updated: Option<String>,
    pub date_rejected: Option<String>,
}

#[derive(Debug, Default, Deserialize)]
pub(super) struct RawContainers {
    pub cna: Option<RawContainer>,
    #[serde(default)]
    pub adp: Vec<RawContainer>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub(super) struct RawContainer {
    pub provider_metadata: Option<RawProvider>,
    pub title: Option<String>,
    #[serde(default)]
    pub descriptions: Vec<RawText>,
    #[serde(default)]
    pub affected: Vec<RawAffected>,
    #[serde(default)]
    pub metrics: Vec<Value>,
    #[serde(default)]
    pub problem_types: Vec<RawProblemType>,
    #[serde(default)]
    pub references: Vec<RawReference>,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub(super) struct RawProvider {
    pub short_name: Option<String>,
}

#[derive(Debug, Deserialize)]
pub(super) struct RawText {
    pub lang: Option<String>,
    pub value: String,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub(super) struct RawAffected {
    pub vendor: Option<String>,
    pub product: Option<String>,
    pub package_name: Option<String>,
    pub collection_url: Option<String>,
    #[serde(default)]
    pub cpes: Vec<String>,
    pub default_status: Option<String>,
    #[serde(default)]
    pub versions: Vec<RawVersion>,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub(super) struct RawVersion {
    pub version: String,
    pub status: String,
    pub version_type: Option<String>,
    pub less_than: Option<String>,
    pub less_than_or_equal: Option<String>,
    #[serde(default)]
    pub changes: Vec<RawChange>,
}

#[derive(Debug, Deserialize)]
pub(super) struct RawChange {
    pub at: String,
    pub status: String,
}

#[derive(Debug, Deserialize)]
pub(super) struct RawProblemType {
    #[serde(default)]
    pub descriptions: Vec<RawProblemDescription>,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub(super) struct RawProblemDescription {
    pub cwe_id: Option<String>,
    pub description: Option<String>,
}

#[derive(Debug, Deserialize)]
pub(super) struct RawReference {
    pub url: String,
    #[serde(default)]
    pub tags: Vec<String>,
}
