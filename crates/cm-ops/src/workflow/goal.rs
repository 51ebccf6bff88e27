//! `cm goal`: add a goal to a case's plan (`cm goal ID add`), or record a change of a goal's
//! status — achieved, partly achieved, not achieved, dropped, active again — as an update at the
//! end of its `updates` (`cm goal ID G1 --status S`).

use std::path::PathBuf;

use chrono::NaiveDate;
use serde_json::{Value as Json, json};

use super::{Cannot, Desk, Proposal, mapping, propose};
use cm_base::at;
use cm_base::error::{Error, Result};
use cm_base::patch::Change;
use cm_case::{GoalStatus, LoadedCase, Phase};

/// What `cm goal ID add` was asked to add.
#[derive(Clone, Debug)]
pub struct NewGoal {
    pub id: String,
    /// The assessed domain the goal addresses.
    pub domain: String,
    /// What the goal is, in words (personal).
    pub text: String,
    pub target: Option<NaiveDate>,
    /// The goal's Goal Attainment Scaling weight (> 0).
    pub weight: Option<f64>,
    /// The day the goal is set.
    pub date: NaiveDate,
}

/// What `cm goal ID G --status S` was asked to record.
#[derive(Clone, Debug)]
pub struct GoalChange {
    pub id: String,
    /// The goal's id in the plan, e.g. `G2`.
    pub goal: String,
    /// The status the goal moves to.
    pub status: GoalStatus,
    /// Why the status changed (personal).
    pub reason: Option<String>,
    pub note: Option<String>,
    pub date: NaiveDate,
    /// Who records the change; the case's caseworker when `None`.
    pub by: Option<String>,
}

/// Prepares the new goal; see [`Proposal`] for what happens next.
pub fn goal_add(desk: &Desk, req: &NewGoal) -> Result<Proposal> {
    let (path, case) = cm_case::find(&desk.ws, &req.id)?;
    goal_add_case(desk, path, case, req)
}

/// Prepares the new goal of `case`, read from `path`.
pub fn goal_add_case(
    desk: &Desk,
    path: PathBuf,
    case: LoadedCase,
    req: &NewGoal,
) -> Result<Proposal> {
    let id = &req.id;
    match case.case.phase {
        Some(Phase::Closed) => return Err(Error::request(Cannot::GoalClosed { id: id.clone() })),
        Some(Phase::Intake) => {
            return Err(Error::request(Cannot::GoalInIntake { id: id.clone() }));
        }
        _ => {}
    }
    let known = &desk.ws.settings.assessment.domains;
    if !known.is_empty() && !known.contains(&req.domain) {
        return Err(Error::request(Cannot::UnknownDomain {
            domain: req.domain.clone(),
            nearest: cm_base::text::suggest(&req.domain, known.iter().map(String::as_str))
                .map(String::from),
            known: known.clone(),
        }));
    }
    let goal = format!(
        "G{}",
        super::next_number(case.json.get("plan").and_then(|p| p.get("goals")), 'G')
    );
    let plan = case.json.get("plan");
    let planned = plan.and_then(|p| p.get("date")).and_then(Json::as_str);
    let date = req.date.to_string();
    let added = planned.filter(|p| *p != date).map(|_| json!(date));
    // A whole weight is written as one (`2`, not `2.0`).
    let weight = req.weight.map(|w| {
        if w.fract() == 0.0 && w.abs() < 1e15 {
            json!(w as i64)
        } else {
            json!(w)
        }
    });
    let item = Json::Object(mapping([
        ("id", Some(json!(goal))),
        ("domain", Some(json!(req.domain))),
        ("text", Some(json!(req.text))),
        ("target_date", req.target.map(|d| json!(d.to_string()))),
        ("weight", weight),
        ("status", Some(json!(GoalStatus::Active.as_str()))),
        ("added", added),
    ]));
    let mut changes = Vec::new();
    match plan {
        None => changes.push(Change::Set(
            at!["plan"],
            Json::Object(mapping([
                ("date", Some(json!(date))),
                ("goals", Some(json!([item]))),
            ])),
        )),
        Some(plan) => {
            if planned.is_none() && plan.get("date").is_none() {
                changes.push(Change::Set(at!["plan", "date"], json!(date)));
            }
            if plan.get("goals").is_some_and(Json::is_array) {
                changes.push(Change::Push(at!["plan", "goals"], item));
            } else {
                changes.push(Change::Set(at!["plan", "goals"], json!([item])));
            }
        }
    }
    let summary = format!("{id}: goal {goal} added ({})", req.domain);
    propose(desk, path, case, &changes, "cannot add the goal", summary)
}

