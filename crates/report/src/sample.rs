//! A made-up hospital group's report input, deterministic from a seed: for
//! the example, the tests and the web UI's development. The devices and
//! vulnerabilities are invented.

use medvigil_model::{Category, Criticality, EuClass};
use medvigil_risk::Priority;
use time::macros::datetime;
use time::{Duration, OffsetDateTime};

use crate::input::{DeviceRow, RemediationRow, ReportInput, Scope};

/// The sites of the sample group.
pub const SITES: [&str; 3] = [
    "Klinikum Nord Altstadt",
    "Klinikum Nord Hafen",
    "Reha Nord Waldblick",
];

/// When the sample report is generated: fixed, so output is reproducible.
pub const GENERATED_AT: OffsetDateTime = datetime!(2026-11-30 08:00 UTC);

struct Kind {
    model: &'static str,
    category: Category,
    class: EuClass,
    criticality: Criticality,
    departments: &'static [&'static str],
}

const KINDS: [Kind; 9] = [
    Kind {
        model: "Perfusa IP-300 infusion pump",
        category: Category::InfusionPump,
        class: EuClass::IIb,
        criticality: Criticality::Therapeutic,
        departments: &["Intensive care", "Oncology", "Emergency"],
    },
    Kind {
        model: "Vigilo M8 patient monitor",
        category: Category::PatientMonitor,
        class: EuClass::IIb,
        criticality: Criticality::Monitoring,
        departments: &["Intensive care", "Emergency", "Cardiology"],
    },
    Kind {
        model: "Aeris V60 ventilator",
        category: Category::Ventilator,
        class: EuClass::IIb,
        criticality: Criticality::LifeSustaining,
        departments: &["Intensive care", "Operating theatre"],
    },
    Kind {
        model: "Somna A7 anaesthesia workstation",
        category: Category::Anaesthesia,
        class: EuClass::IIb,
        criticality: Criticality::LifeSustaining,
        departments: &["Operating theatre"],
    },
    Kind {
        model: "Clarix CT 128",
        category: Category::Imaging,
        class: EuClass::IIa,
        criticality: Criticality::Diagnostic,
        departments: &["Radiology"],
    },
    Kind {
        model: "Nephra D5 dialysis machine",
        category: Category::Dialysis,
        class: EuClass::IIb,
        criticality: Criticality::LifeSustaining,
        departments: &["Nephrology"],
    },
    Kind {
        model: "Cardion AED Pro",
        category: Category::Defibrillator,
        class: EuClass::III,
        criticality: Criticality::LifeSustaining,
        departments: &["Emergency", "Cardiology"],
    },
    Kind {
        model: "Labora BG-2 blood gas analyser",
        category: Category::LabAnalyser,
        class: EuClass::I,
        criticality: Criticality::Diagnostic,
        departments: &["Laboratory", "Intensive care"],
    },
    Kind {
        model: "Callis NC-4 nurse call",
        category: Category::NurseCall,
        class: EuClass::I,
        criticality: Criticality::Supporting,
        departments: &["Geriatrics", "Oncology"],
    },
];

const OWNERS: [&str; 3] = ["Biomedical engineering", "IT networks", "Vendor service"];

/// SplitMix64: enough randomness for sample data, no dependency.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
}

