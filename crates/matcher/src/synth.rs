//! Deterministic synthetic data for benchmarks and scale tests (feature
//! `synth`): a device fleet with the vulnerability records about it, and an
//! SBOM with OSV-style package records. Same seed, same data.
//!
//! The fleet's products are a small part of a larger product universe, as
//! in a real feed where most records are about products a hospital does
//! not own. Identities mix vendor/product names, CPEs and purls.

use medvigil_ident::{Cpe, Purl};
use medvigil_version::{Bound, Interval, Scheme, Version, VersionRange};
use medvigil_vulndb::{Affected, AffectedRange, PackageId, SourceFormat, VulnRecord};

use crate::target::Target;

/// SplitMix64: small, fast, and good enough for test data.
#[derive(Debug, Clone)]
pub struct Rng(u64);

impl Rng {
    /// A generator from a seed.
    pub fn new(seed: u64) -> Rng {
        Rng(seed)
    }

    /// The next 64 random bits.
    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// A number in `0..n` (`n` > 0).
    pub fn below(&mut self, n: u64) -> u64 {
        self.next_u64() % n.max(1)
    }

    /// Whether a `percent` chance came up.
    pub fn chance(&mut self, percent: u64) -> bool {
        self.below(100) < percent
    }
}

/// The sizes of the generated data.
#[derive(Debug, Clone, Copy)]
#[non_exhaustive]
pub struct Scale {
    /// Devices in the fleet.
    pub devices: u32,
    /// Distinct products in the fleet (each with [`VERSIONS_PER_PRODUCT`]
    /// versions).
    pub fleet_products: u32,
    /// Products the records speak about (the fleet's are the first ones).
    pub universe_products: u32,
    /// Device vulnerability records.
    pub records: u32,
    /// SBOM components.
    pub components: u32,
    /// Distinct packages OSV-style records speak about.
    pub packages: u32,
    /// OSV-style package records.
    pub package_records: u32,
}

/// Versions per product.
pub const VERSIONS_PER_PRODUCT: u32 = 5;

impl Scale {
    /// The benchmark scale: 100,000 devices over 10,000 product versions,
    /// 300,000 records with about 1,000,000 affected ranges; a 10,000-
    /// component SBOM and 500,000 package records.
    pub const FULL: Scale = Scale {
        devices: 100_000,
        fleet_products: 2_000,
        universe_products: 50_000,
        records: 300_000,
        components: 10_000,
        packages: 100_000,
        package_records: 500_000,
    };

    /// A hundredth of [`Scale::FULL`], for tests.
    pub const SMALL: Scale = Scale {
        devices: 1_000,
        fleet_products: 20,
        universe_products: 500,
        records: 3_000,
        components: 100,
        packages: 1_000,
        package_records: 5_000,
    };
}

/// Vendor of product `p`.
pub fn vendor_name(p: u32) -> String {
    format!("Vendor{:03} Medical", p % 200)
}

/// Name of product `p`.
pub fn product_name(p: u32) -> String {
    const KINDS: [&str; 8] = [
        "Infusion Pump",
        "Patient Monitor",
        "Ventilator",
        "Imaging Workstation",
        "Syringe Module",
        "Telemetry Receiver",
        "Anesthesia System",
        "Glucose Meter",
    ];
    format!("{} {}", KINDS[(p % 8) as usize], p / 8)
}

/// The `i`-th version (0-based, ascending) of product `p`.
pub fn product_version(p: u32, i: u32) -> String {
    // Ascending in `i` for every `p`: the major grows with `i`.
    let major = 1 + (p * 7) % 13 + 2 * i;
    format!("{major}.{}.{}", (p * 3 + i * 7) % 20, (p + i) % 17)
}

fn cpe_of(p: u32, version: Option<&str>) -> Option<Cpe> {
    let v = version.unwrap_or("*");
    Cpe::parse(&format!(
        "cpe:2.3:o:vendor{:03}:product_{p}_firmware:{v}:*:*:*:*:*:*:*",
        p % 200
    ))
    .ok()
}

