//! What a report is made of: plain data the caller fills from the store.
//! Nothing here is computed; the renderers derive every total from it.

use std::fmt;

use medvigil_model::{Category, Criticality, EuClass};
use medvigil_risk::Priority;
use serde::{Deserialize, Serialize};
use time::{Date, OffsetDateTime};

/// Everything one report shows.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReportInput {
    /// The report's heading ("Hospital group Nord — risk report").
    pub title: String,
    /// Whether the report covers a whole hospital group or one site.
    pub scope: Scope,
    /// When the data was read; "today" for overdue and expiry arithmetic.
    #[serde(with = "time::serde::rfc3339")]
    pub generated_at: OffsetDateTime,
    /// Every device in scope, with or without findings.
    pub devices: Vec<DeviceRow>,
    /// Every open remediation and accepted risk in scope.
    pub remediations: Vec<RemediationRow>,
}

/// What the report covers.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Scope {
    /// A hospital group (a tenant) with all of its sites; the report then
    /// breaks risk down by site.
    Group {
        /// The group's name.
        name: String,
    },
    /// One site (hospital) of a group.
    Site {
        /// The site's name.
        name: String,
    },
}

impl Scope {
    /// The group's or site's name.
    pub fn name(&self) -> &str {
        match self {
            Self::Group { name } | Self::Site { name } => name,
        }
    }

    /// Whether the report covers a whole group.
    pub fn is_group(&self) -> bool {
        matches!(self, Self::Group { .. })
    }
}

impl fmt::Display for Scope {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Group { name } => write!(f, "Hospital group {name}"),
            Self::Site { name } => write!(f, "Site {name}"),
        }
    }
}

/// One device and the roll-up of its findings
/// (`medvigil_risk::DeviceRisk` plus the inventory fields a report groups by).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct DeviceRow {
    /// The store's device id.
    pub device_id: String,
    /// The hospital's asset tag, from the CMMS.
    pub asset_tag: Option<String>,
    /// What a biomedical engineer calls it: vendor and model.
    pub name: String,
    /// The site (hospital) the device is at.
    pub site: Option<String>,
    /// The ward or department.
    pub department: Option<String>,
    /// The kind of device.
    pub category: Option<Category>,
    /// The EU MDR risk class.
    pub eu_class: Option<EuClass>,
    /// Its clinical criticality.
    pub criticality: Option<Criticality>,
    /// The most urgent priority of its findings; `None` without findings.
    pub priority: Option<Priority>,
    /// Findings per priority, `[P1, P2, P3, P4]`.
    pub counts: [usize; 4],
    /// The vulnerability of its most urgent finding (`CVE-2024-1234`).
    pub top_vulnerability: Option<String>,
    /// When its most urgent finding must be remediated.
    pub deadline: Option<Date>,
    /// Why, in a sentence (the most urgent finding's reason).
    pub reason: Option<String>,
}

impl DeviceRow {
    /// A device without findings; set the risk fields directly.
    pub fn new(device_id: impl Into<String>, name: impl Into<String>) -> Self {
        Self {
            device_id: device_id.into(),
            asset_tag: None,
            name: name.into(),
            site: None,
            department: None,
            category: None,
            eu_class: None,
            criticality: None,
            priority: None,
            counts: [0; 4],
            top_vulnerability: None,
            deadline: None,
            reason: None,
        }
    }

    /// Total findings.
    pub fn findings(&self) -> usize {
        self.counts.iter().sum()
    }
}

/// One remediation task, or a risk the hospital accepted.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct RemediationRow {
    /// The remediation's id.
    pub id: String,
    /// The device it applies to, as people name it (asset tag or name).
    pub device: String,
    /// The vulnerability it addresses, when it addresses one.
    pub vulnerability: Option<String>,
    /// What is to be done ("update to 9.33", "move to VLAN 40").
    pub action: String,
    /// The team that owns it (biomedical engineering, IT networks).
    pub owner_team: Option<String>,
    /// Its workflow status as the store spells it ("open", "in_progress",
    /// "accepted").
    pub status: String,
    /// When it is due.
    pub due: Option<Date>,
    /// Whether it is past `due` and not done, as the store decided.
    pub overdue: bool,
    /// Set when the risk was accepted instead of remediated: the date the
    /// acceptance lapses and must be reviewed.
    pub accepted_until: Option<Date>,
}
