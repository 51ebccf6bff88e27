//! The records of a case — the case itself, its client, consent, assessment, plan and goals,
//! services, reviews, closure and history — as the rules see them, and how their dates are
//! kept in the cache.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use super::names::{
    ClosureReason, ConsentDecision, ContactType, DeclineReason, GoalStatus, Phase, Program, Risk,
    ServiceStatus, Sex,
};
use super::scores::Scores;

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
    /// The contact log, append-only, in date order.
    pub contacts: Vec<Contact>,
    /// Changes of the risk between reviews, in date order.
    pub risk_changes: Vec<RiskChange>,
    pub closure: Option<Closure>,
    /// The earlier episodes of a reopened case, oldest first (`cm reopen` writes them).
    pub episodes: Vec<PastEpisode>,
    pub history: Vec<HistoryEntry>,
    pub transfers: Vec<Transfer>,
}

#[derive(Clone, Debug, Default, Serialize, Deserialize)]
pub struct Client {
    pub name: Option<String>,
    pub sex: Option<Sex>,
    #[serde(with = "days")]
    pub birth_date: Option<NaiveDate>,
    pub national_id: Option<String>,
}

/// The client's consent: the first decision (`given`, `date`, `share_with`), then every later
/// one (`updates`), in date order. The decision in force on a day is the latest made by then.
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
pub struct Consent {
    pub given: Option<bool>,
    #[serde(with = "days")]
    pub date: Option<NaiveDate>,
    pub share_with: Vec<String>,
    /// Who recorded it.
    pub by: Option<String>,
    pub updates: Vec<ConsentUpdate>,
}

/// A later decision about consent: `{date, decision, share_with?, by, note?}`.
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
pub struct ConsentUpdate {
    #[serde(with = "days")]
    pub date: Option<NaiveDate>,
    pub decision: Option<ConsentDecision>,
    /// The organisations a `given` decision allows sharing with (all of them, not a change).
    pub share_with: Vec<String>,
    pub by: Option<String>,
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
    /// The day the goal was added to a plan made before it; `None`: it dates from the plan.
    #[serde(with = "days")]
    pub added: Option<NaiveDate>,
    /// Every change of status after the goal was set (`active`), in date order.
    pub updates: Vec<GoalUpdate>,
}

/// A dated change of a goal's status: `{date, status, by, reason?, note?}` (`reason` and `note`
/// are personal and not read).
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
pub struct GoalUpdate {
    #[serde(with = "days")]
    pub date: Option<NaiveDate>,
    pub status: Option<GoalStatus>,
    pub by: Option<String>,
}

#[derive(Clone, Debug, Default, Serialize, Deserialize)]
pub struct Service {
    pub id: Option<String>,
    pub goal: Option<String>,
    pub kind: Option<String>,
    pub provider: Option<String>,
    #[serde(with = "days")]
    pub referred: Option<NaiveDate>,
    /// Who made the referral.
    pub by: Option<String>,
    pub status: Option<ServiceStatus>,
    #[serde(with = "days")]
    pub ended: Option<NaiveDate>,
    pub cost: Option<f64>,
    /// Every change of status after `referred`, in date order.
    pub updates: Vec<ServiceUpdate>,
}

/// A dated change of a service's status: `{date, status, by, reason?, note?}`.
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
pub struct ServiceUpdate {
    #[serde(with = "days")]
    pub date: Option<NaiveDate>,
    pub status: Option<ServiceStatus>,
    pub by: Option<String>,
    /// Why the provider declined (with `declined` only).
    pub reason: Option<DeclineReason>,
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

/// A contact with the client or about the case: `{date, type, by, with?, note?}` (`with` and
/// `note` are personal and not read).
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
pub struct Contact {
    #[serde(with = "days")]
    pub date: Option<NaiveDate>,
    pub kind: Option<ContactType>,
    pub by: Option<String>,
}

#[derive(Clone, Debug, Default, Serialize, Deserialize)]
pub struct Closure {
    #[serde(with = "days")]
    pub date: Option<NaiveDate>,
    pub reason: Option<ClosureReason>,
    pub domains: Scores,
}

/// An earlier episode of a reopened case: the day it was opened (the date of its intake entry)
/// and the closure that ended it.
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
pub struct PastEpisode {
    #[serde(with = "days")]
    pub opened: Option<NaiveDate>,
    pub closure: Option<Closure>,
}

#[derive(Clone, Debug, Default, Serialize, Deserialize)]
pub struct HistoryEntry {
    #[serde(with = "days")]
    pub date: Option<NaiveDate>,
    pub phase: Option<Phase>,
    pub by: Option<String>,
    /// The risk decided when the phase was entered (the risk at intake, also at a reopening).
    pub risk: Option<Risk>,
    pub approved_by: Option<String>,
}

/// A change of the risk between reviews: `{date, risk, by, note?}`.
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
pub struct RiskChange {
    #[serde(with = "days")]
    pub date: Option<NaiveDate>,
    pub risk: Option<Risk>,
    pub by: Option<String>,
}

/// One change of caseworker (its `reason` is personal text, which no reader needs typed).
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
pub struct Transfer {
    #[serde(with = "days")]
    pub date: Option<NaiveDate>,
    pub from: Option<String>,
    pub to: Option<String>,
    pub by: Option<String>,
    pub approved_by: Option<String>,
}

impl Case {
    /// Open means any phase but `closed`.
    pub fn is_open(&self) -> bool {
        self.phase != Some(Phase::Closed)
    }

    /// The plan's goals, or none.
    pub fn goals(&self) -> &[Goal] {
        self.plan.as_ref().map_or(&[], |p| &p.goals)
    }

    /// The day `goal` was set: its `added`, else the plan's date.
    pub fn goal_start(&self, goal: &Goal) -> Option<NaiveDate> {
        goal.added
            .or_else(|| self.plan.as_ref().and_then(|p| p.date))
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
