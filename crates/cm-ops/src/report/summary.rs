//! `cm report summary --month M`: the month's figures for funders and public bodies, as
//! `metric,value` rows. The month is one of the workspace's calendar (`calendar::month`).
//!
//! The files record where a case stands now and what happened when; the state of a case at the
//! end of a past month is read from them by the reader model ([`cm_case::view`]). A reopened
//! case counts by its episodes ([`view::episodes`]): each opened in the month its intake falls
//! in (a reopening also in `cases_reopened`), each closure in the month it is dated, and the case
//! open at the month's end when one of its episodes is.

use super::{Held, outcomes};
use crate::monitor::{self, Kind};
use crate::output::{Cell, Table};
use cm_base::calendar::Month;
use cm_case::view;
use cm_case::{Closure, ClosureReason, ContactType, Phase, Program, Risk, ServiceStatus};

/// The summary of `month`, of the valid `held` cases; `left_out` case files were left out for
/// their errors (the last row says how many). Each office's deadlines apply to its own cases.
pub fn table(held: &[Held], month: Month, left_out: usize) -> Table {
    of_parts(held.iter().map(|h| part(*h, month)), left_out)
}

/// What one case adds to the summary of a month: made as the case is read, so that a summary of
/// 100,000 cases holds these, not the cases.
#[derive(Clone, Debug, Default)]
pub struct Part {
    /// Its episodes opened in the month, and of them those that reopen it.
    opened: usize,
    reopened: usize,
    /// The reasons of its closures dated in the month.
    closed: Vec<Option<ClosureReason>>,
    /// Open at the month's end: how it stood then.
    open_at_end: Option<AtEnd>,
    /// Its household (or the case itself, of none) when it was open at some time in the month.
    household: Option<(bool, String)>,
    reviews: usize,
    contacts: Vec<Option<ContactType>>,
    referrals_made: usize,
    referrals_completed: usize,
    /// The mean domain change of each of its closures dated in the month.
    changes: Vec<f64>,
}

/// A case open at the end of the month: its program, phase and risk then, and the kinds of its
/// items overdue then (`None` when its office's deadlines are not known).
#[derive(Clone, Debug)]
struct AtEnd {
    program: Option<Program>,
    phase: Option<Phase>,
    risk: Option<Risk>,
    overdue: Option<Vec<Kind>>,
}

/// What `held` (as it stood at the end of `month`, see [`view::as_of`]) adds to its summary.
pub fn part(held: Held, month: Month) -> Part {
    let case = held.case;
    let last = month.last_day();
    let inside = |d: Option<chrono::NaiveDate>| d.is_some_and(|d| month.contains(d));
    // Each episode counts: opened in the month its intake falls in, closed in the month its
    // closure is dated, open at the end of the month when one of them is.
    let episodes = view::episodes(case);
    let opened = |e: &[view::Episode]| e.iter().filter(|e| month.contains(e.start)).count();
    let closures: Vec<&Closure> = view::closures(case).filter(|cl| inside(cl.date)).collect();
    let open_at_end = episodes.iter().any(|e| e.open_on(last)).then(|| {
        let overdue = held.settings().map(|settings| {
            monitor::due(case, settings, last, None)
                .into_iter()
                .map(|(item, _)| item.kind)
                .collect()
        });
        AtEnd {
            program: case.program,
            phase: view::phase_on(case, last),
            risk: view::risk_on(case, last),
            overdue,
        }
    });
    // The families served: a case of no household is a household of its own.
    let household = episodes
        .iter()
        .any(|e| e.open_between(Some(month.start), last))
        .then(|| match &case.household {
            Some(household) => Some((true, household.clone())),
            None => case.id.clone().map(|id| (false, id)),
        })
        .flatten();
    Part {
        opened: opened(&episodes),
        reopened: opened(episodes.get(1..).unwrap_or(&[])),
        closed: closures.iter().map(|cl| cl.reason).collect(),
        open_at_end,
        household,
        reviews: case.reviews.iter().filter(|r| inside(r.date)).count(),
        contacts: (case.contacts.iter())
            .filter(|x| inside(x.date))
            .map(|x| x.kind)
            .collect(),
        referrals_made: case.services.iter().filter(|s| inside(s.referred)).count(),
        referrals_completed: (case.services.iter())
            .filter(|s| s.status == Some(ServiceStatus::Completed) && inside(s.ended))
            .count(),
        changes: closures
            .iter()
            .filter_map(|cl| outcomes::mean_change_at(case, cl))
            .collect(),
    }
}

