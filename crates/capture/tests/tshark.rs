//! Side by side with tshark (issue 5): on every corpus capture and on the
//! generated captures (the demo hospital's, the benchmark's), the device-identifying fields medvigil extracts
//! agree with what `tshark -T fields` extracts from the same file.
//!
//! Compared, as sets of distinct rows per capture (medvigil reports a fact
//! once per sender, tshark once per frame):
//! - DICOM A-ASSOCIATE-RQ/AC: sender IP, PDU type, called and calling AE
//!   titles, implementation class UID and version name, abstract syntaxes;
//! - HL7 v2: sender IP, MSH-3, -4, -5, -6, -9 and MSH-12's version id;
//! - DHCP: op, client MAC, options 12, 60, 61 and 81;
//! - LLDP: sender MAC, system name and description;
//! - HTTP: sender IP, User-Agent and Server;
//! - TLS ClientHello: sender IP, SNI;
//! - 802.1Q/QinQ: VLAN ids of each sending (IP, MAC).
//!
//! Where the two legitimately differ the test says so at the spot; no field
//! is compared more loosely than explained there. tshark is required under
//! CI (`CI=true` or `MEDVIGIL_REQUIRE_TSHARK=1`), skipped with a note locally
//! when it is not installed.

mod common;

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::process::Command;

use medvigil_capture::{Fact, Observation};

/// One compared fact: protocol, then its fields in a fixed order.
type Row = Vec<String>;

/// Unit separator between fields, record separator between occurrences:
/// neither occurs in the compared values.
const FIELD_SEP: &str = "\u{1f}";
const OCC_SEP: &str = "\u{1e}";

const FIELDS: &[&str] = &[
    "eth.src",
    "ip.src",
    "ipv6.src",
    "vlan.id",
    "dicom.pdu.type",
    "dicom.assoc.ae.called",
    "dicom.assoc.ae.calling",
    "dicom.userinfo.uid",
    "dicom.userinfo.version",
    "dicom.pctx.abss.syntax",
    "hl7.raw.segment",
    "dhcp.type",
    "dhcp.hw.mac_addr",
    "dhcp.option.hostname",
    "dhcp.option.vendor_class_id",
    "dhcp.option.type",
    "dhcp.option.length",
    "dhcp.option.value",
    "dhcp.fqdn.name",
    "lldp.tlv.system.name",
    "lldp.tlv.system.desc",
    "http.user_agent",
    "http.server",
    "tls.handshake.type",
    "tls.handshake.extensions_server_name",
];

/// The index of a field in [`FIELDS`].
fn ix(name: &str) -> usize {
    FIELDS
        .iter()
        .position(|f| *f == name)
        .unwrap_or_else(|| panic!("{name} not in FIELDS"))
}

/// Runs tshark on `path` and returns, per frame, the occurrences of each
/// of [`FIELDS`].
fn tshark_frames(tshark: &Path, path: &Path, decode_as: &[String]) -> Vec<Vec<Vec<String>>> {
    let mut cmd = Command::new(tshark);
    cmd.arg("-n").arg("-r").arg(path);
    // tshark 4.0's HL7 dissector has no MSH field names (`tshark -G fields`
    // lists hl7.raw.segment, hl7.message.type, hl7.event.type only); the raw
    // segments appear only with this preference. MSH is split below.
    cmd.args(["-o", "hl7.display_raw:TRUE"]);
    for d in decode_as {
        cmd.args(["-d", d]);
    }
    cmd.args([
        "-Y",
        "dicom.pdu.type == 1 || dicom.pdu.type == 2 || hl7 || dhcp || lldp \
         || http.user_agent || http.server || tls.handshake.type == 1 || vlan",
        "-T",
        "fields",
        "-E",
        "occurrence=a",
    ]);
    cmd.arg(format!("-Eseparator={FIELD_SEP}"));
    cmd.arg(format!("-Eaggregator={OCC_SEP}"));
    for f in FIELDS {
        cmd.args(["-e", f]);
    }
    let out = cmd
        .output()
        .unwrap_or_else(|e| panic!("tshark on {}: {e}", path.display()));
    assert!(
        out.status.success(),
        "tshark on {}: {}",
        path.display(),
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout)
        .lines()
        .map(|line| {
            line.split(FIELD_SEP)
                .map(|f| {
                    if f.is_empty() {
                        Vec::new()
                    } else {
                        f.split(OCC_SEP).map(unescape).collect()
                    }
                })
                .collect()
        })
        .collect()
}

