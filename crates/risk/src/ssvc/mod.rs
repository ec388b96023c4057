//! CISA Stakeholder-Specific Vulnerability Categorization (SSVC Guide,
//! November 2022): four decision points, 36 leaves, four decisions; and the
//! derivation of each decision point from what medvigil knows.

mod derive;

use std::fmt;

use serde::Serialize;

pub use derive::{
    derive_automatable, derive_exploitation, derive_mission_wellbeing, derive_technical_impact,
};

use crate::context::DeviceContext;
use crate::cvss::CvssScore;
use crate::exploitation::Exploitation;

/// SSVC *Exploitation*: present state of exploitation.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum SsvcExploitation {
    /// No evidence of active exploitation and no public PoC.
    None,
    /// Public proof of concept, or a well-known method of exploitation.
    #[serde(rename = "public-poc")]
    PublicPoc,
    /// Shared, reliable evidence of exploitation in the wild.
    Active,
}

/// SSVC *Automatable*: can an attacker automate steps 1–4 of the kill chain?
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Automatable {
    /// No.
    No,
    /// Yes.
    Yes,
}

/// SSVC *Technical Impact*: what exploitation gives the attacker.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum TechnicalImpact {
    /// Limited control or information exposure.
    Partial,
    /// Total control of the component, or total disclosure of its information.
    Total,
}

/// SSVC *Mission & Well-being* impact.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum MissionWellbeing {
    /// Low.
    Low,
    /// Medium.
    Medium,
    /// High.
    High,
}

/// The SSVC decision, least to most urgent.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
pub enum Decision {
    /// Remediate within standard update timelines.
    Track,
    /// Track, watching for changes closely.
    #[serde(rename = "Track*")]
    TrackStar,
    /// Remediate sooner than standard update timelines; supervisors attend.
    Attend,
    /// Remediate as soon as possible; leadership acts.
    Act,
}

impl Decision {
    /// Every decision, least to most urgent.
    pub const ALL: [Self; 4] = [Self::Track, Self::TrackStar, Self::Attend, Self::Act];

    /// The name as the SSVC guide writes it.
    pub const fn as_str(self) -> &'static str {
        match self {
            Self::Track => "Track",
            Self::TrackStar => "Track*",
            Self::Attend => "Attend",
            Self::Act => "Act",
        }
    }
}

impl fmt::Display for Decision {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

macro_rules! display_lower {
    ($($ty:ty => [$($v:ident = $s:literal),*];)*) => {$(
        impl fmt::Display for $ty {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(match self { $(Self::$v => $s,)* })
            }
        }
    )*};
}
display_lower! {
    SsvcExploitation => [None = "none", PublicPoc = "public PoC", Active = "active"];
    Automatable => [No = "no", Yes = "yes"];
    TechnicalImpact => [Partial = "partial", Total = "total"];
    MissionWellbeing => [Low = "low", Medium = "medium", High = "high"];
}

/// The four decision-point values of one SSVC evaluation.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
pub struct SsvcInputs {
    /// Exploitation.
    pub exploitation: SsvcExploitation,
    /// Automatable.
    pub automatable: Automatable,
    /// Technical Impact.
    pub technical_impact: TechnicalImpact,
    /// Mission & Well-being.
    pub mission_wellbeing: MissionWellbeing,
}

/// The CISA SSVC decision table (CISA SSVC Guide, Nov 2022, p. 6; CERT/CC
/// `cisa_coordinator` 2.0.3), leaf by leaf.
pub fn decide(i: SsvcInputs) -> Decision {
    use Automatable as A;
    use Decision::{Act, Attend, Track, TrackStar};
    use MissionWellbeing as M;
    use SsvcExploitation as E;
    use TechnicalImpact as T;
    match (
        i.exploitation,
        i.automatable,
        i.technical_impact,
        i.mission_wellbeing,
    ) {
        (E::None, A::No, T::Partial, _) => Track,
        (E::None, A::No, T::Total, M::Low | M::Medium) => Track,
        (E::None, A::No, T::Total, M::High) => TrackStar,
        (E::None, A::Yes, _, M::Low | M::Medium) => Track,
        (E::None, A::Yes, _, M::High) => Attend,
        (E::PublicPoc, A::No, T::Partial, M::Low | M::Medium) => Track,
        (E::PublicPoc, A::No, T::Partial, M::High) => TrackStar,
        (E::PublicPoc, A::No, T::Total, M::Low) => Track,
        (E::PublicPoc, A::No, T::Total, M::Medium) => TrackStar,
        (E::PublicPoc, A::No, T::Total, M::High) => Attend,
        (E::PublicPoc, A::Yes, T::Partial, M::Low | M::Medium) => Track,
        (E::PublicPoc, A::Yes, T::Partial, M::High) => Attend,
        (E::PublicPoc, A::Yes, T::Total, M::Low) => Track,
        (E::PublicPoc, A::Yes, T::Total, M::Medium) => TrackStar,
        (E::PublicPoc, A::Yes, T::Total, M::High) => Attend,
        (E::Active, A::No, T::Partial, M::Low | M::Medium) => Track,
        (E::Active, A::No, T::Partial, M::High) => Attend,
        (E::Active, A::No, T::Total, M::Low) => Track,
        (E::Active, A::No, T::Total, M::Medium) => Attend,
        (E::Active, A::No, T::Total, M::High) => Act,
        (E::Active, A::Yes, T::Partial, M::Low | M::Medium) => Attend,
        (E::Active, A::Yes, T::Partial, M::High) => Act,
        (E::Active, A::Yes, T::Total, M::Low) => Attend,
        (E::Active, A::Yes, T::Total, M::Medium | M::High) => Act,
    }
}

/// One decision point on the path through the tree.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[non_exhaustive]
pub struct Step {
    /// The decision point's name as the guide writes it.
    pub point: &'static str,
    /// The value taken.
    pub value: String,
    /// Why it took that value.
    pub why: String,
}

/// An SSVC evaluation: inputs, decision and the path that led there.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[non_exhaustive]
pub struct SsvcOutcome {
    /// The decision.
    pub decision: Decision,
    /// The four values.
    pub inputs: SsvcInputs,
    /// Exploitation, Automatable, Technical Impact, Mission & Well-being, in
    /// tree order, each with its reason.
    pub path: Vec<Step>,
}

/// Derives the four decision points and decides.
///
/// `epss_poc_threshold`: an EPSS score at or above it counts as
/// *public PoC* (a prediction is not evidence of exploitation, so never as
/// *active*).
pub fn evaluate(
    cvss: Option<&CvssScore>,
    exploitation: &Exploitation,
    device: &DeviceContext,
    epss_poc_threshold: f64,
) -> SsvcOutcome {
    let (e, e_why) = derive_exploitation(exploitation, epss_poc_threshold);
    let (a, a_why) = derive_automatable(cvss);
    let (t, t_why) = derive_technical_impact(cvss);
    let (m, m_why) = derive_mission_wellbeing(device, cvss.and_then(CvssScore::safety));
    let inputs = SsvcInputs {
        exploitation: e,
        automatable: a,
        technical_impact: t,
        mission_wellbeing: m,
    };
    let step = |point, value: &dyn fmt::Display, why| Step {
        point,
        value: value.to_string(),
        why,
    };
    SsvcOutcome {
        decision: decide(inputs),
        inputs,
        path: vec![
            step("Exploitation", &e, e_why),
            step("Automatable", &a, a_why),
            step("Technical Impact", &t, t_why),
            step("Mission & Well-being", &m, m_why),
        ],
    }
}
