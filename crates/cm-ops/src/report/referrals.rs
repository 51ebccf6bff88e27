//! `cm report referrals`: how the referrals to each provider of the directory fared in a period —
//! made, accepted, declined (by reason), completed, cancelled, still waiting for an answer at its
//! end, and how long the answers and the completions took.
//!
//! Every figure is a dated fact inside the period: a referral by its `referred` date, an answer
//! or an outcome by the date of its update (`services[].updates`). A service whose status was
//! written without updates has no date for it, and counts only as a referral. Services whose
//! provider is not an id of the directory (or that name none) are counted together, as
//! `(free text)`: what they name is not shown.
//!
//! Each office's directory applies to its own cases' services; a provider is one row however
//! many offices list it. The services of an office whose directory is not known (read from an
//! export) are counted together too, as `(directory not known)`, and whether their answers came
//! within the response time cannot be computed.

use std::collections::BTreeMap;

use chrono::NaiveDate;

use super::outcomes::{Period, round};
use crate::output::{Cell, Table};
use cm_case::settings::Settings;
use cm_case::{Case, DeclineReason, Service, ServiceStatus};

/// The row of the services whose provider is not in the directory.
pub const FREE_TEXT: &str = "(free text)";

/// The row of the services of offices whose directory is not known.
pub const NO_DIRECTORY: &str = "(directory not known)";

/// Whether an answer came within the provider's `response_days`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Within {
    /// Within the time, or not.
    Limit(bool),
    /// The provider has no response time, or is not in the directory.
    NoLimit,
    /// The directory of the case's office is not known.
    Unknown,
}

/// Where a service is counted: under a provider of the directory, as free text, or among those
/// of an office whose directory is not known.
#[derive(Clone, Debug, Default, PartialEq, Eq, PartialOrd, Ord)]
enum Row {
    Provider(String),
    #[default]
    FreeText,
    NoDirectory,
}

/// The columns of the report: `provider, referrals, accepted, declined`, a `declined_<reason>`
/// for each reason, then `completed, cancelled, pending` and the times.
pub fn columns() -> Vec<String> {
    let mut columns: Vec<String> = ["provider", "referrals", "accepted", "declined"]
        .iter()
        .map(|c| c.to_string())
        .collect();
    columns.extend(DeclineReason::ALL.iter().map(|r| format!("declined_{r}")));
    columns.extend(
        [
            "completed",
            "cancelled",
            "pending",
            "median_days_to_answer",
            "median_days_to_complete",
            "answered_within_response_days",
        ]
        .iter()
        .map(|c| c.to_string()),
    );
    columns
}

/// What one service tells of the period: nothing personal, and nothing but dated facts.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Fact {
    provider: Row,
    referred: bool,
    accepted: bool,
    /// Declined in the period, and why.
    declined: Option<Option<DeclineReason>>,
    completed: bool,
    cancelled: bool,
    pending: bool,
    /// Days from the referral to its first update, when that answer is in the period; with
    /// whether it came within the provider's `response_days`, when it has them.
    answer: Option<(i64, Within)>,
    /// Days from the referral to its completion, when that is in the period.
    completion: Option<i64>,
}

impl Fact {
    fn is_empty(&self) -> bool {
        *self
            == Fact {
                provider: self.provider.clone(),
                ..Fact::default()
            }
    }
}

/// What the report keeps of `case`, of an office of `settings` (`None` when they are not
/// known): one fact for each of its services with something to tell of `period`.
pub fn keep(case: &Case, settings: Option<&Settings>, period: &Period) -> Vec<Fact> {
    case.services
        .iter()
        .map(|s| fact(s, settings, period))
        .filter(|f| !f.is_empty())
        .collect()
}

fn fact(service: &Service, settings: Option<&Settings>, period: &Period) -> Fact {
    let provider = match settings {
        None => Row::NoDirectory,
        Some(settings) => settings
            .provider_of(service)
            .map_or(Row::FreeText, |p| Row::Provider(p.id.clone())),
    };
    let inside = |d: Option<NaiveDate>| d.is_some_and(|d| period.contains(d));
    // The last update to `status` dated in the period (a service counts once per status).
    let to = |status: ServiceStatus| {
        service
            .updates
            .iter()
            .rev()
            .find(|u| u.status == Some(status) && inside(u.date))
    };
    let days_from_referral = |day: Option<NaiveDate>| Some((day? - service.referred?).num_days());
    let first = service.updates.iter().filter_map(|u| u.date).min();
    let answered_by_end = first.is_some_and(|d| d <= period.to);
    // Still waiting at the period's end: referred by then and no update by then. A service
    // written without updates is waiting only if its status says so (else it was answered,
    // on a day not recorded).
    let waiting = !service.updates.is_empty() || service.status == Some(ServiceStatus::Referred);
    Fact {
        provider,
        referred: inside(service.referred),
        accepted: to(ServiceStatus::Accepted).is_some(),
        declined: to(ServiceStatus::Declined).map(|u| u.reason),
        completed: to(ServiceStatus::Completed).is_some(),
        cancelled: to(ServiceStatus::Cancelled).is_some(),
        pending: service.referred.is_some_and(|r| r <= period.to) && !answered_by_end && waiting,
        answer: answer(service, settings, period),
        completion: to(ServiceStatus::Completed).and_then(|u| days_from_referral(u.date)),
    }
}

