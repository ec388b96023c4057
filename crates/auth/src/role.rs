//! Roles, actions and the permission matrix: who may do what.
//!
//! The matrix is one table, [`allowed`]; `PERMISSIONS.md` is rendered from
//! it by [`permissions_markdown`] and a test keeps the two identical.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

/// A user's role; each account has exactly one.
///
/// Hospital side: [`Role::Ciso`], [`Role::Network`], [`Role::Biomed`];
/// manufacturer side: [`Role::Psirt`]; outside: [`Role::Researcher`];
/// oversight: [`Role::Auditor`]; operation: [`Role::Admin`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Role {
    /// Runs the platform: accounts, tokens, feeds. May do everything.
    Admin,
    /// Hospital CISO: reads everything, owns remediation and accepts risk.
    Ciso,
    /// Network specialist: flows, segmentation, captures.
    Network,
    /// Biomedical engineer: owns the device inventory and its remediation.
    Biomed,
    /// Manufacturer PSIRT: products, vulnerability cases, advisories.
    Psirt,
    /// External security researcher: submits reports and follows them.
    Researcher,
    /// Auditor: reads everything, including the audit log; writes nothing.
    Auditor,
}

impl Role {
    /// Every role, in the order of the permission table's columns.
    pub const ALL: [Role; 7] = [
        Role::Admin,
        Role::Ciso,
        Role::Network,
        Role::Biomed,
        Role::Psirt,
        Role::Researcher,
        Role::Auditor,
    ];

    /// The role's name as written in configuration, JSON and the table.
    pub fn as_str(self) -> &'static str {
        match self {
            Role::Admin => "admin",
            Role::Ciso => "ciso",
            Role::Network => "network",
            Role::Biomed => "biomed",
            Role::Psirt => "psirt",
            Role::Researcher => "researcher",
            Role::Auditor => "auditor",
        }
    }
}

impl fmt::Display for Role {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A role or action name that is not one of ours.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum UnknownName {
    /// Not a [`Role`] name.
    #[error(
        "unknown role '{0}' (expected one of admin, ciso, network, biomed, psirt, researcher, auditor)"
    )]
    Role(String),
    /// Not an [`Action`] name.
    #[error("unknown action '{0}'")]
    Action(String),
}

impl FromStr for Role {
    type Err = UnknownName;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Role::ALL
            .into_iter()
            .find(|r| r.as_str() == s)
            .ok_or_else(|| UnknownName::Role(s.to_owned()))
    }
}

/// Something a user (or an API token) asks to do. Names are `snake_case`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Action {
    /// List and show devices.
    ReadInventory,
    /// Import CMMS exports, edit devices.
    WriteInventory,
    /// List and show findings (device × vulnerability).
    ReadFindings,
    /// Re-run matching, change a finding's status.
    WriteFindings,
    /// Read risk assessments and priorities.
    ReadRisk,
    /// Read remediation plans.
    ReadRemediation,
    /// Plan, assign and close remediation.
    WriteRemediation,
    /// Accept a residual risk instead of remediating it.
    AcceptRisk,
    /// Read advisories and vulnerability records.
    ReadAdvisories,
    /// Import advisories (CSAF, CVE, OSV, SBOM, VEX) from files.
    ImportAdvisories,
    /// Configure feeds (CSAF providers, KEV, EPSS) and their trust anchors.
    ManageFeeds,
    /// Read discovered flows (who talks to whom).
    ReadFlows,
    /// Define zones and allowed flows, export firewall and NAC rules.
    ManageSegmentation,
    /// Upload a packet capture for passive discovery.
    UploadCapture,
    /// Manufacturer: products, versions and their SBOMs.
    ManageProducts,
    /// Manufacturer: vulnerability cases (triage, VEX, disclosure).
    ManageCases,
    /// Researcher: submit a vulnerability report.
    SubmitReport,
    /// Researcher: read the reports one submitted, and their status.
    ReadOwnReports,
    /// Create, change and disable accounts and their roles.
    ManageUsers,
    /// Issue and revoke API tokens of any account.
    ManageTokens,
    /// Read the audit log.
    ReadAudit,
}

impl Action {
    /// Every action, in the order of the permission table's rows.
    pub const ALL: [Action; 21] = [
        Action::ReadInventory,
        Action::WriteInventory,
        Action::ReadFindings,
        Action::WriteFindings,
        Action::ReadRisk,
        Action::ReadRemediation,
        Action::WriteRemediation,
        Action::AcceptRisk,
        Action::ReadAdvisories,
        Action::ImportAdvisories,
        Action::ManageFeeds,
        Action::ReadFlows,
        Action::ManageSegmentation,
        Action::UploadCapture,
        Action::ManageProducts,
        Action::ManageCases,
        Action::SubmitReport,
        Action::ReadOwnReports,
        Action::ManageUsers,
        Action::ManageTokens,
        Action::ReadAudit,
    ];

