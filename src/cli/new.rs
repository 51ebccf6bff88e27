//! `cm new`: open a case.

use std::io::Write;

use super::{DateArg, Edit, Env, Status, apply, desk, one_of};
use cm_base::calendar::Calendar;
use cm_base::error::{Error, Result};
use cm_case::{Program, Risk, Sex};
use cm_ops::register::Register;
use cm_ops::workflow;

/// Open a case: write cases/YYYY/PREFIX-YYYY-NNNN.yaml in phase intake and print its path.
///
/// The number is the next one free anywhere in the workspace for the year of --date. The new
/// case passes `cm validate` as written (it warns that consent is not yet recorded).
///
/// Before it is written, the client is compared with the client of every case, open or closed:
/// the same national id, or a name alike in any spelling with the same sex and birth date (or
/// year). If one may be the same person, nothing is written and the cases are named (exit
/// status 1): reopen the closed case of a returning client (`cm reopen ID`), or, if they are
/// other people, give --not-duplicate-of ID.
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
    /// The client's date of birth.
    #[arg(long, value_name = "DATE", conflicts_with = "birth_year")]
    birth_date: Option<DateArg>,
    /// The client's year of birth, when the day is not known; with the persian calendar a
    /// Solar Hijri year, written as the Gregorian year most of it falls in (1359 is 1980).
    #[arg(long, value_name = "YEAR", value_parser = super::number::<i32>)]
    birth_year: Option<i32>,
    /// The client's national id (leading zeros are kept).
    #[arg(long, value_name = "ID")]
    national_id: Option<String>,
    /// The client's phone number.
    #[arg(long, value_name = "NUMBER")]
    phone: Option<String>,
    /// The household the client belongs to (HH-…), shared by the cases of one family.
    #[arg(long, value_name = "HH-ID")]
    household: Option<String>,
    /// A case whose client looks like this one but is another person; repeat for several.
    /// Recorded in the case (not_duplicate_of), so that the pair is not reported again.
    #[arg(long, value_name = "CASE-ID")]
    not_duplicate_of: Vec<String>,
    #[command(flatten)]
    edit: Edit,
}

pub fn run(args: Args, env: &Env, out: &mut dyn Write) -> Result<Status> {
    let (desk, _lock) = desk(env, args.edit.dry_run)?;
    let calendar = env.calendar(&desk.ws);
    let request = workflow::NewCase {
        birth_date: args.birth_date.map(|d| d.read(calendar)).transpose()?,
        birth_year: args.birth_year.map(|year| match calendar {
            // Farvardin 1 falls in March: nine months of the year are in the Gregorian one.
            Calendar::Persian => year.saturating_add(621),
            Calendar::Gregorian => year,
        }),
        national_id: args.national_id,
        phone: args.phone,
        address: None,
        household_size: None,
        guardian: None,
        household: args.household,
        not_duplicate_of: args.not_duplicate_of,
        consent: None,
        assessment: None,
        program: args.program,
        name: args.name,
        sex: args.sex,
        caseworker: args.caseworker,
        risk: args.risk,
        date: env.date(&desk.ws, args.date.as_ref())?,
        note: args.note,
    };
    // Under the lock no other `cm` takes a number; a file that appears all the same (a `git
    // pull` meanwhile, unseen by the register in the same tick of the clock) makes this one
    // look at every file again, and take the next free number.
    let mut register = Register::open(&desk.ws, true)?;
    let mut tries = 0;
    loop {
        let proposal = workflow::new_case(&desk, &request, &register);
        match apply(proposal, &args.edit, env, out) {
            Err(Error::Io { source, .. })
                if source.kind() == std::io::ErrorKind::AlreadyExists && tries < 100 =>
            {
                tries += 1;
                register = Register::open(&desk.ws, false)?;
            }
            result => return result,
        }
    }
}
