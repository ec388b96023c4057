//! From stored findings to patient-safety priorities: each affected finding
//! assessed with its CVSS vector, the KEV and EPSS context of its CVE, the
//! device's clinical context and the policy; devices ranked by their most
//! urgent finding.

use std::collections::HashMap;
use std::net::IpAddr;

use medvigil_model::{Conversation, Device, DeviceId};
use medvigil_risk::{
    Assessment, CvssScore, DeviceContext, DeviceRisk, Exploitation, Exposure, FindingInput, Kev,
    Policy, aggregate, assess,
};
use medvigil_store::{DeviceQuery, FindingQuery, FindingRow, TenantStore};
use time::Date;
use time::macros::format_description;

use crate::pipeline::IntelError;

/// A device with its assessed findings.
#[derive(Debug, serde::Serialize)]
pub struct DeviceAssessment {
    /// The device.
    pub device: DeviceId,
    /// Its asset tag.
    pub asset_tag: Option<String>,
    /// Vendor and model.
    pub name: String,
    /// Its site.
    pub site: Option<String>,
    /// The roll-up: most urgent priority, counts, top reasons.
    pub risk: DeviceRisk,
    /// Every affected finding, assessed, most urgent first.
    pub assessments: Vec<Assessment>,
}

fn date(s: &str) -> Option<Date> {
    Date::parse(s, format_description!("[year]-[month]-[day]")).ok()
}

/// Whether an address is reachable from the internet side: not private,
/// loopback, link-local, shared (CGNAT) or unique-local.
fn is_public(ip: IpAddr) -> bool {
    match ip {
        IpAddr::V4(v4) => {
            let [a, b, ..] = v4.octets();
            !(v4.is_private()
                || v4.is_loopback()
                || v4.is_link_local()
                || v4.is_unspecified()
                || v4.is_broadcast()
                || v4.is_multicast()
                || (a == 100 && (64..128).contains(&b)))
        }
        IpAddr::V6(v6) => {
            let first = v6.segments()[0];
            !(v6.is_loopback()
                || v6.is_unspecified()
                || v6.is_multicast()
                || (first & 0xfe00) == 0xfc00
                || (first & 0xffc0) == 0xfe80)
        }
    }
}

/// The network an address is in when nothing better is known: its /24
/// (IPv4) or /64 (IPv6).
fn subnet(ip: IpAddr) -> (u8, u128) {
    match ip {
        IpAddr::V4(v4) => (4, u128::from(u32::from(v4) >> 8)),
        IpAddr::V6(v6) => (6, u128::from(v6) >> 64),
    }
}

/// Each device address's network exposure as observed traffic shows it:
/// **internet** when it exchanged traffic with a public address (an inbound
/// port forward or an outbound vendor cloud connection alike);
/// **hospital-wide** when something outside its own segment opened a
/// connection to it; else **clinical LAN** (it is on the network, reached
/// only from its own segment). Same segment: both ends in the inventory on
/// the same VLAN, or in the same /24 (/64). Addresses without traffic are
/// not in the map (exposure stays unknown).
pub fn observed_exposure(
    conversations: &[Conversation],
    devices: &HashMap<DeviceId, Device>,
) -> HashMap<IpAddr, Exposure> {
    let vlan: HashMap<IpAddr, u16> = devices
        .values()
        .filter_map(|d| Some((d.fields.ip?, d.fields.vlan?.get())))
        .collect();
    let same_segment = |a: IpAddr, b: IpAddr| match (vlan.get(&a), vlan.get(&b)) {
        (Some(x), Some(y)) => x == y,
        _ => subnet(a) == subnet(b),
    };
    let rank = |e: Exposure| match e {
        Exposure::Internet => 3,
        Exposure::HospitalWide => 2,
        _ => 1,
    };
    let mut out: HashMap<IpAddr, Exposure> = HashMap::new();
    let mut raise = |ip: IpAddr, e: Exposure| {
        let slot = out.entry(ip).or_insert(e);
        if rank(e) > rank(*slot) {
            *slot = e;
        }
    };
    for c in conversations {
        let (client, server) = (c.client.ip, c.server.ip);
        if is_public(client) || is_public(server) {
            raise(client, Exposure::Internet);
            raise(server, Exposure::Internet);
            continue;
        }
        raise(client, Exposure::ClinicalLan);
        raise(
            server,
            if same_segment(client, server) {
                Exposure::ClinicalLan
            } else {
                Exposure::HospitalWide
            },
        );
    }
    out
}

