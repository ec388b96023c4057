//! Which CSV column holds which device field: from a mapping file, or
//! recognised from the headers that CMMS exports commonly use.

use std::collections::BTreeMap;

use medvigil_model::DeviceField;
use serde::Deserialize;

use crate::Encoding;

/// A mapping file (TOML):
///
/// ```toml
/// [columns]
/// "Equipment No." = "asset_tag"
/// "Mfr" = "vendor"
///
/// [options]
/// delimiter = ";"
/// encoding = "windows-1252"
/// auto_detect = true   # map the remaining headers automatically
/// ```
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MappingFile {
    /// Header → field name.
    #[serde(default)]
    pub columns: BTreeMap<String, String>,
    /// Reading options.
    #[serde(default)]
    pub options: MappingOptions,
}

/// The `[options]` table of a mapping file.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MappingOptions {
    /// Field delimiter (one character); detected when absent.
    pub delimiter: Option<char>,
    /// Character encoding.
    #[serde(default)]
    pub encoding: Encoding,
    /// Whether headers not in `[columns]` are recognised automatically.
    #[serde(default = "yes")]
    pub auto_detect: bool,
}

fn yes() -> bool {
    true
}

impl Default for MappingOptions {
    fn default() -> Self {
        Self {
            delimiter: None,
            encoding: Encoding::Auto,
            auto_detect: true,
        }
    }
}

/// Why a mapping file is not usable.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum MappingError {
    /// Not valid TOML or not of the expected shape.
    #[error("mapping file is not valid: {0}")]
    Toml(String),
    /// A column is mapped to a field that does not exist.
    #[error("column '{column}' is mapped to unknown field '{field}' (known: {known})")]
    UnknownField {
        /// The CSV header.
        column: String,
        /// The unknown field name.
        field: String,
        /// The known field names.
        known: String,
    },
}

impl MappingFile {
    /// Parses a mapping file's text.
    ///
    /// # Errors
    /// When the TOML is invalid or names an unknown field.
    pub fn parse(text: &str) -> Result<Self, MappingError> {
        let file: Self = toml::from_str(text).map_err(|e| MappingError::Toml(e.to_string()))?;
        for (column, field) in &file.columns {
            if field.parse::<DeviceField>().is_err() {
                let known = DeviceField::ALL
                    .iter()
                    .map(|f| f.as_str())
                    .collect::<Vec<_>>()
                    .join(", ");
                return Err(MappingError::UnknownField {
                    column: column.clone(),
                    field: field.clone(),
                    known,
                });
            }
        }
        Ok(file)
    }
}

/// The resolved mapping for one file: for each column index, its field.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ColumnMapping {
    /// `(column index, header, field)` for the mapped columns.
    pub columns: Vec<(usize, String, DeviceField)>,
    /// Headers that map to no field and are ignored.
    pub ignored: Vec<String>,
}

/// Folds a header for comparison: lower case, letters and digits only, so
/// "Serial No." and "serial_no" compare equal. Accents are dropped for the
/// French and German exports.
fn fold(s: &str) -> String {
    s.chars()
        .map(|c| match c {
            'é' | 'è' | 'ê' | 'ë' | 'É' | 'È' => 'e',
            'à' | 'â' | 'ä' | 'À' => 'a',
            'ô' | 'ö' => 'o',
            'û' | 'ü' | 'ù' => 'u',
            'î' | 'ï' => 'i',
            'ç' => 'c',
            c => c,
        })
        .filter(char::is_ascii_alphanumeric)
        .map(|c| c.to_ascii_lowercase())
        .collect()
}

/// Header names seen in CMMS exports (English, French, German), by field.
const SYNONYMS: &[(DeviceField, &[&str])] = &[
    (
        DeviceField::Vendor,
        &[
            "vendor",
            "manufacturer",
            "make",
            "mfr",
            "brand",
            "fabricant",
            "hersteller",
            "marque",
        ],
    ),
    (
        DeviceField::Model,
        &[
            "model",
            "modelname",
            "modelnumber",
            "modelno",
            "modele",
            "modell",
            "reference",
        ],
    ),
    (
        DeviceField::Serial,
        &[
            "serial",
            "serialnumber",
            "serialno",
            "sn",
            "numerodeserie",
            "nserie",
            "seriennummer",
        ],
    ),
    (
        DeviceField::AssetTag,
        &[
            "assettag",
            "asset",
            "assetid",
            "assetnumber",
            "assetno",
            "inventorynumber",
            "equipmentid",
            "equipmentnumber",
            "equipmentno",
            "controlnumber",
            "tag",
            "ninventaire",
            "numeroinventaire",
            "inventarnummer",
        ],
    ),
    (
        DeviceField::UdiDi,
        &["udi", "udidi", "gtin", "deviceidentifier"],
    ),
    (
        DeviceField::SoftwareVersion,
        &[
            "softwareversion",
            "swversion",
            "software",
            "version",
            "sw",
            "versionlogicielle",
            "logiciel",
            "softwarestand",
        ],
    ),
    (
        DeviceField::FirmwareVersion,
        &["firmwareversion", "firmware", "fw", "fwversion"],
    ),
    (
        DeviceField::Category,
        &[
            "category",
            "devicetype",
            "equipmenttype",
            "type",
            "devicecategory",
            "categorie",
            "geratetyp",
            "typedequipement",
        ],
    ),
    (
        DeviceField::EuClass,
        &[
            "euclass",
            "mdrclass",
            "class",
            "riskclass",
            "classe",
            "classemdr",
            "risikoklasse",
        ],
    ),
    (DeviceField::FdaClass, &["fdaclass"]),
    (
        DeviceField::Criticality,
        &[
            "criticality",
            "clinicalcriticality",
            "criticite",
            "kritikalitat",
        ],
    ),
    (
        DeviceField::OwnerTeam,
        &[
            "owner",
            "ownerteam",
            "responsibleteam",
            "responsible",
            "team",
            "equipe",
        ],
    ),
    (
        DeviceField::Site,
        &[
            "site",
            "hospital",
            "facility",
            "campus",
            "etablissement",
            "standort",
        ],
    ),
    (DeviceField::Building, &["building", "batiment", "gebaude"]),
    (
        DeviceField::Ward,
        &[
            "ward",
            "department",
            "dept",
            "unit",
            "service",
            "station",
            "abteilung",
        ],
    ),
    (DeviceField::Room, &["room", "chambre", "salle", "raum"]),
    (DeviceField::Bed, &["bed", "bay", "lit", "bett"]),
    (
        DeviceField::Mac,
        &[
            "mac",
            "macaddress",
            "macaddr",
            "hardwareaddress",
            "adressemac",
        ],
    ),
    (
        DeviceField::Ip,
        &["ip", "ipaddress", "ipv4", "ipaddr", "adresseip"],
    ),
    (DeviceField::Vlan, &["vlan", "vlanid"]),
    (
        DeviceField::Hostname,
        &["hostname", "host", "dnsname", "networkname", "nomdhote"],
    ),
    (
        DeviceField::EndOfSupport,
        &[
            "endofsupport",
            "eos",
            "endoflife",
            "eol",
            "endofservice",
            "supportend",
            "findesupport",
            "supportende",
        ],
    ),
    (
        DeviceField::Patchable,
        &[
            "patchable",
            "canbepatched",
            "updatable",
            "patchallowed",
            "patchok",
        ],
    ),
];

