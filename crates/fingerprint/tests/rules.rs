//! Rule files: what loads, what is refused (and how the error names the
//! rule, the key and the value), merging, and evaluation on hand-built
//! observations.

use std::net::{IpAddr, Ipv4Addr};

use medvigil_capture::{
    DicomAssociation, EndpointKey, EndpointSeen, Fact, FactObservation, Observation, Timestamp,
};
use medvigil_decode::MacAddr;
use medvigil_decode::dhcp::DhcpMessage;
use medvigil_decode::dicom::{Association, PresentationContext, SystemKind, UserInformation};
use medvigil_fingerprint::{AGREEMENT_CAP, Catalog, Category, Field, RuleError};

fn key(last: u8) -> EndpointKey {
    EndpointKey {
        mac: Some(MacAddr([2, 0, 0, 0, 0, last])),
        ip: Some(IpAddr::V4(Ipv4Addr::new(10, 0, 0, last))),
        vlan: None,
    }
}

fn fact(endpoint: EndpointKey, peer: Option<EndpointKey>, fact: Fact) -> Observation {
    Observation::Fact(FactObservation {
        time: Timestamp(0),
        endpoint,
        peer,
        fact,
    })
}

fn dhcp(endpoint: EndpointKey, vendor_class: &str, hostname: Option<&str>) -> Observation {
    fact(
        endpoint,
        None,
        Fact::Dhcp(Box::new(DhcpMessage {
            op: 1,
            vendor_class: Some(vendor_class.to_owned()),
            hostname: hostname.map(str::to_owned),
            parameter_request_list: Some(vec![1, 3, 6, 15]),
            ..DhcpMessage::default()
        })),
    )
}

fn seen(key: EndpointKey, vendor: &str) -> Observation {
    Observation::Endpoint(EndpointSeen {
        key,
        mac_vendor: Some(vendor.to_owned()),
        first_seen: Timestamp(0),
        last_seen: Timestamp(0),
        packets_sent: 1,
        bytes_sent: 60,
        packets_received: 0,
    })
}

fn err(text: &str) -> RuleError {
    match Catalog::from_toml(text) {
        Ok(_) => panic!("accepted:\n{text}"),
        Err(e) => e,
    }
}

