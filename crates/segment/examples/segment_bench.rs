//! Benchmark: a synthetic hospital of `--devices` devices and `--flows`
//! conversation records, deterministic from `--seed`, through assignment,
//! conduit learning (streamed: the records are never all in memory) and the
//! nftables export. Prints the time of each step, peak memory (VmHWM) and
//! the ruleset's size; then runs again at a tenth of the devices and flows to
//! show that the zone and conduit part of the ruleset does not grow with the
//! device count (the device-specific part grows with the unpatchable devices,
//! by design).
//!
//! `cargo run --release -p medvigil-segment --example segment_bench -- --devices 100000 --flows 10000000`

use std::net::{IpAddr, Ipv4Addr};
use std::time::Instant;

use medvigil_model::{Category, Conversation, Device, DeviceFields, DeviceId, Peer};
use medvigil_segment::{Learner, Policy, ZonePolicy, assign, to_nftables};
use rand::{Rng, RngCore, SeedableRng};
use rand_chacha::ChaCha8Rng;
use time::OffsetDateTime;
use time::macros::{date, datetime};

/// Device mix: category, share in per mille, first octet pair of its block.
const MIX: [(Category, u32, u8); 9] = [
    (Category::InfusionPump, 350, 20),
    (Category::PatientMonitor, 250, 40),
    (Category::Ventilator, 50, 44),
    (Category::Imaging, 80, 10),
    (Category::Pacs, 2, 12),
    (Category::ViewingStation, 30, 14),
    (Category::LabAnalyser, 80, 50),
    (Category::BuildingSystem, 60, 60),
    (Category::Other, 98, 70),
];

/// Shards of the flow records, learned on as many threads.
const SHARDS: u64 = 2;

/// Unpatchable devices per mille.
const UNPATCHABLE: u32 = 20;

/// Clinical servers (10.30.0.1 …): pump gateway, NTP, DNS, RIS, LIS, HL7
/// engine, BMS head end.
const PUMP_GW: u8 = 1;
const NTP: u8 = 10;
const DNS: u8 = 11;
const RIS: u8 = 20;
const HL7: u8 = 25;
const LIS: u8 = 30;
const BMS: u8 = 35;

struct Args {
    devices: usize,
    flows: u64,
    seed: u64,
    /// Where to write the full-scale ruleset (for `nft -c -f`).
    out: Option<String>,
}

fn args() -> Result<Args, String> {
    let mut a = Args {
        devices: 100_000,
        flows: 10_000_000,
        seed: 62443,
        out: None,
    };
    let mut it = std::env::args().skip(1);
    while let Some(k) = it.next() {
        let v = it.next().ok_or_else(|| format!("{k} needs a value"))?;
        let bad = |e: std::num::ParseIntError| format!("{k} {v}: {e}");
        match k.as_str() {
            "--devices" => a.devices = v.parse().map_err(bad)?,
            "--flows" => a.flows = v.parse().map_err(bad)?,
            "--seed" => a.seed = v.parse().map_err(bad)?,
            "--out" => a.out = Some(v),
            _ => {
                return Err(format!(
                    "unknown argument {k} (--devices N --flows N --seed S --out FILE)"
                ));
            }
        }
    }
    Ok(a)
}

fn ip(a: u8, b: u8, n: u32) -> IpAddr {
    let [_, _, c, d] = n.to_be_bytes();
    let b = b.wrapping_add(((n >> 16) & 0xff) as u8);
    IpAddr::V4(Ipv4Addr::new(a, b, c, d))
}

fn server(n: u8) -> IpAddr {
    IpAddr::V4(Ipv4Addr::new(10, 30, 0, n))
}