/// The field a header names, if it is a known one.
pub(crate) fn detect(header: &str) -> Option<DeviceField> {
    let f = fold(header);
    if let Ok(field) = header.trim().parse::<DeviceField>() {
        return Some(field);
    }
    SYNONYMS
        .iter()
        .find(|(_, names)| names.contains(&f.as_str()))
        .map(|(field, _)| *field)
}

impl ColumnMapping {
    /// Resolves the mapping for `headers` from `file` (explicit entries first,
    /// then auto-detection if enabled). A field claimed by two columns goes to
    /// the first; the second is ignored, so that e.g. "Version" never
    /// overrides an explicit "Software version".
    pub fn resolve(headers: &[String], file: &MappingFile) -> Self {
        let mut mapping = Self::default();
        let explicit: BTreeMap<String, DeviceField> = file
            .columns
            .iter()
            .filter_map(|(h, f)| Some((fold(h), f.parse().ok()?)))
            .collect();
        let mut taken = Vec::new();
        // Explicit mappings claim their fields before any detected header can.
        for (i, h) in headers.iter().enumerate() {
            if let Some(&field) = explicit.get(&fold(h)) {
                taken.push(field);
                mapping.columns.push((i, h.clone(), field));
            }
        }
        for (i, h) in headers.iter().enumerate() {
            if explicit.contains_key(&fold(h)) {
                continue;
            }
            match detect(h).filter(|f| file.options.auto_detect && !taken.contains(f)) {
                Some(field) => {
                    taken.push(field);
                    mapping.columns.push((i, h.clone(), field));
                }
                None => mapping.ignored.push(h.clone()),
            }
        }
        mapping.columns.sort_by_key(|c| c.0);
        mapping
    }

    /// The column index of `field`, if mapped.
    pub fn column_of(&self, field: DeviceField) -> Option<usize> {
        self.columns.iter().find(|c| c.2 == field).map(|c| c.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn detects_common_headers() {
        for (h, f) in [
            ("Serial No.", DeviceField::Serial),
            ("Manufacturer", DeviceField::Vendor),
            ("MAC Address", DeviceField::Mac),
            ("N° inventaire", DeviceField::AssetTag),
            ("Numéro de série", DeviceField::Serial),
            ("End of Support", DeviceField::EndOfSupport),
            ("eu_class", DeviceField::EuClass),
        ] {
            assert_eq!(detect(h), Some(f), "{h}");
        }
        assert_eq!(detect("Purchase price"), None);
    }

    #[test]
    fn explicit_mapping_wins_and_fields_are_claimed_once() {
        let file = MappingFile::parse(
            "[columns]\n\"Equip #\" = \"asset_tag\"\n\"Version\" = \"firmware_version\"\n",
        )
        .unwrap_or_default();
        let headers: Vec<String> = ["Equip #", "Software", "Version", "Cost"]
            .map(String::from)
            .to_vec();
        let m = ColumnMapping::resolve(&headers, &file);
        assert_eq!(m.column_of(DeviceField::AssetTag), Some(0));
        assert_eq!(m.column_of(DeviceField::SoftwareVersion), Some(1));
        assert_eq!(m.column_of(DeviceField::FirmwareVersion), Some(2));
        assert_eq!(m.ignored, vec!["Cost".to_owned()]);
    }

    #[test]
    fn mapping_file_errors_name_the_column() {
        let e = MappingFile::parse("[columns]\nFoo = \"serail\"\n").unwrap_err();
        assert!(
            e.to_string()
                .contains("column 'Foo' is mapped to unknown field 'serail'"),
            "{e}"
        );
        assert!(MappingFile::parse("[colums]\n").is_err());
    }
}
