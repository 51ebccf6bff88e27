//! `cm transfer`: pass a case to another caseworker.

use std::io::Write;

use super::{DateArg, Edit, Env, Status, apply, desk};
use cm_base::error::Result;
use cm_ops::workflow;

/// Pass a case to another caseworker, recording the transfer and who holds the case from when.
///
/// The transfer is appended to the case's transfers ({date, from, to, by, approved_by,
/// reason}), `from` being the case's caseworker, and the case's caseworker becomes --to. With a
/// roster in cm.toml, every name is one of it; with [workflow].transfer_approval = true, the
/// transfer needs --approved-by, a supervisor who is neither caseworker. A closed case is not
/// transferred, nor a case to the caseworker who has it.
#[derive(Debug, clap::Args)]
#[command(
    after_help = "Examples:\n  cm transfer THR-2026-0004 --to n.moradi\n  cm transfer THR-2026-0004 --to n.moradi --approved-by z.rahimi --reason \"Moved to the eastern office\" --dry-run\n  cm transfer THR-2026-0012 --to s.ahmadi --date 2026-10-15 --by z.rahimi"
)]
pub struct Args {
    /// The case id, e.g. THR-2026-0004.
    id: String,
    /// The caseworker who takes the case over (a roster id).
    #[arg(long, value_name = "ID")]
    to: String,
    /// Why the case is transferred (personal text, never shown in listings, reports or diffs).
    #[arg(long, value_name = "TEXT")]
    reason: Option<String>,
    /// The supervisor who approved the transfer (needed with [workflow].transfer_approval).
    #[arg(long, value_name = "ID")]
    approved_by: Option<String>,
    /// The day the case passes to --to (YYYY-MM-DD; default today).
    #[arg(long, value_name = "DATE")]
    date: Option<DateArg>,
    /// Who makes the transfer (a roster id; default the case's caseworker).
    #[arg(long, value_name = "ID")]
    by: Option<String>,
    #[command(flatten)]
    edit: Edit,
}

pub fn run(args: Args, env: &Env, out: &mut dyn Write) -> Result<Status> {
    let (desk, _lock) = desk(env, args.edit.dry_run)?;
    let proposal = workflow::transfer(
        &desk,
        &workflow::Transfer {
            id: args.id,
            to: args.to,
            date: env.date(&desk.ws, args.date.as_ref())?,
            by: args.by,
            approved_by: args.approved_by,
            reason: args.reason,
        },
    );
    apply(proposal, &args.edit, env, out)
}