/// The fleet: device `i` runs one of the fleet's product versions; 30 %
/// also carry a CPE, 20 % a model number.
pub fn fleet(seed: u64, scale: Scale) -> impl Iterator<Item = Target> {
    let mut rng = Rng::new(seed);
    (0..scale.devices).map(move |i| {
        let pv = rng.below(u64::from(scale.fleet_products * VERSIONS_PER_PRODUCT)) as u32;
        let (p, vi) = (pv / VERSIONS_PER_PRODUCT, pv % VERSIONS_PER_PRODUCT);
        let version = product_version(p, vi);
        let mut t = Target::new(format!("dev-{i:06}"))
            .vendor(vendor_name(p))
            .product(product_name(p))
            .version(version.clone());
        if rng.chance(30)
            && let Some(c) = cpe_of(p, Some(&version))
        {
            t = t.cpe(c);
        }
        if rng.chance(20) {
            t = t.model_number(format!("M{p}-X"));
        }
        t
    })
}

fn generic(s: &str) -> Option<Version> {
    Version::parse(Scheme::Generic, s).ok()
}

/// A range over product `p`'s versions: below one, or between two.
fn product_range(rng: &mut Rng, p: u32) -> Option<VersionRange> {
    let a = rng.below(u64::from(VERSIONS_PER_PRODUCT)) as u32;
    let upper = Bound::Excluded(generic(&product_version(p, a + 1))?);
    let lower = if rng.chance(50) {
        Bound::Unbounded
    } else {
        Bound::Included(generic(&product_version(p, a.saturating_sub(1)))?)
    };
    VersionRange::from_intervals(Scheme::Generic, [Interval { lower, upper }]).ok()
}

fn package_version(n: u32, i: u32) -> String {
    format!("{}.{}.{}", 1 + n % 3, i, (n + i) % 5)
}

fn package_range(rng: &mut Rng, n: u32, scheme: Scheme) -> Option<VersionRange> {
    let a = rng.below(8) as u32;
    let lower = Bound::Included(Version::parse(scheme, &package_version(n, a / 2)).ok()?);
    let upper = Bound::Excluded(Version::parse(scheme, &package_version(n, a + 1)).ok()?);
    VersionRange::from_intervals(scheme, [Interval { lower, upper }]).ok()
}

fn record(id: String, affected: Vec<Affected>, format: SourceFormat) -> VulnRecord {
    let mut r = VulnRecord::new(id, format);
    r.affected = affected;
    r
}

/// Vulnerability records about the product universe: 1–6 affected
/// entries each (3.3 on average), identified 40 % by vendor/product name,
/// 30 % by CPE, 30 % by an npm purl.
pub fn device_records(seed: u64, scale: Scale) -> impl Iterator<Item = VulnRecord> {
    let mut rng = Rng::new(seed ^ 0x5EED_0001);
    (0..scale.records).map(move |i| {
        let n = 1 + rng.below(6) as u32 + u32::from(rng.chance(10));
        let mut affected = Vec::new();
        for _ in 0..n {
            let p = rng.below(u64::from(scale.universe_products)) as u32;
            let kind = rng.below(10);
            let (id, range) = if kind < 4 {
                let id = PackageId::VendorProduct {
                    vendor: Some(vendor_name(p)),
                    product: product_name(p),
                };
                (Some(id), product_range(&mut rng, p))
            } else if kind < 7 {
                (
                    cpe_of(p, None).map(PackageId::Cpe),
                    product_range(&mut rng, p),
                )
            } else {
                let n = rng.below(u64::from(scale.packages)) as u32;
                let purl = Purl::parse(&format!("pkg:npm/pkg{n}")).ok();
                (
                    purl.map(PackageId::Purl),
                    package_range(&mut rng, n, Scheme::Npm),
                )
            };
            if let (Some(id), Some(r)) = (id, range) {
                let mut a = Affected::new(vec![id]);
                a.ranges.push(AffectedRange::Versions(r));
                affected.push(a);
            }
        }
        record(format!("CVE-2099-{i:07}"), affected, SourceFormat::Cve5)
    })
}

