//! The command line: argument parsing, and the one place where results become exit statuses.
//!
//! Exit status: 0 success; 1 the check found problems (`validate` errors, a change refused
//! because the case would not be valid after it, a case with errors asked for by `cm show`, a
//! case file left out of a reader under `--strict` or of the export); 2 `cm` could not run (bad
//! usage, an unknown case, an unreadable workspace, settings or case file, a symbolic link where
//! `cm` needs a file). A closed pipe (`cm list | head`) is not an error.

mod advance;
mod assess;
mod completions;
mod consent;
mod contact;
mod diff;
mod export;
mod find;
mod goal;
mod import;
mod init;
mod link;
mod list;
mod man;
mod migrate;
mod new;
mod overdue;
mod print;
mod refer;
mod reopen;
mod report;
mod review;
mod revision;
mod risk;
mod service;
mod show;
mod source;
mod transfer;
mod validate;

use std::io::{self, IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::str::FromStr;

use chrono::NaiveDate;
use clap::builder::{PossibleValuesParser, TypedValueParser};
use clap::{Parser, Subcommand};
use cm_base::names::Names;
use cm_ops::output::{self, Format, Shown};

use crate::progress::Progress;
use cm_base::calendar::Calendar;
use cm_base::error::{Error, Result};
use cm_base::files::Lock;
use cm_base::text::printable_lines;
use cm_case::workspace::Workspace;
use cm_case::{Depth, ListedCase};
use cm_ops::check::{Diagnostic, Rules, Schema};
use cm_ops::workflow::{Desk, Proposal};

/// The heading of the options every command takes, listed apart from each command's own.
const GLOBAL: &str = "Global options";

/// Case management as code: one YAML file per case, checked, listed and reported on.
#[derive(Debug, Parser)]
#[command(name = "cm", version, propagate_version = true)]
#[command(
    after_help = "Examples:\n  cm -C sample-cases validate\n  cm list --open --risk high\n  cm show THR-2026-0004"
)]
pub struct Cli {
    /// Use the workspace in DIR instead of searching upwards for cm.toml; paths that follow
    /// are relative to DIR, as with `git -C`. Listings and reports take several.
    #[arg(short = 'C', long = "workspace", value_name = "DIR", global = true, help_heading = GLOBAL)]
    workspace: Vec<PathBuf>,

    /// Show and read dates in this calendar instead of cm.toml's [workspace].calendar.
    #[arg(long, value_parser = one_of::<Calendar>(), global = true, help_heading = GLOBAL)]
    calendar: Option<Calendar>,

    /// When to colour the output: auto (on a terminal, unless NO_COLOR is set; CLICOLOR_FORCE
    /// forces it), always, never.
    #[arg(
        long,
        value_name = "WHEN",
        value_parser = one_of::<ColorWhen>(),
        global = true,
        help_heading = GLOBAL
    )]
    color: Option<ColorWhen>,

    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    Validate(validate::Args),
    Init(init::Args),
    List(list::Args),
    Find(find::Args),
    Show(show::Args),
    Print(print::Args),
    Overdue(overdue::Args),
    Report(report::Args),
    Export(export::Args),
    Import(import::Args),
    New(new::Args),
    Consent(consent::Args),
    Advance(advance::Args),
    Assess(assess::Args),
    Review(review::Args),
    Risk(risk::Args),
    Goal(goal::Args),
    Refer(refer::Args),
    Service(service::Args),
    Transfer(transfer::Args),
    Reopen(reopen::Args),
    Contact(contact::Args),
    Link(link::Args),
    Migrate(migrate::Args),
    Diff(diff::Args),
    Completions(completions::Args),
    Man(man::Args),
}

cm_base::names!(
    /// The choices of `--color`.
    ColorWhen {
        Auto = "auto",
        Always = "always",
        Never = "never",
    }
);

/// The value parser of a closed set of names: one of their spellings, which `--help` and the
/// completions list.
fn one_of<T>() -> impl TypedValueParser<Value = T>
where
    T: Names + FromStr<Err = String> + Clone + Send + Sync + 'static,
{
    among(T::ALL)
}

