//! The input is plain serde data: JSON in, the same value out.

use medvigil_report::ReportInput;
use medvigil_report::sample::sample_group;

#[test]
fn input_round_trips_through_json() {
    let input = sample_group(5, 20);
    let json = serde_json::to_string_pretty(&input).expect("serialise");
    assert!(json.contains(r#""generated_at": "2026-11-30T08:00:00Z""#));
    assert!(json.contains(r#""kind": "group""#));
    assert!(json.contains(r#""priority": "P"#));
    let back: ReportInput = serde_json::from_str(&json).expect("deserialise");
    assert_eq!(back, input);
}
