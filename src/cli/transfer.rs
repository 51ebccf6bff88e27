//! `cm transfer`: pass a case to another caseworker, of this office or of another.

use std::io::Write;
use std::path::PathBuf;

use super::{DateArg, Edit, Env, Status, apply, apply_all, desk};
use cm_base::error::{Error, Result};
use cm_base::files::Lock;
use cm_case::workspace::Workspace;
use cm_ops::workflow::{self, Desk};

/// Pass a case to another caseworker, recording the transfer and who holds the case from when.
///
/// The transfer is appended to the case's transfers ({date, from, to, by, approved_by,
/// reason}), `from` being the case's caseworker, and the case's caseworker becomes --to. With a
/// roster in cm.toml, every name is one of it; with [workflow].transfer_approval = true, the
/// transfer needs --approved-by, a supervisor who is neither caseworker. A closed case is not
/// transferred, nor a case to the caseworker who has it.
///
/// With --office, the case moves to another office's workspace (a local clone): the whole case,
/// under its own id, is written there as a new file, with the transfer that brings it (its
/// from_office) and --to, of that office's roster, as its caseworker; and it is closed here,
/// reason transferred, to_office the other office's id_prefix. Both or neither; committing and
/// pushing each repository stays git's.
#[derive(Debug, clap::Args)]
#[command(
    after_help = "Examples:\n  cm transfer THR-2026-0004 --to n.moradi\n  cm transfer THR-2026-0004 --to n.moradi --approved-by z.rahimi --reason \"Moved to the eastern office\" --dry-run\n  cm transfer THR-2026-0012 --to s.ahmadi --date 2026-10-15 --by z.rahimi\n  cm transfer THR-2026-0004 --office ../isfahan --to f.rezaei --approved-by z.rahimi"
)]
pub struct Args {
    /// The case id, e.g. THR-2026-0004.
    id: String,
    /// The caseworker who takes the case over (a roster id; with --office, of that office).
    #[arg(long, value_name = "ID")]
    to: String,
    /// The workspace of the office the case moves to (its folder, a local clone).
    #[arg(long, value_name = "DIR")]
    office: Option<PathBuf>,
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
    if let Some(office) = &args.office {
        return to_office(&args, office, env, out);
    }
    let (desk, _lock) = desk(env, args.edit.dry_run)?;
    let proposal = workflow::transfer(&desk, &request(&args, env, &desk)?);
    apply(proposal, &args.edit, env, out)
}

/// The transfer `args` ask for, its date read in the calendar of `desk`'s workspace.
fn request(args: &Args, env: &Env, desk: &Desk) -> Result<workflow::Transfer> {
    Ok(workflow::Transfer {
        id: args.id.clone(),
        to: args.to.clone(),
        date: env.date(&desk.ws, args.date.as_ref())?,
        by: args.by.clone(),
        approved_by: args.approved_by.clone(),
        reason: args.reason.clone(),
    })
}

/// `cm transfer --office`: the case closed here and written into the other office's workspace,
/// both workspaces locked meanwhile.
fn to_office(args: &Args, office: &PathBuf, env: &Env, out: &mut dyn Write) -> Result<Status> {
    let here = env.workspace()?;
    let there = Workspace::discover(&env.cwd.join(office), true)?;
    let _locks = match args.edit.dry_run {
        true => Vec::new(),
        false => lock_both(&here, &there)?,
    };
    let today = env.date(&here, None)?;
    let calendar = env.calendar(&here);
    let here = Desk::open(here, today, calendar)?;
    let there = Desk::open(there, today, calendar)?;
    let shown = office.display().to_string();
    let proposals = workflow::transfer_office(&here, &there, &shown, &request(args, env, &here)?);
    apply_all(proposals.map(Vec::from), &args.edit, env, out)
}

/// The edit locks of two workspaces, taken in the order of their folders: two transfers between
/// the same offices in opposite directions wait for each other, never for ever. One workspace
/// named twice is locked once (the transfer is then refused).
fn lock_both(a: &Workspace, b: &Workspace) -> Result<Vec<Lock>> {
    let real = |ws: &Workspace| {
        std::fs::canonicalize(&ws.root).map_err(|e| Error::io(ws.root.display().to_string(), e))
    };
    let (ra, rb) = (real(a)?, real(b)?);
    if ra == rb {
        return Ok(vec![a.lock()?]);
    }
    let (first, second) = if ra < rb { (a, b) } else { (b, a) };
    Ok(vec![first.lock()?, second.lock()?])
}