/// The value parser of the names `values`, a part of a closed set, by their spellings (the
/// `--format`s a command writes: `among(Format::LISTING)`).
fn among<T>(values: &'static [T]) -> impl TypedValueParser<Value = T>
where
    T: Names + FromStr<Err = String> + Clone + Send + Sync + 'static,
{
    PossibleValuesParser::new(values.iter().map(|v| v.as_str())).try_map(|s| s.parse::<T>())
}

/// The value parser of a number, typed in Latin, Persian or Arabic-Indic digits (`7`, `۷`).
fn number<T: FromStr>(s: &str) -> std::result::Result<T, String> {
    cm_base::text::latin_digits(s.trim())
        .parse()
        .map_err(|_| format!("`{s}` is not a whole number"))
}

/// Why the command line asks for what cannot be done.
#[derive(Debug, thiserror::Error)]
pub enum Usage {
    #[error("{TODAY_VAR}={0}: not a day written YYYY-MM-DD")]
    Today(String),
    #[error("--include {field}: the personal fields this command can show are {fields}")]
    NotIncludable { field: String, fields: String },
    #[error("--from is after --to")]
    FromAfterTo,
    #[error(
        "-C is given {0} times, but this command works on one workspace; the listings and reports read several"
    )]
    OneWorkspace(usize),
    #[error(
        "--record keeps the report of one workspace, for `cm report check` to compute again from its git history; record each office's in its own"
    )]
    RecordOneWorkspace,
    #[error(
        "{} and {} both have id_prefix {}: each office needs its own",
        printable_lines(first),
        printable_lines(second),
        printable_lines(prefix)
    )]
    SameOffice {
        prefix: String,
        first: String,
        second: String,
    },
    /// The dates as the user reads them.
    #[error("{id} was opened on {opened}, after {day}")]
    NotYetOpened {
        id: String,
        opened: String,
        day: String,
    },
    #[error(
        "--columns {}: no such column\n  help: {help}",
        printable_lines(column)
    )]
    NoColumn { column: String, help: String },
    #[error(
        "--prefix {}: a prefix is capital letters and digits, starting with a letter, such as THR",
        printable_lines(.0)
    )]
    Prefix(String),
    #[error(
        "{option} {}: {nobody} names this {what}{}",
        printable_lines(value),
        suggestion.as_ref().map(|s| format!("\n  help: did you mean `{}`?", printable_lines(s))).unwrap_or_default()
    )]
    Unknown {
        option: &'static str,
        what: &'static str,
        nobody: &'static str,
        value: String,
        suggestion: Option<String>,
    },
    /// An option of `cm goal` given with the other form of the command.
    #[error(
        "{option} is given only {}",
        if *adding {
            "with a goal's id, to change its status (cm goal ID G1 --status STATUS)"
        } else {
            "with `add`, to add a goal (cm goal ID add --domain DOMAIN --text TEXT)"
        }
    )]
    GoalOption { option: &'static str, adding: bool },
    #[error("{0}")]
    GoalNeeds(&'static str),
    #[error(
        "--record with --include: a recorded report is kept, and committed; it holds no \
         personal field"
    )]
    RecordPersonal,
    #[error(
        "--record: {0} case file(s) were left out for their errors, so the figures are not \
         whole\n  help: run `cm validate`, mend them, and record again"
    )]
    RecordLeftOut(usize),
    #[error(
        "--record: {}{} not committed; a recorded report names the commit its figures come \
         from\n  help: commit the changes first",
        printable_lines(path),
        if *more > 0 { format!(" and {more} other file(s) are") } else { " is".to_string() }
    )]
    RecordUncommitted { path: String, more: usize },
    #[error(
        "--format html with {0}: a page sums up the whole report, and holds no personal field\n  \
         help: ask for the columns and fields in CSV or JSON"
    )]
    PageOption(&'static str),
    #[error(
        "cm find: give a name, or a national id or phone number of at least {} digits",
        cm_ops::find::FEWEST_DIGITS
    )]
    FindWhat,
}

/// What a command that ran reports back.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Status {
    /// Everything fine: exit 0.
    Ok,
    /// The check found problems: exit 1.
    Problems,
}

