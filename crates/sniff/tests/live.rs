//! Live capture on the loopback interface of traffic the test itself sends
//! (an HTTP exchange over TCP on 127.0.0.1), decoded by the capture
//! analyzer. Needs root and libpcap: skipped with a message when either is
//! missing, but fails under CI (`CI=true` or
//! `MEDVIGIL_REQUIRE_LIVE_CAPTURE=1`).

use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::time::{Duration, Instant};

use medvigil_capture::{Analyzer, Fact, Limits, Observation, Transport};
use medvigil_sniff::{LiveCapture, Options, SniffError, libpcap_available};

/// Whether the test can run; skips with a message, or fails when required.
fn can_capture() -> bool {
    let why = if !medvigil_testkit::is_root() {
        "not root (live capture needs CAP_NET_RAW)".to_owned()
    } else if let Err(e) = libpcap_available() {
        e.to_string()
    } else {
        return true;
    };
    let required = medvigil_testkit::in_ci()
        || std::env::var("MEDVIGIL_REQUIRE_LIVE_CAPTURE").is_ok_and(|v| v == "1");
    assert!(!required, "live capture test required but {why}");
    eprintln!("skipped: {why}");
    false
}

/// One HTTP request and answer over loopback TCP; returns the server port.
fn http_exchange(listener: TcpListener) -> std::thread::JoinHandle<()> {
    let port = listener.local_addr().map(|a| a.port()).unwrap_or(0);
    let server = std::thread::spawn(move || {
        if let Ok((mut s, _)) = listener.accept() {
            let mut buf = [0u8; 1024];
            let _ = s.read(&mut buf);
            let _ = s.write_all(
                b"HTTP/1.1 200 OK\r\nServer: medvigil-test-pacs/3.6\r\nContent-Length: 2\r\n\r\nok",
            );
        }
    });
    std::thread::spawn(move || {
        let mut c = TcpStream::connect(("127.0.0.1", port)).unwrap_or_else(|e| panic!("{e}"));
        c.write_all(
            b"GET /wado HTTP/1.1\r\nHost: 127.0.0.1\r\nUser-Agent: medvigil-live-test/1.0\r\n\r\n",
        )
        .unwrap_or_else(|e| panic!("{e}"));
        let mut answer = Vec::new();
        let _ = c.read_to_end(&mut answer);
        let _ = server.join();
    })
}

#[test]
fn loopback_tcp_exchange_is_captured_and_decoded() {
    if !can_capture() {
        return;
    }
    let listener = TcpListener::bind("127.0.0.1:0").unwrap_or_else(|e| panic!("{e}"));
    let port = listener
        .local_addr()
        .unwrap_or_else(|e| panic!("{e}"))
        .port();
    let mut cap = LiveCapture::open(
        "lo",
        &Options {
            filter: Some(format!("tcp port {port}")),
            ..Options::default()
        },
    )
    .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(cap.linktype(), 1, "loopback is Ethernet-framed on Linux");
    let client = http_exchange(listener);
    let mut analyzer = Analyzer::new(Limits::default());
    let deadline = Instant::now() + Duration::from_secs(10);
    let mut packets = 0;
    // Until the connection closed (FIN both ways and the last ACK) or 10 s.
    while Instant::now() < deadline && !(client.is_finished() && packets >= 8) {
        if let Some(p) = cap.next_packet().unwrap_or_else(|e| panic!("{e}")) {
            analyzer.process(p);
            packets += 1;
        }
    }
    let _ = client.join();
    let stats = cap.stats().unwrap_or_else(|e| panic!("{e}"));
    let observations = analyzer.finish();
    assert!(packets >= 8, "only {packets} packets captured ({stats:?})");
    let flow = observations
        .iter()
        .find_map(|o| match o {
            Observation::Flow(f) if f.dst_port == port => Some(f),
            _ => None,
        })
        .unwrap_or_else(|| panic!("no flow to port {port} in {observations:?}"));
    assert_eq!(flow.transport, Transport::Tcp);
    assert!(
        flow.packets_to_dst >= 3 && flow.packets_to_src >= 2,
        "{flow:?}"
    );
    let agents: Vec<String> = observations
        .iter()
        .filter_map(|o| match o {
            Observation::Fact(f) => match &f.fact {
                Fact::Http(h) => Some(format!("{h:?}")),
                _ => None,
            },
            _ => None,
        })
        .collect();
    assert!(
        agents.iter().any(|a| a.contains("medvigil-live-test/1.0")),
        "request not decoded: {agents:?}"
    );
    assert!(
        agents.iter().any(|a| a.contains("medvigil-test-pacs/3.6")),
        "answer not decoded: {agents:?}"
    );
}

#[test]
fn a_missing_interface_and_a_bad_filter_are_named() {
    if !can_capture() {
        return;
    }
    let err = LiveCapture::open("mvnosuch0", &Options::default())
        .err()
        .unwrap_or_else(|| panic!("opened a missing interface"));
    assert!(
        matches!(err, SniffError::NoSuchInterface { ref iface } if iface == "mvnosuch0"),
        "{err}"
    );
    let err = LiveCapture::open(
        "lo",
        &Options {
            filter: Some("tcp port banana".into()),
            ..Options::default()
        },
    )
    .err()
    .unwrap_or_else(|| panic!("a bad filter compiled"));
    assert!(matches!(err, SniffError::Filter { .. }), "{err}");
    assert!(err.to_string().contains("tcp port banana"), "{err}");
}

#[test]
fn a_quiet_capture_returns_at_the_timeout() {
    if !can_capture() {
        return;
    }
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let mut cap = LiveCapture::open(
            "lo",
            &Options {
                // Port 9 (discard) on loopback: nothing runs there.
                filter: Some("tcp port 9".into()),
                timeout_ms: 100,
                ..Options::default()
            },
        )
        .unwrap_or_else(|e| panic!("{e}"));
        let started = Instant::now();
        let got = cap.next_packet().map(|p| p.is_some());
        let _ = tx.send((got.ok(), started.elapsed()));
    });
    let (got, took) = rx
        .recv_timeout(Duration::from_secs(5))
        .unwrap_or_else(|_| panic!("a read on a quiet capture did not return within 5 s"));
    assert_eq!(got, Some(false));
    assert!(took < Duration::from_secs(2), "{took:?}");
}
