//! The reader model: what a case says once its parts are read together, the one way every reader
//! (`cm show`, the reports, `cm diff`) reads it.
//!
//! - Domain scores carry forward: the assessment scores the baseline; each review, in order,
//!   updates the domains it re-scores; then the closure's exit scores. A domain first scored
//!   after the baseline is carried too.
//! - A goal's attainment is the score of the latest review that scored it.
//! - Phase, risk and caseworker on a day: the phase entered last by then (the history), the risk
//!   of the last decision by then — at intake (the first history entry), at a review, or a
//!   change between reviews (`risk_changes`) — else the case's current risk, the caseworker who
//!   held the case then (by its transfers).
//! - Consent on a day: the latest decision made by then — the first (`consent.given`), or a
//!   later one of `consent.updates`.
//! - Episodes: a case reopened with `cm reopen` has several. An `intake` entry of the history
//!   right after a `closed` entry starts a new episode; an episode ends on the day of its
//!   `closed` entry (the last one, on its closure's date). The closures of the earlier episodes
//!   are kept in `episodes`, the current one in `closure`.

use chrono::NaiveDate;

use crate::model::{
    Case, Closure, ConsentDecision, GoalStatus, PastEpisode, Phase, Risk, Scores, ServiceStatus,
};

/// The domain scores after the assessment and the first `reviews` reviews of `case`.
pub fn domains_after(case: &Case, reviews: usize) -> Scores {
    let mut scores = baseline(case);
    for review in case.reviews.iter().take(reviews) {
        scores.extend(review.domains.iter().map(|(d, s)| (d.clone(), *s)));
    }
    scores
}

/// The goal attainment scores after the first `reviews` reviews of `case`: each goal's latest.
pub fn goals_after(case: &Case, reviews: usize) -> Scores {
    let mut scores = Scores::new();
    for review in case.reviews.iter().take(reviews) {
        scores.extend(review.goals.iter().map(|(g, s)| (g.clone(), *s)));
    }
    scores
}

/// The baseline: the domain scores of the assessment (none without one).
pub fn baseline(case: &Case) -> Scores {
    case.assessment
        .as_ref()
        .map(|a| a.domains.clone())
        .unwrap_or_default()
}

/// The latest score of every domain: after every review, then the closure's exit scores (those
/// of a reopened case's earlier closures in their place among the reviews, by date). Exit
/// scores written before the closure is dated (a closure made ready for `cm advance --to
/// closed`) are not yet a fact, and do not count.
pub fn latest_domains(case: &Case) -> Scores {
    carried(case, None)
}

/// The scores of every domain at `closure`, one of [`closures`]: after every review and earlier
/// closure by its date, then its exit scores.
pub fn domains_at(case: &Case, closure: &Closure) -> Scores {
    match closure.date {
        Some(date) => carried(case, Some(date)),
        None => latest_domains(case),
    }
}

/// The baseline, then the reviews and the dated closures in date order (a closure after the
/// reviews of its day), those up to `until` when it is given.
fn carried(case: &Case, until: Option<NaiveDate>) -> Scores {
    let mut scores = baseline(case);
    let by_then = |d: Option<NaiveDate>| until.is_none_or(|u| d.is_some_and(|d| d <= u));
    let mut closures = closures(case).filter(|c| by_then(c.date)).peekable();
    for review in case.reviews.iter().filter(|r| by_then(r.date)) {
        while let Some(closure) = closures.next_if(|c| c.date < review.date) {
            scores.extend(closure.domains.iter().map(|(d, s)| (d.clone(), *s)));
        }
        scores.extend(review.domains.iter().map(|(d, s)| (d.clone(), *s)));
    }
    for closure in closures {
        scores.extend(closure.domains.iter().map(|(d, s)| (d.clone(), *s)));
    }
    scores
}

/// `(domain, baseline, latest)` for each domain assessed at baseline, by name; `None` without an
/// assessment.
pub fn assessed(case: &Case) -> Option<Vec<(&str, i64, i64)>> {
    assessed_with(case, latest_domains(case))
}

