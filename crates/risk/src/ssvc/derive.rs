//! Deriving the four decision points from CVSS, exploitation context and
//! the device's clinical role.

use medvigil_model::{Criticality, EuClass};

use super::{Automatable, MissionWellbeing, SsvcExploitation, TechnicalImpact};
use crate::context::DeviceContext;
use crate::cvss::{CvssScore, CvssVersion, Safety};
use crate::exploitation::Exploitation;

/// KEV → active; public PoC, or EPSS ≥ threshold → public PoC; else none.
pub fn derive_exploitation(
    x: &Exploitation,
    epss_poc_threshold: f64,
) -> (SsvcExploitation, String) {
    if let Some(kev) = &x.kev {
        return (
            SsvcExploitation::Active,
            format!("listed in CISA KEV since {}", kev.date_added),
        );
    }
    if x.public_poc {
        return (
            SsvcExploitation::PublicPoc,
            "public exploit code is available".to_owned(),
        );
    }
    if let Some((score, _)) = x.epss
        && score >= epss_poc_threshold
    {
        return (
            SsvcExploitation::PublicPoc,
            format!("EPSS {score:.3}, at or above the {epss_poc_threshold} threshold"),
        );
    }
    (
        SsvcExploitation::None,
        "not in CISA KEV, no public exploit, EPSS below threshold or unknown".to_owned(),
    )
}

/// Yes when the vector says network, low complexity, no privileges, no
/// user interaction (v4: and no attack requirements; v2: no
/// authentication), as CISA suggests; v4 `AU:Y`/`AU:N` decides outright.
pub fn derive_automatable(cvss: Option<&CvssScore>) -> (Automatable, String) {
    let Some(c) = cvss else {
        return (
            Automatable::No,
            "no CVSS vector; assumed not automatable".to_owned(),
        );
    };
    match c.metric("AU").filter(|_| c.version == CvssVersion::V40) {
        Some("Y") => return (Automatable::Yes, "CVSS v4 AU:Y".to_owned()),
        Some("N") => return (Automatable::No, "CVSS v4 AU:N".to_owned()),
        _ => {}
    }
    let need: &[(&str, &str)] = match c.version {
        CvssVersion::V2 => &[("AV", "N"), ("AC", "L"), ("Au", "N")],
        CvssVersion::V40 => &[
            ("AV", "N"),
            ("AC", "L"),
            ("AT", "N"),
            ("PR", "N"),
            ("UI", "N"),
        ],
        _ => &[("AV", "N"), ("AC", "L"), ("PR", "N"), ("UI", "N")],
    };
    let text = need
        .iter()
        .map(|(k, v)| format!("{k}:{v}"))
        .collect::<Vec<_>>()
        .join("/");
    if need.iter().all(|(k, v)| c.metric(k) == Some(v)) {
        (Automatable::Yes, format!("CVSS {text}"))
    } else {
        (Automatable::No, format!("CVSS is not {text}"))
    }
}

/// Total when any of C/I/A is high (v2: complete; v4: VC/VI/VA or
/// SC/SI/SA high) or the scope is changed (v3 `S:C`); else partial.
/// Without a vector: total, the worst case for a device that may harm.
pub fn derive_technical_impact(cvss: Option<&CvssScore>) -> (TechnicalImpact, String) {
    let Some(c) = cvss else {
        return (
            TechnicalImpact::Total,
            "no CVSS vector; assumed total".to_owned(),
        );
    };
    let (names, high): (&[&str], &str) = match c.version {
        CvssVersion::V2 => (&["C", "I", "A"], "C"),
        CvssVersion::V40 => (&["VC", "VI", "VA", "SC", "SI", "SA"], "H"),
        _ => (&["C", "I", "A"], "H"),
    };
    let hits: Vec<String> = names
        .iter()
        .filter(|n| c.metric(n) == Some(high))
        .map(|n| format!("{n}:{high}"))
        .collect();
    if !hits.is_empty() {
        return (TechnicalImpact::Total, format!("CVSS {}", hits.join("/")));
    }
    if matches!(c.version, CvssVersion::V30 | CvssVersion::V31) && c.metric("S") == Some("C") {
        return (
            TechnicalImpact::Total,
            "CVSS S:C (scope changed)".to_owned(),
        );
    }
    (
        TechnicalImpact::Partial,
        "CVSS has no high impact metric".to_owned(),
    )
}

