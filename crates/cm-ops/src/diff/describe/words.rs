//! The changes in English, as `cm diff` prints them: one phrase for each change, dates in the
//! user's calendar.

use serde_json::Value as Json;

use cm_base::calendar::{self, Calendar, parse_iso};
use cm_base::diagnostic::Code;

use super::changes::{Change, Field, FieldChange, Score};

impl Change {
    /// The change in words, dates in `calendar`.
    pub fn words(&self, calendar: Calendar) -> String {
        let date = |d: &Option<String>| {
            d.as_deref()
                .map_or("?".to_string(), |d| show_date(d, calendar))
        };
        let or_none = |v: &Option<String>| v.clone().unwrap_or_else(|| "(none)".to_string());
        match self {
            Change::Opened {
                opened,
                program,
                phase,
                risk,
                caseworker,
            } => format!(
                "new case, opened {}: {}, phase {}, risk {}, caseworker {}",
                date(opened),
                or_none(program),
                or_none(phase),
                or_none(risk),
                or_none(caseworker)
            ),
            Change::Deleted { phase } => match phase {
                Some(p) => format!("case file deleted (it was in {p})"),
                None => "case file deleted".to_string(),
            },
            Change::Renamed { from } => format!("renamed from {from}"),
            Change::Moved { from } => format!("moved from {from}"),
            Change::Unreadable {
                at,
                path,
                line,
                column,
                code,
                message,
            } => unreadable_words(at, path, *line, *column, Some(*code), message),
            Change::Reopened { date: d, episode } => {
                format!("reopened on {} (episode {episode})", date(d))
            }
            Change::Phase { from, to, entered } => {
                let mut words = format!("phase {}", or_none(from));
                if entered.is_empty() {
                    words.push_str(&format!(" → {}", or_none(to)));
                }
                for e in entered {
                    words.push_str(&format!(" → {} ({}", or_none(&e.phase), date(&e.date)));
                    if let Some(a) = &e.approved_by {
                        words.push_str(&format!(", approved by {a}"));
                    }
                    words.push(')');
                }
                words
            }
            Change::Closure {
                date: d,
                reason,
                domains,
            } => format!(
                "closure {} {}{}",
                date(d),
                or_none(reason),
                listed(scores(domains, false))
            ),
            Change::ClosureAhead { domains } => format!(
                "closure written ahead, not yet closed{}",
                listed(scores(domains, false))
            ),
            Change::Risk { from, to, date: d } => match d {
                Some(_) => format!("risk {} → {} ({})", or_none(from), or_none(to), date(d)),
                None => format!("risk {} → {}", or_none(from), or_none(to)),
            },
            Change::RiskDecided { date: d, risk, .. } => {
                format!("risk change {} {} added", date(d), or_none(risk))
            }
            Change::Caseworker { from, to } => {
                format!("caseworker {} → {}", or_none(from), or_none(to))
            }
            Change::Transferred {
                date: d,
                from,
                to,
                approved_by,
                ..
            } => {
                let mut words = format!(
                    "transferred {} → {} on {}",
                    or_none(from),
                    or_none(to),
                    date(d)
                );
                if let Some(a) = approved_by {
                    words.push_str(&format!(" (approved by {a})"));
                }
                words
            }
            Change::ConsentGiven {
                date: d,
                organisations,
                share_with,
            } => {
                let mut about: Vec<String> = d.iter().map(|d| show_date(d, calendar)).collect();
                match (share_with.as_ref().and_then(Json::as_array), organisations) {
                    (Some(names), _) if !names.is_empty() => about.push(format!(
                        "shared with {}",
                        names.iter().map(plain).collect::<Vec<_>>().join(", ")
                    )),
                    (_, Some(0)) => about.push("shared with no organisation".to_string()),
                    (_, Some(1)) => about.push("shared with 1 organisation".to_string()),
                    (_, Some(n)) => about.push(format!("shared with {n} organisations")),
                    (_, None) => {}
                }
                if about.is_empty() {
                    "consent given".to_string()
                } else {
                    format!("consent given ({})", about.join(", "))
                }
            }
            Change::ConsentWithdrawn { date: d } => match d {
                Some(d) => format!("consent withdrawn ({})", show_date(d, calendar)),
                None => "consent withdrawn".to_string(),
            },
            Change::ConsentRefused { date: d } => match d {
                Some(d) => format!("consent refused ({})", show_date(d, calendar)),
                None => "consent refused".to_string(),
            },
            Change::ConsentChanged { fields } => {
                format!("consent: {}", fields_words(fields, calendar))
            }
            Change::Assessment { date: d, domains } => {
                format!("assessment {}{}", date(d), listed(scores(domains, false)))
            }
            Change::GoalAdded { id, domain } => match domain {
                Some(d) => format!("goal {id} added ({d})"),
                None => format!("goal {id} added"),
            },
            Change::GoalRemoved { id } => format!("goal {id} removed"),
            Change::GoalUpdated {
                id, to, date: d, ..
            } => {
                format!("goal {id} {} on {}", or_none(to), date(d))
            }
            Change::GoalChanged { id, fields } => {
                format!("goal {id} {}", fields_words(fields, calendar))
            }
            Change::ServiceAdded { id, kind, status } => format!(
                "service {id} added ({}, {})",
                or_none(kind),
                or_none(status)
            ),
            Change::ServiceRemoved { id } => format!("service {id} removed"),
            Change::ServiceUpdated {
                id,
                from,
                to,
                date: d,
                reason,
                ..
            } => format!(
                "service {id} {} → {}{} on {}",
                or_none(from),
                or_none(to),
                reason
                    .as_ref()
                    .map(|r| format!(" ({r})"))
                    .unwrap_or_default(),
                date(d)
            ),
            Change::ServiceChanged { id, fields } => {
                format!("service {id} {}", fields_words(fields, calendar))
            }
            Change::ReviewAdded {
                date: d,
                domains,
                goals,
                ..
            } => format!(
                "review {} added{}",
                date(d),
                listed(scores(domains, false).chain(scores(goals, true)))
            ),
            Change::ContactAdded { date: d, kind, .. } => {
                format!("contact {} {} added", date(d), or_none(kind))
            }
            Change::Other { fields } => {
                format!("other fields: {}", fields_words(fields, calendar))
            }
            Change::Layout => "only comments or layout changed".to_string(),
        }
    }
}

