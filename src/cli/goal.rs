//! `cm goal`: add a goal to a case's plan, or record a change of a goal's status.

use std::io::Write;

use super::{DateArg, Edit, Env, Status, Usage, apply, desk, number, one_of};
use cm_base::error::{Error, Result};
use cm_case::GoalStatus;
use cm_ops::workflow;

/// What GOAL is when a goal is added rather than changed.
const ADD: &str = "add";

/// Add a goal to a case's plan, or record a change of a goal's status.
///
/// `cm goal ID add --domain D --text TEXT` adds a goal to the plan with the next free id (G1,
/// G2, …), status active; the first goal makes the plan, dated --date, and a goal added to a
/// plan made on another day records that day as its `added`. --domain is one of the agency's
/// assessment domains, and one the assessment scored. Goals are added from the phase
/// `assessment` on: a plan follows the assessment.
///
/// `cm goal ID G2 --status S` records a change of the goal's status: the change is appended to
/// the goal's updates ({date, status, by, reason, note}), and the goal's status becomes it.
/// --reason and --note are personal: they are never shown by listings, reports or diffs. The
/// date is not before the goal was set or its last update. The plan of a closed case is not
/// changed.
#[derive(Debug, clap::Args)]
#[command(
    after_help = "Examples:\n  cm goal THR-2026-0004 add --domain income --text \"A steady income from the home salon\" --target 2027-03-01\n  cm goal THR-2026-0004 G1 --status achieved --note \"Licence received; insured through the salon\"\n  cm goal THR-2026-0004 G3 --status dropped --reason \"Leila chose the home salon instead\" --date 2026-10-20"
)]
pub struct Args {
    /// The case id, e.g. THR-2026-0004.
    id: String,
    /// `add` to add a goal, else the id of the goal whose status changes, e.g. G2.
    #[arg(value_name = "add|GOAL")]
    goal: String,
    /// With add: the assessed domain the goal addresses.
    #[arg(long, value_name = "DOMAIN")]
    domain: Option<String>,
    /// With add: what the goal is, in words (personal).
    #[arg(long, value_name = "TEXT")]
    text: Option<String>,
    /// With add: the day the goal should be reached by (YYYY-MM-DD).
    #[arg(long, value_name = "DATE")]
    target: Option<DateArg>,
    /// With add: the goal's Goal Attainment Scaling weight, a number above 0 (default 1).
    #[arg(long, value_name = "W", value_parser = weight)]
    weight: Option<f64>,
    /// With a goal id: the status the goal moves to.
    #[arg(long, value_name = "STATUS", value_parser = one_of::<GoalStatus>())]
    status: Option<GoalStatus>,
    /// With a goal id: why the status changed (personal).
    #[arg(long, value_name = "TEXT")]
    reason: Option<String>,
    /// With a goal id: a note on the change (personal).
    #[arg(long, value_name = "TEXT")]
    note: Option<String>,
    /// The day the goal is added or its status changes (YYYY-MM-DD; default today).
    #[arg(long, value_name = "DATE")]
    date: Option<DateArg>,
    /// With a goal id: who records the change (a roster id; default the case's caseworker).
    #[arg(long, value_name = "ID")]
    by: Option<String>,
    #[command(flatten)]
    edit: Edit,
}

/// The value parser of `--weight`: a number above 0, in any digits `number` reads.
fn weight(s: &str) -> std::result::Result<f64, String> {
    number::<f64>(s)
        .ok()
        .filter(|w| w.is_finite() && *w > 0.0)
        .ok_or_else(|| format!("`{s}` is not a number above 0"))
}

pub fn run(args: Args, env: &Env, out: &mut dyn Write) -> Result<Status> {
    let adding = args.goal == ADD;
    let misplaced = if adding {
        [
            ("--status", args.status.is_some()),
            ("--reason", args.reason.is_some()),
            ("--note", args.note.is_some()),
            ("--by", args.by.is_some()),
        ]
    } else {
        [
            ("--domain", args.domain.is_some()),
            ("--text", args.text.is_some()),
            ("--target", args.target.is_some()),
            ("--weight", args.weight.is_some()),
        ]
    };
    if let Some((option, _)) = misplaced.iter().find(|(_, given)| *given) {
        return Err(Error::request(Usage::GoalOption { option, adding }));
    }
    let (desk, _lock) = desk(env, args.edit.dry_run)?;
    let date = env.date(&desk.ws, args.date.as_ref())?;
    let proposal = if adding {
        let (Some(domain), Some(text)) = (args.domain, args.text) else {
            return Err(Error::request(Usage::GoalNeeds(
                "adding a goal needs --domain and --text",
            )));
        };
        let target = match &args.target {
            Some(target) => Some(target.read(env.calendar(&desk.ws))?),
            None => None,
        };
        workflow::goal_add(
            &desk,
            &workflow::NewGoal {
                id: args.id,
                domain,
                text,
                target,
                weight: args.weight,
                date,
            },
        )
    } else {
        let Some(status) = args.status else {
            return Err(Error::request(Usage::GoalNeeds(
                "a change of a goal needs --status (or `add` in place of the goal's id, to add one)",
            )));
        };
        workflow::goal(
            &desk,
            &workflow::GoalChange {
                id: args.id,
                goal: args.goal,
                status,
                reason: args.reason,
                note: args.note,
                date,
                by: args.by,
            },
        )
    };
    apply(proposal, &args.edit, env, out)
}
