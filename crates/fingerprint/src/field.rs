//! The observed fields a rule can test, and how they are read from
//! [`Observation`]s. Each value is attributed to the endpoint it describes.

use std::fmt;

use medvigil_capture::{EndpointKey, Fact, Observation};
use medvigil_decode::dicom::SystemKind;
use medvigil_decode::hl7::DeviceIdentifier;
use serde::Serialize;

macro_rules! fields {
    ($( $(#[$doc:meta])* $var:ident = $name:literal, )*) => {
        /// An observed field a rule condition can test (`when.<name>`).
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        #[non_exhaustive]
        pub enum Field {
            $( $(#[$doc])* $var, )*
        }

        impl Field {
            /// Every field, in the order conditions are anchored.
            pub const ALL: &'static [Field] = &[$(Field::$var,)*];

            /// The name used in rule files.
            pub fn name(self) -> &'static str {
                match self { $(Field::$var => $name,)* }
            }

            /// The field with this rule-file name.
            pub fn from_name(name: &str) -> Option<Self> {
                match name { $($name => Some(Field::$var),)* _ => None }
            }
        }
    };
}

fields! {
    /// DICOM implementation class UID (PS3.7 D.3.3.2), from associations the endpoint sent.
    DicomImplementationClassUid = "dicom_implementation_class_uid",
    /// DICOM implementation version name (PS3.7 D.3.3.2), from associations the endpoint sent.
    DicomImplementationVersion = "dicom_implementation_version",
    /// The AE title of the endpoint when it requested an association (calling AE title).
    DicomCallingAeTitle = "dicom_calling_ae_title",
    /// The AE title of the endpoint when it accepted an association (called AE title).
    DicomCalledAeTitle = "dicom_called_ae_title",
    /// SOP class UIDs the endpoint proposed in an A-ASSOCIATE-RQ without query/retrieve contexts.
    DicomAbstractSyntax = "dicom_abstract_syntax",
    /// HL7 v2 MSH-3 sending application (namespace ID).
    Hl7SendingApplication = "hl7_sending_application",
    /// HL7 v2 MSH-4 sending facility (namespace ID).
    Hl7SendingFacility = "hl7_sending_facility",
    /// HL7 v2 MSH-12 version ID.
    Hl7Version = "hl7_version",
    /// HL7 device identifiers: PRT-10, PRT-16 (UDI DI) and OBX-18 entity identifiers.
    Hl7DeviceIdentifier = "hl7_device_identifier",
    /// DHCP option 60 vendor class identifier (client messages).
    DhcpVendorClass = "dhcp_vendor_class",
    /// DHCP option 12 host name (client messages).
    DhcpHostname = "dhcp_hostname",
    /// DHCP option 55 parameter request list, decimal codes joined by `,` (`1,3,6,15`).
    DhcpParameterRequestList = "dhcp_parameter_request_list",
    /// MUD URL (DHCP option 161 or LLDP, RFC 8520).
    MudUrl = "mud_url",
    /// LLDP system description (TLV 6).
    LldpSystemDescription = "lldp_system_description",
    /// LLDP system name (TLV 5).
    LldpSystemName = "lldp_system_name",
    /// CDP platform (type 0x0006).
    CdpPlatform = "cdp_platform",
    /// CDP software version (type 0x0005).
    CdpSoftwareVersion = "cdp_software_version",
    /// HTTP `User-Agent` of requests the endpoint sent.
    HttpUserAgent = "http_user_agent",
    /// HTTP `Server` of responses the endpoint sent.
    HttpServer = "http_server",
    /// TLS server name indication the endpoint (a client) asked for.
    TlsSni = "tls_sni",
    /// mDNS instance names and host names the endpoint announced.
    MdnsName = "mdns_name",
    /// SSDP `SERVER` (or `USER-AGENT` of an M-SEARCH) the endpoint sent.
    SsdpServer = "ssdp_server",
    /// The IEEE registrant of the endpoint's MAC (organisation name).
    OuiVendor = "oui_vendor",
    /// The MAC's first three octets, lower-case hex with colons (`00:0c:29`).
    Oui = "oui",
}

impl fmt::Display for Field {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

impl Serialize for Field {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.name())
    }
}

/// Calls `emit(endpoint, field, value)` for every value `obs` tells about
/// an endpoint.
pub(crate) fn extract(obs: &Observation, emit: &mut dyn FnMut(&EndpointKey, Field, &str)) {
    match obs {
        Observation::Endpoint(e) => {
            if let Some(v) = &e.mac_vendor {
                emit(&e.key, Field::OuiVendor, v);
            }
            if let Some(m) = e.key.mac {
                let o = format!("{:02x}:{:02x}:{:02x}", m.0[0], m.0[1], m.0[2]);
                emit(&e.key, Field::Oui, &o);
            }
        }
        Observation::Flow(_) => {}
        Observation::Fact(f) => fact(&f.endpoint, f.peer.as_ref(), &f.fact, emit),
    }
}

fn fact(
    me: &EndpointKey,
    peer: Option<&EndpointKey>,
    fact: &Fact,
    emit: &mut dyn FnMut(&EndpointKey, Field, &str),
) {
    let mut opt = |f: Field, v: &Option<String>| {
        if let Some(v) = v {
            emit(me, f, v);
        }
    };
    match fact {
        Fact::Dicom(d) => {
            let a = &d.association;
            let ui = &a.user_information;
            opt(
                Field::DicomImplementationClassUid,
                &ui.implementation_class_uid,
            );
            opt(
                Field::DicomImplementationVersion,
                &ui.implementation_version_name,
            );
            // The sender of an RQ is the requestor; the sender of an AC the acceptor.
            let (requestor, acceptor) = if d.is_request {
                (Some(me), peer)
            } else {
                (peer, Some(me))
            };
            if let Some(r) = requestor {
                emit(r, Field::DicomCallingAeTitle, &a.calling_ae_title);
            }
            if let Some(c) = acceptor {
                emit(c, Field::DicomCalledAeTitle, &a.called_ae_title);
            }
            // A query/retrieve SCU proposes storage classes to receive images:
            // they say nothing about its own modality.
            if d.is_request && !d.system_kinds.contains(&SystemKind::QueryRetrieve) {
                for pc in &a.presentation_contexts {
                    if let Some(s) = &pc.abstract_syntax {
                        emit(me, Field::DicomAbstractSyntax, s);
                    }
                }
            }
        }
        Fact::Hl7(m) => {
            let ns = |h: &Option<medvigil_decode::hl7::HierarchicDesignator>| {
                h.as_ref().map(|h| h.namespace_id.clone())
            };
            opt(Field::Hl7SendingApplication, &ns(&m.sending_application));
            opt(Field::Hl7SendingFacility, &ns(&m.sending_facility));
            opt(Field::Hl7Version, &m.version_id);
            for d in &m.devices {
                match d {
                    DeviceIdentifier::Prt(p) => {
                        for e in [&p.participation_device, &p.udi_device_identifier]
                            .into_iter()
                            .flatten()
                        {
                            emit(me, Field::Hl7DeviceIdentifier, &e.entity_identifier);
                        }
                    }
                    DeviceIdentifier::ObxEquipment(e) => {
                        emit(me, Field::Hl7DeviceIdentifier, &e.entity_identifier);
                    }
                }
            }
        }
        Fact::Dhcp(m) => {
            opt(Field::MudUrl, &m.mud_url);
            // Server replies carry the server's options, not the client's.
            if m.op == 1 {
                opt(Field::DhcpVendorClass, &m.vendor_class);
                opt(Field::DhcpHostname, &m.hostname);
                if let Some(p) = &m.parameter_request_list {
                    let s: Vec<String> = p.iter().map(u8::to_string).collect();
                    emit(me, Field::DhcpParameterRequestList, &s.join(","));
                }
            }
        }
        Fact::Lldp(l) => {
            opt(Field::LldpSystemDescription, &l.system_description);
            opt(Field::LldpSystemName, &l.system_name);
            opt(Field::MudUrl, &l.mud_url);
        }
        Fact::Cdp(c) => {
            opt(Field::CdpPlatform, &c.platform);
            opt(Field::CdpSoftwareVersion, &c.software_version);
        }
        Fact::Http(h) => {
            opt(Field::HttpUserAgent, &h.user_agent);
            opt(Field::HttpServer, &h.server);
        }
        Fact::TlsClientHello(c) => opt(Field::TlsSni, &c.server_name),
        Fact::Ssdp(s) => {
            opt(Field::SsdpServer, &s.server);
            opt(Field::SsdpServer, &s.user_agent);
        }
        Fact::Mdns(n) => {
            for v in n.instance_names.iter().chain(&n.hostnames) {
                emit(me, Field::MdnsName, v);
            }
        }
        _ => {}
    }
}
