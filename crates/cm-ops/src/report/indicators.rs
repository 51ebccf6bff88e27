//! `cm report indicators` (alias `kpi`): the few figures a funder asks of a case-management
//! service — how long cases take, how loaded the caseworkers are, whether assessments, plans,
//! reviews and referral answers come on time, whether consent is in force, and what the closed
//! cases achieved — as `indicator,value,cases` rows.
//!
//! A pure function of the cases as they stood at the end of the period (each read through
//! [`view::as_of`] on its last day by the caller, so that a fact dated later never counts), the
//! settings and the period. `cases` is the number of items a value is computed over (episodes,
//! caseworkers, assessments, plans, reviews, answers, open cases, goals, closures): a count is 0
//! when there is nothing to count, but a median, share or mean is then empty ("not applicable"),
//! never 0. Shares run from 0 to 1 with 2 decimals and medians of days have 1 decimal, as in
//! `cm report referrals`. No case id, caseworker id or personal field appears: only aggregates.
//!
//! The definitions, each with its formula, are in docs/monthly-reporting.md ("Indicators").

use std::collections::BTreeMap;

use chrono::{Days, NaiveDate};

use super::outcomes::{self, Period};
use super::referrals::{self, Within, decimal, median};
use super::{Held, Office};
use crate::monitor::{self, Kind};
use crate::output::{Cell, Table};
use cm_case::settings::Settings;
use cm_case::view::{self, Episode};
use cm_case::{Case, Closure, GoalStatus};

/// The columns of the report.
pub const COLUMNS: &[&str] = &["indicator", "value", "cases"];

/// The bins of the days from opening to closure (Primero's): `(label, first day, last day)`.
pub const CLOSURE_BINS: &[(&str, i64, Option<i64>)] = &[
    ("0-30", 0, Some(30)),
    ("31-90", 31, Some(90)),
    ("91-180", 91, Some(180)),
    ("181+", 181, None),
];

/// The bins of the open cases a caseworker holds: `(label, fewest, most)`.
pub const CASELOAD_BINS: &[(&str, i64, Option<i64>)] = &[
    ("0-9", 0, Some(9)),
    ("10-19", 10, Some(19)),
    ("20-29", 20, Some(29)),
    ("30+", 30, None),
];

/// How many of `values` fall in each of `bins`, in their order (a value below every bin is in
/// none).
pub fn binned(values: &[i64], bins: &[(&str, i64, Option<i64>)]) -> Vec<i64> {
    bins.iter()
        .map(|(_, low, high)| {
            values
                .iter()
                .filter(|v| **v >= *low && high.is_none_or(|h| **v <= h))
                .count() as i64
        })
        .collect()
}

/// The share of `true` among `values`, `None` when there are none.
pub fn share(values: &[bool]) -> Option<f64> {
    (!values.is_empty()).then(|| values.iter().filter(|v| **v).count() as f64 / values.len() as f64)
}

/// The mean of `values`, `None` when there are none.
pub fn mean(values: &[f64]) -> Option<f64> {
    (!values.is_empty()).then(|| values.iter().sum::<f64>() / values.len() as f64)
}

/// The episode of `case` in which `day` falls: the last one started by then.
fn episode_of(episodes: &[Episode], day: NaiveDate) -> Option<&Episode> {
    episodes.iter().rev().find(|e| e.start <= day)
}

/// The rows of the indicators of `period`, over `held` cases as they stood on its last day (see
/// [`view::as_of`]), of `offices`: each office's deadlines, roster and directory apply to its own
/// cases, and a figure that needs those of an office that are not known is unknown.
pub fn table(held: &[Held], offices: &[Office], period: &Period) -> Table {
    of_parts(held.iter().map(|h| part(*h, period)), offices)
}

