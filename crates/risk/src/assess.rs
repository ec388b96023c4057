//! Combining CVSS, exploitation, SSVC and the device's context into a
//! priority with a deadline and a reason; and the roll-up per device.

use medvigil_model::{Criticality, EuClass};
use serde::Serialize;

use crate::context::DeviceContext;
use crate::cvss::{CvssScore, Severity};
use crate::exploitation::Exploitation;
use crate::policy::Policy;
use crate::priority::Priority;
use crate::ssvc::{self, SsvcOutcome};

/// The vulnerability side of a finding.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
#[non_exhaustive]
pub struct FindingInput {
    /// The vulnerability's id (`CVE-2024-1234`, an ICSMA advisory id).
    pub vuln_id: String,
    /// The scored CVSS vector, when one is known.
    pub cvss: Option<CvssScore>,
    /// The manufacturer's fix, in words ("update to 9.33"), when there is one.
    pub fix: Option<String>,
}

impl FindingInput {
    /// A finding with only an id.
    pub fn new(vuln_id: impl Into<String>) -> Self {
        Self {
            vuln_id: vuln_id.into(),
            ..Self::default()
        }
    }

    /// Sets the CVSS score.
    #[must_use]
    pub fn with_cvss(mut self, cvss: CvssScore) -> Self {
        self.cvss = Some(cvss);
        self
    }

    /// Sets the manufacturer's fix.
    #[must_use]
    pub fn with_fix(mut self, fix: impl Into<String>) -> Self {
        self.fix = Some(fix.into());
        self
    }
}

/// One factor's contribution to a priority.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[non_exhaustive]
pub struct Factor {
    /// What was weighed ("SSVC", "Exposure", "Control").
    pub factor: &'static str,
    /// Its value ("Act", "clinical-lan", "segmented").
    pub value: String,
    /// Points it added (negative: took off).
    pub points: i32,
    /// An effect beyond points (a floor, a cap), in words.
    pub effect: Option<String>,
}

impl Factor {
    fn points(factor: &'static str, value: impl Into<String>, points: i32) -> Self {
        Self {
            factor,
            value: value.into(),
            points,
            effect: None,
        }
    }
}

/// The result of weighing one finding on one device.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[non_exhaustive]
pub struct Assessment {
    /// The vulnerability's id.
    pub vuln_id: String,
    /// The priority.
    pub priority: Priority,
    /// Days to remediate, from the policy.
    pub deadline_days: u32,
    /// The SSVC decision with its path.
    pub ssvc: SsvcOutcome,
    /// Total points (after controls, before any floor).
    pub score: i32,
    /// Every factor's contribution, in the order weighed.
    pub factors: Vec<Factor>,
    /// A sentence for a biomedical engineer.
    pub reason: String,
    /// The manufacturer's fix, in words, when there is one.
    pub fix: Option<String>,
}

impl Assessment {
    /// A multi-line account: priority, reason, SSVC path, factors.
    pub fn explain(&self) -> String {
        let mut out = format!(
            "{} {} (deadline {} days, {} points)\n  {}\n  SSVC {}:",
            self.vuln_id,
            self.priority,
            self.deadline_days,
            self.score,
            self.reason,
            self.ssvc.decision
        );
        for s in &self.ssvc.path {
            out.push_str(&format!("\n    {} = {} ({})", s.point, s.value, s.why));
        }
        out.push_str("\n  factors:");
        for f in &self.factors {
            out.push_str(&format!(
                "\n    {:<22} {:<28} {:+}",
                f.factor, f.value, f.points
            ));
            if let Some(e) = &f.effect {
                out.push_str(&format!("  [{e}]"));
            }
        }
        out.push('\n');
        out
    }
}

