//! Medical devices: the inventory record and its fields.

use std::fmt;
use std::net::IpAddr;
use std::str::FromStr;

use serde::{Deserialize, Serialize};
use time::{Date, OffsetDateTime};

use crate::{
    Category, Criticality, DeviceId, EuClass, FdaClass, FieldSources, Hostname, MacAddr, UdiDi,
    VlanId,
};

/// Where a device is: site / building / ward / room / bed.
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Location {
    /// The site (hospital) by name.
    pub site: Option<String>,
    /// Building.
    pub building: Option<String>,
    /// Ward or department.
    pub ward: Option<String>,
    /// Room.
    pub room: Option<String>,
    /// Bed or bay.
    pub bed: Option<String>,
}

/// The error for one field value that does not parse.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("{field}: {reason}")]
pub struct FieldError {
    /// The field.
    pub field: DeviceField,
    /// Why the value is not acceptable.
    pub reason: String,
}

/// Parses a yes/no cell the way CMMS exports write it.
fn parse_bool(s: &str) -> Result<bool, String> {
    match s.trim().to_ascii_lowercase().as_str() {
        "yes" | "y" | "true" | "1" | "oui" | "ja" | "x" => Ok(true),
        "no" | "n" | "false" | "0" | "non" | "nein" => Ok(false),
        _ => Err(format!("'{s}' is not yes/no")),
    }
}

/// Parses a date: ISO `2027-12-31`, day-first `31/12/2027` or `31.12.2027`,
/// month `2027-12` (first day), or a year `2027` (last day).
fn parse_date(s: &str) -> Result<Date, String> {
    let s = s.trim();
    let bad = || format!("'{s}' is not a date (use YYYY-MM-DD)");
    let nums: Vec<&str> = s.split(['-', '/', '.']).collect();
    let num = |t: &str| t.parse::<i32>().map_err(|_| bad());
    let (y, m, d) = match nums.as_slice() {
        [y] if y.len() == 4 => (num(y)?, 12, 31),
        [y, m] if y.len() == 4 => (num(y)?, num(m)?, 1),
        [y, m, d] if y.len() == 4 => (num(y)?, num(m)?, num(d)?),
        [d, m, y] if y.len() == 4 => (num(y)?, num(m)?, num(d)?),
        _ => return Err(bad()),
    };
    let month = u8::try_from(m)
        .ok()
        .and_then(|m| time::Month::try_from(m).ok())
        .ok_or_else(bad)?;
    let day = u8::try_from(d).map_err(|_| bad())?;
    Date::from_calendar_date(y, month, day).map_err(|_| bad())
}

macro_rules! device_fields {
    ($($variant:ident => $name:literal, $doc:literal;)*) => {
        /// A field of a device record: the unit of provenance and of column mapping.
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
        #[serde(rename_all = "snake_case")]
        pub enum DeviceField {
            $(#[doc = $doc] $variant,)*
        }

        impl DeviceField {
            /// Every field, in export order.
            pub const ALL: &'static [Self] = &[$(Self::$variant),*];

            /// The stable snake_case name (CSV header, JSON key).
            pub const fn as_str(self) -> &'static str {
                match self { $(Self::$variant => $name,)* }
            }
        }

        impl FromStr for DeviceField {
            type Err = crate::ParseEnumError;
            fn from_str(s: &str) -> Result<Self, Self::Err> {
                match s {
                    $($name => Ok(Self::$variant),)*
                    _ => Err(crate::ParseEnumError {
                        what: "device field",
                        value: s.to_owned(),
                        expected: concat!($($name, " "),*),
                    }),
                }
            }
        }
    };
}

