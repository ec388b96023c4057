//! The medical device a finding is on: regulatory class, clinical role,
//! network exposure, patchability and compensating controls.

use std::fmt;

use medvigil_model::{Category, Criticality, EuClass};
use serde::{Deserialize, Serialize};

/// From where an attacker can reach the device.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
#[non_exhaustive]
pub enum Exposure {
    /// Reachable from the internet (port forward, public IP, vendor cloud).
    Internet,
    /// Reachable from the hospital-wide / corporate LAN.
    #[serde(alias = "corporate-lan")]
    HospitalWide,
    /// Reachable only from the clinical (medical device) LAN.
    ClinicalLan,
    /// On an isolated segment reachable only from a few named systems.
    IsolatedSegment,
    /// Not known.
    #[default]
    Unknown,
}

impl Exposure {
    /// Every value.
    pub const ALL: [Self; 5] = [
        Self::Internet,
        Self::HospitalWide,
        Self::ClinicalLan,
        Self::IsolatedSegment,
        Self::Unknown,
    ];

    /// The phrase the reason uses.
    pub const fn phrase(self) -> &'static str {
        match self {
            Self::Internet => "reachable from the internet",
            Self::HospitalWide => "reachable from the hospital-wide network",
            Self::ClinicalLan => "reachable from the clinical LAN",
            Self::IsolatedSegment => "on an isolated network segment",
            Self::Unknown => "network exposure unknown",
        }
    }

    /// The stable name (`clinical-lan`).
    pub const fn as_str(self) -> &'static str {
        match self {
            Self::Internet => "internet",
            Self::HospitalWide => "hospital-wide",
            Self::ClinicalLan => "clinical-lan",
            Self::IsolatedSegment => "isolated-segment",
            Self::Unknown => "unknown",
        }
    }
}

impl fmt::Display for Exposure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A compensating control in place for the device (IEC 80001-1 / MDS2
/// style), which the policy credits by lowering the priority.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
#[non_exhaustive]
pub enum Control {
    /// In a dedicated VLAN / zone with firewall rules (IEC 62443 zones and conduits).
    Segmented,
    /// Air-gapped or without any network path from other zones.
    Isolated,
    /// Only named hosts and ports may talk to it (allow-list ACL).
    AccessRestricted,
    /// Traffic watched by an intrusion detection system with alerting.
    Monitored,
    /// The vendor's workaround for this vulnerability is applied.
    WorkaroundApplied,
    /// The vulnerable service or port is disabled.
    ServiceDisabled,
}

impl Control {
    /// Every control.
    pub const ALL: [Self; 6] = [
        Self::Segmented,
        Self::Isolated,
        Self::AccessRestricted,
        Self::Monitored,
        Self::WorkaroundApplied,
        Self::ServiceDisabled,
    ];

    /// The phrase the reason uses.
    pub const fn phrase(self) -> &'static str {
        match self {
            Self::Segmented => "network segmentation",
            Self::Isolated => "network isolation",
            Self::AccessRestricted => "access restricted to named hosts",
            Self::Monitored => "intrusion detection",
            Self::WorkaroundApplied => "vendor workaround applied",
            Self::ServiceDisabled => "vulnerable service disabled",
        }
    }

    /// The stable name (`access-restricted`).
    pub const fn as_str(self) -> &'static str {
        match self {
            Self::Segmented => "segmented",
            Self::Isolated => "isolated",
            Self::AccessRestricted => "access-restricted",
            Self::Monitored => "monitored",
            Self::WorkaroundApplied => "workaround-applied",
            Self::ServiceDisabled => "service-disabled",
        }
    }
}

impl fmt::Display for Control {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The device a finding is on, as risk scoring sees it.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
#[non_exhaustive]
pub struct DeviceContext {
    /// EU MDR class.
    pub eu_class: Option<EuClass>,
    /// Clinical criticality.
    pub criticality: Option<Criticality>,
    /// Device category, free text or a `medvigil_model::Category` name.
    pub category: Option<String>,
    /// Network exposure.
    pub exposure: Exposure,
    /// Whether the manufacturer allows patching it (`None`: not known).
    pub patchable: Option<bool>,
    /// The manufacturer's end of support has passed.
    pub end_of_support_passed: bool,
    /// Compensating controls in place.
    pub compensating: Vec<Control>,
}

impl DeviceContext {
    /// A device with nothing known but its exposure.
    pub fn new(exposure: Exposure) -> Self {
        Self {
            exposure,
            ..Self::default()
        }
    }

    /// Sets the EU class.
    #[must_use]
    pub fn with_class(mut self, class: EuClass) -> Self {
        self.eu_class = Some(class);
        self
    }

    /// Sets the clinical criticality.
    #[must_use]
    pub fn with_criticality(mut self, c: Criticality) -> Self {
        self.criticality = Some(c);
        self
    }

    /// Sets the category.
    #[must_use]
    pub fn with_category(mut self, category: impl Into<String>) -> Self {
        self.category = Some(category.into());
        self
    }

    /// Sets whether the manufacturer allows patching.
    #[must_use]
    pub fn with_patchable(mut self, patchable: bool) -> Self {
        self.patchable = Some(patchable);
        self
    }

    /// Marks the manufacturer's end of support as passed.
    #[must_use]
    pub fn with_end_of_support_passed(mut self) -> Self {
        self.end_of_support_passed = true;
        self
    }

    /// Adds a compensating control.
    #[must_use]
    pub fn with_control(mut self, control: Control) -> Self {
        if !self.compensating.contains(&control) {
            self.compensating.push(control);
        }
        self
    }

    /// The category as people say it: the model's label when the text names
    /// a known category ("infusion-pump" → "Infusion pump"), else the text.
    pub fn category_label(&self) -> Option<String> {
        let c = self.category.as_deref()?.trim();
        if c.is_empty() {
            return None;
        }
        Some(
            c.parse::<Category>()
                .map_or_else(|_| c.to_owned(), |k| k.label().to_owned()),
        )
    }
}