/// Where a command runs: the folder it works from, whether `-C` named it, and the terminal
/// facts.
#[derive(Clone)]
pub struct Env {
    /// The current folder, or the one `-C` names (as with `git -C`, the paths that follow on
    /// the command line are relative to it).
    pub cwd: PathBuf,
    /// `-C` named the workspace.
    pub explicit: bool,
    /// The workspaces named by the second and later `-C`, for the commands that read several.
    pub more: Vec<PathBuf>,
    /// Standard output is a terminal.
    pub terminal: bool,
    /// Colour is wanted on standard output (`--color`, the terminal, NO_COLOR, CLICOLOR_FORCE).
    pub styled: bool,
    /// The calendar asked for with `--calendar`.
    pub calendar: Option<Calendar>,
    /// The width tables should fit in: `COLUMNS`, else the terminal's, when standard output is
    /// one.
    pub width: Option<usize>,
    /// The day it is: the clock's, or [`TODAY_VAR`]'s.
    pub today: NaiveDate,
}

/// The environment variable that sets the day `cm` takes as today (`YYYY-MM-DD`, Gregorian), in
/// place of the clock: for tests, and for re-running a day's job exactly as it ran.
pub const TODAY_VAR: &str = "CM_TODAY";

/// Today: [`TODAY_VAR`] when it is set, else the clock's day. The one place the clock is read.
fn today() -> Result<NaiveDate> {
    match std::env::var_os(TODAY_VAR) {
        None => Ok(chrono::Local::now().date_naive()),
        Some(value) => value
            .to_str()
            .and_then(cm_base::calendar::parse_iso)
            .ok_or_else(|| Error::request(Usage::Today(value.to_string_lossy().into_owned()))),
    }
}

impl Env {
    /// Finds the workspace the command works on.
    pub fn workspace(&self) -> Result<Workspace> {
        Workspace::discover(&self.root()?, self.explicit)
    }

    /// The workspace [`Env::workspace`] finds, or, when none is found above the folder the
    /// command works from (and `-C` names none), that folder with the default settings.
    pub fn workspace_or_none(&self) -> Result<Workspace> {
        let root = self.root()?;
        if self.explicit || Workspace::find_root(&root, false).is_ok() {
            return Workspace::discover(&root, self.explicit);
        }
        Ok(Workspace {
            root,
            settings: Default::default(),
        })
    }

    /// The folder the command works from, when the command line names one workspace at most.
    pub fn root(&self) -> Result<PathBuf> {
        match self.more.len() {
            0 => Ok(self.cwd.clone()),
            n => Err(Error::request(Usage::OneWorkspace(n + 1))),
        }
    }

    /// The workspaces a listing or report reads: those `-C` names, in their order, or else
    /// the offices of the workspace's `[federation]`, or else the workspace alone; with the
    /// one whose settings show the result (the first `-C`, the federation's workspace).
    pub fn workspaces(&self) -> Result<(Workspace, Vec<Workspace>)> {
        let first = Workspace::discover(&self.cwd, self.explicit)?;
        let mut members = Vec::new();
        if !self.more.is_empty() {
            members.push(first.clone());
            for dir in &self.more {
                members.push(Workspace::discover(dir, true)?);
            }
        } else if first.settings.federation.workspaces.is_empty() {
            members.push(first.clone());
        } else {
            members = source::federation(&first)?;
        }
        Ok((first, members))
    }

    /// The calendar dates are shown and typed in: `--calendar`, else the workspace's.
    pub fn calendar(&self, ws: &Workspace) -> Calendar {
        self.calendar.unwrap_or(ws.settings.workspace.calendar)
    }

    /// How a table of the workspace is shown: its calendar and currency, colour as wanted, and
    /// the title `subject`, after the workspace's name.
    pub fn shown(&self, ws: &Workspace, bom: bool, subject: &str) -> Shown {
        let name = &ws.settings.workspace.name;
        Shown {
            calendar: self.calendar(ws),
            currency: ws.settings.workspace.currency.clone(),
            title: Some(if name.is_empty() {
                subject.to_string()
            } else {
                format!("{name} — {subject}")
            }),
            styled: self.styled,
            bom,
        }
    }