device_fields! {
    Vendor => "vendor", "Manufacturer name.";
    Model => "model", "Model name or number.";
    Serial => "serial", "Manufacturer serial number.";
    AssetTag => "asset_tag", "The hospital's asset tag / inventory number.";
    UdiDi => "udi_di", "UDI device identifier.";
    SoftwareVersion => "software_version", "Application software version.";
    FirmwareVersion => "firmware_version", "Firmware version.";
    Category => "category", "Device category.";
    EuClass => "eu_class", "EU MDR class.";
    FdaClass => "fda_class", "FDA class.";
    Criticality => "criticality", "Clinical criticality.";
    OwnerTeam => "owner_team", "Team that owns the device (biomedical, IT …).";
    Site => "site", "Site name.";
    Building => "building", "Building.";
    Ward => "ward", "Ward or department.";
    Room => "room", "Room.";
    Bed => "bed", "Bed or bay.";
    Mac => "mac", "MAC address of the main interface.";
    Ip => "ip", "IP address of the main interface.";
    Vlan => "vlan", "VLAN of the main interface.";
    Hostname => "hostname", "Host name.";
    EndOfSupport => "end_of_support", "Date the manufacturer stops supporting it.";
    Patchable => "patchable", "Whether software updates can be applied.";
}

impl fmt::Display for DeviceField {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The descriptive fields of a device, every one optional: what an import,
/// a discovery or a person says about it.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct DeviceFields {
    /// Manufacturer.
    pub vendor: Option<String>,
    /// Model.
    pub model: Option<String>,
    /// Serial number.
    pub serial: Option<String>,
    /// Asset tag.
    pub asset_tag: Option<String>,
    /// UDI-DI.
    pub udi_di: Option<UdiDi>,
    /// Software version.
    pub software_version: Option<String>,
    /// Firmware version.
    pub firmware_version: Option<String>,
    /// Category.
    pub category: Option<Category>,
    /// EU MDR class.
    pub eu_class: Option<EuClass>,
    /// FDA class.
    pub fda_class: Option<FdaClass>,
    /// Clinical criticality.
    pub criticality: Option<Criticality>,
    /// Owning team.
    pub owner_team: Option<String>,
    /// Location.
    #[serde(flatten)]
    pub location: Location,
    /// MAC address.
    pub mac: Option<MacAddr>,
    /// IP address.
    pub ip: Option<IpAddr>,
    /// VLAN.
    pub vlan: Option<VlanId>,
    /// Host name.
    pub hostname: Option<Hostname>,
    /// End of support.
    pub end_of_support: Option<Date>,
    /// Patchable.
    pub patchable: Option<bool>,
}

/// Applies `$body` to the field named by `$field`, borrowed from `$self` as
/// `&Option<T>` (`[]`) or `&mut Option<T>` (`[mut]`).
macro_rules! with_field {
    ($self:expr, $field:expr, [$($m:tt)?] |$v:ident| $body:expr) => {
        match $field {
            DeviceField::Vendor => { let $v = &$($m)? $self.vendor; $body }
            DeviceField::Model => { let $v = &$($m)? $self.model; $body }
            DeviceField::Serial => { let $v = &$($m)? $self.serial; $body }
            DeviceField::AssetTag => { let $v = &$($m)? $self.asset_tag; $body }
            DeviceField::UdiDi => { let $v = &$($m)? $self.udi_di; $body }
            DeviceField::SoftwareVersion => { let $v = &$($m)? $self.software_version; $body }
            DeviceField::FirmwareVersion => { let $v = &$($m)? $self.firmware_version; $body }
            DeviceField::Category => { let $v = &$($m)? $self.category; $body }
            DeviceField::EuClass => { let $v = &$($m)? $self.eu_class; $body }
            DeviceField::FdaClass => { let $v = &$($m)? $self.fda_class; $body }
            DeviceField::Criticality => { let $v = &$($m)? $self.criticality; $body }
            DeviceField::OwnerTeam => { let $v = &$($m)? $self.owner_team; $body }
            DeviceField::Site => { let $v = &$($m)? $self.location.site; $body }
            DeviceField::Building => { let $v = &$($m)? $self.location.building; $body }
            DeviceField::Ward => { let $v = &$($m)? $self.location.ward; $body }
            DeviceField::Room => { let $v = &$($m)? $self.location.room; $body }
            DeviceField::Bed => { let $v = &$($m)? $self.location.bed; $body }
            DeviceField::Mac => { let $v = &$($m)? $self.mac; $body }
            DeviceField::Ip => { let $v = &$($m)? $self.ip; $body }
            DeviceField::Vlan => { let $v = &$($m)? $self.vlan; $body }
            DeviceField::Hostname => { let $v = &$($m)? $self.hostname; $body }
            DeviceField::EndOfSupport => { let $v = &$($m)? $self.end_of_support; $body }
            DeviceField::Patchable => { let $v = &$($m)? $self.patchable; $body }
        }
    };
}