/// tshark 4.0's `-T fields` output writes newline, carriage return and tab
/// as `\n`, `\r`, `\t` and leaves other backslashes (HL7's `^~\&`) alone.
fn unescape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut chars = s.chars();
    while let Some(c) = chars.next() {
        if c != '\\' {
            out.push(c);
            continue;
        }
        match chars.next() {
            Some('n') => out.push('\n'),
            Some('r') => out.push('\r'),
            Some('t') => out.push('\t'),
            Some(other) => {
                out.push('\\');
                out.push(other);
            }
            None => out.push('\\'),
        }
    }
    out
}

/// What tshark says, as rows comparable with [`ours`].
fn theirs(frames: &[Vec<Vec<String>>]) -> BTreeSet<Row> {
    let mut rows = BTreeSet::new();
    for f in frames {
        let get = |name: &str| f.get(ix(name)).cloned().unwrap_or_default();
        let first = |name: &str| get(name).into_iter().next().unwrap_or_default();
        // Our endpoints leave out the unspecified address (a DHCP client
        // before its lease sends from 0.0.0.0).
        let src_ip = {
            let v4 = first("ip.src");
            let ip = if v4.is_empty() { first("ipv6.src") } else { v4 };
            if ip == "0.0.0.0" || ip == "::" {
                String::new()
            } else {
                ip
            }
        };
        let vlans = get("vlan.id");
        if !vlans.is_empty() {
            rows.insert(vec![
                "vlan".into(),
                vlans.join("."),
                src_ip.clone(),
                first("eth.src"),
            ]);
        }
        // A frame may end one PDU and start the next: pair the association
        // fields with the RQ/AC PDU types, in order.
        let assoc_types: Vec<String> = get("dicom.pdu.type")
            .into_iter()
            .filter(|t| t == "1" || t == "2" || t == "0x01" || t == "0x02")
            .collect();
        for (i, t) in assoc_types.iter().enumerate() {
            let nth = |name: &str| get(name).get(i).cloned().unwrap_or_default();
            let request = t.ends_with('1');
            // Abstract syntaxes come only in RQs; tshark prints each as
            // "Name (UID)", we keep the UID.
            let abstract_syntaxes = if request {
                let mut v: Vec<String> = get("dicom.pctx.abss.syntax")
                    .iter()
                    .map(|s| uid_of(s))
                    .collect();
                v.sort();
                v.dedup();
                v.join(" ")
            } else {
                String::new()
            };
            // AE titles are 16 bytes padded with spaces, which PS3.8 §9.3.2
            // says are not significant: tshark shows the padding, we drop it.
            rows.insert(vec![
                "dicom".into(),
                src_ip.clone(),
                if request { "rq" } else { "ac" }.into(),
                nth("dicom.assoc.ae.called").trim().to_owned(),
                nth("dicom.assoc.ae.calling").trim().to_owned(),
                nth("dicom.userinfo.uid"),
                nth("dicom.userinfo.version"),
                abstract_syntaxes,
            ]);
        }
        for seg in get("hl7.raw.segment") {
            if let Some(row) = msh_row(&seg, &src_ip) {
                rows.insert(row);
            }
        }
        if let Some(op) = get("dhcp.type").first() {
            let macs = get("dhcp.hw.mac_addr");
            rows.insert(vec![
                "dhcp".into(),
                op.clone(),
                macs.first().cloned().unwrap_or_default(),
                first("dhcp.option.hostname"),
                first("dhcp.option.vendor_class_id"),
                client_id(
                    &get("dhcp.option.type"),
                    &get("dhcp.option.length"),
                    &get("dhcp.option.value"),
                    &[
                        first("dhcp.option.hostname"),
                        first("dhcp.option.vendor_class_id"),
                    ],
                ),
                first("dhcp.fqdn.name"),
            ]);
        }
        let (name, desc) = (first("lldp.tlv.system.name"), first("lldp.tlv.system.desc"));
        if !name.is_empty() || !desc.is_empty() {
            rows.insert(vec!["lldp".into(), first("eth.src"), name, desc]);
        }
        let (ua, server) = (get("http.user_agent"), get("http.server"));
        for i in 0..ua.len().max(server.len()) {
            rows.insert(vec![
                "http".into(),
                src_ip.clone(),
                ua.get(i).cloned().unwrap_or_default(),
                server.get(i).cloned().unwrap_or_default(),
            ]);
        }
        if get("tls.handshake.type").iter().any(|t| t == "1") {
            rows.insert(vec![
                "tls".into(),
                src_ip.clone(),
                first("tls.handshake.extensions_server_name"),
            ]);
        }
    }
    rows
}

