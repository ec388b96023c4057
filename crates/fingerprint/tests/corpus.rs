//! The built-in catalog over the real captures: the identities the tapirx
//! DICOM/HL7 captures and a few nDPI/tcpdump captures carry, checked by
//! hand below and in full by `golden/corpus.json` (regenerate with
//! `UPDATE_GOLDEN=1`, review the diff).

use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use medvigil_capture::{Analyzer, Limits, Observation};
use medvigil_decode::oui::OuiRegistry;
use medvigil_fingerprint::{Catalog, Category, Identification};

/// Captures in the golden file, relative to `pcap/`.
const GOLDEN: &[&str] = &[
    "medical-tapirx/HL7-ADT-UDI-OBX.pcap",
    "medical-tapirx/HL7-ADT-UDI-PRT.pcap",
    "medical-tapirx/HL7-ADT.pcap",
    "medical-tapirx/HL7-ORM.pcap",
    "medical-tapirx/HL7-ORU.pcap",
    "medical-tapirx/dicom_arq_1_find_testclient.pcap",
    "medical-tapirx/dicom_arq_2_get_testclient.pcap",
    "medical-tapirx/dicom_arq_3_find_bogus_local.pcap",
    "medical-tapirx/dicom_arq_4_get_bogus_local.pcap",
    "ndpi/http.pcapng",
    "ndpi/ipp.pcap",
    "ndpi/ssdp-m-search-ua.pcap",
    "ndpi/log4j-webapp-exploit.pcap",
    "tcpdump/3560_CDP.pcap",
    "tcpdump/LLDP_and_CDP.pcap",
    "tcpdump/dhcp-mud.pcap",
    "tcpdump/dhcp-option-108.pcapng",
    "tcpdump/lldp_mudurl.pcap",
];

fn catalog() -> &'static Catalog {
    static C: OnceLock<Catalog> = OnceLock::new();
    C.get_or_init(|| Catalog::builtin().unwrap_or_else(|e| panic!("builtin rules: {e}")))
}

fn oui() -> Option<&'static OuiRegistry> {
    static R: OnceLock<Option<OuiRegistry>> = OnceLock::new();
    R.get_or_init(|| {
        let dir = medvigil_testkit::corpus("oui/ieee-data")?;
        Some(OuiRegistry::load(Some(&dir)).unwrap_or_else(|e| panic!("oui registry: {e}")))
    })
    .as_ref()
}

fn observe(path: &Path) -> Vec<Observation> {
    let bytes = std::fs::read(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let mut a = Analyzer::new(Limits::default());
    if let Some(r) = oui() {
        a = a.with_oui(r.clone());
    }
    a.read_capture(bytes.as_slice())
        .unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    a.finish()
}

fn capture(rel: &str) -> Option<PathBuf> {
    medvigil_testkit::corpus(&format!("pcap/{rel}"))
}

fn identify(rel: &str) -> Option<Vec<Identification>> {
    let path = capture(rel)?;
    Some(catalog().identify(&observe(&path)))
}

fn by_mac<'a>(ids: &'a [Identification], mac: &str) -> &'a Identification {
    ids.iter()
        .find(|i| i.endpoint.mac.is_some_and(|m| m.to_string() == mac))
        .unwrap_or_else(|| panic!("no identification for {mac}: {ids:#?}"))
}

fn value(a: Option<&medvigil_fingerprint::Attributed<String>>) -> Option<&str> {
    a.map(|a| a.value.as_str())
}

#[test]
fn golden() {
    let mut out = serde_json::Map::new();
    for rel in GOLDEN {
        let Some(ids) = identify(rel) else { return };
        let v = serde_json::to_value(&ids).unwrap_or_else(|e| panic!("{rel}: {e}"));
        out.insert((*rel).to_owned(), v);
    }
    let text = serde_json::to_string_pretty(&out).unwrap_or_default() + "\n";
    medvigil_testkit::assert_golden(
        &Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/golden/corpus.json"),
        &text,
    );
}

#[test]
fn hospira_pump_from_hl7_device_identifier_and_oui() {
    for rel in [
        "medical-tapirx/HL7-ADT-UDI-OBX.pcap",
        "medical-tapirx/HL7-ADT-UDI-PRT.pcap",
    ] {
        let Some(ids) = identify(rel) else { return };
        let pump = by_mac(&ids, "00:03:b1:b5:b6:48");
        assert_eq!(value(pump.vendor.as_ref()), Some("Hospira"), "{rel}");
        assert_eq!(value(pump.product.as_ref()), Some("Plum A+"), "{rel}");
        assert_eq!(
            pump.category.as_ref().map(|c| c.value),
            Some(Category::Infusion),
            "{rel}"
        );
        // The HL7 rule (80) and the IEEE registrant rule (40) agree.
        let conf = pump.vendor.as_ref().map_or(0, |v| v.confidence);
        assert!(conf > 80, "{rel}: {conf}");
    }
}