/// Parses `text` into a field's type.
trait FieldValue: Sized {
    fn parse_field(text: &str) -> Result<Self, String>;
    fn render(&self) -> String;
}

macro_rules! field_value_via_fromstr {
    ($($t:ty),*) => {$(
        impl FieldValue for $t {
            fn parse_field(text: &str) -> Result<Self, String> {
                text.trim().parse::<$t>().map_err(|e| format!("'{}': {e}", text.trim()))
            }
            fn render(&self) -> String {
                self.to_string()
            }
        }
    )*};
}
field_value_via_fromstr!(
    UdiDi,
    Category,
    EuClass,
    FdaClass,
    Criticality,
    MacAddr,
    IpAddr,
    VlanId,
    Hostname
);

impl FieldValue for String {
    fn parse_field(text: &str) -> Result<Self, String> {
        Ok(text.trim().to_owned())
    }
    fn render(&self) -> String {
        self.clone()
    }
}
impl FieldValue for Date {
    fn parse_field(text: &str) -> Result<Self, String> {
        parse_date(text)
    }
    fn render(&self) -> String {
        self.to_string()
    }
}
impl FieldValue for bool {
    fn parse_field(text: &str) -> Result<Self, String> {
        parse_bool(text)
    }
    fn render(&self) -> String {
        if *self { "yes" } else { "no" }.to_owned()
    }
}

impl DeviceFields {
    /// Sets `field` from its text form; blank text clears nothing and is accepted.
    ///
    /// # Errors
    /// When the text is not a valid value of the field ("invalid MAC" …).
    pub fn set_text(&mut self, field: DeviceField, text: &str) -> Result<(), FieldError> {
        if text.trim().is_empty() {
            return Ok(());
        }
        with_field!(self, field, [mut] |slot| {
            *slot = Some(FieldValue::parse_field(text).map_err(|reason| FieldError { field, reason })?);
            Ok(())
        })
    }

    /// Unsets `field`.
    pub fn clear(&mut self, field: DeviceField) {
        with_field!(self, field, [mut] |slot| *slot = None)
    }

    /// The text form of `field`, or `None` when unset.
    pub fn text(&self, field: DeviceField) -> Option<String> {
        with_field!(
            self,
            field,
            [] | slot | slot.as_ref().map(FieldValue::render)
        )
    }

    /// Copies every field that `incoming` sets and that differs from ours;
    /// returns the fields that changed. Unset fields of `incoming` never erase ours.
    pub fn merge_from(&mut self, incoming: &Self) -> Vec<DeviceField> {
        let mut changed = Vec::new();
        macro_rules! merge {
            ($($variant:ident => $($path:ident).+;)*) => {$(
                if let Some(v) = &incoming.$($path).+ {
                    if self.$($path).+.as_ref() != Some(v) {
                        self.$($path).+ = Some(v.clone());
                        changed.push(DeviceField::$variant);
                    }
                }
            )*};
        }
        merge! {
            Vendor => vendor; Model => model; Serial => serial; AssetTag => asset_tag;
            UdiDi => udi_di; SoftwareVersion => software_version;
            FirmwareVersion => firmware_version; Category => category; EuClass => eu_class;
            FdaClass => fda_class; Criticality => criticality; OwnerTeam => owner_team;
            Site => location.site; Building => location.building; Ward => location.ward;
            Room => location.room; Bed => location.bed; Mac => mac; Ip => ip; Vlan => vlan;
            Hostname => hostname; EndOfSupport => end_of_support; Patchable => patchable;
        }
        changed
    }

