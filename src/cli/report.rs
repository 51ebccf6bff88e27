//! `cm report`: the reports for funders and public bodies.

use std::io::Write;

use super::{
    DateArg, Env, Known, Status, Usage, among, check_include, each_case, finish, load_cases,
    one_of, say,
};
use cm_base::error::{Error, Result};
use cm_case::view;
use cm_case::workspace::Workspace;
use cm_case::{INCLUDABLE_IN_LISTINGS, Program};
use cm_ops::output::Format;
use cm_ops::report::outcomes::{self, Period};
use cm_ops::report::{Cases, caseload, indicators, referrals, summary};

/// Reports on the cases, for funders and public bodies. No personal field appears in them unless
/// named with --include. A case file with errors is left out, and named on standard error.
#[derive(Debug, clap::Args)]
pub struct Args {
    #[command(subcommand)]
    report: Report,
}

#[derive(Debug, clap::Subcommand)]
enum Report {
    Outcomes(OutcomesArgs),
    Caseload(CaseloadArgs),
    Summary(SummaryArgs),
    Referrals(ReferralsArgs),
    #[command(visible_alias = "kpi")]
    Indicators(IndicatorsArgs),
}

/// Options every report shares.
#[derive(Debug, clap::Args)]
struct Output {
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

/// One row per case open at any time in the period: the change in the client's situation from
/// the baseline assessment to the latest review or closure, goal attainment (the GAS T-score),
/// and the services coordinated.
///
/// Domain scores carry forward: each review updates the domains it re-scores, then the closure's
/// exit scores. Means are over the domains assessed at baseline. An empty cell means "not
/// applicable", never 0.
#[derive(Debug, clap::Args)]
#[command(
    after_help = "Examples:\n  cm report outcomes --from 2026-01-01 --to 2026-06-30 --format csv > outcomes.csv\n  cm report outcomes --program child-protection --wide"
)]
struct OutcomesArgs {
    /// The first day of the period (default: since the first case).
    #[arg(long, value_name = "DATE")]
    from: Option<DateArg>,
    /// The last day of the period (default today); days_open of open cases counts to it.
    #[arg(long, value_name = "DATE")]
    to: Option<DateArg>,
    /// Show every column, and add <domain>_baseline and <domain>_latest columns for each
    /// domain. Without it, a table on a terminal shows the columns that fit its width (or
    /// COLUMNS), the most telling first; CSV and JSON have every column of the contract.
    #[arg(long, conflicts_with = "columns")]
    wide: bool,
    /// Only these columns, in this order, in any format (comma-separated: id,phase,gas_tscore;
    /// domain columns such as income_latest too).
    #[arg(long, value_name = "COLUMNS", value_delimiter = ',')]
    columns: Vec<String>,
    /// Only cases of this program.
    #[arg(long, value_parser = one_of::<Program>())]
    program: Option<Program>,
    /// Only cases of this caseworker (roster id).
    #[arg(long, value_name = "ID")]
    caseworker: Option<String>,
    /// Add a column with this personal field (client.name, client.national_id,
    /// client.birth_date); repeat for several. Say so to whoever receives the file.
    #[arg(long, value_name = "FIELD")]
    include: Vec<String>,
    #[command(flatten)]
    output: Output,
}

/// Per caseworker: open cases, by risk, overdue items, and max_caseload with whether it is
/// exceeded; then a total row.
#[derive(Debug, clap::Args)]
#[command(after_help = "Example:\n  cm report caseload --as-of 2026-11-01")]
struct CaseloadArgs {
    /// Count overdue items as of this day instead of today.
    #[arg(long, value_name = "DATE")]
    as_of: Option<DateArg>,
    #[command(flatten)]
    output: Output,
}

pub fn run(args: Args, env: &Env, out: &mut dyn Write) -> Result<Status> {
    match args.report {
        Report::Outcomes(args) => outcomes(args, env, out),
        Report::Caseload(args) => caseload(args, env, out),
        Report::Summary(args) => summary(args, env, out),
        Report::Referrals(args) => referrals(args, env, out),
        Report::Indicators(args) => indicators(args, env, out),
    }
}

/// The month's figures as metric,value rows: cases opened (and of them reopened), closed (by
/// reason), open at month end (by program, phase, risk), reviews held, referrals made and
/// completed, overdue items at month end, and the mean domain change of the cases closed in the
/// month.
///
/// Each episode of a reopened case counts: opened in the month of its intake, closed in the month
/// of its closure, open at month end when it is then. The month is one of the workspace's
/// calendar: with the persian calendar, 1404-08 is Aban.
#[derive(Debug, clap::Args)]
#[command(
    after_help = "Examples:\n  cm report summary --month 2026-10 --format csv\n  cm report summary --month 1405-07 --calendar persian"
)]
struct SummaryArgs {
    /// The month, YYYY-MM.
    #[arg(long)]
    month: String,
    #[command(flatten)]
    output: Output,
}