/// (rule text, expected error) — each error names rule, key and value.
#[test]
fn bad_rule_files() {
    let cases: &[(&str, RuleError)] = &[
        (
            "[[rule]]\nid = \"r\"\nwhen.http_server = 'regex:(unclosed'\nthen.os = \"x\"\nconfidence = 1\n",
            RuleError::BadRegex {
                rule: "r".into(),
                key: "when.http_server".into(),
                value: "(unclosed".into(),
                message: String::new(),
            },
        ),
        (
            "[[rule]]\nid = \"r\"\nwhen.dhcp_vendor_clas = \"MSFT 5.0\"\nthen.os = \"x\"\nconfidence = 1\n",
            RuleError::UnknownKey {
                rule: "r".into(),
                key: "when.dhcp_vendor_clas".into(),
            },
        ),
        (
            "[[rule]]\nid = \"r\"\nwhen.oui = \"00:0c:29\"\nthen.os = \"x\"\nconfidence = 101\n",
            RuleError::ConfidenceOutOfRange {
                rule: "r".into(),
                value: 101,
            },
        ),
        (
            "[[rule]]\nid = \"r\"\nwhen.oui = \"00:0c:29\"\nthen.os = \"x\"\nconfidence = -1\n",
            RuleError::ConfidenceOutOfRange {
                rule: "r".into(),
                value: -1,
            },
        ),
        (
            "[[rule]]\nid = \"r\"\nwhen.oui = \"00:0c:29\"\nthen.category = \"toaster\"\nconfidence = 1\n",
            RuleError::InvalidValue {
                rule: "r".into(),
                key: "then.category".into(),
                value: "toaster".into(),
                reason: "",
            },
        ),
        (
            "[[rule]]\nid = \"r\"\nwhen.http_server = 'regex:^(a)$'\nthen.software = \"$2\"\nconfidence = 1\n",
            RuleError::InvalidValue {
                rule: "r".into(),
                key: "then.software".into(),
                value: "$2".into(),
                reason: "",
            },
        ),
        (
            "[[rule]]\nid = \"r\"\nwhen.oui = \"00:0c:29\"\nthen.colour = \"x\"\nconfidence = 1\n",
            RuleError::UnknownKey {
                rule: "r".into(),
                key: "then.colour".into(),
            },
        ),
        (
            "[[rule]]\nid = \"r\"\nwhen.oui = \"00:0c:29\"\nthen.os = \"x\"\n",
            RuleError::MissingKey {
                rule: "r".into(),
                key: "confidence",
            },
        ),
        (
            "[[rule]]\nid = \"r\"\nwhen.oui = 3\nthen.os = \"x\"\nconfidence = 1\n",
            RuleError::WrongType {
                rule: "r".into(),
                key: "when.oui".into(),
                value: "3".into(),
                expected: "",
            },
        ),
        (
            "[[rule]]\nwhen.oui = \"x\"\nthen.os = \"x\"\nconfidence = 1\n",
            RuleError::MissingId { index: 0 },
        ),
        (
            "[[rule]]\nid = \"r\"\nwhen.oui = \"x\"\nthen.os = \"x\"\nconfidence = 1\n[[rule]]\nid = \"r\"\nwhen.oui = \"y\"\nthen.os = \"y\"\nconfidence = 1\n",
            RuleError::DuplicateId { rule: "r".into() },
        ),
        (
            "rules = 1\n",
            RuleError::UnknownTopLevelKey {
                key: "rules".into(),
            },
        ),
        (
            "[[rule]]\nid = \"r\"\nwhen.oui = \"x\"\nthen.os = \"x\"\nconfidence = 1\nsource = \"?\"\n",
            RuleError::UnknownKey {
                rule: "r".into(),
                key: "source".into(),
            },
        ),
        (
            "[[rule]]\nid = \"r\"\nwhen = {}\nthen.os = \"x\"\nconfidence = 1\n",
            RuleError::MissingKey {
                rule: "r".into(),
                key: "when.<field>",
            },
        ),
    ];
    for (text, want) in cases {
        let got = err(text);
        // Free-text parts (regex message, reason, expected) are compared
        // by presence only; the structured fields exactly.
        let strip = |e: &RuleError| match e.clone() {
            RuleError::BadRegex {
                rule, key, value, ..
            } => RuleError::BadRegex {
                rule,
                key,
                value,
                message: String::new(),
            },
            RuleError::InvalidValue {
                rule, key, value, ..
            } => RuleError::InvalidValue {
                rule,
                key,
                value,
                reason: "",
            },
            RuleError::WrongType {
                rule, key, value, ..
            } => RuleError::WrongType {
                rule,
                key,
                value,
                expected: "",
            },
            e => e,
        };
        assert_eq!(strip(&got), *want, "{text}");
        assert!(!got.to_string().is_empty());
    }
    assert!(matches!(err("[[rule]\n"), RuleError::Toml { .. }));
}

#[test]
fn builtin_rules_load_and_carry_notes() {
    let c = Catalog::builtin().unwrap_or_else(|e| panic!("{e}"));
    assert!(c.len() >= 80, "{}", c.len());
    // Every built-in rule has a note: the format would accept none.
    for r in c.rules() {
        assert!(r.note.is_some_and(|n| n.len() > 10), "{}", r.id);
        assert!(!r.fields.is_empty(), "{}", r.id);
    }
}

#[test]
fn every_field_name_round_trips() {
    for f in Field::ALL {
        assert_eq!(Field::from_name(f.name()), Some(*f));
    }
    for c in Category::ALL {
        assert_eq!(Category::from_name(c.name()), Some(*c));
    }
}

const MSFT: &str = r#"
[[rule]]
id = "dhcp-msft-5"
when.dhcp_vendor_class = "MSFT 5.0"
then = { os = "Windows (site build)" }
confidence = 90
"#;

