//! The CISA SSVC decision table, all 36 leaves, checked against the table
//! CERT/CC publishes for CISA's tree.

use medvigil_risk::{
    Automatable, Decision, MissionWellbeing, SsvcExploitation, SsvcInputs, TechnicalImpact, decide,
};

/// The CISA table as CERT/CC publishes it (`cisa_coordinator_2_0_3.csv`):
/// exploitation, automatable, technical impact, mission & well-being.
const TABLE: &str = "\
none,no,partial,low,track
none,no,partial,medium,track
none,no,partial,high,track
none,no,total,low,track
none,no,total,medium,track
none,no,total,high,track*
none,yes,partial,low,track
none,yes,partial,medium,track
none,yes,partial,high,attend
none,yes,total,low,track
none,yes,total,medium,track
none,yes,total,high,attend
public poc,no,partial,low,track
public poc,no,partial,medium,track
public poc,no,partial,high,track*
public poc,no,total,low,track
public poc,no,total,medium,track*
public poc,no,total,high,attend
public poc,yes,partial,low,track
public poc,yes,partial,medium,track
public poc,yes,partial,high,attend
public poc,yes,total,low,track
public poc,yes,total,medium,track*
public poc,yes,total,high,attend
active,no,partial,low,track
active,no,partial,medium,track
active,no,partial,high,attend
active,no,total,low,track
active,no,total,medium,attend
active,no,total,high,act
active,yes,partial,low,attend
active,yes,partial,medium,attend
active,yes,partial,high,act
active,yes,total,low,attend
active,yes,total,medium,act
active,yes,total,high,act
";

fn row(line: &str) -> (SsvcInputs, Decision) {
    let f: Vec<&str> = line.split(',').collect();
    let inputs = SsvcInputs {
        exploitation: match f[0] {
            "none" => SsvcExploitation::None,
            "public poc" => SsvcExploitation::PublicPoc,
            _ => SsvcExploitation::Active,
        },
        automatable: if f[1] == "yes" {
            Automatable::Yes
        } else {
            Automatable::No
        },
        technical_impact: if f[2] == "total" {
            TechnicalImpact::Total
        } else {
            TechnicalImpact::Partial
        },
        mission_wellbeing: match f[3] {
            "low" => MissionWellbeing::Low,
            "medium" => MissionWellbeing::Medium,
            _ => MissionWellbeing::High,
        },
    };
    let d = match f[4] {
        "track" => Decision::Track,
        "track*" => Decision::TrackStar,
        "attend" => Decision::Attend,
        _ => Decision::Act,
    };
    (inputs, d)
}

#[test]
fn all_36_leaves_match_the_cisa_table() {
    let rows: Vec<_> = TABLE.lines().map(row).collect();
    assert_eq!(rows.len(), 36);
    let distinct: std::collections::HashSet<_> = rows.iter().map(|(i, _)| *i).collect();
    assert_eq!(distinct.len(), 36, "every combination once");
    for (inputs, want) in rows {
        assert_eq!(decide(inputs), want, "{inputs:?}");
    }
}

#[test]
fn table_is_monotone_in_every_decision_point() {
    let rows: Vec<_> = TABLE.lines().map(row).collect();
    for (a, _) in &rows {
        for (b, _) in &rows {
            let le = a.exploitation <= b.exploitation
                && a.automatable <= b.automatable
                && a.technical_impact <= b.technical_impact
                && a.mission_wellbeing <= b.mission_wellbeing;
            if le {
                assert!(decide(*a) <= decide(*b), "{a:?} vs {b:?}");
            }
        }
    }
}