/// The UID of tshark's "Name (UID)" rendering of a UID.
fn uid_of(s: &str) -> String {
    match (s.rfind('('), s.strip_suffix(')')) {
        (Some(open), Some(_)) => s[open + 1..s.len() - 1].to_owned(),
        _ => s.to_owned(),
    }
}

/// Option 61 as lowercase hex of its value. tshark 4.0 has no field for
/// the raw identifier (type 1 shows as a MAC, type 0 not at all), but
/// `dhcp.option.value` holds the bytes of some options, without saying
/// which: we take the one with option 61's length that is not the bytes of
/// a text option tshark names (`texts`: host name, vendor class), and fail
/// loudly when that still leaves two, rather than guess.
fn client_id(types: &[String], lengths: &[String], values: &[String], texts: &[String]) -> String {
    let texts: Vec<String> = texts
        .iter()
        .map(|t| t.bytes().map(|b| format!("{b:02x}")).collect())
        .collect();
    // Pad (0) and End (255) have no length octet.
    let with_length: Vec<&String> = types.iter().filter(|t| *t != "0" && *t != "255").collect();
    let Some(pos) = with_length.iter().position(|t| *t == "61") else {
        return String::new();
    };
    let len: usize = lengths
        .get(pos)
        .and_then(|l| l.parse().ok())
        .unwrap_or_else(|| panic!("option 61 length in {lengths:?}"));
    let fits: Vec<&String> = values
        .iter()
        .filter(|v| v.len() == 2 * len && !texts.contains(v))
        .collect();
    match fits.as_slice() {
        [one] => one.to_string(),
        _ => format!("ambiguous option 61 among {values:?}"),
    }
}

/// MSH fields from tshark's raw segment text: `MSH|^~\&|…` where the fourth
/// character is the field separator (HL7 v2.5 §2.14.9), itself MSH-1, so
/// MSH-n is item n of MSH, MSH-1, then the split of the rest.
fn msh_row(seg: &str, src_ip: &str) -> Option<Row> {
    let seg = seg.strip_prefix("MSH")?;
    let seg = seg.strip_suffix('\r').unwrap_or(seg);
    let sep = seg.chars().next()?;
    let rest = seg.get(sep.len_utf8()..)?;
    let sep_text = sep.to_string();
    let items: Vec<&str> = ["MSH", sep_text.as_str()]
        .into_iter()
        .chain(rest.split(sep))
        .collect();
    let msh = |n: usize| items.get(n).copied().unwrap_or_default();
    let component = msh(2).chars().next().unwrap_or('^');
    // A composite as we render ours: trailing empty components dropped.
    let composite = |n: usize| msh(n).trim_end_matches(component).to_owned();
    let version = msh(12).split(component).next().unwrap_or_default();
    Some(vec![
        "hl7".into(),
        src_ip.to_owned(),
        composite(3),
        composite(4),
        composite(5),
        composite(6),
        composite(9),
        version.to_owned(),
    ])
}

/// A composite's components joined by `^`, trailing empty ones dropped.
fn join(parts: &[Option<&str>]) -> String {
    parts
        .iter()
        .map(|p| p.unwrap_or_default())
        .collect::<Vec<_>>()
        .join("^")
        .trim_end_matches('^')
        .to_owned()
}

