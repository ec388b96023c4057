//! Parsing the device-identifying view of an HL7 v2 message.

use super::escape::Delimiters;
use super::types::{
    DeviceIdentifier, EntityIdentifier, HierarchicDesignator, Hl7Message, MessageType, PrtDevice,
};
use crate::util::text;
use crate::{DecodeError, Decoded, Diagnostic, DiagnosticKind};

/// Most device identifiers kept per message.
const MAX_DEVICES: usize = 64;

/// One field split into components, each unescaped and decoded.
struct Field<'a> {
    raw: &'a [u8],
    offset: usize,
    d: Delimiters,
}

impl Field<'_> {
    /// The first repetition's components, unescaped; empty components are `None`.
    fn components(&self, diags: &mut Vec<Diagnostic>) -> Vec<Option<String>> {
        let first = self
            .raw
            .split(|&b| b == self.d.repetition)
            .next()
            .unwrap_or(&[]);
        first
            .split(|&b| b == self.d.component)
            .take(8)
            .map(|c| {
                // Subcomponents are not needed for identifiers; keep the first.
                let c = c.split(|&b| b == self.d.subcomponent).next().unwrap_or(&[]);
                let s = text(&self.d.unescape(c), self.offset, diags);
                (!s.is_empty()).then_some(s)
            })
            .collect()
    }
    fn string(&self, diags: &mut Vec<Diagnostic>) -> Option<String> {
        self.components(diags).into_iter().next().flatten()
    }
    fn hd(&self, diags: &mut Vec<Diagnostic>) -> Option<HierarchicDesignator> {
        let mut c = self.components(diags).into_iter();
        let (ns, uid, ty) = (c.next().flatten(), c.next().flatten(), c.next().flatten());
        (ns.is_some() || uid.is_some()).then(|| HierarchicDesignator {
            namespace_id: ns.unwrap_or_default(),
            universal_id: uid,
            universal_id_type: ty,
        })
    }
    fn ei(&self, diags: &mut Vec<Diagnostic>) -> Option<EntityIdentifier> {
        let mut c = self.components(diags).into_iter();
        let (id, ns, uid, ty) = (
            c.next().flatten(),
            c.next().flatten(),
            c.next().flatten(),
            c.next().flatten(),
        );
        (id.is_some() || uid.is_some()).then(|| EntityIdentifier {
            entity_identifier: id.unwrap_or_default(),
            namespace_id: ns,
            universal_id: uid,
            universal_id_type: ty,
        })
    }
    fn cwe(&self, diags: &mut Vec<Diagnostic>) -> Option<String> {
        let c = self.components(diags);
        let parts: Vec<&str> = c
            .iter()
            .take(2)
            .map(|p| p.as_deref().unwrap_or(""))
            .collect();
        let s = parts.join("^");
        (!s.trim_matches('^').is_empty()).then_some(s)
    }
}

/// The fields of a segment, indexed the HL7 way (`fields(seg)[n]` is SEG-n;
/// for MSH, index 1 is the field separator itself).
fn fields(seg: &[u8], seg_offset: usize, d: Delimiters) -> Vec<Field<'_>> {
    let mut out = Vec::new();
    let mut pos = 0usize;
    let is_msh = seg.starts_with(b"MSH");
    for (i, raw) in seg.split(|&b| b == d.field).enumerate() {
        if is_msh && i == 1 {
            // MSH-1 is the separator; MSH-2 is the first split piece.
            out.push(Field {
                raw: &[],
                offset: seg_offset + 3,
                d,
            });
        }
        out.push(Field {
            raw,
            offset: seg_offset + pos,
            d,
        });
        pos += raw.len() + 1;
    }
    out
}