    /// A day as a title shows it, in the calendar.
    pub fn day(&self, ws: &Workspace, day: NaiveDate) -> String {
        cm_base::calendar::display(day, self.calendar(ws))
    }

    /// The date typed in `arg`, read in the calendar; today when there is none.
    pub fn date(&self, ws: &Workspace, arg: Option<&DateArg>) -> Result<NaiveDate> {
        match arg {
            Some(arg) => arg.read(self.calendar(ws)),
            None => Ok(self.today),
        }
    }
}

/// A date typed on the command line. It is read once the workspace, and so the calendar, is
/// known: `2026-11-01` always, `1405-08-10` or `۱۴۰۵-۰۸-۱۰` with the persian calendar.
#[derive(Clone, Debug)]
pub struct DateArg(String);

impl std::str::FromStr for DateArg {
    type Err = String;
    fn from_str(s: &str) -> std::result::Result<DateArg, String> {
        Ok(DateArg(s.to_string()))
    }
}

impl DateArg {
    pub fn read(&self, calendar: Calendar) -> Result<NaiveDate> {
        Ok(cm_base::calendar::parse(&self.0, calendar)?)
    }
}

/// Runs `work` in a thread pool of its own. When the system refuses more threads (a process or
/// memory limit), the pool is this thread alone: `cm` works more slowly instead of failing.
fn in_thread_pool<R: Send>(work: impl FnOnce() -> R + Send) -> R {
    let pool = rayon::ThreadPoolBuilder::new().build().or_else(|_| {
        rayon::ThreadPoolBuilder::new()
            .num_threads(1)
            .use_current_thread()
            .build()
    });
    match pool {
        Ok(pool) => pool.install(work),
        Err(_) => work(),
    }
}

/// Runs `cm` as a process: parses the arguments, runs the command, returns the exit status.
pub fn main() -> ExitCode {
    let cli = Cli::parse();
    // Colour, or none, for standard output and error alike: `--color`, else what the terminal
    // and the environment (NO_COLOR, CLICOLOR_FORCE) say. Standard error takes the styles out
    // where colour is off; standard output is written as it is (CSV and diffs are data, which a
    // stream that strips escapes would change), so styles are written to it only when wanted.
    anstream::ColorChoice::write_global(match cli.color {
        None | Some(ColorWhen::Auto) => anstream::ColorChoice::Auto,
        Some(ColorWhen::Always) => anstream::ColorChoice::Always,
        Some(ColorWhen::Never) => anstream::ColorChoice::Never,
    });
    let stdout = io::stdout();
    let terminal = stdout.is_terminal();
    let styled = anstream::AutoStream::choice(&stdout) != anstream::ColorChoice::Never;
    let today = match today() {
        Ok(day) => day,
        Err(e) => return fail(&e),
    };
    let cwd = std::env::current_dir().unwrap_or_else(|_| PathBuf::from("."));
    let env = Env {
        cwd: match cli.workspace.first() {
            Some(dir) => cwd.join(dir),
            None => cwd.clone(),
        },
        explicit: !cli.workspace.is_empty(),
        more: cli.workspace.iter().skip(1).map(|d| cwd.join(d)).collect(),
        terminal,
        styled,
        calendar: cli.calendar,
        // `COLUMNS`, as `ls` takes it, else the terminal's own width.
        width: std::env::var("COLUMNS")
            .ok()
            .and_then(|c| c.parse().ok())
            .or_else(|| {
                let (width, _) = terminal_size::terminal_size_of(io::stdout())?;
                terminal.then_some(usize::from(width.0))
            }),
        today,
    };
    let result = in_thread_pool(|| {
        let mut out = io::stdout().lock();
        run(cli.command, &env, &mut out).and_then(|status| {
            out.flush().map_err(|e| Error::io("standard output", e))?;
            Ok(status)
        })
    });
    match result {
        Ok(Status::Ok) => ExitCode::SUCCESS,
        Ok(Status::Problems) => ExitCode::from(1),
        Err(e) => fail(&e),
    }
}