/// What an approved policy that the network enforces leaves reachable, when
/// that is less than observed: a restricted device (only its named peers)
/// is on an isolated segment; a device in a zone is reachable only through
/// the zone's conduits — from the internet if a conduit comes from
/// `external`, else from the clinical LAN.
/// Devices with drift (traffic the policy does not allow) keep what was
/// observed: the enforcement is not holding for them. A policy that does
/// not parse lowers nothing.
fn enforced_exposure(
    stored: &medvigil_store::StoredPolicy,
    devices: &HashMap<DeviceId, Device>,
    conversations: &[Conversation],
    today: Date,
    exposure: &mut HashMap<IpAddr, Exposure>,
) {
    use medvigil_segment::{Policy, ZoneName, ZonePolicy};
    let (Ok(zones), Ok(policy)) = (
        ZonePolicy::from_toml(&stored.zones_toml),
        Policy::from_json(&stored.policy_json),
    ) else {
        return;
    };
    let list: Vec<Device> = devices.values().cloned().collect();
    let assignment = medvigil_segment::assign(&zones, &list, today);
    let drifting: std::collections::HashSet<IpAddr> =
        medvigil_segment::drift(&policy, &assignment, conversations)
            .iter()
            .flat_map(|a| [a.client.ip, a.server.ip])
            .collect();
    let restricted: std::collections::HashSet<IpAddr> =
        policy.device_rules.iter().map(|d| d.ip).collect();
    let external = ZoneName::external();
    for d in assignment.devices() {
        let Some(ip) = d.ip else { continue };
        if drifting.contains(&ip) || d.zone.is_builtin() {
            continue;
        }
        let reachable = if restricted.contains(&ip) {
            Exposure::IsolatedSegment
        } else if policy
            .conduits
            .iter()
            .any(|c| c.to == d.zone && c.from == external)
        {
            Exposure::Internet
        } else {
            Exposure::ClinicalLan
        };
        // Enforcement only ever lowers what was observed (unknown counts
        // as hospital-wide): a conduit the review let through is a reason
        // to look again, not to rate a device worse than its traffic.
        let rank = |e: Exposure| match e {
            Exposure::Internet => 4,
            Exposure::HospitalWide | Exposure::Unknown => 3,
            Exposure::ClinicalLan => 2,
            _ => 1,
        };
        let observed = exposure.get(&ip).copied().unwrap_or(Exposure::Unknown);
        if rank(reachable) < rank(observed) {
            exposure.insert(ip, reachable);
        }
    }
}

/// The clinical context of a device as the inventory knows it, with the
/// exposure observed traffic gives (unknown without any).
pub fn device_context(d: &Device, today: Date, exposure: Exposure) -> DeviceContext {
    let f = &d.fields;
    let mut c = DeviceContext::new(exposure);
    if let Some(class) = f.eu_class {
        c = c.with_class(class);
    }
    if let Some(crit) = f.criticality {
        c = c.with_criticality(crit);
    }
    if let Some(cat) = f.category {
        c = c.with_category(cat.to_string());
    }
    if let Some(p) = f.patchable {
        c = c.with_patchable(p);
    }
    if f.end_of_support.is_some_and(|eos| eos < today) {
        c = c.with_end_of_support_passed();
    }
    c
}

/// Scores by vector: a state has few distinct vectors and many findings.
type ScoreCache = HashMap<String, Option<CvssScore>>;

