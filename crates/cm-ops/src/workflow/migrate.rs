//! `cm migrate`: bring older case files up to date.
//!
//! - A service whose status is past `referred` with no `updates` gets the updates its status
//!   needs — the one move from `referred`, or the acceptance and then the status
//!   (`in-progress`, `completed`) — each dated with the best date the file holds for it: the day
//!   it ended, else the day it was referred.
//! - A first history entry without the risk at intake gets one: the risk of the first decision
//!   the file records (a review's or a change's), which is taken to confirm the risk the case
//!   had until then; else, with no decision at all, the case's `risk`.
//! - A goal that is no longer `active` and has no updates gets one update to its status, dated
//!   with the last review that scored it, else its `target_date`, else the plan's date.

use std::path::{Path, PathBuf};

use chrono::NaiveDate;
use rayon::prelude::*;
use serde_json::{Value as Json, json};

use super::{Desk, Proposal, mapping, propose};
use cm_base::at;
use cm_base::error::{Error, Result};
use cm_base::patch::Change;
use cm_case::{Case, DeclineReason, GoalStatus, LoadedCase, ServiceStatus};

/// The migration of each case file of `files`, in their order, read and prepared in parallel:
/// its display path, and `None` when it needs nothing. A file that cannot be read, or whose
/// migration the gate refuses, is its error; the others are prepared all the same.
pub fn migrate(desk: &Desk, files: &[PathBuf]) -> Vec<(String, Result<Option<Proposal>>)> {
    files
        .par_iter()
        .map(|path| {
            let display = desk.ws.display_path(path);
            let result = match cm_case::load(path, &display) {
                Ok(case) => migrate_case(desk, path, case),
                Err(d) => Err(Error::Unreadable(Box::new(d))),
            };
            (display, result)
        })
        .collect()
}

