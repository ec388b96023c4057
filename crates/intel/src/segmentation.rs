//! Network segmentation as a service of the store: a tenant's devices
//! placed in zones, a policy learned from its recorded conversations and
//! stored for review, the diff against the approved policy, exports, and
//! drift against the approved policy. The CLI and the server both call it.

use medvigil_segment::{Assignment, DriftAlert, Policy, PolicyDiff, ZonePolicy, ZonePolicyError};
use medvigil_store::{DeviceQuery, StoreError, StoredPolicy, TenantStore};
use time::Date;

/// Why a segmentation step failed.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum SegmentationError {
    /// The store failed; nothing was written.
    #[error(transparent)]
    Store(#[from] StoreError),
    /// A zones file given by the caller does not read.
    #[error(transparent)]
    Zones(#[from] ZonePolicyError),
    /// A stored policy (or its zones) does not read back: a defect or a
    /// hand-edited database.
    #[error("stored policy {number}: {message}")]
    Stored {
        /// Its number.
        number: u32,
        /// What the reader said.
        message: String,
    },
    /// A step that needs an approved policy, and none is.
    #[error("no approved policy: propose one, then approve it")]
    NoApproved,
}

/// The export formats of a policy.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    /// nftables ruleset (`nft -f`), one set per zone.
    Nftables,
    /// Cisco IOS extended ACLs (IPv4 and IPv6).
    Cisco,
    /// The zone matrix as CSV.
    Csv,
}

impl Format {
    /// Every format.
    pub const ALL: [Self; 3] = [Self::Nftables, Self::Cisco, Self::Csv];

    /// Its name (`nftables`, `cisco`, `csv`).
    pub const fn as_str(self) -> &'static str {
        match self {
            Self::Nftables => "nftables",
            Self::Cisco => "cisco",
            Self::Csv => "csv",
        }
    }

    /// The file name extension of an export.
    pub const fn extension(self) -> &'static str {
        match self {
            Self::Nftables => "nft",
            Self::Cisco => "acl",
            Self::Csv => "csv",
        }
    }

    /// The policy in this format.
    pub fn render(self, policy: &Policy) -> String {
        match self {
            Self::Nftables => medvigil_segment::to_nftables(policy),
            Self::Cisco => medvigil_segment::to_cisco_acl(policy),
            Self::Csv => medvigil_segment::to_zone_matrix_csv(policy),
        }
    }
}

impl std::str::FromStr for Format {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::ALL
            .into_iter()
            .find(|f| f.as_str().eq_ignore_ascii_case(s.trim()))
            .ok_or_else(|| format!("unknown format '{s}' (nftables, cisco, csv)"))
    }
}

/// Reads a zones file; `None` is the built-in hospital zones. Returns the
/// text (stored with the policy) and the zones.
///
/// # Errors
/// [`ZonePolicyError`] naming the key and line at fault.
pub fn zones(text: Option<&str>) -> Result<(String, ZonePolicy), ZonePolicyError> {
    let text = text.unwrap_or(ZonePolicy::default_toml());
    Ok((text.to_owned(), ZonePolicy::from_toml(text)?))
}

/// The site's zones file: that of the newest policy (a site's zones and
/// address rules carry over from one proposal to the next), else the
/// built-in hospital zones.
///
/// # Errors
/// On store failure, or a newest policy whose zones do not read back.
pub async fn site_zones(
    store: &TenantStore<'_>,
) -> Result<(String, ZonePolicy), SegmentationError> {
    match store.segmentation_policies().await?.into_iter().next() {
        Some(p) => {
            let zones = zones_of(&p)?;
            Ok((p.zones_toml, zones))
        }
        None => Ok(zones(None)?),
    }
}

/// Every device of the tenant placed in `zones` (as of `today`, for end of
/// support).
///
/// # Errors
/// On store failure.
pub async fn assignment(
    store: &TenantStore<'_>,
    zones: &ZonePolicy,
    today: Date,
) -> Result<Assignment, StoreError> {
    let devices = store.devices(&DeviceQuery::default()).await?;
    Ok(medvigil_segment::assign(zones, &devices, today))
}

