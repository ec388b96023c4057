//! The file-name rule of spec 5.1.

/// The file name a CSAF document with this `/document/tracking/id` must
/// have (spec 5.1): lowercase, every run of characters outside
/// `[+\-a-z0-9]` replaced by one `_`, then `.json`.
pub fn file_name_for_tracking_id(tracking_id: &str) -> String {
    let mut out = String::with_capacity(tracking_id.len() + 5);
    let mut in_run = false;
    for c in tracking_id.chars().flat_map(char::to_lowercase) {
        if c.is_ascii_lowercase() || c.is_ascii_digit() || c == '+' || c == '-' {
            out.push(c);
            in_run = false;
        } else if !in_run {
            out.push('_');
            in_run = true;
        }
    }
    out.push_str(".json");
    out
}

#[cfg(test)]
mod tests {
    use super::file_name_for_tracking_id as f;

    #[test]
    fn spec_examples() {
        for (id, name) in [
            ("ICSMA-23-047-01", "icsma-23-047-01.json"),
            ("cisco-sa-20180328-smi2", "cisco-sa-20180328-smi2.json"),
            ("RHSA-2019:1862", "rhsa-2019_1862.json"),
            ("BSI-2022-0001", "bsi-2022-0001.json"),
            ("a  b//c", "a_b_c.json"),
            ("Ä+x", "_+x.json"),
        ] {
            assert_eq!(f(id), name, "{id}");
        }
    }
}
