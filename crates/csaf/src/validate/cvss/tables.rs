//! Property tables of FIRST's JSON schemas for CVSS v2.0 and v3.x
//! (`cvss-v2.0.json`, `cvss-v3.0.json`, `cvss-v3.1.json`): each JSON
//! property with its vector metric and the value spellings of both.

/// (JSON property, vector metric, [(JSON value, vector value)]); the
/// `NOT_DEFINED` value of optional metrics is listed like the others.
pub(super) type PropTable = &'static [(
    &'static str,
    &'static str,
    &'static [(&'static str, &'static str)],
)];

const IMPACT3: &[(&str, &str)] = &[("NONE", "N"), ("LOW", "L"), ("HIGH", "H")];
const MIMPACT3: &[(&str, &str)] = &[
    ("NONE", "N"),
    ("LOW", "L"),
    ("HIGH", "H"),
    ("NOT_DEFINED", "X"),
];
const REQ3: &[(&str, &str)] = &[
    ("LOW", "L"),
    ("MEDIUM", "M"),
    ("HIGH", "H"),
    ("NOT_DEFINED", "X"),
];

pub(super) const V3_PROPS: PropTable = &[
    (
        "attackVector",
        "AV",
        &[
            ("NETWORK", "N"),
            ("ADJACENT_NETWORK", "A"),
            ("LOCAL", "L"),
            ("PHYSICAL", "P"),
        ],
    ),
    ("attackComplexity", "AC", &[("HIGH", "H"), ("LOW", "L")]),
    (
        "privilegesRequired",
        "PR",
        &[("HIGH", "H"), ("LOW", "L"), ("NONE", "N")],
    ),
    ("userInteraction", "UI", &[("NONE", "N"), ("REQUIRED", "R")]),
    ("scope", "S", &[("UNCHANGED", "U"), ("CHANGED", "C")]),
    ("confidentialityImpact", "C", IMPACT3),
    ("integrityImpact", "I", IMPACT3),
    ("availabilityImpact", "A", IMPACT3),
    (
        "exploitCodeMaturity",
        "E",
        &[
            ("UNPROVEN", "U"),
            ("PROOF_OF_CONCEPT", "P"),
            ("FUNCTIONAL", "F"),
            ("HIGH", "H"),
            ("NOT_DEFINED", "X"),
        ],
    ),
    (
        "remediationLevel",
        "RL",
        &[
            ("OFFICIAL_FIX", "O"),
            ("TEMPORARY_FIX", "T"),
            ("WORKAROUND", "W"),
            ("UNAVAILABLE", "U"),
            ("NOT_DEFINED", "X"),
        ],
    ),
    (
        "reportConfidence",
        "RC",
        &[
            ("UNKNOWN", "U"),
            ("REASONABLE", "R"),
            ("CONFIRMED", "C"),
            ("NOT_DEFINED", "X"),
        ],
    ),
    ("confidentialityRequirement", "CR", REQ3),
    ("integrityRequirement", "IR", REQ3),
    ("availabilityRequirement", "AR", REQ3),
    (
        "modifiedAttackVector",
        "MAV",
        &[
            ("NETWORK", "N"),
            ("ADJACENT_NETWORK", "A"),
            ("LOCAL", "L"),
            ("PHYSICAL", "P"),
            ("NOT_DEFINED", "X"),
        ],
    ),
    (
        "modifiedAttackComplexity",
        "MAC",
        &[("HIGH", "H"), ("LOW", "L"), ("NOT_DEFINED", "X")],
    ),
    (
        "modifiedPrivilegesRequired",
        "MPR",
        &[
            ("HIGH", "H"),
            ("LOW", "L"),
            ("NONE", "N"),
            ("NOT_DEFINED", "X"),
        ],
    ),
    (
        "modifiedUserInteraction",
        "MUI",
        &[("NONE", "N"), ("REQUIRED", "R"), ("NOT_DEFINED", "X")],
    ),
    (
        "modifiedScope",
        "MS",
        &[("UNCHANGED", "U"), ("CHANGED", "C"), ("NOT_DEFINED", "X")],
    ),
    ("modifiedConfidentialityImpact", "MC", MIMPACT3),
    ("modifiedIntegrityImpact", "MI", MIMPACT3),
    ("modifiedAvailabilityImpact", "MA", MIMPACT3),
];
pub(super) const V3_BASE: &[&str] = &["AV", "AC", "PR", "UI", "S", "C", "I", "A"];
pub(super) const V3_SEVERITIES: &[&str] = &["NONE", "LOW", "MEDIUM", "HIGH", "CRITICAL"];

const IMPACT2: &[(&str, &str)] = &[("NONE", "N"), ("PARTIAL", "P"), ("COMPLETE", "C")];
const REQ2: &[(&str, &str)] = &[
    ("LOW", "L"),
    ("MEDIUM", "M"),
    ("HIGH", "H"),
    ("NOT_DEFINED", "ND"),
];
pub(super) const V2_PROPS: PropTable = &[
    (
        "accessVector",
        "AV",
        &[("NETWORK", "N"), ("ADJACENT_NETWORK", "A"), ("LOCAL", "L")],
    ),
    (
        "accessComplexity",
        "AC",
        &[("HIGH", "H"), ("MEDIUM", "M"), ("LOW", "L")],
    ),
    (
        "authentication",
        "Au",
        &[("MULTIPLE", "M"), ("SINGLE", "S"), ("NONE", "N")],
    ),
    ("confidentialityImpact", "C", IMPACT2),
    ("integrityImpact", "I", IMPACT2),
    ("availabilityImpact", "A", IMPACT2),
    (
        "exploitability",
        "E",
        &[
            ("UNPROVEN", "U"),
            ("PROOF_OF_CONCEPT", "POC"),
            ("FUNCTIONAL", "F"),
            ("HIGH", "H"),
            ("NOT_DEFINED", "ND"),
        ],
    ),
    (
        "remediationLevel",
        "RL",
        &[
            ("OFFICIAL_FIX", "OF"),
            ("TEMPORARY_FIX", "TF"),
            ("WORKAROUND", "W"),
            ("UNAVAILABLE", "U"),
            ("NOT_DEFINED", "ND"),
        ],
    ),
    (
        "reportConfidence",
        "RC",
        &[
            ("UNCONFIRMED", "UC"),
            ("UNCORROBORATED", "UR"),
            ("CONFIRMED", "C"),
            ("NOT_DEFINED", "ND"),
        ],
    ),
    (
        "collateralDamagePotential",
        "CDP",
        &[
            ("NONE", "N"),
            ("LOW", "L"),
            ("LOW_MEDIUM", "LM"),
            ("MEDIUM_HIGH", "MH"),
            ("HIGH", "H"),
            ("NOT_DEFINED", "ND"),
        ],
    ),
    (
        "targetDistribution",
        "TD",
        &[
            ("NONE", "N"),
            ("LOW", "L"),
            ("MEDIUM", "M"),
            ("HIGH", "H"),
            ("NOT_DEFINED", "ND"),
        ],
    ),
    ("confidentialityRequirement", "CR", REQ2),
    ("integrityRequirement", "IR", REQ2),
    ("availabilityRequirement", "AR", REQ2),
];
pub(super) const V2_BASE: &[&str] = &["AV", "AC", "Au", "C", "I", "A"];
