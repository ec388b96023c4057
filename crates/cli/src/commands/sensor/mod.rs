//! `medvigil sensor`: a site sensor. It captures live (or replays capture
//! files), turns packets into devices and conversations every
//! `--batch-seconds`, writes each batch to a disk spool, and sends spooled
//! batches to the server oldest first, removing one only when the server
//! acknowledged it. The server applies a batch id once, so a batch resent
//! after a lost acknowledgement is not counted twice.
//!
//! Two threads: the producer (capture → analyzer → batch → spool) never
//! waits for the network; the sender (spool → server) retries with
//! exponential backoff while the server is unreachable.

mod spool;
mod uplink;

use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use anyhow::Context as _;
use medvigil_capture::{Analyzer, Limits, RawPacket};
use medvigil_decode::oui::OuiRegistry;
use medvigil_inventory::discovery::{conversations, discovery_rows};
use medvigil_server::api::discovery::{BatchConversation, BatchDevice, BatchRequest};

use spool::Spool;
use uplink::{Delivery, Uplink};

/// Largest batch body written: under the server's 1 MiB request limit.
const MAX_BODY: usize = 900 << 10;

/// `sensor`
#[derive(Debug, clap::Args)]
pub struct Args {
    /// Network interface to capture on (a SPAN or mirror port); needs root
    /// or CAP_NET_RAW.
    #[arg(long, required_unless_present = "read")]
    iface: Option<String>,
    /// Replay these pcap/pcapng files instead of capturing (batches cut by
    /// capture time); exits once every batch is acknowledged.
    #[arg(long, num_args = 1.., conflicts_with = "iface")]
    read: Vec<PathBuf>,
    /// The medvigil server (`https://medvigil.example.org`).
    #[arg(long, env = "MEDVIGIL_SERVER")]
    server: String,
    /// API token (`mv_<id>_<secret>`) of a user whose role may upload
    /// captures (network or admin).
    #[arg(long, env = "MEDVIGIL_TOKEN", hide_env_values = true)]
    token: String,
    /// The site this sensor watches: new devices are placed there.
    #[arg(long)]
    site: Option<String>,
    /// The sensor's name, recorded with each batch; default: the host name.
    #[arg(long)]
    name: Option<String>,
    /// Spool folder: batches wait there until the server acknowledged them.
    #[arg(long, default_value = "medvigil-spool")]
    spool: PathBuf,
    /// Most megabytes the spool holds; beyond, the oldest batches are
    /// deleted unsent (and counted).
    #[arg(long, default_value_t = 1024)]
    spool_max_mb: u64,
    /// Seconds of traffic per batch.
    #[arg(long, default_value_t = 60)]
    batch_seconds: u64,
    /// Longest wait between two attempts while the server is unreachable.
    #[arg(long, default_value_t = 60)]
    retry_max_seconds: u64,
    /// BPF capture filter (tcpdump syntax), e.g. 'not port 22'.
    #[arg(long, requires = "iface")]
    filter: Option<String>,
    /// Folder with the IEEE registries; default: Debian's ieee-data.
    #[arg(long)]
    oui: Option<PathBuf>,
    /// Your own fingerprint rules (TOML), tried before the built-in catalog.
    #[arg(long)]
    rules: Option<PathBuf>,
    /// Use an identification only when at least this sure (0–100).
    #[arg(long, default_value_t = 60)]
    min_confidence: u8,
}

/// Turns what the analyzer saw since the last batch into batches.
struct Batcher {
    sensor: String,
    site: Option<String>,
    catalog: medvigil_fingerprint::Catalog,
    min_confidence: u8,
    spool: Arc<std::sync::Mutex<Spool>>,
    written: u64,
}

impl Batcher {
    /// Flushes the analyzer into the spool (nothing when nothing was seen).
    fn cut(&mut self, analyzer: &mut Analyzer) -> anyhow::Result<()> {
        let observations = analyzer.flush();
        let identifications = self.catalog.identify(&observations);
        let rows = discovery_rows(&observations, &identifications, self.min_confidence, None);
        let devices: Vec<BatchDevice> = rows.iter().filter_map(BatchDevice::from_row).collect();
        let conversations: Vec<BatchConversation> = conversations(&observations)
            .iter()
            .map(BatchConversation::from)
            .collect();
        if devices.is_empty() && conversations.is_empty() {
            return Ok(());
        }
        self.write(devices, conversations)
    }

