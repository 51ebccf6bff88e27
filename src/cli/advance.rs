//! `cm advance`: move a case to its next phase.

use std::io::Write;

use super::{DateArg, Edit, Env, Status, apply, desk, one_of};
use cm_base::error::Result;
use cm_case::{ClosureReason, Phase};
use cm_ops::workflow;

/// Move a case to its next phase (or forward to --to), recording who did it and when.
///
/// The case as it would then be must pass the schema and the rules, or nothing is changed and
/// what is missing is listed: entering `planning` needs the assessment, `implementation` a plan
/// with a goal, `closed` a reason; entering or passing over a phase listed in
/// [workflow].approval needs --approved-by, a supervisor other than the caseworker. Phases
/// never go back.
#[derive(Debug, clap::Args)]
#[command(
    after_help = "Examples:\n  cm advance THR-2026-0012\n  cm advance THR-2026-0003 --to planning --approved-by z.rahimi --dry-run\n  cm advance THR-2026-0004 --to closed --reason goals-achieved --approved-by z.rahimi"
)]
pub struct Args {
    /// The case id, e.g. THR-2026-0004.
    id: String,
    /// The phase to enter (default: the next one). Phases may be skipped, never gone back to.
    #[arg(long, value_name = "PHASE", value_parser = one_of::<Phase>())]
    to: Option<Phase>,
    /// The day the phase is entered (YYYY-MM-DD; default today).
    #[arg(long, value_name = "DATE")]
    date: Option<DateArg>,
    /// Who moves the case (a roster id; default the case's caseworker).
    #[arg(long, value_name = "ID")]
    by: Option<String>,
    /// The supervisor who approved the move (entering, or passing over, a phase that needs it).
    #[arg(long, value_name = "ID")]
    approved_by: Option<String>,
    /// Why the case is closed (with --to closed).
    #[arg(long, value_name = "REASON", value_parser = one_of::<ClosureReason>())]
    reason: Option<ClosureReason>,
    /// A note for the history entry (for the closure, when closing).
    #[arg(long, value_name = "TEXT")]
    note: Option<String>,
    #[command(flatten)]
    edit: Edit,
}

pub fn run(args: Args, env: &Env, out: &mut dyn Write) -> Result<Status> {
    let (desk, _lock) = desk(env, args.edit.dry_run)?;
    let proposal = workflow::advance(
        &desk,
        &workflow::Advance {
            id: args.id,
            to: args.to,
            date: env.date(&desk.ws, args.date.as_ref())?,
            by: args.by,
            approved_by: args.approved_by,
            reason: args.reason,
            note: args.note,
            to_office: None,
        },
    );
    apply(proposal, &args.edit, env, out)
}
