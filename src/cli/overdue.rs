//! `cm overdue`: what is late, and with --within, what falls due soon.

use std::io::Write;

use super::source::Source;
use super::{DateArg, Env, Known, Status, among, finish, number, one_of};
use cm_base::error::Result;
use cm_case::Program;
use cm_ops::monitor::Kind;
use cm_ops::output::Format;
use cm_ops::report::{Cases, overdue};

/// List the overdue items of open cases: assessments, plans, monitoring reviews, referral
/// follow-ups and services to start, most overdue first.
///
/// Due dates follow the deadlines and review intervals of cm.toml: an assessment is due
/// [deadlines].assessment days after opening, a plan [deadlines].plan days after the
/// assessment, a review by the last review's next_due or [deadlines.review] by risk, a referral
/// follow-up, while the service is not answered, the provider's response_days (else
/// [deadlines].referral_followup) days after it is referred, and a service accepted but not
/// started [deadlines].service_start days after its acceptance. An item due on --as-of is not
/// yet overdue. Columns: id, kind, due, days_overdue, caseworker, risk, phase, service (for
/// referrals and services). With --within N, items falling due in the next N days are listed
/// too, marked upcoming (days_overdue 0 or less).
#[derive(Debug, clap::Args)]
#[command(
    after_help = "Examples:\n  cm overdue\n  cm overdue --within 7 --caseworker s.ahmadi\n  cm overdue --as-of 1405-08-10 --calendar persian --kind review --format csv"
)]
pub struct Args {
    /// Count from this day instead of today.
    #[arg(long, value_name = "DATE")]
    as_of: Option<DateArg>,
    /// Also list the items falling due in the next N days.
    #[arg(long, value_name = "N", value_parser = number::<u32>)]
    within: Option<u32>,
    /// Only cases of this caseworker (roster id).
    #[arg(long, value_name = "ID")]
    caseworker: Option<String>,
    /// Only items of this kind (repeat for several).
    #[arg(long, value_parser = one_of::<Kind>())]
    kind: Vec<Kind>,
    /// Only cases of this program.
    #[arg(long, value_parser = one_of::<Program>())]
    program: Option<Program>,
    /// Output format (default: table on a terminal, csv when piped).
    #[arg(long, value_parser = among(Format::LISTING))]
    format: Option<Format>,
    /// Prefix CSV output with a byte-order mark, for spreadsheet programs.
    #[arg(long)]
    bom: bool,
    /// Exit with status 1 when a case file is left out for its errors.
    #[arg(long)]
    strict: bool,
}

pub fn run(args: Args, env: &Env, out: &mut dyn Write) -> Result<Status> {
    let source = Source::open(env, None)?;
    let ws = &source.ws;
    let as_of = env.date(ws, args.as_of.as_ref())?;
    let known = Known::caseworker(args.caseworker.as_deref(), &source.offices);
    let cases = Cases {
        program: args.program,
        caseworker: args.caseworker,
    };
    // Each case becomes its rows as it is read: only the rows are held.
    // Each case as it stood on the day (one opened since is not there).
    // The workspaces read always have their settings.
    let read = source.each_case(env, |i, listed| {
        known.note(listed.case.caseworker.as_deref().unwrap_or_default());
        let c = &source.as_of(listed.case, as_of)?;
        let office = &source.offices[i];
        let rows = match &office.settings {
            Some(settings) if cases.admits(c) => {
                let office = source.office_name(i);
                overdue::rows(c, settings, as_of, args.within, &args.kind, office)
            }
            _ => Vec::new(),
        };
        (!rows.is_empty()).then_some(rows)
    })?;
    known.check()?;
    let status = read.status(args.strict);
    let table = overdue::table(
        read.kept.into_iter().flatten().collect(),
        source.shows_office(),
    );
    let format = Format::pick(args.format, env.terminal);
    let subject = match args.within {
        Some(n) => format!(
            "items overdue as of {}, or due in {n} days",
            env.day(ws, as_of)
        ),
        None => format!("items overdue as of {}", env.day(ws, as_of)),
    };
    finish(
        table.write(out, format, &env.shown(ws, args.bom, &subject)),
        status,
    )
}
