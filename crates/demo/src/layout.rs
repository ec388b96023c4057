//! Sites, wards and the devices in them.

use std::collections::HashMap;
use std::net::{IpAddr, Ipv4Addr};

use medvigil_model::{Category, DeviceFields, Location, MacAddr, UdiDi, VlanId};
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

use crate::catalog::{Catalog, CatalogError, Product};

/// What kind of unit a ward is; decides its device mix.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum WardKind {
    Icu,
    General,
    Emergency,
    Dialysis,
    Theatres,
    Radiology,
    Laboratory,
    Radiotherapy,
    Facilities,
}

/// A site to generate: name, short code, and wards `(name, kind, beds or rooms)`.
#[derive(Clone, Debug)]
pub struct SiteTemplate {
    /// Site name.
    pub name: String,
    /// Short code for asset tags and host names.
    pub code: String,
    wards: Vec<(&'static str, WardKind, u32)>,
}

/// The generated hospital group.
#[derive(Clone, Debug)]
pub struct Hospital {
    /// Site names.
    pub sites: Vec<String>,
    /// Beds over all sites.
    pub beds: u32,
    /// The devices.
    pub devices: Vec<DeviceFields>,
}

fn templates() -> Vec<SiteTemplate> {
    use WardKind::*;
    vec![
        SiteTemplate {
            name: "Saint-Martin University Hospital".into(),
            code: "SMU".into(),
            wards: vec![
                ("ICU A", Icu, 30),
                ("ICU B", Icu, 20),
                ("Neonatal ICU", Icu, 24),
                ("Cardiac ICU", Icu, 16),
                ("Cardiology", General, 40),
                ("Emergency", Emergency, 40),
                ("Surgery 1", General, 40),
                ("Surgery 2", General, 40),
                ("Surgery 3", General, 40),
                ("Surgery 4", General, 40),
                ("Medicine 1", General, 40),
                ("Medicine 2", General, 40),
                ("Medicine 3", General, 40),
                ("Medicine 4", General, 40),
                ("Medicine 5", General, 40),
                ("Oncology", General, 40),
                ("Paediatrics", General, 30),
                ("Maternity", General, 30),
                ("Dialysis", Dialysis, 20),
                ("Operating Theatres", Theatres, 14),
                ("Radiology", Radiology, 0),
                ("Laboratory", Laboratory, 0),
                ("Radiotherapy", Radiotherapy, 0),
                ("Facilities", Facilities, 0),
            ],
        },
        SiteTemplate {
            name: "Riverside General Hospital".into(),
            code: "RGH".into(),
            wards: vec![
                ("ICU", Icu, 16),
                ("Emergency", Emergency, 24),
                ("Surgery 1", General, 40),
                ("Surgery 2", General, 40),
                ("Medicine 1", General, 40),
                ("Medicine 2", General, 40),
                ("Medicine 3", General, 40),
                ("Maternity", General, 20),
                ("Geriatrics", General, 60),
                ("Rehabilitation", General, 18),
                ("Dialysis", Dialysis, 12),
                ("Operating Theatres", Theatres, 6),
                ("Radiology", Radiology, 0),
                ("Laboratory", Laboratory, 0),
                ("Facilities", Facilities, 0),
            ],
        },
    ]
}

/// Devices per bed (or room) of a category.
type PerBed = &'static [(Category, f64)];
/// Devices per ward: `(category, count, whether the per-ward product of the category)`.
type PerWard = &'static [(Category, u32, bool)];

/// The device mix of a kind of ward.
fn mix(kind: WardKind) -> (PerBed, PerWard) {
    use Category::*;
    match kind {
        WardKind::Icu => (
            &[
                (InfusionPump, 12.0),
                (PatientMonitor, 1.0),
                (Ventilator, 1.0),
                (NurseCall, 1.0),
            ],
            &[
                (PatientMonitor, 1, true),
                (Defibrillator, 2, false),
                (LabAnalyser, 1, false),
                (Ecg, 1, false),
            ],
        ),
        WardKind::General => (
            &[(InfusionPump, 9.0), (PatientMonitor, 1.2), (NurseCall, 2.5)],
            &[
                (PatientMonitor, 1, true),
                (Defibrillator, 1, false),
                (Ecg, 1, false),
            ],
        ),
        WardKind::Emergency => (
            &[
                (InfusionPump, 5.0),
                (PatientMonitor, 1.0),
                (Ventilator, 0.1),
                (NurseCall, 1.0),
            ],
            &[
                (PatientMonitor, 1, true),
                (Defibrillator, 3, false),
                (Ecg, 2, false),
                (LabAnalyser, 1, false),
            ],
        ),
        WardKind::Dialysis => (
            &[(Dialysis, 1.0), (PatientMonitor, 0.2), (InfusionPump, 0.5)],
            &[],
        ),
        WardKind::Theatres => (
            &[
                (Anaesthesia, 1.0),
                (PatientMonitor, 1.0),
                (InfusionPump, 8.0),
                (Ventilator, 0.2),
            ],
            &[(Defibrillator, 2, false), (Imaging, 2, false)],
        ),
        WardKind::Radiology => (
            &[],
            &[
                (Imaging, 45, false),
                (ViewingStation, 80, false),
                (Pacs, 6, true),
            ],
        ),
        WardKind::Laboratory => (&[], &[(LabAnalyser, 70, false)]),
        WardKind::Radiotherapy => (
            &[],
            &[
                (Radiotherapy, 3, true),
                (ViewingStation, 8, false),
                (InfusionPump, 20, false),
            ],
        ),
        WardKind::Facilities => (&[], &[(BuildingSystem, 700, false)]),
    }
}

/// The VLAN and the second address octet offset of a category.
fn network_plan(c: Category) -> (u16, u8) {
    let i = Category::ALL.iter().position(|&x| x == c).unwrap_or(0);
    // VLAN 100, 110, … per category; the index fits a u8/u16 (17 categories).
    (100 + 10 * i as u16, i as u8)
}

struct Generator<'a> {
    rng: ChaCha8Rng,
    catalog: &'a Catalog,
    n: u64,
    ip_counters: HashMap<(usize, Category), u32>,
}

