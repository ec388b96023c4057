//! The few libpcap functions live capture needs, loaded from the shared
//! library at run time.
//!
//! Hand-written rather than the `pcap` crate: that crate links libpcap when
//! it is built, so every build would need libpcap-dev, while a fresh Debian
//! machine has only the runtime library (libpcap.so.0.8). Loading at run
//! time keeps `cargo build` working there and turns a missing libpcap into
//! a clear error of the one command that needs it. Signatures follow
//! pcap/pcap.h of libpcap 1.10 (the API is stable since 1.0).

#![allow(unsafe_code)]

use std::ffi::{CStr, CString, c_char, c_int, c_long, c_uint, c_void};
use std::ptr::NonNull;
use std::sync::OnceLock;
use std::time::{Duration, Instant};

use libloading::Library;

/// `PCAP_ERRBUF_SIZE`.
const ERRBUF_SIZE: usize = 256;
/// `PCAP_NETMASK_UNKNOWN`: filters that test broadcast addresses fail.
const NETMASK_UNKNOWN: u32 = 0xffff_ffff;
/// How long a read sleeps when no packet waits: short enough that the
/// kernel ring (libpcap's default 2 MB, see `Options::buffer_bytes`) does
/// not fill meanwhile at hospital-LAN rates.
const POLL: Duration = Duration::from_millis(2);
/// `PCAP_TSTAMP_PRECISION_NANO`.
const TSTAMP_PRECISION_NANO: c_int = 1;

/// `pcap_activate` results (pcap/pcap.h).
pub(crate) const ERROR_NO_SUCH_DEVICE: c_int = -5;
pub(crate) const ERROR_PERM_DENIED: c_int = -8;
pub(crate) const ERROR_IFACE_NOT_UP: c_int = -9;
pub(crate) const ERROR_PROMISC_PERM_DENIED: c_int = -11;

/// Library names tried in order: the development symlink, then the runtime
/// sonames of Linux distributions (Debian keeps the historical 0.8), then
/// macOS.
pub(crate) const LIBRARY_NAMES: &[&str] = &[
    "libpcap.so",
    "libpcap.so.1",
    "libpcap.so.0.8",
    "libpcap.A.dylib",
];

type PcapT = c_void;

/// `struct pcap_pkthdr` (struct timeval is two C longs on LP64 and ILP32 Linux).
#[repr(C)]
struct PktHdr {
    ts_sec: c_long,
    ts_frac: c_long,
    caplen: u32,
    len: u32,
}

/// `struct bpf_program`.
#[repr(C)]
struct BpfProgram {
    bf_len: c_uint,
    bf_insns: *mut c_void,
}

/// `struct pcap_stat` (the portable part).
#[repr(C)]
#[derive(Default)]
struct PcapStat {
    ps_recv: c_uint,
    ps_drop: c_uint,
    ps_ifdrop: c_uint,
}

type CreateFn = unsafe extern "C" fn(*const c_char, *mut c_char) -> *mut PcapT;
type SetIntFn = unsafe extern "C" fn(*mut PcapT, c_int) -> c_int;
type ActivateFn = unsafe extern "C" fn(*mut PcapT) -> c_int;
type CompileFn =
    unsafe extern "C" fn(*mut PcapT, *mut BpfProgram, *const c_char, c_int, u32) -> c_int;
type SetFilterFn = unsafe extern "C" fn(*mut PcapT, *mut BpfProgram) -> c_int;
type FreeCodeFn = unsafe extern "C" fn(*mut BpfProgram);
type DatalinkFn = unsafe extern "C" fn(*mut PcapT) -> c_int;
type NextExFn = unsafe extern "C" fn(*mut PcapT, *mut *mut PktHdr, *mut *const u8) -> c_int;
type GetErrFn = unsafe extern "C" fn(*mut PcapT) -> *const c_char;
type SetNonblockFn = unsafe extern "C" fn(*mut PcapT, c_int, *mut c_char) -> c_int;
type StatsFn = unsafe extern "C" fn(*mut PcapT, *mut PcapStat) -> c_int;
type CloseFn = unsafe extern "C" fn(*mut PcapT);

/// The loaded library and its functions.
struct Lib {
    // Keeps the functions below mapped; never unloaded (a process-wide static).
    _library: Library,
    create: CreateFn,
    set_snaplen: SetIntFn,
    set_promisc: SetIntFn,
    set_timeout: SetIntFn,
    set_immediate_mode: SetIntFn,
    set_buffer_size: SetIntFn,
    set_tstamp_precision: Option<SetIntFn>,
    activate: ActivateFn,
    setnonblock: SetNonblockFn,
    compile: CompileFn,
    setfilter: SetFilterFn,
    freecode: FreeCodeFn,
    datalink: DatalinkFn,
    next_ex: NextExFn,
    geterr: GetErrFn,
    stats: StatsFn,
    close: CloseFn,
}

