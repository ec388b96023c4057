//! Realistic medical cases, the golden explanations, and the properties
//! the policy promises (controls never raise, KEV never lowers).

use std::path::Path;

use medvigil_model::{Criticality, EuClass};
use medvigil_risk::{
    Control, Decision, DeviceContext, Exploitation, Exposure, FindingInput, Kev, Policy, Priority,
    aggregate, assess, score,
};
use proptest::prelude::*;
use time::macros::date;

fn kev(ransomware: bool) -> Kev {
    Kev::new(
        date!(2024 - 03 - 05),
        Some(date!(2024 - 03 - 26)),
        ransomware,
    )
}

fn finding(id: &str, vector: &str) -> FindingInput {
    FindingInput::new(id).with_cvss(score(vector).expect("valid vector"))
}

fn ventilator() -> DeviceContext {
    DeviceContext::new(Exposure::ClinicalLan)
        .with_category("ventilator")
        .with_class(EuClass::IIb)
        .with_criticality(Criticality::LifeSustaining)
}

fn nurse_call_display() -> DeviceContext {
    DeviceContext::new(Exposure::IsolatedSegment)
        .with_category("nurse-call")
        .with_class(EuClass::I)
        .with_criticality(Criticality::Supporting)
}

fn infusion_pump() -> DeviceContext {
    DeviceContext::new(Exposure::ClinicalLan)
        .with_category("infusion-pump")
        .with_class(EuClass::IIb)
        .with_criticality(Criticality::Therapeutic)
}

/// The cases of the golden file: (name, finding, device, exploitation).
fn cases() -> Vec<(&'static str, FindingInput, DeviceContext, Exploitation)> {
    vec![
        (
            "ventilator, KEV, clinical LAN",
            finding(
                "CVE-2024-0001",
                "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H",
            )
            .with_fix("update to 4.2.1"),
            ventilator(),
            Exploitation::none()
                .with_kev(kev(false))
                .with_epss(0.92, 0.99),
        ),
        (
            "infusion pump, KEV with ransomware, fix available",
            finding(
                "CVE-2024-0002",
                "CVSS:3.1/AV:A/AC:L/PR:N/UI:R/S:U/C:H/I:H/A:N",
            )
            .with_fix("update to 9.33"),
            infusion_pump(),
            Exploitation::none().with_kev(kev(true)),
        ),
        (
            "infusion pump, no exploit, segmented",
            finding(
                "CVE-2024-0003",
                "CVSS:3.1/AV:A/AC:H/PR:L/UI:N/S:U/C:L/I:H/A:N",
            )
            .with_fix("update to 9.33"),
            infusion_pump().with_control(Control::Segmented),
            Exploitation::none().with_epss(0.004, 0.41),
        ),
        (
            "patient monitor, v4 S:P, public PoC, end of support",
            finding(
                "CVE-2024-0004",
                "CVSS:4.0/AV:N/AC:L/AT:N/PR:L/UI:N/VC:L/VI:H/VA:H/SC:N/SI:N/SA:N/S:P",
            ),
            DeviceContext::new(Exposure::HospitalWide)
                .with_category("bedside monitor")
                .with_class(EuClass::IIa)
                .with_criticality(Criticality::Monitoring)
                .with_end_of_support_passed()
                .with_patchable(false),
            Exploitation::none().with_public_poc(),
        ),
        (
            "nurse-call display, no exploit, isolated",
            finding(
                "CVE-2024-0005",
                "CVSS:3.1/AV:N/AC:L/PR:L/UI:R/S:U/C:L/I:L/A:N",
            ),
            nurse_call_display().with_control(Control::Isolated),
            Exploitation::none(),
        ),
        (
            "unknown device, v2 vector, EPSS high, internet",
            finding("CVE-2014-0160", "AV:N/AC:L/Au:N/C:P/I:N/A:N"),
            DeviceContext::new(Exposure::Internet),
            Exploitation::none().with_epss(0.45, 0.97),
        ),
    ]
}

#[test]
fn life_sustaining_ventilator_with_kev_on_the_network_is_p1() {
    let (_, f, d, x) = &cases()[0];
    let a = assess(f, d, x, &Policy::default());
    assert_eq!(a.priority, Priority::P1);
    assert_eq!(a.deadline_days, 7);
    assert_eq!(a.ssvc.decision, Decision::Act);
    assert!(a.reason.starts_with(
        "Ventilator, class IIb, life-sustaining; vulnerability exploited in the wild (CISA KEV)"
    ));
}

