//! 802.1Q and QinQ tags reach the endpoints. Expected values from tshark
//! 4.0.17: `tshark -r F -Y vlan -T fields -e vlan.id -e ip.src -e eth.src | sort | uniq -c`.

mod common;

use std::collections::BTreeSet;

use medvigil_capture::Observation;

type Row = (u16, Option<u16>, String, String, u64);

fn tagged(file: &str) -> Option<BTreeSet<Row>> {
    let path = medvigil_testkit::corpus("pcap/ndpi")?.join(file);
    let (_, obs) = common::analyze(&path);
    Some(
        obs.iter()
            .filter_map(|o| match o {
                Observation::Endpoint(e) if e.packets_sent > 0 => {
                    let v = e.key.vlan?;
                    Some((
                        v.id,
                        v.inner,
                        e.key.ip?.to_string(),
                        e.key.mac?.to_string(),
                        e.packets_sent,
                    ))
                }
                _ => None,
            })
            .collect(),
    )
}

fn rows(r: &[(u16, Option<u16>, &str, &str, u64)]) -> BTreeSet<Row> {
    r.iter()
        .map(|&(v, i, ip, mac, n)| (v, i, ip.to_owned(), mac.to_owned(), n))
        .collect()
}

#[test]
fn single_tags() {
    let Some(got) = tagged("syslog.pcap") else {
        return;
    };
    let want = rows(&[
        (121, None, "192.168.121.10", "00:21:1b:ae:31:c1", 4),
        (121, None, "192.168.121.2", "00:1e:7a:79:3f:11", 2),
        (1506, None, "10.186.117.194", "00:07:00:00:00:06", 10),
        (1906, None, "169.46.82.162", "00:0b:00:00:00:06", 1),
        (2005, None, "10.94.232.21", "44:4c:a8:93:36:d7", 5),
        (2005, None, "10.94.80.60", "44:4c:a8:93:36:d7", 1),
        (408, None, "10.11.105.154", "00:04:00:00:00:08", 1),
    ]);
    assert_eq!(got, want);
}

#[test]
fn qinq() {
    let Some(got) = tagged("dns.pcap") else {
        return;
    };
    let want = rows(&[
        (421, Some(785), "82.178.113.245", "d4:94:e8:0e:ad:c1", 1),
        (421, Some(785), "82.178.158.181", "d4:94:e8:0e:ad:c1", 1),
    ]);
    assert_eq!(got, want);
}