/// The policy a stored one holds.
///
/// # Errors
/// [`SegmentationError::Stored`] when its JSON does not read back.
pub fn parsed(p: &StoredPolicy) -> Result<Policy, SegmentationError> {
    Policy::from_json(&p.policy_json).map_err(|e| SegmentationError::Stored {
        number: p.number,
        message: e.to_string(),
    })
}

/// The zones a stored policy was learned with.
///
/// # Errors
/// [`SegmentationError::Stored`] when they do not read back.
pub fn zones_of(p: &StoredPolicy) -> Result<ZonePolicy, SegmentationError> {
    ZonePolicy::from_toml(&p.zones_toml).map_err(|e| SegmentationError::Stored {
        number: p.number,
        message: e.to_string(),
    })
}

/// Policy `number`, or the approved one.
///
/// # Errors
/// [`StoreError::NotFound`]; [`SegmentationError::NoApproved`].
pub async fn stored(
    store: &TenantStore<'_>,
    number: Option<u32>,
) -> Result<StoredPolicy, SegmentationError> {
    match number {
        Some(n) => Ok(store.segmentation_policy(n).await?),
        None => store
            .approved_segmentation()
            .await?
            .ok_or(SegmentationError::NoApproved),
    }
}

/// What `policy` changes against the approved policy (everything, when
/// none is approved).
///
/// # Errors
/// On store failure, or an approved policy that does not read back.
pub async fn diff_against_approved(
    store: &TenantStore<'_>,
    policy: &Policy,
) -> Result<PolicyDiff, SegmentationError> {
    let current = match store.approved_segmentation().await? {
        Some(p) => parsed(&p)?,
        None => Policy {
            allow_intra_zone: policy.allow_intra_zone,
            zones: Vec::new(),
            conduits: Vec::new(),
            device_rules: Vec::new(),
        },
    };
    Ok(medvigil_segment::diff(&current, policy))
}

/// A policy proposed by [`propose`].
#[derive(Debug)]
pub struct Proposal {
    /// As stored (with its number).
    pub stored: StoredPolicy,
    /// The learned policy.
    pub policy: Policy,
    /// The conversations it was learned from.
    pub conversations: usize,
    /// What it changes against the approved policy.
    pub diff: PolicyDiff,
}

/// Learns a policy from every recorded conversation with `zones_toml` (the
/// site's zones, [`site_zones`], when `None`) and stores it as a proposal.
///
/// # Errors
/// A zones file that does not read (nothing stored), or store failure.
pub async fn propose(
    store: &TenantStore<'_>,
    zones_toml: Option<&str>,
    note: Option<&str>,
    actor: &str,
    today: Date,
) -> Result<Proposal, SegmentationError> {
    let (text, zones) = match zones_toml {
        Some(text) => zones(Some(text))?,
        None => site_zones(store).await?,
    };
    let assigned = assignment(store, &zones, today).await?;
    let conversations = store.conversations(None).await?;
    let policy = medvigil_segment::learn(&assigned, &conversations);
    // The diff is against the approved policy before this one is stored.
    let diff = diff_against_approved(store, &policy).await?;
    let stored = store
        .propose_segmentation(&text, &policy.to_json(), note, actor)
        .await?;
    Ok(Proposal {
        stored,
        policy,
        conversations: conversations.len(),
        diff,
    })
}

/// The approved policy and the recorded conversations it does not allow,
/// with zones placed as the inventory stands today; `None` when no policy
/// is approved. Every conversation is judged: what was learned is allowed,
/// so the rest is new traffic, or traffic the review took out.
///
/// # Errors
/// On store failure, or an approved policy that does not read back.
pub async fn drift(
    store: &TenantStore<'_>,
    today: Date,
) -> Result<Option<(StoredPolicy, Vec<DriftAlert>)>, SegmentationError> {
    let Some(p) = store.approved_segmentation().await? else {
        return Ok(None);
    };
    let policy = parsed(&p)?;
    let zones = zones_of(&p)?;
    let assigned = assignment(store, &zones, today).await?;
    let conversations = store.conversations(None).await?;
    let alerts = medvigil_segment::drift(&policy, &assigned, &conversations);
    Ok(Some((p, alerts)))
}
