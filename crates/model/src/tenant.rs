//! Tenants and their sites.

use serde::{Deserialize, Serialize};

use crate::{SiteId, TenantId};

/// What kind of organisation a tenant is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TenantKind {
    /// A hospital or hospital group (a healthcare delivery organisation) with sites.
    HospitalGroup,
    /// A medical device manufacturer.
    Manufacturer,
}

impl TenantKind {
    /// The stable name used in storage and APIs.
    pub const fn as_str(self) -> &'static str {
        match self {
            Self::HospitalGroup => "hospital_group",
            Self::Manufacturer => "manufacturer",
        }
    }

    /// The kind named by [`TenantKind::as_str`].
    pub fn from_name(s: &str) -> Option<Self> {
        match s {
            "hospital_group" => Some(Self::HospitalGroup),
            "manufacturer" => Some(Self::Manufacturer),
            _ => None,
        }
    }
}

/// A tenant: the unit of data isolation.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Tenant {
    /// Identifier.
    pub id: TenantId,
    /// Display name, unique across the installation.
    pub name: String,
    /// Hospital group or manufacturer.
    pub kind: TenantKind,
}

/// A site (one hospital, clinic or campus) of a hospital group.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Site {
    /// Identifier.
    pub id: SiteId,
    /// The tenant the site belongs to.
    pub tenant: TenantId,
    /// Display name, unique within the tenant.
    pub name: String,
}
