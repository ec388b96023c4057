//! CVSS tests: 6.1.8 (schema of the CVSS object), 6.1.9 (scores computed
//! correctly), 6.1.10 (properties consistent with the vector), 6.2.19,
//! 6.3.1, 6.3.2. Score arithmetic comes from the `cvss` crate (verified on
//! every FIRST reference vector, see CRATES.md); the property tables of
//! FIRST's JSON schemas for CVSS v2.0 / v3.x are in `tables.rs`.

use super::Ctx;
use crate::model::JsonObject;
use serde_json::Value;
use std::str::FromStr;

mod fixed;
mod tables;
use tables::{PropTable, V2_BASE, V2_PROPS, V3_BASE, V3_PROPS, V3_SEVERITIES};

pub(crate) fn run(ctx: &mut Ctx<'_>) {
    let doc = ctx.doc;
    for (i, v) in doc.vulnerabilities.iter().flatten().enumerate() {
        let scores = v.scores.as_deref().unwrap_or_default();
        for (j, s) in scores.iter().enumerate() {
            let base = format!("/vulnerabilities/{i}/scores/{j}");
            if let Some(c) = &s.cvss_v3 {
                check_v3(ctx, c, &format!("{base}/cvss_v3"));
            }
            if let Some(c) = &s.cvss_v2 {
                check_v2(ctx, c, &format!("{base}/cvss_v2"));
                if s.cvss_v3.is_none() {
                    ctx.info(
                        "6.3.1",
                        format!("{base}/cvss_v2"),
                        "CVSS v2 is the only score of this item",
                    );
                }
            }
        }
        fixed::fixed_products_scored(ctx, i, v);
    }
}

/// Parses `K:V/K:V…` into pairs; `None` when malformed or a metric repeats.
fn components(vector: &str) -> Option<Vec<(&str, &str)>> {
    let mut out: Vec<(&str, &str)> = Vec::new();
    for part in vector.split('/') {
        let (k, v) = part.split_once(':')?;
        if out.iter().any(|(x, _)| *x == k) {
            return None;
        }
        out.push((k, v));
    }
    Some(out)
}

/// Whether every metric of the vector is known with an allowed value and
/// every base metric is present (the `vectorString` patterns of FIRST's schemas).
fn vector_ok(comps: &[(&str, &str)], props: PropTable, base: &[&str]) -> bool {
    base.iter().all(|b| comps.iter().any(|(k, _)| k == b))
        && comps.iter().all(|(k, v)| {
            props
                .iter()
                .any(|(_, m, values)| m == k && values.iter().any(|(_, x)| x == v))
        })
}

fn num(c: &JsonObject, key: &str) -> Option<f64> {
    c.get(key).and_then(Value::as_f64)
}

/// Schema shape shared by both versions: enums, score ranges (6.1.8).
fn check_props(
    ctx: &mut Ctx<'_>,
    c: &JsonObject,
    at: &str,
    props: PropTable,
    comps: Option<&[(&str, &str)]>,
) {
    for (prop, metric, values) in props {
        let Some(val) = c.get(*prop) else { continue };
        let Some(text) = val
            .as_str()
            .and_then(|t| values.iter().find(|(j, _)| *j == t))
        else {
            ctx.error(
                "6.1.8",
                format!("{at}/{prop}"),
                format!("{prop} has a value outside the CVSS schema"),
            );
            continue;
        };
        // 6.1.10: the property must say what the vector says.
        if let Some(comps) = comps {
            // A metric absent from the vector is not contradicted by a
            // property (the OASIS suite's valid cases rely on this).
            if let Some(v) = comps.iter().find(|(k, _)| k == metric).map(|(_, v)| *v)
                && v != text.1
            {
                ctx.error(
                    "6.1.10",
                    format!("{at}/{prop}"),
                    format!("{prop} is {} but the vector says {metric}:{v}", text.0),
                );
            }
        }
    }
    for key in ["baseScore", "temporalScore", "environmentalScore"] {
        if let Some(v) = c.get(key)
            && !v.as_f64().is_some_and(|x| (0.0..=10.0).contains(&x))
        {
            ctx.error(
                "6.1.8",
                format!("{at}/{key}"),
                format!("{key} is not a number from 0 to 10"),
            );
        }
    }
}

