//! Patient-safety risk scoring for vulnerabilities on connected medical
//! devices: CVSS v2/v3/v4 scores, exploitation context (CISA KEV, FIRST
//! EPSS, public proof of concept), the CISA SSVC decision, the device's
//! clinical context, and a configurable policy that turns them into a
//! priority P1–P4 with a deadline and a plain-language reason.
//!
//! Everything here is pure: no I/O, no clock, no database.
//!
//! ```
//! use medvigil_risk::{assess, score, Control, DeviceContext, Exploitation, Exposure,
//!     FindingInput, Policy, Priority};
//! use medvigil_model::{Criticality, EuClass};
//!
//! let finding = FindingInput::new("CVE-2024-0001")
//!     .with_cvss(score("CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H").unwrap())
//!     .with_fix("update to 9.33");
//! let pump = DeviceContext::new(Exposure::ClinicalLan)
//!     .with_category("infusion-pump")
//!     .with_class(EuClass::IIb)
//!     .with_criticality(Criticality::Therapeutic);
//! let a = assess(&finding, &pump, &Exploitation::none().with_public_poc(), &Policy::default());
//! assert_eq!(a.priority, Priority::P1);
//! assert!(a.reason.starts_with("Infusion pump, class IIb, therapeutic; public exploit"));
//! let segmented = pump.with_control(Control::Segmented);
//! let b = assess(&finding, &segmented, &Exploitation::none().with_public_poc(), &Policy::default());
//! assert!(b.priority >= a.priority);
//! ```

pub mod assess;
pub mod context;
pub mod cvss;
pub mod exploitation;
pub mod policy;
pub mod priority;
pub mod ssvc;

pub use assess::{Assessment, DeviceRisk, Factor, FindingInput, TOP_REASONS, aggregate, assess};
pub use context::{Control, DeviceContext, Exposure};
pub use cvss::{
    CvssError, CvssScore, CvssVersion, Nomenclature, Safety, Severity, Supplemental, V4Detail,
    score,
};
pub use exploitation::{Exploitation, Kev};
pub use policy::{Policy, PolicyError};
pub use priority::{ParsePriorityError, Priority};
pub use ssvc::{
    Automatable, Decision, MissionWellbeing, SsvcExploitation, SsvcInputs, SsvcOutcome, Step,
    TechnicalImpact, decide, evaluate,
};
