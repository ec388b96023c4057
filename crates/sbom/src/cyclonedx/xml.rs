//! CycloneDX XML into the JSON shape of the same BOM, so that one rule
//! checker and one model builder serve both serialisations.
//!
//! The XML schema and the JSON schema describe the same object model; the
//! differences are mechanical: attributes become properties, list wrappers
//! (`<components><component/>…`) become arrays, text content of elements
//! with attributes (`<hash alg="…">digest</hash>`) gets the JSON property
//! name (`content`), `<licenses>` holds `license`/`expression` choices and
//! `<dependencies>` nests refs. Elements from other namespaces (extensions)
//! are skipped. Every element's byte offset is kept under its path so that
//! problems found on the converted tree point back into the XML.

use std::collections::HashMap;

use quick_xml::NsReader;
use quick_xml::events::Event;
use quick_xml::name::ResolveResult;
use serde_json::{Map, Value};

/// Deepest element nesting accepted (the same bound serde_json applies).
const MAX_DEPTH: usize = 128;

/// The CycloneDX XML namespace prefix; the version follows.
pub(crate) const NS_PREFIX: &str = "http://cyclonedx.org/schema/bom/";

/// Elements whose children form a JSON array.
const LIST_WRAPPERS: &[&str] = &[
    "components",
    "hashes",
    "properties",
    "services",
    "externalReferences",
    "ancestors",
    "descendants",
    "variants",
    "commits",
    "patches",
    "resolves",
    "vulnerabilities",
    "affects",
    "versions",
    "ratings",
    "cwes",
    "advisories",
    "references",
    "authors",
    "endpoints",
    "tags",
    "occurrences",
    "frames",
    "lifecycles",
    "responses",
    "citations",
    "pointers",
    "expressions",
];

/// A parsed XML element.
#[derive(Debug, Default)]
struct Elem {
    name: String,
    attrs: Vec<(String, String)>,
    children: Vec<Elem>,
    text: String,
    offset: usize,
}

/// Why the XML could not be read.
#[derive(Debug)]
pub(crate) enum XmlFailure {
    /// Syntax error at a byte offset.
    Syntax { offset: usize, message: String },
    /// The root is not `bom` in a CycloneDX namespace.
    Namespace { offset: usize, namespace: String },
}

/// The converted BOM.
#[derive(Debug)]
pub(crate) struct Converted {
    /// The JSON-shaped tree.
    pub value: Value,
    /// Element path (JSON Pointer of the converted tree) to byte offset;
    /// empty unless asked for.
    pub positions: HashMap<String, usize>,
}

/// Reads CycloneDX XML text into its JSON shape; with `record_positions`
/// also the byte offset of every element (only needed to report problems,
/// so the reader asks for it in a second pass when there are some).
pub(crate) fn convert(text: &str, record_positions: bool) -> Result<Converted, XmlFailure> {
    let (root, ns) = parse_dom(text)?;
    let Some(version) = ns.strip_prefix(NS_PREFIX).map(str::to_owned) else {
        return Err(XmlFailure::Namespace {
            offset: root.offset,
            namespace: ns,
        });
    };
    if root.name != "bom"
        || !matches!(
            version.as_str(),
            "1.0" | "1.1" | "1.2" | "1.3" | "1.4" | "1.5" | "1.6" | "1.7"
        )
    {
        return Err(XmlFailure::Namespace {
            offset: root.offset,
            namespace: ns,
        });
    }
    let mut positions = PosMap {
        record: record_positions,
        map: HashMap::new(),
    };
    let mut value = convert_elem(&root, "", &mut positions);
    if let Value::Object(m) = &mut value {
        m.insert("bomFormat".into(), Value::String("CycloneDX".into()));
        m.insert("specVersion".into(), Value::String(version.clone()));
    }
    Ok(Converted {
        value,
        positions: positions.map,
    })
}

/// 1-based line and column of a byte offset.
pub(crate) fn line_column(text: &str, offset: usize) -> (usize, usize) {
    let upto = text.get(..offset.min(text.len())).unwrap_or(text);
    let line = upto.bytes().filter(|b| *b == b'\n').count() + 1;
    let column = upto.rfind('\n').map_or(upto.len(), |i| upto.len() - i - 1) + 1;
    (line, column)
}

