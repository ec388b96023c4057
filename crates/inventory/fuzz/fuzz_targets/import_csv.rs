//! Any bytes as a CMMS export: reading, every field parser of the model
//! (MAC, UDI-DI, classes, dates …), mapping files, reconciliation and the
//! CSV writer must never panic, and an export must read back.
#![no_main]

use libfuzzer_sys::fuzz_target;
use medvigil_inventory::{Existing, ImportOptions, MappingFile, parse_csv, reconcile, write_csv};
use medvigil_model::DeviceId;

fuzz_target!(|data: &[u8]| {
    // The first line, when it parses, is a mapping file for the rest.
    let (mapping, body) = match data.iter().position(|&b| b == b'\n') {
        Some(i) => match std::str::from_utf8(&data[..i]).ok().and_then(|t| MappingFile::parse(t).ok()) {
            Some(m) => (m, &data[i + 1..]),
            None => (MappingFile::default(), data),
        },
        None => (MappingFile::default(), data),
    };
    let Ok(parsed) = parse_csv(body, &ImportOptions { mapping, encoding: None }) else { return };
    for e in &parsed.errors {
        let _ = e.to_string();
    }
    let existing: Vec<Existing> =
        parsed.rows.iter().take(8).map(|r| Existing { id: DeviceId::new(), fields: r.fields.clone() }).collect();
    let plan = reconcile(&existing, parsed.rows.clone());
    assert!(plan.creates.len() + plan.updates.len() + plan.unchanged.len() + plan.rejected.len() <= parsed.rows.len());
    let mut out = Vec::new();
    if write_csv(&mut out, parsed.rows.iter().map(|r| (None, &r.fields))).is_ok() && !parsed.rows.is_empty() {
        let again = parse_csv(&out, &ImportOptions::default());
        assert!(again.is_ok(), "an export must read back");
    }
});