/// The devices, and for drawing flows: each device's category and address.
fn hospital(n: usize, rng: &mut ChaCha8Rng) -> (Vec<Device>, Vec<(Category, IpAddr)>) {
    let mut next = [0u32; MIX.len()];
    let mut devices = Vec::with_capacity(n);
    let mut endpoints = Vec::with_capacity(n);
    let seen = datetime!(2026-01-01 0:00 UTC);
    for i in 0..n {
        let mut pick = rng.random_range(0..1000u32);
        let k = MIX
            .iter()
            .position(|(_, share, _)| {
                let hit = pick < *share;
                pick = pick.saturating_sub(*share);
                hit
            })
            .unwrap_or(MIX.len() - 1);
        let (category, _, octet) = MIX[k];
        // Addresses are handed out in order within the category's block, as
        // DHCP scopes per VLAN do.
        let addr = ip(10, octet, next[k] + 1);
        next[k] += 1;
        let mut f = DeviceFields {
            category: Some(category),
            ip: Some(addr),
            ..DeviceFields::default()
        };
        if rng.random_range(0..1000) < UNPATCHABLE {
            if rng.random_bool(0.5) {
                f.patchable = Some(false);
            } else {
                f.end_of_support = Some(date!(2022 - 12 - 31));
            }
        }
        let id: DeviceId = format!("00000000-0000-7000-8000-{i:012}")
            .parse()
            .map_err(|e| format!("{e}"))
            .unwrap_or_default();
        devices.push(Device {
            id,
            fields: f,
            sources: Default::default(),
            first_seen: seen,
            last_seen: seen,
        });
        endpoints.push((category, addr));
    }
    (devices, endpoints)
}

/// Draws conversation records into one reused value (no allocation per record).
struct Flows<'a> {
    rng: ChaCha8Rng,
    endpoints: &'a [(Category, IpAddr)],
    pacs: Vec<IpAddr>,
    /// First and last packet times to draw from (65,536 over a month).
    times: Vec<(OffsetDateTime, OffsetDateTime)>,
    c: Conversation,
}

impl<'a> Flows<'a> {
    fn new(seed: u64, endpoints: &'a [(Category, IpAddr)]) -> Self {
        let pacs: Vec<IpAddr> = endpoints
            .iter()
            .filter(|(c, _)| *c == Category::Pacs)
            .map(|(_, ip)| *ip)
            .collect();
        let t = datetime!(2026-05-01 0:00 UTC);
        let peer = |ip| Peer { ip, mac: None };
        let mut rng = ChaCha8Rng::seed_from_u64(seed ^ 0x5eed);
        let times = (0..65_536)
            .map(|_| {
                let start = t + time::Duration::seconds(rng.random_range(0..2_592_000));
                (
                    start,
                    start + time::Duration::seconds(rng.random_range(1..600)),
                )
            })
            .collect();
        Self {
            rng,
            times,
            endpoints,
            pacs: if pacs.is_empty() {
                vec![server(RIS)]
            } else {
                pacs
            },
            c: Conversation {
                client: peer(server(1)),
                server: peer(server(1)),
                transport: String::with_capacity(8),
                port: 0,
                protocol: None,
                flows: 1,
                packets: 10,
                bytes: 1000,
                first_seen: t,
                last_seen: t,
            },
        }
    }

