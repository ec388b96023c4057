//! Product id and product group id tests: 6.1.1 – 6.1.5 and 6.2.1.

use super::Ctx;
use super::ctx::Site;
use std::collections::{HashMap, HashSet};

pub(crate) fn run(ctx: &mut Ctx<'_>) {
    missing_product_definition(ctx);
    multiple_product_definition(ctx);
    circular_relationship(ctx);
    missing_group_definition(ctx);
    multiple_group_definition(ctx);
    unused_product_definition(ctx);
}

/// Reports every reference in `refs` to an id not in `defined`, with `message(id)`.
fn report_undefined(
    ctx: &mut Ctx<'_>,
    test: &'static str,
    refs: Vec<Site<'_>>,
    defined: &HashSet<&str>,
    message: impl Fn(&str) -> String,
) {
    for s in refs.into_iter().filter(|s| !defined.contains(s.id)) {
        ctx.error(test, s.pointer(), message(s.id));
    }
}

/// Reports every definition in `defs` whose id was defined before.
fn report_redefined(ctx: &mut Ctx<'_>, test: &'static str, what: &str, defs: Vec<Site<'_>>) {
    let mut seen = HashSet::new();
    for s in defs.into_iter().filter(|s| !seen.insert(s.id)) {
        ctx.error(
            test,
            s.pointer(),
            format!("{what} {:?} is defined more than once", s.id),
        );
    }
}

/// 6.1.1 Missing Definition of Product ID.
fn missing_product_definition(ctx: &mut Ctx<'_>) {
    let defined = ctx.defined_products();
    let refs = ctx.product_refs.clone();
    report_undefined(ctx, "6.1.1", refs, &defined, |id| {
        format!("product id {id:?} is not defined in the product tree")
    });
}

/// 6.1.2 Multiple Definition of Product ID.
fn multiple_product_definition(ctx: &mut Ctx<'_>) {
    let defs = ctx.product_defs.clone();
    report_redefined(ctx, "6.1.2", "product id", defs);
}

/// 6.1.3 Circular Definition of Product ID: a relationship's new product
/// must not (transitively) be built from itself.
fn circular_relationship(ctx: &mut Ctx<'_>) {
    let Some(rels) = ctx
        .doc
        .product_tree
        .as_ref()
        .and_then(|t| t.relationships.as_ref())
    else {
        return;
    };
    // product id defined by a relationship → the ids it is composed of
    let mut edges: HashMap<&str, Vec<&str>> = HashMap::new();
    for r in rels {
        edges
            .entry(r.full_product_name.product_id.as_str())
            .or_default()
            .extend([
                r.product_reference.as_str(),
                r.relates_to_product_reference.as_str(),
            ]);
    }
    let mut found = Vec::new();
    for (i, r) in rels.iter().enumerate() {
        let start = r.full_product_name.product_id.as_str();
        let mut stack: Vec<&str> = vec![
            r.product_reference.as_str(),
            r.relates_to_product_reference.as_str(),
        ];
        let mut visited = HashSet::new();
        while let Some(id) = stack.pop() {
            if id == start {
                found.push((i, start));
                break;
            }
            if visited.insert(id)
                && let Some(next) = edges.get(id)
            {
                stack.extend(next.iter().copied());
            }
        }
    }
    for (i, id) in found {
        ctx.error(
            "6.1.3",
            format!("/product_tree/relationships/{i}/full_product_name/product_id"),
            format!("product id {id:?} is defined through a circular relationship"),
        );
    }
}

/// 6.1.4 Missing Definition of Product Group ID.
fn missing_group_definition(ctx: &mut Ctx<'_>) {
    let defined: HashSet<&str> = ctx.group_defs.iter().map(|s| s.id).collect();
    let refs = ctx.group_refs.clone();
    report_undefined(ctx, "6.1.4", refs, &defined, |id| {
        format!("product group id {id:?} is not defined")
    });
}

/// 6.1.5 Multiple Definition of Product Group ID.
fn multiple_group_definition(ctx: &mut Ctx<'_>) {
    let defs = ctx.group_defs.clone();
    report_redefined(ctx, "6.1.5", "product group id", defs);
}

/// 6.2.1 Unused Definition of Product ID (skipped for informational advisories).
fn unused_product_definition(ctx: &mut Ctx<'_>) {
    if ctx.doc.document.category == "csaf_informational_advisory" {
        return;
    }
    let used: HashSet<&str> = ctx.product_refs.iter().map(|s| s.id).collect();
    let unused: Vec<_> = ctx
        .product_defs
        .iter()
        .filter(|s| !used.contains(s.id))
        .cloned()
        .collect();
    for s in unused {
        ctx.warning(
            "6.2.1",
            s.pointer(),
            format!("product id {:?} is never referenced", s.id),
        );
    }
}
