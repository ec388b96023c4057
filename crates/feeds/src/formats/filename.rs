//! The file-name rule of spec 5.1.

pub use medvigil_csaf::file_name_for_tracking_id;

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