/// From the device's clinical role: the higher of criticality
/// (life-sustaining, therapeutic → high; monitoring, diagnostic → medium;
/// supporting → low) and EU class (III → high; IIb, IIa → medium; I →
/// low); CVSS v4 `S:P` makes it high. Nothing known → medium.
pub fn derive_mission_wellbeing(
    device: &DeviceContext,
    safety: Option<Safety>,
) -> (MissionWellbeing, String) {
    use MissionWellbeing as M;
    let mut level = None::<M>;
    let mut why = Vec::new();
    if let Some(c) = device.criticality {
        let l = match c {
            Criticality::LifeSustaining | Criticality::Therapeutic => M::High,
            Criticality::Monitoring | Criticality::Diagnostic => M::Medium,
            Criticality::Supporting => M::Low,
        };
        level = level.max(Some(l));
        why.push(format!("{c} device"));
    }
    if let Some(k) = device.eu_class {
        let l = match k {
            EuClass::III => M::High,
            EuClass::IIb | EuClass::IIa => M::Medium,
            EuClass::I => M::Low,
        };
        level = level.max(Some(l));
        why.push(format!("EU class {k}"));
    }
    if safety == Some(Safety::Present) {
        level = Some(M::High);
        why.push("CVSS v4 Safety S:P".to_owned());
    }
    match level {
        Some(l) => (l, why.join(", ")),
        None => (
            M::Medium,
            "clinical role unknown; assumed medium".to_owned(),
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cvss(v: &str) -> CvssScore {
        crate::cvss::score(v).unwrap()
    }

    #[test]
    fn automatable_from_cvss() {
        let yes = [
            "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:L/I:N/A:N",
            "AV:N/AC:L/Au:N/C:P/I:N/A:N",
            "CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:L/VI:N/VA:N/SC:N/SI:N/SA:N",
            "CVSS:4.0/AV:A/AC:H/AT:P/PR:L/UI:A/VC:L/VI:N/VA:N/SC:N/SI:N/SA:N/AU:Y",
        ];
        for v in yes {
            assert_eq!(
                derive_automatable(Some(&cvss(v))).0,
                Automatable::Yes,
                "{v}"
            );
        }
        let no = [
            "CVSS:3.1/AV:N/AC:L/PR:N/UI:R/S:U/C:L/I:N/A:N",
            "AV:N/AC:L/Au:S/C:P/I:N/A:N",
            "CVSS:4.0/AV:N/AC:L/AT:P/PR:N/UI:N/VC:L/VI:N/VA:N/SC:N/SI:N/SA:N",
            "CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:L/VI:N/VA:N/SC:N/SI:N/SA:N/AU:N",
        ];
        for v in no {
            assert_eq!(derive_automatable(Some(&cvss(v))).0, Automatable::No, "{v}");
        }
        assert_eq!(derive_automatable(None).0, Automatable::No);
    }

    #[test]
    fn technical_impact_from_cvss() {
        for (v, want) in [
            (
                "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:L/I:L/A:L",
                TechnicalImpact::Partial,
            ),
            (
                "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:C/C:L/I:L/A:N",
                TechnicalImpact::Total,
            ),
            (
                "CVSS:3.0/AV:N/AC:L/PR:N/UI:N/S:U/C:N/I:N/A:H",
                TechnicalImpact::Total,
            ),
            ("AV:N/AC:L/Au:N/C:C/I:N/A:N", TechnicalImpact::Total),
            ("AV:N/AC:L/Au:N/C:P/I:P/A:P", TechnicalImpact::Partial),
            (
                "CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:L/VI:N/VA:N/SC:N/SI:H/SA:N",
                TechnicalImpact::Total,
            ),
            (
                "CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:L/VI:L/VA:L/SC:L/SI:L/SA:L",
                TechnicalImpact::Partial,
            ),
        ] {
            assert_eq!(derive_technical_impact(Some(&cvss(v))).0, want, "{v}");
        }
        assert_eq!(derive_technical_impact(None).0, TechnicalImpact::Total);
    }

    #[test]
    fn mission_wellbeing_from_clinical_role() {
        use crate::context::{DeviceContext, Exposure};
        let d = |k: Option<EuClass>, c: Option<Criticality>| {
            let mut d = DeviceContext::new(Exposure::Unknown);
            d.eu_class = k;
            d.criticality = c;
            d
        };
        let m = |dev: &DeviceContext, s| derive_mission_wellbeing(dev, s).0;
        use MissionWellbeing as M;
        assert_eq!(
            m(&d(Some(EuClass::I), Some(Criticality::Supporting)), None),
            M::Low
        );
        assert_eq!(
            m(
                &d(Some(EuClass::I), Some(Criticality::LifeSustaining)),
                None
            ),
            M::High
        );
        assert_eq!(
            m(&d(Some(EuClass::III), Some(Criticality::Supporting)), None),
            M::High
        );
        assert_eq!(
            m(&d(Some(EuClass::IIa), Some(Criticality::Diagnostic)), None),
            M::Medium
        );
        assert_eq!(m(&d(None, None), None), M::Medium);
        assert_eq!(
            m(
                &d(Some(EuClass::I), Some(Criticality::Supporting)),
                Some(Safety::Present)
            ),
            M::High
        );
        assert_eq!(
            m(&d(Some(EuClass::III), None), Some(Safety::Negligible)),
            M::High
        );
    }

    #[test]
    fn exploitation_from_context() {
        let kev = crate::exploitation::Kev::new(time::macros::date!(2024 - 01 - 02), None, false);
        let x = Exploitation::none().with_public_poc().with_kev(kev);
        assert_eq!(derive_exploitation(&x, 0.1).0, SsvcExploitation::Active);
        let x = Exploitation::none().with_public_poc();
        assert_eq!(derive_exploitation(&x, 0.1).0, SsvcExploitation::PublicPoc);
        let x = Exploitation::none().with_epss(0.1, 0.95);
        assert_eq!(derive_exploitation(&x, 0.1).0, SsvcExploitation::PublicPoc);
        let x = Exploitation::none().with_epss(0.099, 0.95);
        assert_eq!(derive_exploitation(&x, 0.1).0, SsvcExploitation::None);
    }
}
