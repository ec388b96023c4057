//! Enforcement in a real kernel: a generated ruleset loaded into a router
//! network namespace lets the learned flows through and drops the rest.
//!
//! Hosts (one namespace each, one /24 each, routed by a router namespace):
//! an imaging modality past its end of support, a PACS, an infusion pump
//! and a clinical server. Needs root and `ip netns`; skips otherwise unless
//! `MEDVIGIL_REQUIRE_NETNS=1`. Traffic stays between the namespaces the test
//! creates; they are deleted when the test ends, even on panic.
//!
//! The TCP listener and connector are this test binary itself, run inside a
//! namespace with `MVSEG_NETNS_HELPER` set and the `netns_helper` filter.

mod common;

use std::io::{BufRead, BufReader, Write};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use common::{TODAY, conv, device};
use medvigil_segment::{ZonePolicy, assign, learn, to_nftables};

const HELPER: &str = "MVSEG_NETNS_HELPER";
const READY: &str = "MVSEG-READY";
const CONNECT_TIMEOUT_MS: u64 = 700;
/// Exit codes of the connector.
const CONNECTED: i32 = 0;
const TIMED_OUT: i32 = 3;
const REFUSED: i32 = 4;

/// The helper: `listen <ip> <port,port…> <seconds>` accepts and closes
/// connections until the time is up; `connect <ip> <port> <ms>` exits 0 when
/// the connection is made, 3 on timeout, 4 when refused, 5 on other errors.
/// Does nothing when the variable is unset (a normal test run).
#[test]
fn netns_helper() {
    let Ok(cmd) = std::env::var(HELPER) else {
        return;
    };
    let args: Vec<&str> = cmd.split_whitespace().collect();
    match args.as_slice() {
        ["listen", ip, ports, secs] => {
            let deadline = Instant::now() + Duration::from_secs(secs.parse().unwrap_or(10));
            let listeners: Vec<TcpListener> = ports
                .split(',')
                .map(|p| {
                    let l = TcpListener::bind(format!("{ip}:{p}"))
                        .unwrap_or_else(|e| panic!("bind {ip}:{p}: {e}"));
                    l.set_nonblocking(true)
                        .unwrap_or_else(|e| panic!("nonblocking: {e}"));
                    l
                })
                .collect();
            println!("{READY}");
            let _ = std::io::stdout().flush();
            while Instant::now() < deadline {
                for l in &listeners {
                    while let Ok((s, _)) = l.accept() {
                        drop(s);
                    }
                }
                std::thread::sleep(Duration::from_millis(5));
            }
            std::process::exit(0);
        }
        ["connect", ip, port, ms] => {
            let addr: SocketAddr = format!("{ip}:{port}")
                .parse()
                .unwrap_or_else(|e| panic!("{e}"));
            let timeout = Duration::from_millis(ms.parse().unwrap_or(CONNECT_TIMEOUT_MS));
            let code = match TcpStream::connect_timeout(&addr, timeout) {
                Ok(_) => CONNECTED,
                Err(e) if e.kind() == std::io::ErrorKind::TimedOut => TIMED_OUT,
                Err(e) if e.kind() == std::io::ErrorKind::ConnectionRefused => REFUSED,
                Err(_) => 5,
            };
            std::process::exit(code);
        }
        _ => panic!("{HELPER}={cmd}: unknown command"),
    }
}

/// The namespaces and helper processes of one test, removed on drop.
struct Lab {
    pid: u32,
    namespaces: Vec<String>,
    children: Vec<Child>,
}

impl Lab {
    fn ns(&self, name: &str) -> String {
        format!("mvseg-{}-{name}", self.pid)
    }

    fn add_ns(&mut self, name: &str) -> Result<String, String> {
        let ns = self.ns(name);
        run("ip", &["netns", "add", &ns])?;
        self.namespaces.push(ns.clone());
        Ok(ns)
    }

    /// Runs this test binary as the helper inside `ns`.
    fn helper(&self, ns: &str, cmd: &str) -> Command {
        let exe = std::env::current_exe().unwrap_or_else(|e| panic!("{e}"));
        let mut c = Command::new("ip");
        c.args(["netns", "exec", ns])
            .arg(exe)
            .args([
                "netns_helper",
                "--exact",
                "--nocapture",
                "--test-threads=1",
                "-q",
            ])
            .env(HELPER, cmd);
        c
    }