fn finding_input(f: &FindingRow, scores: &mut ScoreCache) -> FindingInput {
    let mut input = FindingInput::new(f.vulnerability.clone());
    let score = f.evidence["cvss"].as_str().and_then(|v| {
        scores
            .entry(v.to_owned())
            .or_insert_with(|| medvigil_risk::score(v).ok())
            .clone()
    });
    if let Some(score) = score {
        input = input.with_cvss(score);
    }
    let fix = f.remediation.as_ref().and_then(|r| {
        r.as_array()?
            .iter()
            .find(|x| x["category"] == "vendor_fix")?["details"]
            .as_str()
            .map(|d| d.chars().take(120).collect::<String>())
    });
    if let Some(fix) = fix {
        input = input.with_fix(fix);
    }
    input
}

/// Assesses every affected finding of the tenant (of one site, or one
/// device) and ranks the devices, most urgent first.
///
/// # Errors
/// On store failure.
pub async fn assess_devices(
    store: &TenantStore<'_>,
    site: Option<String>,
    device: Option<DeviceId>,
    policy: &Policy,
    today: Date,
) -> Result<Vec<DeviceAssessment>, IntelError> {
    let findings = store
        .findings(&FindingQuery {
            device,
            site: site.clone(),
            status: Some("affected".into()),
            ..FindingQuery::default()
        })
        .await?;
    let devices: HashMap<DeviceId, Device> = match device {
        // One device's page must not read the tenant.
        Some(id) => vec![store.device(&id.to_string()).await?],
        None => {
            store
                .devices(&DeviceQuery {
                    site,
                    with_findings: true,
                    ..DeviceQuery::default()
                })
                .await?
        }
    }
    .into_iter()
    .map(|d| (d.id, d))
    .collect();
    let conversations = store.conversations(None).await?;
    let mut exposure = observed_exposure(&conversations, &devices);
    if let Some(p) = store.approved_segmentation().await?.filter(|p| p.enforced) {
        enforced_exposure(&p, &devices, &conversations, today, &mut exposure);
    }
    let mut kev: HashMap<String, Option<Kev>> = HashMap::new();
    let mut scores = ScoreCache::new();
    let mut by_device: HashMap<DeviceId, (Vec<Assessment>, &FindingRow)> = HashMap::new();
    for f in &findings {
        let Some(d) = devices.get(&f.device) else {
            continue;
        };
        if !kev.contains_key(&f.vulnerability) {
            let entry = store.kev(&f.vulnerability).await?.and_then(|k| {
                Some(Kev::new(
                    date(&k.date_added)?,
                    date(&k.due_date),
                    k.ransomware.eq_ignore_ascii_case("known"),
                ))
            });
            kev.insert(f.vulnerability.clone(), entry);
        }
        let mut exploitation = Exploitation::none();
        if let Some(Some(k)) = kev.get(&f.vulnerability) {
            exploitation = exploitation.with_kev(k.clone());
        }
        if let (Some(score), Some(pct)) = (
            f.epss.as_deref().and_then(|s| s.parse().ok()),
            f.epss_percentile.as_deref().and_then(|s| s.parse().ok()),
        ) {
            exploitation = exploitation.with_epss(score, pct);
        }
        let a = assess(
            &finding_input(f, &mut scores),
            &device_context(
                d,
                today,
                d.fields
                    .ip
                    .and_then(|ip| exposure.get(&ip).copied())
                    .unwrap_or(Exposure::Unknown),
            ),
            &exploitation,
            policy,
        );
        by_device
            .entry(f.device)
            .or_insert((Vec::new(), f))
            .0
            .push(a);
    }
    let mut out: Vec<DeviceAssessment> = by_device
        .into_iter()
        .map(|(id, (mut assessments, f))| {
            assessments.sort_by(|a, b| a.priority.cmp(&b.priority).then(b.score.cmp(&a.score)));
            DeviceAssessment {
                device: id,
                asset_tag: f.asset_tag.clone(),
                name: format!(
                    "{} {}",
                    f.vendor.as_deref().unwrap_or("-"),
                    f.model.as_deref().unwrap_or("-")
                ),
                site: f.site.clone(),
                risk: aggregate(&assessments),
                assessments,
            }
        })
        .collect();
    out.sort_by(|a, b| {
        a.risk
            .priority
            .cmp(&b.risk.priority)
            .then_with(|| {
                let top = |x: &DeviceAssessment| x.assessments.first().map_or(0, |a| a.score);
                top(b).cmp(&top(a))
            })
            .then_with(|| a.asset_tag.cmp(&b.asset_tag))
    });
    Ok(out)
}

