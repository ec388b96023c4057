//! Examples of NISTIR 7695 (bindings) and NISTIR 7696 (matching).

use super::*;

fn fs(s: &str) -> Cpe {
    Cpe::parse(s).unwrap_or_else(|e| panic!("{s}: {e}"))
}

#[test]
fn nistir_7695_binding_examples() {
    // §6.1.2.5 / §6.2.2.3 examples: WFN → URI and → formatted string.
    let cases = [
        (
            "cpe:2.3:a:microsoft:internet_explorer:8.0.6001:beta:*:*:*:*:*:*",
            "cpe:/a:microsoft:internet_explorer:8.0.6001:beta",
            r#"wfn:[part="a",vendor="microsoft",product="internet_explorer",version="8\.0\.6001",update="beta"]"#,
        ),
        (
            "cpe:2.3:a:microsoft:internet_explorer:8.*:sp?:*:*:*:*:*:*",
            "cpe:/a:microsoft:internet_explorer:8.%02:sp%01",
            r#"wfn:[part="a",vendor="microsoft",product="internet_explorer",version="8\.*",update="sp?"]"#,
        ),
        (
            "cpe:2.3:a:hp:insight_diagnostics:7.4.0.1570:-:*:*:online:win2003:x64:*",
            "cpe:/a:hp:insight_diagnostics:7.4.0.1570:-:~~online~win2003~x64~",
            r#"wfn:[part="a",vendor="hp",product="insight_diagnostics",version="7\.4\.0\.1570",update=NA,sw_edition="online",target_sw="win2003",target_hw="x64"]"#,
        ),
        (
            "cpe:2.3:a:hp:openview_network_manager:7.51:*:*:*:*:linux:*:*",
            "cpe:/a:hp:openview_network_manager:7.51::~~~linux~~",
            r#"wfn:[part="a",vendor="hp",product="openview_network_manager",version="7\.51",target_sw="linux"]"#,
        ),
        (
            r"cpe:2.3:a:foo\\bar:big\$money_manager_2010:*:*:*:*:special:ipod_touch:80gb:*",
            "cpe:/a:foo%5cbar:big%24money_manager_2010:::~~special~ipod_touch~80gb~",
            r#"wfn:[part="a",vendor="foo\\bar",product="big\$money_manager_2010",sw_edition="special",target_sw="ipod_touch",target_hw="80gb"]"#,
        ),
        (
            r"cpe:2.3:a:opensuse:lib\:zypp:14.16.0:beta:*:*:*:*:*:-",
            "cpe:/a:opensuse:lib%3azypp:14.16.0:beta:~~~~~-",
            r#"wfn:[part="a",vendor="opensuse",product="lib\:zypp",version="14\.16\.0",update="beta",other=NA]"#,
        ),
    ];
    for (f, u, w) in cases {
        let a = fs(f);
        assert_eq!(a.to_wfn_string(), w, "{f}");
        assert_eq!(a.to_formatted_string(), f);
        assert_eq!(a.to_uri(), u, "{f}");
        assert_eq!(fs(u), a, "{u}");
    }
}

#[test]
fn nistir_7695_uri_unbinding_with_everything_packed() {
    let c = fs(
        "cpe:/a:foo%5cbar:big%24money_manager_2010:2010:u5:~legacy_edition~special~ipod_touch~80gb~other:EN-us",
    );
    assert_eq!(
        c.to_formatted_string(),
        r"cpe:2.3:a:foo\\bar:big\$money_manager_2010:2010:u5:legacy_edition:EN-us:special:ipod_touch:80gb:other"
    );
    assert_eq!(
        c.get(Attribute::Language).as_str().map(WfnStr::as_wfn),
        Some(r"EN\-us")
    );
}

#[test]
fn rejects_malformed_names() {
    for bad in [
        "cpe:2.3:a:vendor:product",
        "cpe:2.3:x:vendor:product:*:*:*:*:*:*:*:*",
        "cpe:2.3:a:ven*dor:product:*:*:*:*:*:*:*:*",
        "cpe:2.3:a:vendor:product:1.0\\:*:*:*:*:*:*:*",
        "cpe:2.3:a::product:*:*:*:*:*:*:*:*",
        "cpe:/a:b:c:d:e:f:g:h",
        "cpe:/a:b%zz",
        "pkg:npm/foo",
    ] {
        assert!(Cpe::parse(bad).is_err(), "{bad}");
    }
}

#[test]
fn nistir_7696_attribute_relations() {
    let s = |x: &str| Value::str(x).unwrap_or(Value::Any);
    use Relation::*;
    let cases = [
        (Value::Any, Value::Any, Equal),
        (Value::Any, Value::Na, Superset),
        (Value::Any, s("foo"), Superset),
        (Value::Na, Value::Any, Subset),
        (Value::Na, Value::Na, Equal),
        (Value::Na, s("foo"), Disjoint),
        (s("foo"), Value::Any, Subset),
        (s("foo"), Value::Na, Disjoint),
        (s("foo"), s("FOO"), Equal),
        (s("foo"), s("bar"), Disjoint),
        (s("foo*"), s("foobar"), Superset),
        (s("*bar"), s("foobar"), Superset),
        (s("?oo"), s("foo"), Superset),
        (s("??oo"), s("foo"), Superset),
        (s("?oo"), s("xfoo"), Disjoint),
        (s("8\\.*"), s("8\\.0\\.6001"), Superset),
        (s("8\\.*"), s("80"), Disjoint),
        (s("foo"), s("foo*"), Undefined),
        (Value::Any, s("fo?"), Undefined),
    ];
    for (a, b, want) in cases {
        assert_eq!(compare_values(&a, &b), want, "{a:?} vs {b:?}");
    }
}

#[test]
fn nistir_7696_name_comparison() {
    let source = fs("cpe:2.3:a:microsoft:internet_explorer:8.*:*:*:*:*:*:*:*");
    let target = fs("cpe:2.3:a:microsoft:internet_explorer:8.0.6001:beta:*:*:*:*:*:*");
    let r = compare(&source, &target);
    assert!(r.is_superset() && !r.is_equal() && !r.is_disjoint());
    assert!(source.matches(&target));
    assert!(compare(&target, &source).is_undefined_somewhere());
    let other = fs("cpe:2.3:a:microsoft:internet_explorer:9.0:*:*:*:*:*:*:*");
    assert!(compare(&source, &other).is_disjoint());
    assert!(compare(&target, &target).is_equal());
    let broad = fs("cpe:2.3:a:microsoft:*:*:*:*:*:*:*:*:*");
    assert!(compare(&target, &broad).is_subset());
}

impl NameRelation {
    fn is_undefined_somewhere(&self) -> bool {
        self.attributes.contains(&Relation::Undefined)
    }
}

#[test]
fn corpus_style_names_round_trip() {
    for s in [
        "cpe:2.3:a:versa-networks:versa_director:22.1.4:2024-11-11_Hot_Fix:*:*:*:*:*:*",
        "cpe:2.3:a:acme:component_framework:-:*:*:*:*:*:*:*",
        "cpe:2.3:h:example:product_a:2.2.0:*:*:de:*:*:*:*",
    ] {
        let c = fs(s);
        assert_eq!(c.to_string(), s);
        assert_eq!(fs(&c.to_uri()), c, "{s}");
    }
    let u = "cpe:/o:redhat:rhel_aus:7.6::server";
    assert_eq!(fs(u).to_uri(), u);
    assert_eq!(
        fs(u).to_string(),
        "cpe:2.3:o:redhat:rhel_aus:7.6:*:server:*:*:*:*:*"
    );
}