    fn listen(&mut self, ns: &str, ip: &str, ports: &str) {
        let mut child = self
            .helper(ns, &format!("listen {ip} {ports} 30"))
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .unwrap_or_else(|e| panic!("spawn listener: {e}"));
        let stdout = child.stdout.take();
        self.children.push(child);
        let mut lines = BufReader::new(stdout.unwrap_or_else(|| panic!("no stdout"))).lines();
        assert!(
            lines.any(|l| l.is_ok_and(|l| l.trim() == READY)),
            "listener in {ns} did not start"
        );
    }

    /// Connects from `ns` to `ip:port`; the connector's exit code.
    fn connect(&self, ns: &str, ip: &str, port: u16) -> i32 {
        let out = self
            .helper(ns, &format!("connect {ip} {port} {CONNECT_TIMEOUT_MS}"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .status()
            .unwrap_or_else(|e| panic!("spawn connector: {e}"));
        out.code().unwrap_or(-1)
    }
}

impl Drop for Lab {
    fn drop(&mut self) {
        for c in &mut self.children {
            let _ = c.kill();
            let _ = c.wait();
        }
        for ns in self.namespaces.iter().rev() {
            let _ = Command::new("ip")
                .args(["netns", "del", ns])
                .stderr(Stdio::null())
                .status();
        }
    }
}

fn run(cmd: &str, args: &[&str]) -> Result<(), String> {
    let out = Command::new(cmd)
        .args(args)
        .output()
        .map_err(|e| format!("{cmd}: {e}"))?;
    if out.status.success() {
        Ok(())
    } else {
        Err(format!(
            "{cmd} {}: {}",
            args.join(" "),
            String::from_utf8_lossy(&out.stderr).trim()
        ))
    }
}

/// Skips (returns `false`) with a message, or fails under `MEDVIGIL_REQUIRE_NETNS=1`.
fn available(why: &str) -> bool {
    assert!(
        std::env::var("MEDVIGIL_REQUIRE_NETNS").map_or(true, |v| v != "1"),
        "netns test required (MEDVIGIL_REQUIRE_NETNS=1) but {why}"
    );
    eprintln!("skipped: {why}");
    false
}

/// Hosts: name, subnet number, the device on it.
const HOSTS: [(&str, u8); 4] = [("modality", 1), ("pacs", 2), ("pump", 3), ("ehr", 4)];

fn host_ip(i: u8) -> String {
    format!("10.91.{i}.2")
}

fn build(lab: &mut Lab) -> Result<(), String> {
    let router = lab.add_ns("router")?;
    run("ip", &["-n", &router, "link", "set", "lo", "up"])?;
    for (name, i) in HOSTS {
        let host = lab.add_ns(name)?;
        let (r, h) = (format!("r{i}"), format!("h{i}"));
        run(
            "ip",
            &[
                "-n", &router, "link", "add", &r, "type", "veth", "peer", "name", &h, "netns",
                &host,
            ],
        )?;
        run(
            "ip",
            &[
                "-n",
                &router,
                "addr",
                "add",
                &format!("10.91.{i}.1/24"),
                "dev",
                &r,
            ],
        )?;
        run("ip", &["-n", &router, "link", "set", &r, "up"])?;
        run(
            "ip",
            &[
                "-n",
                &host,
                "addr",
                "add",
                &format!("{}/24", host_ip(i)),
                "dev",
                &h,
            ],
        )?;
        run("ip", &["-n", &host, "link", "set", &h, "up"])?;
        run("ip", &["-n", &host, "link", "set", "lo", "up"])?;
        run(
            "ip",
            &[
                "-n",
                &host,
                "route",
                "add",
                "default",
                "via",
                &format!("10.91.{i}.1"),
            ],
        )?;
    }
    run(
        "ip",
        &[
            "netns",
            "exec",
            &router,
            "sysctl",
            "-qw",
            "net.ipv4.ip_forward=1",
        ],
    )
}

#[test]
fn generated_ruleset_enforces_zones_in_a_kernel() {
    if !medvigil_testkit::is_root() {
        available("not root");
        return;
    }
    if medvigil_testkit::nft().is_none() {
        available("nft not installed");
        return;
    }
    let mut lab = Lab {
        pid: std::process::id(),
        namespaces: Vec::new(),
        children: Vec::new(),
    };
    if let Err(e) = build(&mut lab) {
        available(&format!("ip netns unavailable: {e}"));
        return;
    }
    let [router, modality, pacs, pump, ehr] =
        ["router", "modality", "pacs", "pump", "ehr"].map(|n| lab.ns(n));
    let (pacs_ip, ehr_ip) = (host_ip(2), host_ip(4));
    lab.listen(&pacs, &pacs_ip, "104,22");
    lab.listen(&ehr, &ehr_ip, "443,22");

    // Without rules the router forwards everything: what is dropped later
    // is dropped by the ruleset.
    assert_eq!(
        lab.connect(&pump, &pacs_ip, 104),
        CONNECTED,
        "routing broken"
    );

    let devices = vec![
        device(
            1,
            &[
                ("category", "CT"),
                ("ip", "10.91.1.2"),
                ("end_of_support", "2021"),
            ],
        ),
        device(2, &[("category", "pacs"), ("ip", "10.91.2.2")]),
        device(3, &[("category", "infusion-pump"), ("ip", "10.91.3.2")]),
        device(4, &[("category", "other"), ("ip", "10.91.4.2")]),
    ];
    let zp = ZonePolicy::from_toml(&format!(
        "{}\n[[overrides]]\nzone = \"clinical-it\"\nip = \"10.91.4.2\"\n",
        ZonePolicy::default_toml()
    ))
    .unwrap_or_else(|e| panic!("{e}"));
    let observed = vec![
        conv("10.91.1.2", "10.91.2.2", "tcp/104", 10, 2),
        conv("10.91.2.2", "10.91.4.2", "tcp/443", 10, 2),
        conv("10.91.3.2", "10.91.4.2", "tcp/443", 10, 2),
    ];
    let policy = learn(&assign(&zp, &devices, TODAY), &observed);
    let ruleset = to_nftables(&policy);
    medvigil_testkit::nft_check(&ruleset);
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let file = dir.path().join("medvigil.nft");
    std::fs::write(&file, &ruleset).unwrap_or_else(|e| panic!("{e}"));
    let file = file.to_string_lossy().into_owned();
    run("ip", &["netns", "exec", &router, "nft", "-f", &file]).unwrap_or_else(|e| panic!("{e}"));

    let cases = [
        (
            "modality -> PACS tcp/104 (DICOM; its device rule)",
            &modality,
            &pacs_ip,
            104,
            true,
        ),
        (
            "modality -> PACS tcp/22 (restricted device)",
            &modality,
            &pacs_ip,
            22,
            false,
        ),
        (
            "PACS -> EHR tcp/443 (conduit imaging -> clinical-it)",
            &pacs,
            &ehr_ip,
            443,
            true,
        ),
        (
            "modality -> EHR tcp/443 (restricted, though its zone may)",
            &modality,
            &ehr_ip,
            443,
            false,
        ),
        (
            "pump -> EHR tcp/443 (conduit infusion -> clinical-it)",
            &pump,
            &ehr_ip,
            443,
            true,
        ),
        (
            "pump -> PACS tcp/104 (no conduit infusion -> imaging)",
            &pump,
            &pacs_ip,
            104,
            false,
        ),
        (
            "pump -> EHR tcp/22 (service not in the conduit)",
            &pump,
            &ehr_ip,
            22,
            false,
        ),
    ];
    let mut failures = Vec::new();
    for (what, from, ip, port, allowed) in cases {
        let code = lab.connect(from, ip, port);
        let want = if allowed { CONNECTED } else { TIMED_OUT };
        if code != want {
            failures.push(format!("{what}: exit {code}, wanted {want}"));
        }
    }
    let out = Command::new("ip")
        .args([
            "netns", "exec", &router, "nft", "list", "chain", "inet", "medvigil", "forward",
        ])
        .output()
        .unwrap_or_else(|e| panic!("{e}"));
    let listing = String::from_utf8_lossy(&out.stdout);
    let final_drop = listing
        .lines()
        .rfind(|l| l.contains("counter packets"))
        .unwrap_or_default();
    assert!(
        failures.is_empty(),
        "{}\n--- ruleset\n{ruleset}\n--- router\n{listing}",
        failures.join("\n")
    );
    assert!(
        !final_drop.contains("counter packets 0 "),
        "the final drop counted nothing: {final_drop}"
    );
}