    /// Writes one batch, halved until each part fits the body limit.
    fn write(
        &mut self,
        devices: Vec<BatchDevice>,
        conversations: Vec<BatchConversation>,
    ) -> anyhow::Result<()> {
        let batch = BatchRequest {
            batch_id: uuid::Uuid::now_v7(),
            sensor: self.sensor.clone(),
            site: self.site.clone(),
            devices,
            conversations,
        };
        let body = serde_json::to_vec(&batch)?;
        let items = batch.devices.len() + batch.conversations.len();
        if (body.len() > MAX_BODY || items > medvigil_server::api::discovery::MAX_BATCH_ITEMS)
            && items > 1
        {
            let BatchRequest {
                mut devices,
                mut conversations,
                ..
            } = batch;
            let later_devices = devices.split_off(devices.len() / 2);
            let later_conversations = conversations.split_off(conversations.len() / 2);
            self.write(devices, conversations)?;
            return self.write(later_devices, later_conversations);
        }
        let mut spool = self
            .spool
            .lock()
            .map_err(|_| anyhow::anyhow!("spool lock poisoned"))?;
        spool.write(&batch.batch_id, &body)?;
        self.written += 1;
        Ok(())
    }
}

fn hostname() -> String {
    std::fs::read_to_string("/proc/sys/kernel/hostname")
        .map(|h| h.trim().to_owned())
        .ok()
        .filter(|h| !h.is_empty())
        .unwrap_or_else(|| "sensor".into())
}

/// Captures live until `stop`, cutting a batch every `every`.
fn produce_live(
    iface: &str,
    filter: Option<&str>,
    mut analyzer: Analyzer,
    batcher: &mut Batcher,
    every: Duration,
    stop: &AtomicBool,
) -> anyhow::Result<u64> {
    let mut cap = super::live::open(iface, filter)?;
    eprintln!(
        "sensor capturing on {iface} (link type {}), a batch every {} s",
        cap.linktype(),
        every.as_secs()
    );
    let mut next = Instant::now() + every;
    let mut packets = 0u64;
    while !stop.load(Ordering::SeqCst) {
        if let Some(p) = cap.next_packet()? {
            packets += 1;
            analyzer.process(p);
        }
        if Instant::now() >= next {
            batcher.cut(&mut analyzer)?;
            next = Instant::now() + every;
        }
    }
    batcher.cut(&mut analyzer)?;
    Ok(packets)
}

/// Replays capture files, cutting a batch every `every` of capture time
/// and at the end of each file.
fn produce_files(
    files: &[PathBuf],
    mut analyzer: Analyzer,
    batcher: &mut Batcher,
    every: Duration,
    stop: &AtomicBool,
) -> anyhow::Result<u64> {
    let every = u64::try_from(every.as_nanos()).unwrap_or(u64::MAX).max(1);
    let mut packets = 0u64;
    for path in files {
        if stop.load(Ordering::SeqCst) {
            break;
        }
        let file =
            std::fs::File::open(path).with_context(|| format!("cannot open {}", path.display()))?;
        let mut batch_start: Option<u64> = None;
        let mut failed: Option<anyhow::Error> = None;
        medvigil_capture::for_each_packet(file, |p: RawPacket<'_>| {
            let ts = p.timestamp.0;
            let start = *batch_start.get_or_insert(ts);
            if ts.saturating_sub(start) >= every {
                if let Err(e) = batcher.cut(&mut analyzer)
                    && failed.is_none()
                {
                    failed = Some(e);
                }
                batch_start = Some(ts);
            }
            packets += 1;
            analyzer.process(p);
        })
        .with_context(|| format!("cannot read {}", path.display()))?;
        if let Some(e) = failed {
            return Err(e);
        }
        batcher.cut(&mut analyzer)?;
    }
    eprintln!(
        "replayed {} files: {packets} packets into {} batches",
        files.len(),
        batcher.written
    );
    Ok(packets)
}

