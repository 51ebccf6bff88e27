//! Monitoring: the items that fall due on an open case (DESIGN §5), as a pure function of the
//! case and the settings. Whether an item is overdue depends only on the day it is asked.

use chrono::{Days, NaiveDate};

use cm_case::settings::Settings;
use cm_case::view;
use cm_case::{Case, Phase, Risk, Service, ServiceStatus};

cm_base::names!(
    /// What falls due: an assessment, a plan, a monitoring review, a contact with the client
    /// (with `[deadlines.contact]`), the follow-up of a referral not yet answered, the start of a
    /// service accepted.
    pub Kind {
        Assessment = "assessment",
        Plan = "plan",
        Review = "review",
        Contact = "contact",
        Referral = "referral",
        Service = "service",
    }
);

/// One item that falls due on a case.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Item {
    pub kind: Kind,
    pub due: NaiveDate,
    /// The service id, for referral follow-ups and services to start.
    pub service: Option<String>,
}

impl Item {
    /// Due before `as_of` (an item due today is not yet overdue).
    pub fn is_overdue(&self, as_of: NaiveDate) -> bool {
        self.due < as_of
    }
}

/// The items that fall due on `case`; none for a closed case. The deadlines of the phases count
/// from the start of the current episode (a reopened case's new intake): an assessment, plan,
/// review or contact of an earlier episode is not one of this episode.
pub fn items(case: &Case, settings: &Settings) -> Vec<Item> {
    let (Some(phase), Some(_)) = (case.phase, case.opened) else {
        return Vec::new();
    };
    if phase == Phase::Closed {
        return Vec::new();
    }
    let Some(opened) = view::episodes(case).last().map(|e| e.start) else {
        return Vec::new();
    };
    let this_episode = |d: &NaiveDate| *d >= opened;
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
                .filter(this_episode)
                .unwrap_or(opened);
            push(Kind::Plan, plus(from, d.plan), None);
        }
        Phase::Planning | Phase::Implementation | Phase::Monitoring => {
            let last = case
                .reviews
                .iter()
                .rev()
                .find(|r| r.date.is_some_and(|d| this_episode(&d)));
            let due = match last.and_then(|r| r.next_due) {
                Some(next) => Some(next),
                None => {
                    let from = last
                        .and_then(|r| r.date)
                        .or_else(|| case.plan.as_ref().and_then(|p| p.date))
                        .filter(this_episode)
                        .unwrap_or(opened);
                    plus(from, d.review.days(case.risk.unwrap_or(Risk::Medium)))
                }
            };
            push(Kind::Review, due, None);
            // With `[deadlines.contact]`: the interval for the current risk after the last
            // contact, else after the opening.
            let risk = case.risk.unwrap_or(Risk::Medium);
            if let Some(days) = d.contact.as_ref().and_then(|c| c.days(risk)) {
                let last = case
                    .contacts
                    .iter()
                    .filter_map(|c| c.date)
                    .filter(this_episode)
                    .max();
                push(Kind::Contact, plus(last.unwrap_or(opened), days), None);
            }
        }
        Phase::Closed => {}
    }
    for service in &case.services {
        let id = || service.id.clone();
        match status_now(service) {
            // Not answered yet: followed up after the provider's own response time, else the
            // office's.
            Some(ServiceStatus::Referred) => {
                push(Kind::Referral, answer_due(service, settings), id());
            }
            // Accepted, and not started since: due to start within `service_start` days of the
            // acceptance. A service whose acceptance was never recorded as an update has no
            // date to count from.
            Some(ServiceStatus::Accepted) => {
                let accepted = service
                    .updates
                    .last()
                    .filter(|u| u.status == Some(ServiceStatus::Accepted))
                    .and_then(|u| u.date);
                push(
                    Kind::Service,
                    accepted.and_then(|a| plus(a, d.service_start)),
                    id(),
                );
            }
            _ => {}
        }
    }
    out
}

/// The status `service` is in now: that of its last update, else its `status` (a service
/// without updates is in the status it was written with).
fn status_now(service: &Service) -> Option<ServiceStatus> {
    match service.updates.last() {
        Some(update) => update.status,
        None => service.status,
    }
}