/// Says why `cm` stopped, and the exit status that goes with it. Errors quote file names and
/// values: they are shown escaped, like every other output.
fn fail(e: &Error) -> ExitCode {
    if is_closed_pipe(e) {
        return ExitCode::SUCCESS;
    }
    say(format_args!(
        "cm: error: {}",
        printable_lines(&e.to_string())
    ));
    match e {
        // A change the gate refused, or a case with errors: the check found problems.
        Error::Refused { .. } | Error::Invalid(_) => ExitCode::from(1),
        _ => ExitCode::from(2),
    }
}

/// Writes a line to standard error for the person running `cm`. If standard error is closed,
/// there is nobody to tell: that is not a reason to stop (where `eprintln!` would panic).
fn say(line: std::fmt::Arguments<'_>) {
    let _ = writeln!(anstream::stderr().lock(), "{line}");
}

/// The status of a reader that has written its output with `result`: `status`, also when the
/// reader of the output went away early (a closed pipe) — a case left out under `--strict`
/// stays a problem even if nobody read the rest.
fn finish(result: io::Result<()>, status: Status) -> Result<Status> {
    match result {
        Err(e) if e.kind() == io::ErrorKind::BrokenPipe => Ok(status),
        other => written(other).map(|()| status),
    }
}

/// Whether `e` is, or was caused by, a write to a pipe whose reader is gone (`cm list | head`):
/// the reader has all it wanted, so that is not a failure.
fn is_closed_pipe(e: &Error) -> bool {
    let mut cause: Option<&(dyn std::error::Error + 'static)> = Some(e);
    while let Some(err) = cause {
        if err
            .downcast_ref::<io::Error>()
            .is_some_and(|io| io.kind() == io::ErrorKind::BrokenPipe)
        {
            return true;
        }
        cause = err.source();
    }
    false
}

fn run(command: Command, env: &Env, out: &mut dyn Write) -> Result<Status> {
    match command {
        Command::Validate(args) => validate::run(args, env, out),
        Command::Init(args) => init::run(args, env, out),
        Command::List(args) => list::run(args, env, out),
        Command::Find(args) => find::run(args, env, out),
        Command::Show(args) => show::run(args, env, out),
        Command::Print(args) => print::run(args, env, out),
        Command::Overdue(args) => overdue::run(args, env, out),
        Command::Report(args) => report::run(args, env, out),
        Command::Export(args) => export::run(args, env, out),
        Command::New(args) => new::run(args, env, out),
        Command::Consent(args) => consent::run(args, env, out),
        Command::Advance(args) => advance::run(args, env, out),
        Command::Assess(args) => assess::run(args, env, out),
        Command::Review(args) => review::run(args, env, out),
        Command::Risk(args) => risk::run(args, env, out),
        Command::Import(args) => import::run(args, env, out),
        Command::Link(args) => link::run(args, env, out),
        Command::Goal(args) => goal::run(args, env, out),
        Command::Refer(args) => refer::run(args, env, out),
        Command::Service(args) => service::run(args, env, out),
        Command::Transfer(args) => transfer::run(args, env, out),
        Command::Reopen(args) => reopen::run(args, env, out),
        Command::Contact(args) => contact::run(args, env, out),
        Command::Migrate(args) => migrate::run(args, env, out),
        Command::Diff(args) => diff::run(args, env, out),
        Command::Completions(args) => completions::run(args, env, out),
        Command::Man(args) => man::run(args, env, out),
    }
}

/// What a reader read: what it kept of the valid cases, and how many case files it left out
/// for their errors.
struct Read<T> {
    kept: Vec<T>,
    left_out: usize,
}

impl<T> Read<T> {
    /// What was kept, apart from how many files were left out.
    fn split(self) -> (Vec<T>, Read<()>) {
        let rest = Read {
            kept: Vec::new(),
            left_out: self.left_out,
        };
        (self.kept, rest)
    }

    /// The exit status of a reader that wrote its output: problems when a case was left out and
    /// `--strict` asks that this be noticed.
    fn status(&self, strict: bool) -> Status {
        if strict && self.left_out > 0 {
            Status::Problems
        } else {
            Status::Ok
        }
    }
}

/// [`read_cases`] of the working tree, of the head of each case only (its first fields, up to the client and the
/// cases it is linked to; see [`Depth::Head`]): what finding and comparing clients read. A case
/// left out for its errors is named on standard error all the same, then read as far as its
/// typed fields can be and kept too, in its place: a client is not missed, nor opened twice,
/// because a date of a service in their case is wrong.
fn each_head<T: Send>(
    ws: &Workspace,
    env: &Env,
    keep: impl Fn(ListedCase) -> Option<T> + Sync,
) -> Result<Read<T>> {
    let schema = Schema::for_workspace(ws)?;
    let rules = Rules {
        schema: &schema,
        settings: &ws.settings,
        calendar: env.calendar(ws),
    };
    let files = ws.case_files(&[], &env.cwd)?;
    let progress = Progress::new(files.len(), "reading cases");
    let placed = |listed: ListedCase| {
        let display = listed.display.clone();
        keep(listed).map(|kept| (display, kept))
    };
    let reading =
        cm_case::load_each_to(ws, &rules, &files, Depth::Head, &|| progress.tick(), placed);
    cm_ops::register::note_changed(ws, reading.changed.as_deref());
    // Named, but not left out: read below as far as each can be.
    for d in &reading.left_out {
        say(format_args!("cm: warning: {}", d.headline()));
    }
    if !reading.left_out.is_empty() {
        say(format_args!(
            "cm: warning: {} case file(s) with errors, read as far as they can be; run `cm validate`",
            reading.left_out.len()
        ));
    }
    let mut kept = reading.kept;
    let more: Vec<(String, T)> = reading
        .left_out
        .iter()
        .filter_map(|d| {
            let loaded = cm_case::load(&ws.root.join(&d.path), &d.path).ok()?;
            let listed = ListedCase {
                display: d.path.clone(),
                case: loaded.case.head(),
            };
            let display = listed.display.clone();
            keep(listed).map(|kept| (display, kept))
        })
        .collect();
    if !more.is_empty() {
        kept.extend(more);
        kept.sort_by(|a, b| a.0.cmp(&b.0));
    }
    Ok(Read {
        kept: kept.into_iter().map(|(_, kept)| kept).collect(),
        left_out: reading.left_out.len(),
    })
}

/// What `keep` makes of each valid case of the workspace `ws` checked by `schema`, read in
/// parallel from the working tree, or from the commit `at` (`--at`, see [`revision`]); only
/// that is held in memory. A case with an error, or a file that cannot be read, is left out:
/// each is named on standard error with its first error, and their number is counted.
fn read_cases<T: Send>(
    ws: &Workspace,
    schema: &Schema,
    at: Option<&revision::Revision>,
    env: &Env,
    keep: impl Fn(ListedCase) -> Option<T> + Sync,
) -> Result<Read<T>> {
    let rules = Rules {
        schema,
        settings: &ws.settings,
        calendar: env.calendar(ws),
    };
    let reading = match at {
        None => {
            let files = ws.case_files(&[], &env.cwd)?;
            let progress = Progress::new(files.len(), "reading cases");
            let reading =
                cm_case::load_each_to(ws, &rules, &files, Depth::Whole, &|| progress.tick(), keep);
            cm_ops::register::note_changed(ws, reading.changed.as_deref());
            reading
        }
        Some(at) => {
            let progress = Progress::new(at.len(), "reading cases");
            at.each_case(ws, &rules, &|| progress.tick(), keep)?
        }
    };
    warn_left_out(&reading.left_out, CASE_FILES);
    Ok(Read {
        kept: reading.kept,
        left_out: reading.left_out.len(),
    })
}

/// A value typed to pick cases — a caseworker, an organisation — checked against what the
/// workspace knows: one that no roster entry and no case knows is a typo, and an empty answer
/// to it would pass for the truth (a monthly job writing an empty file). The cases note their
/// values as they are read; the check comes before anything is written.
struct Known {
    option: &'static str,
    what: &'static str,
    /// Who would know it: "no roster entry and no case".
    nobody: &'static str,
    /// The value typed, unless there is none or the roster has it.
    value: Option<String>,
    found: std::sync::atomic::AtomicBool,
    /// The values the cases hold, for the suggestion; kept only until the value is found.
    seen: std::sync::Mutex<std::collections::BTreeSet<String>>,
}

impl Known {
    fn new<'a>(
        option: &'static str,
        what: &'static str,
        nobody: &'static str,
        value: Option<&str>,
        roster: impl IntoIterator<Item = &'a str>,
    ) -> Known {
        let roster: std::collections::BTreeSet<String> =
            roster.into_iter().map(String::from).collect();
        Known {
            option,
            what,
            nobody,
            value: value.filter(|v| !roster.contains(*v)).map(String::from),
            found: false.into(),
            seen: roster.into(),
        }
    }

    /// The `--caseworker` filter, which the roster may know.
    fn caseworker(value: Option<&str>, offices: &[cm_ops::report::Office]) -> Known {
        let roster = offices
            .iter()
            .flat_map(|o| o.settings.iter().flat_map(|s| &s.caseworkers))
            .map(|c| c.id.as_str());
        Known::new(
            "--caseworker",
            "caseworker",
            "no roster entry and no case",
            value,
            roster,
        )
    }

    /// Notes a value a case holds.
    fn note(&self, held: &str) {
        use std::sync::atomic::Ordering::Relaxed;
        let Some(value) = &self.value else { return };
        if self.found.load(Relaxed) {
            return;
        }
        if held == value {
            self.found.store(true, Relaxed);
        } else if let Ok(mut seen) = self.seen.lock()
            && !seen.contains(held)
        {
            seen.insert(held.to_string());
        }
    }

    /// The error for a value nobody knows, with the nearest known one.
    fn check(self) -> Result<()> {
        let Some(value) = self.value else {
            return Ok(());
        };
        if self.found.into_inner() {
            return Ok(());
        }
        let seen = self.seen.into_inner().unwrap_or_default();
        let suggestion =
            cm_base::text::suggest(&value, seen.iter().map(String::as_str)).map(String::from);
        Err(Error::request(Usage::Unknown {
            option: self.option,
            what: self.what,
            nobody: self.nobody,
            value,
            suggestion,
        }))
    }
}

