//! The tcpdump DHCP, LLDP and CDP captures decode to what tcpdump's expected
//! outputs (`tcpdump/expected/*.out`) say, for the fields we extract.
//!
//! Both sides are reduced to a set of `(field, value)` pairs; the sets must
//! be equal, so a value we miss or invent fails the test.

mod common;

use std::collections::BTreeSet;

use medvigil_capture::{Fact, Observation};

/// (capture, expected output) pairs from tcpdump's TESTLIST.
const PAIRS: &[(&str, &str)] = &[
    ("LLDP_and_CDP.pcap", "lldp_cdp-ev.out"),
    ("3560_CDP.pcap", "cdp-v.out"),
    ("lldp_mudurl.pcap", "lldp_mudurl-v.out"),
    ("lldp_8021_linkagg.pcap", "lldp_8021_linkagg-v.out"),
    ("lldp-app-priority.pcap", "lldp-app-priority.out"),
    ("dhcp-rfc3004.pcap", "dhcp-rfc3004-v.out"),
    ("dhcp-rfc4388.pcap", "dhcp-rfc4388.out"),
    ("dhcp-rfc5859.pcap", "dhcp-rfc5859-v.out"),
    ("dhcp-mud.pcap", "dhcp-mud.out"),
    ("dhcp-option-33.pcap", "dhcp-option-33.out"),
    ("dhcp-option-108.pcapng", "dhcp-option-108.out"),
    (
        "dhcpv4v6-rfc5970-rfc8572.pcap",
        "dhcpv4v6-rfc5970-rfc8572.out",
    ),
];

type Pairs = BTreeSet<(&'static str, String)>;

const DHCP_TYPES: &[&str] = &[
    "",
    "Discover",
    "Offer",
    "Request",
    "Decline",
    "ACK",
    "NACK",
    "Release",
    "Inform",
    "ForceRenew",
    "LeaseQuery",
    "LeaseUnassigned",
    "LeaseUnknown",
    "LeaseActive",
];

/// Text after `prefix` up to the end, with tcpdump's quotes removed.
fn after<'a>(line: &'a str, prefix: &str) -> Option<&'a str> {
    let i = line.find(prefix)?;
    Some(
        line[i + prefix.len()..]
            .trim()
            .trim_matches(|c| c == '"' || c == '\''),
    )
}

/// Text after the first `: ` following `key`.
fn value<'a>(line: &'a str, key: &str) -> Option<&'a str> {
    let rest = &line[line.find(key)? + key.len()..];
    after(rest, ": ")
}

fn expected(out: &str) -> Pairs {
    let mut set = Pairs::new();
    let mut tlv = "";
    for line in out.lines() {
        let t = line.trim();
        if t.starts_with("Chassis ID TLV") {
            tlv = "chassis_id";
        } else if t.starts_with("Port ID TLV") {
            tlv = "port_id";
        } else if t.contains("TLV (") {
            tlv = "";
        }
        let mut add = |k: &'static str, v: Option<&str>| {
            if let Some(v) = v {
                set.insert((k, v.to_owned()));
            }
        };
        if t.starts_with("Subtype ") && !tlv.is_empty() {
            add(tlv, value(t, ")"));
        }
        add("hostname", value(t, "Hostname (12), length"));
        add("vendor_class", value(t, "Vendor-Class (60), length"));
        add("mud_url", value(t, "MUD-URL (161), length"));
        add("mud_url", after(t, "MUD-URL="));
        add("requested_ip", value(t, "Requested-IP (50), length"));
        add("client_mac", after(t, "Client-Ethernet-Address "));
        add("system_name", value(t, "System Name TLV (5), length"));
        // CDP lines read `Device-ID (0x0001), value length: 6 bytes: 'Switch'`.
        for (prefix, key) in [
            ("Device-ID (0x0001)", "device_id"),
            ("Platform (0x0006)", "platform"),
            ("Port-ID (0x0003)", "cdp_port_id"),
        ] {
            if t.starts_with(prefix) {
                add(key, after(t, "bytes: "));
            }
        }
        if let Some(name) = value(t, "DHCP-Message (53), length") {
            let code = DHCP_TYPES.iter().position(|n| *n == name);
            add("message_type", code.map(|c| c.to_string()).as_deref());
        }
    }
    set
}

fn ours(obs: &[Observation]) -> Pairs {
    let mut set = Pairs::new();
    let mut add = |k: &'static str, v: Option<String>| {
        if let Some(v) = v {
            set.insert((k, v));
        }
    };
    for o in obs {
        let Observation::Fact(f) = o else { continue };
        match &f.fact {
            Fact::Dhcp(m) => {
                add("hostname", m.hostname.clone());
                add("vendor_class", m.vendor_class.clone());
                add("mud_url", m.mud_url.clone());
                add("requested_ip", m.requested_ip.map(|i| i.to_string()));
                add("client_mac", m.client_mac.map(|i| i.to_string()));
                add("message_type", m.message_type.map(|i| i.to_string()));
            }
            Fact::Lldp(l) => {
                add("system_name", l.system_name.clone());
                add("mud_url", l.mud_url.clone());
                add("chassis_id", l.chassis_id.clone());
                add("port_id", l.port_id.clone());
            }
            Fact::Cdp(c) => {
                add("device_id", c.device_id.clone());
                add("platform", c.platform.clone());
                add("cdp_port_id", c.port_id.clone());
            }
            _ => {}
        }
    }
    set
}

#[test]
fn dhcp_lldp_cdp_match_tcpdump() {
    let Some(dir) = medvigil_testkit::corpus("pcap/tcpdump") else {
        return;
    };
    let mut failures = Vec::new();
    let mut compared = 0;
    for &(pcap, out) in PAIRS {
        let exp_text = std::fs::read_to_string(dir.join("expected").join(out)).unwrap_or_default();
        let exp = expected(&exp_text);
        compared += exp.len();
        let (_, obs) = common::analyze(&dir.join(pcap));
        let got = ours(&obs);
        if got != exp {
            let missing: Vec<_> = exp.difference(&got).collect();
            let extra: Vec<_> = got.difference(&exp).collect();
            failures.push(format!("{pcap}: missing {missing:?}, extra {extra:?}"));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    assert!(compared > 50, "only {compared} values compared");
}