/// Weighs one finding on one device under `policy`.
pub fn assess(
    finding: &FindingInput,
    device: &DeviceContext,
    exploitation: &Exploitation,
    policy: &Policy,
) -> Assessment {
    let cvss = finding.cvss.as_ref();
    let ssvc = ssvc::evaluate(cvss, exploitation, device, policy.ssvc.epss_poc_threshold);
    let mut factors = vec![Factor::points(
        "SSVC",
        ssvc.decision.as_str(),
        policy.ssvc_points(ssvc.decision),
    )];

    let sev = &policy.severity;
    factors.push(match cvss {
        Some(c) => Factor::points(
            "CVSS",
            format!("{:.1} {} (v{})", c.score, c.severity, c.version),
            match c.severity {
                Severity::Critical => sev.critical,
                Severity::High => sev.high,
                Severity::Medium => sev.medium,
                Severity::Low => sev.low,
                _ => sev.none,
            },
        ),
        None => Factor::points("CVSS", "unknown", sev.unknown),
    });

    let x = &policy.exploitation;
    if let Some(kev) = &exploitation.kev {
        factors.push(Factor::points(
            "CISA KEV",
            format!("listed {}", kev.date_added),
            x.kev,
        ));
        if kev.ransomware {
            factors.push(Factor::points(
                "CISA KEV",
                "ransomware use",
                x.kev_ransomware,
            ));
        }
    }
    if exploitation.public_poc {
        factors.push(Factor::points("Public exploit", "yes", x.public_poc));
    }
    if let Some((score, pct)) = exploitation.epss
        && score >= x.epss_threshold
    {
        factors.push(Factor::points(
            "EPSS",
            format!("{score:.3} (percentile {pct:.2})"),
            x.epss,
        ));
    }

    let cp = &policy.criticality;
    factors.push(match device.criticality {
        Some(c) => Factor::points(
            "Clinical criticality",
            c.as_str(),
            match c {
                Criticality::LifeSustaining => cp.life_sustaining,
                Criticality::Therapeutic => cp.therapeutic,
                Criticality::Monitoring => cp.monitoring,
                Criticality::Diagnostic => cp.diagnostic,
                Criticality::Supporting => cp.supporting,
            },
        ),
        None => Factor::points("Clinical criticality", "unknown", cp.unknown),
    });
    let kp = &policy.eu_class;
    factors.push(match device.eu_class {
        Some(k) => Factor::points(
            "EU class",
            k.as_str(),
            match k {
                EuClass::III => kp.iii,
                EuClass::IIb => kp.iib,
                EuClass::IIa => kp.iia,
                EuClass::I => kp.i,
            },
        ),
        None => Factor::points("EU class", "unknown", kp.unknown),
    });
    factors.push(Factor::points(
        "Exposure",
        device.exposure.as_str(),
        policy.exposure_points(device.exposure),
    ));
    if device.end_of_support_passed {
        factors.push(Factor::points(
            "End of support",
            "passed",
            policy.device.end_of_support,
        ));
    }
    if device.patchable == Some(false) {
        factors.push(Factor::points(
            "Patchable",
            "no",
            policy.device.not_patchable,
        ));
    }

    // Controls: each takes its points off, together at most max_reduction.
    let mut budget = policy.controls.max_reduction;
    for c in &device.compensating {
        let full = policy.control_points(*c);
        let taken = full.min(budget);
        budget -= taken;
        let mut f = Factor::points("Control", c.as_str(), -taken);
        if taken < full {
            f.effect = Some(format!(
                "capped: controls take off at most {}",
                policy.controls.max_reduction
            ));
        }
        factors.push(f);
    }

    let score: i32 = factors.iter().map(|f| f.points).sum();
    let mut priority = policy.priority_of(score);
    if exploitation.kev.is_some()
        && let Some(floor) = x.kev_floor
        && priority > floor
    {
        factors.push(Factor {
            factor: "KEV floor",
            value: floor.as_str().to_owned(),
            points: 0,
            effect: Some(format!("raised from {priority} to {floor}")),
        });
        priority = floor;
    }

    Assessment {
        vuln_id: finding.vuln_id.clone(),
        priority,
        deadline_days: policy.deadline_days(priority),
        reason: reason(finding, device, exploitation, policy),
        ssvc,
        score,
        factors,
        fix: finding.fix.clone(),
    }
}

