//! The changes to a case, as `cm diff` gives them: each kind of change with what it tells, and
//! the fields, scores and history entries it is made of. These are what `--format json` writes.

use serde::Serialize;
use serde_json::Value as Json;

use cm_base::diagnostic::Code;

/// One change to a case.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Change {
    /// The file is new.
    Opened {
        opened: Option<String>,
        program: Option<String>,
        phase: Option<String>,
        risk: Option<String>,
        caseworker: Option<String>,
    },
    /// The file was deleted.
    Deleted {
        phase: Option<String>,
    },
    /// The case's id changed (and so its file).
    Renamed {
        from: String,
    },
    /// The file moved, the id staying the same.
    Moved {
        from: String,
    },
    /// One version cannot be read, so the two are not compared.
    Unreadable {
        at: String,
        path: String,
        line: usize,
        column: usize,
        code: Code,
        message: String,
    },
    /// The case was reopened (`cm reopen`): the day of the intake entry that began the new
    /// episode, and its number (the first episode is 1). The closure it ended moved into
    /// `episodes`; its reason is personal, and not told.
    Reopened {
        date: Option<String>,
        episode: usize,
    },
    /// The phase changed: the history entries appended, oldest first.
    Phase {
        from: Option<String>,
        to: Option<String>,
        entered: Vec<Entered>,
    },
    /// The case was closed: the closure dated (written now, or completed), with the exit
    /// scores that moved.
    Closure {
        date: Option<String>,
        reason: Option<String>,
        domains: Vec<Score>,
    },
    /// A closure written ahead of closing, without its date: the exit scores it holds, which
    /// count once it is dated.
    ClosureAhead {
        domains: Vec<Score>,
    },
    /// The risk changed; with the date of the decision appended to `risk_changes` that made it.
    Risk {
        from: Option<String>,
        to: Option<String>,
        #[serde(skip_serializing_if = "Option::is_none")]
        date: Option<String>,
    },
    /// A change of the risk appended to `risk_changes` that did not change `risk` (its note is
    /// personal, and not told).
    RiskDecided {
        date: Option<String>,
        risk: Option<String>,
        by: Option<String>,
    },
    /// The case went to another caseworker.
    Caseworker {
        from: Option<String>,
        to: Option<String>,
    },
    /// A transfer appended: the case passed from one caseworker to another on a day (its
    /// `reason` is personal, and not told).
    Transferred {
        date: Option<String>,
        from: Option<String>,
        to: Option<String>,
        by: Option<String>,
        #[serde(skip_serializing_if = "Option::is_none")]
        approved_by: Option<String>,
    },
    /// The client gave consent: when, and with how many organisations it allows sharing (which
    /// ones only when `--include consent.share_with` asks for them).
    ConsentGiven {
        date: Option<String>,
        organisations: Option<usize>,
        #[serde(skip_serializing_if = "Option::is_none")]
        share_with: Option<Json>,
    },
    /// The consent given is no longer: `given` became false, or the consent was removed. The
    /// date is the new `consent.date`, when it changed.
    ConsentWithdrawn {
        date: Option<String>,
    },
    /// Consent was recorded for the first time, as not given.
    ConsentRefused {
        date: Option<String>,
    },
    /// The consent otherwise changed: its fields, by their path within `consent`.
    ConsentChanged {
        fields: Vec<Field>,
    },
    /// The needs assessment was recorded.
    Assessment {
        date: Option<String>,
        domains: Vec<Score>,
    },
    GoalAdded {
        id: String,
        domain: Option<String>,
    },
    GoalRemoved {
        id: String,
    },
    /// An update appended to a goal: its status moved from `from` to `to` on `date` (its
    /// `reason` and `note` are personal, and not told).
    GoalUpdated {
        id: String,
        from: Option<String>,
        to: Option<String>,
        date: Option<String>,
        by: Option<String>,
    },
    GoalChanged {
        id: String,
        fields: Vec<Field>,
    },
    ServiceAdded {
        id: String,
        #[serde(rename = "type")]
        kind: Option<String>,
        status: Option<String>,
    },
    ServiceRemoved {
        id: String,
    },
    /// An update appended to a service: its status moved from `from` to `to` on `date`
    /// (`reason`, why a provider declined).
    ServiceUpdated {
        id: String,
        from: Option<String>,
        to: Option<String>,
        date: Option<String>,
        by: Option<String>,
        #[serde(skip_serializing_if = "Option::is_none")]
        reason: Option<String>,
    },
    ServiceChanged {
        id: String,
        fields: Vec<Field>,
    },
    /// A monitoring review was appended: the domain and goal scores it moved.
    ReviewAdded {
        date: Option<String>,
        by: Option<String>,
        domains: Vec<Score>,
        goals: Vec<Score>,
    },
    /// A contact was appended to the contact log: when, how and by whom (who it was with and
    /// its note are personal, and not told).
    ContactAdded {
        date: Option<String>,
        #[serde(rename = "type")]
        kind: Option<String>,
        by: Option<String>,
    },
    /// Every other field that changed.
    Other {
        fields: Vec<Field>,
    },
    /// The file changed but the case did not: comments, quoting or layout only.
    Layout,
}

/// A history entry appended: the phase entered.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Entered {
    pub phase: Option<String>,
    pub date: Option<String>,
    pub by: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub approved_by: Option<String>,
}

/// A score that moved: a domain's (1..5) or a goal's attainment (-2..+2). `from` is the score
/// before (carried forward through the reviews), absent when there was none.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Score {
    pub name: String,
    pub from: Option<Json>,
    pub to: Json,
}

/// A field that changed, by its path in the case (`client.phone`, `history[2].date`). The
/// values are given only for plain values that may be shown: a personal field is named, its
/// value kept back unless the user asked for it with `--include`.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Field {
    pub path: String,
    pub change: FieldChange,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub from: Option<Json>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub to: Option<Json>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum FieldChange {
    Added,
    Removed,
    Changed,
}