/// The answer to the referral of `service` when it is given in `period`: the days from the
/// referral to its first update (whatever that update says: accepted, declined, cancelled...),
/// with whether they are within the provider's `response_days` in the directory of `settings`.
/// `None` when the first update is not dated in the period.
pub fn answer(
    service: &Service,
    settings: Option<&Settings>,
    period: &Period,
) -> Option<(i64, Within)> {
    let first = service.updates.iter().filter_map(|u| u.date).min()?;
    if !period.contains(first) {
        return None;
    }
    let days = (first - service.referred?).num_days();
    let within = match settings {
        None => Within::Unknown,
        Some(settings) => settings
            .provider_of(service)
            .and_then(|p| p.response_days)
            .map_or(Within::NoLimit, |limit| {
                Within::Limit(days <= i64::from(limit))
            }),
    };
    Some((days, within))
}

/// The figures of one row.
#[derive(Default)]
struct Tally {
    referrals: i64,
    accepted: i64,
    declined: i64,
    by_reason: BTreeMap<DeclineReason, i64>,
    completed: i64,
    cancelled: i64,
    pending: i64,
    answers: Vec<i64>,
    /// Answers that could be held to a response time, and those within it.
    timed: i64,
    within: i64,
    /// Answers that could not be held to one: the directory was not known.
    untimed: bool,
    completions: Vec<i64>,
}

impl Tally {
    fn add(&mut self, fact: &Fact) {
        let n = |b: bool| i64::from(b);
        self.referrals += n(fact.referred);
        self.accepted += n(fact.accepted);
        if let Some(reason) = fact.declined {
            self.declined += 1;
            if let Some(reason) = reason {
                *self.by_reason.entry(reason).or_default() += 1;
            }
        }
        self.completed += n(fact.completed);
        self.cancelled += n(fact.cancelled);
        self.pending += n(fact.pending);
        if let Some((days, within)) = fact.answer {
            self.answers.push(days);
            match within {
                Within::Limit(within) => {
                    self.timed += 1;
                    self.within += n(within);
                }
                Within::NoLimit => {}
                Within::Unknown => self.untimed = true,
            }
        }
        self.completions.extend(fact.completion);
    }

    fn row(&self, provider: &str) -> Vec<Cell> {
        let mut cells: Vec<Cell> = vec![
            provider.into(),
            self.referrals.into(),
            self.accepted.into(),
            self.declined.into(),
        ];
        cells.extend(
            DeclineReason::ALL
                .iter()
                .map(|r| Cell::Int(self.by_reason.get(r).copied().unwrap_or(0))),
        );
        let share = (self.timed > 0).then(|| self.within as f64 / self.timed as f64);
        cells.extend([
            self.completed.into(),
            self.cancelled.into(),
            self.pending.into(),
            decimal(median(&self.answers), 1),
            decimal(median(&self.completions), 1),
            if self.untimed {
                Cell::Unknown
            } else {
                decimal(share, 2)
            },
        ]);
        cells
    }
}

/// `x` rounded to `places` decimals, or an empty cell (not applicable) without one.
pub fn decimal(x: Option<f64>, places: usize) -> Cell {
    x.map_or(Cell::Empty, |x| {
        Cell::Decimal(round(x, places as i32), places)
    })
}

/// The median of `values`: the middle one, or the mean of the two middle ones; `None` when there
/// are none.
pub fn median(values: &[i64]) -> Option<f64> {
    let mut sorted = values.to_vec();
    sorted.sort_unstable();
    let n = sorted.len();
    match n {
        0 => None,
        _ if n % 2 == 1 => Some(sorted[n / 2] as f64),
        _ => Some((sorted[n / 2 - 1] as f64 + sorted[n / 2] as f64) / 2.0),
    }
}

