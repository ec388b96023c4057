//! The server under load (issue: server): `medvigil serve` over a generated
//! group of `devices` devices with the demo advisories' findings, loaded by
//! `wrk` from another process at 1, 10 and 100 connections on three
//! routes: the filtered, paged device list, one device, and the CISO's
//! overview page (session cookie), on SQLite and PostgreSQL. Each cell runs
//! `runs` times and reports the median of each figure (the machine is shared
//! and noisy). No peer serves this data; the goal (p99 < 50 ms at 100
//! connections on the list and device routes) is the reference. One table
//! at the end puts both engines side by side and says which goal is not met.

use std::io::{Read, Write};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use anyhow::{Context, bail, ensure};

use super::{medvigil_bin, s, which};

const USER: &str = "bench-ciso";
const PASSWORD: &str = "Amber-Harbour-Lantern-2026";
const CONNECTIONS: [u32; 3] = [1, 10, 100];
/// The goal at 100 connections, for the list and the device routes.
const GOAL_P99_MS: f64 = 50.0;
/// The routes the goal is about.
const GOAL_ROUTES: [&str; 2] = [LIST_ROUTE, DEVICE_ROUTE];
const LIST_ROUTE: &str = "device list (filtered, page 50)";
const DEVICE_ROUTE: &str = "one device";
const OVERVIEW_ROUTE: &str = "CISO overview page (HTML)";

/// `medvigil serve`, killed when dropped (on errors too).
struct Server {
    child: Child,
    addr: SocketAddr,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// One wrk run: requests/s and latency percentiles (ms).
#[derive(Clone, Copy, Debug)]
struct Load {
    requests: u64,
    rps: f64,
    p50_ms: f64,
    p99_ms: f64,
    errors: u64,
}

/// The medians of one route at one connection count on one engine.
#[derive(Clone, Debug)]
struct Cell {
    route: &'static str,
    connections: u32,
    load: Load,
}

/// Runs the server benchmark on SQLite and, given a URL, on PostgreSQL.
pub fn run(
    devices: usize,
    seconds: u32,
    runs: usize,
    postgres: Option<String>,
    dir: &Path,
) -> anyhow::Result<()> {
    let wrk = which("wrk").context("wrk not on PATH (apt-get install wrk)")?;
    std::fs::create_dir_all(dir)?;
    let bin = s(&medvigil_bin()?);
    let csv = dir.join(format!("server-cmms-{devices}.csv"));
    let hospital = medvigil_demo::generate_scaled(devices, 42)?;
    medvigil_inventory::write_csv(
        std::fs::File::create(&csv)?,
        hospital.devices.iter().map(|d| (None, d)),
    )?;
    let advisories = dir.join("server-advisories");
    std::fs::create_dir_all(&advisories)?;
    for a in medvigil_demo::advisories()? {
        std::fs::write(advisories.join(&a.file_name), a.json)?;
    }
    let db = dir.join("server.db");
    for ext in ["", "-wal", "-shm"] {
        let _ = std::fs::remove_file(format!("{}{ext}", s(&db)));
    }
    let mut targets = vec![("SQLite".to_owned(), s(&db))];
    if let Some(admin) = postgres {
        targets.push(("PostgreSQL".into(), fresh_postgres(&admin)?));
    }
    let mut engines = Vec::new();
    for (label, database) in targets {
        let cells = run_on(
            &label,
            &database,
            &bin,
            &wrk,
            &csv,
            &advisories,
            seconds,
            runs.max(1),
            dir,
        )?;
        engines.push((label, cells));
    }
    print_table(devices, seconds, runs.max(1), &engines);
    Ok(())
}

/// One table: a row per route and connection count, a column group per engine.
fn print_table(devices: usize, seconds: u32, runs: usize, engines: &[(String, Vec<Cell>)]) {
    println!();
    println!(
        "{devices} devices; wrk from another process on loopback, {seconds} s per cell, \
         median of {runs} run(s) per figure; {} CPUs shared by server and wrk",
        std::thread::available_parallelism().map_or(1, |n| n.get())
    );
    let mut head = format!("{:<34} {:>5}", "route", "conns");
    for (label, _) in engines {
        head.push_str(&format!(
            " | {:<10} {:>8} {:>9} {:>9}",
            label, "req/s", "p50 ms", "p99 ms"
        ));
    }
    println!("{head}");
    let Some((_, first)) = engines.first() else {
        return;
    };
    for (i, cell) in first.iter().enumerate() {
        let mut line = format!("{:<34} {:>5}", cell.route, cell.connections);
        for (_, cells) in engines {
            let Some(c) = cells.get(i) else { continue };
            let x = c.load;
            let ms = |v: f64| {
                if x.requests == 0 {
                    format!("> {}", seconds * 1000)
                } else {
                    format!("{v:.2}")
                }
            };
            let errors = if x.errors > 0 {
                format!("{} err", x.errors)
            } else {
                String::new()
            };
            line.push_str(&format!(
                " | {errors:<10} {:>8.1} {:>9} {:>9}",
                x.rps,
                ms(x.p50_ms),
                ms(x.p99_ms)
            ));
        }
        println!("{line}");
    }
    for (label, cells) in engines {
        let missed: Vec<String> = cells
            .iter()
            .filter(|c| GOAL_ROUTES.contains(&c.route) && c.connections == 100)
            .filter(|c| !(c.load.requests > 0 && c.load.p99_ms < GOAL_P99_MS && c.load.errors == 0))
            .map(|c| format!("{} (p99 {:.1} ms)", c.route, c.load.p99_ms))
            .collect();
        if missed.is_empty() {
            println!(
                "{label}: goal p99 < {GOAL_P99_MS} ms at 100 connections (device list, device): met"
            );
        } else {
            println!(
                "{label}: goal p99 < {GOAL_P99_MS} ms at 100 connections NOT met: {}",
                missed.join(", ")
            );
        }
    }
}

/// The median of `values` (the upper one of an even count).
fn median(mut values: Vec<f64>) -> f64 {
    values.sort_by(f64::total_cmp);
    values.get(values.len() / 2).copied().unwrap_or(0.0)
}

/// A new, empty PostgreSQL database beside the one `admin` names.
fn fresh_postgres(admin: &str) -> anyhow::Result<String> {
    let psql = which("psql").context("psql not on PATH (apt-get install postgresql-client)")?;
    let name = format!(
        "medvigil_bench_server_{}",
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)?
            .as_secs()
    );
    let Some((base, _)) = admin.rsplit_once('/') else {
        bail!("the PostgreSQL URL must end in /DATABASE")
    };
    let st = Command::new(psql)
        .args([admin, "-qc", &format!("CREATE DATABASE {name}")])
        .stdout(Stdio::null())
        .status()?;
    ensure!(st.success(), "psql: CREATE DATABASE {name} failed");
    Ok(format!("{base}/{name}"))
}

