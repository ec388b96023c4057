//! Test support shared by every medvigil crate: locating the real-world
//! corpora (`../shared/corpora` beside the repository) and comparing output
//! with golden files.
//!
//! Tests that need the corpora call [`corpora`]. Where the corpora are absent
//! (a user's clone) the test prints why and is skipped; under CI (`CI` set)
//! their absence is a failure, because there they must run.

use std::path::{Path, PathBuf};

/// The environment variable that overrides where the corpora are.
pub const CORPORA_ENV: &str = "MEDVIGIL_CORPORA";

/// Root of the repository (the workspace directory).
pub fn workspace_root() -> PathBuf {
    // crates/testkit -> crates -> root
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .ancestors()
        .nth(2)
        .map(Path::to_path_buf)
        .unwrap_or_else(|| PathBuf::from("."))
}

/// The corpora directory, or `None` (with a note on stderr) when it is absent
/// outside CI.
///
/// # Panics
/// Under CI (`CI` set to anything but `false`/empty) when the corpora are absent.
pub fn corpora() -> Option<PathBuf> {
    let dir = std::env::var_os(CORPORA_ENV)
        .map(PathBuf::from)
        .unwrap_or_else(|| workspace_root().join("../shared/corpora"));
    if dir.is_dir() {
        return Some(dir);
    }
    assert!(
        !in_ci(),
        "corpora not found at {} (set {CORPORA_ENV}); CI must run corpus tests",
        dir.display()
    );
    eprintln!(
        "skipped: corpora not found at {} (set {CORPORA_ENV})",
        dir.display()
    );
    None
}

/// A file or folder inside the corpora, or `None` when the corpora are absent.
///
/// # Panics
/// When the corpora exist but `rel` does not: that is a broken test, not a skip.
pub fn corpus(rel: &str) -> Option<PathBuf> {
    let path = corpora()?.join(rel);
    assert!(path.exists(), "corpus path missing: {}", path.display());
    Some(path)
}

/// Whether we run under CI, where nothing may be skipped.
pub fn in_ci() -> bool {
    std::env::var("CI").is_ok_and(|v| !v.is_empty() && v != "false")
}

/// Compares `actual` with the golden file at `path`; with `UPDATE_GOLDEN=1`
/// writes `actual` there instead.
///
/// # Panics
/// When they differ (showing both), or the golden file cannot be read.
pub fn assert_golden(path: &Path, actual: &str) {
    if std::env::var_os("UPDATE_GOLDEN").is_some() {
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent).expect("create golden dir");
        }
        std::fs::write(path, actual).expect("write golden file");
        return;
    }
    let expected = std::fs::read_to_string(path).unwrap_or_else(|e| {
        panic!(
            "golden file {}: {e} (UPDATE_GOLDEN=1 creates it)",
            path.display()
        )
    });
    assert!(
        expected == actual,
        "output differs from {}\n--- expected\n{expected}\n--- actual\n{actual}",
        path.display()
    );
}

/// The path of an external program the test drives (`tshark`, `storescp`),
/// or `None` (with a note on stderr) when it is not installed and skipping
/// is allowed.
///
/// # Panics
/// When it is missing under CI (`CI` set) or with `require_var` set to `1`:
/// there the tests that need it must run.
pub fn tool(name: &str, require_var: &str) -> Option<PathBuf> {
    let found = std::env::var_os("PATH").and_then(|paths| {
        std::env::split_paths(&paths)
            .map(|d| d.join(name))
            .find(|p| p.is_file())
    });
    if found.is_none() {
        let required = in_ci() || std::env::var(require_var).is_ok_and(|v| v == "1");
        assert!(
            !required,
            "{name} is not installed, and CI or {require_var}=1 forbids skipping"
        );
        eprintln!("skipped: {name} is not installed (set {require_var}=1 to fail instead)");
    }
    found
}

/// Whether the test runs as root (network namespaces, `nft -c` and live
/// capture need it).
pub fn is_root() -> bool {
    std::fs::read_to_string("/proc/self/status").is_ok_and(|s| {
        s.lines()
            .find(|l| l.starts_with("Uid:"))
            .and_then(|l| l.split_whitespace().nth(2))
            == Some("0")
    })
}

fn nft_required() -> bool {
    in_ci() || std::env::var("MEDVIGIL_REQUIRE_NFT").is_ok_and(|v| v == "1")
}

/// The `nft` binary (looked for in the sbin folders, which a user's `PATH`
/// may lack), or `None` after saying so.
///
/// # Panics
/// When it is missing under CI or with `MEDVIGIL_REQUIRE_NFT=1`.
pub fn nft() -> Option<PathBuf> {
    let found = ["/usr/sbin/nft", "/sbin/nft", "/usr/bin/nft"]
        .into_iter()
        .map(PathBuf::from)
        .find(|p| p.exists());
    if found.is_none() {
        assert!(
            !nft_required(),
            "nft is not installed, and CI or MEDVIGIL_REQUIRE_NFT=1 forbids skipping"
        );
        eprintln!("skipped: nft is not installed");
    }
    found
}

/// Checks `ruleset` with `nft -c -f`: parsed and checked by the kernel,
/// nothing applied. Skips (saying so) without nft, or without the
/// capability the check needs, unless skipping is forbidden.
///
/// # Panics
/// When nft rejects the ruleset, or cannot run where it is required.
pub fn nft_check(ruleset: &str) {
    static N: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);
    let Some(nft) = nft() else { return };
    let file = std::env::temp_dir().join(format!(
        "medvigil-nft-{}-{}.nft",
        std::process::id(),
        N.fetch_add(1, std::sync::atomic::Ordering::Relaxed)
    ));
    std::fs::write(&file, ruleset).unwrap_or_else(|e| panic!("{}: {e}", file.display()));
    let out = std::process::Command::new(&nft)
        .arg("-c")
        .arg("-f")
        .arg(&file)
        .output()
        .unwrap_or_else(|e| panic!("running nft: {e}"));
    let _ = std::fs::remove_file(&file);
    let stderr = String::from_utf8_lossy(&out.stderr);
    if !out.status.success() && !nft_required() && stderr.contains("Operation not permitted") {
        eprintln!("skipped: nft -c needs CAP_NET_ADMIN: {stderr}");
        return;
    }
    assert!(
        out.status.success(),
        "nft -c rejected the ruleset:\n{stderr}\n--- ruleset\n{ruleset}"
    );
}
