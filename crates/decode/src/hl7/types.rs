//! The device-identifying data types of HL7 v2 (Chapter 2A data types).

use serde::Serialize;

/// HD data type: namespace ID ^ universal ID ^ universal ID type (§2.A.33).
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash, Serialize)]
pub struct HierarchicDesignator {
    /// HD.1 namespace ID.
    pub namespace_id: String,
    /// HD.2 universal ID.
    pub universal_id: Option<String>,
    /// HD.3 universal ID type.
    pub universal_id_type: Option<String>,
}

/// EI data type: entity identifier ^ namespace ^ universal ID ^ type (§2.A.28).
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash, Serialize)]
pub struct EntityIdentifier {
    /// EI.1 entity identifier.
    pub entity_identifier: String,
    /// EI.2 namespace ID.
    pub namespace_id: Option<String>,
    /// EI.3 universal ID.
    pub universal_id: Option<String>,
    /// EI.4 universal ID type.
    pub universal_id_type: Option<String>,
}

/// MSG data type of MSH-9: message code ^ trigger event ^ structure (§2.A.47).
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash, Serialize)]
pub struct MessageType {
    /// MSG.1 message code (e.g. `ADT`).
    pub code: String,
    /// MSG.2 trigger event (e.g. `A01`).
    pub trigger_event: Option<String>,
    /// MSG.3 message structure.
    pub structure: Option<String>,
}

/// Device fields of a PRT (participation information) segment, v2.8+ §7.4.4.
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash, Serialize)]
pub struct PrtDevice {
    /// PRT-10 participation device.
    pub participation_device: Option<EntityIdentifier>,
    /// PRT-16 UDI device identifier.
    pub udi_device_identifier: Option<EntityIdentifier>,
    /// PRT-17 device manufacture date.
    pub manufacture_date: Option<String>,
    /// PRT-18 device expiry date.
    pub expiry_date: Option<String>,
    /// PRT-19 device lot number.
    pub lot_number: Option<String>,
    /// PRT-20 device serial number.
    pub serial_number: Option<String>,
    /// PRT-22 device type (CWE.1 identifier ^ CWE.2 text, joined by `^`).
    pub device_type: Option<String>,
}

/// A device identifier carried by a message.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize)]
pub enum DeviceIdentifier {
    /// From a PRT segment.
    Prt(Box<PrtDevice>),
    /// From OBX-18 equipment instance identifier (§7.4.2.18).
    ObxEquipment(EntityIdentifier),
}

/// What medvigil keeps of an HL7 v2 message: MSH routing and device ids.
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash, Serialize)]
pub struct Hl7Message {
    /// MSH-3 sending application.
    pub sending_application: Option<HierarchicDesignator>,
    /// MSH-4 sending facility.
    pub sending_facility: Option<HierarchicDesignator>,
    /// MSH-5 receiving application.
    pub receiving_application: Option<HierarchicDesignator>,
    /// MSH-6 receiving facility.
    pub receiving_facility: Option<HierarchicDesignator>,
    /// MSH-9 message type.
    pub message_type: Option<MessageType>,
    /// MSH-10 message control ID.
    pub message_control_id: Option<String>,
    /// MSH-12 version ID (VID.1).
    pub version_id: Option<String>,
    /// Device identifiers from PRT and OBX-18, deduplicated.
    pub devices: Vec<DeviceIdentifier>,
}