/// One row per provider of the directories with something to tell of the period, in the
/// directories' order (of the first office that lists it); then `(free text)` and `(directory
/// not known)`, when their services have; then `total`.
pub fn table<'a>(
    facts: impl IntoIterator<Item = Fact>,
    directories: impl IntoIterator<Item = &'a Settings>,
) -> Table {
    let mut by_provider: BTreeMap<Row, Tally> = BTreeMap::new();
    let mut total = Tally::default();
    for fact in facts {
        total.add(&fact);
        by_provider
            .entry(fact.provider.clone())
            .or_default()
            .add(&fact);
    }
    let header = columns();
    let mut table = Table::with_header(header);
    for provider in directories.into_iter().flat_map(|s| &s.providers) {
        // The directory's first entry of an id is the one it knows.
        if let Some(tally) = by_provider.remove(&Row::Provider(provider.id.clone())) {
            table.push(tally.row(&provider.id));
        }
    }
    for (row, name) in [(Row::FreeText, FREE_TEXT), (Row::NoDirectory, NO_DIRECTORY)] {
        if let Some(tally) = by_provider.remove(&row) {
            table.push(tally.row(name));
        }
    }
    table.push(total.row("total"));
    table
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn day(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    fn settings() -> Settings {
        Settings::parse(
            "[[providers]]\nid = \"p\"\nresponse_days = 3\n\n\
             [[providers]]\nid = \"q\"\n",
            std::path::Path::new("cm.toml"),
        )
        .unwrap()
    }

    fn rows(table: &Table) -> Vec<Vec<String>> {
        table
            .rows
            .iter()
            .map(|r| {
                r.iter()
                    .map(|c| match c {
                        Cell::Int(n) => n.to_string(),
                        Cell::Text(s) => s.clone(),
                        Cell::Decimal(x, places) => format!("{x:.places$}"),
                        _ => String::new(),
                    })
                    .collect()
            })
            .collect()
    }

    #[test]
    fn medians_of_odd_and_even_counts_and_of_none() {
        assert_eq!(median(&[]), None);
        assert_eq!(median(&[7, 1, 3]), Some(3.0));
        assert_eq!(median(&[4, 1, 8, 3]), Some(3.5));
    }

    #[test]
    fn only_facts_dated_in_the_period_count() {
        let up = |date: &str, status: &str| json!({"date": date, "status": status, "by": "a"});
        let case = Case::from_json(&json!({"services": [
            // Referred before the period, answered in it after 4 days (p answers in 3), then
            // completed in it after 9.
            {"id": "S1", "provider": "p", "referred": "2026-02-26", "status": "completed",
             "updates": [up("2026-03-02", "accepted"), up("2026-03-07", "completed")]},
            // Referred in the period, answered after 2 days: within.
            {"id": "S2", "provider": "p", "referred": "2026-03-10", "status": "declined",
             "updates": [{"date": "2026-03-12", "status": "declined", "by": "a",
                          "reason": "not-eligible"}]},
            // Referred in the period, answered after it: waiting at its end.
            {"id": "S3", "provider": "p", "referred": "2026-03-20", "status": "accepted",
             "updates": [up("2026-04-02", "accepted")]},
            // Everything before the period: nothing to tell.
            {"id": "S4", "provider": "q", "referred": "2026-01-01", "status": "cancelled",
             "updates": [up("2026-01-05", "cancelled")]},
            // Written before updates were kept: a referral, not waiting.
            {"id": "S5", "provider": "elsewhere", "referred": "2026-03-03",
             "status": "completed"},
            // Referred after the period.
            {"id": "S6", "referred": "2026-04-02", "status": "referred"},
        ]}));
        let period = Period {
            from: Some(day("2026-03-01")),
            to: day("2026-03-31"),
        };
        let facts = keep(&case, Some(&settings()), &period);
        assert_eq!(facts.len(), 4, "{facts:#?}");
        let table = table(facts, [&settings()]);
        assert_eq!(table.header.len(), 4 + 7 + 6);
        assert_eq!(
            rows(&table),
            [
                // Answers after 4 and 2 days: median 3, one of two within 3 days.
                [
                    "p", "2", "1", "1", "0", "0", "1", "0", "0", "0", "0", "1", "0", "1", "3.0",
                    "9.0", "0.50"
                ],
                [
                    "(free text)",
                    "1",
                    "0",
                    "0",
                    "0",
                    "0",
                    "0",
                    "0",
                    "0",
                    "0",
                    "0",
                    "0",
                    "0",
                    "0",
                    "",
                    "",
                    ""
                ],
                [
                    "total", "3", "1", "1", "0", "0", "1", "0", "0", "0", "0", "1", "0", "1",
                    "3.0", "9.0", "0.50"
                ],
            ]
        );
    }

    #[test]
    fn an_empty_period_has_a_total_of_zeros_and_no_medians() {
        let period = Period {
            from: None,
            to: day("2026-03-31"),
        };
        let table = table(
            keep(&Case::default(), Some(&settings()), &period),
            [&settings()],
        );
        assert_eq!(table.rows.len(), 1);
        assert_eq!(table.rows[0][0], Cell::from("total"));
        assert_eq!(table.rows[0][1], Cell::Int(0));
        assert!(table.rows[0][14..].iter().all(|c| *c == Cell::Empty));
    }
}
