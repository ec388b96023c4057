//! The zone policy: which zones exist (IEC 62443-3-2 ZCR 3) and which
//! devices belong to each, read from a TOML file.

mod raw;

use std::net::IpAddr;

use medvigil_model::{Category, Criticality, Device, DeviceId, EuClass, MacAddr, VlanId};
use toml::Spanned;

use crate::{IpNet, ZoneName};

/// The built-in zone policy (`data/zones.toml`).
const DEFAULT_TOML: &str = include_str!("../../data/zones.toml");

/// Zones, membership rules and overrides, and how learning treats intra-zone
/// traffic and unpatchable devices.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ZonePolicy {
    /// `[settings]`.
    pub settings: Settings,
    /// `[zones.<name>]`, by name; always holds `unassigned` and `external`.
    pub zones: Vec<ZoneDecl>,
    /// `[[rules]]`, in file order: the first that matches a device wins.
    pub rules: Vec<Rule>,
    /// `[[overrides]]`: explicit placements that beat every rule.
    pub overrides: Vec<Override>,
}

/// How conduits are learned.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Settings {
    /// `intra_zone = "allow"` (default): traffic inside a zone is allowed
    /// wholesale, except inside `unassigned` and `external`; `"learn"`: it
    /// becomes conduits like any other.
    pub allow_intra_zone: bool,
    /// `unpatchable = "device-rules"` (default): devices that cannot be
    /// patched or are past end of support get rules for exactly the peers and
    /// services they used; `"zone"`: they are treated like their zone.
    pub restrict_unpatchable: bool,
}

impl Default for Settings {
    fn default() -> Self {
        Self {
            allow_intra_zone: true,
            restrict_unpatchable: true,
        }
    }
}

/// A zone and what it is for.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ZoneDecl {
    /// Name.
    pub name: ZoneName,
    /// What belongs there, for reviewers.
    pub description: String,
}

/// A membership rule: every criterion given must hold; a list criterion holds
/// when any of its values does.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Rule {
    /// A label for reviewers.
    pub name: Option<String>,
    /// The zone a matching device goes to.
    pub zone: ZoneName,
    /// The criteria.
    pub criteria: Criteria,
}

/// Device attributes a rule tests.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Criteria {
    /// `category`: device category.
    pub category: Vec<Category>,
    /// `eu_class`: EU MDR class.
    pub eu_class: Vec<EuClass>,
    /// `criticality`: clinical criticality.
    pub criticality: Vec<Criticality>,
    /// `site`: site name (case-insensitive).
    pub site: Vec<String>,
    /// `building` (case-insensitive).
    pub building: Vec<String>,
    /// `ward` (alias `department`; case-insensitive).
    pub ward: Vec<String>,
    /// `vlan`.
    pub vlan: Vec<VlanId>,
    /// `cidr`: the device's IP lies in one of them. A rule with only this
    /// criterion also places addresses seen in traffic that no device has.
    pub cidr: Vec<IpNet>,
    /// `unpatchable`: whether the device cannot be patched or is past its end
    /// of support.
    pub unpatchable: Option<bool>,
}

/// What an override names.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Selector {
    /// A device by id.
    Device(DeviceId),
    /// A device by MAC address.
    Mac(MacAddr),
    /// A device, or an address seen in traffic, by IP.
    Ip(IpAddr),
    /// Devices and addresses in a prefix.
    Cidr(IpNet),
}

/// An explicit placement.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Override {
    /// What it places.
    pub selector: Selector,
    /// Where.
    pub zone: ZoneName,
    /// Why, for reviewers.
    pub note: Option<String>,
}

/// Why a zone policy file was rejected.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum ZonePolicyError {
    /// Not TOML, or a key that is unknown or has a wrong value.
    #[error("zone policy{}{}: {message}", key.as_deref().map(|k| format!(" key '{k}'")).unwrap_or_default(), line.map(|l| format!(" (line {l})")).unwrap_or_default())]
    Parse {
        /// The dotted key (`rules[2].category[0]`), when known.
        key: Option<String>,
        /// 1-based line, when known.
        line: Option<usize>,
        /// What the TOML reader said.
        message: String,
    },
    /// A value that parses but breaks a rule of the policy.
    #[error("zone policy key '{key}'{} = {value}: {rule}", line.map(|l| format!(" (line {l})")).unwrap_or_default())]
    Invalid {
        /// The dotted key.
        key: String,
        /// 1-based line, when known.
        line: Option<usize>,
        /// The value found.
        value: String,
        /// The rule it breaks.
        rule: &'static str,
    },
}

impl Default for ZonePolicy {
    /// The built-in policy: imaging, infusion, patient-monitoring,
    /// laboratory, clinical-it, building-systems and guests.
    fn default() -> Self {
        // The file ships with the crate and a test parses it.
        Self::from_toml(DEFAULT_TOML).unwrap_or_else(|_| Self::empty())
    }
}