fn load() -> Result<Lib, String> {
    if let Ok(path) = std::env::var("MEDVIGIL_LIBPCAP") {
        return load_from(&path);
    }
    let mut reasons = Vec::new();
    for name in LIBRARY_NAMES {
        match load_from(name) {
            Ok(lib) => return Ok(lib),
            Err(e) => reasons.push(e),
        }
    }
    Err(reasons.join("; "))
}

fn load_from(name: &str) -> Result<Lib, String> {
    // SAFETY: loading libpcap runs its initialisers, which have no
    // preconditions.
    let library = unsafe { Library::new(name) }.map_err(|e| format!("{name}: {e}"))?;
    macro_rules! sym {
        ($name:literal) => {
            // SAFETY: the type is the function's prototype in pcap/pcap.h.
            *unsafe { library.get(concat!($name, "\0").as_bytes()) }
                .map_err(|e| format!("{name}: {}: {e}", $name))?
        };
    }
    let set_tstamp_precision = {
        // SAFETY: as above; absent before libpcap 1.5.
        unsafe { library.get::<SetIntFn>(b"pcap_set_tstamp_precision\0") }
            .ok()
            .map(|s| *s)
    };
    Ok(Lib {
        create: sym!("pcap_create"),
        set_snaplen: sym!("pcap_set_snaplen"),
        set_promisc: sym!("pcap_set_promisc"),
        set_timeout: sym!("pcap_set_timeout"),
        set_immediate_mode: sym!("pcap_set_immediate_mode"),
        set_buffer_size: sym!("pcap_set_buffer_size"),
        set_tstamp_precision,
        activate: sym!("pcap_activate"),
        setnonblock: sym!("pcap_setnonblock"),
        compile: sym!("pcap_compile"),
        setfilter: sym!("pcap_setfilter"),
        freecode: sym!("pcap_freecode"),
        datalink: sym!("pcap_datalink"),
        next_ex: sym!("pcap_next_ex"),
        geterr: sym!("pcap_geterr"),
        stats: sym!("pcap_stats"),
        close: sym!("pcap_close"),
        _library: library,
    })
}

static LIB: OnceLock<Result<Lib, String>> = OnceLock::new();

fn lib() -> Result<&'static Lib, String> {
    LIB.get_or_init(load).as_ref().map_err(Clone::clone)
}

/// Whether libpcap can be loaded, and why not.
pub(crate) fn available() -> Result<(), String> {
    lib().map(|_| ())
}

/// A libpcap capture handle (created, maybe activated), closed on drop.
pub(crate) struct Handle {
    lib: &'static Lib,
    p: NonNull<PcapT>,
    nanos: bool,
}

// SAFETY: a pcap_t may move between threads; it is used by one at a time
// (every method takes `&mut self` or is a read of the handle's own state).
unsafe impl Send for Handle {}

/// One packet as libpcap hands it out, valid until the next read.
pub(crate) struct Frame<'a> {
    pub(crate) nanos: u64,
    pub(crate) data: &'a [u8],
    pub(crate) orig_len: u32,
}

/// Drop counters.
pub(crate) struct Stats {
    pub(crate) received: u32,
    pub(crate) dropped: u32,
    pub(crate) if_dropped: u32,
}

impl Handle {
    /// `pcap_create`.
    pub(crate) fn create(iface: &str) -> Result<Self, String> {
        let lib = lib()?;
        let name = CString::new(iface).map_err(|_| "interface name contains NUL".to_owned())?;
        let mut err = [0 as c_char; ERRBUF_SIZE];
        // SAFETY: a NUL-terminated name and an error buffer of the size the
        // API requires.
        let p = unsafe { (lib.create)(name.as_ptr(), err.as_mut_ptr()) };
        match NonNull::new(p) {
            Some(p) => Ok(Self {
                lib,
                p,
                nanos: false,
            }),
            None => Err(cstr(err.as_ptr())),
        }
    }

    /// The handle's last error message (`pcap_geterr`).
    pub(crate) fn error(&self) -> String {
        // SAFETY: the handle is open; the string is copied before any other call.
        cstr(unsafe { (self.lib.geterr)(self.p.as_ptr()) })
    }

    /// Settings made before activation; each returns 0 or an error code.
    pub(crate) fn configure(
        &mut self,
        snaplen: i32,
        promisc: bool,
        timeout_ms: i32,
        buffer: Option<i32>,
    ) -> Result<(), c_int> {
        let p = self.p.as_ptr();
        // SAFETY: a created, not yet activated handle.
        unsafe {
            for rc in [
                (self.lib.set_snaplen)(p, snaplen),
                (self.lib.set_promisc)(p, c_int::from(promisc)),
                (self.lib.set_timeout)(p, timeout_ms),
                // Packets as they arrive, not when a kernel buffer fills:
                // a quiet segment must not hold facts back for minutes.
                (self.lib.set_immediate_mode)(p, 1),
                buffer.map_or(0, |b| (self.lib.set_buffer_size)(p, b)),
            ] {
                if rc != 0 {
                    return Err(rc);
                }
            }
            if let Some(f) = self.lib.set_tstamp_precision {
                self.nanos = f(p, TSTAMP_PRECISION_NANO) == 0;
            }
        }
        Ok(())
    }