    /// The action's name as written in token scopes, JSON and the table.
    pub fn as_str(self) -> &'static str {
        match self {
            Action::ReadInventory => "read_inventory",
            Action::WriteInventory => "write_inventory",
            Action::ReadFindings => "read_findings",
            Action::WriteFindings => "write_findings",
            Action::ReadRisk => "read_risk",
            Action::ReadRemediation => "read_remediation",
            Action::WriteRemediation => "write_remediation",
            Action::AcceptRisk => "accept_risk",
            Action::ReadAdvisories => "read_advisories",
            Action::ImportAdvisories => "import_advisories",
            Action::ManageFeeds => "manage_feeds",
            Action::ReadFlows => "read_flows",
            Action::ManageSegmentation => "manage_segmentation",
            Action::UploadCapture => "upload_capture",
            Action::ManageProducts => "manage_products",
            Action::ManageCases => "manage_cases",
            Action::SubmitReport => "submit_report",
            Action::ReadOwnReports => "read_own_reports",
            Action::ManageUsers => "manage_users",
            Action::ManageTokens => "manage_tokens",
            Action::ReadAudit => "read_audit",
        }
    }

    /// Whether the action changes state (anything but reading).
    pub fn is_write(self) -> bool {
        !matches!(
            self,
            Action::ReadInventory
                | Action::ReadFindings
                | Action::ReadRisk
                | Action::ReadRemediation
                | Action::ReadAdvisories
                | Action::ReadFlows
                | Action::ReadOwnReports
                | Action::ReadAudit
        )
    }
}

impl fmt::Display for Action {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for Action {
    type Err = UnknownName;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Action::ALL
            .into_iter()
            .find(|a| a.as_str() == s)
            .ok_or_else(|| UnknownName::Action(s.to_owned()))
    }
}

/// Whether `role` may perform `action`: the permission matrix.
///
/// | role | may |
/// | --- | --- |
/// | admin | everything |
/// | ciso | every read (audit log included) but a researcher's own reports; remediation; accepting risk |
/// | network | inventory, flows (read); segmentation; capture upload |
/// | biomed | inventory (read, write); findings, risk, advisories (read); remediation (read, write) |
/// | psirt | products, cases; advisories (read, import) |
/// | researcher | submitting reports and reading its own |
/// | auditor | every read (audit log included) but a researcher's own reports; never a write |
///
/// `ReadOwnReports` is the researcher portal's view: other roles see
/// reports through the manufacturer's cases, so it is the researcher's
/// (and admin's) alone. Capture upload goes to the network specialist, who
/// runs the SPAN ports. `crates/auth/PERMISSIONS.md` shows the full table.
pub fn allowed(role: Role, action: Action) -> bool {
    use Action::*;
    match role {
        Role::Admin => true,
        Role::Auditor => !action.is_write() && action != ReadOwnReports,
        Role::Ciso => {
            (!action.is_write() && action != ReadOwnReports)
                || matches!(action, WriteRemediation | AcceptRisk)
        }
        Role::Network => matches!(
            action,
            ReadInventory | ReadFlows | ManageSegmentation | UploadCapture
        ),
        Role::Biomed => matches!(
            action,
            ReadInventory
                | WriteInventory
                | ReadFindings
                | ReadRisk
                | ReadAdvisories
                | ReadRemediation
                | WriteRemediation
        ),
        Role::Psirt => matches!(
            action,
            ManageProducts | ManageCases | ReadAdvisories | ImportAdvisories
        ),
        Role::Researcher => matches!(action, SubmitReport | ReadOwnReports),
    }
}

/// Every (role, action, allowed) triple, roles outer, actions inner.
pub fn matrix() -> impl Iterator<Item = (Role, Action, bool)> {
    Role::ALL.into_iter().flat_map(|role| {
        Action::ALL
            .into_iter()
            .map(move |action| (role, action, allowed(role, action)))
    })
}

/// The matrix as the Markdown document checked in as `PERMISSIONS.md`.
pub fn permissions_markdown() -> String {
    let mut out = String::from(
        "# medvigil permissions\n\n\
         Generated from `medvigil_auth::allowed` by the `permissions_md` test\n\
         (`UPDATE_GOLDEN=1 cargo test -p medvigil-auth` rewrites it). An API\n\
         token may do an action only when its scopes name it *and* its owner's\n\
         role allows it. Actions marked *write* change state.\n\n",
    );
    out.push_str("| action | write |");
    for role in Role::ALL {
        out.push_str(&format!(" {role} |"));
    }
    out.push_str("\n| --- | --- |");
    for _ in Role::ALL {
        out.push_str(" --- |");
    }
    out.push('\n');
    for action in Action::ALL {
        let write = if action.is_write() { "write" } else { "" };
        out.push_str(&format!("| `{action}` | {write} |"));
        for role in Role::ALL {
            out.push_str(if allowed(role, action) {
                " ✓ |"
            } else {
                "   |"
            });
        }
        out.push('\n');
    }
    out
}
