//! A compact, stable text rendering of a [`Document`], one fact a line: what
//! the golden tests compare and what a CLI can print.

use std::fmt::Write as _;

use crate::{Component, Document, ProductRef};

/// Renders a document (components, dependency edges, VEX statements).
pub fn render(doc: &Document) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "format {}", doc.format);
    if let Some(s) = &doc.sbom {
        let _ = writeln!(
            out,
            "sbom spec={} serial={} version={} name={} timestamp={}",
            s.spec_version,
            opt(s.serial.as_deref()),
            s.version.map_or_else(|| "-".into(), |v| v.to_string()),
            opt(s.name.as_deref()),
            opt(s.timestamp.as_deref()),
        );
        if let Some(m) = &s.metadata_component {
            let _ = writeln!(out, "metadata {}", component(m));
        }
        for (i, c) in s.components.iter().enumerate() {
            let _ = writeln!(out, "component #{i} {}", component(c));
        }
        for (from, edges) in &s.dependencies {
            for e in edges {
                let _ = writeln!(out, "edge {from} {} {}", e.relationship, e.to);
            }
        }
    }
    if let Some(v) = &doc.vex {
        let _ = writeln!(
            out,
            "vex id={} author={} timestamp={}",
            opt(v.id.as_deref()),
            opt(v.author.as_deref()),
            opt(v.timestamp.as_deref())
        );
        for st in &v.statements {
            let _ = write!(
                out,
                "statement {} [{}] {}",
                st.vulnerability.id,
                st.vulnerability.aliases.join(","),
                st.status
            );
            if let Some(j) = st.justification {
                let _ = write!(out, " justification={j}");
            }
            if let Some(j) = &st.justification_raw {
                let _ = write!(out, " justification_raw={j}");
            }
            if !st.responses.is_empty() {
                let _ = write!(out, " responses={}", st.responses.join(","));
            }
            let _ = writeln!(out, " at={}", opt(st.timestamp.as_deref()));
            if let Some(t) = &st.impact_statement {
                let _ = writeln!(out, "  impact {}", one_line(t));
            }
            if let Some(t) = &st.action_statement {
                let _ = writeln!(out, "  action {}", one_line(t));
            }
            for p in &st.products {
                let _ = writeln!(out, "  product {}", product(p));
                for sub in &p.subcomponents {
                    let _ = writeln!(out, "    sub {}", product(sub));
                }
            }
        }
    }
    out
}

fn opt(s: Option<&str>) -> &str {
    s.unwrap_or("-")
}

fn one_line(s: &str) -> String {
    let t: String = s.split_whitespace().collect::<Vec<_>>().join(" ");
    if t.chars().count() > 100 {
        let mut c: String = t.chars().take(97).collect();
        c.push_str("...");
        c
    } else {
        t
    }
}

fn component(c: &Component) -> String {
    let mut s = format!(
        "{} {}{}@{}",
        c.kind.as_str(),
        c.group
            .as_deref()
            .map(|g| format!("{g}/"))
            .unwrap_or_default(),
        c.name,
        c.version.as_deref().unwrap_or("-")
    );
    if let Some(r) = &c.bom_ref {
        let _ = write!(s, " ref={r}");
    }
    if let Some(p) = c.parent {
        let _ = write!(s, " parent=#{p}");
    }
    if let Some(p) = &c.purl {
        let _ = write!(
            s,
            " purl={}{}",
            p.raw,
            if p.parsed.is_some() { "" } else { "(unparsed)" }
        );
    }
    if let Some(p) = &c.cpe {
        let _ = write!(
            s,
            " cpe={}{}",
            p.raw,
            if p.parsed.is_some() { "" } else { "(unparsed)" }
        );
    }
    if let Some(p) = &c.supplier {
        let _ = write!(s, " supplier={p:?}");
    }
    for h in &c.hashes {
        let _ = write!(s, " {}:{}", h.alg, h.value);
    }
    if !c.licenses.is_empty() {
        let _ = write!(s, " licenses={:?}", c.licenses);
    }
    s
}

fn product(p: &ProductRef) -> String {
    let mut s = String::new();
    if let Some(x) = &p.product_id {
        let _ = write!(s, " id={x}");
    }
    if let Some(x) = &p.bom_ref {
        let _ = write!(s, " ref={x}");
    }
    if let Some(x) = &p.purl {
        let _ = write!(s, " purl={}", x.raw);
    }
    if let Some(x) = &p.cpe {
        let _ = write!(s, " cpe={}", x.raw);
    }
    if let Some(x) = &p.name {
        let _ = write!(s, " name={x:?}");
    }
    if let Some(x) = &p.version {
        let _ = write!(s, " version={x}");
    }
    if let Some(x) = p.component {
        let _ = write!(s, " component=#{x}");
    }
    for (v, st) in &p.versions {
        let _ = write!(s, " {v}={st}");
    }
    s.trim_start().to_owned()
}
