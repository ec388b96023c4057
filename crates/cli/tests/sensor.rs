//! `medvigil sensor` against a real `medvigil serve` on a loopback port:
//! batches spool while the server is down and arrive exactly once after it
//! comes back (compared with `discover --import` of the same captures), a
//! batch resent after a lost acknowledgement is not applied twice, and a
//! live sensor flushes its last batch on SIGTERM.

use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output, Stdio};
use std::time::{Duration, Instant};

const PASSWORD: &str = "Granite-Harbour-Lantern-9";

fn bin() -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_medvigil"));
    c.env_remove("MEDVIGIL_TENANT")
        .env_remove("MEDVIGIL_TOKEN")
        .env_remove("MEDVIGIL_SERVER");
    c
}

fn run(db: &Path, args: &[&str]) -> Output {
    let o = bin()
        .arg("--database")
        .arg(db)
        .args(["--tenant", "north"])
        .args(args)
        .env("MEDVIGIL_PASSWORD", PASSWORD)
        .output()
        .unwrap_or_else(|e| panic!("run medvigil: {e}"));
    assert!(
        o.status.success(),
        "medvigil {args:?}: {}",
        String::from_utf8_lossy(&o.stderr)
    );
    o
}

fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

/// A network user and its API token.
fn token(db: &Path) -> String {
    run(db, &["users", "add", "sensor-net", "--role", "network"]);
    stdout(&run(db, &["tokens", "create", "--user", "sensor-net"]))
        .trim()
        .to_owned()
}

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .unwrap_or_else(|e| panic!("{e}"))
}

/// `medvigil serve` on `port`, once it accepts connections.
struct Server(Child);

impl Server {
    fn start(db: &Path, port: u16, log: &Path) -> Self {
        let log = std::fs::File::create(log).unwrap_or_else(|e| panic!("{e}"));
        let child = bin()
            .arg("--database")
            .arg(db)
            .args(["serve", "--listen", &format!("127.0.0.1:{port}")])
            .stdout(Stdio::null())
            .stderr(log)
            .spawn()
            .unwrap_or_else(|e| panic!("serve: {e}"));
        let deadline = Instant::now() + Duration::from_secs(30);
        while TcpStream::connect(("127.0.0.1", port)).is_err() {
            assert!(Instant::now() < deadline, "the server did not start");
            std::thread::sleep(Duration::from_millis(50));
        }
        Self(child)
    }