    fn next(&mut self) -> &Conversation {
        // Two draws per record, sliced into the choices: the generator
        // should cost little next to what is measured.
        let (x, y) = (self.rng.next_u64(), self.rng.next_u64());
        let n = self.endpoints.len();
        let (category, client) = self.endpoints[pick(x as u32, n)];
        let roll = ((((x >> 32) & 0x3ff) * 1000) >> 10) as u32;
        let any_device = self.endpoints[pick(y as u32, n)].1;
        let a_pacs = self.pacs[pick(y as u32, self.pacs.len())];
        let (server, tcp, port) = if roll == 0 {
            // A scanner nobody registered.
            (client, true, 22)
        } else {
            match category {
                Category::InfusionPump if roll < 900 => (server(PUMP_GW), true, 443),
                Category::PatientMonitor | Category::Ventilator if roll < 700 => {
                    (server(HL7), true, 2575)
                }
                Category::PatientMonitor | Category::Ventilator => (any_device, true, 24105),
                Category::Imaging if roll < 600 => (a_pacs, true, 104),
                Category::Imaging => (server(RIS), true, 104),
                Category::ViewingStation | Category::Pacs => (a_pacs, true, 104),
                Category::LabAnalyser if roll < 950 => (server(LIS), true, 2575),
                Category::BuildingSystem if roll < 800 => (server(BMS), false, 47808),
                Category::BuildingSystem => (
                    IpAddr::V4(Ipv4Addr::new(203, 0, 113, 1 + ((y >> 32) % 50) as u8)),
                    true,
                    443,
                ),
                Category::Other if roll < 500 => (server(DNS), false, 53),
                Category::Other => (server(HL7 + ((y >> 48) % 4) as u8), true, 443),
                _ => (server(NTP), false, 123),
            }
        };
        let client = if roll == 0 {
            IpAddr::V4(Ipv4Addr::new(10, 250, 0, 1 + ((y >> 40) % 20) as u8))
        } else {
            client
        };
        let c = &mut self.c;
        c.client.ip = client;
        c.server.ip = server;
        c.transport.clear();
        c.transport.push_str(if tcp { "tcp" } else { "udp" });
        c.port = port;
        let flows = 1 + ((x >> 42) & 0xf);
        c.flows = flows;
        c.packets = flows * 12;
        c.bytes = flows * (200 + (y >> 50) % 19_800);
        (c.first_seen, c.last_seen) = self.times[(x >> 48) as usize];
        &self.c
    }
}

/// A uniform index below `n` from 32 random bits (multiply-shift).
fn pick(bits: u32, n: usize) -> usize {
    ((u64::from(bits) * n as u64) >> 32) as usize
}

/// CPU time (user + system) this process has used, from /proc/self/stat,
/// in seconds: what the work costs whatever else the machine runs.
fn cpu_seconds() -> f64 {
    std::fs::read_to_string("/proc/self/stat")
        .ok()
        .and_then(|s| {
            // Fields after the command name, which is in parentheses.
            let rest = s.rsplit_once(')')?.1;
            let f: Vec<&str> = rest.split_whitespace().collect();
            let ticks = f.get(11)?.parse::<f64>().ok()? + f.get(12)?.parse::<f64>().ok()?;
            // The kernel's USER_HZ is 100 on Linux.
            Some(ticks / 100.0)
        })
        .unwrap_or(0.0)
}

/// Peak resident memory so far, from /proc/self/status.
fn peak_memory() -> String {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("VmHWM:"))
                .map(|l| l.trim_start_matches("VmHWM:").trim().to_owned())
        })
        .unwrap_or_else(|| "unknown".to_owned())
}

struct Run {
    policy: Policy,
    ruleset: String,
}

fn zone_policy() -> Result<ZonePolicy, String> {
    ZonePolicy::from_toml(&format!(
        "{}\n[[rules]]\nname = \"clinical servers\"\nzone = \"clinical-it\"\ncidr = [\"10.30.0.0/16\"]\n",
        ZonePolicy::default_toml()
    ))
    .map_err(|e| e.to_string())
}