fn parse_dom(text: &str) -> Result<(Elem, String), XmlFailure> {
    let mut reader = NsReader::from_str(text);
    // Stack of open elements; `None` marks a skipped (foreign) subtree.
    let mut stack: Vec<Option<Elem>> = Vec::new();
    let mut root: Option<Elem> = None;
    let mut root_ns = String::new();
    loop {
        let offset = usize::try_from(reader.buffer_position()).unwrap_or(usize::MAX);
        let (ns, ev) = match reader.read_resolved_event() {
            Ok((ns, ev)) => (ns_string(&ns), ev),
            Err(e) => {
                return Err(XmlFailure::Syntax {
                    offset: usize::try_from(reader.error_position()).unwrap_or(usize::MAX),
                    message: e.to_string(),
                });
            }
        };
        let syntax = |message: String| XmlFailure::Syntax { offset, message };
        match ev {
            Event::Start(ref e) | Event::Empty(ref e) => {
                if stack.len() >= MAX_DEPTH {
                    return Err(syntax(format!("elements nested deeper than {MAX_DEPTH}")));
                }
                if stack.is_empty() && root.is_none() {
                    root_ns = ns.clone().unwrap_or_default();
                }
                let foreign = root.is_some()
                    || stack.iter().any(Option::is_none)
                    || (!stack.is_empty() && ns.as_deref() != Some(root_ns.as_str()));
                let elem = if foreign {
                    None
                } else {
                    Some(make_elem(e, offset).map_err(syntax)?)
                };
                stack.push(elem);
                if matches!(ev, Event::Empty(_)) {
                    close(&mut stack, &mut root);
                }
            }
            Event::End(_) => close(&mut stack, &mut root),
            Event::Text(t) => {
                if let Some(Some(top)) = stack.last_mut() {
                    let s = t.xml_content().map_err(|e| syntax(e.to_string()))?;
                    top.text.push_str(&s);
                }
            }
            Event::CData(t) => {
                if let Some(Some(top)) = stack.last_mut() {
                    top.text.push_str(&String::from_utf8_lossy(&t));
                }
            }
            Event::GeneralRef(r) => {
                if let Some(Some(top)) = stack.last_mut() {
                    if let Ok(Some(c)) = r.resolve_char_ref() {
                        top.text.push(c);
                    } else {
                        let name = String::from_utf8_lossy(&r).into_owned();
                        let c = match name.as_str() {
                            "lt" => '<',
                            "gt" => '>',
                            "amp" => '&',
                            "apos" => '\'',
                            "quot" => '"',
                            _ => return Err(syntax(format!("undefined entity &{name};"))),
                        };
                        top.text.push(c);
                    }
                }
            }
            Event::Eof => break,
            _ => {}
        }
    }
    if !stack.is_empty() {
        return Err(XmlFailure::Syntax {
            offset: text.len(),
            message: "unclosed element at end of document".into(),
        });
    }
    match root {
        Some(r) => Ok((r, root_ns)),
        None => Err(XmlFailure::Syntax {
            offset: 0,
            message: "no root element".into(),
        }),
    }
}

fn ns_string(ns: &ResolveResult<'_>) -> Option<String> {
    match ns {
        ResolveResult::Bound(n) => Some(String::from_utf8_lossy(n.as_ref()).into_owned()),
        _ => None,
    }
}

fn make_elem(e: &quick_xml::events::BytesStart<'_>, offset: usize) -> Result<Elem, String> {
    let mut attrs = Vec::new();
    for a in e.attributes() {
        let a = a.map_err(|err| err.to_string())?;
        if a.key.as_namespace_binding().is_some() || a.key.prefix().is_some() {
            continue;
        }
        let k = String::from_utf8_lossy(a.key.local_name().as_ref()).into_owned();
        let v = a
            .unescape_value()
            .map_err(|err| err.to_string())?
            .into_owned();
        attrs.push((k, v));
    }
    Ok(Elem {
        name: String::from_utf8_lossy(e.local_name().as_ref()).into_owned(),
        attrs,
        offset,
        ..Elem::default()
    })
}

/// Pops the top element into its parent (or the root).
fn close(stack: &mut Vec<Option<Elem>>, root: &mut Option<Elem>) {
    let Some(top) = stack.pop() else { return };
    let Some(elem) = top else { return };
    match stack.last_mut() {
        Some(Some(parent)) => parent.children.push(elem),
        Some(None) => {}
        None => *root = Some(elem),
    }
}

/// Element paths to byte offsets, or nothing when not recording (then
/// no path strings are built at all).
struct PosMap {
    record: bool,
    map: HashMap<String, usize>,
}

impl PosMap {
    fn insert(&mut self, path: &str, offset: usize) {
        if self.record {
            self.map.insert(path.to_owned(), offset);
        }
    }