/// Names on standard error each file (or line) left out, with its first error, then how many
/// `what` were.
fn warn_left_out(left_out: &[Diagnostic], what: &str) {
    if left_out.is_empty() {
        return;
    }
    for d in left_out {
        say(format_args!("cm: warning: left out {}", d.headline()));
    }
    say(format_args!("cm: warning: {} {what}", left_out.len()));
}

/// What [`warn_left_out`] says of the case files of a workspace.
const CASE_FILES: &str = "case file(s) with errors left out; run `cm validate`";

/// Checks that the `--include` fields are among `fields`, each once, and warns that personal
/// data will be in the output.
fn check_include(include: &mut Vec<String>, fields: &[&str]) -> Result<()> {
    // A field named twice is one column.
    let mut seen = std::collections::HashSet::new();
    include.retain(|f| seen.insert(f.clone()));
    if let Some(bad) = include.iter().find(|f| !fields.contains(&f.as_str())) {
        return Err(Error::request(Usage::NotIncludable {
            field: bad.clone(),
            fields: fields.join(", "),
        }));
    }
    if !include.is_empty() {
        say(format_args!(
            "cm: warning: the output includes personal data at your request: {}",
            include.join(", ")
        ));
    }
    Ok(())
}

/// Where the workflow commands work: the workspace, its schema, and today; and, unless the
/// command only shows what it would do, the workspace's edit lock, held until the command ends
/// (from its first read of a case to its write).
fn desk(env: &Env, dry_run: bool) -> Result<(Desk, Option<Lock>)> {
    let ws = env.workspace()?;
    let lock = if dry_run { None } else { Some(ws.lock()?) };
    let today = env.date(&ws, None)?;
    let calendar = env.calendar(&ws);
    Ok((Desk::open(ws, today, calendar)?, lock))
}

