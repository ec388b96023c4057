//! The OSV schema (1.x) as it comes, every field optional where real
//! records omit it.

use std::collections::BTreeMap;

use serde::Deserialize;

#[derive(Debug, Deserialize)]
pub(super) struct RawOsv {
    pub id: String,
    pub modified: Option<String>,
    pub published: Option<String>,
    pub withdrawn: Option<String>,
    #[serde(default)]
    pub aliases: Vec<String>,
    #[serde(default)]
    pub upstream: Vec<String>,
    #[serde(default)]
    pub related: Vec<String>,
    pub summary: Option<String>,
    pub details: Option<String>,
    #[serde(default)]
    pub severity: Vec<RawSeverity>,
    #[serde(default)]
    pub affected: Vec<RawAffected>,
    #[serde(default)]
    pub references: Vec<RawReference>,
    pub database_specific: Option<serde_json::Value>,
}

#[derive(Debug, Deserialize)]
pub(super) struct RawAffected {
    pub package: Option<RawPackage>,
    #[serde(default)]
    pub severity: Vec<RawSeverity>,
    #[serde(default)]
    pub ranges: Vec<RawRange>,
    #[serde(default)]
    pub versions: Vec<String>,
}

#[derive(Debug, Deserialize)]
pub(super) struct RawPackage {
    pub ecosystem: Option<String>,
    pub name: Option<String>,
    pub purl: Option<String>,
}

#[derive(Debug, Deserialize)]
pub(super) struct RawRange {
    #[serde(rename = "type")]
    pub ty: String,
    pub repo: Option<String>,
    #[serde(default)]
    pub events: Vec<BTreeMap<String, String>>,
}

#[derive(Debug, Deserialize)]
pub(super) struct RawSeverity {
    #[serde(rename = "type")]
    pub ty: String,
    pub score: String,
}

#[derive(Debug, Deserialize)]
pub(super) struct RawReference {
    #[serde(rename = "type")]
    pub ty: Option<String>,
    pub url: String,
}