#[test]
fn class_i_nurse_call_display_without_exploit_isolated_is_p4() {
    let (_, f, d, x) = &cases()[4];
    let a = assess(f, d, x, &Policy::default());
    assert_eq!(a.priority, Priority::P4);
    assert_eq!(a.deadline_days, 180);
    assert_eq!(a.ssvc.decision, Decision::Track);
}

#[test]
fn infusion_pump_reason_reads_like_the_brief() {
    let (_, f, d, x) = &cases()[1];
    let a = assess(f, d, x, &Policy::default());
    assert_eq!(a.priority, Priority::P1);
    assert_eq!(
        a.reason,
        "Infusion pump, class IIb, therapeutic; vulnerability exploited in the wild, including by \
         ransomware (CISA KEV); CVSS 7.3 high; reachable from the clinical LAN; vendor fix \
         available: update to 9.33"
    );
}

#[test]
fn kev_floor_holds_against_controls() {
    let d = nurse_call_display()
        .with_control(Control::Isolated)
        .with_control(Control::ServiceDisabled);
    let f = finding(
        "CVE-2024-0006",
        "CVSS:3.1/AV:N/AC:L/PR:L/UI:R/S:U/C:L/I:L/A:N",
    );
    let x = Exploitation::none().with_kev(kev(false));
    let a = assess(&f, &d, &x, &Policy::default());
    assert_eq!(a.priority, Priority::P2);
    assert!(a.factors.iter().any(|f| f.factor == "KEV floor"));
    let mut no_floor = Policy::default();
    no_floor.exploitation.kev_floor = None;
    assert_eq!(assess(&f, &d, &x, &no_floor).priority, Priority::P4);
}

#[test]
fn controls_are_capped() {
    let d = infusion_pump()
        .with_control(Control::Isolated)
        .with_control(Control::ServiceDisabled);
    let f = finding(
        "CVE-2024-0007",
        "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H",
    );
    let a = assess(&f, &d, &Exploitation::none(), &Policy::default());
    let taken: i32 = a
        .factors
        .iter()
        .filter(|f| f.factor == "Control")
        .map(|f| f.points)
        .sum();
    assert_eq!(taken, -Policy::default().controls.max_reduction);
    assert!(
        a.factors
            .iter()
            .any(|f| f.effect.as_deref().is_some_and(|e| e.contains("capped")))
    );
}

#[test]
fn factors_sum_to_the_score() {
    let policy = Policy::default();
    for (name, f, d, x) in cases() {
        let a = assess(&f, &d, &x, &policy);
        let sum: i32 = a.factors.iter().map(|f| f.points).sum();
        assert_eq!(sum, a.score, "{name}");
        assert_eq!(a.ssvc.path.len(), 4, "{name}");
    }
}

#[test]
fn aggregate_takes_the_worst() {
    let policy = Policy::default();
    let all: Vec<_> = cases()
        .iter()
        .map(|(_, f, d, x)| assess(f, d, x, &policy))
        .collect();
    let r = aggregate(&all);
    assert_eq!(r.priority, Some(Priority::P1));
    assert_eq!(r.counts.iter().sum::<usize>(), all.len());
    assert_eq!(r.top_reasons.len(), 3);
    assert!(r.top_reasons[0].starts_with("P1 "));
    let empty = aggregate(&[]);
    assert_eq!(empty.priority, None);
    assert_eq!(empty.counts, [0; 4]);
}

#[test]
fn golden_explanations() {
    let policy = Policy::default();
    let mut out = String::new();
    for (name, f, d, x) in cases() {
        out.push_str(&format!("## {name}\n"));
        out.push_str(&assess(&f, &d, &x, &policy).explain());
        out.push('\n');
    }
    medvigil_testkit::assert_golden(
        &Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/golden/explanations.txt"),
        &out,
    );
}

fn any_device() -> impl Strategy<Value = DeviceContext> {
    (
        proptest::option::of(proptest::sample::select(EuClass::ALL.to_vec())),
        proptest::option::of(proptest::sample::select(Criticality::ALL.to_vec())),
        proptest::sample::select(Exposure::ALL.to_vec()),
        proptest::option::of(any::<bool>()),
        any::<bool>(),
        proptest::sample::subsequence(Control::ALL.to_vec(), 0..=Control::ALL.len()),
    )
        .prop_map(|(k, c, e, patchable, eos, controls)| {
            let mut d = DeviceContext::new(e);
            d.eu_class = k;
            d.criticality = c;
            d.patchable = patchable;
            d.end_of_support_passed = eos;
            d.compensating = controls;
            d
        })
}

