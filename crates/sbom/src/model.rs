//! The component model shared by every SBOM format.

use std::collections::BTreeMap;
use std::fmt;

use medvigil_ident::{Cpe, Purl};

/// Which format (and serialisation) a document was read from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Format {
    /// CycloneDX, JSON.
    CycloneDxJson,
    /// CycloneDX, XML.
    CycloneDxXml,
    /// SPDX 2.x, JSON.
    SpdxJson,
    /// SPDX 2.x, tag-value.
    SpdxTagValue,
    /// OpenVEX (JSON-LD).
    OpenVex,
    /// CSAF 2.0 with the VEX profile.
    CsafVex,
}

impl Format {
    /// A short name (`cyclonedx-json`, `spdx-tag-value`…).
    pub fn as_str(self) -> &'static str {
        match self {
            Self::CycloneDxJson => "cyclonedx-json",
            Self::CycloneDxXml => "cyclonedx-xml",
            Self::SpdxJson => "spdx-json",
            Self::SpdxTagValue => "spdx-tag-value",
            Self::OpenVex => "openvex",
            Self::CsafVex => "csaf-vex",
        }
    }
}

impl fmt::Display for Format {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// An identifier as written, with its parsed form when it parses
/// (a bad purl or CPE in a real SBOM is kept, with a diagnostic).
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct Identifier<T> {
    /// The string as written in the document.
    pub raw: String,
    /// The parsed identifier, `None` when it does not parse.
    pub parsed: Option<T>,
}

impl Identifier<Purl> {
    /// Parses a purl, keeping the raw string either way.
    pub fn purl(raw: &str) -> Self {
        Identifier {
            raw: raw.to_owned(),
            parsed: Purl::parse(raw).ok(),
        }
    }
}

impl Identifier<Cpe> {
    /// Parses a CPE (2.3 formatted string or 2.2 URI), keeping the raw string.
    pub fn cpe(raw: &str) -> Self {
        Identifier {
            raw: raw.to_owned(),
            parsed: Cpe::parse(raw).ok(),
        }
    }
}

/// A software bill of materials, whatever its format.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct Sbom {
    /// Format read.
    pub format: Format,
    /// Spec version (`1.6`, `SPDX-2.3`…).
    pub spec_version: String,
    /// CycloneDX `serialNumber` or SPDX `documentNamespace`.
    pub serial: Option<String>,
    /// CycloneDX `version` (BOM revision); `None` for SPDX.
    pub version: Option<u64>,
    /// Document name (SPDX `name`, CycloneDX metadata component name).
    pub name: Option<String>,
    /// Creation time as written (CycloneDX `metadata.timestamp`, SPDX `creationInfo.created`).
    pub timestamp: Option<String>,
    /// What the BOM describes (CycloneDX `metadata.component`; SPDX: the
    /// package the document DESCRIBES when there is exactly one).
    pub metadata_component: Option<Component>,
    /// Every component, nested ones flattened (see [`Component::parent`]).
    pub components: Vec<Component>,
    /// Dependency graph: from a component reference to its edges.
    pub dependencies: BTreeMap<String, Vec<Edge>>,
}

impl Sbom {
    /// The component with this reference (`bom-ref` / `SPDXID`).
    pub fn component(&self, reference: &str) -> Option<&Component> {
        self.components
            .iter()
            .chain(self.metadata_component.as_ref())
            .find(|c| c.bom_ref.as_deref() == Some(reference))
    }
}

/// One edge of the dependency graph.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
#[non_exhaustive]
pub struct Edge {
    /// The reference the edge points to.
    pub to: String,
    /// What the edge says.
    pub relationship: Relationship,
}

/// The kind of an edge (CycloneDX `dependencies` are all `DependsOn`;
/// SPDX relationships are normalised so that the edge goes from the
/// dependent/container/describer: `DEPENDENCY_OF` becomes `DependsOn`
/// reversed, and so on).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
#[non_exhaustive]
pub enum Relationship {
    /// `from` needs `to`.
    DependsOn,
    /// `from` contains `to`.
    Contains,
    /// The document (or `from`) describes `to`.
    Describes,
    /// Any other SPDX relationship type, as written, in its written direction.
    Other(String),
}

impl fmt::Display for Relationship {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::DependsOn => f.write_str("DEPENDS_ON"),
            Self::Contains => f.write_str("CONTAINS"),
            Self::Describes => f.write_str("DESCRIBES"),
            Self::Other(s) => f.write_str(s),
        }
    }
}

