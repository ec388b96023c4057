//! The report in a real browser: headless Chromium renders it to a PNG and
//! dumps its DOM. Skipped when Chromium is not installed, unless
//! `MEDVIGIL_REQUIRE_BROWSER=1` (CI) makes that a failure. `MEDVIGIL_CHROMIUM`
//! names another binary.

use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use medvigil_report::render_html;
use medvigil_report::sample::sample_group;

const TIMEOUT: Duration = Duration::from_secs(60);

fn chromium() -> Option<PathBuf> {
    if let Some(p) = std::env::var_os("MEDVIGIL_CHROMIUM") {
        return Some(PathBuf::from(p));
    }
    let debian = Path::new("/usr/bin/chromium");
    if debian.is_file() {
        return Some(debian.to_owned());
    }
    std::env::split_paths(&std::env::var_os("PATH")?)
        .flat_map(|dir| ["chromium", "chromium-browser"].map(|n| dir.join(n)))
        .find(|p| p.is_file())
}

/// Runs `cmd`, kills it after [`TIMEOUT`], returns its stdout.
fn run(mut cmd: Command) -> String {
    let mut child = cmd
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("start chromium");
    // Read on a thread: a full pipe would stall the browser while we wait.
    let mut stdout = child.stdout.take().expect("stdout");
    let reader = std::thread::spawn(move || {
        let mut s = String::new();
        let _ = stdout.read_to_string(&mut s);
        s
    });
    let start = Instant::now();
    let status = loop {
        if let Some(status) = child.try_wait().expect("wait") {
            break status;
        }
        if start.elapsed() > TIMEOUT {
            let _ = child.kill();
            let _ = child.wait();
            panic!("chromium did not finish within {TIMEOUT:?}: {cmd:?}");
        }
        std::thread::sleep(Duration::from_millis(100));
    };
    assert!(status.success(), "{cmd:?} failed: {status}");
    reader.join().expect("reader")
}

fn headless(bin: &Path, profile: &Path) -> Command {
    let mut cmd = Command::new(bin);
    cmd.args(["--headless", "--disable-gpu", "--no-sandbox"])
        .arg(format!("--user-data-dir={}", profile.display()))
        .args(["--no-first-run", "--disable-extensions"]);
    cmd
}

#[test]
fn chromium_renders_the_report() {
    let Some(bin) = chromium() else {
        if std::env::var("MEDVIGIL_REQUIRE_BROWSER").as_deref() == Ok("1") {
            panic!("chromium not installed and MEDVIGIL_REQUIRE_BROWSER=1");
        }
        println!("skipped: chromium not installed");
        return;
    };
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("report-browser");
    std::fs::create_dir_all(&dir).expect("tmp dir");
    let html = dir.join("report.html");
    let png = dir.join("report.png");
    let _ = std::fs::remove_file(&png);
    std::fs::write(&html, render_html(&sample_group(2026, 50))).expect("write report");
    let url = format!("file://{}", html.display());

    let mut shot = headless(&bin, &dir.join("profile"));
    shot.arg(format!("--screenshot={}", png.display()))
        .arg("--window-size=1280,2000")
        .arg(&url);
    run(shot);
    let size = std::fs::metadata(&png).expect("screenshot written").len();
    let bytes = std::fs::read(&png).expect("read screenshot");
    assert!(bytes.starts_with(b"\x89PNG\r\n\x1a\n"), "not a PNG");
    assert!(size > 20_000, "screenshot only {size} bytes: blank page?");
    println!("screenshot: {} ({size} bytes)", png.display());

    let mut dump = headless(&bin, &dir.join("profile"));
    dump.arg("--dump-dom").arg(&url);
    let dom = run(dump);
    assert_eq!(dom.matches("<svg").count(), 5, "charts in the DOM");
    assert_eq!(dom.matches(r#"role="img""#).count(), 5);
    for id in [
        "chart-priority",
        "chart-eu-class",
        "chart-category",
        "chart-department",
        "chart-site",
    ] {
        assert!(dom.contains(&format!(r#"<title id="{id}-title">"#)), "{id}");
    }
    assert!(dom.contains("<rect"), "bars in the DOM");
    assert!(dom.contains("<circle"), "donut in the DOM");
    assert!(dom.contains("Top risks"));
}
