//! Live capture from a network interface through libpcap, for `medvigil
//! discover --iface` and the site sensor. Packets come out as the capture
//! crate's [`RawPacket`]s, for its [`medvigil_capture::Analyzer`].
//!
//! libpcap is loaded when the first capture opens, not linked: building
//! needs no libpcap-dev, and a machine without libpcap gets
//! [`SniffError::LibpcapMissing`] from the capture commands only. Set
//! `MEDVIGIL_LIBPCAP` to a library path to load that one.

#![warn(missing_docs)]

mod ffi;

use medvigil_capture::{RawPacket, Timestamp};

/// Why a live capture could not open or read.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum SniffError {
    /// libpcap could not be loaded.
    #[error(
        "libpcap is not installed or cannot be loaded ({reason}); install the libpcap0.8 package (Debian, Ubuntu) or libpcap (others), or set MEDVIGIL_LIBPCAP to its path"
    )]
    LibpcapMissing {
        /// What each name tried answered.
        reason: String,
    },
    /// No such network interface.
    #[error("no network interface '{iface}' (see `ip link`)")]
    NoSuchInterface {
        /// The name given.
        iface: String,
    },
    /// Capturing needs privileges the process lacks.
    #[error(
        "no permission to capture on '{iface}' ({message}); run as root or give the binary CAP_NET_RAW and CAP_NET_ADMIN (setcap cap_net_raw,cap_net_admin=eip)"
    )]
    PermissionDenied {
        /// The interface.
        iface: String,
        /// libpcap's message.
        message: String,
    },
    /// The interface is down.
    #[error("interface '{iface}' is down (ip link set {iface} up)")]
    InterfaceDown {
        /// The interface.
        iface: String,
    },
    /// The BPF filter does not compile.
    #[error("bad capture filter '{filter}': {message}")]
    Filter {
        /// The filter given.
        filter: String,
        /// libpcap's message.
        message: String,
    },
    /// Another libpcap failure.
    #[error("capture on '{iface}' failed: {message}")]
    Pcap {
        /// The interface.
        iface: String,
        /// libpcap's message.
        message: String,
    },
}

/// How to open a live capture.
#[derive(Debug, Clone)]
pub struct Options {
    /// Bytes kept of each packet (default 262144, libpcap's maximum: DICOM
    /// and HL7 PDUs are reassembled from whole segments).
    pub snaplen: i32,
    /// Put the interface in promiscuous mode (a SPAN port needs it).
    pub promiscuous: bool,
    /// How long one read waits for a packet before it returns nothing, so
    /// the caller can look at the clock and at stop requests.
    pub timeout_ms: i32,
    /// Kernel buffer size in bytes (default 16 MiB; libpcap's own default,
    /// 2 MB, when absent).
    pub buffer_bytes: Option<i32>,
    /// BPF filter expression (tcpdump syntax).
    pub filter: Option<String>,
}

impl Default for Options {
    fn default() -> Self {
        Self {
            snaplen: 262_144,
            promiscuous: true,
            timeout_ms: 200,
            buffer_bytes: Some(16 << 20),
            filter: None,
        }
    }
}

/// Packet counters of the capture (`pcap_stats`).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct CaptureStats {
    /// Packets the filter accepted.
    pub received: u32,
    /// Packets dropped for lack of buffer space (the process was too slow).
    pub dropped: u32,
    /// Packets the interface or its driver dropped.
    pub if_dropped: u32,
}

/// An open live capture on one interface.
pub struct LiveCapture {
    handle: ffi::Handle,
    iface: String,
    linktype: u16,
    warning: Option<String>,
    timeout: std::time::Duration,
}

impl std::fmt::Debug for LiveCapture {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("LiveCapture")
            .field("iface", &self.iface)
            .field("linktype", &self.linktype)
            .finish_non_exhaustive()
    }
}

/// Whether libpcap can be loaded on this machine.
///
/// # Errors
/// [`SniffError::LibpcapMissing`] with what loading said.
pub fn libpcap_available() -> Result<(), SniffError> {
    ffi::available().map_err(|reason| SniffError::LibpcapMissing { reason })
}

