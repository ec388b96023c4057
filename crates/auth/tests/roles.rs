//! The permission matrix: its invariants, and PERMISSIONS.md showing it.

use std::path::Path;

use medvigil_auth::{Action, Role, allowed, matrix, permissions_markdown};

#[test]
fn auditor_never_writes_and_reads_the_audit_log() {
    for action in Action::ALL {
        if action.is_write() {
            assert!(!allowed(Role::Auditor, action), "auditor may {action}");
        }
    }
    assert!(allowed(Role::Auditor, Action::ReadAudit));
    assert!(allowed(Role::Auditor, Action::ReadFindings));
}

#[test]
fn researcher_only_submits_and_reads_own_reports() {
    let allowed_actions: Vec<Action> = Action::ALL
        .into_iter()
        .filter(|&a| allowed(Role::Researcher, a))
        .collect();
    assert_eq!(
        allowed_actions,
        [Action::SubmitReport, Action::ReadOwnReports]
    );
}

#[test]
fn admin_may_do_every_action() {
    for action in Action::ALL {
        assert!(allowed(Role::Admin, action), "admin may not {action}");
    }
}

#[test]
fn only_ciso_and_admin_accept_risk() {
    let who: Vec<Role> = Role::ALL
        .into_iter()
        .filter(|&r| allowed(r, Action::AcceptRisk))
        .collect();
    assert_eq!(who, [Role::Admin, Role::Ciso]);
}

#[test]
fn only_admin_manages_users_and_tokens() {
    for action in [
        Action::ManageUsers,
        Action::ManageTokens,
        Action::ManageFeeds,
    ] {
        let who: Vec<Role> = Role::ALL
            .into_iter()
            .filter(|&r| allowed(r, action))
            .collect();
        assert_eq!(who, [Role::Admin], "{action}");
    }
}

#[test]
fn roles_do_their_jobs() {
    use Action::*;
    let cases = [
        (Role::Ciso, ReadAudit, true),
        (Role::Ciso, WriteRemediation, true),
        (Role::Ciso, WriteInventory, false),
        (Role::Network, ReadFlows, true),
        (Role::Network, ManageSegmentation, true),
        (Role::Network, ReadInventory, true),
        (Role::Network, WriteInventory, false),
        (Role::Biomed, WriteInventory, true),
        (Role::Biomed, WriteRemediation, true),
        (Role::Biomed, AcceptRisk, false),
        (Role::Biomed, ManageSegmentation, false),
        (Role::Psirt, ManageProducts, true),
        (Role::Psirt, ManageCases, true),
        (Role::Psirt, ImportAdvisories, true),
        (Role::Psirt, ReadInventory, false),
    ];
    for (role, action, expected) in cases {
        assert_eq!(allowed(role, action), expected, "{role} {action}");
    }
}

#[test]
fn matrix_enumerates_every_pair_once() {
    let all: Vec<_> = matrix().collect();
    assert_eq!(all.len(), Role::ALL.len() * Action::ALL.len());
    for (role, action, ok) in all {
        assert_eq!(ok, allowed(role, action));
    }
}

#[test]
fn names_round_trip_through_fromstr_display_and_serde() {
    for role in Role::ALL {
        let name = role.to_string();
        assert_eq!(name, name.to_lowercase());
        assert_eq!(name.parse::<Role>(), Ok(role));
        assert_eq!(
            serde_json::to_string(&role).ok(),
            Some(format!("\"{name}\""))
        );
    }
    for action in Action::ALL {
        let name = action.to_string();
        assert_eq!(name.parse::<Action>(), Ok(action));
        assert_eq!(
            serde_json::to_string(&action).ok(),
            Some(format!("\"{name}\""))
        );
    }
    let err = "Admin".parse::<Role>().unwrap_err();
    assert!(err.to_string().contains("unknown role 'Admin'"));
    assert!("delete_everything".parse::<Action>().is_err());
}

#[test]
fn permissions_md() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("PERMISSIONS.md");
    let expected = permissions_markdown();
    if std::env::var_os("UPDATE_GOLDEN").is_some() {
        std::fs::write(&path, &expected).expect("write PERMISSIONS.md");
    }
    let actual = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(
        actual == expected,
        "PERMISSIONS.md is out of date; run UPDATE_GOLDEN=1 cargo test -p medvigil-auth"
    );
}
