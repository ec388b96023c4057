//! The IEEE registries in the corpora (Debian `ieee-data` layout) load and
//! answer longest-prefix lookups.

use medvigil_decode::MacAddr;
use medvigil_decode::oui::OuiRegistry;

#[test]
fn corpus_registry() {
    let Some(dir) = medvigil_testkit::corpus("oui/ieee-data") else {
        return;
    };
    let reg = match OuiRegistry::load(Some(&dir)) {
        Ok(r) => r,
        Err(e) => panic!("{e}"),
    };
    // Rows: 30082 MA-L + 3722 MA-M + 4363 MA-S + 4575 IAB (headers excluded).
    assert!(reg.len() > 40_000, "{}", reg.len());
    // MA-L rows seen in oui.csv.
    assert_eq!(
        reg.lookup(MacAddr([0x00, 0x22, 0x72, 1, 2, 3])),
        Some("American Micro-Fuel Device Corp.")
    );
    assert_eq!(
        reg.lookup(MacAddr([0x00, 0x1e, 0xfc, 1, 2, 3])),
        Some("JSC \"MASSA-K\"")
    );
    // MA-S 70B3D5F2F inside the MA-L block 70B3D5 of the IEEE RA.
    assert_eq!(
        reg.lookup(MacAddr([0x70, 0xb3, 0xd5, 0xf2, 0xf0, 0x01])),
        Some("TELEPLATFORMS")
    );
    // IAB 0050C27D5.
    assert_eq!(
        reg.lookup(MacAddr([0x00, 0x50, 0xc2, 0x7d, 0x50, 0x01])),
        Some("DEUTA-WERKE GmbH")
    );
    // Locally administered: no vendor.
    assert_eq!(reg.lookup(MacAddr([0x02, 0, 0, 0, 0, 1])), None);
}

#[test]
fn missing_dir_is_an_error() {
    assert!(OuiRegistry::load(Some(std::path::Path::new("/nonexistent/ieee"))).is_err());
}
