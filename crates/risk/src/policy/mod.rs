//! The priority policy: how many points each factor is worth, where the
//! P1–P4 thresholds lie, the deadline of each priority, and how much each
//! compensating control takes off. Read from TOML; every key is optional
//! and falls back to [`Policy::default`].

mod sections;

use serde::{Deserialize, Serialize};

pub use sections::{
    ClassPoints, ControlPoints, CriticalityPoints, Deadlines, DevicePoints, ExploitationPoints,
    ExposurePoints, SeverityPoints, SsvcPoints, Thresholds,
};

use crate::context::{Control, Exposure};
use crate::priority::Priority;
use crate::ssvc::Decision;

/// The whole policy. See the crate README for the defaults and their reasons.
#[derive(Clone, Debug, PartialEq, Default, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Policy {
    /// `[thresholds]`: points per priority.
    pub thresholds: Thresholds,
    /// `[deadlines]`: days per priority.
    pub deadlines: Deadlines,
    /// `[ssvc]`: points per SSVC decision, EPSS threshold for PoC.
    pub ssvc: SsvcPoints,
    /// `[severity]`: points per CVSS severity.
    pub severity: SeverityPoints,
    /// `[exploitation]`: KEV, PoC, EPSS points and the KEV floor.
    pub exploitation: ExploitationPoints,
    /// `[criticality]`: points per clinical criticality.
    pub criticality: CriticalityPoints,
    /// `[eu_class]`: points per EU MDR class.
    pub eu_class: ClassPoints,
    /// `[exposure]`: points per network exposure.
    pub exposure: ExposurePoints,
    /// `[device]`: end of support, not patchable.
    pub device: DevicePoints,
    /// `[controls]`: points each control takes off, and the cap.
    pub controls: ControlPoints,
}

/// Why a policy file was rejected.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum PolicyError {
    /// Not TOML, or a key that is unknown or of the wrong type.
    #[error("policy{}{}: {message}", key.as_deref().map(|k| format!(" key '{k}'")).unwrap_or_default(), line.map(|l| format!(" (line {l})")).unwrap_or_default())]
    Parse {
        /// The dotted key (`exposure.internet`), when known.
        key: Option<String>,
        /// 1-based line, when known.
        line: Option<usize>,
        /// What the TOML reader said.
        message: String,
    },
    /// A value that parses but breaks a rule of the policy.
    #[error("policy key '{key}' = {value}: {rule}")]
    Invalid {
        /// The dotted key.
        key: &'static str,
        /// The value found.
        value: String,
        /// The rule it breaks.
        rule: &'static str,
    },
}

impl Policy {
    /// Reads a policy from TOML; absent keys keep their defaults.
    ///
    /// # Errors
    /// [`PolicyError`] naming the key at fault.
    pub fn from_toml(text: &str) -> Result<Self, PolicyError> {
        let line_of = |span: Option<std::ops::Range<usize>>| {
            span.map(|r| text[..r.start.min(text.len())].matches('\n').count() + 1)
        };
        let de = toml::Deserializer::parse(text).map_err(|e| PolicyError::Parse {
            key: None,
            line: line_of(e.span()),
            message: e.message().to_owned(),
        })?;
        let policy: Self = serde_path_to_error::deserialize(de).map_err(|e| {
            let path = e.path().to_string();
            let inner = e.into_inner();
            PolicyError::Parse {
                key: (path != "." && !path.is_empty()).then_some(path),
                line: line_of(inner.span()),
                message: inner.message().to_owned(),
            }
        })?;
        policy.validate()?;
        Ok(policy)
    }

    /// The policy as TOML (every key written).
    pub fn to_toml(&self) -> String {
        // Plain structs of numbers: serialisation cannot fail.
        toml::to_string(self).unwrap_or_default()
    }