#[test]
fn godicom_on_the_dicom_requestor() {
    for rel in [
        "medical-tapirx/dicom_arq_1_find_testclient.pcap",
        "medical-tapirx/dicom_arq_2_get_testclient.pcap",
        "medical-tapirx/dicom_arq_3_find_bogus_local.pcap",
        "medical-tapirx/dicom_arq_4_get_bogus_local.pcap",
    ] {
        let Some(ids) = identify(rel) else { return };
        assert_eq!(ids.len(), 1, "{rel}");
        assert_eq!(
            value(ids[0].software.as_ref()),
            Some("GODICOM 1.1"),
            "{rel}"
        );
        // C-GET clients propose storage classes; they are not modalities.
        assert_eq!(ids[0].modality, None, "{rel}");
    }
}

#[test]
fn virtual_machines_in_the_hl7_captures() {
    let Some(ids) = identify("medical-tapirx/HL7-ORU.pcap") else {
        return;
    };
    for mac in ["00:0c:29:b5:b6:48", "08:00:27:1d:a6:c2"] {
        let id = by_mac(&ids, mac);
        assert_eq!(
            id.category.as_ref().map(|c| c.value),
            Some(Category::VirtualMachine),
            "{mac}"
        );
    }
}

#[test]
fn raspberry_pi_from_dhcp() {
    let Some(ids) = identify("tcpdump/dhcp-mud.pcap") else {
        return;
    };
    let pi = by_mac(&ids, "00:23:eb:10:2c:29");
    assert_eq!(value(pi.vendor.as_ref()), Some("Raspberry Pi"));
    assert_eq!(value(pi.os.as_ref()), Some("Linux 4.1.18-v7+"));
    assert_eq!(value(pi.software.as_ref()), Some("dhcpcd 6.11.5"));
    assert_eq!(
        pi.category.as_ref().map(|c| c.value),
        Some(Category::Embedded)
    );
}

#[test]
fn cisco_switch_from_lldp_and_cdp() {
    let Some(ids) = identify("tcpdump/LLDP_and_CDP.pcap") else {
        return;
    };
    let sw = by_mac(&ids, "00:18:ba:98:68:8f");
    assert_eq!(value(sw.vendor.as_ref()), Some("Cisco"));
    assert_eq!(value(sw.product.as_ref()), Some("WS-C3560-24TS"));
    assert_eq!(value(sw.os.as_ref()), Some("Cisco IOS"));
    assert_eq!(value(sw.software.as_ref()), Some("IOS 12.2(44)SE"));
    assert_eq!(
        sw.category.as_ref().map(|c| c.value),
        Some(Category::Network)
    );
}

#[test]
fn ubuntu_from_lldp_and_apple_from_dhcp() {
    if let Some(ids) = identify("tcpdump/lldp_mudurl.pcap") {
        let h = by_mac(&ids, "00:23:54:c2:57:02");
        assert_eq!(value(h.os.as_ref()), Some("Ubuntu 14.04.5 LTS"));
    }
    if let Some(ids) = identify("tcpdump/dhcp-option-108.pcapng") {
        let h = by_mac(&ids, "42:b4:44:b4:f0:ee");
        assert_eq!(value(h.vendor.as_ref()), Some("Apple"));
        assert_eq!(value(h.os.as_ref()), Some("macOS"));
    }
}

#[test]
fn http_user_agents_and_servers() {
    if let Some(ids) = identify("ndpi/http.pcapng") {
        let c = by_mac(&ids, "3c:a9:f4:a8:1f:ec");
        assert_eq!(value(c.software.as_ref()), Some("curl 7.68.0"));
    }
    if let Some(ids) = identify("ndpi/ipp.pcap") {
        let p = by_mac(&ids, "00:12:79:80:69:60");
        assert_eq!(value(p.software.as_ref()), Some("Virata-EmWeb R6_2_1"));
        let c = by_mac(&ids, "00:1b:63:98:bf:36");
        assert_eq!(value(c.software.as_ref()), Some("CUPS 1.3.4"));
    }
}

/// Every capture of the corpora goes through the catalog; the output is
/// deterministic (two runs agree).
#[test]
fn all_captures_deterministic() {
    let Some(root) = medvigil_testkit::corpus("pcap") else {
        return;
    };
    let mut n = 0;
    for dir in ["medical-tapirx", "ndpi", "tcpdump"] {
        let Ok(rd) = std::fs::read_dir(root.join(dir)) else {
            continue;
        };
        let mut files: Vec<PathBuf> = rd.flatten().map(|e| e.path()).collect();
        files.sort();
        for p in files.iter().filter(|p| p.is_file()) {
            let Ok(bytes) = std::fs::read(p) else {
                continue;
            };
            let mut a = Analyzer::new(Limits::default());
            if a.read_capture(bytes.as_slice()).is_err() {
                continue;
            }
            let obs = a.finish();
            let first = catalog().identify(&obs);
            assert_eq!(first, catalog().identify(&obs), "{}", p.display());
            n += 1;
        }
    }
    assert!(n > 100, "{n} captures");
}