/// An SBOM: components with npm purls at one of their package's versions.
pub fn sbom(seed: u64, scale: Scale) -> impl Iterator<Item = Target> {
    let mut rng = Rng::new(seed ^ 0x5B0B);
    (0..scale.components).filter_map(move |i| {
        let n = rng.below(u64::from(scale.packages)) as u32;
        let v = package_version(n, rng.below(8) as u32);
        let purl = Purl::parse(&format!("pkg:npm/pkg{n}@{v}")).ok()?;
        Some(Target::new(format!("comp-{i:05}")).purl(purl))
    })
}

/// OSV-style records about packages: one affected package each, by
/// ecosystem and name and by purl, with an introduced/fixed range.
pub fn package_records(seed: u64, scale: Scale) -> impl Iterator<Item = VulnRecord> {
    let mut rng = Rng::new(seed ^ 0x0057);
    (0..scale.package_records).map(move |i| {
        let n = rng.below(u64::from(scale.packages)) as u32;
        let mut ids = vec![PackageId::Ecosystem {
            ecosystem: "npm".into(),
            name: format!("pkg{n}"),
        }];
        if let Ok(p) = Purl::parse(&format!("pkg:npm/pkg{n}")) {
            ids.push(PackageId::Purl(p));
        }
        let mut a = Affected::new(ids);
        if let Some(r) = package_range(&mut rng, n, Scheme::Npm) {
            a.ranges.push(AffectedRange::Versions(r));
        }
        let mut r = record(format!("GHSA-synth-{i:07}"), vec![a], SourceFormat::Osv);
        r.aliases.push(format!("CVE-2098-{i:07}"));
        r
    })
}

/// A CSAF 2.0 advisory (JSON) about `products` fleet products, each with
/// an affected range and a fixed version, as CISA writes them.
pub fn advisory(seed: u64, scale: Scale, products: u32) -> String {
    let mut rng = Rng::new(seed ^ 0xADF);
    let mut branches = Vec::new();
    let mut affected = Vec::new();
    let mut fixed = Vec::new();
    for k in 0..products {
        let p = rng.below(u64::from(scale.fleet_products)) as u32;
        let cut = 1 + rng.below(u64::from(VERSIONS_PER_PRODUCT - 1)) as u32;
        let (a, f) = (format!("CSAFPID-{k}-A"), format!("CSAFPID-{k}-F"));
        branches.push(format!(
            r#"{{"category":"vendor","name":"{v}","branches":[{{"category":"product_name","name":"{n}","branches":[
              {{"category":"product_version_range","name":"<= {lo}","product":{{"name":"{v} {n} <= {lo}","product_id":"{a}"}}}},
              {{"category":"product_version","name":"{hi}","product":{{"name":"{v} {n} {hi}","product_id":"{f}"}}}}]}}]}}"#,
            v = vendor_name(p),
            n = product_name(p),
            lo = product_version(p, cut - 1),
            hi = product_version(p, cut),
        ));
        affected.push(format!("\"{a}\""));
        fixed.push(format!("\"{f}\""));
    }
    format!(
        r#"{{"document":{{"category":"csaf_security_advisory","csaf_version":"2.0","title":"synthetic",
  "publisher":{{"category":"coordinator","name":"synth","namespace":"https://example.invalid"}},
  "tracking":{{"id":"SYNTH-{seed}","status":"final","version":"1","current_release_date":"2026-01-01T00:00:00Z",
  "initial_release_date":"2026-01-01T00:00:00Z","revision_history":[]}}}},
 "product_tree":{{"branches":[{b}]}},
 "vulnerabilities":[{{"cve":"CVE-2099-9{seed:06}","product_status":{{"known_affected":[{af}],"fixed":[{fx}]}},
   "remediations":[{{"category":"vendor_fix","details":"Update.","product_ids":[{fx}]}}]}}]}}"#,
        b = branches.join(","),
        af = affected.join(","),
        fx = fixed.join(","),
    )
}