/// As [`assessed`], the latest scores being those at `closure` (see [`domains_at`]).
pub fn assessed_at<'a>(case: &'a Case, closure: &Closure) -> Option<Vec<(&'a str, i64, i64)>> {
    assessed_with(case, domains_at(case, closure))
}

fn assessed_with(case: &Case, latest: Scores) -> Option<Vec<(&str, i64, i64)>> {
    let baseline = &case.assessment.as_ref()?.domains;
    Some(
        baseline
            .iter()
            .map(|(d, s)| (d.as_str(), *s, latest.get(d).copied().unwrap_or(*s)))
            .collect(),
    )
}

/// The latest attainment of goal `id`: the score of the latest review that scored it, with that
/// review's date.
pub fn attainment(case: &Case, id: &str) -> Option<(i64, Option<NaiveDate>)> {
    case.reviews
        .iter()
        .rev()
        .find_map(|r| r.goals.get(id).map(|score| (*score, r.date)))
}

/// The phase `case` was in on `day`, by its history.
pub fn phase_on(case: &Case, day: NaiveDate) -> Option<Phase> {
    case.history
        .iter()
        .filter(|h| h.date.is_some_and(|d| d <= day))
        .filter_map(|h| h.phase)
        .next_back()
}

/// Where a decision about the risk is recorded.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RiskFrom {
    /// `history[i]`: the risk at intake (or at a later phase entered).
    History(usize),
    /// `reviews[i]`: the risk decided at a review.
    Review(usize),
    /// `risk_changes[i]`: a change between reviews.
    Change(usize),
}

/// A dated decision about the risk of a case.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct RiskDecision {
    pub date: NaiveDate,
    pub risk: Risk,
    pub from: RiskFrom,
}

/// Every dated decision about the risk of `case`, oldest first; on one day, the history's
/// before the reviews' before the changes'.
pub fn risk_decisions(case: &Case) -> Vec<RiskDecision> {
    let decision = |date: Option<NaiveDate>, risk: Option<Risk>, from| {
        Some(RiskDecision {
            date: date?,
            risk: risk?,
            from,
        })
    };
    let history = case.history.iter().enumerate();
    let reviews = case.reviews.iter().enumerate();
    let changes = case.risk_changes.iter().enumerate();
    let mut all: Vec<RiskDecision> = history
        .filter_map(|(i, h)| decision(h.date, h.risk, RiskFrom::History(i)))
        .chain(reviews.filter_map(|(i, r)| decision(r.date, r.risk, RiskFrom::Review(i))))
        .chain(changes.filter_map(|(i, x)| decision(x.date, x.risk, RiskFrom::Change(i))))
        .collect();
    all.sort_by_key(|d| d.date);
    all
}

/// The risk of `case` on `day`: that of the last decision made by then, else the case's risk
/// (a file that does not record the risk at intake).
pub fn risk_on(case: &Case, day: NaiveDate) -> Option<Risk> {
    risk_decisions(case)
        .iter()
        .rev()
        .find(|d| d.date <= day)
        .map(|d| d.risk)
        .or(case.risk)
}

/// One episode of a case: from the day it was opened (the case's `opened`, then the date of
/// each reopening) to the day it was closed, if it was.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Episode {
    pub start: NaiveDate,
    pub end: Option<NaiveDate>,
}

impl Episode {
    /// Open on `day`: started by then and not closed by then (a case is not open on the day it
    /// is closed).
    pub fn open_on(&self, day: NaiveDate) -> bool {
        self.start <= day && self.end.is_none_or(|end| day < end)
    }

    /// Open at some time from `from` (none: since ever) to `to`, both included: started by
    /// `to`, and not closed before `from`.
    pub fn open_between(&self, from: Option<NaiveDate>, to: NaiveDate) -> bool {
        self.start <= to && from.is_none_or(|from| self.end.is_none_or(|end| end >= from))
    }
}