/// What one case adds to the indicators of a period: made as it is read, so that the indicators
/// of 100,000 cases hold these, not the cases.
#[derive(Clone, Debug, Default)]
pub struct Part {
    /// The days from opening to closure of its episodes closed in the period.
    days_to_closure: Vec<i64>,
    /// Open on the last day, and then held by this caseworker of this office.
    held_by: Option<(String, String)>,
    /// The days to its assessment and to its plan made in the period, each with its office's
    /// deadline (if known).
    to_assessment: Option<(i64, Option<u32>)>,
    to_plan: Option<(i64, Option<u32>)>,
    /// Whether each of its reviews held in the period was on time; `None` when its office's
    /// settings are not known.
    on_time: Option<Vec<bool>>,
    /// The answers to its referrals given in the period.
    answers: Vec<(i64, Within)>,
    /// Open on the last day with consent in force then.
    consent: Option<bool>,
    /// What its closures dated in the period achieved.
    goals: Vec<Option<GoalStatus>>,
    tscores: Vec<f64>,
    changes: Vec<f64>,
}

/// What `held` (as it stood on the last day of `period`) adds to its indicators.
pub fn part(held: Held, period: &Period) -> Part {
    let case = held.case;
    let inside = |d: Option<NaiveDate>| d.is_some_and(|d| period.contains(d));
    let episodes = view::episodes(case);
    let open = case.is_open();
    // The days to the assessment and to the plan, as `cm overdue` counts them.
    let deadlines = held.settings().map(|s| &s.deadlines);
    let assessed = case.assessment.as_ref().and_then(|a| a.date);
    let to_assessment = assessed
        .filter(|d| period.contains(*d))
        .and_then(|day| Some((day, episode_of(&episodes, day)?)))
        .map(|(day, episode)| {
            (
                (day - episode.start).num_days(),
                deadlines.map(|d| d.assessment),
            )
        });
    let to_plan = (case.plan.as_ref().and_then(|p| p.date))
        .filter(|d| period.contains(*d))
        .and_then(|day| Some((day, episode_of(&episodes, day)?)))
        .map(|(day, episode)| {
            // From the assessment of the same episode, else from its opening.
            let from = assessed
                .filter(|a| *a >= episode.start && *a <= day)
                .unwrap_or(episode.start);
            ((day - from).num_days(), deadlines.map(|d| d.plan))
        });
    // Reviews on time: by the day `cm overdue` gave the review as due the day before.
    let reviews: Vec<NaiveDate> = case
        .reviews
        .iter()
        .filter_map(|r| r.date)
        .filter(|d| inside(Some(*d)))
        .collect();
    let on_time = match held.settings() {
        Some(settings) => Some(
            reviews
                .iter()
                .filter_map(|day| review_on_time(case, settings, *day))
                .collect(),
        ),
        None if reviews.is_empty() => Some(Vec::new()),
        None => None,
    };
    // What the closures dated in the period achieved, each read as the case stood on the day
    // of its closure.
    let closures: Vec<&Closure> = view::closures(case).filter(|cl| inside(cl.date)).collect();
    let mut goals = Vec::new();
    let mut tscores = Vec::new();
    for closure in &closures {
        let Some(then) = closure.date.and_then(|d| view::as_of(case, d)) else {
            continue;
        };
        goals.extend(then.goals().iter().map(|g| g.status));
        tscores.extend(outcomes::gas_tscore(&outcomes::scored_goals(&then)));
    }
    Part {
        days_to_closure: episodes
            .iter()
            .filter_map(|e| {
                e.end
                    .filter(|d| period.contains(*d))
                    .map(|end| (end - e.start).num_days())
            })
            .collect(),
        held_by: open
            .then(|| view::caseworker_on(case, period.to))
            .flatten()
            .map(|who| (held.office.name.clone(), who.to_string())),
        to_assessment,
        to_plan,
        on_time,
        answers: (case.services.iter())
            .filter_map(|s| referrals::answer(s, held.settings(), period))
            .collect(),
        consent: open.then(|| view::consent_on(case, period.to).is_some_and(|x| x.is_given())),
        goals,
        tscores,
        changes: closures
            .iter()
            .filter_map(|cl| outcomes::mean_change_at(case, cl))
            .collect(),
    }
}