/// Per provider of the directory: referrals made, accepted, declined (by reason), completed,
/// cancelled and pending in the period, and how long answers and completions took; then a
/// (free text) row and a total row.
///
/// One row per provider of [[providers]] in cm.toml with something in the period, one
/// (free text) for the services whose provider is not in the directory, then total. Each
/// figure is a dated fact inside the period: a referral by its referred date, an answer or an
/// outcome by the date of its update. pending counts the referrals still without an answer at
/// the period's end; median_days_to_answer runs from the referral to its first update,
/// median_days_to_complete to its completion; answered_within_response_days is the share of
/// answers given within the provider's response_days. An empty cell means "not applicable",
/// never 0.
#[derive(Debug, clap::Args)]
#[command(
    after_help = "Examples:\n  cm report referrals --from 2026-10-01 --to 2026-10-31\n  cm report referrals --from 2026-01-01 --format csv > referrals.csv"
)]
struct ReferralsArgs {
    /// The first day of the period (default: since the first referral).
    #[arg(long, value_name = "DATE")]
    from: Option<DateArg>,
    /// The last day of the period (default today); pending counts the referrals still waiting
    /// then.
    #[arg(long, value_name = "DATE")]
    to: Option<DateArg>,
    #[command(flatten)]
    output: Output,
}

/// The period's key indicators as indicator,value,cases rows: days from opening to closure
/// (median and bins), caseworkers by open cases, days to assessment and to plan (median and
/// share within the deadline), reviews on time, days to a referral's answer (median and share
/// within the provider's response_days), open cases with consent, goals achieved at closure,
/// and the mean GAS T-score and domain change at closure.
///
/// Every case is read as it stood at the end of --to: a fact dated later never counts. cases is
/// the number of items each value is computed over (episodes, caseworkers, assessments, plans,
/// reviews, answers, open cases, goals, closures). Shares run from 0 to 1; an empty value means
/// "not applicable" (nothing to compute over), never 0. No case or caseworker is named.
#[derive(Debug, clap::Args)]
#[command(
    after_help = "Examples:\n  cm report indicators --from 2026-07-01 --to 2026-09-30\n  cm report kpi --from 2026-10-01 --to 2026-10-31 --format csv > indicators.csv"
)]
struct IndicatorsArgs {
    /// The first day of the period (default: since the first case).
    #[arg(long, value_name = "DATE")]
    from: Option<DateArg>,
    /// The last day of the period (default today); the open cases, the caseloads and consent
    /// are counted on it.
    #[arg(long, value_name = "DATE")]
    to: Option<DateArg>,
    #[command(flatten)]
    output: Output,
}

fn indicators(args: IndicatorsArgs, env: &Env, out: &mut dyn Write) -> Result<Status> {
    let ws = env.workspace()?;
    let period = period(env, &ws, args.from.as_ref(), args.to.as_ref())?;
    // Each case as it stood at the end of the period (one opened since is not there).
    let read = each_case(&ws, env, |listed| view::as_of(&listed.case, period.to))?;
    let status = read.status(args.output.strict);
    let table = indicators::table(read.kept.iter(), &ws.settings, &period);
    let format = Format::pick(args.output.format, env.terminal);
    let subject = over(env, &ws, "indicators", &period);
    finish(
        table.write(out, format, &env.shown(&ws, args.output.bom, &subject)),
        status,
    )
}

fn referrals(args: ReferralsArgs, env: &Env, out: &mut dyn Write) -> Result<Status> {
    let ws = env.workspace()?;
    let period = period(env, &ws, args.from.as_ref(), args.to.as_ref())?;
    // Each case becomes the facts of its services as it is read: only those are held.
    let read = each_case(&ws, env, |listed| {
        let facts = referrals::keep(&listed.case, &ws.settings, &period);
        (!facts.is_empty()).then_some(facts)
    })?;
    let status = read.status(args.output.strict);
    let table = referrals::table(read.kept.into_iter().flatten(), &ws.settings);
    let format = Format::pick(args.output.format, env.terminal);
    let subject = over(env, &ws, "referrals", &period);
    finish(
        table.write(out, format, &env.shown(&ws, args.output.bom, &subject)),
        status,
    )
}

fn summary(args: SummaryArgs, env: &Env, out: &mut dyn Write) -> Result<Status> {
    let ws = env.workspace()?;
    let calendar = env.calendar(&ws);
    let month = cm_base::calendar::month(&args.month, calendar)?;
    let read = load_cases(&ws, env)?;
    // Each case as it stood at the end of the month (one opened since is not there).
    let then: Vec<_> = read
        .kept
        .iter()
        .filter_map(|c| view::as_of(&c.case, month.last_day()))
        .collect();
    let table = summary::table(then.iter(), &ws.settings, month, read.left_out);
    let format = Format::pick(args.output.format, env.terminal);
    let subject = format!(
        "summary of {} to {}",
        env.day(&ws, month.start),
        env.day(&ws, month.last_day())
    );
    finish(
        table.write(out, format, &env.shown(&ws, args.output.bom, &subject)),
        read.status(args.output.strict),
    )
}

