//! Every SBOM and VEX document of the corpora reads, by format, with the
//! counts printed (`cargo test -- --nocapture`).

use std::path::{Path, PathBuf};

use medvigil_sbom::{Format, ReadError, ReadOptions, read, read_with};

fn files(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).expect("list corpus folder") {
            let p = e.expect("directory entry").path();
            if p.is_dir() {
                stack.push(p);
            } else {
                out.push(p);
            }
        }
    }
    out.sort();
    out
}

fn name(p: &Path) -> String {
    p.to_string_lossy().into_owned()
}

#[test]
fn cyclonedx_bom_examples() {
    let Some(dir) = medvigil_testkit::corpus("sbom/cyclonedx-bom-examples") else {
        return;
    };
    let (mut n, mut strict_ok, mut with_vex, mut components, mut diags) = (0, 0, 0, 0, 0);
    for p in files(&dir) {
        let ext = p.extension().and_then(|e| e.to_str()).unwrap_or("");
        if ext != "json" && ext != "xml" {
            continue;
        }
        let bytes = std::fs::read(&p).expect("read corpus file");
        let parsed = read(&name(&p), &bytes).unwrap_or_else(|e| panic!("{e}"));
        n += 1;
        let doc = &parsed.value;
        assert!(matches!(
            doc.format,
            Format::CycloneDxJson | Format::CycloneDxXml
        ));
        components += doc.sbom.as_ref().map_or(0, |s| s.components.len());
        diags += parsed.diagnostics.len();
        for d in parsed.diagnostics.iter().take(3) {
            eprintln!("  {}: {d}", name(&p));
        }
        if read_with(&name(&p), &bytes, ReadOptions::strict()).is_ok() {
            strict_ok += 1;
        }
        let path = name(&p);
        let file_name = p.file_name().unwrap().to_string_lossy();
        if path.contains("/VEX/") && file_name.starts_with("vex") {
            let vex = doc
                .vex
                .as_ref()
                .unwrap_or_else(|| panic!("{path}: no VEX statements"));
            assert!(!vex.statements.is_empty(), "{path}");
            with_vex += 1;
        }
    }
    eprintln!(
        "bom-examples: {n} read ({strict_ok} strict-clean), {with_vex} VEX/VDR, {components} components, {diags} diagnostics"
    );
    assert!(n >= 60, "only {n} files");
}

#[test]
fn spdx_examples() {
    let Some(root) = medvigil_testkit::corpus("sbom") else {
        return;
    };
    let (mut json, mut tv, mut skipped, mut components) = (0, 0, 0, 0);
    for sub in ["spdx-spec-2.3", "spdx-spec-2.2", "spdx-examples"] {
        for p in files(&root.join(sub)) {
            let path = name(&p);
            let ext = p.extension().and_then(|e| e.to_str()).unwrap_or("");
            let bytes = std::fs::read(&p).expect("read corpus file");
            if path.contains("spdx3") || path.contains("/spdx3.0/") {
                // SPDX 3.0 is out of scope: recognised and refused.
                if ext == "json" {
                    assert!(
                        matches!(read(&path, &bytes), Err(ReadError::UnknownFormat { .. })),
                        "{path}"
                    );
                }
                skipped += 1;
                continue;
            }
            match ext {
                "json" if path.ends_with("spdx-schema.json") => continue,
                "json" | "spdx" => {}
                _ => {
                    skipped += 1; // XML, YAML, RDF, README
                    continue;
                }
            }
            let parsed = read(&path, &bytes).unwrap_or_else(|e| panic!("{e}"));
            for d in &parsed.diagnostics {
                eprintln!("  {path}: {d}");
            }
            let sbom = parsed.value.sbom.expect("sbom");
            assert!(!sbom.components.is_empty(), "{path}: no components");
            components += sbom.components.len();
            match parsed.value.format {
                Format::SpdxJson => json += 1,
                Format::SpdxTagValue => tv += 1,
                f => panic!("{path}: {f}"),
            }
        }
    }
    eprintln!(
        "SPDX 2.x: {json} JSON, {tv} tag-value, {components} components; {skipped} other files skipped"
    );
    assert!(json >= 19 && tv >= 14, "json {json} tv {tv}");
}