    /// Checks the rules the types cannot hold.
    ///
    /// # Errors
    /// [`PolicyError::Invalid`] for the first key that breaks a rule.
    pub fn validate(&self) -> Result<(), PolicyError> {
        fn check(
            ok: bool,
            key: &'static str,
            value: impl ToString,
            rule: &'static str,
        ) -> Result<(), PolicyError> {
            if ok {
                Ok(())
            } else {
                Err(PolicyError::Invalid {
                    key,
                    value: value.to_string(),
                    rule,
                })
            }
        }
        let t = &self.thresholds;
        check(
            t.p1 > t.p2,
            "thresholds.p1",
            t.p1,
            "must be greater than thresholds.p2",
        )?;
        check(
            t.p2 > t.p3,
            "thresholds.p2",
            t.p2,
            "must be greater than thresholds.p3",
        )?;
        let d = &self.deadlines;
        check(d.p1 > 0, "deadlines.p1", d.p1, "must be at least 1 day")?;
        check(
            d.p2 >= d.p1,
            "deadlines.p2",
            d.p2,
            "must not be shorter than deadlines.p1",
        )?;
        check(
            d.p3 >= d.p2,
            "deadlines.p3",
            d.p3,
            "must not be shorter than deadlines.p2",
        )?;
        check(
            d.p4 >= d.p3,
            "deadlines.p4",
            d.p4,
            "must not be shorter than deadlines.p3",
        )?;
        // Monotone SSVC points keep "more evidence never lowers priority".
        let s = &self.ssvc;
        check(
            s.act >= s.attend,
            "ssvc.act",
            s.act,
            "must be at least ssvc.attend",
        )?;
        check(
            s.attend >= s.track_star,
            "ssvc.attend",
            s.attend,
            "must be at least ssvc.track_star",
        )?;
        check(
            s.track_star >= s.track,
            "ssvc.track_star",
            s.track_star,
            "must be at least ssvc.track",
        )?;
        let unit = |x: f64| (0.0..=1.0).contains(&x);
        check(
            unit(s.epss_poc_threshold),
            "ssvc.epss_poc_threshold",
            s.epss_poc_threshold,
            "must be between 0 and 1",
        )?;
        let x = &self.exploitation;
        check(
            unit(x.epss_threshold),
            "exploitation.epss_threshold",
            x.epss_threshold,
            "must be between 0 and 1",
        )?;
        check(
            x.kev >= 0,
            "exploitation.kev",
            x.kev,
            "must not be negative",
        )?;
        check(
            x.kev_ransomware >= 0,
            "exploitation.kev_ransomware",
            x.kev_ransomware,
            "must not be negative",
        )?;
        check(
            x.public_poc >= 0,
            "exploitation.public_poc",
            x.public_poc,
            "must not be negative",
        )?;
        check(
            x.epss >= 0,
            "exploitation.epss",
            x.epss,
            "must not be negative",
        )?;
        let c = &self.controls;
        for (key, v) in [
            ("controls.segmented", c.segmented),
            ("controls.isolated", c.isolated),
            ("controls.access_restricted", c.access_restricted),
            ("controls.monitored", c.monitored),
            ("controls.workaround_applied", c.workaround_applied),
            ("controls.service_disabled", c.service_disabled),
            ("controls.max_reduction", c.max_reduction),
        ] {
            check(
                v >= 0,
                key,
                v,
                "must not be negative (a control never raises priority)",
            )?;
        }
        Ok(())
    }

    /// The priority of a points total (before any floor).
    pub fn priority_of(&self, points: i32) -> Priority {
        let t = &self.thresholds;
        if points >= t.p1 {
            Priority::P1
        } else if points >= t.p2 {
            Priority::P2
        } else if points >= t.p3 {
            Priority::P3
        } else {
            Priority::P4
        }
    }

    /// Days to remediate at `priority`.
    pub fn deadline_days(&self, priority: Priority) -> u32 {
        let d = &self.deadlines;
        match priority {
            Priority::P1 => d.p1,
            Priority::P2 => d.p2,
            Priority::P3 => d.p3,
            Priority::P4 => d.p4,
        }
    }

    /// Points for an SSVC decision.
    pub fn ssvc_points(&self, d: Decision) -> i32 {
        match d {
            Decision::Act => self.ssvc.act,
            Decision::Attend => self.ssvc.attend,
            Decision::TrackStar => self.ssvc.track_star,
            Decision::Track => self.ssvc.track,
        }
    }

    /// Points for an exposure.
    pub fn exposure_points(&self, e: Exposure) -> i32 {
        let p = &self.exposure;
        match e {
            Exposure::Internet => p.internet,
            Exposure::HospitalWide => p.hospital_wide,
            Exposure::ClinicalLan => p.clinical_lan,
            Exposure::IsolatedSegment => p.isolated_segment,
            Exposure::Unknown => p.unknown,
        }
    }

    /// Points a control takes off (positive).
    pub fn control_points(&self, c: Control) -> i32 {
        let p = &self.controls;
        match c {
            Control::Segmented => p.segmented,
            Control::Isolated => p.isolated,
            Control::AccessRestricted => p.access_restricted,
            Control::Monitored => p.monitored,
            Control::WorkaroundApplied => p.workaround_applied,
            Control::ServiceDisabled => p.service_disabled,
        }
    }
}
