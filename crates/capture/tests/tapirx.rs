//! The tapirx DICOM and HL7 captures yield the device identity they carry.
//!
//! Expected values were read from the captures and cross-checked with
//! tshark 4.0.17 (`-d tcp.port==104,dicom -T fields -e dicom.assoc.ae.called
//! -e dicom.assoc.ae.calling -e dicom.actx -e dicom.userinfo.uid
//! -e dicom.userinfo.version -e dicom.max_pdu_len`, and `-d tcp.port==6661,hl7
//! -V` for MSH-3..6, MSH-9, MSH-10, MSH-12, PRT-16 and OBX-18).

mod common;

use medvigil_capture::{AppProtocol, Fact, Observation};
use medvigil_decode::dicom::SystemKind;
use medvigil_decode::hl7::DeviceIdentifier;

fn tapirx(name: &str) -> Option<(medvigil_capture::ReadSummary, Vec<Observation>)> {
    let dir = medvigil_testkit::corpus("pcap/medical-tapirx")?;
    Some(common::analyze(&dir.join(name)))
}

fn facts(obs: &[Observation]) -> Vec<&Fact> {
    obs.iter()
        .filter_map(|o| {
            if let Observation::Fact(f) = o {
                Some(&f.fact)
            } else {
                None
            }
        })
        .collect()
}

/// (file, called AE, calling AE, presentation contexts, a system kind expected)
const DICOM: &[(&str, &str, &str, usize, SystemKind)] = &[
    (
        "dicom_arq_1_find_testclient.pcap",
        "testserver",
        "testclient",
        4,
        SystemKind::Worklist,
    ),
    (
        "dicom_arq_2_get_testclient.pcap",
        "testserver",
        "testclient",
        123,
        SystemKind::Ct,
    ),
    (
        "dicom_arq_3_find_bogus_local.pcap",
        "bogus_remote",
        "bogus_local",
        4,
        SystemKind::QueryRetrieve,
    ),
    // The manifest says "bogus/local AE titles", but the bytes (and tshark)
    // say testserver/testclient.
    (
        "dicom_arq_4_get_bogus_local.pcap",
        "testserver",
        "testclient",
        123,
        SystemKind::Print,
    ),
];

#[test]
fn dicom_associations() {
    for &(file, called, calling, contexts, kind) in DICOM {
        let Some((_, obs)) = tapirx(file) else { return };
        let assoc: Vec<_> = facts(&obs)
            .into_iter()
            .filter_map(|f| {
                if let Fact::Dicom(d) = f {
                    Some(d)
                } else {
                    None
                }
            })
            .collect();
        assert_eq!(assoc.len(), 1, "{file}");
        let d = assoc[0];
        let a = &d.association;
        assert!(d.is_request, "{file}");
        assert_eq!(a.called_ae_title, called, "{file}");
        assert_eq!(a.calling_ae_title, calling, "{file}");
        assert_eq!(
            a.application_context.as_deref(),
            Some("1.2.840.10008.3.1.1.1"),
            "{file}"
        );
        assert_eq!(
            a.user_information.implementation_class_uid.as_deref(),
            Some("1.2.826.0.1.3680043.9.7133.1.1"),
            "{file}"
        );
        assert_eq!(
            a.user_information.implementation_version_name.as_deref(),
            Some("GODICOM_1_1"),
            "{file}"
        );
        assert_eq!(a.user_information.max_pdu_length, Some(4_194_304), "{file}");
        assert_eq!(a.presentation_contexts.len(), contexts, "{file}");
        assert!(
            d.system_kinds.contains(&kind),
            "{file}: {:?}",
            d.system_kinds
        );
        let flow = obs.iter().find_map(|o| {
            if let Observation::Flow(f) = o {
                Some(f)
            } else {
                None
            }
        });
        assert_eq!(
            flow.map(|f| (f.dst_port, f.protocol)),
            Some((104, Some(AppProtocol::Dicom))),
            "{file}"
        );
    }
}

/// (file, sending app, sending facility, message type, trigger, control id, UDI)
/// One expected HL7 message.
type Hl7Case = (
    &'static str,
    &'static str,
    &'static str,
    &'static str,
    &'static str,
    &'static str,
    Option<(&'static str, &'static str)>,
);

