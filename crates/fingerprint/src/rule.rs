//! Rule files: TOML read once into compiled [`Rule`]s.

use toml::{Table, Value};

use crate::category::Category;
use crate::error::RuleError;
use crate::field::Field;
use crate::pattern::{Captures, Pattern};

/// Pattern kinds, as string prefixes (`"prefix:GE_"`) or table keys.
const KINDS: &[&str] = &["exact", "prefix", "suffix", "contains", "regex"];
/// Longest pattern text accepted (regexes beyond this are a mistake).
const MAX_PATTERN_LEN: usize = 4096;

/// One compiled rule.
#[derive(Debug, Clone)]
pub(crate) struct Rule {
    pub(crate) id: String,
    /// Conditions in [`Field`] order; the first is the anchor whose
    /// captures `$0..$9` refer to.
    pub(crate) conditions: Vec<Condition>,
    pub(crate) then: Then,
    pub(crate) confidence: u8,
    pub(crate) note: Option<String>,
}

/// `when.<field>`: any of the patterns matches a value of the field.
#[derive(Debug, Clone)]
pub(crate) struct Condition {
    pub(crate) field: Field,
    pub(crate) any: Vec<Pattern>,
}

impl Condition {
    pub(crate) fn matches(&self, value: &str) -> Option<Captures> {
        self.any.iter().find_map(|p| p.matches(value))
    }
}

/// What a rule concludes.
#[derive(Debug, Clone, Default)]
pub(crate) struct Then {
    pub(crate) vendor: Option<Template>,
    pub(crate) product: Option<Template>,
    pub(crate) software: Option<Template>,
    pub(crate) modality: Option<Template>,
    pub(crate) os: Option<Template>,
    pub(crate) category: Option<Category>,
}

/// A `then` string with `$N` references to the anchor's captures.
#[derive(Debug, Clone)]
pub(crate) struct Template(Vec<Part>);

#[derive(Debug, Clone)]
enum Part {
    Lit(String),
    Group(usize),
}

impl Template {
    fn parse(s: &str) -> Result<(Self, usize), &'static str> {
        let mut parts = Vec::new();
        let mut lit = String::new();
        let mut max = 0;
        let mut chars = s.chars();
        while let Some(c) = chars.next() {
            if c != '$' {
                lit.push(c);
                continue;
            }
            match chars.next() {
                Some('$') => lit.push('$'),
                Some(d @ '0'..='9') => {
                    if !lit.is_empty() {
                        parts.push(Part::Lit(std::mem::take(&mut lit)));
                    }
                    let n = d as usize - '0' as usize;
                    max = max.max(n);
                    parts.push(Part::Group(n));
                }
                _ => return Err("`$` must be followed by a digit or `$`"),
            }
        }
        if !lit.is_empty() {
            parts.push(Part::Lit(lit));
        }
        Ok((Self(parts), max))
    }

    /// The text with captures substituted; `None` when it comes out empty.
    pub(crate) fn render(&self, c: &Captures) -> Option<String> {
        let mut out = String::new();
        for p in &self.0 {
            match p {
                Part::Lit(s) => out.push_str(s),
                Part::Group(n) => {
                    if let Some(Some(g)) = c.groups.get(*n) {
                        out.push_str(g);
                    }
                }
            }
        }
        let t = out.trim();
        (!t.is_empty()).then(|| t.to_owned())
    }
}

/// Reads a rule file.
pub(crate) fn parse(text: &str) -> Result<Vec<Rule>, RuleError> {
    let doc: Table = text.parse().map_err(|e: toml::de::Error| RuleError::Toml {
        message: e.to_string(),
    })?;
    let mut rules: Vec<Rule> = Vec::new();
    for (key, value) in doc {
        if key != "rule" {
            return Err(RuleError::UnknownTopLevelKey { key });
        }
        let Value::Array(items) = value else {
            return Err(RuleError::NotATable { index: 0 });
        };
        for (index, item) in items.into_iter().enumerate() {
            let Value::Table(t) = item else {
                return Err(RuleError::NotATable { index });
            };
            let rule = parse_rule(index, t)?;
            if rules.iter().any(|r| r.id == rule.id) {
                return Err(RuleError::DuplicateId { rule: rule.id });
            }
            rules.push(rule);
        }
    }
    Ok(rules)
}

fn wrong(rule: &str, key: &str, v: &Value, expected: &'static str) -> RuleError {
    RuleError::WrongType {
        rule: rule.to_owned(),
        key: key.to_owned(),
        value: v.to_string(),
        expected,
    }
}

