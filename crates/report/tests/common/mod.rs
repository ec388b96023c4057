//! Helpers shared by the test files: parsing the report as XML, finding the
//! SVG blocks, a hostile input.
#![allow(dead_code)]

use std::collections::BTreeMap;

use medvigil_report::ReportInput;
use medvigil_report::sample::sample_group;
use medvigil_risk::Priority;
use quick_xml::events::Event;
use quick_xml::reader::Reader;

/// Every element the report may contain; anything else is injected markup.
pub const ALLOWED: &[&str] = &[
    "html", "head", "meta", "title", "style", "body", "header", "h1", "h2", "h3", "p", "time",
    "main", "section", "ul", "li", "span", "div", "table", "thead", "tbody", "tr", "th", "td",
    "br", "figure", "details", "summary", "footer", "svg", "desc", "g", "rect", "circle", "text",
    "tspan",
];

/// What a parse found.
#[derive(Debug, Default)]
pub struct Parsed {
    /// Element name → how many.
    pub elements: BTreeMap<String, usize>,
    /// `<title>` texts, in order.
    pub titles: Vec<String>,
}

/// Parses `xml` as well-formed XML (a DOCTYPE allowed): tags balanced,
/// attribute values and references valid, one root.
pub fn parse(xml: &str) -> Result<Parsed, String> {
    let mut reader = Reader::from_str(xml);
    let mut stack: Vec<String> = Vec::new();
    let mut roots = 0;
    let mut out = Parsed::default();
    let mut in_title = false;
    loop {
        let pos = reader.buffer_position();
        let event = reader
            .read_event()
            .map_err(|e| format!("at byte {pos}: {e}"))?;
        match event {
            Event::Start(e) => {
                let name = element(&e)?;
                if stack.is_empty() {
                    roots += 1;
                }
                in_title = name == "title";
                if in_title {
                    out.titles.push(String::new());
                }
                *out.elements.entry(name.clone()).or_default() += 1;
                stack.push(name);
            }
            Event::Empty(e) => {
                let name = element(&e)?;
                if stack.is_empty() {
                    roots += 1;
                }
                *out.elements.entry(name).or_default() += 1;
            }
            Event::End(e) => {
                let name = String::from_utf8_lossy(e.name().as_ref()).into_owned();
                match stack.pop() {
                    Some(open) if open == name => {}
                    other => return Err(format!("</{name}> closes {other:?}")),
                }
                in_title = false;
            }
            Event::Text(t) => {
                let text = t.decode().map_err(|e| e.to_string())?;
                if stack.is_empty() && !text.trim().is_empty() {
                    return Err(format!("text outside the root: {text:?}"));
                }
                if in_title && let Some(last) = out.titles.last_mut() {
                    last.push_str(&text);
                }
            }
            Event::GeneralRef(r) => {
                let name = r.decode().map_err(|e| e.to_string())?;
                let c = match name.as_ref() {
                    "amp" => '&',
                    "lt" => '<',
                    "gt" => '>',
                    "quot" => '"',
                    "apos" => '\'',
                    _ => r
                        .resolve_char_ref()
                        .map_err(|e| e.to_string())?
                        .ok_or_else(|| format!("unknown entity &{name};"))?,
                };
                if in_title && let Some(last) = out.titles.last_mut() {
                    last.push(c);
                }
            }
            Event::DocType(_) | Event::Comment(_) | Event::Decl(_) => {}
            Event::CData(_) | Event::PI(_) => return Err("CDATA or PI in the report".into()),
            Event::Eof => break,
        }
    }
    if !stack.is_empty() {
        return Err(format!("unclosed elements {stack:?}"));
    }
    if roots != 1 {
        return Err(format!("{roots} root elements"));
    }
    Ok(out)
}

fn element(e: &quick_xml::events::BytesStart<'_>) -> Result<String, String> {
    let name = String::from_utf8_lossy(e.name().as_ref()).into_owned();
    for a in e.attributes() {
        let a = a.map_err(|err| format!("<{name}>: {err}"))?;
        a.unescape_value()
            .map_err(|err| format!("<{name}> attribute value: {err}"))?;
    }
    Ok(name)
}

/// The `<svg>…</svg>` blocks of a page.
pub fn svg_blocks(html: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let mut rest = html;
    while let Some(start) = rest.find("<svg") {
        let Some(len) = rest[start..].find("</svg>") else {
            break;
        };
        let end = start + len + "</svg>".len();
        out.push(&rest[start..end]);
        rest = &rest[end..];
    }
    out
}

/// The value of a summary tile.
pub fn tile(html: &str, key: &str) -> usize {
    let marker = format!(r#"data-tile="{key}"><span class="value">"#);
    let start = html.find(&marker).expect("tile present") + marker.len();
    let digits: String = html[start..]
        .chars()
        .take_while(char::is_ascii_digit)
        .collect();
    digits.parse().expect("tile value")
}

pub const HOSTILE_NAME: &str = r#"<script>alert("pwn")</script> & 'Pump'"#;

/// The sample group with markup, quotes and entities in every kind of free
/// text, on a device that ranks first.
pub fn hostile() -> ReportInput {
    let mut input = sample_group(11, 50);
    input.title = r#"Nord <title>"risk"</title> & report"#.to_owned();
    let d = &mut input.devices[0];
    d.name = HOSTILE_NAME.to_owned();
    d.asset_tag = Some("<b>MED-1</b>".to_owned());
    d.site = Some(r#"Site <i>"A"</i>"#.to_owned());
    d.department = Some("ICU' onmouseover='alert(1)".to_owned());
    d.priority = Some(Priority::P1);
    d.counts = [99, 0, 0, 0];
    d.reason = Some("</td></tr></table><img src=x onerror=alert(1)>".to_owned());
    d.top_vulnerability = Some("CVE-2026-0001<!--".to_owned());
    let r = &mut input.remediations[0];
    r.device = "<svg onload=alert(1)>".to_owned();
    r.action = "]]><![CDATA[ &lt; &#60;".to_owned();
    r.overdue = true;
    input
}