fn check_v3(ctx: &mut Ctx<'_>, c: &JsonObject, at: &str) {
    let version = c.get("version").and_then(Value::as_str);
    let vector = c.get("vectorString").and_then(Value::as_str);
    for key in ["version", "vectorString", "baseScore", "baseSeverity"] {
        if !c.contains_key(key) {
            ctx.error("6.1.8", at, format!("required property {key} is missing"));
        }
    }
    if version.is_some_and(|v| v != "3.0" && v != "3.1") {
        ctx.error(
            "6.1.8",
            format!("{at}/version"),
            "version must be 3.0 or 3.1",
        );
    }
    for key in ["baseSeverity", "temporalSeverity", "environmentalSeverity"] {
        if let Some(v) = c.get(key)
            && !v.as_str().is_some_and(|s| V3_SEVERITIES.contains(&s))
        {
            ctx.error(
                "6.1.8",
                format!("{at}/{key}"),
                format!("{key} is not a CVSS v3 severity"),
            );
        }
    }
    let parsed = vector.and_then(|v| {
        let rest = v.strip_prefix("CVSS:")?;
        let (ver, metrics) = rest.split_once('/')?;
        let comps = components(metrics)?;
        vector_ok(&comps, V3_PROPS, V3_BASE).then_some((ver, comps))
    });
    let Some((vector_version, comps)) = parsed else {
        if vector.is_some() {
            ctx.error(
                "6.1.8",
                format!("{at}/vectorString"),
                "vectorString is not a valid CVSS v3 vector",
            );
        }
        check_props(ctx, c, at, V3_PROPS, None);
        return;
    };
    if version.is_some_and(|v| v != vector_version) {
        ctx.error(
            "6.1.8",
            format!("{at}/vectorString"),
            "vectorString prefix does not match version",
        );
    }
    if vector_version == "3.0" {
        ctx.info(
            "6.3.2",
            format!("{at}/vectorString"),
            "CVSS v3.0 is used; CVSS v3.1 is recommended",
        );
    }
    check_props(ctx, c, at, V3_PROPS, Some(&comps));
    let Some(vector) = vector else { return };
    let Ok(parsed) = cvss::v3::Vector::from_str(vector) else {
        ctx.error(
            "6.1.8",
            format!("{at}/vectorString"),
            "vectorString is not a valid CVSS v3 vector",
        );
        return;
    };
    let minor = parsed.minor_version;
    let base = parsed.base_score().value();
    let factor = |metric: &str, table: &[(&str, f64)]| -> f64 {
        let v = comps
            .iter()
            .find(|(k, _)| *k == metric)
            .map_or("X", |(_, v)| *v);
        table.iter().find(|(x, _)| *x == v).map_or(1.0, |(_, f)| *f)
    };
    let e = factor("E", &[("U", 0.91), ("P", 0.94), ("F", 0.97)]);
    let rl = factor("RL", &[("O", 0.95), ("T", 0.96), ("W", 0.97)]);
    let rc = factor("RC", &[("U", 0.92), ("R", 0.96)]);
    let temporal = cvss::v3::Score::new(base * e * rl * rc)
        .roundup_for_version(minor)
        .value();
    let environmental = parsed.environmental_score().value();
    for (score_key, sev_key, expected) in [
        ("baseScore", "baseSeverity", base),
        ("temporalScore", "temporalSeverity", temporal),
        ("environmentalScore", "environmentalSeverity", environmental),
    ] {
        if let Some(given) = num(c, score_key)
            && !same_score(given, expected)
        {
            ctx.error(
                "6.1.9",
                format!("{at}/{score_key}"),
                format!("{score_key} is {given}, computed {expected:.1}"),
            );
        }
        if let Some(given) = c.get(sev_key).and_then(Value::as_str) {
            let want = v3_severity(expected);
            if given != want {
                ctx.error(
                    "6.1.9",
                    format!("{at}/{sev_key}"),
                    format!("{sev_key} is {given}, computed {want}"),
                );
            }
        }
    }
}

fn check_v2(ctx: &mut Ctx<'_>, c: &JsonObject, at: &str) {
    for key in ["version", "vectorString", "baseScore"] {
        if !c.contains_key(key) {
            ctx.error("6.1.8", at, format!("required property {key} is missing"));
        }
    }
    if c.get("version").is_some_and(|v| v.as_str() != Some("2.0")) {
        ctx.error("6.1.8", format!("{at}/version"), "version must be 2.0");
    }
    let vector = c.get("vectorString").and_then(Value::as_str);
    let comps = vector
        .and_then(components)
        .filter(|comps| vector_ok(comps, V2_PROPS, V2_BASE));
    let Some(comps) = comps else {
        if vector.is_some() {
            ctx.error(
                "6.1.8",
                format!("{at}/vectorString"),
                "vectorString is not a valid CVSS v2 vector",
            );
        }
        check_props(ctx, c, at, V2_PROPS, None);
        return;
    };
    check_props(ctx, c, at, V2_PROPS, Some(&comps));
    let Some(parsed) = vector.and_then(|v| cvss::v2::Vector::from_str(v).ok()) else {
        return;
    };
    let checks = [
        ("baseScore", parsed.score().value()),
        ("temporalScore", parsed.temporal_score().value()),
        ("environmentalScore", parsed.environmental_score().value()),
    ];
    for (key, expected) in checks {
        if let Some(given) = num(c, key)
            && !same_score(given, expected)
        {
            ctx.error(
                "6.1.9",
                format!("{at}/{key}"),
                format!("{key} is {given}, computed {expected:.1}"),
            );
        }
    }
}

/// Scores have one decimal; compare at that precision.
fn same_score(a: f64, b: f64) -> bool {
    (a * 10.0).round() == (b * 10.0).round()
}

/// CVSS v3.x qualitative severity rating scale (CVSS v3.1 spec section 5).
fn v3_severity(score: f64) -> &'static str {
    match (score * 10.0).round() as i64 {
        0 => "NONE",
        1..=39 => "LOW",
        40..=69 => "MEDIUM",
        70..=89 => "HIGH",
        _ => "CRITICAL",
    }
}