/// Prepares the update; see [`Proposal`] for what happens next.
pub fn goal(desk: &Desk, req: &GoalChange) -> Result<Proposal> {
    let (path, case) = cm_case::find(&desk.ws, &req.id)?;
    goal_case(desk, path, case, req)
}

/// Prepares the update of a goal of `case`, read from `path`.
pub fn goal_case(
    desk: &Desk,
    path: PathBuf,
    case: LoadedCase,
    req: &GoalChange,
) -> Result<Proposal> {
    let id = &req.id;
    if case.case.phase == Some(Phase::Closed) {
        return Err(Error::request(Cannot::GoalClosed { id: id.clone() }));
    }
    let index = find_goal(&case, id, &req.goal)?;
    let name = req.goal.clone();
    let current = &case.case.goals()[index];
    let Some(from) = current.status else {
        return Err(Error::Edit {
            path: case.display,
            message: format!(
                "goal {name} has no valid `status`; correct it first (see `cm validate`)"
            ),
        });
    };
    if from == req.status {
        return Err(Error::request(Cannot::GoalAlready {
            goal: name,
            status: from,
        }));
    }
    // A goal that is not active with no update does not say when it got there.
    if from != GoalStatus::Active && current.updates.is_empty() {
        return Err(Error::request(Cannot::GoalUnrecorded {
            goal: name,
            status: from,
        }));
    }
    let ctx = desk.ctx();
    let last = current.updates.iter().rev().find_map(|u| u.date);
    let start = case.case.goal_start(current);
    let before = match (last, start) {
        (Some(last), _) if req.date < last => Some((format!("the last update of {name}"), last)),
        (None, Some(start)) if req.date < start => Some(if current.added.is_some() {
            (format!("{name} was added"), start)
        } else {
            (format!("{name} was set, with the plan"), start)
        }),
        _ => None,
    };
    if let Some((since, day)) = before {
        return Err(Error::request(Cannot::GoalDateBefore {
            date: ctx.date(req.date),
            since,
            day: ctx.date(day),
        }));
    }
    let by = match req.by.clone().or_else(|| case.case.caseworker.clone()) {
        Some(by) => by,
        None => return Err(Error::request(Cannot::NoCaseworker("records the change"))),
    };
    let update = Json::Object(mapping([
        ("date", Some(json!(req.date.to_string()))),
        ("status", Some(json!(req.status.as_str()))),
        ("by", Some(json!(by))),
        ("reason", req.reason.clone().map(Json::from)),
        ("note", req.note.clone().map(Json::from)),
    ]));
    let mut changes = vec![Change::Set(
        at!["plan", "goals", index, "status"],
        json!(req.status.as_str()),
    )];
    // Pushed, as a service's: the editor makes the list when the goal has none.
    changes.push(Change::Push(at!["plan", "goals", index, "updates"], update));
    let summary = format!("{id}: goal {name} {from} → {}", req.status);
    propose(
        desk,
        path,
        case,
        &changes,
        &format!("cannot record {name} as {}", req.status),
        summary,
    )
}

/// The index of the goal `goal` among the goals of `case`'s plan; a goal the plan does not have
/// is an error that names the nearest it has, else all it has.
fn find_goal(case: &LoadedCase, id: &str, goal: &str) -> Result<usize> {
    let ids: Vec<&str> = case
        .case
        .goals()
        .iter()
        .map(|g| g.id.as_deref().unwrap_or(""))
        .collect();
    super::find_item(&ids, goal).map_err(|(nearest, known)| {
        Error::request(Cannot::NoGoal {
            id: id.to_string(),
            goal: goal.to_string(),
            nearest,
            known,
        })
    })
}