/// A component (CycloneDX `component`, SPDX package or file).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
#[non_exhaustive]
pub struct Component {
    /// CycloneDX `bom-ref` or SPDX `SPDXID`.
    pub bom_ref: Option<String>,
    /// Component type.
    pub kind: ComponentType,
    /// CycloneDX `group` (namespace).
    pub group: Option<String>,
    /// Name.
    pub name: String,
    /// Version as written.
    pub version: Option<String>,
    /// Package URL.
    pub purl: Option<Identifier<Purl>>,
    /// CPE name.
    pub cpe: Option<Identifier<Cpe>>,
    /// Hashes / checksums.
    pub hashes: Vec<Hash>,
    /// Supplier (CycloneDX `supplier.name`, SPDX `supplier` without its
    /// `Organization:`/`Person:` prefix).
    pub supplier: Option<String>,
    /// License ids, names or expressions as written.
    pub licenses: Vec<String>,
    /// Index in [`Sbom::components`] of the component this one is nested in.
    pub parent: Option<usize>,
}

/// The type of a component (CycloneDX `component.type`; SPDX
/// `primaryPackagePurpose`, files are [`ComponentType::File`]).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
#[non_exhaustive]
pub enum ComponentType {
    /// `application`.
    Application,
    /// `framework`.
    Framework,
    /// `library`.
    #[default]
    Library,
    /// `container`.
    Container,
    /// `platform`.
    Platform,
    /// `operating-system`.
    OperatingSystem,
    /// `device`.
    Device,
    /// `device-driver`.
    DeviceDriver,
    /// `firmware`.
    Firmware,
    /// `file`.
    File,
    /// `machine-learning-model`.
    MachineLearningModel,
    /// `data`.
    Data,
    /// `cryptographic-asset`.
    CryptographicAsset,
    /// Anything else, as written.
    Other(String),
}

impl ComponentType {
    /// From a CycloneDX type or SPDX purpose (case-insensitive, `_` = `-`).
    pub fn from_name(s: &str) -> Self {
        match s.to_ascii_lowercase().replace('_', "-").as_str() {
            "application" => Self::Application,
            "framework" => Self::Framework,
            "library" => Self::Library,
            "container" => Self::Container,
            "platform" => Self::Platform,
            "operating-system" => Self::OperatingSystem,
            "device" => Self::Device,
            "device-driver" => Self::DeviceDriver,
            "firmware" => Self::Firmware,
            "file" => Self::File,
            "machine-learning-model" => Self::MachineLearningModel,
            "data" => Self::Data,
            "cryptographic-asset" => Self::CryptographicAsset,
            _ => Self::Other(s.to_owned()),
        }
    }

    /// The CycloneDX spelling.
    pub fn as_str(&self) -> &str {
        match self {
            Self::Application => "application",
            Self::Framework => "framework",
            Self::Library => "library",
            Self::Container => "container",
            Self::Platform => "platform",
            Self::OperatingSystem => "operating-system",
            Self::Device => "device",
            Self::DeviceDriver => "device-driver",
            Self::Firmware => "firmware",
            Self::File => "file",
            Self::MachineLearningModel => "machine-learning-model",
            Self::Data => "data",
            Self::CryptographicAsset => "cryptographic-asset",
            Self::Other(s) => s,
        }
    }
}

/// A hash of a component.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct Hash {
    /// Algorithm, normalised to the CycloneDX spelling (`SHA-256`…); SPDX
    /// `SHA256` becomes `SHA-256`.
    pub alg: String,
    /// Hex digest, lower case.
    pub value: String,
}

impl Hash {
    /// A hash with the algorithm name normalised and the digest lower-cased.
    pub fn new(alg: &str, value: &str) -> Self {
        let up = alg.trim().to_ascii_uppercase();
        let alg = match up.as_str() {
            "SHA1" => "SHA-1".to_owned(),
            "SHA224" => "SHA-224".to_owned(),
            "SHA256" => "SHA-256".to_owned(),
            "SHA384" => "SHA-384".to_owned(),
            "SHA512" => "SHA-512".to_owned(),
            "SHA3-256" | "SHA3_256" => "SHA3-256".to_owned(),
            "SHA3-384" | "SHA3_384" => "SHA3-384".to_owned(),
            "SHA3-512" | "SHA3_512" => "SHA3-512".to_owned(),
            "BLAKE2B-256" => "BLAKE2b-256".to_owned(),
            "BLAKE2B-384" => "BLAKE2b-384".to_owned(),
            "BLAKE2B-512" => "BLAKE2b-512".to_owned(),
            _ => alg.trim().to_owned(),
        };
        Hash {
            alg,
            value: value.trim().to_ascii_lowercase(),
        }
    }
}