impl Generator<'_> {
    fn pick<'p>(&mut self, products: &[&'p Product]) -> Option<&'p Product> {
        (!products.is_empty()).then(|| products[self.rng.random_range(0..products.len())])
    }

    fn device(
        &mut self,
        site_no: usize,
        site: &SiteTemplate,
        ward: &str,
        room: String,
        bed: Option<String>,
        p: &Product,
    ) -> DeviceFields {
        self.n += 1;
        let n = self.n;
        // Newer versions are more common: weights 1, 2, 4, …
        let weights: u32 = (0..p.software.len()).map(|i| 1 << i).sum();
        let mut draw = self.rng.random_range(0..weights.max(1));
        let mut version = &p.software[0];
        for (i, v) in p.software.iter().enumerate() {
            if draw < 1 << i {
                version = v;
                break;
            }
            draw -= 1 << i;
        }
        let low = (n & 0xff_ffff) as u32;
        let mac = match p
            .oui
            .as_deref()
            .and_then(|o| u32::from_str_radix(o, 16).ok())
        {
            Some(oui) => [
                (oui >> 16) as u8,
                (oui >> 8) as u8,
                oui as u8,
                (low >> 16) as u8,
                (low >> 8) as u8,
                low as u8,
            ],
            // Locally administered unicast: 0x02 in the first octet.
            None => [
                0x02,
                vendor_hash(&p.vendor),
                site_no as u8,
                (low >> 16) as u8,
                (low >> 8) as u8,
                low as u8,
            ],
        };
        let counter = self.ip_counters.entry((site_no, p.category)).or_insert(0);
        *counter += 1;
        let (vlan, octet) = network_plan(p.category);
        let ip = Ipv4Addr::new(
            10,
            (site_no as u8 + 1) * 20 + octet,
            (*counter / 250) as u8,
            (*counter % 250 + 2) as u8,
        );
        let prefix: String = p
            .vendor
            .chars()
            .filter(char::is_ascii_alphabetic)
            .take(2)
            .collect::<String>()
            .to_uppercase();
        let udi = (self.rng.random_range(0..10) < 6)
            .then(|| {
                UdiDi::gs1_from_body(&format!(
                    "0{:07}{:05}",
                    vendor_hash(&p.vendor) as u32 * 9973 % 10_000_000,
                    model_hash(&p.model)
                ))
                .ok()
            })
            .flatten();
        let short = p.category.as_str().split('-').next().unwrap_or("dev");
        DeviceFields {
            vendor: Some(p.vendor.clone()),
            model: Some(p.model.clone()),
            serial: Some(format!(
                "{prefix}{:09}",
                n * 37 + self.rng.random_range(0..37)
            )),
            asset_tag: Some(format!("{}-{n:06}", site.code)),
            udi_di: udi,
            software_version: Some(version.clone()),
            firmware_version: None,
            category: Some(p.category),
            eu_class: p.eu_class,
            fda_class: p.fda_class,
            criticality: Some(p.criticality),
            owner_team: Some(
                match p.category {
                    Category::BuildingSystem => "facilities",
                    Category::Pacs | Category::ViewingStation => "it",
                    _ => "biomedical",
                }
                .into(),
            ),
            location: Location {
                site: Some(site.name.clone()),
                building: Some(["A", "B", "C", "D"][self.rng.random_range(0..4)].into()),
                ward: Some(ward.to_owned()),
                room: Some(room),
                bed,
            },
            mac: MacAddr::from_octets(mac).ok(),
            ip: Some(IpAddr::V4(ip)),
            vlan: VlanId::new(vlan).ok(),
            hostname: format!("{}-{short}-{n:06}", site.code.to_lowercase())
                .parse()
                .ok(),
            end_of_support: p.eos,
            patchable: Some(self.rng.random::<f64>() >= p.unpatchable),
        }
    }
}

fn vendor_hash(s: &str) -> u8 {
    s.bytes().fold(0x5au8, |h, b| h.rotate_left(3) ^ b) & 0xfc
}