fn run(devices: usize, flows: u64, seed: u64, verbose: bool) -> Result<Run, String> {
    let zp = zone_policy()?;
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let t = Instant::now();
    let (devs, endpoints) = hospital(devices, &mut rng);
    let t_devices = t.elapsed();

    let t = Instant::now();
    let mut g = Flows::new(seed, &endpoints);
    let mut check = 0u64;
    for _ in 0..flows / SHARDS {
        // Whole records, as the learner reads them.
        check = check.wrapping_add(std::hint::black_box(g.next()).bytes);
    }
    let t_generate = t.elapsed();

    let cpu = cpu_seconds();
    let total = Instant::now();
    let t = Instant::now();
    let a = assign(&zp, &devs, date!(2026 - 06 - 01));
    let t_assign = t.elapsed();

    // Two shards of the records (each its own deterministic stream), learned
    // on two threads and merged: the data set does not depend on the cores.
    let t = Instant::now();
    let shard = |k: u64| {
        let mut g = Flows::new(seed + k, &endpoints);
        let mut learner = Learner::new(&a);
        for _ in 0..flows / SHARDS + u64::from(k < flows % SHARDS) {
            learner.observe(g.next());
        }
        learner
    };
    let mut learners = std::thread::scope(|s| {
        let handles: Vec<_> = (0..SHARDS).map(|k| s.spawn(move || shard(k))).collect();
        handles
            .into_iter()
            .map(|h| {
                h.join()
                    .map_err(|_| "a learning thread panicked".to_owned())
            })
            .collect::<Result<Vec<_>, String>>()
    })?;
    let mut learner = learners.remove(0);
    for other in learners {
        learner.merge(other);
    }
    let policy = learner.finish();
    let t_learn = t.elapsed();

    let t = Instant::now();
    let ruleset = to_nftables(&policy);
    let t_export = t.elapsed();
    let elapsed = total.elapsed();
    let cpu = cpu_seconds() - cpu;

    if verbose {
        let s = |d: std::time::Duration| format!("{:>8.3} s", d.as_secs_f64());
        println!("devices            {devices:>12}");
        println!("flow records       {flows:>12}");
        println!("generate devices   {}", s(t_devices));
        println!(
            "generate flows     {}   (one shard alone, for reference; checksum {check})",
            s(t_generate)
        );
        println!("assign             {}", s(t_assign));
        println!(
            "learn (streamed)   {}   ({SHARDS} shards on {SHARDS} threads, merged; includes generating the records)",
            s(t_learn)
        );
        println!("export nftables    {}", s(t_export));
        println!(
            "total              {}   (assign + learn + export; about {:.3} s without generating records)",
            s(elapsed),
            (elapsed.saturating_sub(t_generate)).as_secs_f64()
        );
        println!("cpu time           {cpu:>8.3} s   (assign + learn + export, all threads)");
        println!("peak memory        {:>12}", peak_memory());
        println!(
            "policy             {} zones, {} conduits, {} restricted devices, {} device rules",
            policy.zones.len(),
            policy.conduits.len(),
            policy.device_rules.len(),
            policy
                .device_rules
                .iter()
                .map(|d| d.rules.len())
                .sum::<usize>()
        );
    }
    Ok(Run { policy, ruleset })
}

/// Bytes and lines of the whole ruleset and of its zone-and-conduit part.
fn sizes(r: &Run) -> (usize, usize, usize, usize) {
    let zone_part = to_nftables(&Policy {
        device_rules: Vec::new(),
        ..r.policy.clone()
    });
    (
        r.ruleset.len(),
        r.ruleset.lines().count(),
        zone_part.len(),
        zone_part.lines().count(),
    )
}

fn main() {
    let a = match args() {
        Ok(a) => a,
        Err(e) => {
            eprintln!("segment_bench: {e}");
            std::process::exit(2);
        }
    };
    let full = match run(a.devices, a.flows, a.seed, true) {
        Ok(r) => r,
        Err(e) => {
            eprintln!("segment_bench: {e}");
            std::process::exit(1);
        }
    };
    if let Some(path) = &a.out
        && let Err(e) = std::fs::write(path, &full.ruleset)
    {
        eprintln!("segment_bench: {path}: {e}");
        std::process::exit(1);
    }
    let small_devices = (a.devices / 10).max(1);
    let small = match run(small_devices, a.flows / 10, a.seed, false) {
        Ok(r) => r,
        Err(e) => {
            eprintln!("segment_bench: {e}");
            std::process::exit(1);
        }
    };
    println!();
    println!("nftables ruleset size       whole ruleset              zones + conduits only");
    for (n, r) in [(small_devices, &small), (a.devices, &full)] {
        let (b, l, zb, zl) = sizes(r);
        println!(
            "  {n:>8} devices     {b:>10} bytes {l:>7} lines   {zb:>8} bytes {zl:>5} lines   ({} restricted devices)",
            r.policy.device_rules.len()
        );
    }
    println!(
        "(zone sets hold address ranges and conduit rules name sets, so the zone and conduit part\n does not grow with devices; only the unpatchable devices' own rules do)"
    );
}
