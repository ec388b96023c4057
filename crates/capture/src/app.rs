//! Application-layer parsing of reassembled TCP streams: recognises the
//! protocol from the first bytes (port-independent) and hands complete
//! messages to the decoders.

use medvigil_decode::{dicom, hl7, http, tls};

use crate::observe::{AppProtocol, DicomAssociation, Fact};
use crate::reassembly::StreamBuffer;

/// Bytes after which a stream that matched nothing is given up.
const DETECT_WINDOW: usize = 10;

/// What a stream direction is being parsed as.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub(crate) enum Parser {
    /// Waiting for enough bytes to recognise the protocol.
    #[default]
    Detect,
    Dicom,
    Mllp,
    Http,
    Tls,
    /// Nothing more to learn; the stream is ignored.
    Done,
}

impl Parser {
    /// Parses what `s` holds; returns the protocol once recognised.
    /// `hint` is what the other direction was recognised as.
    pub(crate) fn run(
        &mut self,
        s: &mut StreamBuffer,
        hint: Option<AppProtocol>,
        max_message: usize,
        facts: &mut Vec<Fact>,
    ) -> Option<AppProtocol> {
        if *self == Parser::Detect {
            *self = detect(s.data(), hint);
        }
        let proto = match *self {
            Parser::Detect => return None,
            Parser::Dicom => {
                self.dicom(s, max_message, facts);
                AppProtocol::Dicom
            }
            Parser::Mllp => {
                self.mllp(s, max_message, facts);
                AppProtocol::Hl7Mllp
            }
            Parser::Http => {
                self.http(s, facts);
                AppProtocol::Http
            }
            Parser::Tls => {
                self.tls(s, max_message, facts);
                AppProtocol::Tls
            }
            Parser::Done => {
                s.ignore();
                return None;
            }
        };
        if *self == Parser::Done {
            s.ignore();
        }
        Some(proto)
    }

    fn dicom(&mut self, s: &mut StreamBuffer, max: usize, facts: &mut Vec<Fact>) {
        loop {
            let data = s.data();
            let h = match dicom::pdu_header(data) {
                Ok(Some(h)) => h,
                Ok(None) => return,
                Err(_) => return *self = Parser::Done,
            };
            let total = 6 + u64::from(h.length);
            if !matches!(
                h.pdu_type,
                dicom::PduType::AssociateRq
                    | dicom::PduType::AssociateAc
                    | dicom::PduType::AssociateRj
            ) {
                // Data and control PDUs: skip the body without copying it.
                s.consume(total);
                continue;
            }
            if total > max as u64 {
                return *self = Parser::Done;
            }
            match dicom::parse_pdu(data) {
                Ok(Some((d, n))) => {
                    match d.value {
                        dicom::Pdu::AssociateRq(a) => {
                            facts.push(Fact::Dicom(Box::new(association(a, true))))
                        }
                        dicom::Pdu::AssociateAc(a) => {
                            facts.push(Fact::Dicom(Box::new(association(a, false))))
                        }
                        dicom::Pdu::AssociateRj(r) => facts.push(Fact::DicomReject(r)),
                        _ => {}
                    }
                    s.consume(n as u64);
                }
                Ok(None) => return,
                Err(_) => return *self = Parser::Done,
            }
        }
    }

    fn mllp(&mut self, s: &mut StreamBuffer, max: usize, facts: &mut Vec<Fact>) {
        loop {
            let data = s.data();
            if data.is_empty() {
                return;
            }
            match hl7::frame(data) {
                Ok(Some(f)) => {
                    if let Ok(m) = hl7::parse_message(f.payload) {
                        facts.push(Fact::Hl7(Box::new(m.value)));
                    }
                    s.consume(f.consumed as u64);
                }
                Ok(None) if data.len() >= max => return *self = Parser::Done,
                Ok(None) => return,
                // Garbage between frames: resynchronise on the next start block.
                Err(_) => match hl7::find_frame_start(data) {
                    Some(p) => s.consume(p as u64),
                    None => s.consume(data.len() as u64),
                },
            }
        }
    }

    fn http(&mut self, s: &mut StreamBuffer, facts: &mut Vec<Fact>) {
        loop {
            let data = s.data();
            if data.is_empty() {
                return;
            }
            match http::parse(data) {
                Ok(Some((d, n))) => {
                    let mut head = d.value;
                    let (body, chunked) = (head.content_length, head.chunked);
                    // Lengths vary per message; drop them so facts deduplicate.
                    head.content_length = None;
                    head.chunked = false;
                    facts.push(Fact::Http(head));
                    if chunked {
                        return *self = Parser::Done;
                    }
                    s.consume((n as u64).saturating_add(body.unwrap_or(0)));
                }
                Ok(None) => return,
                Err(_) => return *self = Parser::Done,
            }
        }
    }

    fn tls(&mut self, s: &mut StreamBuffer, max: usize, facts: &mut Vec<Fact>) {
        let data = s.data();
        match tls::parse_client_hello(data) {
            Ok(Some((d, _))) => {
                facts.push(Fact::TlsClientHello(d.value));
                *self = Parser::Done;
            }
            Ok(None) if data.len() >= max => *self = Parser::Done,
            Ok(None) => {}
            Err(_) => *self = Parser::Done,
        }
    }
}

fn detect(data: &[u8], hint: Option<AppProtocol>) -> Parser {
    if dicom::looks_like_associate_rq(data) {
        return Parser::Dicom;
    }
    // The acceptor's direction starts with an A-ASSOCIATE-AC/RJ or A-ABORT.
    if hint == Some(AppProtocol::Dicom) && matches!(dicom::pdu_header(data), Ok(Some(_))) {
        return Parser::Dicom;
    }
    if hl7::looks_like_mllp(data) {
        return Parser::Mllp;
    }
    if tls::looks_like_client_hello(data) {
        return Parser::Tls;
    }
    if http::looks_like_http(data) {
        return Parser::Http;
    }
    if data.len() >= DETECT_WINDOW || hint == Some(AppProtocol::Tls) && !data.is_empty() {
        return Parser::Done;
    }
    Parser::Detect
}

fn association(a: dicom::Association, is_request: bool) -> DicomAssociation {
    let mut kinds = Vec::new();
    for pc in &a.presentation_contexts {
        if let Some(k) = pc
            .abstract_syntax
            .as_deref()
            .and_then(dicom::sop_class)
            .map(|c| c.kind)
            && !kinds.contains(&k)
        {
            kinds.push(k);
        }
    }
    DicomAssociation {
        is_request,
        association: a,
        system_kinds: kinds,
    }
}
