//! The records of a case — the case itself, its client, consent, assessment, plan and goals,
//! services, reviews, closure and history — as the rules see them, and how their dates are
//! kept in the cache.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use super::names::{
    ClosureReason, ConsentDecision, ContactType, DeclineReason, GoalStatus, Phase, Program,
    Relation, Risk, ServiceStatus, Sex,
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
    /// The household the client belongs to (`HH-…`), shared by the cases of one family.
    pub household: Option<String>,
    /// The cases of relatives.
    pub links: Vec<Link>,
    /// Cases confirmed to be of other people (`possible-duplicate` is not reported for them).
    pub not_duplicate_of: Vec<String>,
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
    /// The year of birth, when the date is not known.
    pub birth_year: Option<i32>,
    pub national_id: Option<String>,
    pub phone: Option<String>,
}

impl Client {
    /// The year of birth: of the date when known, else `birth_year`.
    pub fn year_of_birth(&self) -> Option<i32> {
        use chrono::Datelike;
        self.birth_date.map(|d| d.year()).or(self.birth_year)
    }
}

/// A link to the case of a relative: `{case, relation}`.
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
pub struct Link {
    pub case: Option<String>,
    /// What the linked case's client is to this case's client.
    pub relation: Option<Relation>,
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
    /// The office the case went to, closed here as `transferred`.
    pub to_office: Option<String>,
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
    /// The office the case came from, on the transfer that brought it here.
    pub from_office: Option<String>,
}

impl Case {
    /// The day the case came to this office from another (`cm transfer --office`): the date of
    /// the last transfer that names the office it came from. Its entries dated before it were
    /// recorded there, and it is not this office's case before it.
    pub fn arrived(&self) -> Option<NaiveDate> {
        self.transfers
            .iter()
            .filter(|t| t.from_office.is_some())
            .filter_map(|t| t.date)
            .max()
    }

    /// Whether an entry dated `date` may have been recorded in the office the case came from: by
    /// the day of its arrival here (see [`Case::arrived`]; that day's entries may be of either).
    /// This office's settings do not hold such entries.
    pub fn recorded_elsewhere(&self, date: Option<NaiveDate>) -> bool {
        match (self.arrived(), date) {
            (Some(arrived), Some(date)) => date <= arrived,
            _ => false,
        }
    }

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

/// How much of each case a reader reads.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Depth {
    /// The whole case.
    Whole,
    /// Only its head: its first fields, up to the client and the cases it is linked to, every
    /// later one empty (see [`Case::head`]). Reading 100,000 heads from the cache takes a
    /// fraction of the time the whole cases take.
    Head,
}

/// The head of a case: its first fields, up to its client and the cases it is linked to — what
/// finding a client and comparing clients read. Its fields are the first fields of [`Case`], in
/// the same order, so that the head is read from the start of a case's bytes in the cache
/// without reading the rest (a test holds them together).
#[derive(Deserialize)]
struct Head {
    id: Option<String>,
    program: Option<Program>,
    #[serde(with = "days")]
    opened: Option<NaiveDate>,
    caseworker: Option<String>,
    risk: Option<Risk>,
    phase: Option<Phase>,
    client: Option<Client>,
    household: Option<String>,
    links: Vec<Link>,
    not_duplicate_of: Vec<String>,
}

impl Case {
    /// The case whose bytes in the cache are `bytes`, read only up to its head (see [`Head`]):
    /// every later field is empty.
    pub fn head_from_cache(bytes: &[u8]) -> Result<Case, postcard::Error> {
        let head: Head = postcard::from_bytes(bytes)?;
        Ok(Case {
            id: head.id,
            program: head.program,
            opened: head.opened,
            caseworker: head.caseworker,
            risk: head.risk,
            phase: head.phase,
            client: head.client,
            household: head.household,
            links: head.links,
            not_duplicate_of: head.not_duplicate_of,
            ..Case::default()
        })
    }

    /// This case cut to its head, as [`Case::head_from_cache`] reads it.
    pub fn head(self) -> Case {
        Case {
            id: self.id,
            program: self.program,
            opened: self.opened,
            caseworker: self.caseworker,
            risk: self.risk,
            phase: self.phase,
            client: self.client,
            household: self.household,
            links: self.links,
            not_duplicate_of: self.not_duplicate_of,
            ..Case::default()
        }
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

#[cfg(test)]
mod tests {
    use super::*;

    /// The head read from a whole case's bytes in the cache is the case cut to its head: the
    /// head's fields are the case's first fields, in order.
    #[test]
    fn the_head_is_read_from_the_start_of_a_whole_case() {
        let text = "id: THR-2026-0001\nprogram: general\nopened: 2026-01-05\ncaseworker: s.ahmadi\n\
            risk: low\nphase: intake\nclient: {name: مریم رضایی, sex: female, birth_year: 1980, \
            national_id: \"0012345678\", phone: \"+98 912 000 0000\"}\nhousehold: HH-0001\n\
            links: [{case: THR-2026-0002, relation: child}]\nnot_duplicate_of: [THR-2026-0003]\n\
            consent: {given: true, date: 2026-01-05, by: s.ahmadi}\n\
            history: [{date: 2026-01-05, phase: intake, by: s.ahmadi, risk: low}]\n";
        let case = crate::parse(text.to_string(), "THR-2026-0001.yaml")
            .unwrap()
            .case;
        let bytes = postcard::to_stdvec(&case).unwrap();
        let head = Case::head_from_cache(&bytes).unwrap();
        assert_eq!(format!("{head:?}"), format!("{:?}", case.clone().head()));
        assert_eq!(head.links[0].relation, Some(Relation::Child));
        assert_eq!(
            head.client.unwrap().phone.as_deref(),
            Some("+98 912 000 0000")
        );
        assert!(head.consent.is_none() && head.history.is_empty());
        assert!(case.consent.is_some() && !case.history.is_empty());
    }
}