#[test]
fn user_rule_overrides_builtin_by_id() {
    let Ok(builtin) = Catalog::builtin() else {
        panic!("builtin")
    };
    let n = builtin.len();
    let Ok(user) = Catalog::from_toml(MSFT) else {
        panic!("user")
    };
    let merged = builtin.merge(user);
    assert_eq!(merged.len(), n);
    assert_eq!(merged.ids().next(), Some("dhcp-msft-5"));
    let ids = merged.identify(&[dhcp(key(1), "MSFT 5.0", None)]);
    let os = ids[0].os.as_ref().map(|a| (a.value.as_str(), a.confidence));
    assert_eq!(os, Some(("Windows (site build)", 90)));
}

#[test]
fn conditions_all_must_hold_and_captures_fill_then() {
    let text = r#"
[[rule]]
id = "ge-dicom"
when.dicom_implementation_version = 'regex:^GEHC_(\w+)$'
when.oui_vendor = { exact = "ge healthcare", ignore_case = true }
then = { vendor = "GE HealthCare", software = "v$1 ($$)", category = "imaging" }
confidence = 70
"#;
    let Ok(c) = Catalog::from_toml(text) else {
        panic!("rules")
    };
    let assoc = |k: EndpointKey| {
        fact(
            k,
            Some(key(9)),
            Fact::Dicom(Box::new(DicomAssociation {
                is_request: true,
                association: Association {
                    calling_ae_title: "CT01".into(),
                    called_ae_title: "PACS".into(),
                    user_information: UserInformation {
                        implementation_version_name: Some("GEHC_42".into()),
                        ..UserInformation::default()
                    },
                    presentation_contexts: vec![PresentationContext {
                        id: 1,
                        abstract_syntax: Some("1.2.840.10008.5.1.4.1.1.2".into()),
                        ..PresentationContext::default()
                    }],
                    ..Association::default()
                },
                system_kinds: vec![SystemKind::Ct],
            })),
        )
    };
    // Endpoint 1 has the GE registrant, endpoint 2 does not.
    let obs = vec![
        assoc(key(1)),
        assoc(key(2)),
        seen(key(1), "GE Healthcare"),
        seen(key(2), "Acme"),
    ];
    let ids = c.identify(&obs);
    assert_eq!(ids.len(), 1);
    let id = &ids[0];
    assert_eq!(id.endpoint, key(1));
    assert_eq!(
        id.software.as_ref().map(|a| a.value.as_str()),
        Some("v42 ($)")
    );
    assert_eq!(id.evidence.len(), 2);
    assert_eq!(id.evidence[0].field, Field::DicomImplementationVersion);
    assert_eq!(id.evidence[1].field, Field::OuiVendor);

    // The built-in SOP class rules make the requestor a CT; the AE titles
    // go to the requestor (calling) and the acceptor (called).
    let ae = r#"
[[rule]]
id = "pacs-ae"
when.dicom_called_ae_title = "PACS"
then = { category = "pacs" }
confidence = 90
"#;
    let Ok(b) = Catalog::builtin() else {
        panic!("builtin")
    };
    let Ok(ae) = Catalog::from_toml(ae) else {
        panic!("ae")
    };
    let ids = b.merge(ae).identify(&obs);
    let ct = ids.iter().find(|i| i.endpoint == key(1));
    assert_eq!(
        ct.and_then(|i| i.modality.as_ref())
            .map(|m| m.value.as_str()),
        Some("CT")
    );
    let pacs = ids.iter().find(|i| i.endpoint == key(9));
    assert_eq!(
        pacs.and_then(|i| i.category.as_ref()).map(|m| m.value),
        Some(Category::Pacs)
    );
}

#[test]
fn agreeing_rules_raise_confidence_up_to_the_cap() {
    let text = r#"
[[rule]]
id = "a"
when.dhcp_vendor_class = "prefix:x"
then = { vendor = "V" }
confidence = 60
[[rule]]
id = "b"
when.dhcp_hostname = "h"
then = { vendor = "V" }
confidence = 60
[[rule]]
id = "c"
when.dhcp_hostname = "regex:^h$"
then = { vendor = "V" }
confidence = 60
[[rule]]
id = "d"
when.oui_vendor = "regex:."
then = { vendor = "W" }
confidence = 70
"#;
    let Ok(c) = Catalog::from_toml(text) else {
        panic!("rules")
    };
    let ids = c.identify(&[dhcp(key(1), "x1", None), seen(key(1), "Acme")]);
    // One rule for V (60) loses to W (70).
    assert_eq!(ids[0].vendor.as_ref().map(|v| v.value.as_str()), Some("W"));
    let ids = c.identify(&[
        dhcp(key(1), "x1", Some("h")),
        dhcp(key(1), "x2", None),
        seen(key(1), "Acme"),
    ]);
    // Three agreeing rules: 1 - 0.4^3 = 0.936 → 94; the same rule matching
    // twice (x1, x2) counts once.
    let v = ids[0]
        .vendor
        .as_ref()
        .map(|v| (v.value.as_str(), v.confidence));
    assert_eq!(v, Some(("V", 94)));
    assert_eq!(ids[0].confidence, 94);
}

