//! The web UI in a real browser: headless Chromium driven through
//! chromedriver (WebDriver) against the server listening on loopback.
//! A biomedical engineer logs in, reads the overview, filters the device
//! list, opens a device, plans a remediation and comments on it from the
//! board, then logs out. A network specialist opens the segmentation
//! proposal, reads its zone matrix and zone graph, approves it and
//! downloads the nftables export. Each step leaves a screenshot under
//! `$CARGO_TARGET_TMPDIR/browser/`.
//!
//! Needs `/usr/bin/chromium` and `chromedriver` (Debian: `chromium
//! chromium-driver`); without them the test says so and passes, unless
//! `MEDVIGIL_REQUIRE_BROWSER=1` (CI), where it fails.

mod common;

use std::net::{SocketAddr, TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use common::{PASSWORD, Side, fixture_sized, username};
use fantoccini::{Client, ClientBuilder, Locator};
use hyper_util::client::legacy::connect::HttpConnector;
use medvigil_auth::Role;

/// The whole browser session stops by itself after this long.
const SESSION_LIMIT: Duration = Duration::from_secs(180);
/// One page or element.
const STEP_LIMIT: Duration = Duration::from_secs(15);

/// The remediation the test plans (not in the seeded data).
const CVE: &str = "CVE-2026-4242";
const COMMENT: &str = "firmware 2.1 staged by the browser test";

fn chromium() -> Option<PathBuf> {
    std::env::var_os("MEDVIGIL_CHROMIUM")
        .map(PathBuf::from)
        .or_else(|| Some(PathBuf::from("/usr/bin/chromium")))
        .filter(|p| p.is_file())
}

fn on_path(name: &str) -> Option<PathBuf> {
    std::env::var_os("PATH")
        .into_iter()
        .flat_map(|p| std::env::split_paths(&p).collect::<Vec<_>>())
        .map(|d| d.join(name))
        .find(|p| p.is_file())
}

/// chromedriver, killed when dropped (also when the test panics).
struct Driver {
    child: Child,
    port: u16,
}

impl Driver {
    fn start(binary: &Path, log: &Path) -> Driver {
        // A free loopback port: bind port 0, read it, release it.
        let port = TcpListener::bind("127.0.0.1:0")
            .and_then(|l| l.local_addr())
            .unwrap_or_else(|e| panic!("free port: {e}"))
            .port();
        let log = std::fs::File::create(log).unwrap_or_else(|e| panic!("driver log: {e}"));
        let child = Command::new(binary)
            .arg(format!("--port={port}"))
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(log)
            .spawn()
            .unwrap_or_else(|e| panic!("start chromedriver: {e}"));
        let driver = Driver { child, port };
        let deadline = Instant::now() + Duration::from_secs(20);
        let addr = SocketAddr::from(([127, 0, 0, 1], port));
        while TcpStream::connect_timeout(&addr, Duration::from_millis(200)).is_err() {
            assert!(Instant::now() < deadline, "chromedriver did not listen");
            std::thread::sleep(Duration::from_millis(100));
        }
        driver
    }

    fn url(&self) -> String {
        format!("http://127.0.0.1:{}", self.port)
    }
}

impl Drop for Driver {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// The browser, the server's base URL and where screenshots go.
struct Session {
    client: Client,
    base: String,
    shots: PathBuf,
    taken: usize,
}

impl Session {
    async fn goto(&self, path: &str) {
        self.client
            .goto(&format!("{}{path}", self.base))
            .await
            .unwrap_or_else(|e| panic!("goto {path}: {e}"));
    }

    /// Waits for an element matching `css`.
    async fn wait(&self, css: &str) -> fantoccini::elements::Element {
        self.client
            .wait()
            .at_most(STEP_LIMIT)
            .for_element(Locator::Css(css))
            .await
            .unwrap_or_else(|e| panic!("waiting for '{css}': {e}"))
    }

    /// Clicks `el` and waits until the page it was on has gone (a form's
    /// post/redirect/get finished), so that the next look is at the new page.
    async fn click_through(&self, el: fantoccini::elements::Element, what: &str) {
        let html = self.wait("html").await;
        el.click().await.unwrap_or_else(|e| panic!("{what}: {e}"));
        let deadline = Instant::now() + STEP_LIMIT;
        // A reference to the old document goes stale once it is replaced.
        while html.attr("lang").await.is_ok() {
            assert!(Instant::now() < deadline, "{what}: the page did not change");
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }

    async fn all(&self, css: &str) -> Vec<fantoccini::elements::Element> {
        self.client
            .find_all(Locator::Css(css))
            .await
            .unwrap_or_else(|e| panic!("'{css}': {e}"))
    }

    async fn text(&self, css: &str) -> String {
        self.wait(css)
            .await
            .text()
            .await
            .unwrap_or_else(|e| panic!("text of '{css}': {e}"))
    }

    async fn path(&self) -> String {
        self.client
            .current_url()
            .await
            .unwrap_or_else(|e| panic!("url: {e}"))
            .path()
            .to_owned()
    }

    /// Scrolls the last element matching `css` into view (for the screenshot).
    async fn show(&self, css: &str) {
        self.client
            .execute(
                "const all = document.querySelectorAll(arguments[0]); all[all.length - 1].scrollIntoView()",
                vec![serde_json::json!(css)],
            )
            .await
            .unwrap_or_else(|e| panic!("scroll to '{css}': {e}"));
    }

    async fn screenshot(&mut self, name: &str) {
        self.taken += 1;
        let png = self
            .client
            .screenshot()
            .await
            .unwrap_or_else(|e| panic!("screenshot: {e}"));
        assert!(png.starts_with(b"\x89PNG"), "{name}: not a PNG");
        let path = self.shots.join(format!("{:02}-{name}.png", self.taken));
        std::fs::write(&path, png).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        println!("screenshot: {}", path.display());
    }
}

/// "page 1 of 3 · 120 in all" → 120.
fn total_of(pager: &str) -> u64 {
    pager
        .split(" · ")
        .nth(1)
        .and_then(|s| s.split_whitespace().next())
        .and_then(|n| n.parse().ok())
        .unwrap_or_else(|| panic!("no total in '{pager}'"))
}

async fn cells(s: &Session, column: usize) -> Vec<String> {
    let mut out = Vec::new();
    for td in s
        .all(&format!("table.list tbody tr td:nth-child({column})"))
        .await
    {
        out.push(td.text().await.unwrap_or_default());
    }
    out
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_biomedical_engineer_works_through_the_web_ui() {
    let required = std::env::var("MEDVIGIL_REQUIRE_BROWSER").is_ok_and(|v| v == "1");
    let (Some(chromium), Some(chromedriver)) = (chromium(), on_path("chromedriver")) else {
        assert!(
            !required,
            "MEDVIGIL_REQUIRE_BROWSER=1 but chromium/chromedriver are not installed"
        );
        println!("skipped: chromium/chromedriver not installed");
        return;
    };

    let f = fixture_sized(
        medvigil_server::Config {
            password_params: medvigil_auth::PasswordParams::INSECURE_TEST_ONLY,
            ..medvigil_server::Config::default()
        },
        600,
    )
    .await;
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .unwrap_or_else(|e| panic!("listen: {e}"));
    let addr = listener
        .local_addr()
        .unwrap_or_else(|e| panic!("address: {e}"));
    let app = f
        .app
        .clone()
        .into_make_service_with_connect_info::<SocketAddr>();
    let server = tokio::spawn(async move { axum::serve(listener, app).await });

    let out = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("browser");
    std::fs::create_dir_all(&out).unwrap_or_else(|e| panic!("{}: {e}", out.display()));
    let driver = Driver::start(&chromedriver, &out.join("chromedriver.log"));
    let mut caps = fantoccini::wd::Capabilities::new();
    caps.insert(
        "goog:chromeOptions".into(),
        serde_json::json!({
            "binary": chromium,
            "args": ["--headless=new", "--no-sandbox", "--disable-gpu",
                     "--disable-dev-shm-usage", "--window-size=1280,1000"],
        }),
    );
    let client = tokio::time::timeout(
        STEP_LIMIT * 2,
        ClientBuilder::new(HttpConnector::new())
            .capabilities(caps)
            .connect(&driver.url()),
    )
    .await
    .unwrap_or_else(|_| panic!("no browser session within {:?}", STEP_LIMIT * 2))
    .unwrap_or_else(|e| panic!("browser session: {e}"));
    let mut s = Session {
        client: client.clone(),
        base: format!("http://{addr}"),
        shots: out,
        taken: 0,
    };
    let user = username(Role::Biomed, Side::A);
    let network = username(Role::Network, Side::A);
    let walk = tokio::time::timeout(SESSION_LIMIT, async {
        walk_through(&mut s, &user).await;
        segmentation_walk(&mut s, &network).await;
    })
    .await;
    // Close the browser before reporting, whatever happened.
    let _ = client.close().await;
    drop(driver);
    server.abort();
    walk.unwrap_or_else(|_| panic!("the browser session took over {SESSION_LIMIT:?}"));
}

/// Logs `user` in through the login form.
async fn log_in(s: &mut Session, user: &str) {
    s.goto("/").await;
    s.wait("input[name=username]")
        .await
        .send_keys(user)
        .await
        .unwrap_or_else(|e| panic!("type user: {e}"));
    s.wait("input[name=password]")
        .await
        .send_keys(PASSWORD)
        .await
        .unwrap_or_else(|e| panic!("type password: {e}"));
    s.click_through(
        s.wait("form[action='/login'] button[type=submit]").await,
        "submit login",
    )
    .await;
}

/// The network specialist: the overview's segmentation summary, the
/// seeded proposal with its matrix and graph, approval, the nftables
/// export (fetched with the browser's session, then checked by `nft -c`
/// when it is installed).
async fn segmentation_walk(s: &mut Session, user: &str) {
    log_in(s, user).await;
    assert_eq!(s.text("main h1").await, "Overview");
    assert!(s.text("main").await.contains("drift alerts"));
    s.click_through(
        s.wait("nav a[href='/segmentation']").await,
        "segmentation link",
    )
    .await;
    assert_eq!(s.text("main h1").await, "Segmentation");
    s.screenshot("segmentation-policies").await;
    // The newest proposal (seeded: 1 approved, 2.. proposed).
    let proposal = s.all("table.list tbody tr").await;
    assert!(proposal.len() > 1, "seeded policies listed");
    s.click_through(
        s.wait("table.list tbody tr:first-child td:first-child a")
            .await,
        "open the newest policy",
    )
    .await;
    let policy_path = s.path().await;
    assert!(s.text("main h1").await.contains("proposed"));
    // The zone matrix and the zone graph.
    let matrix = s.text("table.matrix").await;
    assert!(matrix.contains("infusion"), "{matrix}");
    assert!(matrix.contains("tcp/"), "{matrix}");
    let graph = s.wait("figure.graph svg").await;
    let label = graph
        .attr("aria-labelledby")
        .await
        .unwrap_or_else(|e| panic!("graph label: {e}"));
    assert_eq!(label.as_deref(), Some("zone-graph-title zone-graph-desc"));
    assert!(
        !s.all("figure.graph svg g.edge").await.is_empty(),
        "no conduit drawn"
    );
    s.show("figure.graph").await;
    s.screenshot("segmentation-graph").await;
    s.show("table.matrix").await;
    s.screenshot("segmentation-matrix").await;
    // Approve with a comment.
    s.wait("form input[name=comment]")
        .await
        .send_keys("reviewed by the browser test")
        .await
        .unwrap_or_else(|e| panic!("type comment: {e}"));
    s.click_through(
        s.wait("button[name=decision][value=approve]").await,
        "approve",
    )
    .await;
    assert_eq!(s.path().await, policy_path);
    assert!(s.text("main h1").await.contains("approved"));
    assert!(
        s.text("main")
            .await
            .contains("reviewed by the browser test")
    );
    s.screenshot("segmentation-approved").await;
    // The nftables export, downloaded with the session cookie.
    let href = s
        .wait("ul.exports a[href*='format=nftables']")
        .await
        .attr("href")
        .await
        .unwrap_or_else(|e| panic!("export link: {e}"))
        .unwrap_or_else(|| panic!("export link without href"));
    let ruleset: String = s
        .client
        .execute_async(
            "const done = arguments[arguments.length - 1];
             fetch(arguments[0], { credentials: 'same-origin' })
               .then(r => r.ok ? r.text() : 'HTTP ' + r.status)
               .then(done, e => done('failed: ' + e));",
            vec![serde_json::json!(href)],
        )
        .await
        .unwrap_or_else(|e| panic!("download: {e}"))
        .as_str()
        .unwrap_or_default()
        .to_owned();
    assert!(ruleset.contains("table inet medvigil"), "{ruleset}");
    medvigil_testkit::nft_check(&ruleset);
    // The drift page for the approved policy.
    s.goto("/segmentation/drift").await;
    assert_eq!(s.text("main h1").await, "Drift alerts");
    assert!(s.text("main").await.contains("No drift"));
    s.screenshot("segmentation-drift").await;
    s.click_through(s.wait("form.logout button[type=submit]").await, "log out")
        .await;
}

async fn walk_through(s: &mut Session, user: &str) {
    // Logging in.
    s.goto("/").await;
    assert_eq!(
        s.path().await,
        "/login",
        "anonymous visitors go to the login"
    );
    s.wait("input[name=username]")
        .await
        .send_keys(user)
        .await
        .unwrap_or_else(|e| panic!("type user: {e}"));
    s.wait("input[name=password]")
        .await
        .send_keys(PASSWORD)
        .await
        .unwrap_or_else(|e| panic!("type password: {e}"));
    s.screenshot("login").await;
    s.click_through(
        s.wait("form[action='/login'] button[type=submit]").await,
        "submit login",
    )
    .await;

    // The overview: the fleet dashboard with its charts.
    assert_eq!(s.text("main h1").await, "Overview");
    assert_eq!(s.path().await, "/");
    assert!(!s.all("main svg").await.is_empty(), "no SVG chart");
    assert!(s.text("header .who").await.contains(user));
    s.screenshot("overview").await;

    // The device list, filtered by category, then by a search term.
    s.click_through(s.wait("nav a[href='/devices']").await, "devices link")
        .await;
    assert_eq!(s.text("main h1").await, "Devices");
    let all = total_of(&s.text("nav.pager span").await);
    let category = cells(s, 3)
        .await
        .into_iter()
        .find(|c| !c.is_empty())
        .unwrap_or_else(|| panic!("no category in the list"));
    s.wait("select[name=category]")
        .await
        .select_by_value(&category)
        .await
        .unwrap_or_else(|e| panic!("select {category}: {e}"));
    s.click_through(s.wait("form.filters button[type=submit]").await, "filter")
        .await;
    s.wait("select[name=category] option[selected]").await;
    let by_category = total_of(&s.text("nav.pager span").await);
    let categories = cells(s, 3).await;
    assert!(!categories.is_empty() && categories.iter().all(|c| *c == category));
    assert!(by_category < all, "{category}: {by_category} of {all}");
    let vendor = cells(s, 2).await[0]
        .split_whitespace()
        .next()
        .unwrap_or_else(|| panic!("no vendor"))
        .to_owned();
    s.wait("input[name=q]")
        .await
        .send_keys(&vendor)
        .await
        .unwrap_or_else(|e| panic!("type search: {e}"));
    s.click_through(s.wait("form.filters button[type=submit]").await, "search")
        .await;
    s.wait(&format!("input[name=q][value='{vendor}']")).await;
    let rows = cells(s, 2).await;
    assert!(!rows.is_empty() && rows.iter().all(|r| r.contains(&vendor)));
    assert!(cells(s, 3).await.iter().all(|c| *c == category));
    assert!(total_of(&s.text("nav.pager span").await) <= by_category);
    s.screenshot("devices-filtered").await;

    // One device: identity with provenance.
    let tag = s.text("table.list tbody tr td:nth-child(1) a").await;
    s.click_through(
        s.wait("table.list tbody tr td:nth-child(1) a").await,
        "open device",
    )
    .await;
    assert!(s.text("main h1").await.starts_with(&tag));
    let device_path = s.path().await;
    assert!(device_path.starts_with("/devices/"));
    assert!(s.text("main").await.contains("Identity"));
    s.screenshot("device").await;

    // Planning a remediation from the device page.
    s.wait("form[action='/remediations'] input[name=vulnerability]")
        .await
        .send_keys(CVE)
        .await
        .unwrap_or_else(|e| panic!("type CVE: {e}"));
    s.wait("form[action='/remediations'] select[name=action]")
        .await
        .select_by_value("update")
        .await
        .unwrap_or_else(|e| panic!("action: {e}"));
    s.click_through(
        s.wait("form[action='/remediations'] button[type=submit]")
            .await,
        "plan",
    )
    .await;
    s.wait("article.remediation").await;
    assert_eq!(s.path().await, device_path, "back on the device page");
    let history = s.text("main").await;
    assert!(history.contains(CVE), "planned remediation not shown");
    s.show("article.remediation").await;
    s.screenshot("device-remediation-planned").await;

    // A comment on it from the remediation board.
    s.goto("/remediations").await;
    let row = format!("//table[contains(@class,'list')]//tr[td[contains(., '{CVE}')]]");
    let row = s
        .client
        .wait()
        .at_most(STEP_LIMIT)
        .for_element(Locator::XPath(&row))
        .await
        .unwrap_or_else(|e| panic!("board row of {CVE}: {e}"));
    let field = |css: &'static str| {
        let row = row.clone();
        async move {
            row.find(Locator::Css(css))
                .await
                .unwrap_or_else(|e| panic!("'{css}' in the row: {e}"))
        }
    };
    field("select[name=kind]")
        .await
        .select_by_value("comment")
        .await
        .unwrap_or_else(|e| panic!("kind: {e}"));
    field("input[name=text]")
        .await
        .send_keys(COMMENT)
        .await
        .unwrap_or_else(|e| panic!("type comment: {e}"));
    s.screenshot("board-comment").await;
    s.click_through(field("button[type=submit]").await, "record")
        .await;
    assert_eq!(s.text("main h1").await, "Remediation");
    s.goto(&device_path).await;
    let trail = s.text("main").await;
    assert!(trail.contains(COMMENT), "comment not in the trail: {trail}");
    s.show("article.remediation").await;
    s.screenshot("device-trail").await;

    // Logging out ends the session.
    s.click_through(s.wait("form.logout button[type=submit]").await, "log out")
        .await;
    s.wait("input[name=username]").await;
    assert_eq!(s.path().await, "/login");
    s.goto("/devices").await;
    s.wait("input[name=username]").await;
    assert_eq!(s.path().await, "/login", "logged out for good");
    s.screenshot("logged-out").await;
}
