//! Properties: the same components written as CycloneDX JSON and as
//! CycloneDX XML read into the same model; arbitrary bytes never panic.

use proptest::prelude::*;

#[derive(Debug, Clone)]
struct Comp {
    name: String,
    version: String,
    sha256: String,
}

fn comp() -> impl Strategy<Value = Comp> {
    (
        "[a-zA-Z0-9 ._<>&\"'-]{1,20}",
        "[0-9]{1,3}\\.[0-9]{1,3}",
        "[0-9a-f]{64}",
    )
        .prop_map(|(name, version, sha256)| Comp {
            name,
            version,
            sha256,
        })
}

fn xml_escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
        .replace('\'', "&apos;")
}

fn as_json(comps: &[Comp]) -> String {
    let components: Vec<serde_json::Value> = comps
        .iter()
        .enumerate()
        .map(|(i, c)| {
            serde_json::json!({
                "type": "library",
                "bom-ref": format!("c{i}"),
                "name": c.name,
                "version": c.version,
                "purl": format!("pkg:generic/p{i}@{}", c.version),
                "hashes": [{"alg": "SHA-256", "content": c.sha256}],
            })
        })
        .collect();
    let deps: Vec<serde_json::Value> = (1..comps.len())
        .map(|i| serde_json::json!({"ref": "c0", "dependsOn": [format!("c{i}")]}))
        .collect();
    serde_json::json!({
        "bomFormat": "CycloneDX", "specVersion": "1.6", "version": 1,
        "components": components, "dependencies": deps,
    })
    .to_string()
}

fn as_xml(comps: &[Comp]) -> String {
    let mut s = String::from(
        r#"<?xml version="1.0"?><bom xmlns="http://cyclonedx.org/schema/bom/1.6" version="1"><components>"#,
    );
    for (i, c) in comps.iter().enumerate() {
        s.push_str(&format!(
            r#"<component type="library" bom-ref="c{i}"><name>{}</name><version>{}</version><hashes><hash alg="SHA-256">{}</hash></hashes><purl>pkg:generic/p{i}@{}</purl></component>"#,
            xml_escape(&c.name),
            c.version,
            c.sha256,
            c.version
        ));
    }
    s.push_str("</components><dependencies>");
    if comps.len() > 1 {
        s.push_str(r#"<dependency ref="c0">"#);
        for i in 1..comps.len() {
            s.push_str(&format!(r#"<dependency ref="c{i}"/>"#));
        }
        s.push_str("</dependency>");
    }
    s.push_str("</dependencies></bom>");
    s
}

proptest! {
    #[test]
    fn json_and_xml_give_the_same_model(comps in prop::collection::vec(comp(), 1..6)) {
        let j = medvigil_sbom::read("p.json", as_json(&comps).as_bytes()).unwrap();
        let x = medvigil_sbom::read("p.xml", as_xml(&comps).as_bytes()).unwrap();
        prop_assert!(j.diagnostics.is_empty(), "{:?}", j.diagnostics);
        prop_assert!(x.diagnostics.is_empty(), "{:?}", x.diagnostics);
        let (js, xs) = (j.value.sbom.unwrap(), x.value.sbom.unwrap());
        prop_assert_eq!(&js.components, &xs.components);
        prop_assert_eq!(&js.dependencies, &xs.dependencies);
        prop_assert_eq!(js.components.len(), comps.len());
        for (c, orig) in js.components.iter().zip(&comps) {
            prop_assert_eq!(&c.name, orig.name.trim());
        }
    }

    #[test]
    fn arbitrary_bytes_never_panic(bytes in prop::collection::vec(any::<u8>(), 0..512)) {
        let _ = medvigil_sbom::read("p", &bytes);
    }

    #[test]
    fn mangled_documents_never_panic(cut in 0usize..2000, comps in prop::collection::vec(comp(), 1..3)) {
        for text in [as_json(&comps), as_xml(&comps)] {
            let end = cut.min(text.len());
            if let Some(prefix) = text.get(..end) {
                let _ = medvigil_sbom::read("p", prefix.as_bytes());
            }
        }
    }
}
