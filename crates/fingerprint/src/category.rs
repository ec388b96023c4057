//! Device categories a rule can assign.

use serde::Serialize;

macro_rules! categories {
    ($( $(#[$doc:meta])* $var:ident = $name:literal, )*) => {
        /// What kind of device an endpoint is (`then.category`).
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        #[non_exhaustive]
        pub enum Category {
            $( $(#[$doc])* $var, )*
        }

        impl Category {
            /// Every category.
            pub const ALL: &'static [Category] = &[$(Category::$var,)*];

            /// The name used in rule files and output.
            pub fn name(self) -> &'static str {
                match self { $(Category::$var => $name,)* }
            }

            /// The category with this name.
            pub fn from_name(name: &str) -> Option<Self> {
                match name { $($name => Some(Category::$var),)* _ => None }
            }
        }
    };
}

categories! {
    /// Imaging modality (CT, MR, US, X-ray, nuclear medicine, …).
    Imaging = "imaging",
    /// Image archive, PACS, DICOM toolkit server or viewer workstation.
    Pacs = "pacs",
    /// Infusion pump or pump server.
    Infusion = "infusion",
    /// Patient monitor or central station.
    PatientMonitor = "patient-monitor",
    /// Ventilator or anaesthesia machine.
    Ventilator = "ventilator",
    /// Laboratory analyser or middleware.
    Laboratory = "laboratory",
    /// Clinical information system, HL7 interface engine or EHR.
    ClinicalSystem = "clinical-system",
    /// A medical device whose kind is not known (vendor-level evidence).
    MedicalDevice = "medical-device",
    /// General-purpose computer.
    Workstation = "workstation",
    /// Server.
    Server = "server",
    /// Switch, router, access point or firewall.
    Network = "network",
    /// Printer.
    Printer = "printer",
    /// IP phone.
    Phone = "phone",
    /// Phone or tablet.
    Mobile = "mobile",
    /// Embedded or IoT device.
    Embedded = "embedded",
    /// Virtual machine.
    VirtualMachine = "virtual-machine",
}

impl Serialize for Category {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.name())
    }
}