/// Sends spooled batches oldest first until the producer is done and the
/// spool is empty, or, after a stop request, until an attempt fails (the
/// rest waits in the spool for the next start). Returns (sent, refused).
fn send_loop(
    uplink: &Uplink,
    spool: &std::sync::Mutex<Spool>,
    produced: &AtomicBool,
    stop: &AtomicBool,
    retry_max: Duration,
) -> anyhow::Result<(u64, u64)> {
    let (mut sent, mut refused) = (0u64, 0u64);
    let mut backoff = Duration::from_secs(1);
    let mut down_since: Option<Instant> = None;
    let lock = || {
        spool
            .lock()
            .map_err(|_| anyhow::anyhow!("spool lock poisoned"))
    };
    loop {
        let done = produced.load(Ordering::SeqCst);
        let pending = lock()?.pending()?;
        if pending.is_empty() {
            if done {
                return Ok((sent, refused));
            }
            std::thread::sleep(Duration::from_millis(200));
            continue;
        }
        let mut failed = false;
        for path in pending {
            let body = match std::fs::read(&path) {
                Ok(b) => b,
                // Dropped by the bound meanwhile.
                Err(e) if e.kind() == std::io::ErrorKind::NotFound => continue,
                Err(e) => return Err(e).context(format!("cannot read {}", path.display())),
            };
            match uplink.send(&body) {
                Delivery::Acknowledged(a) => {
                    lock()?.remove(&path)?;
                    sent += 1;
                    if let Some(t) = down_since.take() {
                        eprintln!(
                            "server reachable again after {:.0} s",
                            t.elapsed().as_secs_f64()
                        );
                    }
                    backoff = Duration::from_secs(1);
                    tracing::info!(batch = %a.batch_id, status = %a.status, created = a.created, updated = a.updated, "batch acknowledged");
                }
                Delivery::Refused(why) => {
                    let to = lock()?.reject(&path)?;
                    refused += 1;
                    eprintln!(
                        "error: the server refused a batch, kept in {}: {why}",
                        to.display()
                    );
                }
                Delivery::Retry(why) => {
                    if down_since.is_none() {
                        eprintln!("server unreachable, batches wait in the spool: {why}");
                        down_since = Some(Instant::now());
                    }
                    failed = true;
                    break;
                }
            }
        }
        if failed {
            if stop.load(Ordering::SeqCst) && done {
                return Ok((sent, refused));
            }
            // Sleep in slices so that a stop request is seen.
            let until = Instant::now() + backoff;
            while Instant::now() < until
                && !(stop.load(Ordering::SeqCst) && produced.load(Ordering::SeqCst))
            {
                std::thread::sleep(Duration::from_millis(100));
            }
            backoff = (backoff * 2).min(retry_max.max(Duration::from_secs(1)));
        }
    }
}

/// Runs the sensor until a stop signal (live) or until every batch of the
/// files is acknowledged (`--read`).
pub async fn run(args: Args) -> anyhow::Result<ExitCode> {
    let mut analyzer = Analyzer::new(Limits::default());
    match OuiRegistry::load(args.oui.as_deref()) {
        Ok(reg) => analyzer = analyzer.with_oui(reg),
        Err(e) => {
            eprintln!("warning: no MAC vendor registry ({e}); use --oui DIR or install ieee-data")
        }
    }
    let catalog = super::discover::catalog(args.rules.as_ref())?;
    let spool = Spool::open(&args.spool, args.spool_max_mb.saturating_mul(1_000_000))?;
    let waiting = spool.pending()?.len();
    if waiting > 0 {
        eprintln!(
            "{waiting} batches from an earlier run wait in {}; sending them first",
            spool.dir().display()
        );
    }
    let spool = Arc::new(std::sync::Mutex::new(spool));
    let stop = super::live::stop_on_signal()?;
    let produced = Arc::new(AtomicBool::new(false));
    let mut batcher = Batcher {
        sensor: args.name.clone().unwrap_or_else(hostname),
        site: args.site.clone(),
        catalog,
        min_confidence: args.min_confidence,
        spool: spool.clone(),
        written: 0,
    };
    let every = Duration::from_secs(args.batch_seconds.max(1));
    let uplink = Uplink::new(&args.server, &args.token);
    let retry_max = Duration::from_secs(args.retry_max_seconds);
    let sender = {
        let (spool, produced, stop) = (spool.clone(), produced.clone(), stop.clone());
        std::thread::spawn(move || send_loop(&uplink, &spool, &produced, &stop, retry_max))
    };
    let producer = {
        let stop = stop.clone();
        let (iface, filter, read) = (args.iface.clone(), args.filter.clone(), args.read.clone());
        tokio::task::spawn_blocking(move || {
            let r = match &iface {
                Some(iface) => produce_live(
                    iface,
                    filter.as_deref(),
                    analyzer,
                    &mut batcher,
                    every,
                    &stop,
                ),
                None => produce_files(&read, analyzer, &mut batcher, every, &stop),
            };
            r.map(|packets| (packets, batcher.written))
        })
    };
    let produced_result = producer.await.context("the capture thread failed");
    produced.store(true, Ordering::SeqCst);
    // A capture failure still lets the sender deliver what was spooled.
    if produced_result.as_ref().map_or(true, |r| r.is_err()) {
        stop.store(true, Ordering::SeqCst);
    }
    let sent = tokio::task::spawn_blocking(move || sender.join())
        .await
        .context("the sender thread failed")?
        .map_err(|_| anyhow::anyhow!("the sender thread panicked"))?;
    let (packets, written) = produced_result??;
    let (sent, refused) = sent?;
    let spool = spool
        .lock()
        .map_err(|_| anyhow::anyhow!("spool lock poisoned"))?;
    let left = spool.pending()?.len();
    eprintln!(
        "sensor stopped: {packets} packets, {written} batches written, {sent} sent, {refused} refused, {} dropped at the spool bound, {left} left in {}",
        spool.dropped,
        spool.dir().display()
    );
    Ok(ExitCode::SUCCESS)
}
