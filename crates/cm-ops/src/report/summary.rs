//! `cm report summary --month M`: the month's figures for funders and public bodies, as
//! `metric,value` rows. The month is one of the workspace's calendar (`calendar::month`).
//!
//! The files record where a case stands now and what happened when; the state of a case at the
//! end of a past month is read from them by the reader model ([`cm_case::view`]). A reopened
//! case counts by its episodes ([`view::episodes`]): each opened in the month its intake falls
//! in (a reopening also in `cases_reopened`), each closure in the month it is dated, and the case
//! open at the month's end when one of its episodes is.

use super::{Held, outcomes, with_settings};
use crate::monitor;
use crate::output::{Cell, Table};
use cm_base::calendar::Month;
use cm_case::view;
use cm_case::{Case, Closure, ClosureReason, ContactType, Phase, Program, Risk, ServiceStatus};

/// The summary of `month`, of the valid `cases`; `left_out` case files were left out for their
/// errors (the last row says how many). Each office's deadlines apply to its own cases.
pub fn table(held: &[Held], month: Month, left_out: usize) -> Table {
    let last = month.last_day();
    let cases: Vec<&Case> = held.iter().map(|h| h.case).collect();
    // Each episode of a case counts: opened in the month its intake falls in, closed in the
    // month its closure is dated, open at the end of the month when one of them is.
    let episodes: Vec<Vec<view::Episode>> = cases.iter().map(|c| view::episodes(c)).collect();
    let closed: Vec<(&Case, &Closure)> = cases
        .iter()
        .flat_map(|c| view::closures(c).map(move |cl| (*c, cl)))
        .filter(|(_, cl)| cl.date.is_some_and(|d| month.contains(d)))
        .collect();
    let open_at_end: Vec<Held> = held
        .iter()
        .zip(&episodes)
        .filter(|(_, e)| e.iter().any(|e| e.open_on(last)))
        .map(|(h, _)| *h)
        .collect();
    let count = |n: usize| Cell::Int(n as i64);
    let mut rows: Vec<(String, Cell)> = Vec::new();
    let mut add = |metric: String, value: Cell| rows.push((metric, value));

    let opened = |e: &[view::Episode]| e.iter().filter(|e| month.contains(e.start)).count();
    add(
        "cases_opened".into(),
        count(episodes.iter().map(|e| opened(e)).sum()),
    );
    add(
        "cases_reopened".into(),
        count(
            episodes
                .iter()
                .map(|e| opened(e.get(1..).unwrap_or(&[])))
                .sum(),
        ),
    );
    add("cases_closed".into(), count(closed.len()));
    for reason in ClosureReason::ALL {
        let n = closed
            .iter()
            .filter(|(_, cl)| cl.reason == Some(*reason))
            .count();
        add(format!("cases_closed.{reason}"), count(n));
    }
    add("open_at_month_end".into(), count(open_at_end.len()));
    for program in Program::ALL {
        let n = open_at_end
            .iter()
            .filter(|h| h.case.program == Some(*program))
            .count();
        add(format!("open_at_month_end.program.{program}"), count(n));
    }
    for phase in Phase::ALL.iter().filter(|p| **p != Phase::Closed) {
        let n = open_at_end
            .iter()
            .filter(|h| view::phase_on(h.case, last) == Some(*phase))
            .count();
        add(format!("open_at_month_end.phase.{phase}"), count(n));
    }
    for risk in Risk::ALL {
        let n = open_at_end
            .iter()
            .filter(|h| view::risk_on(h.case, last) == Some(*risk))
            .count();
        add(format!("open_at_month_end.risk.{risk}"), count(n));
    }
    // The families served: the households of the cases open at some time in the month, a case
    // of no household counted as a household of its own.
    let households: std::collections::HashSet<(bool, &str)> = cases
        .iter()
        .zip(&episodes)
        .filter(|(_, e)| e.iter().any(|e| e.open_between(Some(month.start), last)))
        .filter_map(|(c, _)| match &c.household {
            Some(household) => Some((true, household.as_str())),
            None => c.id.as_deref().map(|id| (false, id)),
        })
        .collect();
    add("households_served".into(), count(households.len()));
    let reviews = cases
        .iter()
        .flat_map(|c| &c.reviews)
        .filter(|r| r.date.is_some_and(|d| month.contains(d)))
        .count();
    add("reviews_held".into(), count(reviews));
    let contacts: Vec<_> = cases
        .iter()
        .flat_map(|c| &c.contacts)
        .filter(|x| x.date.is_some_and(|d| month.contains(d)))
        .collect();
    add("contacts_held".into(), count(contacts.len()));
    for kind in ContactType::ALL {
        let n = contacts.iter().filter(|x| x.kind == Some(*kind)).count();
        add(format!("contacts_held.{kind}"), count(n));
    }
    let services = || cases.iter().flat_map(|c| &c.services);
    add(
        "referrals_made".into(),
        count(
            services()
                .filter(|s| s.referred.is_some_and(|d| month.contains(d)))
                .count(),
        ),
    );
    add(
        "referrals_completed".into(),
        count(
            services()
                .filter(|s| {
                    s.status == Some(ServiceStatus::Completed)
                        && s.ended.is_some_and(|d| month.contains(d))
                })
                .count(),
        ),
    );
    // Each office's deadlines for its own cases; not computable when one's are not known.
    let overdue: Option<Vec<monitor::Kind>> =
        with_settings(open_at_end.iter().copied(), |case, settings| {
            monitor::due(case, settings, last, None)
        })
        .map(|due| {
            due.into_iter()
                .flatten()
                .map(|(item, _)| item.kind)
                .collect()
        });
    let counted = |n: Option<usize>| n.map_or(Cell::Unknown, count);
    add(
        "overdue_items_at_month_end".into(),
        counted(overdue.as_ref().map(Vec::len)),
    );
    for kind in monitor::Kind::ALL {
        let n = overdue
            .as_ref()
            .map(|all| all.iter().filter(|k| *k == kind).count());
        add(format!("overdue_items_at_month_end.{kind}"), counted(n));
    }
    let changes: Vec<f64> = closed
        .iter()
        .filter_map(|(c, cl)| outcomes::mean_change_at(c, cl))
        .collect();
    let mean_change = (!changes.is_empty())
        .then(|| outcomes::round(changes.iter().sum::<f64>() / changes.len() as f64, 2));
    add(
        "mean_domain_change_of_closed_cases".into(),
        mean_change.map_or(Cell::Empty, |x| Cell::Decimal(x, 2)),
    );

    add("cases_left_out_invalid".into(), count(left_out));

    let mut table = Table::new(&["metric", "value"]);
    for (metric, value) in rows {
        table.push(vec![metric.into(), value]);
    }
    table
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::Office;
    use cm_base::calendar::{Calendar, month};
    use serde_json::json;

    fn office() -> Office {
        Office {
            name: "THR".into(),
            settings: Some(Default::default()),
        }
    }

    /// The cases of one family count once; a case of no household counts as one of its own.
    #[test]
    fn the_households_served_count_each_family_once() {
        let cases: Vec<Case> = [
            ("A", Some("HH-1"), "2026-10-05"),
            ("B", Some("HH-1"), "2026-09-01"),
            ("C", None, "2026-10-06"),
            ("D", Some("HH-2"), "2026-11-02"),
        ]
        .iter()
        .map(|(id, household, opened)| {
            Case::from_json(&json!({"id": id, "phase": "intake", "opened": opened,
                "household": household,
                "history": [{"date": opened, "phase": "intake"}]}))
        })
        .collect();
        let october = month("2026-10", Calendar::Gregorian).unwrap();
        let table = table(&office().hold(&cases), october, 0);
        let served = table
            .rows
            .iter()
            .find(|r| r[0] == Cell::from("households_served"));
        assert_eq!(served.map(|r| r[1].clone()), Some(Cell::Int(2)));
    }

    #[test]
    fn a_months_figures() {
        let cases: Vec<Case> = [
            // Opened in October, still open, a review in October.
            json!({"id": "A", "program": "general", "phase": "assessment", "risk": "high",
                   "opened": "2026-10-05", "assessment": {"date": "2026-10-08"},
                   "history": [{"date": "2026-10-05", "phase": "intake"},
                               {"date": "2026-10-08", "phase": "assessment"}],
                   "services": [{"id": "S1", "status": "referred", "referred": "2026-10-09"}]}),
            // Closed in October with a mean change of +1.
            json!({"id": "B", "program": "disability", "phase": "closed", "risk": "low",
                   "opened": "2026-01-05",
                   "assessment": {"date": "2026-01-10", "domains": {"income": 1, "health": 2}},
                   "reviews": [{"date": "2026-10-01", "domains": {"income": 2}}],
                   "contacts": [{"date": "2026-09-30", "type": "phone"},
                                {"date": "2026-10-03", "type": "home-visit"},
                                {"date": "2026-10-15", "type": "phone"}],
                   "closure": {"date": "2026-10-20", "reason": "moved",
                               "domains": {"health": 3}},
                   "services": [{"id": "S1", "status": "completed", "referred": "2026-02-01",
                                 "ended": "2026-10-02"}]}),
            // Opened after October: not counted.
            json!({"id": "C", "program": "general", "phase": "intake", "risk": "low",
                   "opened": "2026-11-02"}),
        ]
        .iter()
        .map(Case::from_json)
        .collect();
        let october = month("2026-10", Calendar::Gregorian).unwrap();
        let table = table(&office().hold(&cases), october, 0);
        let value = |metric: &str| {
            table
                .rows
                .iter()
                .find(|r| r[0] == Cell::from(metric))
                .map(|r| r[1].clone())
                .unwrap_or_else(|| panic!("no {metric}"))
        };
        assert_eq!(value("cases_opened"), Cell::Int(1));
        assert_eq!(value("cases_closed"), Cell::Int(1));
        assert_eq!(value("cases_closed.moved"), Cell::Int(1));
        assert_eq!(value("open_at_month_end"), Cell::Int(1));
        assert_eq!(value("open_at_month_end.program.general"), Cell::Int(1));
        assert_eq!(value("open_at_month_end.phase.assessment"), Cell::Int(1));
        assert_eq!(value("open_at_month_end.risk.high"), Cell::Int(1));
        assert_eq!(value("reviews_held"), Cell::Int(1));
        // A and B, each of no household: two; C was not open in October.
        assert_eq!(value("households_served"), Cell::Int(2));
        assert_eq!(value("contacts_held"), Cell::Int(2));
        assert_eq!(value("contacts_held.phone"), Cell::Int(1));
        assert_eq!(value("contacts_held.home-visit"), Cell::Int(1));
        assert_eq!(value("contacts_held.group"), Cell::Int(0));
        assert_eq!(value("referrals_made"), Cell::Int(1));
        assert_eq!(value("referrals_completed"), Cell::Int(1));
        // A's referral follow-up was due 2026-10-23; its plan (2026-11-07) is not yet due.
        assert_eq!(value("overdue_items_at_month_end"), Cell::Int(1));
        assert_eq!(value("overdue_items_at_month_end.referral"), Cell::Int(1));
        assert_eq!(value("overdue_items_at_month_end.plan"), Cell::Int(0));
        assert_eq!(
            value("mean_domain_change_of_closed_cases"),
            Cell::Decimal(1.0, 2)
        );
    }

    /// An office whose deadlines are not known (read from an export): the figures that need
    /// them are unknown, and named; every other figure is as it would be.
    #[test]
    fn the_figures_that_need_an_unknown_office_s_deadlines_are_unknown() {
        let cases: Vec<Case> = [json!({"id": "A", "phase": "intake", "risk": "high",
            "opened": "2026-10-05", "history": [{"date": "2026-10-05", "phase": "intake"}]})]
        .iter()
        .map(Case::from_json)
        .collect();
        let october = month("2026-10", Calendar::Gregorian).unwrap();
        let known = table(&office().hold(&cases), october, 0);
        let export = Office {
            name: "THR".into(),
            settings: None,
        };
        let unknown = table(&export.hold(&cases), october, 0);
        assert_eq!(
            unknown.unknown(),
            std::iter::once("overdue_items_at_month_end".to_string())
                .chain(
                    monitor::Kind::ALL
                        .iter()
                        .map(|k| format!("overdue_items_at_month_end.{k}"))
                )
                .collect::<Vec<_>>()
        );
        for (a, b) in known.rows.iter().zip(&unknown.rows) {
            match b[1] {
                Cell::Unknown => assert!(a[0].value().starts_with("overdue_items")),
                _ => assert_eq!(a, b),
            }
        }
    }
}