impl ZonePolicy {
    /// A policy with only the built-in zones and no rules.
    pub fn empty() -> Self {
        Self {
            settings: Settings::default(),
            zones: builtin_zones(),
            rules: Vec::new(),
            overrides: Vec::new(),
        }
    }

    /// The text of the built-in policy, to start a site's own file from.
    pub const fn default_toml() -> &'static str {
        DEFAULT_TOML
    }

    /// Reads a zone policy from TOML.
    ///
    /// # Errors
    /// [`ZonePolicyError`] naming the key at fault and its line.
    pub fn from_toml(text: &str) -> Result<Self, ZonePolicyError> {
        let line_of = |span: Option<std::ops::Range<usize>>| {
            span.map(|r| text[..r.start.min(text.len())].matches('\n').count() + 1)
        };
        let de = toml::Deserializer::parse(text).map_err(|e| ZonePolicyError::Parse {
            key: None,
            line: line_of(e.span()),
            message: e.message().to_owned(),
        })?;
        let file: raw::File = serde_path_to_error::deserialize(de).map_err(|e| {
            let path = e.path().to_string();
            let inner = e.into_inner();
            ZonePolicyError::Parse {
                key: (path != "." && !path.is_empty()).then_some(path),
                line: line_of(inner.span()),
                message: inner.message().to_owned(),
            }
        })?;
        Self::from_raw(file, &|span| line_of(Some(span)))
    }

    /// The policy as TOML, which [`ZonePolicy::from_toml`] reads back equal.
    pub fn to_toml(&self) -> String {
        // Strings, numbers and tables only: serialisation cannot fail.
        toml::to_string(&self.to_raw()).unwrap_or_default()
    }

    /// Whether a zone of that name exists.
    pub fn has_zone(&self, name: &ZoneName) -> bool {
        self.zones.iter().any(|z| &z.name == name)
    }

    fn from_raw(
        file: raw::File,
        line_of: &dyn Fn(std::ops::Range<usize>) -> Option<usize>,
    ) -> Result<Self, ZonePolicyError> {
        let settings = Settings {
            allow_intra_zone: !matches!(file.settings.intra_zone, Some(raw::IntraZone::Learn)),
            restrict_unpatchable: !matches!(
                file.settings.unpatchable,
                Some(raw::Unpatchable::Zone)
            ),
        };
        let mut zones = builtin_zones();
        for (name, decl) in file.zones {
            match zones.iter_mut().find(|z| z.name == name) {
                Some(z) => z.description = decl.description,
                None => zones.push(ZoneDecl {
                    name,
                    description: decl.description,
                }),
            }
        }
        zones.sort_by(|a, b| a.name.cmp(&b.name));
        let known = |key: String, zone: Spanned<ZoneName>| {
            let span = zone.span();
            let zone = zone.into_inner();
            if zones.iter().any(|z| z.name == zone) {
                Ok(zone)
            } else {
                Err(ZonePolicyError::Invalid {
                    key,
                    line: line_of(span),
                    value: format!("\"{zone}\""),
                    rule: "no such zone (declare it as [zones.<name>])",
                })
            }
        };
        let mut rules = Vec::with_capacity(file.rules.len());
        for (i, r) in file.rules.into_iter().enumerate() {
            let zone = known(format!("rules[{i}].zone"), r.zone)?;
            let mut vlan = Vec::with_capacity(r.vlan.len());
            for (j, v) in r.vlan.into_iter().enumerate() {
                let span = v.span();
                let id = *v.get_ref();
                vlan.push(VlanId::new(id).map_err(|_| ZonePolicyError::Invalid {
                    key: format!("rules[{i}].vlan[{j}]"),
                    line: line_of(span),
                    value: id.to_string(),
                    rule: "a VLAN id is 1 to 4094",
                })?);
            }
            let fold = |v: Vec<String>| v.into_iter().map(|s| s.trim().to_lowercase()).collect();
            rules.push(Rule {
                name: r.name,
                zone,
                criteria: Criteria {
                    category: r.category,
                    eu_class: r.eu_class,
                    criticality: r.criticality,
                    site: fold(r.site),
                    building: fold(r.building),
                    ward: fold(r.ward),
                    vlan,
                    cidr: r.cidr,
                    unpatchable: r.unpatchable,
                },
            });
        }
        let mut overrides: Vec<Override> = Vec::with_capacity(file.overrides.len());
        for (i, o) in file.overrides.into_iter().enumerate() {
            let line = line_of(o.zone.span());
            let selectors = [
                o.device.map(Selector::Device),
                o.mac.map(Selector::Mac),
                o.ip.map(Selector::Ip),
                o.cidr.map(Selector::Cidr),
            ];
            let mut set = selectors.into_iter().flatten();
            let (Some(selector), None) = (set.next(), set.next()) else {
                return Err(ZonePolicyError::Invalid {
                    key: format!("overrides[{i}]"),
                    line,
                    value: "{ … }".to_owned(),
                    rule: "an override names exactly one of device, mac, ip, cidr",
                });
            };
            if overrides.iter().any(|p| p.selector == selector) {
                return Err(ZonePolicyError::Invalid {
                    key: format!("overrides[{i}]"),
                    line,
                    value: "{ … }".to_owned(),
                    rule: "the same device or address is overridden twice",
                });
            }
            let zone = known(format!("overrides[{i}].zone"), o.zone)?;
            overrides.push(Override {
                selector,
                zone,
                note: o.note,
            });
        }
        Ok(Self {
            settings,
            zones,
            rules,
            overrides,
        })
    }

    fn to_raw(&self) -> raw::File {
        let span = || Spanned::new(0..0, ());
        let spanned = |z: &ZoneName| Spanned::new(span().span(), z.clone());
        raw::File {
            settings: raw::Settings {
                intra_zone: Some(if self.settings.allow_intra_zone {
                    raw::IntraZone::Allow
                } else {
                    raw::IntraZone::Learn
                }),
                unpatchable: Some(if self.settings.restrict_unpatchable {
                    raw::Unpatchable::DeviceRules
                } else {
                    raw::Unpatchable::Zone
                }),
            },
            zones: self
                .zones
                .iter()
                .map(|z| {
                    (
                        z.name.clone(),
                        raw::ZoneDecl {
                            description: z.description.clone(),
                        },
                    )
                })
                .collect(),
            rules: self
                .rules
                .iter()
                .map(|r| {
                    let c = &r.criteria;
                    raw::Rule {
                        name: r.name.clone(),
                        zone: spanned(&r.zone),
                        category: c.category.clone(),
                        eu_class: c.eu_class.clone(),
                        criticality: c.criticality.clone(),
                        site: c.site.clone(),
                        building: c.building.clone(),
                        ward: c.ward.clone(),
                        vlan: c.vlan.iter().map(|v| Spanned::new(0..0, v.get())).collect(),
                        cidr: c.cidr.clone(),
                        unpatchable: c.unpatchable,
                    }
                })
                .collect(),
            overrides: self
                .overrides
                .iter()
                .map(|o| {
                    let mut r = raw::Override {
                        zone: spanned(&o.zone),
                        device: None,
                        mac: None,
                        ip: None,
                        cidr: None,
                        note: o.note.clone(),
                    };
                    match o.selector {
                        Selector::Device(d) => r.device = Some(d),
                        Selector::Mac(m) => r.mac = Some(m),
                        Selector::Ip(ip) => r.ip = Some(ip),
                        Selector::Cidr(n) => r.cidr = Some(n),
                    }
                    r
                })
                .collect(),
        }
    }
}

