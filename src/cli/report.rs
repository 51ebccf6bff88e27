//! `cm report`: the reports for funders and public bodies.

use std::io::Write;

mod record;

pub use record::check as check_recorded;

use std::path::PathBuf;

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

pub use super::source::Source;
use super::{
    DateArg, Env, Known, Read, Status, Usage, among, check_include, each_head, finish, one_of, say,
};
use cm_base::calendar::Calendar;
use cm_base::error::{Error, Result};
use cm_base::language::Language;
use cm_case::workspace::Workspace;
use cm_case::{INCLUDABLE_IN_LISTINGS, Program};
use cm_ops::duplicates::Person;
use cm_ops::output::{Format, Table};
use cm_ops::report::outcomes::{self, Period};
use cm_ops::report::{Cases, Held, caseload, indicators, referrals, summary};

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
    Duplicates(DuplicatesArgs),
    Check(record::CheckArgs),
}

impl Report {
    /// The options of a report of figures.
    fn output(&self) -> Option<&Output> {
        match self {
            Report::Outcomes(args) => Some(&args.output),
            Report::Caseload(args) => Some(&args.output),
            Report::Summary(args) => Some(&args.output),
            Report::Referrals(args) => Some(&args.output),
            Report::Indicators(args) => Some(&args.output),
            Report::Duplicates(_) | Report::Check(_) => None,
        }
    }
}

