//! Monitoring: the items that fall due on an open case (DESIGN §5), as a pure function of the
//! case and the settings. Whether an item is overdue depends only on the day it is asked.

use chrono::{Days, NaiveDate};

use crate::case::{Case, Phase, Risk, ServiceStatus};
use crate::workspace::Settings;

/// What falls due.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Kind {
    Assessment,
    Plan,
    Review,
    Referral,
}

impl Kind {
    pub fn as_str(self) -> &'static str {
        match self {
            Kind::Assessment => "assessment",
            Kind::Plan => "plan",
            Kind::Review => "review",
            Kind::Referral => "referral",
        }
    }
}

/// One item that falls due on a case.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Item {
    pub kind: Kind,
    pub due: NaiveDate,
    /// The service id, for referral follow-ups.
    pub service: Option<String>,
}

impl Item {
    /// Due before `as_of` (an item due today is not yet overdue).
    pub fn is_overdue(&self, as_of: NaiveDate) -> bool {
        self.due < as_of
    }
}

/// The items that fall due on `case`; none for a closed case.
pub fn items(case: &Case, settings: &Settings) -> Vec<Item> {
    let (Some(phase), Some(opened)) = (case.phase, case.opened) else {
        return Vec::new();
    };
    if phase == Phase::Closed {
        return Vec::new();
    }
    let d = &settings.deadlines;
    let plus = |date: NaiveDate, days: u32| date.checked_add_days(Days::new(days.into()));
    let mut out = Vec::new();
    let mut push = |kind, due: Option<NaiveDate>, service: Option<String>| {
        if let Some(due) = due {
            out.push(Item { kind, due, service });
        }
    };
    match phase {
        Phase::Intake => push(Kind::Assessment, plus(opened, d.assessment), None),
        Phase::Assessment => {
            let from = case
                .assessment
                .as_ref()
                .and_then(|a| a.date)
                .unwrap_or(opened);
            push(Kind::Plan, plus(from, d.plan), None);
        }
        Phase::Planning | Phase::Implementation | Phase::Monitoring => {
            let last = case.reviews.iter().rev().find(|r| r.date.is_some());
            let due = match last.and_then(|r| r.next_due) {
                Some(next) => Some(next),
                None => {
                    let from = last
                        .and_then(|r| r.date)
                        .or_else(|| case.plan.as_ref().and_then(|p| p.date))
                        .unwrap_or(opened);
                    plus(from, d.review.days(case.risk.unwrap_or(Risk::Medium)))
                }
            };
            push(Kind::Review, due, None);
        }
        Phase::Closed => {}
    }
    for service in &case.services {
        if service.status == Some(ServiceStatus::Referred) {
            push(
                Kind::Referral,
                service.referred.and_then(|r| plus(r, d.referral_followup)),
                service.id.clone(),
            );
        }
    }
    out
}

/// The earliest item that falls due on `case`.
pub fn next_due(case: &Case, settings: &Settings) -> Option<Item> {
    items(case, settings).into_iter().min_by_key(|i| i.due)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn date(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    #[test]
    fn intake_is_due_for_assessment() {
        let case = Case::from_json(&json!({"phase": "intake", "opened": "2026-03-01"}));
        let items = items(&case, &Settings::default());
        assert_eq!(items.len(), 1);
        assert_eq!(items[0].due, date("2026-03-15"));
        assert!(!items[0].is_overdue(date("2026-03-15")));
        assert!(items[0].is_overdue(date("2026-03-16")));
    }

    #[test]
    fn review_next_due_overrides_the_interval() {
        let case = Case::from_json(&json!({
            "phase": "monitoring", "opened": "2026-01-01", "risk": "low",
            "plan": {"date": "2026-01-10"},
            "reviews": [{"date": "2026-02-01", "next_due": "2026-02-05"}],
            "services": [{"id": "S1", "status": "referred", "referred": "2026-01-20"}],
        }));
        let items = items(&case, &Settings::default());
        assert_eq!(items[0].due, date("2026-02-05"));
        assert_eq!(items[1].service.as_deref(), Some("S1"));
        assert_eq!(items[1].due, date("2026-02-03"));
        assert_eq!(
            next_due(&case, &Settings::default()).unwrap().kind,
            Kind::Referral
        );
    }

    #[test]
    fn closed_cases_have_nothing_due() {
        let case = Case::from_json(&json!({
            "phase": "closed", "opened": "2026-01-01",
            "services": [{"id": "S1", "status": "referred", "referred": "2026-01-20"}],
        }));
        assert!(items(&case, &Settings::default()).is_empty());
    }
}