/// What medvigil extracts, as the same rows.
fn ours(obs: &[Observation]) -> BTreeSet<Row> {
    let ip = |k: &medvigil_capture::EndpointKey| k.ip.map(|i| i.to_string()).unwrap_or_default();
    let mac = |k: &medvigil_capture::EndpointKey| k.mac.map(|m| m.to_string()).unwrap_or_default();
    let opt = |s: &Option<String>| s.clone().unwrap_or_default();
    let mut rows = BTreeSet::new();
    for o in obs {
        match o {
            Observation::Endpoint(e) if e.packets_sent > 0 => {
                if let Some(v) = e.key.vlan {
                    let id = match v.inner {
                        Some(inner) => format!("{}.{inner}", v.id),
                        None => v.id.to_string(),
                    };
                    rows.insert(vec!["vlan".into(), id, ip(&e.key), mac(&e.key)]);
                }
            }
            Observation::Fact(f) => match &f.fact {
                Fact::Dicom(d) => {
                    let a = &d.association;
                    let mut abstract_syntaxes: Vec<String> = a
                        .presentation_contexts
                        .iter()
                        .filter_map(|p| p.abstract_syntax.clone())
                        .collect();
                    abstract_syntaxes.sort();
                    abstract_syntaxes.dedup();
                    rows.insert(vec![
                        "dicom".into(),
                        ip(&f.endpoint),
                        if d.is_request { "rq" } else { "ac" }.into(),
                        a.called_ae_title.clone(),
                        a.calling_ae_title.clone(),
                        opt(&a.user_information.implementation_class_uid),
                        opt(&a.user_information.implementation_version_name),
                        abstract_syntaxes.join(" "),
                    ]);
                }
                Fact::Hl7(m) => {
                    let hd = |h: &Option<medvigil_decode::hl7::HierarchicDesignator>| {
                        h.as_ref().map_or_else(String::new, |h| {
                            join(&[
                                Some(h.namespace_id.as_str()),
                                h.universal_id.as_deref(),
                                h.universal_id_type.as_deref(),
                            ])
                        })
                    };
                    let kind = m.message_type.as_ref().map_or_else(String::new, |t| {
                        join(&[
                            Some(t.code.as_str()),
                            t.trigger_event.as_deref(),
                            t.structure.as_deref(),
                        ])
                    });
                    rows.insert(vec![
                        "hl7".into(),
                        ip(&f.endpoint),
                        hd(&m.sending_application),
                        hd(&m.sending_facility),
                        hd(&m.receiving_application),
                        hd(&m.receiving_facility),
                        kind,
                        opt(&m.version_id),
                    ]);
                }
                Fact::Dhcp(d) => {
                    rows.insert(vec![
                        "dhcp".into(),
                        d.op.to_string(),
                        d.client_mac.map(|m| m.to_string()).unwrap_or_default(),
                        opt(&d.hostname),
                        opt(&d.vendor_class),
                        opt(&d.client_id),
                        opt(&d.fqdn),
                    ]);
                }
                Fact::Lldp(l) if l.system_name.is_some() || l.system_description.is_some() => {
                    rows.insert(vec![
                        "lldp".into(),
                        mac(&f.endpoint),
                        opt(&l.system_name),
                        opt(&l.system_description),
                    ]);
                }
                Fact::Http(h) if h.user_agent.is_some() || h.server.is_some() => {
                    rows.insert(vec![
                        "http".into(),
                        ip(&f.endpoint),
                        opt(&h.user_agent),
                        opt(&h.server),
                    ]);
                }
                // SSDP is HTTP over UDP: tshark shows its headers as http.*.
                Fact::Ssdp(s) if s.user_agent.is_some() || s.server.is_some() => {
                    rows.insert(vec![
                        "http".into(),
                        ip(&f.endpoint),
                        opt(&s.user_agent),
                        opt(&s.server),
                    ]);
                }
                Fact::TlsClientHello(c) => {
                    rows.insert(vec!["tls".into(), ip(&f.endpoint), opt(&c.server_name)]);
                }
                _ => {}
            },
            _ => {}
        }
    }
    rows
}

