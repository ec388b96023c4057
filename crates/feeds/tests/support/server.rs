//! A loopback HTTP/1.1 server for the sync tests: serves files from memory
//! with ETags, answers conditional GETs, logs every request, and can drop
//! connections or fail with 503 on purpose. Bound to 127.0.0.1:0; it stops
//! when dropped, or by itself after a deadline.

use sha2::{Digest, Sha256};
use std::collections::{HashMap, HashSet};
use std::io::{BufRead, BufReader, Write};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

/// How long a server may live at most, whatever the test does.
const LIFETIME: Duration = Duration::from_secs(120);

/// One request as the server saw it.
#[derive(Debug, Clone)]
pub struct Logged {
    pub path: String,
    /// 200, 304, 404, 503, or 0 for a dropped connection.
    pub status: u16,
    pub at: Instant,
}

#[derive(Debug, Default)]
pub struct Site {
    pub files: HashMap<String, Vec<u8>>,
    pub log: Vec<Logged>,
    /// Drop connections of document GETs after this many were served.
    pub drop_documents_after: Option<usize>,
    documents_served: usize,
    /// Paths answered once with 503 before being served.
    pub fail_once: HashSet<String>,
}

impl Site {
    /// Requests for paths under `/csaf_files/` (documents, hashes, signatures).
    pub fn document_requests(&self) -> Vec<&Logged> {
        self.log
            .iter()
            .filter(|l| is_document_path(&l.path))
            .collect()
    }

    pub fn clear_log(&mut self) {
        self.log.clear();
    }
}

#[derive(Debug)]
pub struct Server {
    addr: SocketAddr,
    site: Arc<Mutex<Site>>,
    stop: Arc<AtomicBool>,
    thread: Option<JoinHandle<()>>,
}

impl Server {
    pub fn start() -> Self {
        let listener = TcpListener::bind("127.0.0.1:0").expect("bind loopback");
        listener.set_nonblocking(true).expect("nonblocking");
        let addr = listener.local_addr().expect("addr");
        let site = Arc::new(Mutex::new(Site::default()));
        let stop = Arc::new(AtomicBool::new(false));
        let thread = {
            let (site, stop) = (Arc::clone(&site), Arc::clone(&stop));
            std::thread::spawn(move || serve(&listener, &site, &stop))
        };
        Self {
            addr,
            site,
            stop,
            thread: Some(thread),
        }
    }

    /// `http://127.0.0.1:<port>`
    pub fn base(&self) -> String {
        format!("http://{}", self.addr)
    }

    pub fn site(&self) -> MutexGuard<'_, Site> {
        self.site.lock().unwrap_or_else(|e| e.into_inner())
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::SeqCst);
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }
}

fn serve(listener: &TcpListener, site: &Mutex<Site>, stop: &AtomicBool) {
    let started = Instant::now();
    while !stop.load(Ordering::SeqCst) && started.elapsed() < LIFETIME {
        match listener.accept() {
            Ok((stream, _)) => {
                let _ = handle(stream, site);
            }
            Err(e) if e.kind() == std::io::ErrorKind::WouldBlock => {
                std::thread::sleep(Duration::from_micros(200));
            }
            Err(_) => break,
        }
    }
}

pub fn etag(body: &[u8]) -> String {
    let d = Sha256::digest(body);
    let hex: String = d[..8].iter().map(|b| format!("{b:02x}")).collect();
    format!("\"{hex}\"")
}

fn handle(stream: TcpStream, site: &Mutex<Site>) -> std::io::Result<()> {
    stream.set_nonblocking(false)?;
    stream.set_read_timeout(Some(Duration::from_secs(5)))?;
    let mut reader = BufReader::new(stream.try_clone()?);
    let mut first = String::new();
    reader.read_line(&mut first)?;
    let mut if_none_match = None;
    loop {
        let mut line = String::new();
        if reader.read_line(&mut line)? == 0 || line == "\r\n" || line == "\n" {
            break;
        }
        if let Some((k, v)) = line.split_once(':')
            && k.eq_ignore_ascii_case("if-none-match")
        {
            if_none_match = Some(v.trim().to_owned());
        }
    }
    let mut parts = first.split_whitespace();
    let method = parts.next().unwrap_or_default().to_owned();
    let target = parts.next().unwrap_or_default();
    let path = target.split('?').next().unwrap_or_default().to_owned();
    let mut s = site.lock().unwrap_or_else(|e| e.into_inner());
    let at = Instant::now();
    let is_document = is_document_path(&path) && path.ends_with(".json");
    if is_document
        && s.drop_documents_after
            .is_some_and(|n| s.documents_served >= n)
    {
        s.log.push(Logged {
            path,
            status: 0,
            at,
        });
        drop(s);
        let _ = stream.shutdown(std::net::Shutdown::Both);
        return Ok(());
    }
    let (status, body, tag) = if method != "GET" {
        (405, Vec::new(), None)
    } else if s.fail_once.remove(&path) {
        (503, Vec::new(), None)
    } else {
        match s.files.get(&path) {
            None => (404, Vec::new(), None),
            Some(body) => {
                let tag = etag(body);
                if if_none_match.as_deref() == Some(tag.as_str()) {
                    (304, Vec::new(), Some(tag))
                } else {
                    (200, body.clone(), Some(tag))
                }
            }
        }
    };
    if is_document && status == 200 {
        s.documents_served += 1;
    }
    s.log.push(Logged { path, status, at });
    drop(s);
    let reason = match status {
        200 => "OK",
        304 => "Not Modified",
        404 => "Not Found",
        503 => "Service Unavailable",
        _ => "Method Not Allowed",
    };
    let mut w = stream;
    let mut head = format!(
        "HTTP/1.1 {status} {reason}\r\nContent-Length: {}\r\nConnection: close\r\n",
        body.len()
    );
    if let Some(tag) = tag {
        head.push_str(&format!("ETag: {tag}\r\n"));
    }
    head.push_str("\r\n");
    // One write, no Nagle: head and body in separate segments would wait
    // for the client's delayed ACK (40 ms a request).
    let mut out = head.into_bytes();
    out.extend_from_slice(&body);
    w.set_nodelay(true)?;
    w.write_all(&out)?;
    w.flush()
}

/// Documents and their hash and signature files (not the ROLIE feed beside them).
pub fn is_document_path(path: &str) -> bool {
    path.starts_with("/csaf_files/OT/white/20")
}
