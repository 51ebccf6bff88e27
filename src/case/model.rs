//! The typed case the rules, listings and reports read.
//!
//! It is derived from the same tree the schema checks, but leniently: a field that is missing or
//! of the wrong type becomes `None` (or is left out of a list), because the schema has already
//! reported it, and the meaning rules should still check everything else. List items keep their
//! index, so a rule about `services[1]` names the item the file has at that place.

use std::collections::BTreeMap;
use std::fmt;
use std::str::FromStr;

use chrono::NaiveDate;
use serde::de::DeserializeOwned;
use serde::{Deserialize, Deserializer};
use serde_json::Value as Json;

/// Declares a closed set of names as an enum with its spelling in files.
macro_rules! names {
    ($(#[$meta:meta])* $name:ident { $($variant:ident = $text:literal),+ $(,)? }) => {
        $(#[$meta])*
        #[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
        pub enum $name { $($variant),+ }

        impl $name {
            /// Every value, in the order of the contract.
            pub const ALL: &'static [$name] = &[$($name::$variant),+];

            /// The spelling used in case files and on the command line.
            pub fn as_str(self) -> &'static str {
                match self { $($name::$variant => $text),+ }
            }
        }

        impl FromStr for $name {
            type Err = String;
            fn from_str(s: &str) -> Result<Self, String> {
                match s {
                    $($text => Ok($name::$variant),)+
                    _ => Err(format!(
                        "`{s}` is not one of {}",
                        [$($text),+].join(", ")
                    )),
                }
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl<'de> Deserialize<'de> for $name {
            fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                let s = String::deserialize(d)?;
                s.parse().map_err(serde::de::Error::custom)
            }
        }
    };
}

names!(
    /// The programs an agency runs.
    Program {
        ChildProtection = "child-protection",
        Disability = "disability",
        FemaleHeadedHousehold = "female-headed-household",
        OlderPerson = "older-person",
        General = "general",
    }
);

names!(
    /// The current risk of harm; it sets the review interval.
    Risk {
        Low = "low",
        Medium = "medium",
        High = "high",
        Critical = "critical",
    }
);

names!(
    /// The six phases of case management, in their one allowed order.
    Phase {
        Intake = "intake",
        Assessment = "assessment",
        Planning = "planning",
        Implementation = "implementation",
        Monitoring = "monitoring",
        Closed = "closed",
    }
);

impl Phase {
    /// The phase after this one, if any.
    pub fn next(self) -> Option<Phase> {
        Phase::ALL
            .iter()
            .position(|p| *p == self)
            .and_then(|i| Phase::ALL.get(i + 1))
            .copied()
    }
}

names!(
    /// `client.sex`.
    Sex {
        Female = "female",
        Male = "male",
        Other = "other",
        Unknown = "unknown",
    }
);

names!(
    /// Where a goal stands.
    GoalStatus {
        Active = "active",
        Achieved = "achieved",
        PartlyAchieved = "partly-achieved",
        NotAchieved = "not-achieved",
        Dropped = "dropped",
    }
);

names!(
    /// Where a referral or service stands.
    ServiceStatus {
        Referred = "referred",
        Accepted = "accepted",
        InProgress = "in-progress",
        Completed = "completed",
        Declined = "declined",
        Cancelled = "cancelled",
    }
);

names!(
    /// Why a case was closed.
    ClosureReason {
        GoalsAchieved = "goals-achieved",
        Transferred = "transferred",
        ClientWithdrew = "client-withdrew",
        LostContact = "lost-contact",
        Moved = "moved",
        Deceased = "deceased",
        Other = "other",
    }
);

/// Domain name → score (1..5) or goal id → attainment (−2..+2).
pub type Scores = BTreeMap<String, i64>;

/// A case as the rules see it. Every field is optional here; the schema says which are required.
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(default)]
pub struct Case {
    #[serde(deserialize_with = "lenient")]
    pub id: Option<String>,
    #[serde(deserialize_with = "lenient")]
    pub program: Option<Program>,
    #[serde(deserialize_with = "lenient_date")]
    pub opened: Option<NaiveDate>,
    #[serde(deserialize_with = "lenient")]
    pub caseworker: Option<String>,
    #[serde(deserialize_with = "lenient")]
    pub risk: Option<Risk>,
    #[serde(deserialize_with = "lenient")]
    pub phase: Option<Phase>,
    #[serde(deserialize_with = "lenient_record")]
    pub client: Option<Client>,
    #[serde(deserialize_with = "lenient_record")]
    pub consent: Option<Consent>,
    #[serde(deserialize_with = "lenient_record")]
    pub assessment: Option<Assessment>,
    #[serde(deserialize_with = "lenient_record")]
    pub plan: Option<Plan>,
    #[serde(deserialize_with = "lenient_records")]
    pub services: Vec<Service>,
    #[serde(deserialize_with = "lenient_records")]
    pub reviews: Vec<Review>,
    #[serde(deserialize_with = "lenient_record")]
    pub closure: Option<Closure>,
    #[serde(deserialize_with = "lenient_records")]
    pub history: Vec<HistoryEntry>,
}

#[derive(Clone, Debug, Default, Deserialize)]
#[serde(default)]
pub struct Client {
    #[serde(deserialize_with = "lenient")]
    pub name: Option<String>,
    #[serde(deserialize_with = "lenient")]
    pub sex: Option<Sex>,
    #[serde(deserialize_with = "lenient_date")]
    pub birth_date: Option<NaiveDate>,
    #[serde(deserialize_with = "lenient")]
    pub national_id: Option<String>,
}

#[derive(Clone, Debug, Default, Deserialize)]
#[serde(default)]
pub struct Consent {
    #[serde(deserialize_with = "lenient")]
    pub given: Option<bool>,
    #[serde(deserialize_with = "lenient_date")]
    pub date: Option<NaiveDate>,
    #[serde(deserialize_with = "lenient_strings")]
    pub share_with: Vec<String>,
}

#[derive(Clone, Debug, Default, Deserialize)]
#[serde(default)]
pub struct Assessment {
    #[serde(deserialize_with = "lenient_date")]
    pub date: Option<NaiveDate>,
    #[serde(deserialize_with = "lenient_scores")]
    pub domains: Scores,
}

#[derive(Clone, Debug, Default, Deserialize)]
#[serde(default)]
pub struct Plan {
    #[serde(deserialize_with = "lenient_date")]
    pub date: Option<NaiveDate>,
    #[serde(deserialize_with = "lenient_records")]
    pub goals: Vec<Goal>,
}

#[derive(Clone, Debug, Default, Deserialize)]
#[serde(default)]
pub struct Goal {
    #[serde(deserialize_with = "lenient")]
    pub id: Option<String>,
    #[serde(deserialize_with = "lenient")]
    pub domain: Option<String>,
    #[serde(deserialize_with = "lenient_date")]
    pub target_date: Option<NaiveDate>,
    #[serde(deserialize_with = "lenient")]
    pub weight: Option<f64>,
    #[serde(deserialize_with = "lenient")]
    pub status: Option<GoalStatus>,
}

#[derive(Clone, Debug, Default, Deserialize)]
#[serde(default)]
pub struct Service {
    #[serde(deserialize_with = "lenient")]
    pub id: Option<String>,
    #[serde(deserialize_with = "lenient")]
    pub goal: Option<String>,
    #[serde(rename = "type", deserialize_with = "lenient")]
    pub kind: Option<String>,
    #[serde(deserialize_with = "lenient_date")]
    pub referred: Option<NaiveDate>,
    #[serde(deserialize_with = "lenient")]
    pub status: Option<ServiceStatus>,
    #[serde(deserialize_with = "lenient_date")]
    pub ended: Option<NaiveDate>,
    #[serde(deserialize_with = "lenient")]
    pub cost: Option<f64>,
}

#[derive(Clone, Debug, Default, Deserialize)]
#[serde(default)]
pub struct Review {
    #[serde(deserialize_with = "lenient_date")]
    pub date: Option<NaiveDate>,
    #[serde(deserialize_with = "lenient")]
    pub by: Option<String>,
    #[serde(deserialize_with = "lenient_scores")]
    pub domains: Scores,
    #[serde(deserialize_with = "lenient_scores")]
    pub goals: Scores,
    #[serde(deserialize_with = "lenient")]
    pub risk: Option<Risk>,
    #[serde(deserialize_with = "lenient_date")]
    pub next_due: Option<NaiveDate>,
}

#[derive(Clone, Debug, Default, Deserialize)]
#[serde(default)]
pub struct Closure {
    #[serde(deserialize_with = "lenient_date")]
    pub date: Option<NaiveDate>,
    #[serde(deserialize_with = "lenient")]
    pub reason: Option<ClosureReason>,
    #[serde(deserialize_with = "lenient_scores")]
    pub domains: Scores,
}

#[derive(Clone, Debug, Default, Deserialize)]
#[serde(default)]
pub struct HistoryEntry {
    #[serde(deserialize_with = "lenient_date")]
    pub date: Option<NaiveDate>,
    #[serde(deserialize_with = "lenient")]
    pub phase: Option<Phase>,
    #[serde(deserialize_with = "lenient")]
    pub by: Option<String>,
    #[serde(deserialize_with = "lenient")]
    pub approved_by: Option<String>,
}

impl Case {
    /// Reads the typed view of a case from its JSON value. Never fails.
    pub fn from_json(json: &Json) -> Case {
        if !json.is_object() {
            return Case::default();
        }
        Case::deserialize(json).unwrap_or_default()
    }

    /// Open means any phase but `closed`.
    pub fn is_open(&self) -> bool {
        self.phase != Some(Phase::Closed)
    }

    /// The plan's goals, or none.
    pub fn goals(&self) -> &[Goal] {
        self.plan.as_ref().map_or(&[], |p| &p.goals)
    }
}

/// The personal fields that listings and reports can show with `--include`.
pub const INCLUDABLE_IN_LISTINGS: &[&str] =
    &["client.name", "client.national_id", "client.birth_date"];

/// Parses a file date: ISO 8601 `YYYY-MM-DD`, and nothing looser.
pub fn parse_date(s: &str) -> Option<NaiveDate> {
    let b = s.as_bytes();
    let shaped = b.len() == 10
        && b[4] == b'-'
        && b[7] == b'-'
        && b.iter()
            .enumerate()
            .all(|(i, c)| i == 4 || i == 7 || c.is_ascii_digit());
    if !shaped {
        return None;
    }
    NaiveDate::parse_from_str(s, "%Y-%m-%d").ok()
}

fn lenient<'de, D: Deserializer<'de>, T: DeserializeOwned>(d: D) -> Result<Option<T>, D::Error> {
    Ok(T::deserialize(Json::deserialize(d)?).ok())
}

fn lenient_date<'de, D: Deserializer<'de>>(d: D) -> Result<Option<NaiveDate>, D::Error> {
    Ok(match Json::deserialize(d)? {
        Json::String(s) => parse_date(&s),
        _ => None,
    })
}

/// A list of names; items that are not text are left out.
fn lenient_strings<'de, D: Deserializer<'de>>(d: D) -> Result<Vec<String>, D::Error> {
    Ok(match Json::deserialize(d)? {
        Json::Array(items) => items
            .into_iter()
            .filter_map(|v| v.as_str().map(str::to_string))
            .collect(),
        _ => Vec::new(),
    })
}

/// A section of the case: read only from a mapping (serde would also read a list by position).
fn lenient_record<'de, D, T>(d: D) -> Result<Option<T>, D::Error>
where
    D: Deserializer<'de>,
    T: DeserializeOwned,
{
    Ok(match Json::deserialize(d)? {
        v @ Json::Object(_) => T::deserialize(v).ok(),
        _ => None,
    })
}

/// A list of records; an item that is not a mapping is kept as an empty record, so that the
/// others keep their index.
fn lenient_records<'de, D, T>(d: D) -> Result<Vec<T>, D::Error>
where
    D: Deserializer<'de>,
    T: DeserializeOwned + Default,
{
    Ok(match Json::deserialize(d)? {
        Json::Array(items) => items
            .into_iter()
            .map(|v| match v {
                Json::Object(_) => T::deserialize(v).unwrap_or_default(),
                _ => T::default(),
            })
            .collect(),
        _ => Vec::new(),
    })
}

fn lenient_scores<'de, D: Deserializer<'de>>(d: D) -> Result<Scores, D::Error> {
    Ok(match Json::deserialize(d)? {
        Json::Object(map) => map
            .into_iter()
            .filter_map(|(k, v)| v.as_i64().map(|n| (k, n)))
            .collect(),
        _ => Scores::new(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn wrong_types_become_none_and_keep_the_rest() {
        let case = Case::from_json(&json!({
            "id": "THR-2026-0001",
            "risk": "hgih",
            "opened": "2026-02-30",
            "services": [{"id": "S1"}, 7, {"id": "S3", "goal": "G1"}],
        }));
        assert_eq!(case.id.as_deref(), Some("THR-2026-0001"));
        assert_eq!(case.risk, None);
        assert_eq!(case.opened, None);
        assert_eq!(case.services.len(), 3);
        assert_eq!(case.services[2].goal.as_deref(), Some("G1"));
    }

    #[test]
    fn a_list_is_not_read_as_a_record_by_position() {
        let case = Case::from_json(&json!({
            "client": ["Maryam", "female"],
            "history": [["2026-01-01", "intake"], {"phase": "assessment"}],
        }));
        assert!(case.client.is_none());
        assert_eq!(case.history.len(), 2);
        assert_eq!(case.history[0].phase, None);
        assert_eq!(case.history[1].phase, Some(Phase::Assessment));
        assert!(
            Case::from_json(&json!(["CM-2026-0001", "general"]))
                .id
                .is_none()
        );
    }

    #[test]
    fn dates_are_strict_iso() {
        assert!(parse_date("2026-03-02").is_some());
        assert!(parse_date("2026-3-2").is_none());
        assert!(parse_date("2026-02-29").is_none());
        assert!(parse_date("2024-02-29").is_some());
    }
}