/// The summary made of the `parts` of every case; `left_out` case files were left out.
pub fn of_parts(parts: impl IntoIterator<Item = Part>, left_out: usize) -> Table {
    let parts: Vec<Part> = parts.into_iter().collect();
    let count = |n: usize| Cell::Int(n as i64);
    let mut rows: Vec<(String, Cell)> = Vec::new();
    let mut add = |metric: String, value: Cell| rows.push((metric, value));
    let sum = |f: &dyn Fn(&Part) -> usize| parts.iter().map(f).sum::<usize>();
    add("cases_opened".into(), count(sum(&|p| p.opened)));
    add("cases_reopened".into(), count(sum(&|p| p.reopened)));
    add("cases_closed".into(), count(sum(&|p| p.closed.len())));
    for reason in ClosureReason::ALL {
        let n = sum(&|p| p.closed.iter().filter(|r| **r == Some(*reason)).count());
        add(format!("cases_closed.{reason}"), count(n));
    }
    let open: Vec<_> = parts
        .iter()
        .filter_map(|p| p.open_at_end.as_ref())
        .collect();
    add("open_at_month_end".into(), count(open.len()));
    for program in Program::ALL {
        let n = open.iter().filter(|o| o.program == Some(*program)).count();
        add(format!("open_at_month_end.program.{program}"), count(n));
    }
    for phase in Phase::ALL.iter().filter(|p| **p != Phase::Closed) {
        let n = open.iter().filter(|o| o.phase == Some(*phase)).count();
        add(format!("open_at_month_end.phase.{phase}"), count(n));
    }
    for risk in Risk::ALL {
        let n = open.iter().filter(|o| o.risk == Some(*risk)).count();
        add(format!("open_at_month_end.risk.{risk}"), count(n));
    }
    let households: std::collections::HashSet<&(bool, String)> =
        parts.iter().filter_map(|p| p.household.as_ref()).collect();
    add("households_served".into(), count(households.len()));
    add("reviews_held".into(), count(sum(&|p| p.reviews)));
    add("contacts_held".into(), count(sum(&|p| p.contacts.len())));
    for kind in ContactType::ALL {
        let n = sum(&|p| p.contacts.iter().filter(|k| **k == Some(*kind)).count());
        add(format!("contacts_held.{kind}"), count(n));
    }
    add("referrals_made".into(), count(sum(&|p| p.referrals_made)));
    add(
        "referrals_completed".into(),
        count(sum(&|p| p.referrals_completed)),
    );
    // Each office's deadlines for its own cases; not computable when one's are not known.
    let overdue: Option<Vec<Kind>> = open
        .iter()
        .map(|o| o.overdue.clone())
        .collect::<Option<Vec<Vec<Kind>>>>()
        .map(|kinds| kinds.into_iter().flatten().collect());
    let counted = |n: Option<usize>| n.map_or(Cell::Unknown, count);
    add(
        "overdue_items_at_month_end".into(),
        counted(overdue.as_ref().map(Vec::len)),
    );
    for kind in Kind::ALL {
        let n = overdue
            .as_ref()
            .map(|all| all.iter().filter(|k| *k == kind).count());
        add(format!("overdue_items_at_month_end.{kind}"), counted(n));
    }
    let changes: Vec<f64> = parts
        .iter()
        .flat_map(|p| p.changes.iter().copied())
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
    use cm_case::Case;
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
