//! The zone policy file as written: serde structs, converted once into
//! [`super::ZonePolicy`].

use std::collections::BTreeMap;
use std::net::IpAddr;

use medvigil_model::{Category, Criticality, DeviceId, EuClass, MacAddr};
use serde::{Deserialize, Serialize};
use toml::Spanned;

use crate::{IpNet, ZoneName};

#[derive(Debug, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct File {
    #[serde(default)]
    pub settings: Settings,
    #[serde(default)]
    pub zones: BTreeMap<ZoneName, ZoneDecl>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub rules: Vec<Rule>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub overrides: Vec<Override>,
}

#[derive(Debug, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct Settings {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub intra_zone: Option<IntraZone>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub unpatchable: Option<Unpatchable>,
}

#[derive(Debug, Clone, Copy, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub(super) enum IntraZone {
    Allow,
    Learn,
}

#[derive(Debug, Clone, Copy, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub(super) enum Unpatchable {
    DeviceRules,
    Zone,
}

#[derive(Debug, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct ZoneDecl {
    #[serde(default)]
    pub description: String,
}

#[derive(Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct Rule {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    pub zone: Spanned<ZoneName>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub category: Vec<Category>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub eu_class: Vec<EuClass>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub criticality: Vec<Criticality>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub site: Vec<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub building: Vec<String>,
    #[serde(default, alias = "department", skip_serializing_if = "Vec::is_empty")]
    pub ward: Vec<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub vlan: Vec<Spanned<u16>>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub cidr: Vec<IpNet>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub unpatchable: Option<bool>,
}

#[derive(Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct Override {
    pub zone: Spanned<ZoneName>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub device: Option<DeviceId>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub mac: Option<MacAddr>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ip: Option<IpAddr>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cidr: Option<IpNet>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}
