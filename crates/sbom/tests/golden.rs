//! One representative document per format, rendered with
//! `medvigil_sbom::render::render` and compared with its golden file
//! (`UPDATE_GOLDEN=1` rewrites them; review the diff).

use std::path::Path;

/// (corpus path, golden file name)
const CASES: &[(&str, &str)] = &[
    (
        "sbom/cyclonedx-spec-tests/1.6/valid-dependency-1.6.json",
        "cdx-1.6-dependency.json.txt",
    ),
    (
        "sbom/cyclonedx-spec-tests/1.6/valid-dependency-1.6.xml",
        "cdx-1.6-dependency.xml.txt",
    ),
    (
        "sbom/cyclonedx-spec-tests/1.5/valid-metadata-tool-1.5.xml",
        "cdx-1.5-metadata-tool.xml.txt",
    ),
    (
        "sbom/cyclonedx-spec-tests/1.4/valid-component-hashes-1.4.json",
        "cdx-1.4-component-hashes.json.txt",
    ),
    (
        "sbom/cyclonedx-spec-tests/1.5/valid-vulnerability-1.5.xml",
        "cdx-1.5-vulnerability.xml.txt",
    ),
    (
        "sbom/cyclonedx-bom-examples/VEX/Use-Cases/Case-10/vex.json",
        "cdx-vex-case-10.txt",
    ),
    (
        "sbom/cyclonedx-bom-examples/VEX/CISA-Use-Cases/Case-1/vex-not_affected.json",
        "cdx-vex-cisa-1-not-affected.txt",
    ),
    (
        "sbom/spdx-spec-2.3/SPDXJSONExample-v2.3.spdx.json",
        "spdx-2.3.json.txt",
    ),
    (
        "sbom/spdx-spec-2.3/SPDXTagExample-v2.3.spdx",
        "spdx-2.3.tag.txt",
    ),
    (
        "sbom/openvex-vexctl/pkg/ctl/testdata/v020-1.vex.json",
        "openvex-0.2.0.txt",
    ),
    (
        "sbom/openvex-vexctl/pkg/ctl/testdata/v001-1.vex.json",
        "openvex-0.0.1.txt",
    ),
    (
        "csaf/oasis-csaf-2.0-examples/csaf/csaf_vex/2022-evd-uc-01-na-001.json",
        "csaf-vex-uc-01-na.txt",
    ),
    (
        "csaf/oasis-csaf-2.0-examples/csaf/csaf_vex/2022-evd-uc-05-001.json",
        "csaf-vex-uc-05.txt",
    ),
    (
        "csaf/oasis-csaf-2.0-examples/csaf/csaf_vex/sec-vex-2022-0001.json",
        "csaf-vex-sec-2022-0001.txt",
    ),
    (
        "sbom/openvex-vexctl/examples/csaf/csaf.json",
        "csaf-vex-vexctl-example.txt",
    ),
    (
        "sbom/openvex-vexctl/examples/openvex/demo.vex.json",
        "openvex-demo.txt",
    ),
    (
        "sbom/cyclonedx-bom-examples/VEX/CISA-Use-Cases/Case-4/vex.json",
        "cdx-vex-cisa-4.txt",
    ),
    (
        "sbom/spdx-examples/software/example6/spdx2.2/example6-bin.spdx",
        "spdx-2.2-example6-bin.tag.txt",
    ),
];

#[test]
fn golden_renderings() {
    for (rel, golden) in CASES {
        let Some(path) = medvigil_testkit::corpus(rel) else {
            return;
        };
        let bytes = std::fs::read(&path).expect("read corpus file");
        let parsed = medvigil_sbom::read(rel, &bytes).unwrap_or_else(|e| panic!("{e}"));
        let mut out = medvigil_sbom::render::render(&parsed.value);
        for d in &parsed.diagnostics {
            out.push_str(&format!("diagnostic {d}\n"));
        }
        let g = Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("tests/golden")
            .join(golden);
        medvigil_testkit::assert_golden(&g, &out);
    }
}
