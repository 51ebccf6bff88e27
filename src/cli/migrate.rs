//! `cm migrate`: bring the case files up to the current format.

use std::io::Write;

use super::{Env, Status, desk, say, show_diff, warn, written};
use cm_base::error::Result;
use cm_base::text::printable_lines;
use cm_ops::workflow;

/// How many case files are prepared at once: enough to keep every core busy, few enough that
/// their texts do not fill the memory of a large workspace.
const BATCH: usize = 512;

/// Bring every case file up to the current format: give each service whose status is past
/// `referred`, and each goal that is not active, the updates its status needs, and record the
/// risk at intake.
///
/// Case files written before services had updates say a service is accepted, in progress,
/// completed, declined or cancelled without saying when, or who recorded it. For each such
/// service, one update {date, status, by} is appended to its updates: dated with the best date
/// the file holds (`ended`, else `referred`), recorded by the case's caseworker; a declined
/// service is given `reason: other`, since the file does not say why. Likewise a goal that is
/// not active and has no updates is given one to its status, dated with the last review that
/// scored it (else its `target_date`, else the plan's date). A first history entry without the
/// risk at intake is given the risk of the first decision about the risk the file records (a
/// review's, a change's), else the case's risk. Each case is changed
/// surgically and checked as any change is; a case that would not be valid afterwards is told,
/// left as it is, and the others go on (exit status 1). Run it once, on a clean git tree, and
/// read the change with git diff before committing.
#[derive(Debug, clap::Args)]
#[command(after_help = "Examples:\n  cm migrate --dry-run\n  cm migrate")]
pub struct Args {
    /// Print the changes as diffs and write nothing.
    #[arg(long)]
    dry_run: bool,
}

pub fn run(args: Args, env: &Env, out: &mut dyn Write) -> Result<Status> {
    let (desk, _lock) = desk(env, args.dry_run)?;
    let files = desk.ws.case_files(&[], &desk.ws.root)?;
    let (mut migrated, mut refused) = (0, 0);
    for batch in files.chunks(BATCH) {
        for (_, result) in workflow::migrate(&desk, batch) {
            let proposal = match result {
                Ok(Some(proposal)) => proposal,
                Ok(None) => continue,
                Err(e) => {
                    refused += 1;
                    say(format_args!(
                        "cm: error: {}",
                        printable_lines(&e.to_string())
                    ));
                    continue;
                }
            };
            migrated += 1;
            if args.dry_run {
                warn(&proposal);
                show_diff(&proposal, env, out)?;
            } else {
                // Written first: the warnings are about a case that is there.
                proposal.write()?;
                warn(&proposal);
                written(writeln!(out, "{}", printable_lines(&proposal.summary)))?;
            }
        }
    }
    let untouched = files.len() - migrated - refused;
    let counts = if args.dry_run {
        format!(
            "{migrated} to migrate, {untouched} need nothing, {refused} refused; nothing was written"
        )
    } else {
        format!("{migrated} migrated, {untouched} needed nothing, {refused} refused")
    };
    let summary = format!("checked {} cases: {counts}", files.len());
    if args.dry_run {
        // Standard output holds only the diffs, for `patch` or `git apply`.
        say(format_args!("{summary}"));
    } else {
        written(writeln!(out, "{summary}"))?;
    }
    Ok(if refused > 0 {
        Status::Problems
    } else {
        Status::Ok
    })
}