/// "Infusion pump, class IIb, therapeutic; vulnerability exploited in the
/// wild (CISA KEV); reachable from the clinical LAN; vendor fix available:
/// update to 9.33".
fn reason(
    finding: &FindingInput,
    device: &DeviceContext,
    x: &Exploitation,
    policy: &Policy,
) -> String {
    let mut who = Vec::new();
    if let Some(c) = device.category_label() {
        who.push(c);
    }
    if let Some(k) = device.eu_class {
        who.push(format!("class {k}"));
    }
    if let Some(c) = device.criticality {
        who.push(c.as_str().to_owned());
    }
    let mut parts = Vec::new();
    if who.is_empty() {
        parts.push("Device of unknown clinical role".to_owned());
    } else {
        parts.push(who.join(", "));
    }
    parts.push(match (&x.kev, x.public_poc, x.epss) {
        (Some(k), _, _) if k.ransomware => {
            "vulnerability exploited in the wild, including by ransomware (CISA KEV)".to_owned()
        }
        (Some(_), _, _) => "vulnerability exploited in the wild (CISA KEV)".to_owned(),
        (None, true, _) => "public exploit code available".to_owned(),
        (None, false, Some((s, _))) if s >= policy.exploitation.epss_threshold => {
            format!("exploitation likely (EPSS {:.0}%)", s * 100.0)
        }
        _ => "no known exploit".to_owned(),
    });
    if let Some(c) = &finding.cvss {
        parts.push(format!("CVSS {:.1} {}", c.score, c.severity));
    }
    parts.push(device.exposure.phrase().to_owned());
    if !device.compensating.is_empty() {
        let list: Vec<&str> = device.compensating.iter().map(|c| c.phrase()).collect();
        parts.push(format!("mitigated by {}", list.join(", ")));
    }
    if device.end_of_support_passed {
        parts.push("past the manufacturer's end of support".to_owned());
    }
    parts.push(match (&finding.fix, device.patchable) {
        (Some(_), Some(false)) => {
            "vendor fix exists but the manufacturer does not allow patching this device".to_owned()
        }
        (Some(f), _) => format!("vendor fix available: {f}"),
        (None, _) => "no vendor fix yet".to_owned(),
    });
    parts.join("; ")
}

/// The risk of one device: its findings rolled up.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[non_exhaustive]
pub struct DeviceRisk {
    /// The most urgent priority, `None` without findings.
    pub priority: Option<Priority>,
    /// Findings per priority, `[P1, P2, P3, P4]`.
    pub counts: [usize; 4],
    /// The reasons of the most urgent findings (up to [`TOP_REASONS`]),
    /// most urgent first, each prefixed with priority and vulnerability id.
    pub top_reasons: Vec<String>,
}

/// How many reasons [`aggregate`] keeps.
pub const TOP_REASONS: usize = 3;

/// Rolls a device's assessments up: worst priority, counts, top reasons
/// (ordered by priority, then points, then id, so the result is stable).
pub fn aggregate(assessments: &[Assessment]) -> DeviceRisk {
    let mut counts = [0; 4];
    for a in assessments {
        counts[a.priority.index()] += 1;
    }
    let mut order: Vec<&Assessment> = assessments.iter().collect();
    order.sort_by(|a, b| {
        a.priority
            .cmp(&b.priority)
            .then(b.score.cmp(&a.score))
            .then(a.vuln_id.cmp(&b.vuln_id))
    });
    DeviceRisk {
        priority: order.first().map(|a| a.priority),
        counts,
        top_reasons: order
            .iter()
            .take(TOP_REASONS)
            .map(|a| format!("{} {}: {}", a.priority, a.vuln_id, a.reason))
            .collect(),
    }
}
