//! The typed case the rules, listings and reports read.
//!
//! It is derived from the same tree the schema checks, but leniently: a field that is missing or
//! of the wrong type becomes `None` (or is left out of a list), because the schema has already
//! reported it, and the meaning rules should still check everything else. List items keep their
//! index, so a rule about `services[1]` names the item the file has at that place.

use chrono::NaiveDate;
use cm_base::calendar::parse_iso;
use serde::{Deserialize, Serialize};
use serde_json::Value as Json;

cm_base::names!(
    /// The programs an agency runs.
    pub Program {
        ChildProtection = "child-protection",
        Disability = "disability",
        FemaleHeadedHousehold = "female-headed-household",
        OlderPerson = "older-person",
        General = "general",
    }
);

cm_base::names!(
    /// The current risk of harm; it sets the review interval.
    pub Risk {
        Low = "low",
        Medium = "medium",
        High = "high",
        Critical = "critical",
    }
);

cm_base::names!(
    /// The six phases of case management, in their one allowed order.
    pub Phase {
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

cm_base::names!(
    /// `client.sex`.
    pub Sex {
        Female = "female",
        Male = "male",
        Other = "other",
        Unknown = "unknown",
    }
);

cm_base::names!(
    /// Where a goal stands.
    pub GoalStatus {
        Active = "active",
        Achieved = "achieved",
        PartlyAchieved = "partly-achieved",
        NotAchieved = "not-achieved",
        Dropped = "dropped",
    }
);

cm_base::names!(
    /// Where a referral or service stands.
    pub ServiceStatus {
        Referred = "referred",
        Accepted = "accepted",
        InProgress = "in-progress",
        Completed = "completed",
        Declined = "declined",
        Cancelled = "cancelled",
    }
);

cm_base::names!(
    /// Why a case was closed.
    pub ClosureReason {
        GoalsAchieved = "goals-achieved",
        Transferred = "transferred",
        ClientWithdrew = "client-withdrew",
        LostContact = "lost-contact",
        Moved = "moved",
        Deceased = "deceased",
        Other = "other",
    }
);

/// Domain name → score (1..5) or goal id → attainment (−2..+2), sorted by name like a map, in
/// one small vector: a review scores a handful, and a tree node per review would take more
/// memory than the rest of the case (listings keep every case in memory).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Scores(Vec<(String, i64)>);

impl Scores {
    pub fn new() -> Scores {
        Scores::default()
    }

    pub fn get(&self, name: &str) -> Option<&i64> {
        self.find(name).ok().map(|i| &self.0[i].1)
    }

    /// Sets the score of `name`, replacing the one it had.
    pub fn insert(&mut self, name: String, score: i64) {
        match self.find(&name) {
            Ok(i) => self.0[i].1 = score,
            Err(i) => self.0.insert(i, (name, score)),
        }
    }

    pub fn keys(&self) -> impl Iterator<Item = &String> {
        self.0.iter().map(|(k, _)| k)
    }

    pub fn iter(&self) -> impl Iterator<Item = (&String, &i64)> {
        self.0.iter().map(|(k, v)| (k, v))
    }

    pub fn len(&self) -> usize {
        self.0.len()
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    fn find(&self, name: &str) -> Result<usize, usize> {
        self.0.binary_search_by(|(k, _)| k.as_str().cmp(name))
    }
}

impl Extend<(String, i64)> for Scores {
    fn extend<I: IntoIterator<Item = (String, i64)>>(&mut self, items: I) {
        for (name, score) in items {
            self.insert(name, score);
        }
    }
}

impl FromIterator<(String, i64)> for Scores {
    fn from_iter<I: IntoIterator<Item = (String, i64)>>(items: I) -> Scores {
        let mut scores = Scores::new();
        scores.extend(items);
        scores.0.shrink_to_fit();
        scores
    }
}

impl<'a> IntoIterator for &'a Scores {
    type Item = (&'a String, &'a i64);
    type IntoIter = std::iter::Map<
        std::slice::Iter<'a, (String, i64)>,
        fn(&'a (String, i64)) -> (&'a String, &'a i64),
    >;
    fn into_iter(self) -> Self::IntoIter {
        self.0.iter().map(|(k, v)| (k, v))
    }
}

/// A case as the rules see it. Every field is optional here; the schema says which are required.
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
pub struct Case {
    pub id: Option<String>,
    pub program: Option<Program>,
    #[serde(with = "days")]
    pub opened: Option<NaiveDate>,
    pub caseworker: Option<String>,
    pub risk: Option<Risk>,
    pub phase: Option<Phase>,
    pub client: Option<Client>,
    pub consent: Option<Consent>,
    pub assessment: Option<Assessment>,
    pub plan: Option<Plan>,
    pub services: Vec<Service>,
    pub reviews: Vec<Review>,
    pub closure: Option<Closure>,
    pub history: Vec<HistoryEntry>,
}

#[derive(Clone, Debug, Default, Serialize, Deserialize)]
pub struct Client {
    pub name: Option<String>,
    pub sex: Option<Sex>,
    #[serde(with = "days")]
    pub birth_date: Option<NaiveDate>,
    pub national_id: Option<String>,
}

#[derive(Clone, Debug, Default, Serialize, Deserialize)]
pub struct Consent {
    pub given: Option<bool>,
    #[serde(with = "days")]
    pub date: Option<NaiveDate>,
    pub share_with: Vec<String>,
}

#[derive(Clone, Debug, Default, Serialize, Deserialize)]
pub struct Assessment {
    #[serde(with = "days")]
    pub date: Option<NaiveDate>,
    pub domains: Scores,
}

#[derive(Clone, Debug, Default, Serialize, Deserialize)]
pub struct Plan {
    #[serde(with = "days")]
    pub date: Option<NaiveDate>,
    pub goals: Vec<Goal>,
}

#[derive(Clone, Debug, Default, Serialize, Deserialize)]
pub struct Goal {
    pub id: Option<String>,
    pub domain: Option<String>,
    #[serde(with = "days")]
    pub target_date: Option<NaiveDate>,
    pub weight: Option<f64>,
    pub status: Option<GoalStatus>,
}

#[derive(Clone, Debug, Default, Serialize, Deserialize)]
pub struct Service {
    pub id: Option<String>,
    pub goal: Option<String>,
    pub kind: Option<String>,
    #[serde(with = "days")]
    pub referred: Option<NaiveDate>,
    pub status: Option<ServiceStatus>,
    #[serde(with = "days")]
    pub ended: Option<NaiveDate>,
    pub cost: Option<f64>,
}

#[derive(Clone, Debug, Default, Serialize, Deserialize)]
pub struct Review {
    #[serde(with = "days")]
    pub date: Option<NaiveDate>,
    pub by: Option<String>,
    pub domains: Scores,
    pub goals: Scores,
    pub risk: Option<Risk>,
    #[serde(with = "days")]
    pub next_due: Option<NaiveDate>,
}

#[derive(Clone, Debug, Default, Serialize, Deserialize)]
pub struct Closure {
    #[serde(with = "days")]
    pub date: Option<NaiveDate>,
    pub reason: Option<ClosureReason>,
    pub domains: Scores,
}

#[derive(Clone, Debug, Default, Serialize, Deserialize)]
pub struct HistoryEntry {
    #[serde(with = "days")]
    pub date: Option<NaiveDate>,
    pub phase: Option<Phase>,
    pub by: Option<String>,
    pub approved_by: Option<String>,
}

impl Case {
    /// Reads the typed view of a case from its JSON value. Never fails.
    pub fn from_json(json: &Json) -> Case {
        Case::read(json).unwrap_or_default()
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

/// Dates in the cache of typed cases: the number of days since 1 January of year 1, a few bytes
/// where the text would take eleven.
mod days {
    use chrono::{Datelike, NaiveDate};
    use serde::{Deserialize, Deserializer, Serialize, Serializer};

    pub fn serialize<S: Serializer>(date: &Option<NaiveDate>, s: S) -> Result<S::Ok, S::Error> {
        date.map(|d| d.num_days_from_ce()).serialize(s)
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Option<NaiveDate>, D::Error> {
        Option::<i32>::deserialize(d)?
            .map(|n| {
                NaiveDate::from_num_days_from_ce_opt(n)
                    .ok_or_else(|| serde::de::Error::custom("a day out of range"))
            })
            .transpose()
    }
}

/// Reading the typed case from its JSON, leniently: a value of the wrong type is `None` (or
/// left out of a list), since the schema has already reported it. Hand-written rather than
/// derived with serde, because serde's lenient path copies every sub-tree once per level, and
/// this runs on every case of every command.
trait Read: Sized {
    /// The value read from `json`, or `None` when it has another type.
    fn read(json: &Json) -> Option<Self>;
}

/// A field of a record, read from the value at its key (if any).
trait FieldValue: Sized {
    fn field(json: Option<&Json>) -> Self;
}

impl<T: Read> FieldValue for Option<T> {
    fn field(json: Option<&Json>) -> Self {
        json.and_then(T::read)
    }
}

/// Lists: an item of the wrong type is left out, except a record, which is kept empty so that
/// the others keep their index.
impl<T: ListItem> FieldValue for Vec<T> {
    fn field(json: Option<&Json>) -> Self {
        json.and_then(Json::as_array)
            .map(|items| items.iter().filter_map(T::item).collect())
            .unwrap_or_default()
    }
}

trait ListItem: Sized {
    fn item(json: &Json) -> Option<Self>;
}

impl ListItem for String {
    fn item(json: &Json) -> Option<Self> {
        String::read(json)
    }
}

/// Scores: the entries whose value is an integer.
/// A whole number as JSON Schema counts one: `4`, and `4.0` too (`integer` takes both), so
/// that a score the schema accepts is never dropped by the readers.
fn whole(value: &Json) -> Option<i64> {
    value.as_i64().or_else(|| {
        value
            .as_f64()
            .filter(|f| f.fract() == 0.0 && f.abs() < 1e15)
            .map(|f| f as i64)
    })
}

impl FieldValue for Scores {
    fn field(json: Option<&Json>) -> Self {
        json.and_then(Json::as_object)
            .map(|map| {
                map.iter()
                    .filter_map(|(k, v)| Some((k.clone(), whole(v)?)))
                    .collect()
            })
            .unwrap_or_default()
    }
}

/// The closed sets of names are read by their spelling.
macro_rules! read_names {
    ($($name:ident),+) => {$(
        impl Read for $name {
            fn read(json: &Json) -> Option<Self> {
                json.as_str()?.parse().ok()
            }
        }
    )+};
}

read_names!(
    Program,
    Risk,
    Phase,
    Sex,
    GoalStatus,
    ServiceStatus,
    ClosureReason
);

impl Read for String {
    fn read(json: &Json) -> Option<Self> {
        json.as_str().map(str::to_string)
    }
}

impl Read for bool {
    fn read(json: &Json) -> Option<Self> {
        json.as_bool()
    }
}

impl Read for f64 {
    fn read(json: &Json) -> Option<Self> {
        json.as_f64()
    }
}

impl Read for NaiveDate {
    fn read(json: &Json) -> Option<Self> {
        parse_iso(json.as_str()?)
    }
}

/// Declares how a record is read: each field from its key (`field = "key"` when they differ).
/// Only a mapping is a record.
macro_rules! record {
    ($name:ident { $($field:ident $(= $key:literal)?),+ $(,)? }) => {
        impl Read for $name {
            fn read(json: &Json) -> Option<Self> {
                let map = json.as_object()?;
                Some($name {
                    $($field: FieldValue::field(map.get(record!(@key $field $($key)?))),)+
                })
            }
        }

        impl ListItem for $name {
            fn item(json: &Json) -> Option<Self> {
                Some($name::read(json).unwrap_or_default())
            }
        }
    };
    (@key $field:ident) => { stringify!($field) };
    (@key $field:ident $key:literal) => { $key };
}

record!(Case {
    id,
    program,
    opened,
    caseworker,
    risk,
    phase,
    client,
    consent,
    assessment,
    plan,
    services,
    reviews,
    closure,
    history,
});
record!(Client {
    name,
    sex,
    birth_date,
    national_id
});
record!(Consent {
    given,
    date,
    share_with
});
record!(Assessment { date, domains });
record!(Plan { date, goals });
record!(Goal {
    id,
    domain,
    target_date,
    weight,
    status
});
record!(Service {
    id,
    goal,
    kind = "type",
    referred,
    status,
    ended,
    cost,
});
record!(Review {
    date,
    by,
    domains,
    goals,
    risk,
    next_due,
});
record!(Closure {
    date,
    reason,
    domains
});
record!(HistoryEntry {
    date,
    phase,
    by,
    approved_by,
});

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
}