fn model_hash(s: &str) -> u32 {
    s.bytes()
        .fold(7u32, |h, b| h.wrapping_mul(31).wrapping_add(u32::from(b)))
        % 100_000
}

fn generate_sites(sites: &[SiteTemplate], seed: u64) -> Result<Hospital, CatalogError> {
    let catalog = Catalog::builtin()?;
    let mut g = Generator {
        rng: ChaCha8Rng::seed_from_u64(seed),
        catalog: &catalog,
        n: 0,
        ip_counters: HashMap::new(),
    };
    let mut devices = Vec::new();
    let mut beds = 0;
    for (site_no, site) in sites.iter().enumerate() {
        for &(ward, kind, places) in &site.wards {
            let (per_bed, fixed) = mix(kind);
            if !matches!(kind, WardKind::Theatres) {
                beds += places;
            }
            for &(category, rate) in per_bed {
                // Wards standardise on one fleet; a few units come from elsewhere.
                let fleet = g.catalog.of(category, false);
                let standard = g.pick(&fleet);
                for bed in 1..=places {
                    let whole =
                        rate.floor() as u32 + u32::from(g.rng.random::<f64>() < rate.fract());
                    for _ in 0..whole {
                        let product = if g.rng.random_range(0..100) < 85 {
                            standard
                        } else {
                            g.pick(&fleet)
                        };
                        let Some(p) = product else { continue };
                        let room = format!("{}{:03}", ward_code(ward), bed.div_ceil(2));
                        devices.push(g.device(site_no, site, ward, room, Some(bed.to_string()), p));
                    }
                }
            }
            for &(category, count, per_ward) in fixed {
                let options = g.catalog.of(category, per_ward);
                for i in 0..count {
                    let Some(p) = g.pick(&options) else { continue };
                    let room = format!("{}{:03}", ward_code(ward), 100 + i / 4);
                    devices.push(g.device(site_no, site, ward, room, None, p));
                }
            }
        }
    }
    Ok(Hospital {
        sites: sites.iter().map(|s| s.name.clone()).collect(),
        beds,
        devices,
    })
}

fn ward_code(ward: &str) -> String {
    ward.split_whitespace()
        .map(|w| w.chars().next().unwrap_or('X'))
        .collect::<String>()
        .to_uppercase()
}

/// The demo hospital group from `seed`.
///
/// # Errors
/// When the built-in catalog is invalid (a build defect).
pub fn generate(seed: u64) -> Result<Hospital, CatalogError> {
    generate_sites(&templates(), seed)
}

/// At least `devices` devices (exactly that many): the demo's sites repeated
/// as "Site name 2", "Site name 3" … for benchmarks at any scale.
///
/// # Errors
/// When the built-in catalog is invalid.
pub fn generate_scaled(devices: usize, seed: u64) -> Result<Hospital, CatalogError> {
    let base = templates();
    let per_copy = generate_sites(&base, seed)?.devices.len().max(1);
    let copies = devices.div_ceil(per_copy).max(1);
    let mut sites = Vec::new();
    for k in 1..=copies {
        for t in &base {
            let mut t = t.clone();
            if k > 1 {
                t.name = format!("{} {k}", t.name);
                t.code = format!("{}{k}", t.code);
            }
            sites.push(t);
        }
    }
    let mut h = generate_sites(&sites, seed)?;
    h.devices.truncate(devices);
    Ok(h)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn demo_is_realistic_and_deterministic() {
        let a = generate(1).unwrap_or_else(|e| panic!("{e}"));
        let b = generate(1).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(a.devices, b.devices);
        assert_eq!(a.sites.len(), 2);
        assert!((950..=1050).contains(&a.beds), "{} beds", a.beds);
        assert!(
            (13_000..=17_000).contains(&a.devices.len()),
            "{} devices",
            a.devices.len()
        );
        let tags: std::collections::HashSet<_> =
            a.devices.iter().map(|d| d.asset_tag.clone()).collect();
        let macs: std::collections::HashSet<_> = a.devices.iter().map(|d| d.mac).collect();
        let serials: std::collections::HashSet<_> = a
            .devices
            .iter()
            .map(|d| (d.vendor.clone(), d.serial.clone()))
            .collect();
        assert_eq!(tags.len(), a.devices.len());
        assert_eq!(macs.len(), a.devices.len());
        assert_eq!(serials.len(), a.devices.len());
        let today = time::macros::date!(2026 - 11 - 29);
        let eos = a
            .devices
            .iter()
            .filter(|d| d.end_of_support.is_some_and(|e| e < today))
            .count();
        let share = eos as f64 / a.devices.len() as f64;
        assert!(
            (0.05..0.35).contains(&share),
            "end-of-support share {share}"
        );
    }

    #[test]
    fn scaled_gives_exact_count_with_unique_keys() {
        let h = generate_scaled(40_000, 3).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(h.devices.len(), 40_000);
        let macs: std::collections::HashSet<_> = h.devices.iter().map(|d| d.mac).collect();
        assert_eq!(macs.len(), 40_000);
    }
}
