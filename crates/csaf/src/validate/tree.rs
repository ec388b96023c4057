//! Product tree tests: 6.1.13, 6.1.25, 6.1.31, 6.2.8, 6.2.9, 6.2.16,
//! 6.2.18, 6.3.5, 6.3.9, 6.3.10, 6.3.11 (spec 3.1.2 `branches_t`, 3.1.3
//! `full_product_name_t`).

use super::Ctx;
use crate::model::{Branch, BranchCategory, FullProductName};
use std::str::FromStr;

pub(crate) fn run(ctx: &mut Ctx<'_>) {
    let Some(tree) = &ctx.doc.product_tree else {
        return;
    };
    let mut path = Vec::new();
    for (i, b) in tree.branches.iter().flatten().enumerate() {
        branch(ctx, b, format!("/product_tree/branches/{i}"), &mut path);
    }
    for (i, f) in tree.full_product_names.iter().flatten().enumerate() {
        product(ctx, f, &format!("/product_tree/full_product_names/{i}"));
    }
    for (i, r) in tree.relationships.iter().flatten().enumerate() {
        product(
            ctx,
            &r.full_product_name,
            &format!("/product_tree/relationships/{i}/full_product_name"),
        );
    }
}

/// Strings that betray a version range (spec 6.1.31 note).
/// The symbols are matched anywhere, the words as whole words ("after-eight"
/// is a version name, not a range: OASIS case 6-1-31-12).
const RANGE_WORDS: &[&str] = &[
    "after", "all", "before", "earlier", "later", "prior", "versions",
];

fn branch<'a>(ctx: &mut Ctx<'_>, b: &'a Branch, at: String, path: &mut Vec<&'a BranchCategory>) {
    let name = &b.name;
    match b.category {
        BranchCategory::ProductVersion => {
            let lower = name.to_lowercase();
            if lower.contains(['<', '>'])
                || lower.split_whitespace().any(|w| RANGE_WORDS.contains(&w))
            {
                ctx.error(
                    "6.1.31",
                    format!("{at}/name"),
                    format!("product_version {name:?} looks like a version range"),
                );
            }
            let bytes = name.as_bytes();
            if bytes.len() >= 2 && matches!(bytes[0], b'v' | b'V') && bytes[1].is_ascii_digit() {
                ctx.info(
                    "6.3.11",
                    format!("{at}/name"),
                    format!("product_version {name:?} starts with a v"),
                );
            }
        }
        BranchCategory::ProductVersionRange => {
            if !is_vers(name) {
                ctx.warning(
                    "6.2.18",
                    format!("{at}/name"),
                    format!("product_version_range {name:?} is not a vers string"),
                );
            }
            ctx.info(
                "6.3.10",
                format!("{at}/category"),
                "product_version_range is used",
            );
        }
        _ => {}
    }
    path.push(&b.category);
    if let Some(p) = &b.product {
        let at_product = format!("{at}/product");
        // 6.3.9: vendor → product_name → product_version, other categories allowed between.
        let mut wanted = [
            BranchCategory::Vendor,
            BranchCategory::ProductName,
            BranchCategory::ProductVersion,
        ]
        .into_iter()
        .peekable();
        for c in path.iter() {
            if wanted.peek() == Some(*c) {
                wanted.next();
            }
        }
        if wanted.peek().is_some() {
            ctx.info(
                "6.3.9",
                &at_product,
                "branch path lacks vendor → product_name → product_version",
            );
        }
        product(ctx, p, &at_product);
    }
    for (i, child) in b.branches.iter().flatten().enumerate() {
        branch(ctx, child, format!("{at}/branches/{i}"), path);
    }
    path.pop();
}

/// `^vers:[a-z\.\-\+][a-z0-9\.\-\+]*/.+` (spec 6.2.18 note).
fn is_vers(s: &str) -> bool {
    let Some(rest) = s.strip_prefix("vers:") else {
        return false;
    };
    let Some((scheme, constraints)) = rest.split_once('/') else {
        return false;
    };
    let mut chars = scheme.bytes();
    let first_ok = chars
        .next()
        .is_some_and(|c| c.is_ascii_lowercase() || matches!(c, b'.' | b'-' | b'+'));
    first_ok
        && chars.all(|c| {
            c.is_ascii_lowercase() || c.is_ascii_digit() || matches!(c, b'.' | b'-' | b'+')
        })
        && !constraints.is_empty()
}

fn product(ctx: &mut Ctx<'_>, f: &FullProductName, at: &str) {
    let Some(helper) = &f.product_identification_helper else {
        ctx.warning(
            "6.2.16",
            at,
            format!(
                "product {:?} has no product_identification_helper",
                f.product_id
            ),
        );
        return;
    };
    let at = format!("{at}/product_identification_helper");
    if let Some(purl) = &helper.purl
        && (!purl.starts_with("pkg:") || packageurl::PackageUrl::from_str(purl).is_err())
    {
        ctx.error(
            "6.1.13",
            format!("{at}/purl"),
            format!("{purl:?} is not a valid package URL"),
        );
    }
    for (i, h) in helper.hashes.iter().flatten().enumerate() {
        let base = format!("{at}/hashes/{i}/file_hashes");
        let mut seen: Vec<String> = Vec::new();
        for (j, fh) in h.file_hashes.iter().enumerate() {
            let algorithm = fh.algorithm.to_ascii_lowercase();
            if seen.contains(&algorithm) {
                ctx.error(
                    "6.1.25",
                    format!("{base}/{j}/algorithm"),
                    format!("hash algorithm {:?} is used twice", fh.algorithm),
                );
            } else {
                seen.push(algorithm);
            }
            if fh.value.len() < 64 {
                ctx.info(
                    "6.3.5",
                    format!("{base}/{j}/value"),
                    "hash value is shorter than 64 characters",
                );
            }
        }
        if !seen.is_empty() && seen.iter().all(|a| a == "md5") {
            ctx.warning("6.2.8", &base, "md5 is the only hash algorithm");
        }
        if !seen.is_empty() && seen.iter().all(|a| a == "sha1") {
            ctx.warning("6.2.9", &base, "sha1 is the only hash algorithm");
        }
    }
}
