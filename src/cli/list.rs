//! `cm list`: one row per case.

use std::io::Write;

use super::source::Source;
use super::{DateArg, Env, Known, Status, among, check_include, finish, one_of};
use cm_base::error::Result;
use cm_case::{INCLUDABLE_IN_LISTINGS, Phase, Program, Risk};
use cm_ops::output::Format;
use cm_ops::report::{Cases, list};

/// List the cases, one row each: id, program, caseworker, risk, phase, opened, next_due.
///
/// `next_due` is the earliest item falling due (assessment, plan, review, referral follow-up or
/// service to start, as cm overdue counts them); it is marked `(overdue)` in tables when it is
/// before --as-of (default today).
#[derive(Debug, clap::Args)]
#[command(after_help = "Example:\n  cm list --open --caseworker s.ahmadi --format csv")]
pub struct Args {
    /// Only cases in this phase (intake, assessment, planning, implementation, monitoring, closed).
    #[arg(long, value_parser = one_of::<Phase>())]
    phase: Option<Phase>,
    /// Only cases at this risk (low, medium, high, critical).
    #[arg(long, value_parser = one_of::<Risk>())]
    risk: Option<Risk>,
    /// Only cases of this program (child-protection, disability, female-headed-household,
    /// older-person, general).
    #[arg(long, value_parser = one_of::<Program>())]
    program: Option<Program>,
    /// Only cases of this caseworker (roster id).
    #[arg(long, value_name = "ID")]
    caseworker: Option<String>,
    /// Only open cases (any phase but closed).
    #[arg(long, conflicts_with = "closed")]
    open: bool,
    /// Only closed cases.
    #[arg(long)]
    closed: bool,
    /// Output format (default: table on a terminal, csv when piped).
    #[arg(long, value_parser = among(Format::LISTING))]
    format: Option<Format>,
    /// Prefix CSV output with a byte-order mark, for spreadsheet programs.
    #[arg(long)]
    bom: bool,
    /// Add a column with this personal field (client.name, client.national_id,
    /// client.birth_date); repeat for several.
    #[arg(long, value_name = "FIELD")]
    include: Vec<String>,
    /// Count due dates from this day instead of today (YYYY-MM-DD).
    #[arg(long, value_name = "DATE")]
    as_of: Option<DateArg>,
    /// Exit with status 1 when a case file is left out for its errors.
    #[arg(long)]
    strict: bool,
}

pub fn run(mut args: Args, env: &Env, out: &mut dyn Write) -> Result<Status> {
    check_include(&mut args.include, INCLUDABLE_IN_LISTINGS)?;
    let source = Source::open(env, None)?;
    let ws = &source.ws;
    let format = Format::pick(args.format, env.terminal);
    let as_of = env.date(ws, args.as_of.as_ref())?;
    let known = Known::caseworker(args.caseworker.as_deref(), &source.offices);
    let filter = list::Filter {
        phase: args.phase,
        risk: args.risk,
        cases: Cases {
            program: args.program,
            caseworker: args.caseworker,
        },
        open: args.open,
        closed: args.closed,
    };
    // Each case becomes its row as it is read: only the rows are held.
    // Each case as it stood on the day (one opened since is not there).
    let read = source.each_case(env, |i, listed| {
        known.note(listed.case.caseworker.as_deref().unwrap_or_default());
        let then = source.as_of(listed.case, as_of)?;
        let settings = source.offices[i].settings.as_ref();
        filter.admits(&then).then(|| {
            let office = source.office_name(i);
            list::row(
                &then,
                listed.display,
                settings,
                as_of,
                &args.include,
                office,
            )
        })
    })?;
    known.check()?;
    let status = read.status(args.strict);
    let table = list::table(read.kept, &args.include, source.shows_office());
    finish(
        table.write(
            out,
            format,
            &env.shown(ws, args.bom, &format!("cases as of {}", env.day(ws, as_of))),
        ),
        status,
    )
}