/// Prepares the migration of `case`, read from `path`, or `None` when it needs nothing: every
/// service of it that is past `referred`, and every goal that is not `active`, has its updates,
/// and its history records the risk at intake.
pub fn migrate_case(desk: &Desk, path: &Path, case: LoadedCase) -> Result<Option<Proposal>> {
    let c = &case.case;
    let unrecorded: Vec<(usize, ServiceStatus)> = c
        .services
        .iter()
        .enumerate()
        .filter(|(_, s)| s.updates.is_empty())
        .filter_map(|(i, s)| Some((i, s.status.filter(|s| *s != ServiceStatus::Referred)?)))
        .collect();
    let intake_risk = c
        .history
        .first()
        .filter(|h| h.risk.is_none())
        .and_then(|_| {
            let decisions = cm_case::view::risk_decisions(c);
            decisions.first().map(|d| d.risk).or(c.risk)
        });
    let goals: Vec<(usize, GoalStatus)> = c
        .goals()
        .iter()
        .enumerate()
        .filter(|(_, g)| g.updates.is_empty())
        .filter_map(|(i, g)| Some((i, g.status.filter(|s| *s != GoalStatus::Active)?)))
        .collect();
    if unrecorded.is_empty() && goals.is_empty() && intake_risk.is_none() {
        return Ok(None);
    }
    let name = c.id.clone().unwrap_or_else(|| case.display.clone());
    // Who the updates name as who recorded them; only updates need one.
    let by = c.caseworker.clone().unwrap_or_default();
    if by.is_empty() && !(unrecorded.is_empty() && goals.is_empty()) {
        return Err(Error::Edit {
            path: case.display,
            message: "the case names no caseworker, whom the updates name as who recorded them; \
                      write its `caseworker` first"
                .to_string(),
        });
    }
    let mut changes = Vec::new();
    let mut told: Vec<(String, NaiveDate)> = Vec::new();
    for (i, status) in unrecorded {
        let service = &c.services[i];
        let label = service
            .id
            .clone()
            .unwrap_or_else(|| format!("services[{i}]"));
        let Some(date) = service.ended.or(service.referred) else {
            return Err(Error::Edit {
                path: case.display,
                message: format!(
                    "{label} has neither `ended` nor `referred` to date its update with; write \
                     the day it was referred first"
                ),
            });
        };
        let update = |status: ServiceStatus| {
            let reason = (status == ServiceStatus::Declined).then_some(DeclineReason::Other);
            Json::Object(mapping([
                ("date", Some(json!(date.to_string()))),
                ("status", Some(json!(status.as_str()))),
                ("by", Some(json!(by))),
                ("reason", reason.map(|r| json!(r.as_str()))),
            ]))
        };
        let updates: Vec<Json> = moves_to(status).into_iter().map(update).collect();
        // A list that is there (`updates: []`) is pushed to; else it is written whole.
        if case.json["services"][i].get("updates").is_some() {
            for u in updates {
                changes.push(Change::Push(at!["services", i, "updates"], u));
            }
        } else {
            changes.push(Change::Set(
                at!["services", i, "updates"],
                Json::Array(updates),
            ));
        }
        told.push((label, date));
    }
    for (i, status) in goals {
        let goal = &c.goals()[i];
        let label = goal
            .id
            .clone()
            .unwrap_or_else(|| format!("plan.goals[{i}]"));
        let Some(date) = goal_date(c, i) else {
            return Err(Error::Edit {
                path: case.display,
                message: format!(
                    "{label} has no review that scored it, no `target_date` and no plan date to \
                     date its update with; write the plan's date first"
                ),
            });
        };
        let update = Json::Object(mapping([
            ("date", Some(json!(date.to_string()))),
            ("status", Some(json!(status.as_str()))),
            ("by", Some(json!(by))),
        ]));
        // A list that is there (`updates: []`) is pushed to; else it is written whole.
        if case.json["plan"]["goals"][i].get("updates").is_some() {
            changes.push(Change::Push(at!["plan", "goals", i, "updates"], update));
        } else {
            changes.push(Change::Set(
                at!["plan", "goals", i, "updates"],
                Json::Array(vec![update]),
            ));
        }
        told.push((label, date));
    }
    let mut said = Vec::new();
    if !told.is_empty() {
        let (services, dates): (Vec<String>, Vec<String>) = told
            .into_iter()
            .map(|(label, date)| (label, date.to_string()))
            .unzip();
        let what = match services.len() {
            1 => "the updates its status needs",
            _ => "the updates their status needs",
        };
        said.push(format!(
            "{} given {what} (dated {})",
            services.join(", "),
            dates.join(", ")
        ));
    }
    if let Some(risk) = intake_risk {
        changes.push(Change::Set(at!["history", 0, "risk"], json!(risk.as_str())));
        said.push(format!("the risk at intake recorded ({risk})"));
    }
    let summary = format!("{name}: {}", said.join("; "));
    propose(
        desk,
        path.to_path_buf(),
        case,
        &changes,
        &format!("cannot migrate {name}"),
        summary,
    )
    .map(Some)
}

/// The day the `i`th goal's status is taken to have changed: the last review that scored it,
/// else its target date, else the plan's date.
fn goal_date(c: &Case, i: usize) -> Option<NaiveDate> {
    let goal = &c.goals()[i];
    let scored = goal.id.as_deref().and_then(|id| {
        c.reviews
            .iter()
            .rev()
            .filter(|r| r.goals.get(id).is_some())
            .find_map(|r| r.date)
    });
    scored
        .or(goal.target_date)
        .or_else(|| c.plan.as_ref().and_then(|p| p.date))
}

/// The statuses a service moves through from `referred` to `status`: `status` itself when it is
/// one move away, else the acceptance first (`accepted`, then `in-progress` or `completed`).
fn moves_to(status: ServiceStatus) -> Vec<ServiceStatus> {
    if ServiceStatus::Referred.moves().contains(&status) {
        vec![status]
    } else {
        vec![ServiceStatus::Accepted, status]
    }
}