/// The earliest item that falls due on `case`.
/// The day a referral is to be answered by: its `referred` date and the provider's own
/// `response_days` in the directory, else the office's `[deadlines].referral_followup`.
pub fn answer_due(service: &Service, settings: &Settings) -> Option<NaiveDate> {
    let days = settings
        .provider_of(service)
        .and_then(|p| p.response_days)
        .unwrap_or(settings.deadlines.referral_followup);
    service
        .referred
        .and_then(|r| r.checked_add_days(Days::new(days.into())))
}

pub fn next_due(case: &Case, settings: &Settings) -> Option<Item> {
    items(case, settings).into_iter().min_by_key(|i| i.due)
}

/// Where `item` of `case` stands in the overdue list: most overdue first; ties by case id, kind
/// and service.
pub fn order<'a>(
    case: &'a Case,
    item: &'a Item,
) -> (NaiveDate, Option<&'a str>, Kind, Option<&'a str>) {
    (
        item.due,
        case.id.as_deref(),
        item.kind,
        item.service.as_deref(),
    )
}

/// The items of one case overdue on `as_of` and, with `within`, falling due in the next
/// `within` days, each with the days it is late (see [`overdue`]).
pub fn due(
    case: &Case,
    settings: &Settings,
    as_of: NaiveDate,
    within: Option<u32>,
) -> Vec<(Item, i64)> {
    let horizon = within.and_then(|n| as_of.checked_add_days(Days::new(n.into())));
    items(case, settings)
        .into_iter()
        .filter(|item| item.is_overdue(as_of) || horizon.is_some_and(|h| item.due <= h))
        .map(|item| {
            let days = (as_of - item.due).num_days();
            (item, days)
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    /// One row of the overdue list, as `cm overdue` makes it of `due` and `order` (see
    /// `report::overdue`): an item of a case, and how late it is.
    #[derive(Clone, Debug)]
    struct Due<'a> {
        case: &'a Case,
        item: Item,
        /// Days past the due date on the day asked: more than 0 when overdue, 0 or less when the
        /// item falls due that day or later.
        days_overdue: i64,
    }

    /// The items overdue on `as_of` in `cases` (open ones; closed cases have nothing due) and, with
    /// `within`, those falling due in the next `within` days (an item due on `as_of` itself is not
    /// yet overdue). Most overdue first; ties by case id, then kind and service.
    fn overdue<'a>(
        cases: impl IntoIterator<Item = &'a Case>,
        settings: &Settings,
        as_of: NaiveDate,
        within: Option<u32>,
    ) -> Vec<Due<'a>> {
        let mut out: Vec<Due<'a>> = cases
            .into_iter()
            .flat_map(|case| {
                due(case, settings, as_of, within)
                    .into_iter()
                    .map(move |(item, days_overdue)| Due {
                        case,
                        item,
                        days_overdue,
                    })
            })
            .collect();
        out.sort_by(|a, b| a.order().cmp(&b.order()));
        out
    }

    impl Due<'_> {
        /// The order of the overdue list: most overdue first; ties by case id, kind and service.
        fn order(&self) -> (NaiveDate, Option<&str>, Kind, Option<&str>) {
            order(self.case, &self.item)
        }
    }

    fn date(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    /// A reopened case's deadlines count from its new intake: the assessment, plan and reviews
    /// of its first episode are not this episode's.
    #[test]
    fn a_reopened_case_is_due_from_its_new_intake() {
        let history = json!([{"date": "2025-01-10", "phase": "intake"},
                             {"date": "2025-06-01", "phase": "closed"},
                             {"date": "2026-03-01", "phase": "intake"}]);
        let mut case = json!({"phase": "intake", "opened": "2025-01-10", "risk": "low",
            "assessment": {"date": "2025-01-20", "domains": {"income": 2}},
            "plan": {"date": "2025-02-01"},
            "reviews": [{"date": "2025-04-01", "next_due": "2025-05-01"}],
            "history": history});
        let due = |case: &serde_json::Value| {
            items(&Case::from_json(case), &Settings::default())
                .iter()
                .map(|i| (i.kind, i.due))
                .collect::<Vec<_>>()
        };
        assert_eq!(due(&case), [(Kind::Assessment, date("2026-03-15"))]);
        case["phase"] = json!("assessment");
        assert_eq!(due(&case), [(Kind::Plan, date("2026-03-31"))]);
        case["phase"] = json!("monitoring");
        assert_eq!(due(&case), [(Kind::Review, date("2026-05-30"))]);
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
    fn contacts_fall_due_only_with_their_deadlines() {
        let case = Case::from_json(&json!({
            "phase": "implementation", "opened": "2026-01-01", "risk": "high",
            "plan": {"date": "2026-01-10"},
            "contacts": [{"date": "2026-02-01", "type": "phone"},
                         {"date": "2026-02-10", "type": "home-visit"}],
        }));
        let contact = |settings: &Settings| -> Vec<NaiveDate> {
            items(&case, settings)
                .into_iter()
                .filter(|i| i.kind == Kind::Contact)
                .map(|i| i.due)
                .collect()
        };
        assert!(contact(&Settings::default()).is_empty());
        let parse = |text: &str| Settings::parse(text, std::path::Path::new("cm.toml")).unwrap();
        let settings = parse("[deadlines.contact]\nhigh = 7\nlow = 30\n");
        assert_eq!(contact(&settings), vec![date("2026-02-17")]);
        // A risk the table leaves out has no contact deadline.
        assert!(contact(&parse("[deadlines.contact]\nlow = 30\n")).is_empty());
        // No contact yet: counted from the opening.
        let new = Case::from_json(&json!({
            "phase": "planning", "opened": "2026-03-01", "risk": "high",
        }));
        let due: Vec<Item> = items(&new, &settings)
            .into_iter()
            .filter(|i| i.kind == Kind::Contact)
            .collect();
        assert_eq!(due[0].due, date("2026-03-08"));
    }

    #[test]
    fn closed_cases_have_nothing_due() {
        let case = Case::from_json(&json!({
            "phase": "closed", "opened": "2026-01-01",
            "services": [{"id": "S1", "status": "referred", "referred": "2026-01-20"}],
        }));
        assert!(items(&case, &Settings::default()).is_empty());
    }

    fn directory() -> Settings {
        Settings::parse(
            "[deadlines]\nservice_start = 20\n\n\
             [[providers]]\nid = \"emdad-housing\"\nresponse_days = 5\n\n\
             [[providers]]\nid = \"behzisti\"\n",
            std::path::Path::new("cm.toml"),
        )
        .unwrap()
    }

    #[test]
    fn a_referral_is_followed_up_after_its_providers_response_days() {
        let case = Case::from_json(&json!({
            "phase": "implementation", "opened": "2026-01-01",
            "plan": {"date": "2026-01-10"},
            "services": [
                // The provider's own 5 days: due 2026-03-06.
                {"id": "S1", "status": "referred", "referred": "2026-03-01",
                 "provider": "emdad-housing"},
                // In the directory without response_days: the office's 14 days, 2026-03-15.
                {"id": "S2", "status": "referred", "referred": "2026-03-01",
                 "provider": "behzisti"},
                // Free text: the office's 14 days.
                {"id": "S3", "status": "referred", "referred": "2026-03-01",
                 "provider": "a clinic"},
                // Answered: no follow-up, whatever its status says.
                {"id": "S4", "status": "referred", "referred": "2026-03-01",
                 "provider": "emdad-housing",
                 "updates": [{"date": "2026-03-03", "status": "declined", "by": "a",
                              "reason": "no-capacity"}]},
            ],
        }));
        let referrals: Vec<(Option<String>, NaiveDate)> = items(&case, &directory())
            .into_iter()
            .filter(|i| i.kind == Kind::Referral)
            .map(|i| (i.service, i.due))
            .collect();
        assert_eq!(
            referrals,
            [
                (Some("S1".into()), date("2026-03-06")),
                (Some("S2".into()), date("2026-03-15")),
                (Some("S3".into()), date("2026-03-15")),
            ]
        );
    }

    #[test]
    fn an_accepted_service_falls_due_to_start() {
        let update = |date: &str, status: &str| json!({"date": date, "status": status, "by": "a"});
        let case = Case::from_json(&json!({
            "phase": "implementation", "opened": "2026-01-01",
            "plan": {"date": "2026-01-10"},
            "services": [
                // Accepted 2026-03-05: to start by 2026-03-25 (service_start = 20).
                {"id": "S1", "status": "accepted", "referred": "2026-03-01",
                 "updates": [update("2026-03-05", "accepted")]},
                // Started: nothing due.
                {"id": "S2", "status": "in-progress", "referred": "2026-03-01",
                 "updates": [update("2026-03-05", "accepted"),
                             update("2026-03-10", "in-progress")]},
                // Accepted then completed at once: nothing due.
                {"id": "S3", "status": "completed", "referred": "2026-03-01", "ended": "2026-03-09",
                 "updates": [update("2026-03-05", "accepted"),
                             update("2026-03-09", "completed")]},
                // Accepted before updates were recorded: no day to count from.
                {"id": "S4", "status": "accepted", "referred": "2026-03-01"},
            ],
        }));
        let services: Vec<Item> = items(&case, &directory())
            .into_iter()
            .filter(|i| i.kind == Kind::Service)
            .collect();
        assert_eq!(
            services,
            [Item {
                kind: Kind::Service,
                due: date("2026-03-25"),
                service: Some("S1".into()),
            }]
        );
        assert_eq!(
            items(&case, &Settings::default())
                .iter()
                .find(|i| i.kind == Kind::Service)
                .map(|i| i.due),
            Some(date("2026-04-04"))
        );
    }

    fn ids_and_kinds(rows: &[Due<'_>]) -> Vec<(String, Kind, i64)> {
        rows.iter()
            .map(|d| (d.case.id.clone().unwrap(), d.item.kind, d.days_overdue))
            .collect()
    }

    fn cases() -> Vec<Case> {
        [
            // Assessment due 2026-03-15.
            json!({"id": "A", "phase": "intake", "opened": "2026-03-01", "caseworker": "x"}),
            // Plan due 30 days after the assessment: 2026-03-31.
            json!({"id": "B", "phase": "assessment", "opened": "2026-02-01",
                   "assessment": {"date": "2026-03-01"}}),
            // Risk raised to critical at the last review: 7 days from it, 2026-03-08.
            json!({"id": "C", "phase": "monitoring", "opened": "2026-01-01", "risk": "critical",
                   "plan": {"date": "2026-01-10"},
                   "reviews": [{"date": "2026-03-01", "risk": "critical"}]}),
            // A closed case: its open referral is not followed up.
            json!({"id": "D", "phase": "closed", "opened": "2026-01-01",
                   "services": [{"id": "S1", "status": "referred", "referred": "2026-01-02"}]}),
            // Referral due 2026-03-15 (same day as A's assessment: ties go by id).
            json!({"id": "E", "phase": "implementation", "opened": "2026-01-01", "risk": "low",
                   "plan": {"date": "2026-03-01"},
                   "services": [{"id": "S2", "status": "referred", "referred": "2026-03-01"},
                                {"id": "S3", "status": "completed", "referred": "2026-01-05"}]}),
        ]
        .iter()
        .map(Case::from_json)
        .collect()
    }

    #[test]
    fn overdue_is_most_overdue_first_and_due_today_is_not_overdue() {
        let cases = cases();
        let rows = overdue(&cases, &Settings::default(), date("2026-03-15"), None);
        assert_eq!(ids_and_kinds(&rows), vec![("C".into(), Kind::Review, 7)]);
        let rows = overdue(&cases, &Settings::default(), date("2026-03-16"), None);
        assert_eq!(
            ids_and_kinds(&rows),
            vec![
                ("C".into(), Kind::Review, 8),
                ("A".into(), Kind::Assessment, 1),
                ("E".into(), Kind::Referral, 1),
            ]
        );
        assert_eq!(rows[2].item.service.as_deref(), Some("S2"));
    }

    #[test]
    fn within_adds_the_items_falling_due_soon() {
        let cases = cases();
        let rows = overdue(&cases, &Settings::default(), date("2026-03-15"), Some(16));
        assert_eq!(
            ids_and_kinds(&rows),
            vec![
                ("C".into(), Kind::Review, 7),
                ("A".into(), Kind::Assessment, 0),
                ("E".into(), Kind::Referral, 0),
                ("B".into(), Kind::Plan, -16),
            ]
        );
        let none_due_today = overdue(&cases, &Settings::default(), date("2026-03-15"), Some(0));
        assert_eq!(none_due_today.len(), 3);
    }
}
