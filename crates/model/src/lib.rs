//! medvigil's domain model for the hospital side: tenants (hospital groups
//! with their sites, manufacturer organisations), locations, and connected
//! medical devices with the provenance of every field.
//!
//! Values that have rules are types, parsed once at the edge ("parse, don't
//! validate"): [`MacAddr`], [`EuClass`], [`FdaClass`], [`UdiDi`], [`VlanId`],
//! [`Hostname`]. Everything here is pure: no I/O, no database.

mod classes;
mod conversation;
mod device;
mod ids;
mod net;
mod provenance;
mod remediation;
mod serde_str;
mod tenant;
mod udi;

pub use classes::{Category, Criticality, EuClass, FdaClass, ParseEnumError};
pub use conversation::{Conversation, Peer};
pub use device::{Device, DeviceField, DeviceFields, Location};
pub use ids::{DeviceId, ProvenanceId, SiteId, TenantId};
pub use net::{Hostname, HostnameError, MacAddr, MacError, VlanError, VlanId};
pub use provenance::{FieldSources, Provenance, SourceKind};
pub use remediation::{
    Action, Entry, Event, Remediation, RemediationId, Status, Team, WorkflowError,
};
pub use tenant::{Site, Tenant, TenantKind};
pub use udi::{UdiDi, UdiError, UdiIssuer};