/// Compares both sides on one capture; returns a description of the
/// differences (empty when they agree) and the rows tshark found.
fn compare(tshark: &Path, path: &Path, decode_as: &[String]) -> (String, BTreeSet<Row>) {
    let (_, obs) = common::analyze(path);
    let ours = ours(&obs);
    let theirs = theirs(&tshark_frames(tshark, path, decode_as));
    let mut diff = String::new();
    for r in theirs.difference(&ours) {
        diff.push_str(&format!("  only tshark:   {r:?}\n"));
    }
    for r in ours.difference(&theirs) {
        diff.push_str(&format!("  only medvigil: {r:?}\n"));
    }
    if !diff.is_empty() {
        diff = format!("{}:\n{diff}", path.display());
    }
    (diff, theirs)
}

/// Fails unless every compared protocol occurred: an empty comparison
/// proves nothing.
fn assert_covered(seen: &BTreeSet<String>, want: &[&str]) {
    for p in want {
        assert!(seen.contains(*p), "no {p} rows compared (saw {seen:?})");
    }
}

fn tshark() -> Option<PathBuf> {
    medvigil_testkit::tool("tshark", "MEDVIGIL_REQUIRE_TSHARK")
}

#[test]
fn corpus_captures_agree_with_tshark() {
    let Some(tshark) = tshark() else { return };
    let Some(dir) = medvigil_testkit::corpus("pcap") else {
        return;
    };
    let files = common::captures(&dir);
    assert!(files.len() > 100, "{} captures", files.len());
    let mut compared = 0;
    let mut failures = String::new();
    let mut protocols = BTreeSet::new();
    for path in &files {
        let name = path.strip_prefix(&dir).unwrap_or(path).to_string_lossy();
        // tshark picks a TCP dissector by port (80 is HTTP) and so misses
        // the TLS ClientHello AnyDesk sends to port 80; we recognise it by
        // its bytes. Told to decode port 80 as TLS, tshark finds it too.
        let decode_as: Vec<String> = match name.as_ref() {
            "ndpi/anydesk.pcapng" => vec!["tcp.port==80,tls".into()],
            // tshark 4.0's heuristic HL7 dissector leaves the first message
            // of these streams as plain TCP (frame 4 of HL7-ADT.pcap, a
            // complete MLLP frame) and takes only the reply; decoded as
            // HL7 by port it takes both.
            n if n.starts_with("medical-tapirx/HL7-") || n == "ndpi/hl7.pcap" => {
                vec!["tcp.port==6661,hl7".into()]
            }
            _ => Vec::new(),
        };
        let (diff, rows) = compare(&tshark, path, &decode_as);
        failures.push_str(&diff);
        protocols.extend(rows.into_iter().filter_map(|r| r.into_iter().next()));
        compared += 1;
    }
    assert!(failures.is_empty(), "{failures}");
    assert_covered(
        &protocols,
        &["dicom", "hl7", "dhcp", "lldp", "http", "tls", "vlan"],
    );
    eprintln!("{compared} captures agree with tshark");
}

#[test]
fn generated_captures_agree_with_tshark() {
    let Some(tshark) = tshark() else { return };
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR"));
    let hospital = medvigil_demo::generate_scaled(1_500, 7).expect("demo hospital");
    let demo = dir.join("tshark-demo.pcap");
    let file = std::fs::File::create(&demo).expect("create");
    medvigil_demo::write_demo_capture(&hospital, 7, std::io::BufWriter::new(file)).expect("write");
    let bulk = dir.join("tshark-bulk.pcap");
    let file = std::fs::File::create(&bulk).expect("create");
    medvigil_demo::write_bulk_capture(std::io::BufWriter::new(file), 4_000_000, 7).expect("write");

    let mut failures = String::new();
    let mut protocols = BTreeSet::new();
    for path in [&demo, &bulk] {
        let (diff, rows) = compare(&tshark, path, &[]);
        failures.push_str(&diff);
        protocols.extend(rows.into_iter().filter_map(|r| r.into_iter().next()));
    }
    assert!(failures.is_empty(), "{failures}");
    assert_covered(&protocols, &["dicom", "hl7", "dhcp", "lldp", "vlan"]);
}