const HL7: &[Hl7Case] = &[
    (
        "HL7-ADT.pcap",
        "SENDING_APPLICATION",
        "SENDING_FACILITY",
        "ADT",
        "A01",
        "934576120110613083617",
        None,
    ),
    (
        "HL7-ADT-UDI-PRT.pcap",
        "SENDING_APPLICATION",
        "SENDING_FACILITY",
        "ADT",
        "A01",
        "934576120110613083617",
        Some(("PRT-16", "Hospira Plum A+")),
    ),
    (
        "HL7-ADT-UDI-OBX.pcap",
        "SENDING_APPLICATION",
        "SENDING_FACILITY",
        "ADT",
        "A01",
        "934576120110613083617",
        Some(("OBX-18", "Hospira Plum A+")),
    ),
    (
        "HL7-ORM.pcap",
        "SendingApp",
        "SendingFac",
        "ORM",
        "O01",
        "59689",
        None,
    ),
    (
        "HL7-ORU.pcap",
        "SendingApp",
        "SendingFac",
        "ORU",
        "R01",
        "59689",
        None,
    ),
];

#[test]
fn hl7_messages() {
    for &(file, app, fac, code, trigger, control, udi) in HL7 {
        let Some((_, obs)) = tapirx(file) else { return };
        let msgs: Vec<_> = facts(&obs)
            .into_iter()
            .filter_map(|f| if let Fact::Hl7(m) = f { Some(m) } else { None })
            .collect();
        // The message and the receiver's ACK, whose MSH-3/4 are the receiver's.
        assert_eq!(msgs.len(), 2, "{file}");
        let m = msgs
            .iter()
            .find(|m| m.message_type.as_ref().is_some_and(|t| t.code == code))
            .copied();
        let Some(m) = m else {
            panic!("{file}: no {code}")
        };
        assert_eq!(
            m.sending_application
                .as_ref()
                .map(|h| h.namespace_id.as_str()),
            Some(app),
            "{file}"
        );
        assert_eq!(
            m.sending_facility.as_ref().map(|h| h.namespace_id.as_str()),
            Some(fac),
            "{file}"
        );
        assert_eq!(
            m.message_type
                .as_ref()
                .and_then(|t| t.trigger_event.as_deref()),
            Some(trigger),
            "{file}"
        );
        assert_eq!(m.message_control_id.as_deref(), Some(control), "{file}");
        assert_eq!(m.version_id.as_deref(), Some("2.3"), "{file}");
        let ack = msgs
            .iter()
            .find(|m| m.message_type.as_ref().is_some_and(|t| t.code == "ACK"));
        let ack_app = ack
            .and_then(|a| a.sending_application.as_ref())
            .map(|h| h.namespace_id.as_str());
        let recv_app = m
            .receiving_application
            .as_ref()
            .map(|h| h.namespace_id.as_str());
        assert_eq!(ack_app, recv_app, "{file}");
        let got: Vec<(&str, &str)> = m
            .devices
            .iter()
            .filter_map(|d| match d {
                DeviceIdentifier::Prt(p) => p
                    .udi_device_identifier
                    .as_ref()
                    .map(|e| ("PRT-16", e.entity_identifier.as_str())),
                DeviceIdentifier::ObxEquipment(e) => Some(("OBX-18", e.entity_identifier.as_str())),
            })
            .collect();
        assert_eq!(got, udi.into_iter().collect::<Vec<_>>(), "{file}");
    }
}

#[test]
fn mac_vendors_from_the_ieee_registry() {
    let (Some(dir), Some(oui)) = (
        medvigil_testkit::corpus("pcap/medical-tapirx"),
        medvigil_testkit::corpus("oui/ieee-data"),
    ) else {
        return;
    };
    let Ok(reg) = medvigil_decode::oui::OuiRegistry::load(Some(&oui)) else {
        panic!("registry")
    };
    let mut a = medvigil_capture::Analyzer::new(medvigil_capture::Limits::default()).with_oui(reg);
    let _ = a.read_capture(
        std::fs::read(dir.join("HL7-ORU.pcap"))
            .unwrap_or_default()
            .as_slice(),
    );
    let vendors: Vec<_> = a
        .finish()
        .into_iter()
        .filter_map(|o| {
            if let Observation::Endpoint(e) = o {
                Some((e.key.mac?.to_string(), e.mac_vendor?))
            } else {
                None
            }
        })
        .collect();
    // 00:0c:29 is VMware's MA-L, 08:00:27 PCS Systemtechnik's (VirtualBox).
    assert_eq!(
        vendors,
        vec![
            ("00:0c:29:b5:b6:48".to_owned(), "VMware, Inc.".to_owned()),
            (
                "08:00:27:1d:a6:c2".to_owned(),
                "PCS Systemtechnik GmbH".to_owned()
            )
        ]
    );
}
