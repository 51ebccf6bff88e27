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

#[cfg(test)]
mod tests {
    use super::super::testing::{ROSTER, findings};

    /// A valid case in monitoring, its goals (block list items) given.
    fn case(goals: &str) -> String {
        format!(
            "id: CM-2026-0001
program: general
opened: 2026-03-02
caseworker: s.ahmadi
risk: medium
phase: monitoring
client: {{name: maryam, sex: female}}
consent: {{given: true, date: 2026-03-02}}
assessment:
  date: 2026-03-09
  domains: {{income: 2, housing: 1}}
plan:
  date: 2026-03-16
  goals:
{goals}history:
  - {{date: 2026-03-02, phase: intake, by: s.ahmadi, risk: medium}}
  - {{date: 2026-03-09, phase: assessment, by: s.ahmadi}}
  - {{date: 2026-03-16, phase: planning, by: s.ahmadi, approved_by: m.karimi}}
  - {{date: 2026-03-20, phase: implementation, by: s.ahmadi}}
  - {{date: 2026-06-01, phase: monitoring, by: s.ahmadi}}
"
        )
    }

    /// Every finding about `text`, as `line:col code: message`, on 2026-11-01.
    fn check(text: &str) -> Vec<String> {
        findings(ROSTER, text)
    }

    #[test]
    fn goals_with_the_updates_their_status_needs_are_valid() {
        let goals = "    - {id: G1, domain: income, text: Work, status: active}
    - id: G2
      domain: housing
      text: Rent
      status: active
      updates:
        - {date: 2026-05-01, status: dropped, by: s.ahmadi, reason: moved, note: spoke with maryam}
        - {date: 2026-07-01, status: active, by: m.karimi}
    - {id: G3, domain: income, text: Savings, status: achieved, added: 2026-05-01, updates: [{date: 2026-05-01, status: achieved, by: s.ahmadi}]}
";
        assert_eq!(check(&case(goals)), Vec::<String>::new());
    }

    #[test]
    fn a_status_its_updates_do_not_say_is_an_error() {
        let goals = "    - {id: G1, domain: income, text: Work, status: achieved}
    - {id: G2, domain: housing, text: Rent, status: active, updates: [{date: 2026-05-01, status: dropped, by: s.ahmadi}]}
    - {id: G3, domain: income, text: Savings, status: achieved, updates: [{date: 2026-05-01, status: achived, by: s.ahmadi}]}
";
        let found = check(&case(goals));
        assert_eq!(
            found,
            [
                "15:52 goal-status: plan.goals[0] is `achieved` but no update records its change \
                 from `active`",
                "16:53 goal-status: plan.goals[1].status is `active` but its last update changes \
                 it to `dropped`",
                "17:102 schema: plan.goals[2].updates[0].status must be one of active, achieved, \
                 partly-achieved, not-achieved, dropped; found `achived`",
            ],
            "{found:#?}"
        );
    }

    #[test]
    fn an_update_is_an_event_after_the_goal_was_set_and_its_by_is_in_the_roster() {
        let goals = "    - id: G1
      domain: income
      text: Work
      status: achieved
      updates:
        - {date: 2026-03-10, status: dropped, by: s.ahmady}
        - {date: 2026-12-01, status: achieved, by: s.ahmadi}
    - id: G2
      domain: housing
      text: Rent
      status: achieved
      added: 2026-03-10
      updates:
        - {date: 2026-05-01, status: dropped, by: s.ahmadi}
        - {date: 2026-04-01, status: achieved, by: s.ahmadi}
    - {id: G3, domain: income, text: Savings, status: achieved, added: 2026-06-01, updates: [{date: 2026-05-31, status: achieved, by: s.ahmadi}]}
";
        let found = check(&case(goals));
        assert_eq!(
            found,
            [
                "20:18 date-order: plan.goals[0].updates[0].date (2026-03-10) is before the plan \
                 was made (2026-03-16)",
                "20:51 unknown-caseworker: `s.ahmady` is not in the roster of cm.toml",
                "21:18 date-future: plan.goals[0].updates[1].date (2026-12-01) is after today \
                 (2026-11-01)",
                "26:14 date-order: plan.goals[1].added (2026-03-10) is before the plan was made \
                 (2026-03-16)",
                "29:18 date-order: plan.goals[1].updates[1].date (2026-04-01) is before the update \
                 above it (2026-05-01)",
                "30:101 date-order: plan.goals[2].updates[0].date (2026-05-31) is before the goal \
                 was added (2026-06-01)",
            ],
            "{found:#?}"
        );
    }
}