/// Options every report shares.
#[derive(Debug, clap::Args)]
struct Output {
    /// Output format (default: table on a terminal, csv when piped); html is a page with
    /// charts to open in a browser and print.
    #[arg(long, value_parser = among(Format::REPORT))]
    format: Option<Format>,
    /// The language of an html page: en or fa (default: cm.toml's [workspace].language).
    #[arg(long, value_parser = one_of::<Language>())]
    lang: Option<Language>,
    /// Prefix CSV output with a byte-order mark, for spreadsheet programs.
    #[arg(long)]
    bom: bool,
    /// Exit with status 1 when a case file is left out for its errors.
    #[arg(long)]
    strict: bool,
    /// Compute the report from the case files (and cm.toml) as they were at this git revision:
    /// a commit, a tag, HEAD~3, main@{2026-11-01}. The working tree and the index are not
    /// touched.
    #[arg(long, value_name = "REV", conflicts_with_all = ["record", "from_export"])]
    at: Option<String>,
    /// Also record the report in DIR, as CSV with a manifest (the command, its parameters, the
    /// git revision, a digest of each row), for `cm report check` to hold it to.
    #[arg(long, value_name = "DIR", conflicts_with = "from_export")]
    record: Option<PathBuf>,
    /// Compute the report from offices' exports (`cm export --redact`, JSON Lines) instead of
    /// workspaces: one file per office, each line held to schemas/export.schema.json. A figure
    /// that needs an office's settings (its deadlines, roster or directory) is unknown.
    #[arg(long, value_name = "FILE", num_args = 1..)]
    from_export: Vec<PathBuf>,
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

/// Pairs of cases, open or closed, that may be of one client: the same national id in any
/// digits (matched_by national_id, score 1), or names alike in any spelling with the same sex
/// and birth date (name+birth_date) or year of birth (name+birth_year), score 0.85 to 1. The
/// later case first, with the program and phase of both; never a name or a national id.
///
/// A pair recorded as two people (not_duplicate_of in either case) is not listed. The cases as
/// they are today: this is a list to work through, not a figure of a period.
#[derive(Debug, clap::Args)]
#[command(
    after_help = "Examples:\n  cm report duplicates\n  cm report duplicates --format csv > duplicates.csv"
)]
struct DuplicatesArgs {
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

/// `cm report duplicates`, from the head of each case (see [`cm_ops::duplicates`]).
fn duplicates(
    args: DuplicatesArgs,
    env: &Env,
    ws: &Workspace,
    out: &mut dyn Write,
) -> Result<Status> {
    let read = each_head(ws, env, |listed| Some(Person::of(&listed.case)))?;
    let table = cm_ops::duplicates::table(&read.kept);
    if table.rows.is_empty() {
        say(format_args!("cm: no two cases look like one client"));
    }
    let shown = env.shown(ws, args.bom, "clients that may be known twice");
    let format = Format::pick(args.format, env.terminal);
    finish(table.write(out, format, &shown), read.status(args.strict))
}

pub fn run(args: Args, env: &Env, out: &mut dyn Write) -> Result<Status> {
    // Read once: its calendar reads the dates typed, and it shows the report (the workspace
    // reported on, or the first of several).
    let ws = match args.report.output() {
        None => env.workspace()?,
        Some(output) if !output.from_export.is_empty() => env.workspace_or_none()?,
        Some(_) => env.workspaces()?.0,
    };
    let period =
        |from: Option<DateArg>, to: Option<DateArg>| period(env, &ws, from.as_ref(), to.as_ref());
    let (mut request, output) = match args.report {
        Report::Check(args) => return record::run(args, env, &ws, out),
        Report::Duplicates(args) => return duplicates(args, env, &ws, out),
        Report::Outcomes(mut args) => {
            check_include(&mut args.include, INCLUDABLE_IN_LISTINGS)?;
            let period = period(args.from, args.to)?;
            let request = Request::Outcomes {
                from: period.from,
                to: period.to,
                program: args.program,
                caseworker: args.caseworker,
                wide: args.wide,
                columns: args.columns,
                include: args.include,
            };
            (request, args.output)
        }
        Report::Caseload(args) => {
            let as_of = env.date(&ws, args.as_of.as_ref())?;
            (Request::Caseload { as_of }, args.output)
        }
        Report::Summary(args) => {
            // Read now, so that a month that is not one is refused before anything is read.
            cm_base::calendar::month(&args.month, env.calendar(&ws))?;
            (Request::Summary { month: args.month }, args.output)
        }
        Report::Referrals(args) => {
            let Period { from, to } = period(args.from, args.to)?;
            (Request::Referrals { from, to }, args.output)
        }
        Report::Indicators(args) => {
            let Period { from, to } = period(args.from, args.to)?;
            (Request::Indicators { from, to }, args.output)
        }
    };
    if output.record.is_some() && request.includes_personal_fields() {
        return Err(Error::request(Usage::RecordPersonal));
    }
    if output.format == Some(Format::Html) {
        request.for_page()?;
    }
    let source = match output.from_export.as_slice() {
        [] => Source::open(env, output.at.as_deref())?,
        files => Source::exports(env, files)?,
    };
    let federated = source.members() > 1 || !source.ws.settings.federation.workspaces.is_empty();
    if federated && output.record.is_some() {
        return Err(Error::request(Usage::RecordOneWorkspace));
    }
    let report = compute(&request, env, &source)?;
    let unknown = report.table.unknown();
    if !unknown.is_empty() {
        say(format_args!(
            "cm: not computed, and left empty: {} (an export does not carry its office's \
             deadlines, roster or directory)",
            unknown.join(", ")
        ));
    }
    let status = report.read.status(output.strict);
    if let Some(dir) = &output.record {
        record::record(&request, &report, env, &source.ws, dir)?;
    }
    let format = Format::pick(output.format, env.terminal);
    if format == Format::Html {
        let page = page(&request, &report, env, &source.ws, output.lang)?;
        return finish(out.write_all(page.as_bytes()), status);
    }
    let shown = env.shown(&source.ws, output.bom, &report.subject);
    let table = match (&request, format) {
        // On a screen, the columns that fit it; piped, a table has them all.
        (
            Request::Outcomes {
                wide: false,
                columns,
                include,
                ..
            },
            Format::Table,
        ) if columns.is_empty() && env.width.is_some() => {
            // The personal fields asked for by name come first: they are what was asked.
            let priority: Vec<&str> = include
                .iter()
                .map(String::as_str)
                .chain(outcomes::ON_SCREEN.iter().copied())
                .collect();
            let (table, left_out) = report.table.fit(&priority, env.width, &shown);
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
        _ => report.table,
    };
    finish(table.write(out, format, &shown), status)
}

/// The page of `report` (see [`cm_ops::page`]), in `lang` or the workspace's language.
fn page(
    request: &Request,
    report: &Computed,
    env: &Env,
    ws: &Workspace,
    lang: Option<Language>,
) -> Result<String> {
    let calendar = env.calendar(ws);
    let (name, from, to) = request.page(calendar)?;
    let scope = match request {
        Request::Outcomes {
            program,
            caseworker,
            ..
        } => program
            .map(|p| p.to_string())
            .into_iter()
            .chain(caseworker.clone())
            .collect(),
        _ => Vec::new(),
    };
    let heading = cm_ops::page::Heading {
        office: &ws.settings.workspace.name,
        report: name,
        scope,
        from,
        to,
        calendar,
        language: lang.unwrap_or(ws.settings.workspace.language),
    };
    Ok(cm_ops::page::report(&report.table, &heading))
}

/// A report and its parameters, every date resolved: what is computed, and what a recorded
/// report's manifest keeps so that `cm report check` computes it again exactly.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "report", rename_all = "kebab-case")]
pub enum Request {
    Outcomes {
        #[serde(default, skip_serializing_if = "Option::is_none")]
        from: Option<NaiveDate>,
        to: NaiveDate,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        program: Option<Program>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        caseworker: Option<String>,
        #[serde(default, skip_serializing_if = "std::ops::Not::not")]
        wide: bool,
        #[serde(default, skip_serializing_if = "Vec::is_empty")]
        columns: Vec<String>,
        /// Never recorded (see [`Usage::RecordPersonal`]).
        #[serde(skip)]
        include: Vec<String>,
    },
    Caseload {
        as_of: NaiveDate,
    },
    Summary {
        /// In the calendar of the report.
        month: String,
    },
    Referrals {
        #[serde(default, skip_serializing_if = "Option::is_none")]
        from: Option<NaiveDate>,
        to: NaiveDate,
    },
    Indicators {
        #[serde(default, skip_serializing_if = "Option::is_none")]
        from: Option<NaiveDate>,
        to: NaiveDate,
    },
}

impl Request {
    /// What the report's page is headed with: the report, and its period's first day (if it
    /// has one) and last.
    fn page(&self, calendar: Calendar) -> Result<(&'static str, Option<NaiveDate>, NaiveDate)> {
        Ok(match self {
            Request::Summary { month } => {
                let month = cm_base::calendar::month(month, calendar)?;
                ("summary", Some(month.start), month.last_day())
            }
            Request::Indicators { from, to } => ("indicators", *from, *to),
            Request::Outcomes { from, to, .. } => ("outcomes", *from, *to),
            Request::Referrals { from, to } => ("referrals", *from, *to),
            Request::Caseload { as_of } => ("caseload", None, *as_of),
        })
    }

    /// The request as a page is made from: the whole report, every column of the outcomes (a
    /// page sums them up), or the error that an option asks what a page has not.
    fn for_page(&mut self) -> Result<()> {
        if let Request::Outcomes {
            wide,
            columns,
            include,
            ..
        } = self
        {
            if !include.is_empty() {
                return Err(Error::request(Usage::PageOption("--include")));
            }
            if !columns.is_empty() {
                return Err(Error::request(Usage::PageOption("--columns")));
            }
            *wide = true;
        }
        Ok(())
    }

    /// Whether its rows are its own figures, `metric,value` (fixed by cm's version), rather than
    /// one per caseworker, provider or case (see [`cm_ops::report::record::compare`]).
    pub fn has_metric_rows(&self) -> bool {
        matches!(self, Request::Summary { .. } | Request::Indicators { .. })
    }

    fn includes_personal_fields(&self) -> bool {
        matches!(self, Request::Outcomes { include, .. } if !include.is_empty())
    }

    /// The day the report is computed as of: every fact it counts is dated by then.
    pub fn day(&self, calendar: Calendar) -> Result<NaiveDate> {
        Ok(match self {
            Request::Outcomes { to, .. }
            | Request::Referrals { to, .. }
            | Request::Indicators { to, .. } => *to,
            Request::Caseload { as_of } => *as_of,
            Request::Summary { month } => cm_base::calendar::month(month, calendar)?.last_day(),
        })
    }

    /// The command that computes the report, with its every parameter, dates in `calendar`.
    pub fn command(&self, calendar: Calendar) -> String {
        let day = |d: &NaiveDate| cm_base::calendar::display(*d, calendar);
        let mut words = vec!["cm report".to_string()];
        let period = |words: &mut Vec<String>, from: &Option<NaiveDate>, to| {
            if let Some(from) = from {
                words.push(format!("--from {}", day(from)));
            }
            words.push(format!("--to {}", day(to)));
        };
        match self {
            Request::Outcomes {
                from,
                to,
                program,
                caseworker,
                wide,
                columns,
                include: _,
            } => {
                words.push("outcomes".into());
                period(&mut words, from, to);
                words.extend(program.map(|p| format!("--program {p}")));
                words.extend(caseworker.as_ref().map(|c| format!("--caseworker {c}")));
                if *wide {
                    words.push("--wide".into());
                }
                if !columns.is_empty() {
                    words.push(format!("--columns {}", columns.join(",")));
                }
            }
            Request::Caseload { as_of } => {
                words.push(format!("caseload --as-of {}", day(as_of)));
            }
            Request::Summary { month } => words.push(format!("summary --month {month}")),
            Request::Referrals { from, to } => {
                words.push("referrals".into());
                period(&mut words, from, to);
            }
            Request::Indicators { from, to } => {
                words.push("indicators".into());
                period(&mut words, from, to);
            }
        }
        words.push(format!("--calendar {calendar}"));
        words.join(" ")
    }

    /// The name a recorded report is given, after the report and its parameters
    /// (`summary-2026-10`, `outcomes-2026-01-01-to-2026-06-30-child-protection`): recording
    /// the same report again replaces it.
    pub fn name(&self, calendar: Calendar) -> String {
        let day = |d: &NaiveDate| cm_base::calendar::display(*d, calendar);
        let period = |from: &Option<NaiveDate>, to| match from {
            Some(from) => format!("{}-to-{}", day(from), day(to)),
            None => format!("to-{}", day(to)),
        };
        let name = match self {
            Request::Outcomes {
                from,
                to,
                program,
                caseworker,
                ..
            } => {
                let mut name = format!("outcomes-{}", period(from, to));
                for part in [program.map(|p| p.to_string()), caseworker.clone()]
                    .into_iter()
                    .flatten()
                {
                    name = format!("{name}-{part}");
                }
                name
            }
            Request::Caseload { as_of } => format!("caseload-{}", day(as_of)),
            Request::Summary { month } => format!("summary-{month}"),
            Request::Referrals { from, to } => format!("referrals-{}", period(from, to)),
            Request::Indicators { from, to } => format!("indicators-{}", period(from, to)),
        };
        // A file name of letters, digits, dots, dashes and underscores only.
        name.chars()
            .map(|c| {
                if c.is_ascii_alphanumeric() || "._-".contains(c) {
                    c
                } else {
                    '_'
                }
            })
            .collect()
    }
}

/// A report computed: its table (every column asked for), what was read, and its title.
pub struct Computed {
    pub table: Table,
    read: Read<()>,
    subject: String,
}

impl Computed {
    /// How many case files were left out for their errors.
    pub fn left_out(&self) -> usize {
        self.read.left_out
    }
}

/// Computes the report `request` from the cases of `source`, each as it stood on the report's
/// day (one opened since is not there): the one path of every report, recorded, checked or
/// shown.
pub fn compute(request: &Request, env: &Env, source: &Source) -> Result<Computed> {
    let ws = &source.ws;
    let calendar = env.calendar(ws);
    let offices = &source.offices;
    let (table, read, subject) = match request {
        Request::Outcomes {
            from,
            to,
            program,
            caseworker,
            wide,
            columns,
            include,
        } => {
            let period = Period {
                from: *from,
                to: *to,
            };
            let known = Known::caseworker(caseworker.as_deref(), offices);
            let cases = Cases {
                program: *program,
                caseworker: caseworker.clone(),
            };
            // `--columns` may name any column, the domain ones included.
            let wide = *wide || !columns.is_empty();
            // Only the rows are held.
            let read = source.each_case(env, |i, listed| {
                known.note(listed.case.caseworker.as_deref().unwrap_or_default());
                let then = source.as_of(listed.case, period.to)?;
                (cases.admits(&then) && period.covers(&then)).then(|| {
                    let office = (&offices[i], source.shows_office());
                    outcomes::keep(&then, &period, wide, include, office)
                })
            })?;
            known.check()?;
            let (rows, read) = read.split();
            // The domains of every office, in the order the first that has each gives them.
            let mut domains: Vec<String> = Vec::new();
            for office in offices {
                for domain in office.settings.iter().flat_map(|s| &s.assessment.domains) {
                    if !domains.contains(domain) {
                        domains.push(domain.clone());
                    }
                }
            }
            let table = outcomes::table(rows, wide, &domains, include, source.shows_office());
            let header = table.header.clone();
            let table = if columns.is_empty() {
                table
            } else {
                table.select(columns).map_err(|column| {
                    let nearest =
                        cm_base::text::suggest(&column, header.iter().map(String::as_str));
                    Error::request(Usage::NoColumn {
                        help: match nearest {
                            Some(near) => format!("did you mean `{near}`?"),
                            None => format!("the columns are {}", header.join(", ")),
                        },
                        column,
                    })
                })?
            };
            (table, read, over(env, ws, "outcomes", &period))
        }
        Request::Caseload { as_of: day } => {
            // Each open case becomes what it adds to the caseload as it is read.
            let read = source.each_case(env, |i, listed| {
                let case = source.as_of(listed.case, *day)?;
                caseload::part(Held::of(&offices[i], &case), *day)
            })?;
            let (parts, read) = read.split();
            let table = caseload::of_parts(parts, offices);
            let subject = format!("caseload as of {}", env.day(ws, *day));
            (table, read, subject)
        }
        Request::Summary { month } => {
            let month = cm_base::calendar::month(month, calendar)?;
            let last = month.last_day();
            // Each case becomes what it adds to the summary as it is read: only that is held.
            let read = source.each_case(env, |i, listed| {
                let case = source.as_of(listed.case, last)?;
                Some(summary::part(Held::of(&offices[i], &case), month))
            })?;
            let (parts, read) = read.split();
            let table = summary::of_parts(parts, read.left_out);
            let subject = format!(
                "summary of {} to {}",
                env.day(ws, month.start),
                env.day(ws, last)
            );
            (table, read, subject)
        }
        Request::Referrals { from, to } => {
            let period = Period {
                from: *from,
                to: *to,
            };
            // Each case becomes the facts of its services as it is read: only those are held.
            let read = source.each_case(env, |i, listed| {
                let settings = offices[i].settings.as_ref();
                let case = source.as_of(listed.case, period.to)?;
                let facts = referrals::keep(&case, settings, &period);
                (!facts.is_empty()).then_some(facts)
            })?;
            let (facts, read) = read.split();
            let directories = offices.iter().filter_map(|o| o.settings.as_ref());
            let table = referrals::table(facts.into_iter().flatten(), directories);
            (table, read, over(env, ws, "referrals", &period))
        }
        Request::Indicators { from, to } => {
            let period = Period {
                from: *from,
                to: *to,
            };
            // Each case becomes what it adds to the indicators as it is read.
            let read = source.each_case(env, |i, listed| {
                let case = source.as_of(listed.case, period.to)?;
                Some(indicators::part(Held::of(&offices[i], &case), &period))
            })?;
            let (parts, read) = read.split();
            let table = indicators::of_parts(parts, offices);
            (table, read, over(env, ws, "indicators", &period))
        }
    };
    let subject = match source.at() {
        Some(at) => format!("{subject}, as the files were at {at}"),
        None => subject,
    };
    Ok(Computed {
        table,
        read,
        subject,
    })
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
