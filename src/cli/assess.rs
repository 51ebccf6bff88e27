//! `cm assess`: record a case's needs assessment.

use std::io::Write;

use super::{DateArg, Edit, Env, Status, apply, desk};
use cm_base::error::Result;
use cm_ops::workflow;

/// Record a case's needs assessment: the baseline domain scores, strengths and needs.
///
/// The assessment ({date, domains, strengths, needs}) is the baseline later reviews are measured
/// against, so it is recorded once, while the case is in intake or assessment; later scores
/// belong to a review (cm review --score), and an assessment already recorded is changed by
/// editing the case file. Each domain is scored 1..5, one --score at a time. Nothing is changed
/// when the assessment would make the case invalid: a domain [assessment].domains of cm.toml does
/// not list, a score out of range, a date before the case was opened or after today.
#[derive(Debug, clap::Args)]
#[command(
    after_help = "Examples:\n  cm assess THR-2026-0015 --score income=2 --score housing=3 --score health=4\n  cm assess THR-2026-0015 --date 2026-10-30 --score income=2 --strength \"Skilled tailor\" --need \"Childcare\"\n  cm assess THR-2026-0015 --score housing=1 --dry-run --format json"
)]
pub struct Args {
    /// The case id, e.g. THR-2026-0015.
    id: String,
    /// A domain's baseline score, 1..5 (repeat for each domain; at least one).
    #[arg(
        long = "score",
        value_name = "DOMAIN=N",
        value_parser = super::review::parse_pair,
        required = true
    )]
    scores: Vec<(String, i64)>,
    /// One of the client's strengths (repeat for each).
    #[arg(long = "strength", value_name = "TEXT")]
    strengths: Vec<String>,
    /// One of the client's needs (repeat for each).
    #[arg(long = "need", value_name = "TEXT")]
    needs: Vec<String>,
    /// The day of the assessment (YYYY-MM-DD; default today).
    #[arg(long, value_name = "DATE")]
    date: Option<DateArg>,
    #[command(flatten)]
    edit: Edit,
}

pub fn run(args: Args, env: &Env, out: &mut dyn Write) -> Result<Status> {
    let (desk, _lock) = desk(env, args.edit.dry_run)?;
    let proposal = workflow::assess(
        &desk,
        &workflow::Assessment {
            id: args.id,
            date: env.date(&desk.ws, args.date.as_ref())?,
            scores: args.scores,
            strengths: args.strengths,
            needs: args.needs,
        },
    );
    apply(proposal, &args.edit, env, out)
}
