//! The remediation workflow: what is done about a finding (or a whole
//! device), by whom, by when, and every step of it as an event.
//!
//! The events are the truth: [`Remediation::apply`] folds one onto the
//! current state and refuses the steps the workflow does not allow, so the
//! store can keep an append-only trail and a current row that always agree.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};
use time::{Date, OffsetDateTime};

use crate::DeviceId;
use crate::classes::ParseEnumError;
use crate::serde_str::serde_via_str;

// Dates as `2026-12-31` in JSON (time's own serde form is a tuple).
time::serde::format_description!(iso_date, Date, "[year]-[month]-[day]");

/// Optional dates as `2026-12-31` or `null`. Hand-written because
/// `iso_date::option` refuses `null` inside an internally tagged enum
/// (serde buffers the content, and the buffered null is not an option).
mod iso_date_opt {
    use serde::{Deserialize, Deserializer, Serializer};
    use time::Date;

    pub fn serialize<S: Serializer>(d: &Option<Date>, s: S) -> Result<S::Ok, S::Error> {
        match d {
            Some(d) => super::iso_date::serialize(d, s),
            None => s.serialize_none(),
        }
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Option<Date>, D::Error> {
        let Some(text) = Option::<String>::deserialize(d)? else {
            return Ok(None);
        };
        Date::parse(
            &text,
            time::macros::format_description!("[year]-[month]-[day]"),
        )
        .map(Some)
        .map_err(serde::de::Error::custom)
    }
}

crate::ids::uuid_id!(
    /// Identifies a remediation.
    RemediationId
);

/// A closed set of names: `as_str`, `FromStr`, `Display`, serde as the name.
macro_rules! named {
    ($(#[$doc:meta])* $ty:ident, $what:literal { $($(#[$vdoc:meta])* $variant:ident => $name:literal,)* }) => {
        $(#[$doc])*
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum $ty {
            $($(#[$vdoc])* $variant,)*
        }

        impl $ty {
            /// Every value.
            pub const ALL: &'static [Self] = &[$(Self::$variant),*];

            /// The stable name.
            pub const fn as_str(self) -> &'static str {
                match self { $(Self::$variant => $name,)* }
            }
        }

        impl FromStr for $ty {
            type Err = ParseEnumError;
            fn from_str(s: &str) -> Result<Self, Self::Err> {
                let folded = s.trim().to_ascii_lowercase().replace('_', "-");
                Self::ALL.iter().copied().find(|v| v.as_str() == folded).ok_or_else(|| {
                    ParseEnumError {
                        what: $what,
                        value: s.trim().to_owned(),
                        expected: concat!($($name, " "),*),
                    }
                })
            }
        }

        impl fmt::Display for $ty {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(self.as_str())
            }
        }
        serde_via_str!($ty);
    };
}

named!(
    /// What is done about the risk.
    Action, "remediation action" {
        /// Install the vendor's fixed version.
        Update => "update",
        /// Apply the vendor's workaround or mitigation.
        Workaround => "workaround",
        /// Put the device behind a network boundary.
        Segment => "segment",
        /// Live with the risk for a while, with a justification.
        AcceptRisk => "accept-risk",
        /// The finding does not apply to this device.
        NotApplicable => "not-applicable",
    }
);

named!(
    /// Where a remediation stands.
    Status, "remediation status" {
        /// Planned, not started.
        Open => "open",
        /// Being worked on.
        InProgress => "in-progress",
        /// Carried out.
        Done => "done",
        /// The risk is accepted until a date.
        Accepted => "accepted",
        /// Judged not applicable.
        NotApplicable => "not-applicable",
    }
);

named!(
    /// The team that carries a remediation out.
    Team, "owner team" {
        /// Biomedical (clinical) engineering.
        Biomedical => "biomedical",
        /// Hospital IT.
        It => "it",
        /// The network team.
        Network => "network",
        /// The device's manufacturer (a service visit, a field update).
        Vendor => "vendor",
    }
);

impl Status {
    /// Whether work is still due (open or in progress).
    pub const fn is_active(self) -> bool {
        matches!(self, Self::Open | Self::InProgress)
    }
}

impl Action {
    /// The team that usually carries the action out.
    pub const fn default_team(self) -> Team {
        match self {
            Self::Segment => Team::Network,
            _ => Team::Biomedical,
        }
    }
}

/// One step of a remediation, as kept in its trail.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "kebab-case")]
pub enum Event {
    /// The remediation was planned.
    Created {
        /// The action.
        action: Action,
        /// The team.
        owner: Team,
        /// Due date (from the policy's deadline unless set by hand).
        #[serde(with = "iso_date_opt")]
        due: Option<Date>,
        /// The version to update to.
        target_version: Option<String>,
    },
    /// Its status changed.
    Status {
        /// The new status.
        to: Status,
    },
    /// The risk was accepted until a date.
    RiskAccepted {
        /// Why living with it is acceptable.
        justification: String,
        /// When the acceptance ends and the remediation comes back.
        #[serde(with = "iso_date")]
        until: Date,
    },
    /// Marked not applicable.
    NotApplicable {
        /// Why.
        justification: String,
    },
    /// An accepted risk reached its end and came back as open.
    Expired {
        /// The new due date.
        #[serde(with = "iso_date_opt")]
        due: Option<Date>,
    },
    /// Handed to another team.
    Owner {
        /// The new team.
        to: Team,
    },
    /// The due date changed.
    Due {
        /// The new date.
        #[serde(with = "iso_date")]
        to: Date,
    },
    /// Evidence that the work was done (a ticket, a service report).
    Evidence {
        /// The evidence.
        text: String,
    },
    /// A comment.
    Comment {
        /// The comment.
        text: String,
    },
}

/// An event with who and when.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Entry {
    /// Its place in the trail, from 1.
    pub seq: u32,
    /// When.
    #[serde(with = "time::serde::rfc3339")]
    pub at: OffsetDateTime,
    /// Who (a user name, or `system` for expiry).
    pub actor: String,
    /// What.
    #[serde(flatten)]
    pub event: Event,
}

/// A step the workflow refuses.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum WorkflowError {
    /// The status cannot go from one value to the other.
    #[error("a remediation cannot go from {from} to {to}")]
    Transition {
        /// Current status.
        from: Status,
        /// Requested status.
        to: Status,
    },
    /// Accepting a risk or declaring it not applicable needs a reason.
    #[error("a justification is required")]
    NoJustification,
    /// An acceptance must end after today.
    #[error("an accepted risk must expire after today ({today}); got {until}")]
    ExpiryNotInFuture {
        /// The date given.
        until: Date,
        /// Today.
        today: Date,
    },
    /// Only an accepted risk expires.
    #[error("only an accepted risk can expire (status is {0})")]
    NotAccepted(Status),
    /// A remediation starts with `created`, once.
    #[error("a remediation is created once, by its first event")]
    Created,
    /// A comment or evidence must say something.
    #[error("empty {0}")]
    Empty(&'static str),
}

/// The current state of a remediation: its trail folded.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Remediation {
    /// Identifier.
    pub id: RemediationId,
    /// The device.
    pub device: DeviceId,
    /// The vulnerability, or `None` for the device as a whole.
    pub vulnerability: Option<String>,
    /// The action.
    pub action: Action,
    /// The version to update to.
    pub target_version: Option<String>,
    /// The team.
    pub owner: Team,
    /// Status.
    pub status: Status,
    /// Due date.
    #[serde(with = "iso_date_opt")]
    pub due: Option<Date>,
    /// Until when an accepted risk holds.
    #[serde(with = "iso_date_opt")]
    pub accepted_until: Option<Date>,
    /// Why the risk is accepted or not applicable.
    pub justification: Option<String>,
    /// Evidence recorded, latest last.
    pub evidence: Vec<String>,
    /// Planned at.
    #[serde(with = "time::serde::rfc3339")]
    pub created_at: OffsetDateTime,
    /// Last event at.
    #[serde(with = "time::serde::rfc3339")]
    pub updated_at: OffsetDateTime,
}

fn reason(text: &str) -> Result<String, WorkflowError> {
    let t = text.trim();
    if t.is_empty() {
        return Err(WorkflowError::NoJustification);
    }
    Ok(t.to_owned())
}

impl Remediation {
    /// A new remediation from its `created` entry. An action of accepting
    /// the risk or of not applying still needs its own event (with the
    /// justification) to change the status.
    pub fn new(
        id: RemediationId,
        device: DeviceId,
        vulnerability: Option<String>,
        created: &Entry,
    ) -> Result<Self, WorkflowError> {
        let Event::Created {
            action,
            owner,
            due,
            target_version,
        } = &created.event
        else {
            return Err(WorkflowError::Created);
        };
        Ok(Self {
            id,
            device,
            vulnerability,
            action: *action,
            target_version: target_version.clone(),
            owner: *owner,
            status: Status::Open,
            due: *due,
            accepted_until: None,
            justification: None,
            evidence: Vec::new(),
            created_at: created.at,
            updated_at: created.at,
        })
    }

