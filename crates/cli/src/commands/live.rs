//! Live capture for `discover --iface` (and the stop signal the sensor
//! shares): libpcap through medvigil-sniff on a blocking thread, stopped
//! by a duration, a packet count, Ctrl-C or SIGTERM.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use anyhow::Context as _;
use medvigil_capture::Analyzer;
use medvigil_sniff::{LiveCapture, Options};

/// Live-capture options of `discover`.
#[derive(Debug, clap::Args)]
pub struct LiveArgs {
    /// Capture live from this network interface (libpcap; needs root or
    /// CAP_NET_RAW) instead of reading files; Ctrl-C ends the capture.
    #[arg(long, conflicts_with = "captures")]
    pub iface: Option<String>,
    /// With --iface: BPF capture filter (tcpdump syntax), e.g. 'not port 22'.
    #[arg(long, requires = "iface")]
    pub filter: Option<String>,
    /// With --iface: stop after this many seconds.
    #[arg(long, requires = "iface")]
    pub duration: Option<u64>,
    /// With --iface: stop after this many packets.
    #[arg(long, requires = "iface")]
    pub packets: Option<u64>,
}

/// What a live capture read.
#[derive(Debug, Default, Clone, Copy)]
pub struct LiveSummary {
    /// Packets processed.
    pub packets: u64,
    /// Captured bytes processed.
    pub bytes: u64,
}

/// A flag set on the first Ctrl-C (SIGINT) or SIGTERM.
pub fn stop_on_signal() -> anyhow::Result<Arc<AtomicBool>> {
    let stop = Arc::new(AtomicBool::new(false));
    let mut term = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate())
        .context("cannot install the SIGTERM handler")?;
    let flag = stop.clone();
    tokio::spawn(async move {
        tokio::select! {
            _ = tokio::signal::ctrl_c() => {}
            _ = term.recv() => {}
        }
        flag.store(true, Ordering::SeqCst);
    });
    Ok(stop)
}

/// Opens a live capture, printing libpcap's warning if any.
pub fn open(iface: &str, filter: Option<&str>) -> anyhow::Result<LiveCapture> {
    let cap = LiveCapture::open(
        iface,
        &Options {
            filter: filter.map(str::to_owned),
            ..Options::default()
        },
    )?;
    if let Some(w) = cap.warning() {
        eprintln!("warning: {iface}: {w}");
    }
    Ok(cap)
}

/// Captures on `iface` into `analyzer` until the duration or packet count
/// of `args`, or a stop signal.
pub async fn capture(
    mut analyzer: Analyzer,
    iface: &str,
    args: &LiveArgs,
) -> anyhow::Result<(Analyzer, LiveSummary)> {
    let mut cap = open(iface, args.filter.as_deref())?;
    let stop = stop_on_signal()?;
    eprintln!(
        "capturing on {iface} (link type {}); Ctrl-C ends the capture",
        cap.linktype()
    );
    let deadline = args
        .duration
        .map(|s| Instant::now() + Duration::from_secs(s));
    let limit = args.packets.unwrap_or(u64::MAX);
    tokio::task::spawn_blocking(move || {
        let mut sum = LiveSummary::default();
        while sum.packets < limit
            && !stop.load(Ordering::SeqCst)
            && deadline.is_none_or(|d| Instant::now() < d)
        {
            if let Some(p) = cap.next_packet()? {
                sum.packets += 1;
                sum.bytes += p.data.len() as u64;
                analyzer.process(p);
            }
        }
        if let Ok(s) = cap.stats()
            && (s.dropped > 0 || s.if_dropped > 0)
        {
            eprintln!(
                "warning: {} packets dropped by the kernel, {} by the interface",
                s.dropped, s.if_dropped
            );
        }
        Ok((analyzer, sum))
    })
    .await
    .context("the capture thread failed")?
}