    /// An outage: the process is killed, not shut down.
    fn kill(mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// A sensor child with its stderr in a file.
struct Sensor {
    child: Child,
    log: PathBuf,
}

impl Sensor {
    fn start(args: &[&str], log: &Path) -> Self {
        let file = std::fs::File::create(log).unwrap_or_else(|e| panic!("{e}"));
        let child = bin()
            .arg("sensor")
            .args(args)
            .stdout(Stdio::null())
            .stderr(file)
            .spawn()
            .unwrap_or_else(|e| panic!("sensor: {e}"));
        Self {
            child,
            log: log.to_owned(),
        }
    }

    fn log(&self) -> String {
        std::fs::read_to_string(&self.log).unwrap_or_default()
    }

    fn wait_for(&self, text: &str) {
        let deadline = Instant::now() + Duration::from_secs(60);
        while !self.log().contains(text) {
            assert!(
                Instant::now() < deadline,
                "sensor never said '{text}': {}",
                self.log()
            );
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    fn wait_exit(mut self) -> String {
        let deadline = Instant::now() + Duration::from_secs(60);
        loop {
            if let Some(status) = self.child.try_wait().unwrap_or_else(|e| panic!("{e}")) {
                let log = self.log();
                assert!(status.success(), "sensor failed: {log}");
                return log;
            }
            if Instant::now() > deadline {
                let _ = self.child.kill();
                panic!("sensor did not stop: {}", self.log());
            }
            std::thread::sleep(Duration::from_millis(50));
        }
    }
}

fn spooled(spool: &Path) -> Vec<PathBuf> {
    let mut v: Vec<PathBuf> = std::fs::read_dir(spool)
        .map(|d| {
            d.filter_map(|e| e.ok().map(|e| e.path()))
                .filter(|p| p.extension().is_some_and(|x| x == "json"))
                .collect()
        })
        .unwrap_or_default();
    v.sort();
    v
}

/// The inventory without device ids (the only thing two stores of the same
/// devices may differ in), sorted.
fn devices(db: &Path) -> Vec<String> {
    let csv = stdout(&run(db, &["inventory", "export", "--format", "csv"]));
    let mut rows: Vec<String> = csv
        .lines()
        .skip(1)
        .map(|l| l.split_once(',').map_or(l, |(_, rest)| rest).to_owned())
        .collect();
    rows.sort();
    rows
}

fn flows(db: &Path) -> String {
    stdout(&run(db, &["flows", "--json"]))
}

fn batches(db: &Path) -> u64 {
    let rt = tokio::runtime::Builder::new_current_thread()
        .build()
        .unwrap_or_else(|e| panic!("{e}"));
    rt.block_on(async {
        let store = medvigil_store::Store::open(&db.display().to_string())
            .await
            .unwrap_or_else(|e| panic!("{e}"));
        let tenant = store
            .find_tenant("north")
            .await
            .unwrap_or_else(|e| panic!("{e}"));
        let n = store
            .tenant(tenant.id)
            .sensor_batch_count()
            .await
            .unwrap_or_else(|e| panic!("{e}"));
        store.close().await;
        n
    })
}

/// Real captures with devices (DHCP, LLDP/CDP, HL7) and conversations.
fn captures() -> Option<Vec<String>> {
    let dir = medvigil_testkit::corpus("pcap")?;
    let files = [
        "medical-tapirx/HL7-ADT.pcap",
        "medical-tapirx/HL7-ORU.pcap",
        "medical-tapirx/dicom_arq_2_get_testclient.pcap",
        "tcpdump/dhcp-mud.pcap",
        "tcpdump/LLDP_and_CDP.pcap",
        "tcpdump/ntp.pcap",
        "tcpdump/dhcp-option-33.pcap",
    ];
    Some(
        files
            .iter()
            .map(|f| dir.join(f).display().to_string())
            .collect(),
    )
}

#[test]
fn batches_spooled_during_an_outage_arrive_exactly_once() {
    let Some(files) = captures() else {
        return;
    };
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let d = dir.path();
    let (db, reference, spool) = (d.join("server.db"), d.join("ref.db"), d.join("spool"));
    let token = token(&db);
    let port = free_port();
    let url = format!("http://127.0.0.1:{port}");

    // The server runs, then goes down before the sensor sends anything.
    Server::start(&db, port, &d.join("serve1.log")).kill();
    let mut args = vec![
        "--server",
        &url,
        "--token",
        &token,
        "--spool",
        spool.to_str().unwrap_or_default(),
        "--batch-seconds",
        "1",
        "--retry-max-seconds",
        "1",
        "--name",
        "ward-3",
        "--site",
        "North A",
        "--read",
    ];
    args.extend(files.iter().map(String::as_str));
    let sensor = Sensor::start(&args, &d.join("sensor.log"));
    sensor.wait_for("server unreachable");
    sensor.wait_for("replayed 7 files");
    let log = sensor.log();
    let written: usize = log
        .split("packets into ")
        .nth(1)
        .and_then(|s| s.split_whitespace().next())
        .and_then(|n| n.parse().ok())
        .unwrap_or_else(|| panic!("{log}"));
    assert!(written >= 5, "too few batches to test with: {log}");
    // Everything waits in the spool; the server has nothing.
    let waiting = spooled(&spool);
    assert_eq!(waiting.len(), written, "{log}");
    assert_eq!(batches(&db), 0);
    let resend = d.join("resend.json");
    std::fs::copy(&waiting[0], &resend).unwrap_or_else(|e| panic!("{e}"));

    // The server comes back: the sensor delivers everything and stops.
    let server = Server::start(&db, port, &d.join("serve2.log"));
    let log = sensor.wait_exit();
    assert!(log.contains("server reachable again"), "{log}");
    assert!(
        log.contains(&format!("{written} sent, 0 refused, 0 dropped")),
        "{log}"
    );
    assert!(spooled(&spool).is_empty());
    assert_eq!(batches(&db), written as u64);

    // Exactly what `discover --import` of the same captures gives.
    let mut import = vec!["discover", "--import", "--site", "North A"];
    import.extend(files.iter().map(String::as_str));
    run(&reference, &import);
    let expected = devices(&reference);
    assert!(expected.len() >= 8, "{expected:?}");
    assert_eq!(devices(&db), expected);
    let expected_flows = flows(&reference);
    assert!(expected_flows.lines().count() >= 4, "{expected_flows}");
    assert_eq!(flows(&db), expected_flows);

    // An acknowledgement lost: the first batch is sent again (by a sensor
    // that replays an empty capture); the server applies it once.
    std::fs::copy(&resend, &waiting[0]).unwrap_or_else(|e| panic!("{e}"));
    let empty = d.join("empty.pcap");
    let mut header = vec![0xd4, 0xc3, 0xb2, 0xa1, 2, 0, 4, 0];
    header.extend([0u8; 8]);
    header.extend(65535u32.to_le_bytes());
    header.extend(1u32.to_le_bytes());
    std::fs::write(&empty, header).unwrap_or_else(|e| panic!("{e}"));
    let mut again = args[..args.len() - files.len()].to_vec();
    again.push(empty.to_str().unwrap_or_default());
    let log = Sensor::start(&again, &d.join("sensor2.log")).wait_exit();
    assert!(log.contains("1 batches from an earlier run"), "{log}");
    assert!(log.contains("1 sent, 0 refused"), "{log}");
    assert!(spooled(&spool).is_empty());
    assert_eq!(batches(&db), written as u64);
    assert_eq!(devices(&db), expected);
    assert_eq!(flows(&db), expected_flows);
    server.kill();
}

/// Live capture needs root and libpcap: skipped locally without them,
/// required under CI.
fn can_capture() -> bool {
    let why = if !medvigil_testkit::is_root() {
        "not root".to_owned()
    } else if let Err(e) = medvigil_sniff::libpcap_available() {
        e.to_string()
    } else {
        return true;
    };
    let required = medvigil_testkit::in_ci()
        || std::env::var("MEDVIGIL_REQUIRE_LIVE_CAPTURE").is_ok_and(|v| v == "1");
    assert!(!required, "live sensor test required but {why}");
    eprintln!("skipped: {why}");
    false
}

#[test]
fn a_live_sensor_flushes_its_last_batch_on_sigterm() {
    if !can_capture() {
        return;
    }
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let d = dir.path();
    let db = d.join("server.db");
    let token = token(&db);
    let port = free_port();
    let server = Server::start(&db, port, &d.join("serve.log"));
    let service = TcpListener::bind("127.0.0.1:0").unwrap_or_else(|e| panic!("{e}"));
    let service_port = service
        .local_addr()
        .unwrap_or_else(|e| panic!("{e}"))
        .port();
    let url = format!("http://127.0.0.1:{port}");
    let filter = format!("tcp port {service_port}");
    let spool = d.join("spool");
    let sensor = Sensor::start(
        &[
            "--iface",
            "lo",
            "--filter",
            &filter,
            "--server",
            &url,
            "--token",
            &token,
            "--spool",
            spool.to_str().unwrap_or_default(),
            // Longer than the test: the only batch is the one SIGTERM cuts.
            "--batch-seconds",
            "3600",
        ],
        &d.join("sensor.log"),
    );
    sensor.wait_for("sensor capturing on lo");
    for _ in 0..3 {
        let mut c =
            TcpStream::connect(("127.0.0.1", service_port)).unwrap_or_else(|e| panic!("{e}"));
        let (mut s, _) = service.accept().unwrap_or_else(|e| panic!("{e}"));
        c.write_all(b"MSH|^~\\&|PUMP|ICU|||\r")
            .unwrap_or_else(|e| panic!("{e}"));
        let mut buf = [0u8; 64];
        let _ = s.read(&mut buf);
    }
    std::thread::sleep(Duration::from_millis(500));
    let killed = Command::new("kill")
        .args(["-TERM", &sensor.child.id().to_string()])
        .status()
        .unwrap_or_else(|e| panic!("kill: {e}"));
    assert!(killed.success());
    let log = sensor.wait_exit();
    assert!(log.contains("1 batches written, 1 sent"), "{log}");
    let flows: Vec<serde_json::Value> = flows(&db)
        .lines()
        .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("{e}: {l}")))
        .collect();
    let to_service: Vec<&serde_json::Value> = flows
        .iter()
        .filter(|f| f["port"] == u64::from(service_port))
        .collect();
    assert_eq!(to_service.len(), 1, "{flows:?}");
    assert_eq!(to_service[0]["flows"], 3, "{flows:?}");
    assert_eq!(batches(&db), 1);
    server.kill();
}

#[test]
fn live_discover_names_a_missing_libpcap() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let o = bin()
        .arg("--database")
        .arg(dir.path().join("m.db"))
        .args(["discover", "--iface", "lo", "--duration", "1"])
        .env("MEDVIGIL_LIBPCAP", dir.path().join("no-libpcap.so"))
        .output()
        .unwrap_or_else(|e| panic!("{e}"));
    assert!(!o.status.success());
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(
        err.contains("libpcap is not installed") && err.contains("libpcap0.8"),
        "{err}"
    );
}

#[test]
fn live_discover_sees_a_loopback_conversation_and_names_a_missing_interface() {
    if !can_capture() {
        return;
    }
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let db = dir.path().join("m.db");
    let service = TcpListener::bind("127.0.0.1:0").unwrap_or_else(|e| panic!("{e}"));
    let port = service
        .local_addr()
        .unwrap_or_else(|e| panic!("{e}"))
        .port();
    let filter = format!("tcp port {port}");
    let child = bin()
        .arg("--database")
        .arg(&db)
        .args(["--tenant", "north"])
        .args(["discover", "--iface", "lo", "--filter", &filter])
        .args(["--duration", "3", "--import", "--site", "North A"])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap_or_else(|e| panic!("{e}"));
    // The capture is open well before 1 s; the traffic comes after.
    std::thread::sleep(Duration::from_millis(1000));
    for _ in 0..2 {
        let mut c = TcpStream::connect(("127.0.0.1", port)).unwrap_or_else(|e| panic!("{e}"));
        let (mut s, _) = service.accept().unwrap_or_else(|e| panic!("{e}"));
        c.write_all(b"ping").unwrap_or_else(|e| panic!("{e}"));
        let mut buf = [0u8; 4];
        let _ = s.read(&mut buf);
    }
    let o = child.wait_with_output().unwrap_or_else(|e| panic!("{e}"));
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(o.status.success(), "{err}");
    let out = String::from_utf8_lossy(&o.stdout);
    assert!(out.contains("1 conversations"), "{out}");
    let flows: Vec<serde_json::Value> = flows(&db)
        .lines()
        .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("{e}: {l}")))
        .collect();
    assert_eq!(flows.len(), 1, "{flows:?}");
    assert_eq!(flows[0]["port"], u64::from(port));
    assert_eq!(flows[0]["flows"], 2);

    let o = bin()
        .arg("--database")
        .arg(&db)
        .args(["discover", "--iface", "mvnosuch0", "--duration", "1"])
        .output()
        .unwrap_or_else(|e| panic!("{e}"));
    assert!(!o.status.success());
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(err.contains("no network interface 'mvnosuch0'"), "{err}");
}