/// The options every command that changes a case shares.
#[derive(Debug, clap::Args)]
struct Edit {
    /// Print the change as a diff and write nothing.
    #[arg(long)]
    dry_run: bool,
    /// Output format: text, or JSON (`{path, summary, written, diff, warnings}`; a refusal is the
    /// array of its reasons, the objects of `cm validate --format json`).
    #[arg(long, value_parser = among(Format::LINES), default_value = "text")]
    format: Format,
}

/// Shows a proposed change (`--dry-run`: the diff) or writes it and says what was done. The
/// warnings the change brings go to standard error (after the write: a write that fails has
/// nothing to warn about), or with JSON, into the object. A change refused is, with JSON, the
/// array of its reasons on standard output (exit status 1).
fn apply(
    proposal: Result<Proposal>,
    edit: &Edit,
    env: &Env,
    out: &mut dyn Write,
) -> Result<Status> {
    apply_all(proposal.map(|p| vec![p]), edit, env, out)
}

/// [`apply`] of a change of several files, written together or not at all
/// ([`cm_ops::workflow::write_together`]); with JSON, an array of their objects.
fn apply_all(
    proposals: Result<Vec<Proposal>>,
    edit: &Edit,
    env: &Env,
    out: &mut dyn Write,
) -> Result<Status> {
    let json = edit.format == Format::Json;
    let proposals = match proposals {
        Err(Error::Refused { what, reasons }) if json => {
            written(output::json(out, &reasons))?;
            say(format_args!("cm: error: {what}; nothing was changed"));
            return Ok(Status::Problems);
        }
        other => other?,
    };
    if !edit.dry_run {
        // Written first: the warnings are about a case that is there.
        cm_ops::workflow::write_together(&proposals)?;
    }
    if json {
        let objects: Vec<_> = proposals
            .iter()
            .map(|proposal| {
                serde_json::json!({
                    "path": proposal.display,
                    "summary": proposal.summary,
                    "written": !edit.dry_run,
                    "diff": edit.dry_run.then(|| proposal.diff()),
                    "warnings": proposal.warnings,
                })
            })
            .collect();
        let value = match <[_; 1]>::try_from(objects) {
            Ok([one]) => one,
            Err(many) => serde_json::Value::from(many),
        };
        written(output::json(out, &value))?;
        return Ok(Status::Ok);
    }
    for proposal in &proposals {
        warn(proposal);
        if edit.dry_run {
            show_diff(proposal, env, out)?;
        } else {
            written(writeln!(out, "{}", proposal.summary))?;
        }
    }
    Ok(Status::Ok)
}

