//! Every PDU type of PS3.8 §9.3 decodes; incomplete input is "need more".

use medvigil_decode::dicom::{self, Pdu, PduType, SystemKind};

fn item(t: u8, v: &[u8]) -> Vec<u8> {
    let mut o = vec![t, 0];
    o.extend_from_slice(&u16::try_from(v.len()).unwrap_or(0).to_be_bytes());
    o.extend_from_slice(v);
    o
}

fn pdu(t: u8, body: &[u8]) -> Vec<u8> {
    let mut p = vec![t, 0];
    p.extend_from_slice(&u32::try_from(body.len()).unwrap_or(0).to_be_bytes());
    p.extend_from_slice(body);
    p
}

fn associate_ac() -> Vec<u8> {
    let mut body = vec![0, 1, 0, 0];
    body.extend(format!("{:<16}", "PACS").bytes());
    body.extend(format!("{:<16}", "US_CART_3").bytes());
    body.extend([0u8; 32]);
    body.extend(item(0x10, b"1.2.840.10008.3.1.1.1"));
    body.extend(item(
        0x21,
        &[
            [1u8, 0, 0, 0].as_slice(),
            &item(0x40, b"1.2.840.10008.1.2.1"),
        ]
        .concat(),
    ));
    body.extend(item(0x21, &[3u8, 0, 3, 0]));
    let mut ui = item(0x51, &65536u32.to_be_bytes());
    ui.extend(item(0x52, b"1.2.276.0.7230010.3.0.3.6.8"));
    ui.extend(item(0x55, b"OFFIS_DCMTK_368"));
    // User identity (may hold a password): must be skipped, not reported.
    ui.extend(item(0x58, b"\x02\x00\x00\x04user\x00\x06secret"));
    body.extend(item(0x50, &ui));
    pdu(2, &body)
}

#[test]
fn associate_ac_items() {
    let bytes = associate_ac();
    let Ok(Some((d, used))) = dicom::parse_pdu(&bytes) else {
        panic!("decode")
    };
    assert_eq!(used, bytes.len());
    let Pdu::AssociateAc(a) = d.value else {
        panic!("not AC")
    };
    assert_eq!(a.called_ae_title, "PACS");
    assert_eq!(a.calling_ae_title, "US_CART_3");
    assert_eq!(a.presentation_contexts.len(), 2);
    assert_eq!(a.presentation_contexts[0].result, Some(0));
    assert_eq!(
        a.presentation_contexts[0].transfer_syntaxes,
        vec!["1.2.840.10008.1.2.1".to_owned()]
    );
    assert_eq!(a.presentation_contexts[1].result, Some(3));
    assert_eq!(a.user_information.max_pdu_length, Some(65536));
    assert_eq!(
        a.user_information.implementation_version_name.as_deref(),
        Some("OFFIS_DCMTK_368")
    );
    assert!(!format!("{a:?}").contains("secret"));
    // Every prefix is "need more", never an error or a panic.
    for cut in 0..bytes.len() {
        assert!(
            matches!(dicom::parse_pdu(&bytes[..cut]), Ok(None)),
            "prefix {cut}"
        );
    }
}

#[test]
fn control_pdus() {
    let rj = pdu(3, &[0, 1, 2, 7]);
    assert!(
        matches!(dicom::parse_pdu(&rj), Ok(Some((d, 10))) if matches!(d.value, Pdu::AssociateRj(r) if r.result == 1 && r.source == 2 && r.reason == 7))
    );
    assert!(
        matches!(dicom::parse_pdu(&pdu(5, &[0; 4])), Ok(Some((d, 10))) if d.value == Pdu::ReleaseRq)
    );
    assert!(
        matches!(dicom::parse_pdu(&pdu(6, &[0; 4])), Ok(Some((d, 10))) if d.value == Pdu::ReleaseRp)
    );
    assert!(
        matches!(dicom::parse_pdu(&pdu(7, &[0, 0, 2, 6])), Ok(Some((d, 10))) if matches!(d.value, Pdu::Abort(a) if a.source == 2 && a.reason == 6))
    );
    // Release with a wrong fixed length is invalid.
    assert!(dicom::parse_pdu(&pdu(5, &[0; 5])).is_err());
    // Unknown PDU type.
    assert!(dicom::pdu_header(&[9, 0, 0, 0, 0, 4]).is_err());
}

#[test]
fn p_data_header_only() {
    // Only the header and first PDV header are needed, not the data.
    let head = [4, 0, 0, 1, 0, 0, 0, 0, 0xff, 0xfc, 5, 0x03];
    let Ok(Some((d, used))) = dicom::parse_pdu(&head) else {
        panic!("decode")
    };
    assert_eq!(used, 6 + 0x0001_0000);
    let Pdu::PDataTf {
        first_pdv: Some(pdv),
        ..
    } = d.value
    else {
        panic!("not P-DATA")
    };
    assert_eq!(
        (pdv.context_id, pdv.is_command, pdv.is_last),
        (5, true, true)
    );
    assert_eq!(
        dicom::pdu_header(&head).ok().flatten().map(|h| h.pdu_type),
        Some(PduType::PDataTf)
    );
}

#[test]
fn sop_classes() {
    for (uid, kind) in [
        ("1.2.840.10008.5.1.4.1.1.4", SystemKind::Mr),
        ("1.2.840.10008.5.1.4.1.1.6.1", SystemKind::Us),
        ("1.2.840.10008.5.1.4.1.1.1.2", SystemKind::Mammography),
        ("1.2.840.10008.5.1.4.1.1.20", SystemKind::NuclearMedicine),
        ("1.2.840.10008.5.1.4.1.1.128", SystemKind::Pet),
        (
            "1.2.840.10008.5.1.4.1.1.481.5",
            SystemKind::RadiationTherapy,
        ),
        ("1.2.840.10008.5.1.4.1.1.7", SystemKind::SecondaryCapture),
        ("1.2.840.10008.1.20.1", SystemKind::StorageCommitment),
        ("1.2.840.10008.5.1.4.31", SystemKind::Worklist),
        ("1.2.840.10008.5.1.4.1.2.2.2", SystemKind::QueryRetrieve),
        ("1.2.840.10008.1.1", SystemKind::Verification),
        ("1.2.840.10008.5.1.4.1.1.1", SystemKind::CrDx),
        ("1.2.840.10008.5.1.4.1.1.2\0", SystemKind::Ct),
    ] {
        assert_eq!(dicom::sop_class(uid).map(|s| s.kind), Some(kind), "{uid}");
    }
}