/// The report of a group of `devices` devices over [`SITES`], about two in
/// three with findings, with remediations (some overdue) and accepted risks
/// (some lapsing within 30 days). The same seed gives the same input.
pub fn sample_group(seed: u64, devices: usize) -> ReportInput {
    let mut rng = Rng(seed);
    let today = GENERATED_AT.date();
    let mut rows = Vec::with_capacity(devices);
    let mut remediations = Vec::new();
    for i in 0..devices {
        let kind = &KINDS[rng.below(KINDS.len())];
        let site = SITES[rng.below(SITES.len())];
        let mut d = DeviceRow::new(
            format!("dev-{:04}", i + 1),
            format!("{} #{}", kind.model, i + 1),
        );
        d.asset_tag = Some(format!("MED-{:05}", 10_000 + i * 7));
        d.site = Some(site.to_owned());
        d.department = Some(kind.departments[rng.below(kind.departments.len())].to_owned());
        // A few CMMS records lack the regulatory fields.
        if rng.below(12) != 0 {
            d.category = Some(kind.category);
            d.eu_class = Some(kind.class);
            d.criticality = Some(kind.criticality);
        }
        // Life-sustaining devices on the clinical LAN score higher under the
        // policy; supporting ones rarely reach P1.
        let roll = rng.below(100)
            + match kind.criticality {
                Criticality::LifeSustaining | Criticality::Therapeutic => 0,
                Criticality::Monitoring => 5,
                Criticality::Diagnostic => 10,
                Criticality::Supporting => 25,
            };
        let worst = match roll {
            0..=7 => Some(Priority::P1),
            8..=24 => Some(Priority::P2),
            25..=44 => Some(Priority::P3),
            45..=64 => Some(Priority::P4),
            _ => None,
        };
        if let Some(p) = worst {
            d.priority = Some(p);
            d.counts[p.index()] = 1 + rng.below(3);
            for lower in p.index() + 1..4 {
                d.counts[lower] = rng.below(4);
            }
            let cve = format!("CVE-2026-{:04}", 1000 + rng.below(9000));
            let days = [7, 30, 90, 180][p.index()];
            let found = today - Duration::days(rng.below(200) as i64);
            let deadline = found + Duration::days(days);
            d.top_vulnerability = Some(cve.clone());
            d.deadline = Some(deadline);
            d.reason = Some(reason(kind, d.criticality.is_some(), p, &mut rng));
            let accepted = p >= Priority::P3 && rng.below(4) == 0;
            let done = !accepted && rng.below(3) == 0;
            remediations.push(RemediationRow {
                id: format!("rem-{:04}", remediations.len() + 1),
                device: d.asset_tag.clone().unwrap_or_else(|| d.name.clone()),
                vulnerability: Some(cve),
                action: if accepted {
                    "Risk accepted: device isolated, vendor fix pending validation".to_owned()
                } else if rng.below(2) == 0 {
                    "Apply vendor update to firmware 4.2.1".to_owned()
                } else {
                    "Move to segmented VLAN 40 and restrict remote service access".to_owned()
                },
                owner_team: Some(OWNERS[rng.below(OWNERS.len())].to_owned()),
                status: if accepted {
                    "accepted"
                } else if done {
                    "in_progress"
                } else {
                    "open"
                }
                .to_owned(),
                due: Some(deadline),
                overdue: !accepted && deadline < today,
                accepted_until: accepted.then(|| today + Duration::days(rng.below(75) as i64 - 5)),
            });
        }
        rows.push(d);
    }
    ReportInput {
        title: "Hospital group Nord — risk report".to_owned(),
        scope: Scope::Group {
            name: "Nord".to_owned(),
        },
        generated_at: GENERATED_AT,
        devices: rows,
        remediations,
    }
}

fn reason(kind: &Kind, known: bool, p: Priority, rng: &mut Rng) -> String {
    let who = if known {
        format!(
            "{}, class {}, {}",
            kind.category.label(),
            kind.class,
            kind.criticality
        )
    } else {
        "Device of unknown clinical role".to_owned()
    };
    let exploit = match p {
        Priority::P1 => "vulnerability exploited in the wild, including by ransomware (CISA KEV)",
        Priority::P2 => "vulnerability exploited in the wild (CISA KEV)",
        Priority::P3 => "public exploit code available",
        Priority::P4 => "no known exploit",
    };
    let (cvss, severity) = [
        (9.8, "critical"),
        (8.1, "high"),
        (7.5, "high"),
        (6.5, "medium"),
        (5.3, "medium"),
    ][rng.below(5)];
    let fix = if rng.below(3) == 0 {
        "no vendor fix yet"
    } else {
        "vendor fix available: update to 4.2.1"
    };
    format!("{who}; {exploit}; CVSS {cvss:.1} {severity}; reachable from the clinical LAN; {fix}")
}
