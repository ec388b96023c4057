//! 6.2.19 CVSS for Fixed Products.

use super::tables::{V2_PROPS, V3_PROPS};
use super::{components, num};
use crate::model::JsonObject;
use crate::validate::Ctx;
use serde_json::Value;
use std::str::FromStr;

/// 6.2.19 CVSS for Fixed Products: a score naming a fixed product must carry
/// an environmental score of 0.
pub(super) fn fixed_products_scored(ctx: &mut Ctx<'_>, i: usize, v: &crate::model::Vulnerability) {
    let Some(ps) = &v.product_status else { return };
    let fixed: Vec<&String> = ps
        .fixed
        .iter()
        .chain(ps.first_fixed.iter())
        .flatten()
        .collect();
    if fixed.is_empty() {
        return;
    }
    for (j, s) in v.scores.iter().flatten().enumerate() {
        if !s.products.iter().any(|p| fixed.contains(&p)) {
            continue;
        }
        for (key, obj) in [("cvss_v3", &s.cvss_v3), ("cvss_v2", &s.cvss_v2)] {
            let Some(obj) = obj else { continue };
            let zero = num(obj, "environmentalScore") == Some(0.0)
                || merged_environmental(obj, key == "cvss_v3") == Some(0.0);
            if !zero {
                ctx.warning(
                    "6.2.19",
                    format!("/vulnerabilities/{i}/scores/{j}/{key}"),
                    "a fixed product is scored without an environmental score of 0",
                );
            }
        }
    }
}

/// The environmental score of the vector with the object's metric
/// properties filled in where the vector leaves them out (6.2.19 counts
/// either way of stating the environment).
fn merged_environmental(obj: &JsonObject, v3: bool) -> Option<f64> {
    let vector = obj.get("vectorString")?.as_str()?;
    let (prefix, metrics) = if v3 {
        let rest = vector.strip_prefix("CVSS:")?;
        let (ver, m) = rest.split_once('/')?;
        (Some(ver), m)
    } else {
        (None, vector)
    };
    let props = if v3 { V3_PROPS } else { V2_PROPS };
    let mut comps: Vec<(&str, &str)> = components(metrics)?;
    for (prop, metric, values) in props {
        if comps.iter().any(|(k, _)| k == metric) {
            continue;
        }
        let given = obj.get(*prop).and_then(Value::as_str);
        if let Some((_, v)) = values.iter().find(|(j, _)| Some(*j) == given) {
            comps.push((metric, v));
        }
    }
    let body: Vec<String> = comps.iter().map(|(k, v)| format!("{k}:{v}")).collect();
    let body = body.join("/");
    match prefix {
        Some(ver) => Some(
            cvss::v3::Vector::from_str(&format!("CVSS:{ver}/{body}"))
                .ok()?
                .environmental_score()
                .value(),
        ),
        None => Some(
            cvss::v2::Vector::from_str(&body)
                .ok()?
                .environmental_score()
                .value(),
        ),
    }
}
