//! Goal rules: a goal's `status` as its updates say (`goal-status`).
//!
//! A goal is set `active`; each update records a change of its status, and the last one says
//! its `status`. What the schema already refuses (an update that is not a mapping, a status that
//! cannot be read) is its error alone: the rule passes over it.

use serde_json::Value as Json;

use cm_base::at;
use cm_base::yaml::Place;
use cm_case::{GoalStatus, LoadedCase};

use super::{Code, Ctx, Finding};

/// `goal-status`, for each goal of the plan: a goal that is not `active` has an update that
/// records the change, and its `status` is the status of its last update.
pub fn statuses(case: &LoadedCase, _: &Ctx<'_>, out: &mut Vec<Finding>) {
    let written = case
        .json
        .get("plan")
        .and_then(|p| p.get("goals"))
        .and_then(Json::as_array);
    for (i, goal) in case.case.goals().iter().enumerate() {
        let Some(raw) = written.and_then(|g| g.get(i)).and_then(Json::as_object) else {
            continue;
        };
        // `updates` that is not a list is the schema's error; the rest would follow from it.
        if raw.get("updates").is_some_and(|u| !u.is_array()) {
            continue;
        }
        let Some(status) = goal.status else {
            continue;
        };
        match goal.updates.last() {
            None if status != GoalStatus::Active => out.push(
                Finding::error(
                    Code::GoalStatus,
                    Place::At(at!["plan", "goals", i, "status"]),
                    format!(
                        "plan.goals[{i}] is `{status}` but no update records its change from \
                         `active`"
                    ),
                )
                .help("run `cm migrate` to record it"),
            ),
            None => {}
            Some(last) => {
                // An update's status the schema refuses: what the status should be is not known.
                let Some(moved) = last.status else {
                    continue;
                };
                if moved != status {
                    out.push(
                        Finding::error(
                            Code::GoalStatus,
                            Place::At(at!["plan", "goals", i, "status"]),
                            format!(
                                "plan.goals[{i}].status is `{status}` but its last update \
                                 changes it to `{moved}`"
                            ),
                        )
                        .help(
                            "a goal's status is the status of its last update: change the two \
                             together (cm goal does)",
                        ),
                    );
                }
            }
        }
    }
}