/// The indicators made of the `parts` of every case, of `offices`.
pub fn of_parts(parts: impl IntoIterator<Item = Part>, offices: &[Office]) -> Table {
    let parts: Vec<Part> = parts.into_iter().collect();
    let mut table = Table::new(COLUMNS);
    // An unknown value is over an unknown number of items.
    let mut add = |indicator: String, value: Cell, n: usize| {
        let n = match value {
            Cell::Unknown => Cell::Unknown,
            _ => Cell::Int(n as i64),
        };
        table.push(vec![indicator.into(), value, n]);
    };

    // 1. Days from opening to closure of the episodes closed in the period.
    let days_to_closure: Vec<i64> = parts
        .iter()
        .flat_map(|p| p.days_to_closure.iter().copied())
        .collect();
    let n = days_to_closure.len();
    add(
        "days_to_closure.median".into(),
        decimal(median(&days_to_closure), 1),
        n,
    );
    for ((label, ..), count) in CLOSURE_BINS
        .iter()
        .zip(binned(&days_to_closure, CLOSURE_BINS))
    {
        add(format!("days_to_closure.{label}"), Cell::Int(count), n);
    }

    // 2. Open cases per caseworker of each office on the last day: every caseworker of its
    // roster but the supervisors, and anyone holding an open case then. Unknown when a roster
    // is: its caseworkers without cases would be missed.
    let mut loads: BTreeMap<(&str, &str), i64> = BTreeMap::new();
    for office in offices {
        for c in office.settings.iter().flat_map(|s| &s.caseworkers) {
            if !c.supervisor {
                loads.insert((&office.name, &c.id), 0);
            }
        }
    }
    for (office, who) in parts.iter().filter_map(|p| p.held_by.as_ref()) {
        *loads.entry((office, who)).or_default() += 1;
    }
    let loads: Vec<i64> = loads.into_values().collect();
    let rosters_known = offices.iter().all(|o| o.settings.is_some());
    for ((label, ..), count) in CASELOAD_BINS.iter().zip(binned(&loads, CASELOAD_BINS)) {
        let indicator = format!("caseworkers_by_open_cases.{label}");
        let value = match rosters_known {
            true => Cell::Int(count),
            false => Cell::Unknown,
        };
        add(indicator, value, loads.len());
    }

    // 3. Days from the opening of the episode to the assessment, and from the assessment to
    // the plan, each with its office's deadline (if known).
    let to_assessment: Vec<(i64, Option<u32>)> =
        parts.iter().filter_map(|p| p.to_assessment).collect();
    let to_plan: Vec<(i64, Option<u32>)> = parts.iter().filter_map(|p| p.to_plan).collect();
    let days = |timed: &[(i64, Option<u32>)]| timed.iter().map(|(d, _)| *d).collect::<Vec<_>>();
    // Unknown when the deadline of one of them is.
    let within = |timed: &[(i64, Option<u32>)]| -> Cell {
        let on_time: Option<Vec<bool>> = timed
            .iter()
            .map(|(d, limit)| limit.map(|l| *d <= i64::from(l)))
            .collect();
        on_time.map_or(Cell::Unknown, |on_time| decimal(share(&on_time), 2))
    };
    add(
        "days_to_assessment.median".into(),
        decimal(median(&days(&to_assessment)), 1),
        to_assessment.len(),
    );
    add(
        "days_to_assessment.within_deadline".into(),
        within(&to_assessment),
        to_assessment.len(),
    );
    add(
        "days_to_plan.median".into(),
        decimal(median(&days(&to_plan)), 1),
        to_plan.len(),
    );
    add(
        "days_to_plan.within_deadline".into(),
        within(&to_plan),
        to_plan.len(),
    );

    // 4. Reviews held in the period on time; unknown when the settings of one of their offices
    // are.
    let on_time: Option<Vec<bool>> = parts
        .iter()
        .map(|p| p.on_time.clone())
        .collect::<Option<Vec<Vec<bool>>>>()
        .map(|v| v.into_iter().flatten().collect());
    add(
        "reviews_on_time".into(),
        on_time
            .as_ref()
            .map_or(Cell::Unknown, |on_time| decimal(share(on_time), 2)),
        on_time.as_ref().map_or(0, Vec::len),
    );

    // 5. Answers to referrals given in the period, as `cm report referrals` counts them.
    let answers: Vec<(i64, Within)> = parts
        .iter()
        .flat_map(|p| p.answers.iter().copied())
        .collect();
    let answer_days: Vec<i64> = answers.iter().map(|(d, _)| *d).collect();
    add(
        "days_to_referral_answer.median".into(),
        decimal(median(&answer_days), 1),
        answer_days.len(),
    );
    let indicator = "days_to_referral_answer.within_response_days";
    if answers.iter().any(|(_, w)| *w == Within::Unknown) {
        add(indicator.into(), Cell::Unknown, 0);
    } else {
        let timed: Vec<bool> = answers
            .iter()
            .filter_map(|(_, w)| match w {
                Within::Limit(within) => Some(*within),
                _ => None,
            })
            .collect();
        add(indicator.into(), decimal(share(&timed), 2), timed.len());
    }

    // 6. Open cases whose client's consent in force on the last day is given.
    let consent: Vec<bool> = parts.iter().filter_map(|p| p.consent).collect();
    add(
        "open_cases_with_consent".into(),
        decimal(share(&consent), 2),
        consent.len(),
    );

    // 7-9. What the closures dated in the period achieved.
    let goals: Vec<Option<GoalStatus>> =
        parts.iter().flat_map(|p| p.goals.iter().copied()).collect();
    let tscores: Vec<f64> = parts
        .iter()
        .flat_map(|p| p.tscores.iter().copied())
        .collect();
    let kept: Vec<bool> = goals
        .iter()
        .filter(|s| **s != Some(GoalStatus::Dropped))
        .map(|s| *s == Some(GoalStatus::Achieved))
        .collect();
    add(
        "goals_achieved_at_closure".into(),
        decimal(share(&kept), 2),
        kept.len(),
    );
    add(
        "goals_dropped_at_closure".into(),
        Cell::Int((goals.len() - kept.len()) as i64),
        goals.len(),
    );
    add(
        "gas_tscore_at_closure.mean".into(),
        decimal(mean(&tscores), 1),
        tscores.len(),
    );
    let changes: Vec<f64> = parts
        .iter()
        .flat_map(|p| p.changes.iter().copied())
        .collect();
    add(
        "domain_change_at_closure.mean".into(),
        decimal(mean(&changes), 2),
        changes.len(),
    );
    table
}

