//! Regulatory classes, device categories and clinical criticality.

use std::fmt;
use std::str::FromStr;

use crate::serde_str::serde_via_str;

/// A value that is not one of an enumeration's known names.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("unknown {what} '{value}' (expected one of: {expected})")]
pub struct ParseEnumError {
    /// What was being parsed ("EU class", "criticality" …).
    pub what: &'static str,
    /// The offending text.
    pub value: String,
    /// The accepted names.
    pub expected: &'static str,
}

/// Folds a label for lenient matching: lower case, no spaces, dashes,
/// underscores or dots, so "Class IIb", "class_iib" and "IIB" compare equal.
fn fold(s: &str) -> String {
    s.chars()
        .filter(|c| !matches!(c, ' ' | '-' | '_' | '.' | '\t'))
        .flat_map(char::to_lowercase)
        .collect()
}

/// EU MDR (Regulation (EU) 2017/745, Annex VIII) risk class of a medical device.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum EuClass {
    /// Class I: low risk, non-invasive (includes Is, Im, Ir).
    I,
    /// Class IIa: medium risk, short-term invasive.
    IIa,
    /// Class IIb: medium-high risk, long-term invasive or energy-delivering.
    IIb,
    /// Class III: high risk, implantable or life-sustaining.
    III,
}

impl EuClass {
    /// Every class, from lowest to highest risk.
    pub const ALL: [Self; 4] = [Self::I, Self::IIa, Self::IIb, Self::III];

    /// The class as the MDR writes it.
    pub const fn as_str(self) -> &'static str {
        match self {
            Self::I => "I",
            Self::IIa => "IIa",
            Self::IIb => "IIb",
            Self::III => "III",
        }
    }
}

impl FromStr for EuClass {
    type Err = ParseEnumError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let f = fold(s);
        let f = f.strip_prefix("class").unwrap_or(&f);
        Ok(match f {
            // Is, Im, Ir: class I sterile / measuring / reusable surgical.
            "i" | "1" | "is" | "im" | "ir" => Self::I,
            "iia" | "2a" => Self::IIa,
            "iib" | "2b" => Self::IIb,
            "iii" | "3" => Self::III,
            _ => {
                return Err(ParseEnumError {
                    what: "EU class",
                    value: s.trim().to_owned(),
                    expected: "I, IIa, IIb, III",
                });
            }
        })
    }
}

impl fmt::Display for EuClass {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}
serde_via_str!(EuClass);

/// US FDA device class (21 CFR 860).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum FdaClass {
    /// Class I: general controls.
    I,
    /// Class II: special controls, usually 510(k).
    II,
    /// Class III: premarket approval.
    III,
}

impl FdaClass {
    /// The class in Roman numerals.
    pub const fn as_str(self) -> &'static str {
        match self {
            Self::I => "I",
            Self::II => "II",
            Self::III => "III",
        }
    }
}

impl FromStr for FdaClass {
    type Err = ParseEnumError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let f = fold(s);
        let f = f.strip_prefix("class").unwrap_or(&f);
        match f {
            "i" | "1" => Ok(Self::I),
            "ii" | "2" => Ok(Self::II),
            "iii" | "3" => Ok(Self::III),
            _ => Err(ParseEnumError {
                what: "FDA class",
                value: s.trim().to_owned(),
                expected: "I, II, III",
            }),
        }
    }
}

impl fmt::Display for FdaClass {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}
serde_via_str!(FdaClass);

/// How much patient care depends on a device working (and staying safe).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Criticality {
    /// No direct clinical role (printers, building systems, office IT on the clinical LAN).
    Supporting,
    /// Produces information for a diagnosis (imaging, laboratory).
    Diagnostic,
    /// Watches a patient and raises alarms (patient monitors, telemetry).
    Monitoring,
    /// Delivers therapy (infusion, dialysis).
    Therapeutic,
    /// A patient's life depends on it running (ventilators, anaesthesia, life support).
    LifeSustaining,
}

impl Criticality {
    /// Every level, from lowest to highest.
    pub const ALL: [Self; 5] = [
        Self::Supporting,
        Self::Diagnostic,
        Self::Monitoring,
        Self::Therapeutic,
        Self::LifeSustaining,
    ];

    /// The stable name.
    pub const fn as_str(self) -> &'static str {
        match self {
            Self::Supporting => "supporting",
            Self::Diagnostic => "diagnostic",
            Self::Monitoring => "monitoring",
            Self::Therapeutic => "therapeutic",
            Self::LifeSustaining => "life-sustaining",
        }
    }
}

impl FromStr for Criticality {
    type Err = ParseEnumError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Ok(match fold(s).as_str() {
            "supporting" | "support" | "nonclinical" | "low" => Self::Supporting,
            "diagnostic" | "diagnosis" => Self::Diagnostic,
            "monitoring" | "monitor" | "medium" => Self::Monitoring,
            "therapeutic" | "therapy" | "high" => Self::Therapeutic,
            "lifesustaining" | "lifesupport" | "lifesupporting" | "lifecritical" | "critical" => {
                Self::LifeSustaining
            }
            _ => {
                return Err(ParseEnumError {
                    what: "clinical criticality",
                    value: s.trim().to_owned(),
                    expected: "life-sustaining, therapeutic, monitoring, diagnostic, supporting",
                });
            }
        })
    }
}