fn any_exploitation() -> impl Strategy<Value = Exploitation> {
    (
        any::<bool>(),
        any::<bool>(),
        proptest::option::of((0.0..=1.0f64, 0.0..=1.0f64)),
        any::<bool>(),
    )
        .prop_map(|(listed, ransomware, epss, poc)| {
            let mut x = Exploitation::none();
            x.kev = listed.then(|| kev(ransomware));
            x.epss = epss;
            x.public_poc = poc;
            x
        })
}

const VECTORS: &[&str] = &[
    "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H",
    "CVSS:3.1/AV:A/AC:H/PR:L/UI:R/S:U/C:L/I:N/A:N",
    "CVSS:3.0/AV:L/AC:L/PR:N/UI:N/S:C/C:L/I:L/A:N",
    "AV:N/AC:M/Au:N/C:P/I:P/A:P",
    "CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N",
    "CVSS:4.0/AV:P/AC:H/AT:P/PR:H/UI:A/VC:L/VI:N/VA:N/SC:N/SI:N/SA:N/S:P",
];

fn any_finding() -> impl Strategy<Value = FindingInput> {
    (
        proptest::option::of(proptest::sample::select(VECTORS)),
        any::<bool>(),
    )
        .prop_map(|(v, fix)| {
            let mut f = FindingInput::new("CVE-2024-9999");
            if let Some(v) = v {
                f = f.with_cvss(score(v).expect("valid vector"));
            }
            if fix {
                f = f.with_fix("update");
            }
            f
        })
}

proptest! {
    /// Adding a compensating control never makes a finding more urgent.
    #[test]
    fn a_control_never_raises_priority(
        f in any_finding(),
        d in any_device(),
        x in any_exploitation(),
        c in proptest::sample::select(Control::ALL.to_vec()),
    ) {
        let policy = Policy::default();
        let before = assess(&f, &d, &x, &policy);
        let after = assess(&f, &d.clone().with_control(c), &x, &policy);
        prop_assert!(after.priority >= before.priority, "{} -> {}", before.priority, after.priority);
        prop_assert!(after.score <= before.score);
    }

    /// Learning that a vulnerability is in KEV never makes it less urgent.
    #[test]
    fn kev_never_lowers_priority(
        f in any_finding(),
        d in any_device(),
        x in any_exploitation(),
        ransomware in any::<bool>(),
    ) {
        let policy = Policy::default();
        let mut without = x.clone();
        without.kev = None;
        let mut with = x;
        with.kev = Some(kev(ransomware));
        let a = assess(&f, &d, &without, &policy);
        let b = assess(&f, &d, &with, &policy);
        prop_assert!(b.priority <= a.priority, "{} -> {}", a.priority, b.priority);
        prop_assert!(b.ssvc.decision >= a.ssvc.decision);
    }

    /// The same two properties under any policy the validator accepts
    /// (a sample of the weights that matter for them).
    #[test]
    fn properties_hold_for_any_valid_policy(
        f in any_finding(),
        d in any_device(),
        x in any_exploitation(),
        c in proptest::sample::select(Control::ALL.to_vec()),
        mut ssvc in proptest::collection::vec(0..60i32, 4),
        kev_points in 0..40i32,
        control_points in proptest::collection::vec(0..40i32, 7),
        floor in proptest::option::of(proptest::sample::select(Priority::ALL.to_vec())),
    ) {
        ssvc.sort_unstable();
        let mut p = Policy::default();
        p.ssvc.track = ssvc[0];
        p.ssvc.track_star = ssvc[1];
        p.ssvc.attend = ssvc[2];
        p.ssvc.act = ssvc[3];
        p.exploitation.kev = kev_points;
        p.exploitation.kev_floor = floor;
        p.controls.segmented = control_points[0];
        p.controls.isolated = control_points[1];
        p.controls.access_restricted = control_points[2];
        p.controls.monitored = control_points[3];
        p.controls.workaround_applied = control_points[4];
        p.controls.service_disabled = control_points[5];
        p.controls.max_reduction = control_points[6];
        prop_assert!(p.validate().is_ok());

        let before = assess(&f, &d, &x, &p);
        let after = assess(&f, &d.clone().with_control(c), &x, &p);
        prop_assert!(after.priority >= before.priority);

        let mut without = x.clone();
        without.kev = None;
        let mut with = x;
        with.kev = Some(kev(false));
        prop_assert!(assess(&f, &d, &with, &p).priority <= assess(&f, &d, &without, &p).priority);
    }
}
