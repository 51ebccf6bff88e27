//! `cm reopen`: start a new episode of a closed case.

use std::io::Write;

use super::{DateArg, Edit, Env, Status, apply, desk, one_of};
use cm_base::error::Result;
use cm_case::Risk;
use cm_ops::workflow;

/// Reopen a closed case for a returning client: a new episode starts in intake.
///
/// The case goes back to intake; its history gains an intake entry {date, phase: intake, by,
/// risk, reason}, which starts the new episode; and its closure moves, all its keys as they
/// were, to the end of the case's episodes ({opened, closure}), so the earlier episode stays
/// readable. --risk is the risk decided at the new intake (default the case's risk), and becomes
/// the case's risk. Only a closed case is reopened, not before the day it was closed.
#[derive(Debug, clap::Args)]
#[command(
    after_help = "Examples:\n  cm reopen THR-2026-0001 --reason \"Evicted again; asks for help with rent\"\n  cm reopen THR-2026-0001 --reason \"Back from Mashhad\" --risk high --date 2026-10-20 --dry-run"
)]
pub struct Args {
    /// The case id, e.g. THR-2026-0001.
    id: String,
    /// Why the case is reopened (personal text, never shown in listings, reports or diffs).
    #[arg(long, value_name = "TEXT")]
    reason: String,
    /// The risk decided at the new intake; the case's risk becomes it (default the case's risk).
    #[arg(long, value_parser = one_of::<Risk>())]
    risk: Option<Risk>,
    /// The day of the new intake (YYYY-MM-DD; default today; not before the closure).
    #[arg(long, value_name = "DATE")]
    date: Option<DateArg>,
    /// Who reopens the case (a roster id; default the case's caseworker).
    #[arg(long, value_name = "ID")]
    by: Option<String>,
    #[command(flatten)]
    edit: Edit,
}

pub fn run(args: Args, env: &Env, out: &mut dyn Write) -> Result<Status> {
    let (desk, _lock) = desk(env, args.edit.dry_run)?;
    let proposal = workflow::reopen(
        &desk,
        &workflow::Reopening {
            id: args.id,
            reason: args.reason,
            risk: args.risk,
            date: env.date(&desk.ws, args.date.as_ref())?,
            by: args.by,
        },
    );
    apply(proposal, &args.edit, env, out)
}
