//! A directed graph as accessible inline SVG: nodes on a circle, edges as
//! arrows labelled with what flows along them. The web UI draws the zones
//! of a segmentation policy (IEC 62443-3-2 zones as nodes, conduits as
//! edges) with it.
//!
//! Written by hand for the reasons given in [`crate::svg`]; in addition the
//! graph-layout crates (layout-rs, graphviz bindings) place nodes by force
//! or rank, which moves every node when one zone is added. A circle in
//! name order is deterministic, and a zone keeps its place between two
//! policies with the same zones, which is what a reviewer compares.
//!
//! The output is a well-formed XML fragment; every caller text is escaped;
//! the `<desc>` lists every edge, so the graph says everything it shows to
//! a screen reader.

use std::collections::BTreeMap;
use std::f64::consts::PI;
use std::fmt::Write;

use crate::escape::escape;
use crate::svg::open;

/// One directed edge: from a node to another (or the same), with a label
/// (the services, `tcp/104 (dicom)`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Edge<'a> {
    /// The source node's name.
    pub from: &'a str,
    /// The target node's name.
    pub to: &'a str,
    /// What flows along it.
    pub label: String,
}

const WIDTH: f64 = 720.0;
const HEIGHT: f64 = 560.0;
const CX: f64 = 360.0;
const CY: f64 = 280.0;
const RING: f64 = 190.0;
const NODE: f64 = 26.0;
const LABEL_CHARS: usize = 22;
const EDGE_LABEL_CHARS: usize = 28;
const EDGE_COLOUR: &str = "#4f7cac";
const NODE_FILL: &str = "#e8eef6";

/// The graph of `nodes` (drawn in the order given, clockwise from the
/// top) and `edges`; edges between the same nodes in the same direction
/// are drawn as one arrow whose label joins theirs. Edges naming a node
/// that is not in `nodes` are skipped (and left out of the description).
///
/// `id` must be unique in the page; it prefixes the ids of the `<title>`,
/// the `<desc>` and the arrow marker.
pub fn directed_graph(id: &str, title: &str, nodes: &[&str], edges: &[Edge<'_>]) -> String {
    let index: BTreeMap<&str, usize> = nodes.iter().enumerate().map(|(i, n)| (*n, i)).collect();
    // (from, to) → labels, in node order, labels sorted: the drawing does
    // not depend on the order of `edges`.
    let mut merged: BTreeMap<(usize, usize), Vec<&str>> = BTreeMap::new();
    for e in edges {
        if let (Some(&a), Some(&b)) = (index.get(e.from), index.get(e.to)) {
            merged.entry((a, b)).or_default().push(&e.label);
        }
    }
    for labels in merged.values_mut() {
        labels.sort_unstable();
        labels.dedup();
    }
    let mut desc = format!(
        "Directed graph, {} nodes, {} edges.",
        nodes.len(),
        merged.len()
    );
    for ((a, b), labels) in &merged {
        let _ = write!(
            desc,
            " {} to {}: {}.",
            nodes[*a],
            nodes[*b],
            labels.join(", ")
        );
    }
    let mut out = open(id, title, &desc, WIDTH, HEIGHT);
    let eid = escape(id);
    let _ = write!(
        out,
        r#"<defs><marker id="{eid}-arrow" viewBox="0 0 10 10" refX="10" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z" fill="{EDGE_COLOUR}"/></marker></defs>"#
    );
    let at = |i: usize| {
        let angle = 2.0 * PI * i as f64 / nodes.len().max(1) as f64 - PI / 2.0;
        (angle, CX + RING * angle.cos(), CY + RING * angle.sin())
    };
    // Nodes first: arrows and their labels stay readable on top.
    for (i, name) in nodes.iter().enumerate() {
        let (angle, x, y) = at(i);
        let (lx, ly) = (
            x + (NODE + 10.0) * angle.cos(),
            y + (NODE + 10.0) * angle.sin(),
        );
        let anchor = if angle.cos() > 0.3 {
            "start"
        } else if angle.cos() < -0.3 {
            "end"
        } else {
            "middle"
        };
        let _ = write!(
            out,
            r#"<g class="node"><title>{}</title><circle cx="{x:.1}" cy="{y:.1}" r="{NODE}" fill="{NODE_FILL}" stroke="{EDGE_COLOUR}" stroke-width="2"/><text x="{lx:.1}" y="{:.1}" font-size="13" font-weight="600" text-anchor="{anchor}">{}</text></g>"#,
            escape(name),
            ly + if angle.sin() > 0.3 { 12.0 } else { 4.0 },
            escape(&shorten(name, LABEL_CHARS))
        );
    }
    for ((a, b), labels) in &merged {
        let label = labels.join(", ");
        let full = format!("{} to {}: {label}", nodes[*a], nodes[*b]);
        if a == b {
            // A loop outside the ring: traffic inside one zone.
            let (angle, x, y) = at(*a);
            let (lx, ly) = (
                x + (NODE + 22.0) * angle.cos(),
                y + (NODE + 22.0) * angle.sin(),
            );
            let _ = write!(
                out,
                r#"<g class="edge"><title>{}</title><circle cx="{lx:.1}" cy="{ly:.1}" r="16" fill="none" stroke="{EDGE_COLOUR}" stroke-width="1.5"/><text x="{:.1}" y="{:.1}" font-size="11" text-anchor="middle">{}</text></g>"#,
                escape(&full),
                lx + 24.0 * angle.cos(),
                ly + 24.0 * angle.sin() + 4.0,
                escape(&shorten(&label, EDGE_LABEL_CHARS))
            );
            continue;
        }
        let (_, x1, y1) = at(*a);
        let (_, x2, y2) = at(*b);
        let (dx, dy) = (x2 - x1, y2 - y1);
        let len = dx.hypot(dy).max(1.0);
        let (ux, uy) = (dx / len, dy / len);
        // Both directions between two zones: each arrow bends to its own
        // side (the normal of its direction), so they never overlap.
        let bend = 28.0;
        let (mx, my) = ((x1 + x2) / 2.0 - uy * bend, (y1 + y2) / 2.0 + ux * bend);
        let (sx, sy) = (x1 + ux * NODE, y1 + uy * NODE);
        let (ex, ey) = (x2 - ux * (NODE + 2.0), y2 - uy * (NODE + 2.0));
        let _ = write!(
            out,
            r##"<g class="edge"><title>{}</title><path d="M{sx:.1},{sy:.1} Q{mx:.1},{my:.1} {ex:.1},{ey:.1}" fill="none" stroke="{EDGE_COLOUR}" stroke-width="1.5" marker-end="url(#{eid}-arrow)"/><text x="{:.1}" y="{:.1}" font-size="11" text-anchor="middle" paint-order="stroke" stroke="#ffffff" stroke-width="3">{}</text></g>"##,
            escape(&full),
            (x1 + x2) / 4.0 + mx / 2.0,
            (y1 + y2) / 4.0 + my / 2.0 + 4.0,
            escape(&shorten(&label, EDGE_LABEL_CHARS))
        );
    }
    out.push_str("</svg>");
    out
}

/// The first `max` characters and an ellipsis; the full text is in the
/// element's `<title>` and in the description.
fn shorten(label: &str, max: usize) -> String {
    if label.chars().count() <= max {
        return label.to_owned();
    }
    let mut s: String = label.chars().take(max - 1).collect();
    s.push('…');
    s
}