/// The episodes of `case`, oldest first, from its history: the first starts on `opened` (else
/// on the first entry's date); each `intake` entry right after a `closed` entry starts another.
/// An episode ends on the date of the last `closed` entry before the next one starts; the last
/// ends on its `closed` entry's date, else on the closure's date, else is open. A case with no
/// dates has none.
pub fn episodes(case: &Case) -> Vec<Episode> {
    let mut out: Vec<Episode> = Vec::new();
    let first = case
        .opened
        .or_else(|| case.history.iter().find_map(|h| h.date));
    let Some(first) = first else {
        return out;
    };
    out.push(Episode {
        start: first,
        end: None,
    });
    let mut last: Option<Phase> = None;
    for entry in &case.history {
        let Some(phase) = entry.phase else { continue };
        match (last, phase, entry.date) {
            (Some(Phase::Closed), Phase::Intake, Some(date)) => out.push(Episode {
                start: date,
                end: None,
            }),
            (_, Phase::Closed, Some(date)) => {
                if let Some(current) = out.last_mut() {
                    current.end = Some(date);
                }
            }
            _ => {}
        }
        last = Some(phase);
    }
    if let Some(current) = out.last_mut()
        && current.end.is_none()
    {
        current.end = case.closure.as_ref().and_then(|c| c.date);
    }
    out
}

/// Whether `case` was open on `day`: an episode of it was.
pub fn open_on(case: &Case, day: NaiveDate) -> bool {
    episodes(case).iter().any(|e| e.open_on(day))
}

/// Every dated closure of `case`, oldest first: those of its earlier episodes, then its own.
pub fn closures(case: &Case) -> impl Iterator<Item = &Closure> {
    case.episodes
        .iter()
        .filter_map(|e| e.closure.as_ref())
        .chain(case.closure.as_ref())
        .filter(|c| c.date.is_some())
}

/// The caseworker of `case` on `day`, from its transfers: before the first, the first one's
/// `from`; from the day of each, its `to`. A case with no transfer has had one caseworker.
pub fn caseworker_on(case: &Case, day: NaiveDate) -> Option<&str> {
    let Some(first) = case.transfers.first() else {
        return case.caseworker.as_deref();
    };
    let mut holder = first.from.as_deref();
    for transfer in &case.transfers {
        match transfer.date {
            Some(date) if date <= day => holder = transfer.to.as_deref(),
            _ => break,
        }
    }
    holder
}

/// A decision about consent, as it stands in the file.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct ConsentOn<'a> {
    /// Which decision: `None` for the first (`consent`), else the index of its update.
    pub update: Option<usize>,
    pub decision: ConsentDecision,
    pub date: Option<NaiveDate>,
    /// The organisations the client allows sharing with (none unless consent is given).
    pub share_with: &'a [String],
}

impl ConsentOn<'_> {
    pub fn is_given(&self) -> bool {
        self.decision == ConsentDecision::Given
    }
}

/// The client's decision about consent in force on `day`: the latest made by then. The first
/// decision counts from its date, or from the start when it has none (older files); `None`
/// when no decision was made by then.
pub fn consent_on(case: &Case, day: NaiveDate) -> Option<ConsentOn<'_>> {
    let consent = case.consent.as_ref()?;
    let mut on = consent
        .given
        .filter(|_| consent.date.is_none_or(|d| d <= day))
        .map(|given| ConsentOn {
            update: None,
            decision: if given {
                ConsentDecision::Given
            } else {
                ConsentDecision::Refused
            },
            date: consent.date,
            share_with: if given { &consent.share_with } else { &[] },
        });
    for (i, u) in consent.updates.iter().enumerate() {
        let (Some(date), Some(decision)) = (u.date, u.decision) else {
            continue;
        };
        if date > day {
            break;
        }
        on = Some(ConsentOn {
            update: Some(i),
            decision,
            date: Some(date),
            share_with: if decision == ConsentDecision::Given {
                &u.share_with
            } else {
                &[]
            },
        });
    }
    on
}