#[test]
fn endpoints_group_by_mac_else_ip() {
    let text = "[[rule]]\nid = \"w\"\nwhen.dhcp_vendor_class = \"MSFT 5.0\"\nthen.os = \"Windows\"\nconfidence = 50\n";
    let Ok(c) = Catalog::from_toml(text) else {
        panic!("rules")
    };
    let mut k2 = key(1);
    k2.ip = Some(IpAddr::V4(Ipv4Addr::new(10, 0, 0, 77)));
    let no_mac = EndpointKey {
        mac: None,
        ip: Some(IpAddr::V4(Ipv4Addr::new(10, 0, 0, 5))),
        vlan: None,
    };
    let ids = c.identify(&[
        dhcp(key(1), "MSFT 5.0", None),
        dhcp(k2, "MSFT 5.0", None),
        dhcp(no_mac, "MSFT 5.0", None),
    ]);
    assert_eq!(ids.len(), 2);
    assert_eq!(ids[0].ips.len(), 2);
    assert_eq!(ids[1].endpoint, no_mac);
}

/// A large capture's worth of endpoints: distinct values are matched once,
/// so this stays fast even in a debug build.
#[test]
fn many_endpoints() {
    let Ok(c) = Catalog::builtin() else {
        panic!("builtin")
    };
    let mut obs = Vec::new();
    for i in 0..20_000u32 {
        let [_, a, b, d] = i.to_be_bytes();
        let k = EndpointKey {
            mac: Some(MacAddr([2, 0, 0, a, b, d])),
            ip: Some(IpAddr::V4(Ipv4Addr::new(10, a, b, d))),
            vlan: None,
        };
        let class = if i % 2 == 0 {
            "MSFT 5.0"
        } else {
            "dhcpcd-9.4.1:Linux-6.1.21-v8+:aarch64:BCM2835"
        };
        obs.push(dhcp(k, class, Some("raspberrypi")));
        obs.push(seen(k, "Raspberry Pi Trading Ltd"));
    }
    let start = std::time::Instant::now();
    let ids = c.identify(&obs);
    assert_eq!(ids.len(), 20_000);
    assert!(start.elapsed().as_secs() < 30, "{:?}", start.elapsed());
    assert_eq!(
        ids[1].os.as_ref().map(|o| o.value.as_str()),
        Some("Linux 6.1.21-v8+")
    );
}

#[test]
fn agreement_is_capped_but_a_single_certain_rule_is_not() {
    let mut text = String::new();
    for (i, p) in ["regex:^h", "regex:h$", "prefix:h", "suffix:h", "contains:h"]
        .iter()
        .enumerate()
    {
        text.push_str(&format!(
            "[[rule]]\nid = \"r{i}\"\nwhen.dhcp_hostname = \"{p}\"\nthen.vendor = \"V\"\nconfidence = 60\n"
        ));
    }
    let Ok(c) = Catalog::from_toml(&text) else {
        panic!("rules")
    };
    let ids = c.identify(&[dhcp(key(1), "x", Some("h"))]);
    // 1 - 0.4^5 = 0.99 → capped.
    assert_eq!(ids[0].confidence, AGREEMENT_CAP);
    text.push_str("[[rule]]\nid = \"sure\"\nwhen.dhcp_vendor_class = \"x\"\nthen.vendor = \"V\"\nconfidence = 100\n");
    let Ok(c) = Catalog::from_toml(&text) else {
        panic!("rules")
    };
    let ids = c.identify(&[dhcp(key(1), "x", Some("h"))]);
    assert_eq!(ids[0].confidence, 100);
}
