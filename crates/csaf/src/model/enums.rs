//! Closed vocabularies of CSAF 2.0 (the `enum`s of the JSON schema, spec
//! section 3.2), parsed leniently: a value outside the vocabulary is kept as
//! `Unknown` so that real documents still parse and round-trip, and the
//! validator reports it.

use serde::de::{self, Deserializer, Visitor};
use serde::ser::Serializer;
use serde::{Deserialize, Serialize};
use std::fmt;

/// Declares a string vocabulary with a lenient `Unknown(String)` fallback.
macro_rules! string_enum {
    ($(#[$meta:meta])* $name:ident { $($(#[$vmeta:meta])* $variant:ident => $text:literal),+ $(,)? }) => {
        $(#[$meta])*
        #[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
        #[non_exhaustive]
        pub enum $name {
            $($(#[$vmeta])* #[doc = concat!("`", $text, "`")] $variant,)+
            /// A value outside the vocabulary of the schema (kept verbatim).
            Unknown(String),
        }

        impl $name {
            /// Every value the schema allows, in schema order.
            pub const ALLOWED: &'static [&'static str] = &[$($text),+];

            /// The value as spelled in the document.
            pub fn as_str(&self) -> &str {
                match self {
                    $(Self::$variant => $text,)+
                    Self::Unknown(s) => s,
                }
            }

            /// Whether the value belongs to the schema's vocabulary.
            pub fn is_known(&self) -> bool {
                !matches!(self, Self::Unknown(_))
            }
        }

        impl From<&str> for $name {
            fn from(s: &str) -> Self {
                match s {
                    $($text => Self::$variant,)+
                    other => Self::Unknown(other.to_owned()),
                }
            }
        }

        impl Default for $name {
            fn default() -> Self {
                Self::Unknown(String::new())
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl Serialize for $name {
            fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                s.serialize_str(self.as_str())
            }
        }

        impl<'de> Deserialize<'de> for $name {
            fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                struct V;
                impl<'de> Visitor<'de> for V {
                    type Value = $name;
                    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                        f.write_str("a string")
                    }
                    fn visit_str<E: de::Error>(self, v: &str) -> Result<$name, E> {
                        Ok($name::from(v))
                    }
                }
                d.deserialize_str(V)
            }
        }
    };
}

string_enum! {
    /// `/document/publisher/category` (spec 3.2.1.8.1).
    PublisherCategory {
        Coordinator => "coordinator", Discoverer => "discoverer", Other => "other",
        Translator => "translator", User => "user", Vendor => "vendor",
    }
}

string_enum! {
    /// `/document/tracking/status` (spec 3.2.1.12.7).
    TrackingStatus { Draft => "draft", Final => "final", Interim => "interim" }
}

string_enum! {
    /// `/document/distribution/tlp/label` (spec 3.2.1.5.2.1), TLP v1 labels.
    TlpLabel { Amber => "AMBER", Green => "GREEN", Red => "RED", White => "WHITE" }
}

string_enum! {
    /// `notes_t` item category (spec 3.1.6).
    NoteCategory {
        Description => "description", Details => "details", Faq => "faq", General => "general",
        LegalDisclaimer => "legal_disclaimer", Other => "other", Summary => "summary",
    }
}

string_enum! {
    /// `references_t` item category (spec 3.1.9).
    ReferenceCategory { External => "external", SelfRef => "self" }
}

string_enum! {
    /// `branches_t` category (spec 3.1.2.1).
    BranchCategory {
        Architecture => "architecture", HostName => "host_name", Language => "language",
        Legacy => "legacy", PatchLevel => "patch_level", ProductFamily => "product_family",
        ProductName => "product_name", ProductVersion => "product_version",
        ProductVersionRange => "product_version_range", ServicePack => "service_pack",
        Specification => "specification", Vendor => "vendor",
    }
}

string_enum! {
    /// `/product_tree/relationships[]/category` (spec 3.2.2.4.1).
    RelationshipCategory {
        DefaultComponentOf => "default_component_of", ExternalComponentOf => "external_component_of",
        InstalledOn => "installed_on", InstalledWith => "installed_with",
        OptionalComponentOf => "optional_component_of",
    }
}

string_enum! {
    /// `/vulnerabilities[]/remediations[]/category` (spec 3.2.3.12.1).
    RemediationCategory {
        Mitigation => "mitigation", NoFixPlanned => "no_fix_planned",
        NoneAvailable => "none_available", VendorFix => "vendor_fix", Workaround => "workaround",
    }
}

string_enum! {
    /// `/vulnerabilities[]/remediations[]/restart_required/category` (spec 3.2.3.12.7.1).
    RestartCategory {
        Connected => "connected", Dependencies => "dependencies", Machine => "machine",
        None => "none", Parent => "parent", Service => "service", System => "system",
        VulnerableComponent => "vulnerable_component", Zone => "zone",
    }
}

string_enum! {
    /// `/vulnerabilities[]/threats[]/category` (spec 3.2.3.14.1).
    ThreatCategory { ExploitStatus => "exploit_status", Impact => "impact", TargetSet => "target_set" }
}

string_enum! {
    /// `/vulnerabilities[]/flags[]/label`: the VEX justification codes (spec 3.2.3.5).
    FlagLabel {
        ComponentNotPresent => "component_not_present",
        InlineMitigationsAlreadyExist => "inline_mitigations_already_exist",
        VulnerableCodeCannotBeControlledByAdversary => "vulnerable_code_cannot_be_controlled_by_adversary",
        VulnerableCodeNotInExecutePath => "vulnerable_code_not_in_execute_path",
        VulnerableCodeNotPresent => "vulnerable_code_not_present",
    }
}

string_enum! {
    /// `/vulnerabilities[]/involvements[]/party` (spec 3.2.3.7.2).
    InvolvementParty {
        Coordinator => "coordinator", Discoverer => "discoverer", Other => "other",
        User => "user", Vendor => "vendor",
    }
}

string_enum! {
    /// `/vulnerabilities[]/involvements[]/status` (spec 3.2.3.7.3).
    InvolvementStatus {
        Completed => "completed", ContactAttempted => "contact_attempted", Disputed => "disputed",
        InProgress => "in_progress", NotContacted => "not_contacted", Open => "open",
    }
}