/// The label of the working tree where a revision's name would stand.
pub const WORKING_TREE: &str = "working tree";

/// A file that cannot be read at `at`, in words: where and why (the problem's code when it has
/// one).
pub(crate) fn unreadable_words(
    at: &str,
    path: &str,
    line: usize,
    column: usize,
    code: Option<Code>,
    message: &str,
) -> String {
    format!(
        "cannot be read {} ({path}:{line}:{column}: {}{message}), so not compared",
        if at == WORKING_TREE {
            "in the working tree".to_string()
        } else {
            format!("at {at}")
        },
        code.map_or_else(String::new, |c| format!("{c}: "))
    )
}

/// The scores in words: `income 1 → 2`, `housing 3` when new; goal attainment signed
/// (`G1 -1 → +1`).
fn scores(list: &[Score], signed: bool) -> impl Iterator<Item = String> + '_ {
    let value = move |v: &Json| match v.as_i64() {
        Some(n) if signed && n > 0 => format!("+{n}"),
        _ => plain(v),
    };
    list.iter().map(move |s| match &s.from {
        Some(from) => format!("{} {} → {}", s.name, value(from), value(&s.to)),
        None => format!("{} {}", s.name, value(&s.to)),
    })
}

/// `: a, b` after what they belong to; nothing when there are none.
fn listed(parts: impl Iterator<Item = String>) -> String {
    let parts: Vec<String> = parts.collect();
    if parts.is_empty() {
        String::new()
    } else {
        format!(": {}", parts.join(", "))
    }
}

/// Fields in words: `status active → achieved`, `ended set to 2026-11-15`, `client.phone changed`.
pub(crate) fn fields_words(fields: &[Field], calendar: Calendar) -> String {
    let value = |v: &Json| {
        v.as_str()
            .map_or_else(|| plain(v), |s| show_date(s, calendar))
    };
    fields
        .iter()
        .map(|f| match (f.change, &f.from, &f.to) {
            (FieldChange::Changed, Some(a), Some(b)) => {
                format!("{} {} → {}", f.path, value(a), value(b))
            }
            (FieldChange::Added, _, Some(b)) => format!("{} set to {}", f.path, value(b)),
            (FieldChange::Added, _, _) => format!("{} added", f.path),
            (FieldChange::Removed, _, _) => format!("{} removed", f.path),
            (FieldChange::Changed, _, _) => format!("{} changed", f.path),
        })
        .collect::<Vec<_>>()
        .join(", ")
}

fn show_date(text: &str, calendar: Calendar) -> String {
    parse_iso(text).map_or_else(|| text.to_string(), |d| calendar::display(d, calendar))
}

/// A plain value as written in a file: strings without quotes; a list of plain values in
/// brackets (`[behzisti, emdad]`), a mapping within it only as `…`.
fn plain(value: &Json) -> String {
    match value {
        Json::String(s) => s.clone(),
        Json::Array(items) => format!(
            "[{}]",
            items
                .iter()
                .map(|item| match item {
                    Json::Object(_) | Json::Array(_) => "…".to_string(),
                    item => plain(item),
                })
                .collect::<Vec<_>>()
                .join(", ")
        ),
        other => other.to_string(),
    }
}
