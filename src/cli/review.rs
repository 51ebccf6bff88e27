//! `cm review`: record a monitoring review.

use std::io::Write;

use super::{DateArg, Edit, Env, Status, apply, desk, one_of};
use cm_base::error::Result;
use cm_case::Risk;
use cm_ops::workflow;

/// Record a monitoring review at the end of a case's reviews.
///
/// Domains re-scored (1..5) and goal attainment (-2..+2) are given one by one; --risk also
/// becomes the case's risk. Nothing is changed when the review would make the case invalid: a
/// domain [assessment].domains of cm.toml does not list, a goal the plan does not have, a date
/// before the last review or after today.
#[derive(Debug, clap::Args)]
#[command(
    after_help = "Examples:\n  cm review THR-2026-0004 --score income=3 --score housing=3 --goal G1=1\n  cm review THR-2026-0012 --risk high --next 2026-12-01 --note \"Landlord threatens eviction\""
)]
pub struct Args {
    /// The case id, e.g. THR-2026-0004.
    id: String,
    /// The day of the review (YYYY-MM-DD; default today).
    #[arg(long, value_name = "DATE")]
    date: Option<DateArg>,
    /// Who held the review (a roster id; default the case's caseworker).
    #[arg(long, value_name = "ID")]
    by: Option<String>,
    /// A domain re-scored, 1..5 (repeat for each domain).
    #[arg(long = "score", value_name = "DOMAIN=N", value_parser = parse_pair)]
    scores: Vec<(String, i64)>,
    /// A goal's attainment, -2..+2 (repeat for each goal).
    #[arg(long = "goal", value_name = "GOAL=N", value_parser = parse_pair, allow_hyphen_values = true)]
    goals: Vec<(String, i64)>,
    /// The risk decided at the review; the case's risk becomes it.
    #[arg(long, value_parser = one_of::<Risk>())]
    risk: Option<Risk>,
    /// When the next review is due, overriding the interval (YYYY-MM-DD).
    #[arg(long = "next", value_name = "DATE")]
    next_due: Option<DateArg>,
    /// A note on the review.
    #[arg(long, value_name = "TEXT")]
    note: Option<String>,
    #[command(flatten)]
    edit: Edit,
}

/// Parses `NAME=N`.
pub(super) fn parse_pair(s: &str) -> std::result::Result<(String, i64), String> {
    let (name, value) = s
        .split_once('=')
        .ok_or_else(|| format!("`{s}` is not NAME=N"))?;
    let value = super::number(value).map_err(|e| format!("{e} in `{s}`"))?;
    Ok((name.trim().to_string(), value))
}

pub fn run(args: Args, env: &Env, out: &mut dyn Write) -> Result<Status> {
    let (desk, _lock) = desk(env, args.edit.dry_run)?;
    let proposal = workflow::review(
        &desk,
        &workflow::Review {
            id: args.id,
            date: env.date(&desk.ws, args.date.as_ref())?,
            by: args.by,
            scores: args.scores,
            goals: args.goals,
            risk: args.risk,
            next_due: args
                .next_due
                .map(|d| d.read(env.calendar(&desk.ws)))
                .transpose()?,
            note: args.note,
        },
    );
    apply(proposal, &args.edit, env, out)
}