/// Writes the warnings a change brings to standard error.
fn warn(proposal: &Proposal) {
    let mut stderr = anstream::stderr().lock();
    for warning in &proposal.warnings {
        // Standard error is for people; if it is gone, there is nobody to tell.
        let _ = warning.write_text(&mut stderr, None, true);
    }
}

/// Writes a change as a diff: escaped for a terminal; piped, the file's text as it is (for
/// `patch`).
fn show_diff(proposal: &Proposal, env: &Env, out: &mut dyn Write) -> Result<()> {
    let diff = proposal.diff();
    let diff = if env.terminal {
        printable_lines(&diff)
    } else {
        diff.into()
    };
    written(out.write_all(diff.as_bytes()))
}

/// Maps a failed write to standard output into an error (a closed pipe ends quietly).
fn written(result: io::Result<()>) -> Result<()> {
    result.map_err(|e| Error::io(Path::new("standard output"), e))
}

#[cfg(test)]
mod tests {
    use clap::CommandFactory;

    /// Every command shows an example and describes every option, with its values where they
    /// are a closed set: the help is the reference a user has at hand.
    #[test]
    fn help_teaches() {
        fn walk(command: &clap::Command, name: String, gaps: &mut Vec<String>) {
            let texts = [command.get_long_about(), command.get_after_help()];
            let shown: String = texts.iter().flatten().map(|s| s.to_string()).collect();
            if command.get_subcommands().next().is_none() && !shown.contains("Example") {
                gaps.push(format!("{name}: no example"));
            }
            for arg in command.get_arguments() {
                let id = arg.get_id().as_str();
                if id == "help" || id == "version" {
                    continue;
                }
                if arg.get_help().is_none() && arg.get_long_help().is_none() {
                    gaps.push(format!("{name} {id}: no description"));
                }
            }
            for sub in command.get_subcommands() {
                walk(sub, format!("{name} {}", sub.get_name()), gaps);
            }
        }
        let mut gaps = Vec::new();
        walk(&super::Cli::command(), "cm".into(), &mut gaps);
        assert!(gaps.is_empty(), "{gaps:#?}");
    }
}
