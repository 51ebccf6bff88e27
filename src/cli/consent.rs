//! `cm consent`: record the client's decision about consent.

use std::io::Write;

use super::{DateArg, Edit, Env, Status, apply, desk};
use cm_base::error::Result;
use cm_case::ConsentDecision;
use cm_ops::workflow;

/// Record the client's decision about consent: given, refused or withdrawn, and the
/// organisations their data may go to.
///
/// The first decision is written as the case's consent ({given, date, share_with, by, note});
/// each later one is appended to consent.updates ({date, decision, share_with, by, note}), so
/// the decision in force on any day stays known: the latest made by then. A given consent
/// shares with the organisations it shared with before, plus --share-with, minus --unshare; a
/// refusal or withdrawal shares with none, and stops `cm export` from its date on. The
/// organisations and --note are personal: listings, reports and diffs count the organisations
/// and never name them. A closed case takes decisions too (a client may withdraw consent to
/// sharing a closed case's data).
#[derive(Debug, clap::Args)]
#[command(
    group = clap::ArgGroup::new("decision").required(true),
    after_help = "Examples:\n  cm consent THR-2026-0013 --given --share-with behzisti\n  cm consent THR-2026-0002 --given --unshare emdad --date 2026-10-20\n  cm consent THR-2026-0004 --withdrawn --note \"Asked us to stop sharing\" --dry-run"
)]
pub struct Args {
    /// The case id, e.g. THR-2026-0004.
    id: String,
    /// The client gives consent (again, or to other organisations).
    #[arg(long, group = "decision")]
    given: bool,
    /// The client refuses consent.
    #[arg(long, group = "decision")]
    refused: bool,
    /// The client withdraws the consent they gave.
    #[arg(long, group = "decision")]
    withdrawn: bool,
    /// An organisation the client's data may now go to, as cm export --to names it (repeat for
    /// several; with --given).
    #[arg(long, value_name = "ORG")]
    share_with: Vec<String>,
    /// An organisation the client's data may no longer go to (repeat for several; with --given).
    #[arg(long, value_name = "ORG")]
    unshare: Vec<String>,
    /// The day of the decision (YYYY-MM-DD; default today).
    #[arg(long, value_name = "DATE")]
    date: Option<DateArg>,
    /// Who records the decision (a roster id; default the case's caseworker).
    #[arg(long, value_name = "ID")]
    by: Option<String>,
    /// A note on the decision (personal).
    #[arg(long, value_name = "TEXT")]
    note: Option<String>,
    #[command(flatten)]
    edit: Edit,
}

pub fn run(args: Args, env: &Env, out: &mut dyn Write) -> Result<Status> {
    let decision = match (args.given, args.refused) {
        (true, _) => ConsentDecision::Given,
        (_, true) => ConsentDecision::Refused,
        _ => ConsentDecision::Withdrawn,
    };
    let (desk, _lock) = desk(env, args.edit.dry_run)?;
    let proposal = workflow::consent(
        &desk,
        &workflow::ConsentChange {
            id: args.id,
            decision,
            share_with: args.share_with,
            unshare: args.unshare,
            date: env.date(&desk.ws, args.date.as_ref())?,
            by: args.by,
            note: args.note,
        },
    );
    apply(proposal, &args.edit, env, out)
}
