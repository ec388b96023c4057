//! Decoders on the raw bytes of the tapirx captures (PDUs and MLLP frames
//! that sit whole in one packet), without the capture crate. Values checked
//! against tshark 4.0.17 (see crates/capture/tests/tapirx.rs).

use medvigil_decode::{dicom, hl7};

fn read(name: &str) -> Option<Vec<u8>> {
    let p = medvigil_testkit::corpus("pcap/medical-tapirx")?.join(name);
    Some(std::fs::read(p).unwrap_or_default())
}

#[test]
fn associate_rq_in_single_packet_captures() {
    for (file, called, calling) in [
        (
            "dicom_arq_1_find_testclient.pcap",
            "testserver",
            "testclient",
        ),
        (
            "dicom_arq_3_find_bogus_local.pcap",
            "bogus_remote",
            "bogus_local",
        ),
    ] {
        let Some(bytes) = read(file) else { return };
        let at = (0..bytes.len()).find(|&i| dicom::looks_like_associate_rq(&bytes[i..]));
        let Some(at) = at else {
            panic!("{file}: no A-ASSOCIATE-RQ")
        };
        let Ok(Some((pdu, used))) = dicom::parse_pdu(&bytes[at..]) else {
            panic!("{file}: undecodable")
        };
        assert_eq!(used, 683, "{file}");
        assert!(pdu.diagnostics.is_empty(), "{file}: {:?}", pdu.diagnostics);
        let dicom::Pdu::AssociateRq(a) = pdu.value else {
            panic!("{file}: not an RQ")
        };
        assert_eq!(
            (a.called_ae_title.as_str(), a.calling_ae_title.as_str()),
            (called, calling)
        );
        let abs: Vec<_> = a
            .presentation_contexts
            .iter()
            .filter_map(|p| p.abstract_syntax.as_deref())
            .collect();
        assert_eq!(
            abs,
            [
                "1.2.840.10008.5.1.4.1.2.1.1",
                "1.2.840.10008.5.1.4.1.2.2.1",
                "1.2.840.10008.5.1.4.1.2.3.1",
                "1.2.840.10008.5.1.4.31"
            ]
        );
        assert!(
            a.presentation_contexts
                .iter()
                .all(|p| p.transfer_syntaxes.len() == 4)
        );
        assert_eq!(
            a.user_information.implementation_version_name.as_deref(),
            Some("GODICOM_1_1")
        );
    }
}

#[test]
fn mllp_frames_in_hl7_captures() {
    for (file, app, devices) in [
        ("HL7-ADT-UDI-PRT.pcap", "SENDING_APPLICATION", 1),
        ("HL7-ADT-UDI-OBX.pcap", "SENDING_APPLICATION", 1),
        ("HL7-ORM.pcap", "SendingApp", 0),
    ] {
        let Some(bytes) = read(file) else { return };
        let Some(at) = (0..bytes.len()).find(|&i| hl7::looks_like_mllp(&bytes[i..])) else {
            panic!("{file}: no MLLP start")
        };
        let Ok(Some(frame)) = hl7::frame(&bytes[at..]) else {
            panic!("{file}: no whole frame")
        };
        let Ok(m) = hl7::parse_message(frame.payload) else {
            panic!("{file}: not HL7")
        };
        assert_eq!(
            m.value.sending_application.map(|h| h.namespace_id),
            Some(app.to_owned()),
            "{file}"
        );
        assert_eq!(m.value.devices.len(), devices, "{file}");
    }
}