impl fmt::Display for Criticality {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}
serde_via_str!(Criticality);

macro_rules! categories {
    ($($variant:ident => $name:literal, $label:literal, [$($alias:literal),*];)*) => {
        /// What kind of device this is, in the vocabulary of clinical engineering.
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum Category {
            $(#[doc = $label] $variant,)*
        }

        impl Category {
            /// Every category.
            pub const ALL: &'static [Self] = &[$(Self::$variant),*];

            /// The stable machine name (`infusion-pump`).
            pub const fn as_str(self) -> &'static str {
                match self { $(Self::$variant => $name,)* }
            }

            /// A human label ("Infusion pump").
            pub const fn label(self) -> &'static str {
                match self { $(Self::$variant => $label,)* }
            }
        }

        /// Every accepted spelling, folded once: parsing runs per imported row.
        static CATEGORY_NAMES: std::sync::LazyLock<std::collections::HashMap<String, Category>> =
            std::sync::LazyLock::new(|| {
                let mut names = std::collections::HashMap::new();
                $(
                    for n in [$name, $label $(, $alias)*] {
                        names.entry(fold(n)).or_insert(Category::$variant);
                    }
                )*
                names
            });

        impl FromStr for Category {
            type Err = ParseEnumError;
            fn from_str(s: &str) -> Result<Self, Self::Err> {
                if let Some(c) = CATEGORY_NAMES.get(&fold(s)) {
                    return Ok(*c);
                }
                Err(ParseEnumError {
                    what: "device category",
                    value: s.trim().to_owned(),
                    expected: concat!($($name, " "),*),
                })
            }
        }
    };
}

categories! {
    InfusionPump => "infusion-pump", "Infusion pump", ["syringe pump", "volumetric pump", "pca pump", "infusion system", "pompe a perfusion", "pousse-seringue"];
    PatientMonitor => "patient-monitor", "Patient monitor", ["monitor", "bedside monitor", "telemetry", "central station", "moniteur"];
    Ventilator => "ventilator", "Ventilator", ["respirator", "icu ventilator", "respirateur"];
    Anaesthesia => "anaesthesia", "Anaesthesia workstation", ["anesthesia", "anesthesia machine", "anaesthesia machine", "anaesthesia workstation"];
    Dialysis => "dialysis", "Dialysis machine", ["haemodialysis", "hemodialysis", "dialysis generator", "generateur de dialyse"];
    Imaging => "imaging", "Imaging modality", ["ct", "mri", "mr", "x-ray", "xray", "ultrasound", "modality", "radiography", "mammography", "pet", "pet/ct", "c-arm", "angiography"];
    Pacs => "pacs", "PACS / imaging archive", ["vna", "image archive", "pacs server"];
    ViewingStation => "viewing-station", "Viewing workstation", ["workstation", "reading station", "dicom viewer"];
    LabAnalyser => "lab-analyser", "Laboratory analyser", ["lab analyzer", "analyzer", "analyser", "laboratory", "poct", "blood gas analyser", "blood gas analyzer"];
    Defibrillator => "defibrillator", "Defibrillator", ["aed", "defib"];
    Ecg => "ecg", "ECG / cardiology", ["ekg", "electrocardiograph", "holter"];
    NurseCall => "nurse-call", "Nurse call", ["nurse call system", "appel malade"];
    Radiotherapy => "radiotherapy", "Radiotherapy", ["linac", "linear accelerator"];
    Endoscopy => "endoscopy", "Endoscopy", ["endoscope"];
    SurgicalRobot => "surgical-robot", "Surgical system", ["surgical robot", "robot"];
    BuildingSystem => "building-system", "Building system", ["bms", "hvac", "building automation", "pneumatic tube", "medical gas"];
    Other => "other", "Other", ["misc"];
}

impl fmt::Display for Category {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}
serde_via_str!(Category);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn eu_class_spellings() {
        for (s, c) in [
            ("I", EuClass::I),
            ("Class IIa", EuClass::IIa),
            ("iib", EuClass::IIb),
            ("2b", EuClass::IIb),
            ("III", EuClass::III),
            ("Im", EuClass::I),
        ] {
            assert_eq!(s.parse::<EuClass>(), Ok(c), "{s}");
        }
        let e = "IV".parse::<EuClass>().unwrap_err();
        assert_eq!(e.value, "IV");
        assert!(e.to_string().contains("unknown EU class 'IV'"));
    }

    #[test]
    fn categories_parse_names_labels_aliases() {
        for c in Category::ALL {
            assert_eq!(c.as_str().parse::<Category>(), Ok(*c));
            assert_eq!(c.label().parse::<Category>(), Ok(*c));
        }
        assert_eq!(
            "Syringe Pump".parse::<Category>(),
            Ok(Category::InfusionPump)
        );
        assert_eq!("MRI".parse::<Category>(), Ok(Category::Imaging));
        assert!("toaster".parse::<Category>().is_err());
    }

    #[test]
    fn criticality_orders_by_risk() {
        assert!(Criticality::LifeSustaining > Criticality::Supporting);
        assert_eq!(
            "Life support".parse::<Criticality>(),
            Ok(Criticality::LifeSustaining)
        );
    }
}
