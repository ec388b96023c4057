//! Every reference vector of the Red Hat `cvss` test suite
//! (`corpora/cvss/redhat-cvss/vectors_*`, format in `corpora/cvss/FORMAT.md`)
//! must score as expected.

use std::path::Path;

use medvigil_risk::{CvssVersion, score};

/// Vectors whose expected value we knowingly do not reproduce: (file,
/// vector, why). Empty: every vector matches.
const EXCEPTIONS: &[(&str, &str, &str)] = &[];

/// Files and the number of lines each holds (a truncated corpus is a failure).
const FILES: &[(&str, usize)] = &[
    ("vectors_simple2", 729),
    ("vectors_calculator2", 5),
    ("vectors_cvsslib2", 24),
    ("vectors_simple3", 2592),
    ("vectors_calculator3", 2),
    ("vectors_cvsslib3", 29),
    ("vectors_simple31", 2592),
    ("vectors_simple4", 1058),
    ("vectors_supplemental4", 576),
    ("vectors_security4", 54),
    ("vectors_threat4", 6),
];

fn close(a: f64, b: f64) -> bool {
    (a - b).abs() < 1e-9
}

fn parse_expected(s: &str) -> Vec<Option<f64>> {
    s.trim()
        .trim_start_matches('(')
        .trim_end_matches(')')
        .split(',')
        .map(str::trim)
        .filter(|p| !p.is_empty())
        .map(|p| (p != "None").then(|| p.parse::<f64>().expect("expected score is a float")))
        .collect()
}

/// Checks one line; `Err` describes the mismatch.
fn check(file: &str, vector: &str, expected: &str) -> Result<(), String> {
    let got = score(vector).map_err(|e| format!("{e}"))?;
    let exp = parse_expected(expected);
    let mismatch = |what: &str, want: Option<f64>, have: Option<f64>| {
        Err(format!("{what}: expected {want:?}, got {have:?}"))
    };
    match got.version {
        CvssVersion::V2 => {
            let [Some(base), temporal, environmental] = exp[..] else {
                return Err(format!("malformed expectation {expected}"));
            };
            // Upstream reports None for a group the vector does not carry.
            if !close(got.base, base) {
                return mismatch("base", Some(base), Some(got.base));
            }
            match (temporal, got.temporal) {
                (None, None) => {}
                (Some(w), Some(h)) if close(w, h) => {}
                (w, h) => return mismatch("temporal", w, h),
            }
            match (environmental, got.environmental) {
                (None, None) => {}
                (Some(w), Some(h)) if close(w, h) => {}
                (w, h) => return mismatch("environmental", w, h),
            }
        }
        CvssVersion::V30 | CvssVersion::V31 => {
            let [Some(base), Some(temporal), Some(environmental)] = exp[..] else {
                return Err(format!("malformed expectation {expected}"));
            };
            // v3 temporal and environmental scores are always computed
            // (absent metrics count as X), as upstream does.
            let (Some(t), Some(e)) = (got.temporal, got.environmental) else {
                return Err("v3 temporal/environmental missing".to_owned());
            };
            if !close(got.base, base) {
                return mismatch("base", Some(base), Some(got.base));
            }
            if !close(t, temporal) {
                return mismatch("temporal", Some(temporal), Some(t));
            }
            if !close(e, environmental) {
                return mismatch("environmental", Some(environmental), Some(e));
            }
        }
        CvssVersion::V40 => {
            let [Some(want)] = exp[..] else {
                return Err(format!("malformed expectation {expected}"));
            };
            if !close(got.score, want) {
                return mismatch("score", Some(want), Some(got.score));
            }
            if file == "vectors_simple4" && !close(got.base, want) {
                return mismatch("CVSS-B", Some(want), Some(got.base));
            }
        }
        v => return Err(format!("unexpected version {v}")),
    }
    Ok(())
}

fn run(dir: &Path, file: &str) -> (usize, Vec<String>) {
    let text = std::fs::read_to_string(dir.join(file)).expect("read vector file");
    let mut lines = 0;
    let mut failures = Vec::new();
    for line in text.lines().filter(|l| !l.trim().is_empty()) {
        lines += 1;
        let (vector, expected) = line.split_once(" - ").expect("line has ' - '");
        if EXCEPTIONS
            .iter()
            .any(|(f, v, _)| *f == file && *v == vector)
        {
            continue;
        }
        if let Err(why) = check(file, vector, expected) {
            failures.push(format!("{file}: {vector}: {why}"));
        }
    }
    (lines, failures)
}

#[test]
fn every_reference_vector_scores_as_expected() {
    let Some(dir) = medvigil_testkit::corpus("cvss/redhat-cvss") else {
        return;
    };
    let mut failures = Vec::new();
    for (file, count) in FILES {
        let (lines, f) = run(&dir, file);
        assert_eq!(lines, *count, "{file}: vector count");
        failures.extend(f);
    }
    assert!(
        failures.is_empty(),
        "{} mismatches:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

#[test]
fn every_vector_file_is_listed() {
    let Some(dir) = medvigil_testkit::corpus("cvss/redhat-cvss") else {
        return;
    };
    for entry in std::fs::read_dir(dir).expect("read corpus dir") {
        let name = entry.expect("dir entry").file_name();
        let name = name.to_string_lossy();
        if name.starts_with("vectors_") {
            assert!(
                FILES.iter().any(|(f, _)| *f == name),
                "{name} is not in FILES"
            );
        }
    }
}
