//! The policy as a zone matrix for review in a spreadsheet.

use std::fmt::Write as _;

use crate::Policy;

/// The zone matrix as CSV (RFC 4180): a row per source (client) zone, a
/// column per destination (server) zone, each cell the allowed services
/// separated by spaces (`tcp/104 tcp/11112`), `any` inside a zone when
/// intra-zone traffic is allowed (never inside `unassigned` or `external`),
/// empty when nothing is. Device-specific
/// rules of restricted devices are not in the matrix.
pub fn to_zone_matrix_csv(policy: &Policy) -> String {
    let zones: Vec<&crate::ZoneName> = policy.zones.iter().map(|z| &z.name).collect();
    let mut out = String::from("from\\to");
    for z in &zones {
        let _ = write!(out, ",{z}");
    }
    out.push_str("\r\n");
    for from in &zones {
        out.push_str(from.as_str());
        for to in &zones {
            let mut cell: Vec<String> = Vec::new();
            if from == to && policy.allow_intra_zone && !from.is_builtin() {
                cell.push("any".to_owned());
            }
            cell.extend(
                policy
                    .conduits
                    .iter()
                    .filter(|c| &&c.from == from && &&c.to == to)
                    .map(|c| c.service.to_string()),
            );
            // Zone names and services hold no commas or quotes.
            let _ = write!(out, ",{}", cell.join(" "));
        }
        out.push_str("\r\n");
    }
    out
}
