//! `cm risk`: change the risk of a case between reviews.

use std::io::Write;

use super::{DateArg, Edit, Env, Status, apply, desk, one_of};
use cm_base::error::Result;
use cm_case::Risk;
use cm_ops::workflow;

/// Change the risk of a case between reviews, recording the decision: when, by whom and why.
///
/// The decision is appended to the case's risk_changes ({date, risk, by, note}) and the case's
/// risk becomes LEVEL, in one edit: the risk of a case is always a dated decision — at intake
/// (the first history entry), at a review (cm review --risk), or here — and a risk changed by
/// hand without one is an error. The note is personal. The review interval follows the new
/// risk from the next review on. A closed case's risk is not changed.
#[derive(Debug, clap::Args)]
#[command(
    after_help = "Examples:\n  cm risk THR-2026-0004 high --note \"Landlord threatens eviction\"\n  cm risk THR-2026-0002 critical --date 2026-10-20 --by z.rahimi --note \"تهدید به ازدواج اجباری\" --dry-run"
)]
pub struct Args {
    /// The case id, e.g. THR-2026-0004.
    id: String,
    /// The new risk.
    #[arg(value_name = "LEVEL", value_parser = one_of::<Risk>())]
    risk: Risk,
    /// Why the risk changed (personal; required).
    #[arg(long, value_name = "TEXT")]
    note: String,
    /// The day of the decision (YYYY-MM-DD; default today).
    #[arg(long, value_name = "DATE")]
    date: Option<DateArg>,
    /// Who decided it (a roster id; default the case's caseworker).
    #[arg(long, value_name = "ID")]
    by: Option<String>,
    #[command(flatten)]
    edit: Edit,
}

pub fn run(args: Args, env: &Env, out: &mut dyn Write) -> Result<Status> {
    let (desk, _lock) = desk(env, args.edit.dry_run)?;
    let proposal = workflow::risk(
        &desk,
        &workflow::RiskChange {
            id: args.id,
            risk: args.risk,
            date: env.date(&desk.ws, args.date.as_ref())?,
            by: args.by,
            note: args.note,
        },
    );
    apply(proposal, &args.edit, env, out)
}