fn parse_rule(index: usize, mut t: Table) -> Result<Rule, RuleError> {
    let id = match t.remove("id") {
        Some(Value::String(s)) if !s.trim().is_empty() => s,
        _ => return Err(RuleError::MissingId { index }),
    };
    let missing = |key| RuleError::MissingKey {
        rule: id.clone(),
        key,
    };
    let confidence = match t.remove("confidence") {
        None => return Err(missing("confidence")),
        Some(Value::Integer(c)) => u8::try_from(c).ok().filter(|c| *c <= 100).ok_or_else(|| {
            RuleError::ConfidenceOutOfRange {
                rule: id.clone(),
                value: c,
            }
        })?,
        Some(v) => return Err(wrong(&id, "confidence", &v, "an integer 0-100")),
    };
    let note = match t.remove("note") {
        None => None,
        Some(Value::String(s)) => Some(s),
        Some(v) => return Err(wrong(&id, "note", &v, "a string")),
    };
    let when = match t.remove("when") {
        None => return Err(missing("when")),
        Some(Value::Table(w)) => w,
        Some(v) => return Err(wrong(&id, "when", &v, "a table of conditions")),
    };
    let then_t = match t.remove("then") {
        None => return Err(missing("then")),
        Some(Value::Table(w)) => w,
        Some(v) => return Err(wrong(&id, "then", &v, "a table")),
    };
    if let Some(key) = t.keys().next() {
        return Err(RuleError::UnknownKey {
            rule: id,
            key: key.clone(),
        });
    }
    let mut conditions = Vec::new();
    for (name, v) in when {
        let key = format!("when.{name}");
        let Some(field) = Field::from_name(&name) else {
            return Err(RuleError::UnknownKey { rule: id, key });
        };
        let any = parse_patterns(&id, &key, &v)?;
        conditions.push(Condition { field, any });
    }
    if conditions.is_empty() {
        return Err(missing("when.<field>"));
    }
    conditions.sort_by_key(|c| c.field);
    let anchor_groups = conditions[0]
        .any
        .iter()
        .map(Pattern::groups)
        .min()
        .unwrap_or(0);
    let then = parse_then(&id, then_t, anchor_groups)?;
    Ok(Rule {
        id,
        conditions,
        then,
        confidence,
        note,
    })
}

fn parse_patterns(rule: &str, key: &str, v: &Value) -> Result<Vec<Pattern>, RuleError> {
    match v {
        Value::Array(a) if !a.is_empty() => a.iter().map(|v| parse_pattern(rule, key, v)).collect(),
        Value::Array(_) => Err(wrong(rule, key, v, "a non-empty array of patterns")),
        _ => Ok(vec![parse_pattern(rule, key, v)?]),
    }
}

fn parse_pattern(rule: &str, key: &str, v: &Value) -> Result<Pattern, RuleError> {
    const EXPECTED: &str = "a pattern string or a table {<kind> = \"…\", ignore_case = bool}";
    let (kind, text, ignore_case) = match v {
        Value::String(s) => match s.split_once(':') {
            Some((k, rest)) if KINDS.contains(&k) => (k, rest, false),
            _ => ("exact", s.as_str(), false),
        },
        Value::Table(t) => {
            let mut kind = None;
            let mut ignore_case = false;
            for (k, v) in t {
                match (k.as_str(), v) {
                    ("ignore_case", Value::Boolean(b)) => ignore_case = *b,
                    (k, Value::String(s)) if KINDS.contains(&k) && kind.is_none() => {
                        kind = Some((k, s.as_str()));
                    }
                    _ => {
                        return Err(RuleError::UnknownKey {
                            rule: rule.to_owned(),
                            key: format!("{key}.{k}"),
                        });
                    }
                }
            }
            let Some((k, s)) = kind else {
                return Err(wrong(rule, key, v, EXPECTED));
            };
            (k, s, ignore_case)
        }
        _ => return Err(wrong(rule, key, v, EXPECTED)),
    };
    let invalid = |reason| RuleError::InvalidValue {
        rule: rule.to_owned(),
        key: key.to_owned(),
        value: text.to_owned(),
        reason,
    };
    if text.is_empty() {
        return Err(invalid("empty pattern"));
    }
    if text.len() > MAX_PATTERN_LEN {
        return Err(invalid("pattern longer than 4096 bytes"));
    }
    match Pattern::new(kind, text, ignore_case) {
        Ok(Some(p)) => Ok(p),
        Ok(None) => Err(invalid("unknown pattern kind")),
        Err(message) => Err(RuleError::BadRegex {
            rule: rule.to_owned(),
            key: key.to_owned(),
            value: text.to_owned(),
            message,
        }),
    }
}

fn parse_then(rule: &str, t: Table, groups: usize) -> Result<Then, RuleError> {
    let mut then = Then::default();
    for (name, v) in t {
        let key = format!("then.{name}");
        let Value::String(s) = &v else {
            return Err(wrong(rule, &key, &v, "a string"));
        };
        let invalid = |reason| RuleError::InvalidValue {
            rule: rule.to_owned(),
            key: key.clone(),
            value: s.clone(),
            reason,
        };
        if name == "category" {
            then.category =
                Some(Category::from_name(s).ok_or_else(|| invalid("unknown category"))?);
            continue;
        }
        let slot = match name.as_str() {
            "vendor" => &mut then.vendor,
            "product" => &mut then.product,
            "software" => &mut then.software,
            "modality" => &mut then.modality,
            "os" => &mut then.os,
            _ => {
                return Err(RuleError::UnknownKey {
                    rule: rule.to_owned(),
                    key,
                });
            }
        };
        let (tpl, max) = Template::parse(s).map_err(invalid)?;
        if max > groups {
            return Err(invalid(
                "refers to a capture group the first condition's regex does not have",
            ));
        }
        if s.trim().is_empty() {
            return Err(invalid("empty value"));
        }
        *slot = Some(tpl);
    }
    let t = &then;
    if t.vendor.is_none()
        && t.product.is_none()
        && t.software.is_none()
        && t.modality.is_none()
        && t.os.is_none()
        && t.category.is_none()
    {
        return Err(RuleError::MissingKey {
            rule: rule.to_owned(),
            key: "then.<attribute>",
        });
    }
    Ok(then)
}