/// Decodes the device-identifying parts of one HL7 v2 message (the payload of
/// an MLLP frame). Leading whitespace is skipped; the message must begin with
/// an MSH segment.
pub fn parse_message(msg: &[u8]) -> Result<Decoded<Hl7Message>, DecodeError> {
    let start = msg
        .iter()
        .position(|b| !b.is_ascii_whitespace())
        .unwrap_or(msg.len());
    let body = msg.get(start..).unwrap_or(&[]);
    if !body.starts_with(b"MSH") {
        return Err(DecodeError::NotThisProtocol {
            offset: start,
            expected: "HL7 MSH segment",
        });
    }
    let d = Delimiters::from_msh(body).ok_or(DecodeError::Malformed {
        offset: start,
        what: "MSH-1/MSH-2",
    })?;
    if [d.component, d.repetition, d.escape, d.subcomponent].contains(&d.field) || d.field == b'\r'
    {
        return Err(DecodeError::Malformed {
            offset: start + 3,
            what: "MSH-1/MSH-2 delimiters",
        });
    }
    let mut diags = Vec::new();
    let mut m = Hl7Message::default();
    let mut seg_off = start;
    // Segments end in CR; LF is tolerated because files are often converted.
    for seg in body.split(|&b| b == b'\r' || b == b'\n') {
        let off = seg_off;
        seg_off += seg.len() + 1;
        let Some(name) = seg.get(..3) else { continue };
        match name {
            b"MSH" if m.message_type.is_none() && m.sending_application.is_none() => {
                let f = fields(seg, off, d);
                let g = |i: usize| f.get(i);
                m.sending_application = g(3).and_then(|x| x.hd(&mut diags));
                m.sending_facility = g(4).and_then(|x| x.hd(&mut diags));
                m.receiving_application = g(5).and_then(|x| x.hd(&mut diags));
                m.receiving_facility = g(6).and_then(|x| x.hd(&mut diags));
                m.message_type = g(9).and_then(|x| {
                    let mut c = x.components(&mut diags).into_iter();
                    let code = c.next().flatten()?;
                    Some(MessageType {
                        code,
                        trigger_event: c.next().flatten(),
                        structure: c.next().flatten(),
                    })
                });
                m.message_control_id = g(10).and_then(|x| x.string(&mut diags));
                m.version_id = g(12).and_then(|x| x.string(&mut diags));
            }
            b"PRT" => {
                let f = fields(seg, off, d);
                let g = |i: usize| f.get(i);
                let dev = PrtDevice {
                    participation_device: g(10).and_then(|x| x.ei(&mut diags)),
                    udi_device_identifier: g(16).and_then(|x| x.ei(&mut diags)),
                    manufacture_date: g(17).and_then(|x| x.string(&mut diags)),
                    expiry_date: g(18).and_then(|x| x.string(&mut diags)),
                    lot_number: g(19).and_then(|x| x.string(&mut diags)),
                    serial_number: g(20).and_then(|x| x.string(&mut diags)),
                    device_type: g(22).and_then(|x| x.cwe(&mut diags)),
                };
                if dev != PrtDevice::default() {
                    push_device(
                        &mut m.devices,
                        DeviceIdentifier::Prt(Box::new(dev)),
                        off,
                        &mut diags,
                    );
                }
            }
            b"OBX" => {
                // Only OBX-18 is read; OBX-5 (the observation value) is patient data.
                let Some(raw) = seg.split(|&b| b == d.field).nth(18) else {
                    continue;
                };
                for rep in raw.split(|&b| b == d.repetition) {
                    let f = Field {
                        raw: rep,
                        offset: off,
                        d,
                    };
                    if let Some(ei) = f.ei(&mut diags) {
                        push_device(
                            &mut m.devices,
                            DeviceIdentifier::ObxEquipment(ei),
                            off,
                            &mut diags,
                        );
                    }
                }
            }
            _ => {}
        }
    }
    Ok(Decoded::new(m, diags))
}

fn push_device(
    devices: &mut Vec<DeviceIdentifier>,
    dev: DeviceIdentifier,
    offset: usize,
    diags: &mut Vec<Diagnostic>,
) {
    if devices.contains(&dev) {
        return;
    }
    if devices.len() >= MAX_DEVICES {
        diags.push(Diagnostic {
            offset,
            kind: DiagnosticKind::TooManyItems { limit: MAX_DEVICES },
        });
        return;
    }
    devices.push(dev);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn msh_and_devices() {
        let msg = b"MSH|^~\\&|APP\\T\\X^1.2.3^ISO|FAC|RAPP|RFAC|2020||ORU^R01^ORU_R01|42|P|2.8\rPID|1||SECRET^^^X||DOE^JOHN\rPRT|1|UC||||||||DEV1||||||(01)0884|20200101||LOT7|SN9||DT^Pump\rOBX|1|NM|x||99||||||F|||||||EQ-7^VENDOR~EQ-8\r";
        let Ok(d) = parse_message(msg) else {
            panic!("parse")
        };
        let m = d.value;
        assert_eq!(
            m.sending_application
                .as_ref()
                .map(|h| h.namespace_id.as_str()),
            Some("APP&X")
        );
        assert_eq!(
            m.sending_application.and_then(|h| h.universal_id),
            Some("1.2.3".into())
        );
        assert_eq!(
            m.message_type.map(|t| (t.code, t.trigger_event)),
            Some(("ORU".into(), Some("R01".into())))
        );
        assert_eq!(m.version_id.as_deref(), Some("2.8"));
        assert_eq!(m.message_control_id.as_deref(), Some("42"));
        assert_eq!(m.devices.len(), 3);
        let dbg = format!("{:?}", m.devices);
        assert!(
            dbg.contains("(01)0884")
                && dbg.contains("SN9")
                && dbg.contains("EQ-8")
                && dbg.contains("DT^Pump")
        );
        assert!(!dbg.contains("SECRET") && !dbg.contains("DOE"));
    }

    #[test]
    fn rejects_non_hl7() {
        assert!(parse_message(b"GET / HTTP/1.1").is_err());
        assert!(parse_message(b"MSH").is_err());
        assert!(parse_message(b"MSH\r").is_err());
    }
}