    /// `pcap_activate`: 0, a warning (> 0) or an error (< 0).
    pub(crate) fn activate(&mut self) -> c_int {
        // SAFETY: a created handle.
        unsafe { (self.lib.activate)(self.p.as_ptr()) }
    }

    /// `pcap_setnonblock`: reads return at once when no packet waits.
    ///
    /// Why: on Linux, immediate mode (TPACKET_V2) ignores the read timeout
    /// and a read on a quiet interface blocks until a packet comes, so a
    /// caller could neither cut its batch nor see a stop request.
    pub(crate) fn set_nonblocking(&mut self) -> Result<(), String> {
        let mut err = [0 as c_char; ERRBUF_SIZE];
        // SAFETY: an activated handle and an error buffer of the API's size.
        if unsafe { (self.lib.setnonblock)(self.p.as_ptr(), 1, err.as_mut_ptr()) } != 0 {
            return Err(cstr(err.as_ptr()));
        }
        Ok(())
    }

    /// Compiles and installs a BPF filter.
    pub(crate) fn set_filter(&mut self, filter: &str) -> Result<(), String> {
        let text = CString::new(filter).map_err(|_| "filter contains NUL".to_owned())?;
        let mut prog = BpfProgram {
            bf_len: 0,
            bf_insns: std::ptr::null_mut(),
        };
        // SAFETY: an activated handle, a NUL-terminated filter, a program
        // struct libpcap fills and that is freed below.
        unsafe {
            if (self.lib.compile)(
                self.p.as_ptr(),
                &mut prog,
                text.as_ptr(),
                1,
                NETMASK_UNKNOWN,
            ) != 0
            {
                return Err(self.error());
            }
            let rc = (self.lib.setfilter)(self.p.as_ptr(), &mut prog);
            (self.lib.freecode)(&mut prog);
            if rc != 0 {
                return Err(self.error());
            }
        }
        Ok(())
    }

    /// `pcap_datalink`: the DLT_ value (equal to LINKTYPE_ for every link
    /// type the analyzer reads, DLT_RAW's 12 and 14 included).
    pub(crate) fn datalink(&self) -> c_int {
        // SAFETY: an activated handle.
        unsafe { (self.lib.datalink)(self.p.as_ptr()) }
    }

    /// `pcap_next_ex` on a non-blocking handle, polled every millisecond or
    /// two until a packet comes or `timeout` passed (`Ok(None)`).
    pub(crate) fn next(&mut self, timeout: Duration) -> Result<Option<Frame<'_>>, String> {
        let deadline = Instant::now() + timeout;
        let mut hdr: *mut PktHdr = std::ptr::null_mut();
        let mut data: *const u8 = std::ptr::null();
        loop {
            // SAFETY: an activated handle and two out-pointers.
            let rc = unsafe { (self.lib.next_ex)(self.p.as_ptr(), &mut hdr, &mut data) };
            match rc {
                1 if !hdr.is_null() && !data.is_null() => break,
                0 | 1 => {
                    if Instant::now() >= deadline {
                        return Ok(None);
                    }
                    std::thread::sleep(POLL);
                }
                _ => return Err(self.error()),
            }
        }
        // SAFETY: on 1, libpcap set both to a header and `caplen` bytes that
        // stay valid until the next call on this handle, which the borrow of
        // `self` prevents.
        let (h, bytes) = unsafe {
            let h = &*hdr;
            (h, std::slice::from_raw_parts(data, h.caplen as usize))
        };
        let secs = u64::try_from(h.ts_sec).unwrap_or(0);
        let frac = u64::try_from(h.ts_frac).unwrap_or(0);
        let frac_ns = if self.nanos { frac } else { frac * 1_000 };
        Ok(Some(Frame {
            nanos: secs.saturating_mul(1_000_000_000).saturating_add(frac_ns),
            data: bytes,
            orig_len: h.len,
        }))
    }

    /// `pcap_stats`.
    pub(crate) fn stats(&mut self) -> Result<Stats, String> {
        let mut s = PcapStat::default();
        // SAFETY: an activated handle and a struct to fill.
        if unsafe { (self.lib.stats)(self.p.as_ptr(), &mut s) } != 0 {
            return Err(self.error());
        }
        Ok(Stats {
            received: s.ps_recv,
            dropped: s.ps_drop,
            if_dropped: s.ps_ifdrop,
        })
    }
}

impl Drop for Handle {
    fn drop(&mut self) {
        // SAFETY: the handle is open and closed once.
        unsafe { (self.lib.close)(self.p.as_ptr()) }
    }
}

fn cstr(p: *const c_char) -> String {
    if p.is_null() {
        return String::new();
    }
    // SAFETY: libpcap returns NUL-terminated strings (or fills the error
    // buffer with one).
    unsafe { CStr::from_ptr(p) }.to_string_lossy().into_owned()
}
