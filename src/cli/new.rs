//! `cm new`: open a case.

use std::io::Write;

use super::{DateArg, Edit, Env, Status, apply, desk, one_of};
use cm_base::error::{Error, Result};
use cm_case::{Program, Risk, Sex};
use cm_ops::workflow;

/// Open a case: write cases/YYYY/PREFIX-YYYY-NNNN.yaml in phase intake and print its path.
///
/// The number is the next one free anywhere in the workspace for the year of --date. The new
/// case passes `cm validate` as written (it warns that consent is not yet recorded).
#[derive(Debug, clap::Args)]
#[command(
    after_help = "Example:\n  cm new --program female-headed-household --name \"مریم رضایی\" --sex female --caseworker s.ahmadi"
)]
pub struct Args {
    /// The program the case belongs to.
    #[arg(long, value_parser = one_of::<Program>())]
    program: Program,
    /// The client's name, in any script.
    #[arg(long)]
    name: String,
    /// The client's sex, as the client states it.
    #[arg(long, value_parser = one_of::<Sex>())]
    sex: Sex,
    /// Who holds the case (a roster id).
    #[arg(long, value_name = "ID")]
    caseworker: String,
    /// The risk found at intake.
    #[arg(long, value_parser = one_of::<Risk>(), default_value = "medium")]
    risk: Risk,
    /// The day the case is opened (YYYY-MM-DD; default today).
    #[arg(long, value_name = "DATE")]
    date: Option<DateArg>,
    /// A note for the intake entry of the history.
    #[arg(long, value_name = "TEXT")]
    note: Option<String>,
    #[command(flatten)]
    edit: Edit,
}

pub fn run(args: Args, env: &Env, out: &mut dyn Write) -> Result<Status> {
    let (desk, _lock) = desk(env, args.edit.dry_run)?;
    let request = workflow::NewCase {
        program: args.program,
        name: args.name,
        sex: args.sex,
        caseworker: args.caseworker,
        risk: args.risk,
        date: env.date(&desk.ws, args.date.as_ref())?,
        note: args.note,
    };
    // Under the lock no other `cm` takes a number; a file that appears all the same (a `git
    // pull` meanwhile) makes this one take the next free number.
    let mut tries = 0;
    loop {
        let proposal = workflow::new_case(&desk, &request);
        match apply(proposal, &args.edit, env, out) {
            Err(Error::Io { source, .. })
                if source.kind() == std::io::ErrorKind::AlreadyExists && tries < 100 =>
            {
                tries += 1;
            }
            result => return result,
        }
    }
}