    /// The fields that are set.
    pub fn set_fields(&self) -> Vec<DeviceField> {
        DeviceField::ALL
            .iter()
            .copied()
            .filter(|&f| with_field!(self, f, [] | slot | slot.is_some()))
            .collect()
    }
}

/// A device in the inventory.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Device {
    /// Identifier.
    pub id: DeviceId,
    /// What is known about it.
    #[serde(flatten)]
    pub fields: DeviceFields,
    /// Which provenance record set each field.
    pub sources: FieldSources,
    /// When it was first recorded or seen.
    #[serde(with = "time::serde::rfc3339")]
    pub first_seen: OffsetDateTime,
    /// When it was last recorded or seen.
    #[serde(with = "time::serde::rfc3339")]
    pub last_seen: OffsetDateTime,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn set_text_parses_and_names_field() {
        let mut d = DeviceFields::default();
        assert!(d.set_text(DeviceField::Mac, "00-1A-2B-3C-4D-5E").is_ok());
        assert!(d.set_text(DeviceField::EuClass, "Class IIb").is_ok());
        assert!(d.set_text(DeviceField::EndOfSupport, "31/12/2027").is_ok());
        assert!(d.set_text(DeviceField::Patchable, "No").is_ok());
        assert_eq!(
            d.text(DeviceField::Mac).as_deref(),
            Some("00:1a:2b:3c:4d:5e")
        );
        assert_eq!(
            d.text(DeviceField::EndOfSupport).as_deref(),
            Some("2027-12-31")
        );
        assert_eq!(d.patchable, Some(false));
        let e = d.set_text(DeviceField::Mac, "00:1A:2B").unwrap_err();
        assert_eq!(e.field, DeviceField::Mac);
        assert!(e.to_string().starts_with("mac: '00:1A:2B'"), "{e}");
        assert!(d.set_text(DeviceField::EndOfSupport, "2027-02-30").is_err());
    }

    #[test]
    fn merge_reports_changed_fields_only() {
        let mut a = DeviceFields {
            vendor: Some("B. Braun".into()),
            model: Some("Space".into()),
            ..Default::default()
        };
        let b = DeviceFields {
            model: Some("Space".into()),
            software_version: Some("9.33".into()),
            ..Default::default()
        };
        assert_eq!(a.merge_from(&b), vec![DeviceField::SoftwareVersion]);
        assert_eq!(a.vendor.as_deref(), Some("B. Braun"));
        assert_eq!(a.merge_from(&b), vec![]);
    }

    #[test]
    fn every_field_round_trips_through_text() {
        let mut d = DeviceFields::default();
        let samples = [
            "Philips",
            "IntelliVue MX800",
            "SN1",
            "AT-1",
            "09506000134352",
            "M.00.03",
            "1.2",
            "patient-monitor",
            "IIb",
            "II",
            "monitoring",
            "biomedical",
            "North",
            "A",
            "ICU",
            "101",
            "3",
            "00:1a:2b:3c:4d:5e",
            "10.1.2.3",
            "120",
            "mon-1",
            "2030-01-01",
            "yes",
        ];
        for (f, s) in DeviceField::ALL.iter().zip(samples) {
            d.set_text(*f, s).unwrap_or_else(|e| panic!("{e}"));
            assert_eq!(d.text(*f).as_deref(), Some(s), "{f}");
        }
        assert_eq!(d.set_fields().len(), DeviceField::ALL.len());
    }
}