#[cfg(test)]
mod tests {
    use std::collections::HashMap;
    use std::net::IpAddr;

    use medvigil_model::{Conversation, Device, DeviceFields, DeviceId, Peer, VlanId};
    use medvigil_risk::Exposure;
    use time::macros::datetime;

    use super::observed_exposure;

    fn ip(s: &str) -> IpAddr {
        s.parse().unwrap_or_else(|e| panic!("{s}: {e}"))
    }

    fn talk(client: &str, server: &str) -> Conversation {
        let peer = |s: &str| Peer {
            ip: ip(s),
            mac: None,
        };
        Conversation {
            client: peer(client),
            server: peer(server),
            transport: "tcp".into(),
            port: 443,
            protocol: None,
            flows: 1,
            packets: 10,
            bytes: 1000,
            first_seen: datetime!(2026-11-01 10:00 UTC),
            last_seen: datetime!(2026-11-01 10:01 UTC),
        }
    }

    fn device(addr: &str, vlan: u16) -> Device {
        Device {
            id: DeviceId::new(),
            fields: DeviceFields {
                ip: Some(ip(addr)),
                vlan: VlanId::new(vlan).ok(),
                ..DeviceFields::default()
            },
            sources: Default::default(),
            first_seen: datetime!(2026-11-01 10:00 UTC),
            last_seen: datetime!(2026-11-01 10:00 UTC),
        }
    }

    #[test]
    fn exposure_follows_who_opened_connections_to_the_device() {
        let pump = device("10.20.0.5", 100);
        let same_vlan_other_subnet = device("10.20.7.9", 100);
        let devices: HashMap<_, _> = [pump, same_vlan_other_subnet]
            .into_iter()
            .map(|d| (d.id, d))
            .collect();
        let e = observed_exposure(
            &[
                // The pump only calls its server: on the clinical LAN.
                talk("10.20.0.5", "10.39.0.10"),
                // A pump on the same VLAN reaches another: same segment.
                talk("10.20.7.9", "10.20.0.5"),
                // A workstation elsewhere opens a connection to a monitor.
                talk("10.60.3.3", "10.21.0.8"),
                // A vendor connects in from the internet to a scanner.
                talk("198.51.100.7", "10.22.0.4"),
                // A ventilator calls a vendor cloud.
                talk("10.23.0.2", "203.0.113.9"),
            ],
            &devices,
        );
        assert_eq!(e[&ip("10.20.0.5")], Exposure::ClinicalLan);
        assert_eq!(e[&ip("10.21.0.8")], Exposure::HospitalWide);
        assert_eq!(e[&ip("10.22.0.4")], Exposure::Internet);
        assert_eq!(e[&ip("10.23.0.2")], Exposure::Internet);
        assert!(!e.contains_key(&ip("10.99.0.1")), "no traffic, no verdict");
        // A later connection from elsewhere raises the exposure; a quieter
        // one never lowers it.
        let e = observed_exposure(
            &[
                talk("10.60.3.3", "10.20.0.5"),
                talk("10.20.0.6", "10.20.0.5"),
            ],
            &devices,
        );
        assert_eq!(e[&ip("10.20.0.5")], Exposure::HospitalWide);
    }
}