    /// The path of `key` below `path` (empty when not recording).
    fn child(&self, path: &str, key: &dyn std::fmt::Display) -> String {
        if !self.record {
            return String::new();
        }
        let key = key.to_string();
        let mut p = String::with_capacity(path.len() + key.len() + 1);
        p.push_str(path);
        p.push('/');
        p.push_str(&key.replace('~', "~0").replace('/', "~1"));
        p
    }
}

/// Converts one element below a path.
type ConvertFn = dyn Fn(&Elem, &str, &mut PosMap) -> Value;

/// The JSON property of an element whose XML name differs.
fn json_name(name: &str) -> &str {
    match name {
        // `analysis.response` is an array in JSON, `<responses>` in XML.
        "responses" => "response",
        other => other,
    }
}

/// The JSON property that holds an element's text when it also has attributes.
fn text_key(name: &str) -> &'static str {
    match name {
        "property" => "value",
        "classification" => "classification",
        "expression" => "expression",
        _ => "content",
    }
}

fn attrs_object(e: &Elem) -> Map<String, Value> {
    e.attrs
        .iter()
        .map(|(k, v)| (k.clone(), Value::String(v.clone())))
        .collect()
}

fn convert_elem(e: &Elem, path: &str, pos: &mut PosMap) -> Value {
    pos.insert(path, e.offset);
    let list = |pos: &mut PosMap, f: &ConvertFn| {
        Value::Array(
            e.children
                .iter()
                .enumerate()
                .map(|(i, c)| {
                    let cp = pos.child(path, &i);
                    f(c, &cp, pos)
                })
                .collect(),
        )
    };
    match e.name.as_str() {
        "licenses" => {
            list(pos, &|c, p, pos| {
                pos.insert(p, c.offset);
                let mut m = Map::new();
                if c.name == "expression-detailed" {
                    // 1.7: the expression is an attribute here.
                    return convert_elem(c, p, pos);
                }
                if c.name == "expression" {
                    let mut o = attrs_object(c);
                    o.insert("expression".into(), Value::String(c.text.trim().to_owned()));
                    return Value::Object(o);
                }
                m.insert(c.name.clone(), {
                    let cp = pos.child(p, &c.name);
                    convert_elem(c, &cp, pos)
                });
                Value::Object(m)
            })
        }
        "dependencies" => list(pos, &|c, p, pos| {
            pos.insert(p, c.offset);
            let mut o = attrs_object(c);
            if !c.children.is_empty() {
                let deps = c
                    .children
                    .iter()
                    .filter(|d| d.name == "dependency")
                    .map(|d| {
                        d.attrs
                            .iter()
                            .find(|(k, _)| k == "ref")
                            .map_or(Value::Null, |(_, v)| Value::String(v.clone()))
                    })
                    .collect();
                o.insert("dependsOn".into(), Value::Array(deps));
            }
            Value::Object(o)
        }),
        "tools" if e.children.iter().all(|c| c.name == "tool") => list(pos, &convert_elem),
        "data"
            if e.children
                .iter()
                .any(|c| c.name == "classification" || c.name == "dataflow") =>
        {
            list(pos, &convert_elem)
        }
        name if LIST_WRAPPERS.contains(&name) => list(pos, &convert_elem),
        _ if e.children.is_empty() && e.attrs.is_empty() => Value::String(e.text.trim().to_owned()),
        _ => {
            let mut o = attrs_object(e);
            if e.children.is_empty() {
                let t = e.text.trim();
                if !t.is_empty() {
                    o.insert(text_key(&e.name).into(), Value::String(t.to_owned()));
                }
                return Value::Object(o);
            }
            for c in &e.children {
                let key = json_name(&c.name).to_owned();
                let repeated = e.children.iter().filter(|x| x.name == key).count() > 1;
                if repeated {
                    let n = o.get(&key).and_then(Value::as_array).map_or(0, Vec::len);
                    let v = {
                        let kp = pos.child(path, &key);
                        let cp = pos.child(&kp, &n);
                        convert_elem(c, &cp, pos)
                    };
                    match o.entry(key).or_insert_with(|| Value::Array(Vec::new())) {
                        Value::Array(a) => a.push(v),
                        other => *other = Value::Array(vec![v]),
                    }
                } else {
                    let cp = pos.child(path, &key);
                    let v = convert_elem(c, &cp, pos);
                    o.insert(key, v);
                }
            }
            Value::Object(o)
        }
    }
}