impl LiveCapture {
    /// Opens and activates a capture on `iface` (`any` for every interface,
    /// as libpcap allows on Linux) and installs the filter.
    ///
    /// # Errors
    /// libpcap missing, no such interface, no permission, interface down,
    /// a filter that does not compile, or another libpcap error.
    pub fn open(iface: &str, options: &Options) -> Result<Self, SniffError> {
        libpcap_available()?;
        let pcap = |message: String| SniffError::Pcap {
            iface: iface.to_owned(),
            message,
        };
        let mut handle = ffi::Handle::create(iface).map_err(pcap)?;
        if let Err(rc) = handle.configure(
            options.snaplen,
            options.promiscuous,
            options.timeout_ms,
            options.buffer_bytes,
        ) {
            return Err(pcap(format!("setting up the capture: error {rc}")));
        }
        let rc = handle.activate();
        let mut warning = None;
        match rc {
            0 => {}
            ffi::ERROR_NO_SUCH_DEVICE => {
                return Err(SniffError::NoSuchInterface {
                    iface: iface.to_owned(),
                });
            }
            ffi::ERROR_PERM_DENIED | ffi::ERROR_PROMISC_PERM_DENIED => {
                return Err(SniffError::PermissionDenied {
                    iface: iface.to_owned(),
                    message: handle.error(),
                });
            }
            ffi::ERROR_IFACE_NOT_UP => {
                return Err(SniffError::InterfaceDown {
                    iface: iface.to_owned(),
                });
            }
            rc if rc < 0 => {
                let message = handle.error();
                return Err(pcap(if message.is_empty() {
                    format!("activation failed: error {rc}")
                } else {
                    message
                }));
            }
            _ => warning = Some(handle.error()).filter(|w| !w.is_empty()),
        }
        if let Some(filter) = options.filter.as_deref().filter(|f| !f.trim().is_empty()) {
            handle
                .set_filter(filter)
                .map_err(|message| SniffError::Filter {
                    filter: filter.to_owned(),
                    message,
                })?;
        }
        handle.set_nonblocking().map_err(pcap)?;
        let linktype = u16::try_from(handle.datalink()).unwrap_or(u16::MAX);
        Ok(Self {
            handle,
            iface: iface.to_owned(),
            linktype,
            warning,
            timeout: std::time::Duration::from_millis(
                u64::try_from(options.timeout_ms).unwrap_or(0),
            ),
        })
    }

    /// The interface.
    pub fn iface(&self) -> &str {
        &self.iface
    }

    /// The link type of its packets (LINKTYPE_ETHERNET = 1 for most).
    pub fn linktype(&self) -> u16 {
        self.linktype
    }

    /// What libpcap warned about on activation (e.g. promiscuous mode not
    /// supported), if anything.
    pub fn warning(&self) -> Option<&str> {
        self.warning.as_deref()
    }

    /// The next packet, or `Ok(None)` when none came within the timeout.
    ///
    /// # Errors
    /// When the capture fails (the interface went away).
    pub fn next_packet(&mut self) -> Result<Option<RawPacket<'_>>, SniffError> {
        let linktype = self.linktype;
        match self.handle.next(self.timeout) {
            Ok(Some(f)) => Ok(Some(RawPacket {
                linktype,
                timestamp: Timestamp(f.nanos),
                data: f.data,
                orig_len: f.orig_len,
            })),
            Ok(None) => Ok(None),
            Err(message) => Err(SniffError::Pcap {
                iface: self.iface.clone(),
                message,
            }),
        }
    }

    /// Packets received and dropped so far.
    ///
    /// # Errors
    /// When libpcap cannot tell.
    pub fn stats(&mut self) -> Result<CaptureStats, SniffError> {
        self.handle
            .stats()
            .map(|s| CaptureStats {
                received: s.received,
                dropped: s.dropped,
                if_dropped: s.if_dropped,
            })
            .map_err(|message| SniffError::Pcap {
                iface: self.iface.clone(),
                message,
            })
    }
}