fn caseload(args: CaseloadArgs, env: &Env, out: &mut dyn Write) -> Result<Status> {
    let ws = env.workspace()?;
    let as_of = env.date(&ws, args.as_of.as_ref())?;
    let read = load_cases(&ws, env)?;
    // Each case as it stood on the day (one opened since is not there).
    let then: Vec<_> = read
        .kept
        .iter()
        .filter_map(|c| view::as_of(&c.case, as_of))
        .collect();
    let table = caseload::table(then.iter(), &ws.settings, as_of);
    let format = Format::pick(args.output.format, env.terminal);
    let subject = format!("caseload as of {}", env.day(&ws, as_of));
    finish(
        table.write(out, format, &env.shown(&ws, args.output.bom, &subject)),
        read.status(args.output.strict),
    )
}

fn outcomes(args: OutcomesArgs, env: &Env, out: &mut dyn Write) -> Result<Status> {
    check_include(&args.include, INCLUDABLE_IN_LISTINGS)?;
    let ws = env.workspace()?;
    let period = period(env, &ws, args.from.as_ref(), args.to.as_ref())?;
    let known = Known::caseworker(args.caseworker.as_deref(), &ws);
    let cases = Cases {
        program: args.program,
        caseworker: args.caseworker,
    };
    // `--columns` may name any column, the domain ones included.
    let wide = args.wide || !args.columns.is_empty();
    // Each case becomes its row as it is read, as it stood at the end of the period (one
    // opened since is not there): only the rows are held.
    let read = each_case(&ws, env, |listed| {
        let c = &listed.case;
        known.note(c.caseworker.as_deref().unwrap_or_default());
        let then = view::as_of(c, period.to)?;
        (cases.admits(&then) && period.covers(&then))
            .then(|| outcomes::keep(&then, &period, wide, &args.include))
    })?;
    known.check()?;
    let status = read.status(args.output.strict);
    let table = outcomes::table(
        read.kept,
        wide,
        &ws.settings.assessment.domains,
        &args.include,
    );
    let header = table.header.clone();
    let format = Format::pick(args.output.format, env.terminal);
    let subject = over(env, &ws, "outcomes", &period);
    let shown = env.shown(&ws, args.output.bom, &subject);
    let table = match (&args.columns[..], format) {
        // On a screen, the columns that fit it; piped, a table has them all.
        ([], Format::Table) if !args.wide && env.width.is_some() => {
            // The personal fields asked for by name come first: they are what was asked.
            let priority: Vec<&str> = args
                .include
                .iter()
                .map(String::as_str)
                .chain(outcomes::ON_SCREEN.iter().copied())
                .collect();
            let (table, left_out) = table.fit(&priority, env.width, &shown);
            if left_out > 0 {
                say(format_args!(
                    "cm: showing {} of {} columns: --wide shows them all, --columns chooses, \
                     and CSV and JSON have them all",
                    table.header.len(),
                    table.header.len() + left_out
                ));
            }
            table
        }
        ([], _) => table,
        (columns, _) => table.select(columns).map_err(|column| {
            let nearest = cm_base::text::suggest(&column, header.iter().map(String::as_str));
            Error::request(Usage::NoColumn {
                help: match nearest {
                    Some(near) => format!("did you mean `{near}`?"),
                    None => format!("the columns are {}", header.join(", ")),
                },
                column,
            })
        })?,
    };
    finish(table.write(out, format, &shown), status)
}

/// The period of `--from` and `--to` (default today), read in the workspace's calendar; `--from`
/// may not come after `--to`.
fn period(
    env: &Env,
    ws: &Workspace,
    from: Option<&DateArg>,
    to: Option<&DateArg>,
) -> Result<Period> {
    let period = Period {
        from: from.map(|d| d.read(env.calendar(ws))).transpose()?,
        to: env.date(ws, to)?,
    };
    if period.from.is_some_and(|from| from > period.to) {
        return Err(Error::request(Usage::FromAfterTo));
    }
    Ok(period)
}

/// The title of a report of `what` over `period`: `outcomes from D to D`, `outcomes up to D`.
fn over(env: &Env, ws: &Workspace, what: &str, period: &Period) -> String {
    match period.from {
        Some(from) => format!(
            "{what} from {} to {}",
            env.day(ws, from),
            env.day(ws, period.to)
        ),
        None => format!("{what} up to {}", env.day(ws, period.to)),
    }
}
