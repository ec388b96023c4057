//! Network segmentation of hospital networks after IEC 62443-3-2: devices
//! grouped into zones by their attributes, conduits between zones learned
//! from observed traffic, the tightest rules for devices that cannot be
//! patched, a diff for review, exports to nftables, Cisco IOS and a CSV
//! zone matrix, and drift detection against the approved policy.
//!
//! Pure: no I/O, no clock (callers pass `today`), no database.
//!
//! ```text
//! ZonePolicy (TOML) ─► assign(devices) ─► Assignment ─► learn(conversations) ─► Policy (JSON)
//!                                                          │                    ├─► diff(approved, proposed)
//!                                                          │                    ├─► to_nftables / to_cisco_acl / to_zone_matrix_csv
//!                                                          └────────────────────┴─► drift(approved, assignment, conversations)
//! ```

mod assign;
mod config;
mod diff;
mod drift;
mod export;
mod learn;
mod net;
mod policy;
mod zone;

pub use assign::{
    Assignment, DeviceAssignment, PlacedBy, Placement, Unpatchable, assign, unpatchable,
};
pub use config::{
    Criteria, Override, Rule, Selector, Settings, ZoneDecl, ZonePolicy, ZonePolicyError,
};
pub use diff::{Change, PolicyDiff, diff};
pub use drift::{DriftAlert, Endpoint, Missing, drift};
pub use export::{to_cisco_acl, to_nftables, to_zone_matrix_csv};
pub use learn::{Learner, learn};
pub use net::{AddrBlock, IpNet, IpNetError};
pub use policy::{
    Conduit, DeviceRule, DeviceRules, Direction, Evidence, Policy, PolicyJsonError, Zone,
};
pub use zone::{Service, Transport, TransportError, ZoneName, ZoneNameError};
