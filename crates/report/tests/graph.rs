//! The directed graph on its own: well-formed XML, every text escaped, a
//! deterministic layout, and a description that says every edge.

use medvigil_report::graph::{Edge, directed_graph};

fn well_formed(svg: &str) -> usize {
    let mut r = quick_xml::reader::Reader::from_str(svg);
    let mut elements = 0;
    loop {
        match r.read_event() {
            Ok(quick_xml::events::Event::Eof) => break,
            Ok(quick_xml::events::Event::Start(_) | quick_xml::events::Event::Empty(_)) => {
                elements += 1;
            }
            Ok(_) => {}
            Err(e) => panic!("{e}\n{svg}"),
        }
    }
    elements
}

/// The names of every element of `svg`.
fn element_names(svg: &str) -> Vec<String> {
    let mut r = quick_xml::reader::Reader::from_str(svg);
    let mut names = Vec::new();
    loop {
        match r.read_event() {
            Ok(quick_xml::events::Event::Eof) => break,
            Ok(quick_xml::events::Event::Start(e) | quick_xml::events::Event::Empty(e)) => {
                names.push(String::from_utf8_lossy(e.name().as_ref()).into_owned());
            }
            Ok(_) => {}
            Err(e) => panic!("{e}\n{svg}"),
        }
    }
    names
}

fn edge<'a>(from: &'a str, to: &'a str, label: &str) -> Edge<'a> {
    Edge {
        from,
        to,
        label: label.into(),
    }
}

#[test]
fn a_zone_graph_is_well_formed_and_describes_every_conduit() {
    let nodes = ["clinical-it", "imaging", "infusion", "external"];
    let edges = [
        edge("imaging", "clinical-it", "tcp/104 (dicom)"),
        edge("imaging", "clinical-it", "tcp/443"),
        edge("clinical-it", "imaging", "tcp/80 (http)"),
        edge("external", "infusion", "tcp/22"),
        edge("infusion", "infusion", "udp/5353"),
        edge("nowhere", "imaging", "tcp/1"),
    ];
    let svg = directed_graph("zones", "Zones and conduits", &nodes, &edges);
    assert!(well_formed(&svg) > 10);
    assert!(svg.starts_with("<svg"));
    assert!(svg.contains(r#"role="img""#));
    assert!(svg.contains(r#"aria-labelledby="zones-title zones-desc""#));
    // One arrow per direction between two zones, the services joined.
    assert!(
        svg.contains("imaging to clinical-it: tcp/104 (dicom), tcp/443."),
        "{svg}"
    );
    assert!(svg.contains("clinical-it to imaging: tcp/80 (http)."));
    assert!(svg.contains("external to infusion: tcp/22."));
    assert!(svg.contains("4 nodes, 4 edges."));
    // An edge naming no node is left out.
    assert!(!svg.contains("nowhere"));
    assert_eq!(svg.matches("marker-end=").count(), 3);
    // Deterministic: the order of the edges does not matter.
    let mut reversed = edges.to_vec();
    reversed.reverse();
    assert_eq!(
        directed_graph("zones", "Zones and conduits", &nodes, &reversed),
        svg
    );
}

#[test]
fn no_name_or_label_becomes_markup() {
    let evil = r#"<script>alert("x")</script>&'"#;
    let nodes = [evil, "imaging", "a\u{1}b"];
    let edges = [
        edge(evil, "imaging", evil),
        edge("imaging", evil, "tcp/104 <b>bold</b>"),
        edge("a\u{1}b", evil, "]]><x/>"),
    ];
    let svg = directed_graph(r#"id"><script>"#, evil, &nodes, &edges);
    well_formed(&svg);
    let names = element_names(&svg);
    assert!(
        names
            .iter()
            .all(|n| !matches!(n.as_str(), "script" | "b" | "x")),
        "{names:?}"
    );
    assert!(!svg.contains("<script"));
    assert!(svg.contains("&lt;script&gt;"));
    assert!(!svg.contains('\u{1}'));
}

#[test]
fn an_empty_graph_is_still_a_picture() {
    let svg = directed_graph("g", "Nothing yet", &[], &[]);
    well_formed(&svg);
    assert!(svg.contains("0 nodes, 0 edges."));
}
