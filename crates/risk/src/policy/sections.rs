//! The sections of the policy file, with their defaults.

use serde::{Deserialize, Serialize};

use crate::priority::{Priority, optional_priority};

/// Minimum total points for P1, P2 and P3; anything lower is P4.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Thresholds {
    /// Points from which a finding is P1.
    pub p1: i32,
    /// Points from which a finding is P2.
    pub p2: i32,
    /// Points from which a finding is P3.
    pub p3: i32,
}

/// Days to remediate, per priority.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Deadlines {
    /// Days to remediate a P1.
    pub p1: u32,
    /// Days to remediate a P2.
    pub p2: u32,
    /// Days to remediate a P3.
    pub p3: u32,
    /// Days to remediate a P4.
    pub p4: u32,
}

/// Points for the SSVC decision.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct SsvcPoints {
    /// SSVC Act.
    pub act: i32,
    /// SSVC Attend.
    pub attend: i32,
    /// SSVC Track*.
    pub track_star: i32,
    /// SSVC Track.
    pub track: i32,
    /// EPSS score at or above which SSVC *Exploitation* is "public PoC".
    pub epss_poc_threshold: f64,
}

/// Points for the CVSS severity of the most specific score.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct SeverityPoints {
    /// CVSS Critical (9.0–10.0).
    pub critical: i32,
    /// CVSS High.
    pub high: i32,
    /// CVSS Medium.
    pub medium: i32,
    /// CVSS Low.
    pub low: i32,
    /// CVSS None (0.0).
    pub none: i32,
    /// No CVSS vector.
    pub unknown: i32,
}

/// Points for what is known about attacks.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct ExploitationPoints {
    /// Listed in CISA KEV.
    pub kev: i32,
    /// KEV says it is used in ransomware campaigns (added to `kev`).
    pub kev_ransomware: i32,
    /// Public exploit code.
    pub public_poc: i32,
    /// EPSS score at or above `epss_threshold`.
    pub epss: i32,
    /// EPSS score from which `epss` points are given.
    pub epss_threshold: f64,
    /// A KEV-listed vulnerability is never less urgent than this, whatever
    /// the other factors and controls say. In TOML `"P1"`…`"P4"`, or
    /// `"none"` for no floor.
    #[serde(with = "optional_priority")]
    pub kev_floor: Option<Priority>,
}

/// Points for the device's clinical criticality.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct CriticalityPoints {
    /// Life-sustaining device.
    pub life_sustaining: i32,
    /// Therapeutic device.
    pub therapeutic: i32,
    /// Monitoring device.
    pub monitoring: i32,
    /// Diagnostic device.
    pub diagnostic: i32,
    /// Supporting (non-clinical) device.
    pub supporting: i32,
    /// Criticality not known.
    pub unknown: i32,
}

/// Points for the device's EU MDR class.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct ClassPoints {
    /// EU class III.
    pub iii: i32,
    /// EU class IIb.
    pub iib: i32,
    /// EU class IIa.
    pub iia: i32,
    /// EU class I.
    pub i: i32,
    /// Class not known.
    pub unknown: i32,
}

/// Points for network exposure (negative lowers).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct ExposurePoints {
    /// Reachable from the internet.
    pub internet: i32,
    /// Reachable from the hospital-wide / corporate LAN.
    pub hospital_wide: i32,
    /// Reachable from the clinical LAN only.
    pub clinical_lan: i32,
    /// On an isolated segment.
    pub isolated_segment: i32,
    /// Exposure not known.
    pub unknown: i32,
}

/// Points for the device's maintenance state.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct DevicePoints {
    /// Manufacturer end of support passed: no fixes will come.
    pub end_of_support: i32,
    /// The manufacturer does not allow patching.
    pub not_patchable: i32,
}

/// Points each compensating control takes off (never negative), and the cap
/// on their sum.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct ControlPoints {
    /// Zone / VLAN with firewall rules.
    pub segmented: i32,
    /// Air gap, no network path.
    pub isolated: i32,
    /// Allow-list of hosts and ports.
    pub access_restricted: i32,
    /// Intrusion detection with alerting.
    pub monitored: i32,
    /// The vendor workaround is applied.
    pub workaround_applied: i32,
    /// The vulnerable service is disabled.
    pub service_disabled: i32,
    /// The most all controls together may take off.
    pub max_reduction: i32,
}

impl Default for Thresholds {
    fn default() -> Self {
        Self {
            p1: 70,
            p2: 45,
            p3: 25,
        }
    }
}

impl Default for Deadlines {
    fn default() -> Self {
        Self {
            p1: 7,
            p2: 30,
            p3: 90,
            p4: 180,
        }
    }
}

impl Default for SsvcPoints {
    fn default() -> Self {
        Self {
            act: 40,
            attend: 30,
            track_star: 15,
            track: 5,
            epss_poc_threshold: 0.1,
        }
    }
}

impl Default for SeverityPoints {
    fn default() -> Self {
        Self {
            critical: 15,
            high: 10,
            medium: 5,
            low: 2,
            none: 0,
            unknown: 5,
        }
    }
}

impl Default for ExploitationPoints {
    fn default() -> Self {
        Self {
            kev: 20,
            kev_ransomware: 5,
            public_poc: 5,
            epss: 5,
            epss_threshold: 0.1,
            kev_floor: Some(Priority::P2),
        }
    }
}

impl Default for CriticalityPoints {
    fn default() -> Self {
        Self {
            life_sustaining: 20,
            therapeutic: 15,
            monitoring: 10,
            diagnostic: 5,
            supporting: 0,
            unknown: 5,
        }
    }
}

impl Default for ClassPoints {
    fn default() -> Self {
        Self {
            iii: 10,
            iib: 6,
            iia: 3,
            i: 0,
            unknown: 3,
        }
    }
}

impl Default for ExposurePoints {
    fn default() -> Self {
        Self {
            internet: 25,
            hospital_wide: 10,
            clinical_lan: 5,
            isolated_segment: -10,
            unknown: 5,
        }
    }
}

impl Default for DevicePoints {
    fn default() -> Self {
        Self {
            end_of_support: 5,
            not_patchable: 5,
        }
    }
}

impl Default for ControlPoints {
    fn default() -> Self {
        Self {
            segmented: 10,
            isolated: 20,
            access_restricted: 10,
            monitored: 5,
            workaround_applied: 15,
            service_disabled: 25,
            max_reduction: 30,
        }
    }
}
