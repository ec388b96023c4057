//! No patient data reaches the observations.
//!
//! Every corpus capture runs through capture + decode; the values of the
//! patient-bearing HL7 segments found in the raw capture bytes (PID, NK1,
//! PV1, AL1, ORC, OBR, and OBX-3/OBX-5) must not appear in the Debug or JSON
//! form of any observation. The corpora's DICOM captures hold associations
//! only, so a synthetic association carrying a patient data set is checked too.

mod common;

use std::collections::BTreeSet;

use medvigil_capture::Limits;

const PATIENT_SEGMENTS: &[&[u8]] = &[
    b"PID|", b"NK1|", b"PV1|", b"AL1|", b"ORC|", b"OBR|", b"OBX|",
];

/// Whether a token is specific enough to search for without false hits.
fn specific(t: &str) -> bool {
    let alpha = t.chars().any(char::is_alphabetic);
    (alpha && t.len() >= 4)
        || (t.chars().all(|c| c.is_ascii_digit()) && t.len() >= 6)
        || t.len() >= 8
}

/// Field values of patient-bearing segments in raw capture bytes.
fn phi_tokens(bytes: &[u8], out: &mut BTreeSet<String>) {
    for seg in bytes.split(|&b| b == b'\r' || b == 0x0b || b == 0x1c) {
        let Some(name) = PATIENT_SEGMENTS.iter().find(|p| seg.starts_with(p)) else {
            continue;
        };
        let text = String::from_utf8_lossy(seg);
        for (i, field) in text.split('|').enumerate().skip(1) {
            // OBX-18 is the equipment identifier, kept on purpose.
            if name == b"OBX|" && i != 3 && i != 5 {
                continue;
            }
            for tok in field.split(['^', '&', '~']) {
                let tok = tok.trim();
                if specific(tok) {
                    out.insert(tok.to_owned());
                }
            }
        }
    }
}

#[test]
fn no_phi_from_any_corpus_capture() {
    let Some(dir) = medvigil_testkit::corpus("pcap") else {
        return;
    };
    let files = common::captures(&dir);
    let mut phi = BTreeSet::new();
    for f in &files {
        phi_tokens(&std::fs::read(f).unwrap_or_default(), &mut phi);
    }
    for must in [
        "MOUSE",
        "MICKEY",
        "MINNIE",
        "19281118",
        "19240101",
        "135769",
        "ohtoodles@notdisney.com",
        "Lake Buena Vista",
        "Penicillin",
    ] {
        assert!(
            phi.contains(must),
            "PHI token {must} not found in the captures: {phi:?}"
        );
    }
    let mut leaks = Vec::new();
    for f in &files {
        let (_, obs) = common::analyze(f);
        let dbg = format!("{obs:?}");
        let json = serde_json::to_string(&obs).unwrap_or_default();
        for t in &phi {
            if dbg.contains(t.as_str()) || json.contains(t.as_str()) {
                leaks.push(format!("{}: {t}", f.display()));
            }
        }
    }
    assert!(
        leaks.is_empty(),
        "PHI in observations:\n{}",
        leaks.join("\n")
    );
}

#[test]
fn no_phi_from_a_dicom_data_set_or_hl7_pid() {
    let rq = common::associate_rq("CT_SCANNER_7", "PACS_MAIN");
    // (0010,0010) Patient's Name and (0010,0020) Patient ID, explicit VR LE.
    let mut ds = Vec::new();
    ds.extend_from_slice(&[0x10, 0x00, 0x10, 0x00, b'P', b'N', 10, 0]);
    ds.extend_from_slice(b"DOE^JANE^^");
    ds.extend_from_slice(&[0x10, 0x00, 0x20, 0x00, b'L', b'O', 10, 0]);
    ds.extend_from_slice(b"PAT-000123");
    let pdata = common::p_data(&ds);
    let hl7 = b"\x0bMSH|^~\\&|PUMP_GW|ICU|EMR|HOSP|2024||ORU^R01|1|P|2.6\rPID|1||MRN-998877||ROE^RICHARD||19700101\rOBX|1|NM|HR||72|bpm|||||F|||||||PUMP-SN-42\r\x1c\x0d";
    let frames = vec![
        common::tcp(1, 40000, 2, 104, 0, true, &[]),
        common::tcp(1, 40000, 2, 104, 1, false, &rq),
        common::tcp(1, 40000, 2, 104, 1 + rq.len() as u32, false, &pdata),
        common::tcp(3, 40001, 4, 2575, 0, false, hl7),
    ];
    let obs = common::analyze_bytes(&common::pcap(&frames), Limits::default());
    let dbg = format!("{obs:?}");
    assert!(
        dbg.contains("CT_SCANNER_7")
            && dbg.contains("SCANNER_9")
            && dbg.contains("PUMP_GW")
            && dbg.contains("PUMP-SN-42"),
        "{dbg}"
    );
    for phi in [
        "DOE",
        "JANE",
        "PAT-000123",
        "MRN-998877",
        "ROE",
        "RICHARD",
        "19700101",
        "bpm",
    ] {
        assert!(!dbg.contains(phi), "{phi} leaked: {dbg}");
    }
}
