//! Inventory import: reading real-shaped CMMS exports, precise errors, and
//! reconciliation with stored devices.

use medvigil_inventory::{
    Encoding, Existing, ImportOptions, MappingFile, parse_csv, reconcile, write_csv,
};
use medvigil_model::{DeviceField, DeviceId, EuClass};

const GOOD: &str = "\
Asset Tag,Manufacturer,Model,Serial No.,Software Version,Category,EU Class,Site,Ward,Room,MAC Address,IP Address,VLAN,End of Support,Patchable,Purchase price
BM-0001,B. Braun,Space Infusomat,SN1001,688Q,Infusion pump,IIb,North,ICU,101,00:1A:2B:3C:4D:01,10.10.1.1,110,2027-12-31,yes,1200
BM-0002,Philips,IntelliVue MX800,SN2002,M.00.03,Patient monitor,IIb,North,ICU,102,00-1A-2B-3C-4D-02,10.10.1.2,110,,no,30000

BM-0003,Siemens Healthineers,SOMATOM go.Up,SN3003,VA30,CT,IIb,South,Radiology,R1,001a.2b3c.4d03,10.20.1.3,200,2026-06-30,no,800000
";

fn parse(text: &str) -> medvigil_inventory::ParsedCsv {
    parse_csv(text.as_bytes(), &ImportOptions::default()).unwrap_or_else(|e| panic!("{e}"))
}

#[test]
fn reads_a_cmms_export_with_detected_headers() {
    let p = parse(GOOD);
    assert!(p.errors.is_empty(), "{:?}", p.errors);
    assert_eq!(p.rows.len(), 3);
    assert_eq!(p.mapping.ignored, vec!["Purchase price".to_owned()]);
    let ct = &p.rows[2];
    assert_eq!(
        ct.line, 5,
        "blank line 4 is skipped, line numbers stay true"
    );
    assert_eq!(ct.fields.eu_class, Some(EuClass::IIb));
    assert_eq!(
        ct.fields.text(DeviceField::Mac).as_deref(),
        Some("00:1a:2b:3c:4d:03")
    );
    assert_eq!(ct.fields.location.ward.as_deref(), Some("Radiology"));
}

#[test]
fn bad_rows_name_line_column_and_value() {
    let text = "\
asset_tag,vendor,serial,mac,eu_class,end_of_support
A1,GE,S1,00:1A:2B:3C:4D:5E,IIb,2030-01-01
A2,GE,S2,00:1A:2B,IIb,
A3,GE,S3,,IV,
A4,GE,S1,,I,
A5,GE,S5,,I,31/02/2030
,,,,,
,GE,,,I,
";
    let p = parse(text);
    assert_eq!(p.rows.len(), 1);
    let msgs: Vec<String> = p.errors.iter().map(ToString::to_string).collect();
    assert!(
        msgs[0].starts_with("line 3, column 'mac': mac: '00:1A:2B': not a MAC address"),
        "{msgs:?}"
    );
    assert!(
        msgs[1].starts_with("line 4, column 'eu_class': eu_class: 'IV': unknown EU class 'IV'"),
        "{msgs:?}"
    );
    assert_eq!(
        msgs[2],
        "line 5, column 'serial': duplicate serial 'S1' (first on line 2)"
    );
    assert!(
        msgs[3].starts_with("line 6, column 'end_of_support'"),
        "{msgs:?}"
    );
    assert!(
        msgs[4].starts_with("line 8, column '': no asset tag, serial number or MAC"),
        "{msgs:?}"
    );
    assert_eq!(p.rejected_rows(), 5);
    assert_eq!(p.errors[0].value, "00:1A:2B");
}