    /// Whether work is due and its date has passed.
    pub fn is_overdue(&self, today: Date) -> bool {
        self.status.is_active() && self.due.is_some_and(|d| d < today)
    }

    /// Whether an accepted risk has reached its end (and must come back).
    pub fn acceptance_ended(&self, today: Date) -> bool {
        self.status == Status::Accepted && self.accepted_until.is_some_and(|u| u <= today)
    }

    /// Folds `entry` onto the state, or says why the workflow refuses it.
    /// `today` is the date checks are made against (an acceptance must end
    /// after it).
    ///
    /// # Errors
    /// A [`WorkflowError`] naming the refused step; the state is unchanged.
    pub fn apply(&mut self, entry: &Entry, today: Date) -> Result<(), WorkflowError> {
        let mut next = self.clone();
        match &entry.event {
            Event::Created { .. } => return Err(WorkflowError::Created),
            Event::Status { to } => {
                use Status::{Accepted, Done, InProgress, NotApplicable, Open};
                // Accepting and "not applicable" have their own events (they
                // need a justification); anything closed can be reopened.
                let allowed = matches!(
                    (self.status, *to),
                    (Open, InProgress | Done)
                        | (InProgress, Open | Done)
                        | (Done | NotApplicable | Accepted, Open)
                );
                if !allowed {
                    return Err(WorkflowError::Transition {
                        from: self.status,
                        to: *to,
                    });
                }
                next.status = *to;
                if *to == Open {
                    next.accepted_until = None;
                }
            }
            Event::RiskAccepted {
                justification,
                until,
            } => {
                if !self.status.is_active() {
                    return Err(WorkflowError::Transition {
                        from: self.status,
                        to: Status::Accepted,
                    });
                }
                if *until <= today {
                    return Err(WorkflowError::ExpiryNotInFuture {
                        until: *until,
                        today,
                    });
                }
                next.justification = Some(reason(justification)?);
                next.accepted_until = Some(*until);
                next.status = Status::Accepted;
            }
            Event::NotApplicable { justification } => {
                if !self.status.is_active() {
                    return Err(WorkflowError::Transition {
                        from: self.status,
                        to: Status::NotApplicable,
                    });
                }
                next.justification = Some(reason(justification)?);
                next.status = Status::NotApplicable;
            }
            Event::Expired { due } => {
                if self.status != Status::Accepted {
                    return Err(WorkflowError::NotAccepted(self.status));
                }
                next.status = Status::Open;
                next.accepted_until = None;
                next.due = *due;
            }
            Event::Owner { to } => next.owner = *to,
            Event::Due { to } => next.due = Some(*to),
            Event::Evidence { text } => {
                if text.trim().is_empty() {
                    return Err(WorkflowError::Empty("evidence"));
                }
                next.evidence.push(text.trim().to_owned());
            }
            Event::Comment { text } => {
                if text.trim().is_empty() {
                    return Err(WorkflowError::Empty("comment"));
                }
            }
        }
        next.updated_at = entry.at;
        *self = next;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use time::macros::{date, datetime};

    use super::*;

    fn entry(seq: u32, event: Event) -> Entry {
        Entry {
            seq,
            at: datetime!(2026-11-01 10:00 UTC),
            actor: "biomed".into(),
            event,
        }
    }

    fn planned() -> Remediation {
        let created = entry(
            1,
            Event::Created {
                action: Action::Update,
                owner: Team::Biomedical,
                due: Some(date!(2026 - 11 - 15)),
                target_version: Some("9.33".into()),
            },
        );
        Remediation::new(RemediationId::new(), DeviceId::new(), None, &created).expect("created")
    }

    #[test]
    fn a_plan_is_open_and_becomes_overdue_after_its_date() {
        let r = planned();
        assert_eq!(r.status, Status::Open);
        assert!(!r.is_overdue(date!(2026 - 11 - 15)));
        assert!(r.is_overdue(date!(2026 - 11 - 16)));
    }

    #[test]
    fn done_work_is_never_overdue_and_can_be_reopened() {
        let mut r = planned();
        let today = date!(2026 - 11 - 20);
        r.apply(&entry(2, Event::Status { to: Status::Done }), today)
            .expect("done");
        assert!(!r.is_overdue(today));
        r.apply(&entry(3, Event::Status { to: Status::Open }), today)
            .expect("reopen");
        assert!(r.is_overdue(today));
    }

    #[test]
    fn accepting_a_risk_needs_a_reason_and_a_future_end_and_it_comes_back() {
        let mut r = planned();
        let today = date!(2026 - 11 - 10);
        let accept = |j: &str, until| Event::RiskAccepted {
            justification: j.into(),
            until,
        };
        assert_eq!(
            r.apply(&entry(2, accept("  ", date!(2027 - 01 - 01))), today),
            Err(WorkflowError::NoJustification)
        );
        assert!(matches!(
            r.apply(&entry(2, accept("isolated VLAN", today)), today),
            Err(WorkflowError::ExpiryNotInFuture { .. })
        ));
        assert_eq!(r.status, Status::Open, "a refused step changes nothing");
        r.apply(
            &entry(2, accept("isolated VLAN", date!(2026 - 12 - 31))),
            today,
        )
        .expect("accepted");
        assert_eq!(r.status, Status::Accepted);
        assert!(!r.is_overdue(date!(2026 - 12 - 01)));
        assert!(!r.acceptance_ended(date!(2026 - 12 - 30)));
        assert!(r.acceptance_ended(date!(2026 - 12 - 31)));
        r.apply(
            &entry(
                3,
                Event::Expired {
                    due: Some(date!(2027 - 01 - 14)),
                },
            ),
            date!(2026 - 12 - 31),
        )
        .expect("expired");
        assert_eq!(r.status, Status::Open);
        assert_eq!(r.accepted_until, None);
        assert_eq!(r.due, Some(date!(2027 - 01 - 14)));
    }

    #[test]
    fn the_workflow_refuses_impossible_steps() {
        let mut r = planned();
        let today = date!(2026 - 11 - 10);
        assert!(matches!(
            r.apply(
                &entry(
                    2,
                    Event::Status {
                        to: Status::Accepted
                    }
                ),
                today
            ),
            Err(WorkflowError::Transition { .. })
        ));
        assert_eq!(
            r.apply(&entry(2, Event::Expired { due: None }), today),
            Err(WorkflowError::NotAccepted(Status::Open))
        );
        assert_eq!(
            r.apply(&entry(2, Event::Comment { text: " ".into() }), today),
            Err(WorkflowError::Empty("comment"))
        );
        r.apply(&entry(2, Event::Status { to: Status::Done }), today)
            .expect("done");
        assert!(matches!(
            r.apply(
                &entry(
                    3,
                    Event::NotApplicable {
                        justification: "x".into()
                    }
                ),
                today
            ),
            Err(WorkflowError::Transition { .. })
        ));
    }

    #[test]
    fn events_without_dates_round_trip() {
        for event in [
            Event::Created {
                action: Action::Segment,
                owner: Team::Network,
                due: None,
                target_version: None,
            },
            Event::Expired { due: None },
        ] {
            let json = serde_json::to_string(&event).expect("json");
            assert!(json.contains("null"), "{json}");
            let back: Event = serde_json::from_str(&json).expect("back");
            assert_eq!(back, event);
        }
    }

    #[test]
    fn events_serialise_with_their_kind() {
        let e = entry(
            4,
            Event::RiskAccepted {
                justification: "isolated".into(),
                until: date!(2027 - 01 - 01),
            },
        );
        let json = serde_json::to_value(&e).expect("json");
        assert_eq!(json["kind"], "risk-accepted");
        assert_eq!(json["until"], "2027-01-01");
        let back: Entry = serde_json::from_value(json).expect("back");
        assert_eq!(back, e);
        assert_eq!("In_Progress".parse::<Status>(), Ok(Status::InProgress));
        assert!("later".parse::<Action>().is_err());
    }
}
