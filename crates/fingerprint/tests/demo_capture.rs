//! `medvigil demo --capture`'s traffic identifies the demo devices' kinds
//! (issue 5): every device that speaks DICOM or HL7 in the generated capture
//! is given the category the demo inventory records for it.

use std::collections::BTreeMap;

use medvigil_capture::{Analyzer, Limits};
use medvigil_fingerprint::{Catalog, Category};
use medvigil_model::Category as Kind;

/// The catalog category a device of this inventory category must get, for
/// the kinds whose traffic names them (DICOM SOP classes, HL7 device ids).
fn expected(kind: Kind) -> Option<Category> {
    Some(match kind {
        Kind::Imaging | Kind::Radiotherapy => Category::Imaging,
        Kind::InfusionPump => Category::Infusion,
        Kind::PatientMonitor => Category::PatientMonitor,
        Kind::LabAnalyser => Category::Laboratory,
        Kind::Defibrillator | Kind::Ecg => Category::MedicalDevice,
        _ => return None,
    })
}

#[test]
fn demo_devices_are_identified_from_their_traffic() {
    let hospital = medvigil_demo::generate(medvigil_demo::DEMO_SEED).expect("demo hospital");
    let mut pcap = Vec::new();
    let counts = medvigil_demo::write_demo_capture(&hospital, medvigil_demo::DEMO_SEED, &mut pcap)
        .expect("capture");
    assert_eq!(counts.bytes, pcap.len() as u64);
    assert!(
        counts.associations > 100 && counts.hl7_messages > 1_000,
        "{counts:?}"
    );

    let mut analyzer = Analyzer::new(Limits::default());
    analyzer.read_capture(pcap.as_slice()).expect("read");
    let ids = Catalog::builtin()
        .expect("catalog")
        .identify(&analyzer.finish());
    let by_mac: BTreeMap<String, Option<Category>> = ids
        .iter()
        .filter_map(|i| {
            let mac = i.endpoint.mac?.to_string();
            Some((mac, i.category.as_ref().map(|c| c.value)))
        })
        .collect();

    let mut checked: BTreeMap<Kind, (usize, usize)> = BTreeMap::new();
    let mut wrong = Vec::new();
    for d in &hospital.devices {
        let (Some(kind), Some(mac)) = (d.category, d.mac) else {
            continue;
        };
        let Some(want) = expected(kind) else { continue };
        let got = by_mac.get(&mac.to_string()).copied().flatten();
        let tally = checked.entry(kind).or_default();
        tally.0 += 1;
        if got == Some(want) {
            tally.1 += 1;
        } else if wrong.len() < 10 {
            wrong.push(format!("{mac} {:?} {:?}: {got:?}", d.vendor, d.model));
        }
    }
    eprintln!("identified per kind (devices, right): {checked:?}");
    for (kind, (n, right)) in &checked {
        assert_eq!(n, right, "{kind:?}: {wrong:#?}");
    }
    for kind in [
        Kind::Imaging,
        Kind::InfusionPump,
        Kind::PatientMonitor,
        Kind::LabAnalyser,
    ] {
        assert!(
            checked.get(&kind).is_some_and(|c| c.0 > 0),
            "no {kind:?} in the demo"
        );
    }
}