#[test]
fn windows_1252_semicolons_and_a_mapping_file() {
    // A French CMMS export: Windows-1252, ';', its own headers.
    let text = b"N\xb0 Equipement;Fabricant;Mod\xe8le;Num\xe9ro de s\xe9rie;Service;Classe\r\nEQ-77;Dr\xe4ger;Evita V800;ASDF-1;R\xe9animation;IIb\r\n";
    let mapping =
        MappingFile::parse("[columns]\n\"N° Equipement\" = \"asset_tag\"\n").unwrap_or_default();
    let p = parse_csv(
        text,
        &ImportOptions {
            mapping,
            encoding: None,
        },
    )
    .unwrap_or_else(|e| panic!("{e}"));
    assert!(p.errors.is_empty(), "{:?}", p.errors);
    let f = &p.rows[0].fields;
    assert_eq!(f.asset_tag.as_deref(), Some("EQ-77"));
    assert_eq!(f.vendor.as_deref(), Some("Dräger"));
    assert_eq!(f.model.as_deref(), Some("Evita V800"));
    assert_eq!(f.location.ward.as_deref(), Some("Réanimation"));
    // Forcing UTF-8 on Windows-1252 bytes does not silently succeed.
    let forced = parse_csv(
        text,
        &ImportOptions {
            mapping: MappingFile::default(),
            encoding: Some(Encoding::Utf8),
        },
    );
    assert!(
        forced
            .map(|p| p.rows[0].fields.vendor.clone())
            .ok()
            .flatten()
            .as_deref()
            != Some("Dräger")
    );
}

#[test]
fn file_level_errors() {
    let e = parse_csv(b"Cost,Colour\n1,red\n", &ImportOptions::default()).unwrap_err();
    assert!(
        e.to_string().contains("no column identifies a device"),
        "{e}"
    );
    assert!(e.to_string().contains("Cost, Colour"), "{e}");
    let e = parse_csv(
        b"asset_tag,model\nA1,\"unterminated\n",
        &ImportOptions::default(),
    );
    // An unterminated quote swallows the rest of the file: the reader reports it or yields one odd row.
    if let Err(e) = e {
        assert!(e.to_string().starts_with("line "), "{e}");
    }
    assert!(parse_csv(b"", &ImportOptions::default()).is_err());
}

/// The devices of `GOOD`, as if stored.
fn stored_good() -> Vec<Existing> {
    parse(GOOD)
        .rows
        .into_iter()
        .map(|r| Existing {
            id: DeviceId::new(),
            fields: r.fields,
        })
        .collect()
}

#[test]
fn reconciliation_creates_updates_and_keeps() {
    let existing = stored_good();
    let text = "\
asset_tag,vendor,serial,software_version,mac
BM-0001,B. Braun,SN1001,689A,
BM-0002,Philips,SN2002,M.00.03,
BM-0009,Mindray,SN9009,1.0,
BM-0010,Siemens Healthineers,SN3003,,
,,,,00:1a:2b:3c:4d:03
";
    let plan = reconcile(&existing, parse(text).rows);
    assert_eq!(plan.creates.len(), 1);
    assert_eq!(plan.creates[0].fields.asset_tag.as_deref(), Some("BM-0009"));
    assert_eq!(plan.updates.len(), 2);
    assert_eq!(plan.updates[0].changed, vec![DeviceField::SoftwareVersion]);
    assert_eq!(plan.updates[1].changed, vec![DeviceField::AssetTag]);
    assert_eq!(
        plan.updates[0].fields.model.as_deref(),
        Some("Space Infusomat"),
        "unset cells never erase"
    );
    assert_eq!(plan.unchanged.len(), 1);
    // Line 5: a new asset tag with the stored CT's serial updates the CT's tag.
    // Line 6: the MAC row names the same CT again and is rejected.
    assert_eq!(plan.rejected.len(), 1, "{:?}", plan.rejected);
    assert!(
        plan.rejected[0].reason.contains("line 5 already names"),
        "{:?}",
        plan.rejected
    );
}

#[test]
fn conflicting_keys_are_rejected() {
    let existing = stored_good();
    let plan = reconcile(
        &existing,
        parse("asset_tag,vendor,serial\nBM-0001,Philips,SN2002\n").rows,
    );
    assert_eq!(plan.rejected.len(), 1);
    assert!(
        plan.rejected[0]
            .reason
            .starts_with("asset tag matches device"),
        "{:?}",
        plan.rejected
    );
}

#[test]
fn export_reimports_unchanged() {
    let stored = parse(GOOD);
    let mut out = Vec::new();
    write_csv(&mut out, stored.rows.iter().map(|r| (None, &r.fields)))
        .unwrap_or_else(|e| panic!("{e}"));
    let again = parse(std::str::from_utf8(&out).unwrap_or(""));
    assert!(again.errors.is_empty(), "{:?}", again.errors);
    let a: Vec<_> = stored.rows.iter().map(|r| &r.fields).collect();
    let b: Vec<_> = again.rows.iter().map(|r| &r.fields).collect();
    assert_eq!(a, b);
}