#[allow(clippy::too_many_arguments)]
fn run_on(
    label: &str,
    database: &str,
    bin: &str,
    wrk: &Path,
    csv: &Path,
    advisories: &Path,
    seconds: u32,
    runs: usize,
    dir: &Path,
) -> anyhow::Result<Vec<Cell>> {
    let cli = |args: &[&str]| -> anyhow::Result<String> {
        let out = Command::new(bin)
            .args(["--database", database])
            .args(args)
            .env("MEDVIGIL_PASSWORD", PASSWORD)
            .stdin(Stdio::null())
            .output()?;
        ensure!(
            out.status.success(),
            "medvigil {args:?} failed: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        Ok(String::from_utf8_lossy(&out.stdout).trim().to_owned())
    };
    let started = Instant::now();
    cli(&["inventory", "import", &s(csv)])?;
    cli(&["advisories", "import", &s(advisories)])?;
    cli(&["users", "add", USER, "--role", "ciso"])?;
    let token = cli(&["tokens", "create", "--user", USER, "--expires-days", "1"])?;
    ensure!(token.starts_with("mv_"), "no token printed: {token}");
    println!(
        "{label}: store ready in {:.1} s",
        started.elapsed().as_secs_f64()
    );

    let port = TcpListener::bind("127.0.0.1:0")?.local_addr()?.port();
    let addr = SocketAddr::from(([127, 0, 0, 1], port));
    let log = std::fs::File::create(dir.join("server.log"))?;
    let child = Command::new(bin)
        .args([
            "--database",
            database,
            "serve",
            "--listen",
            &addr.to_string(),
        ])
        .env("RUST_LOG", "warn")
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(log)
        .spawn()
        .context("start medvigil serve")?;
    let server = Server { child, addr };
    wait_listening(server.addr)?;

    let bearer = format!("Authorization: Bearer {token}");
    let list = "/api/v1/devices?category=infusion-pump&page=50&per_page=50";
    let body = get(server.addr, "/api/v1/devices?per_page=1&page=1000", &bearer)?;
    let page: serde_json::Value = serde_json::from_str(&body).context("device list JSON")?;
    let id = page["items"][0]["id"]
        .as_str()
        .context("no device in the list")?
        .to_owned();
    let cookie = login(server.addr)?;
    let device = format!("/api/v1/devices/{id}");
    let routes = [
        (LIST_ROUTE, list, bearer.as_str()),
        (DEVICE_ROUTE, device.as_str(), bearer.as_str()),
        (OVERVIEW_ROUTE, "/", cookie.as_str()),
    ];
    println!("{label}: wrk, {seconds} s per cell, {runs} run(s) per cell");
    let mut cells = Vec::new();
    for (route, path, header) in routes {
        for c in CONNECTIONS {
            let mut loads = Vec::with_capacity(runs);
            for _ in 0..runs {
                loads.push(load(wrk, dir, server.addr, path, header, c, seconds)?);
            }
            let m = |f: fn(&Load) -> f64| median(loads.iter().map(f).collect());
            let x = Load {
                requests: loads.iter().map(|l| l.requests).min().unwrap_or(0),
                rps: m(|l| l.rps),
                p50_ms: m(|l| l.p50_ms),
                p99_ms: m(|l| l.p99_ms),
                errors: loads.iter().map(|l| l.errors).sum(),
            };
            println!(
                "{label}: {route} at {c}: {:.1} req/s, p50 {:.2} ms, p99 {:.2} ms, {} errors",
                x.rps, x.p50_ms, x.p99_ms, x.errors
            );
            cells.push(Cell {
                route,
                connections: c,
                load: x,
            });
        }
    }
    drop(server);
    Ok(cells)
}

fn wait_listening(addr: SocketAddr) -> anyhow::Result<()> {
    let deadline = Instant::now() + Duration::from_secs(120);
    while TcpStream::connect_timeout(&addr, Duration::from_millis(200)).is_err() {
        ensure!(Instant::now() < deadline, "medvigil serve did not listen");
        std::thread::sleep(Duration::from_millis(100));
    }
    Ok(())
}

/// One HTTP/1.1 exchange (the server closes after it): head and body.
fn exchange(addr: SocketAddr, request: &str) -> anyhow::Result<(String, String)> {
    let mut conn = TcpStream::connect(addr)?;
    conn.set_read_timeout(Some(Duration::from_secs(60)))?;
    conn.write_all(request.as_bytes())?;
    let mut raw = Vec::new();
    conn.read_to_end(&mut raw)?;
    let text = String::from_utf8_lossy(&raw);
    let (head, body) = text.split_once("\r\n\r\n").context("no HTTP answer")?;
    ensure!(
        head.starts_with("HTTP/1.1 200"),
        "{}",
        head.lines().next().unwrap_or("")
    );
    Ok((head.to_owned(), body.to_owned()))
}

fn get(addr: SocketAddr, path: &str, header: &str) -> anyhow::Result<String> {
    let (_, body) = exchange(
        addr,
        &format!("GET {path} HTTP/1.1\r\nHost: {addr}\r\n{header}\r\nConnection: close\r\n\r\n"),
    )?;
    Ok(body)
}

/// Logs in through the API: the `Cookie:` header of the session.
fn login(addr: SocketAddr) -> anyhow::Result<String> {
    let json = serde_json::json!({ "username": USER, "password": PASSWORD }).to_string();
    let (head, _) = exchange(
        addr,
        &format!(
            "POST /api/v1/session HTTP/1.1\r\nHost: {addr}\r\nContent-Type: application/json\r\n\
             Content-Length: {}\r\nConnection: close\r\n\r\n{json}",
            json.len()
        ),
    )?;
    head.lines()
        .filter_map(|l| l.split_once(':'))
        .filter(|(k, _)| k.eq_ignore_ascii_case("set-cookie"))
        .filter_map(|(_, v)| v.trim().split(';').next())
        .find(|c| c.starts_with("medvigil_session="))
        .map(|c| format!("Cookie: {c}"))
        .context("no session cookie")
}

/// wrk on `path` with `header`; a Lua `done` hook prints exact figures.
fn load(
    wrk: &Path,
    dir: &Path,
    addr: SocketAddr,
    path: &str,
    header: &str,
    connections: u32,
    seconds: u32,
) -> anyhow::Result<Load> {
    let (name, value) = header.split_once(": ").context("header")?;
    let script = dir.join("server-wrk.lua");
    std::fs::write(
        &script,
        format!(
            "wrk.headers[\"{name}\"] = \"{value}\"\n\
             done = function(summary, latency, requests)\n\
             \x20 local e = summary.errors\n\
             \x20 io.write(string.format(\"MVBENCH %d %d %d %d %d\\n\", summary.requests, \
             summary.duration, e.connect + e.read + e.write + e.status + e.timeout, \
             latency:percentile(50), latency:percentile(99)))\n\
             end\n"
        ),
    )?;
    let threads = connections.min(2);
    let out = Command::new(wrk)
        .args([
            "-t",
            &threads.to_string(),
            "-c",
            &connections.to_string(),
            "-d",
            &format!("{seconds}s"),
            "--timeout",
            "10s",
            "--latency",
            "-s",
            &s(&script),
            &format!("http://{addr}{path}"),
        ])
        .stdin(Stdio::null())
        .output()
        .context("run wrk")?;
    let text = String::from_utf8_lossy(&out.stdout);
    let f: Vec<f64> = text
        .lines()
        .find_map(|l| l.strip_prefix("MVBENCH "))
        .with_context(|| format!("wrk: {text} {}", String::from_utf8_lossy(&out.stderr)))?
        .split_whitespace()
        .map(str::parse)
        .collect::<Result<_, _>>()?;
    ensure!(f.len() == 5, "wrk summary: {f:?}");
    Ok(Load {
        requests: f[0] as u64,
        rps: f[0] / (f[1] / 1e6),
        errors: f[2] as u64,
        p50_ms: f[3] / 1e3,
        p99_ms: f[4] / 1e3,
    })
}