fn builtin_zones() -> Vec<ZoneDecl> {
    vec![
        ZoneDecl {
            name: ZoneName::external(),
            description: "Addresses outside the hospital's internal ranges".to_owned(),
        },
        ZoneDecl {
            name: ZoneName::unassigned(),
            description: "Devices no rule placed, and internal addresses of no known device"
                .to_owned(),
        },
    ]
}

impl Criteria {
    /// Whether the rule tests nothing but the address: such a rule also
    /// places addresses seen in traffic that belong to no known device.
    pub fn is_address_only(&self) -> bool {
        !self.cidr.is_empty()
            && self.category.is_empty()
            && self.eu_class.is_empty()
            && self.criticality.is_empty()
            && self.site.is_empty()
            && self.building.is_empty()
            && self.ward.is_empty()
            && self.vlan.is_empty()
            && self.unpatchable.is_none()
    }

    /// Whether a device meets every criterion.
    pub fn matches(&self, device: &Device, unpatchable: bool) -> bool {
        let f = &device.fields;
        fn any<T: PartialEq>(wanted: &[T], value: Option<&T>) -> bool {
            wanted.is_empty() || value.is_some_and(|v| wanted.contains(v))
        }
        fn text(wanted: &[String], value: Option<&String>) -> bool {
            wanted.is_empty()
                || value.is_some_and(|v| {
                    let v = v.trim();
                    wanted.iter().any(|w| w.eq_ignore_ascii_case(v))
                })
        }
        any(&self.category, f.category.as_ref())
            && any(&self.eu_class, f.eu_class.as_ref())
            && any(&self.criticality, f.criticality.as_ref())
            && any(&self.vlan, f.vlan.as_ref())
            && text(&self.site, f.location.site.as_ref())
            && text(&self.building, f.location.building.as_ref())
            && text(&self.ward, f.location.ward.as_ref())
            && (self.cidr.is_empty()
                || f.ip
                    .is_some_and(|ip| self.cidr.iter().any(|n| n.contains(ip))))
            && self.unpatchable.is_none_or(|u| u == unpatchable)
    }
}