/// Whether the review of `case` held on `day` was on time: on or before the day its review was
/// due, as `cm overdue` gave it the day before (after the previous review of the episode, its
/// `next_due` when set, else the interval of the risk then in force; else after the plan, else
/// after the opening). `None` when no review was due then (the case not yet in planning,
/// implementation or monitoring, or opened that day).
fn review_on_time(case: &Case, settings: &Settings, day: NaiveDate) -> Option<bool> {
    let before = view::as_of(case, day.checked_sub_days(Days::new(1))?)?;
    monitor::items(&before, settings)
        .into_iter()
        .find(|item| item.kind == Kind::Review)
        .map(|item| day <= item.due)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bins_take_their_bounds() {
        let days = [0, 30, 31, 90, 91, 180, 181, 4000];
        assert_eq!(binned(&days, CLOSURE_BINS), [2, 2, 2, 2]);
        assert_eq!(binned(&[], CLOSURE_BINS), [0, 0, 0, 0]);
        assert_eq!(
            binned(&[0, 9, 10, 19, 20, 29, 30, 31], CASELOAD_BINS),
            [2, 2, 2, 2]
        );
    }

    #[test]
    fn medians_shares_and_means_of_nothing_are_not_applicable() {
        assert_eq!(median(&[]), None);
        assert_eq!(median(&[5]), Some(5.0));
        assert_eq!(median(&[10, 1]), Some(5.5));
        assert_eq!(median(&[3, 1, 2, 100]), Some(2.5));
        assert_eq!(share(&[]), None);
        assert_eq!(share(&[true, false, false]), Some(1.0 / 3.0));
        assert_eq!(mean(&[]), None);
        assert_eq!(mean(&[1.0, 2.0]), Some(1.5));
        assert_eq!(
            decimal(share(&[true, false, false]), 2),
            Cell::Decimal(0.33, 2)
        );
        assert_eq!(decimal(None, 1), Cell::Empty);
    }
}