/// The case as it stood at the end of `day`: only the facts dated on or before it. `None` when
/// the case was not opened yet. The history, reviews, contacts, transfers, changes of risk and
/// decisions about consent keep their entries up to `day`; the phase, caseworker and risk are
/// those of `day`; an assessment, a plan, a goal or a service dated later is not there; a goal's
/// or a service's status is that of its last update by then (a service ends only if it had);
/// the closure is the one of the episode closed by then, and an earlier episode reopened after
/// `day` is closed again. Undated entries are kept: the rules report them. `None` too when the
/// case came from another office after `day` (see [`Case::arrived`]): it was not this office's.
pub fn as_of(case: &Case, day: NaiveDate) -> Option<Case> {
    if not_yet(case, day) {
        return None;
    }
    into_as_of(case.clone(), day)
}

/// Whether the case was not this office's yet on `day`: opened, or come from another office,
/// after it.
fn not_yet(case: &Case, day: NaiveDate) -> bool {
    case.opened.is_some_and(|opened| opened > day) || case.arrived().is_some_and(|a| a > day)
}

/// [`as_of`] of a case the caller no longer needs as it is: a reader of every case makes each
/// into its day's without a copy.
pub fn into_as_of(mut c: Case, day: NaiveDate) -> Option<Case> {
    if not_yet(&c, day) {
        return None;
    }
    let by = |date: Option<NaiveDate>| date.is_none_or(|d| d <= day);
    // Read from the whole case, before its later entries go.
    let caseworker = caseworker_on(&c, day).map(str::to_string);
    let risk = risk_on(&c, day);
    c.history.retain(|h| by(h.date));
    c.phase = c
        .history
        .iter()
        .filter_map(|h| h.phase)
        .next_back()
        .or(c.phase);
    c.caseworker = caseworker;
    c.risk = risk;
    c.transfers.retain(|t| by(t.date));
    c.reviews.retain(|r| by(r.date));
    c.contacts.retain(|x| by(x.date));
    c.risk_changes.retain(|x| by(x.date));
    if let Some(consent) = &mut c.consent {
        consent.updates.retain(|u| by(u.date));
    }
    c.consent = c.consent.filter(|x| by(x.date));
    c.assessment = c.assessment.filter(|a| by(a.date));
    c.plan = c.plan.filter(|p| by(p.date));
    if let Some(plan) = &mut c.plan {
        plan.goals.retain(|g| by(g.added));
        // A goal whose status no update records (a file from before goals had updates) keeps
        // it: since when is not known.
        for goal in &mut plan.goals {
            let recorded = !goal.updates.is_empty();
            goal.updates.retain(|u| by(u.date));
            if recorded {
                let last = goal.updates.last().and_then(|u| u.status);
                goal.status = Some(last.unwrap_or(GoalStatus::Active));
            }
        }
    }
    c.services.retain(|s| by(s.referred));
    for service in &mut c.services {
        let recorded = !service.updates.is_empty();
        service.updates.retain(|u| by(u.date));
        if recorded {
            service.status = Some(
                service
                    .updates
                    .last()
                    .and_then(|u| u.status)
                    .unwrap_or(ServiceStatus::Referred),
            );
        }
        service.ended = service.ended.filter(|d| *d <= day);
    }
    // The closures: those dated by `day`, the last of which is the case's if it was closed then.
    let mut closed: Vec<PastEpisode> = Vec::new();
    for episode in c
        .episodes
        .drain(..)
        .chain(c.closure.take().map(|closure| PastEpisode {
            opened: None,
            closure: Some(closure),
        }))
    {
        match episode.closure.as_ref().map(|x| x.date) {
            Some(Some(date)) if date > day => {}
            // A closure written ahead, undated, stays the case's.
            Some(None) => c.closure = episode.closure,
            _ => closed.push(episode),
        }
    }
    if c.phase == Some(Phase::Closed) {
        c.closure = closed.pop().and_then(|e| e.closure);
    }
    c.episodes = closed;
    Some(c)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn the_caseworker_of_a_day_follows_the_transfers() {
        let case = Case::from_json(&json!({
            "caseworker": "c",
            "transfers": [
                {"date": "2026-03-01", "from": "a", "to": "b", "by": "a"},
                {"date": "2026-06-01", "from": "b", "to": "c", "by": "b"},
            ],
        }));
        let on = |d: &str| caseworker_on(&case, d.parse().unwrap());
        assert_eq!(on("2026-02-28"), Some("a"));
        assert_eq!(on("2026-03-01"), Some("b"));
        assert_eq!(on("2026-05-31"), Some("b"));
        assert_eq!(on("2026-06-01"), Some("c"));
        let alone = Case::from_json(&json!({"caseworker": "a"}));
        assert_eq!(
            caseworker_on(&alone, "2020-01-01".parse().unwrap()),
            Some("a")
        );
    }

    #[test]
    fn the_consent_of_a_day_is_the_latest_decision_by_then() {
        let case = Case::from_json(&json!({
            "consent": {"given": true, "date": "2026-01-10", "share_with": ["behzisti"],
                "updates": [
                    {"date": "2026-03-01", "decision": "withdrawn", "by": "a"},
                    {"date": "2026-05-01", "decision": "given", "share_with": ["emdad"], "by": "a"},
                ]},
        }));
        let on = |d: &str| {
            consent_on(&case, d.parse().unwrap())
                .map(|c| (c.update, c.decision, c.share_with.to_vec()))
        };
        assert_eq!(on("2026-01-09"), None);
        assert_eq!(
            on("2026-01-10"),
            Some((None, ConsentDecision::Given, vec!["behzisti".to_string()]))
        );
        assert_eq!(
            on("2026-04-30"),
            Some((Some(0), ConsentDecision::Withdrawn, vec![]))
        );
        assert_eq!(
            on("2026-05-01"),
            Some((Some(1), ConsentDecision::Given, vec!["emdad".to_string()]))
        );
        let undated = Case::from_json(&json!({"consent": {"given": false}}));
        assert_eq!(
            consent_on(&undated, "2000-01-01".parse().unwrap()).map(|c| c.decision),
            Some(ConsentDecision::Refused)
        );
    }

    /// A case closed in March, reopened in April (risk high at the new intake), closed again in
    /// June and reopened in August.
    #[test]
    fn episodes_start_at_each_intake_after_a_closure() {
        let c = Case::from_json(&json!({
            "opened": "2026-01-10", "risk": "high",
            "assessment": {"date": "2026-01-15", "domains": {"income": 1}},
            "reviews": [{"date": "2026-02-01", "risk": "low", "domains": {"income": 2}}],
            "episodes": [
                {"opened": "2026-01-10", "closure": {"date": "2026-03-01", "domains": {"income": 4}}},
                {"opened": "2026-04-01", "closure": {"date": "2026-06-01", "domains": {"income": 3}}},
            ],
            "history": [{"date": "2026-01-10", "phase": "intake"},
                        {"date": "2026-03-01", "phase": "closed"},
                        {"date": "2026-04-01", "phase": "intake", "risk": "high"},
                        {"date": "2026-06-01", "phase": "closed"},
                        {"date": "2026-08-01", "phase": "intake"},
                        {"date": "2026-08-05", "phase": "assessment"}],
        }));
        let day = |d: &str| d.parse::<NaiveDate>().unwrap();
        let episode = |start: &str, end: Option<&str>| Episode {
            start: day(start),
            end: end.map(day),
        };
        assert_eq!(
            episodes(&c),
            [
                episode("2026-01-10", Some("2026-03-01")),
                episode("2026-04-01", Some("2026-06-01")),
                episode("2026-08-01", None),
            ]
        );
        assert!(open_on(&c, day("2026-02-28")));
        assert!(!open_on(&c, day("2026-03-01")));
        assert!(!open_on(&c, day("2026-03-31")));
        assert!(open_on(&c, day("2026-04-01")));
        assert!(open_on(&c, day("2026-10-01")));
        assert_eq!(phase_on(&c, day("2026-03-15")), Some(Phase::Closed));
        assert_eq!(phase_on(&c, day("2026-04-01")), Some(Phase::Intake));
        assert_eq!(phase_on(&c, day("2026-08-05")), Some(Phase::Assessment));
        // The risk decided at the reopening holds over the earlier review's.
        assert_eq!(risk_on(&c, day("2026-03-15")), Some(Risk::Low));
        assert_eq!(risk_on(&c, day("2026-04-01")), Some(Risk::High));
        // The exit scores of the earlier closures carry forward, each in its place.
        let first = c.episodes[0].closure.as_ref().unwrap();
        assert_eq!(pairs(&domains_at(&c, first)), [("income", 4)]);
        assert_eq!(pairs(&latest_domains(&c)), [("income", 3)]);
        assert_eq!(closures(&c).count(), 2);
    }

    #[test]
    fn the_case_as_of_a_day_holds_only_what_was_dated_by_then() {
        let case = Case::from_json(&json!({
            "opened": "2026-01-10", "caseworker": "b", "risk": "low", "phase": "closed",
            "consent": {"given": true, "date": "2026-01-10", "share_with": ["x"],
                        "updates": [{"date": "2026-12-01", "decision": "withdrawn", "by": "b"}]},
            "assessment": {"date": "2026-01-15", "domains": {"income": 1}},
            "plan": {"date": "2026-02-01", "goals": [
                {"id": "G1", "status": "achieved",
                 "updates": [{"date": "2026-11-20", "status": "achieved", "by": "a"}]},
                {"id": "G2", "status": "active", "added": "2026-12-01"}]},
            "services": [
                {"id": "S1", "referred": "2026-02-05", "status": "completed", "ended": "2026-12-01",
                 "updates": [{"date": "2026-02-10", "status": "accepted", "by": "a"},
                             {"date": "2026-12-01", "status": "completed", "by": "b"}]},
                {"id": "S2", "referred": "2026-12-01", "status": "referred"}],
            "reviews": [{"date": "2026-06-01", "risk": "high"}, {"date": "2026-12-01", "risk": "low"}],
            "contacts": [{"date": "2026-11-30"}, {"date": "2026-12-01"}],
            "closure": {"date": "2026-12-01", "reason": "goals-achieved"},
            "history": [{"date": "2026-01-10", "phase": "intake", "risk": "medium"},
                        {"date": "2026-02-01", "phase": "implementation"},
                        {"date": "2026-12-01", "phase": "closed"}],
            "transfers": [{"date": "2026-12-01", "from": "a", "to": "b", "by": "a"}],
        }));
        let day = |d: &str| d.parse::<NaiveDate>().unwrap();
        assert!(as_of(&case, day("2026-01-09")).is_none());
        let then = as_of(&case, day("2026-11-30")).unwrap();
        assert_eq!(then.phase, Some(Phase::Implementation));
        assert!(then.closure.is_none());
        assert_eq!(then.caseworker.as_deref(), Some("a"));
        assert_eq!(then.risk, Some(Risk::High));
        assert_eq!(then.history.len(), 2);
        assert_eq!((then.reviews.len(), then.contacts.len()), (1, 1));
        assert!(then.transfers.is_empty());
        assert_eq!(
            consent_on(&then, day("2026-11-30")).map(|c| c.decision),
            Some(ConsentDecision::Given)
        );
        assert_eq!(then.consent.as_ref().unwrap().updates.len(), 0);
        let goals = then.goals();
        assert_eq!(goals.len(), 1);
        assert_eq!(goals[0].status, Some(GoalStatus::Achieved));
        assert_eq!(then.services.len(), 1);
        assert_eq!(then.services[0].status, Some(ServiceStatus::Accepted));
        assert_eq!(then.services[0].ended, None);
        // A goal achieved later is active then.
        let before = as_of(&case, day("2026-11-19")).unwrap();
        assert_eq!(before.goals()[0].status, Some(GoalStatus::Active));
        // On the day of the closure, all of it.
        let closed = as_of(&case, day("2026-12-01")).unwrap();
        assert_eq!(closed.phase, Some(Phase::Closed));
        assert_eq!(closed.closure.and_then(|c| c.date), Some(day("2026-12-01")));
        assert_eq!(closed.caseworker.as_deref(), Some("b"));
    }

    #[test]
    fn a_reopened_case_as_of_a_day_in_an_earlier_episode() {
        let case = Case::from_json(&json!({
            "opened": "2025-02-10", "risk": "medium", "phase": "intake",
            "episodes": [{"opened": "2025-02-10",
                          "closure": {"date": "2026-01-20", "reason": "goals-achieved"}}],
            "history": [{"date": "2025-02-10", "phase": "intake", "risk": "low"},
                        {"date": "2025-03-01", "phase": "monitoring"},
                        {"date": "2026-01-20", "phase": "closed"},
                        {"date": "2026-10-12", "phase": "intake", "risk": "medium"}],
        }));
        let day = |d: &str| d.parse::<NaiveDate>().unwrap();
        let closed = as_of(&case, day("2026-05-01")).unwrap();
        assert_eq!(closed.phase, Some(Phase::Closed));
        assert_eq!(closed.risk, Some(Risk::Low));
        assert_eq!(
            closed.closure.as_ref().and_then(|c| c.date),
            Some(day("2026-01-20"))
        );
        assert!(closed.episodes.is_empty());
        let open = as_of(&case, day("2025-06-01")).unwrap();
        assert_eq!(open.phase, Some(Phase::Monitoring));
        assert!(open.closure.is_none() && open.episodes.is_empty());
        let now = as_of(&case, day("2026-11-01")).unwrap();
        assert_eq!(now.phase, Some(Phase::Intake));
        assert!(now.closure.is_none());
        assert_eq!(now.episodes.len(), 1);
    }

    fn case() -> Case {
        Case::from_json(&json!({
            "risk": "low",
            "assessment": {"date": "2026-01-15", "domains": {"income": 1, "housing": 2, "health": 4}},
            "reviews": [
                {"date": "2026-02-01", "domains": {"income": 2}, "goals": {"G1": 0, "G2": -1},
                 "risk": "high"},
                {"date": "2026-03-01", "domains": {"housing": 3, "safety": 1}, "goals": {"G1": 1}}],
            "closure": {"date": "2026-04-10", "domains": {"health": 3}},
            "history": [{"date": "2026-01-10", "phase": "intake"},
                        {"date": "2026-01-15", "phase": "assessment"},
                        {"date": "2026-04-10", "phase": "closed"}],
        }))
    }

    fn pairs(scores: &Scores) -> Vec<(&str, i64)> {
        scores.iter().map(|(d, s)| (d.as_str(), *s)).collect()
    }

    #[test]
    fn scores_carry_forward_through_reviews_then_the_closure() {
        let c = case();
        assert_eq!(
            pairs(&domains_after(&c, 1)),
            [("health", 4), ("housing", 2), ("income", 2)]
        );
        assert_eq!(
            pairs(&latest_domains(&c)),
            [("health", 3), ("housing", 3), ("income", 2), ("safety", 1)]
        );
        assert_eq!(
            assessed(&c).unwrap(),
            [("health", 4, 3), ("housing", 2, 3), ("income", 1, 2)]
        );
        assert_eq!(pairs(&goals_after(&c, 2)), [("G1", 1), ("G2", -1)]);
    }

    #[test]
    fn a_goal_has_the_attainment_of_its_latest_review() {
        let c = case();
        let march = NaiveDate::from_ymd_opt(2026, 3, 1);
        let february = NaiveDate::from_ymd_opt(2026, 2, 1);
        assert_eq!(attainment(&c, "G1"), Some((1, march)));
        assert_eq!(attainment(&c, "G2"), Some((-1, february)));
        assert_eq!(attainment(&c, "G3"), None);
    }

    #[test]
    fn phase_and_risk_on_a_day() {
        let c = case();
        let day = |d: &str| d.parse::<NaiveDate>().unwrap();
        assert_eq!(phase_on(&c, day("2026-01-09")), None);
        assert_eq!(phase_on(&c, day("2026-02-01")), Some(Phase::Assessment));
        assert_eq!(phase_on(&c, day("2026-04-10")), Some(Phase::Closed));
        assert_eq!(risk_on(&c, day("2026-01-31")), Some(Risk::Low));
        assert_eq!(risk_on(&c, day("2026-02-01")), Some(Risk::High));
    }
}