#[test]
fn openvex_vexctl() {
    let Some(dir) = medvigil_testkit::corpus("sbom/openvex-vexctl") else {
        return;
    };
    let (mut n, mut statements, mut other) = (0, 0, 0);
    for p in files(&dir) {
        let path = name(&p);
        let bytes = std::fs::read(&p).expect("read corpus file");
        let text = String::from_utf8_lossy(&bytes);
        if text.contains("openvex.dev/ns") && !text.contains("\"runs\"") {
            let parsed = read(&path, &bytes).unwrap_or_else(|e| panic!("{e}"));
            assert_eq!(parsed.value.format, Format::OpenVex, "{path}");
            assert!(
                parsed.diagnostics.is_empty(),
                "{path}: {:?}",
                parsed.diagnostics
            );
            let vex = parsed.value.vex.expect("vex");
            statements += vex.statements.len();
            n += 1;
        } else {
            // SARIF reports, a CSAF VEX and an SPDX SBOM sit beside them.
            match read(&path, &bytes) {
                Ok(p) => assert!(
                    matches!(p.value.format, Format::CsafVex | Format::SpdxJson),
                    "{path}"
                ),
                Err(e) => assert!(matches!(e, ReadError::UnknownFormat { .. }), "{path}: {e}"),
            }
            other += 1;
        }
    }
    eprintln!("OpenVEX: {n} documents, {statements} statements; {other} other files classified");
    assert!(n >= 15);
}

#[test]
fn csaf_vex_examples() {
    let Some(dir) = medvigil_testkit::corpus("csaf/oasis-csaf-2.0-examples/csaf/csaf_vex") else {
        return;
    };
    let (mut n, mut statements) = (0, 0);
    for p in files(&dir) {
        let path = name(&p);
        if !path.ends_with(".json") {
            continue;
        }
        let bytes = std::fs::read(&p).expect("read corpus file");
        let parsed = read(&path, &bytes).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(parsed.value.format, Format::CsafVex);
        for d in &parsed.diagnostics {
            eprintln!("  {path}: {d}");
        }
        let vex = parsed.value.vex.expect("vex");
        assert!(!vex.statements.is_empty(), "{path}");
        statements += vex.statements.len();
        n += 1;
    }
    eprintln!("CSAF VEX: {n} documents, {statements} statements");
    assert!(n >= 13);
}

/// The CISA use cases 7 and 8 keep the VEX apart from the BOMs and link
/// them with BOM-Links; every linked product resolves against its BOM.
#[test]
fn cyclonedx_vex_bom_links_resolve() {
    let Some(dir) = medvigil_testkit::corpus("sbom/cyclonedx-bom-examples/VEX/CISA-Use-Cases")
    else {
        return;
    };
    let load = |p: PathBuf| {
        let bytes = std::fs::read(&p).expect("read corpus file");
        read(&name(&p), &bytes)
            .unwrap_or_else(|e| panic!("{e}"))
            .value
    };
    for case in ["Case-7", "Case-8"] {
        let mut vex = load(dir.join(case).join("vex.json")).vex.expect("vex");
        let links = vex
            .statements
            .iter()
            .flat_map(|s| &s.products)
            .filter(|p| {
                p.bom_ref
                    .as_deref()
                    .is_some_and(|r| r.starts_with("urn:cdx:"))
            })
            .count();
        let mut resolved = 0;
        for bom in ["bom-1.json", "bom-2.json"] {
            let sbom = load(dir.join(case).join(bom)).sbom.expect("sbom");
            resolved += vex.resolve_bom_links(&sbom);
        }
        assert!(links > 0);
        assert_eq!(resolved, links, "{case}");
        assert!(
            vex.statements
                .iter()
                .flat_map(|s| &s.products)
                .all(|p| p.name.is_some())
        );
    }
}
