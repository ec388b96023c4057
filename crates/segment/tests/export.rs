//! Exports: nftables (checked by `nft -c`), Cisco IOS ACL, CSV zone matrix.

mod common;

use common::{golden, learned};
use medvigil_segment::{
    Policy, ZonePolicy, assign, learn, to_cisco_acl, to_nftables, to_zone_matrix_csv,
};
use medvigil_testkit::assert_golden;
use medvigil_testkit::nft_check;

#[test]
fn hospital_exports_match_golden_files() {
    let (_, _, p) = learned();
    assert_golden(&golden("hospital.policy.json"), &(p.to_json() + "\n"));
    assert_golden(&golden("hospital.nft"), &to_nftables(&p));
    assert_golden(&golden("hospital.ios"), &to_cisco_acl(&p));
    assert_golden(&golden("hospital.matrix.csv"), &to_zone_matrix_csv(&p));
}

#[test]
fn hospital_ruleset_passes_nft_check() {
    let (_, _, p) = learned();
    nft_check(&to_nftables(&p));
}

#[test]
fn empty_and_intra_zone_learning_rulesets_pass_nft_check() {
    let empty = learn(&assign(&ZonePolicy::empty(), &[], common::TODAY), &[]);
    let text = to_nftables(&empty);
    assert!(text.contains("policy drop;"));
    assert!(text.contains("\t\tcounter drop\n"));
    nft_check(&text);
    let zp = ZonePolicy::from_toml(
        &common::zone_policy_toml().replace("intra_zone = \"allow\"", "intra_zone = \"learn\""),
    )
    .unwrap_or_else(|e| panic!("{e}"));
    let p = learn(
        &assign(&zp, &common::hospital(), common::TODAY),
        common::traffic(),
    );
    let text = to_nftables(&p);
    assert!(!text.contains("# traffic inside a zone"));
    nft_check(&text);
}

#[test]
fn ruleset_refers_to_sets_not_devices() {
    let (_, _, p) = learned();
    let text = to_nftables(&p);
    assert!(
        text.contains("ip saddr @z_infusion_v4 ip daddr @z_clinical_it_v4 tcp dport 443 accept")
    );
    assert!(
        text.contains("ip saddr @z_infusion_v4 ip daddr @z_clinical_it_v4 udp dport 123 accept")
    );
    assert!(
        text.contains("ip6 saddr @z_imaging_v6 ip6 daddr @z_unassigned_v6 tcp dport 104 accept")
    );
    // The restricted monitor's own small sets.
    assert!(text.contains("ip saddr 10.40.0.7 ip daddr . meta l4proto . th dport @d1_out accept"));
    assert!(text.contains("ip daddr 10.40.0.7 ip saddr 10.30.0.5 meta l4proto 1 accept"));
    assert!(text.contains("ip saddr @restricted_v4 counter drop"));
    let csv = to_zone_matrix_csv(&p);
    let row = csv
        .lines()
        .find(|l| l.starts_with("infusion,"))
        .unwrap_or_default();
    assert!(row.contains(",tcp/443 udp/123,"), "{row}");
    let acl = to_cisco_acl(&p);
    assert!(
        acl.contains(" permit tcp object-group MV-INFUSION object-group MV-CLINICAL-IT eq 443\n")
    );
    assert!(acl.contains(" permit 1 host 10.30.0.5 host 10.40.0.7\n"));
    // IPv6 members get the IOS IPv6 ACL, not a comment (issue 8).
    assert!(!acl.contains("not exported"), "{acl}");
    let v6 = acl
        .split("ipv6 access-list MEDVIGIL-SEGMENTATION-V6\n")
        .nth(1)
        .unwrap_or_else(|| panic!("no IPv6 ACL:\n{acl}"));
    assert!(v6.starts_with(" remark replies"), "{v6}");
    assert!(v6.trim_end().ends_with("deny ipv6 any any log\n!"), "{v6}");
    assert!(v6.lines().all(|l| !l.contains("object-group")), "{v6}");
}

#[test]
fn a_policy_read_back_exports_the_same() {
    let (_, _, p) = learned();
    let again = Policy::from_json(&p.to_json()).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(to_nftables(&again), to_nftables(&p));
}
