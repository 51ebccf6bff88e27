//! `cm import`: the cases an office keeps in a spreadsheet, brought in.

use std::io::Write;
use std::path::PathBuf;

use super::{Env, Status, among, desk, each_head, say, written};
use cm_base::error::{Error, Result};
use cm_ops::duplicates::Person;
use cm_ops::import;
use cm_ops::import::rows::{self, Map, Problem};
use cm_ops::import::sheet::{Place, Sheet};
use cm_ops::output::{self, Format};
use cm_ops::register::Register;
use cm_ops::workflow;

/// Bring cases in from a spreadsheet (CSV, or a sheet of an XLSX, XLS or ODS workbook): a case
/// per row, through the map MAP.toml.
///
/// Each row is read as the map says and becomes a case as `cm new` makes one: the same gate,
/// numbered as `cm new` numbers, in cases/YYYY/. Every problem of every row is told at once, at
/// its cell (clients.xlsx:Sheet1:14:C), without the cell's value; when there is one, nothing is
/// written, unless --skip-invalid. A row whose client is a client here already (the same
/// national id, or the name, sex and birth of `cm validate`'s possible-duplicate; with neither
/// a birth nor a national id, the same name and sex), or of an earlier row, is skipped and
/// named with that case: importing the same file again imports nothing new.
///
/// --template FILE prints a first map of FILE's columns: a column whose header names a case
/// field (name or client.name, sex, program, opened, birth_date, national_id, caseworker…, or
/// the Persian headers offices use, such as نام, جنسیت, کد ملی) is mapped to it already; every
/// other field is listed, commented out, with what it is and how it may be read.
#[derive(Debug, clap::Args)]
#[command(
    after_help = "Examples:\n  cm import --template clients.xlsx > map.toml\n  cm import clients.xlsx --map map.toml --dry-run\n  cm import clients.xlsx --sheet Tehran --map map.toml"
)]
pub struct Args {
    /// The spreadsheet.
    #[arg(
        value_name = "FILE",
        required_unless_present = "template",
        conflicts_with = "template"
    )]
    file: Option<PathBuf>,
    /// The map of the file's columns to the case fields.
    #[arg(long, value_name = "MAP", required_unless_present = "template")]
    map: Option<PathBuf>,
    /// Print a first map of the columns of FILE, from its header row.
    #[arg(long, value_name = "FILE", conflicts_with_all = ["map", "dry_run", "skip_invalid"])]
    template: Option<PathBuf>,
    /// The sheet of a workbook (default: the first).
    #[arg(long, value_name = "NAME")]
    sheet: Option<String>,
    /// Check every row and say what would be imported; write nothing.
    #[arg(long)]
    dry_run: bool,
    /// Write the rows that have no problem, and tell the others.
    #[arg(long)]
    skip_invalid: bool,
    /// Output format: text (a line per problem; what was done on standard error), or JSON
    /// (`{file, written, cases, skipped, problems}`).
    #[arg(long, value_parser = among(Format::LINES), default_value = "text")]
    format: Format,
}

/// What an import did, as `--format json` writes it.
#[derive(serde::Serialize)]
struct Report<'a> {
    file: &'a str,
    /// Whether the new cases were written.
    written: bool,
    /// The new cases, each with its row: written, or that would be.
    cases: Vec<NewFile<'a>>,
    skipped: Vec<SkippedRow<'a>>,
    problems: &'a [Problem],
}

#[derive(serde::Serialize)]
struct NewFile<'a> {
    row: usize,
    case: &'a str,
}

#[derive(serde::Serialize)]
struct SkippedRow<'a> {
    #[serde(flatten)]
    place: &'a Place,
    /// The case the client may be the client of (its file), or an earlier row.
    known_as: &'a str,
    matched_by: &'a str,
}

pub fn run(args: Args, env: &Env, out: &mut dyn Write) -> Result<Status> {
    // Paths are relative to the folder of `-C`, as every path that follows it.
    let read = |file: &PathBuf| {
        Sheet::read(
            &env.cwd.join(file),
            &file.display().to_string(),
            args.sheet.as_deref(),
        )
        .map_err(Error::request)
    };
    if let Some(file) = &args.template {
        // Outside a workspace, the template has no domains of its own to list.
        let domains = env
            .workspace()
            .map(|ws| ws.settings.assessment.domains)
            .unwrap_or_default();
        written(out.write_all(import::template(&read(file)?, &domains).as_bytes()))?;
        return Ok(Status::Ok);
    }
    // Clap asks for both without --template.
    let (Some(file), Some(map_file)) = (&args.file, &args.map) else {
        return Ok(Status::Ok);
    };
    let sheet = read(file)?;
    let map_shown = map_file.display().to_string();
    let text =
        std::fs::read_to_string(env.cwd.join(map_file)).map_err(|e| Error::io(map_file, e))?;
    let map = Map::parse(&text, &map_shown).map_err(Error::request)?;
    let (desk, _lock) = desk(env, args.dry_run)?;
    let domains = &desk.ws.settings.assessment.domains;
    let (values, mut problems) = rows::read(&sheet, &map, &map_shown, domains);
    let known = each_head(&desk.ws, env, |listed| {
        Some(workflow::Known {
            person: Person::of(&listed.case),
            display: listed.display,
        })
    })?
    .kept;
    let register = Register::open(&desk.ws, true)?;
    let plan = import::plan(&desk, &register, &sheet, &values, known)?;
    problems.extend(plan.problems);
    let refused = !problems.is_empty() && !args.skip_invalid;
    let write = !refused && !args.dry_run;
    let cases: Vec<_> = plan.cases.iter().map(|(_, p)| p).collect();
    if write {
        workflow::write_new(&cases)?;
    }
    let status = if problems.is_empty() {
        Status::Ok
    } else {
        Status::Problems
    };
    if args.format == Format::Json {
        let report = Report {
            file: &sheet.file,
            written: write,
            cases: plan
                .cases
                .iter()
                .map(|(row, p)| NewFile {
                    row: *row,
                    case: &p.display,
                })
                .collect(),
            skipped: plan
                .skipped
                .iter()
                .map(|s| SkippedRow {
                    place: &s.place,
                    known_as: &s.known_as,
                    matched_by: s.by,
                })
                .collect(),
            problems: &problems,
        };
        written(output::json(out, &report))?;
        return Ok(status);
    }
    for problem in &problems {
        written(writeln!(out, "{problem}"))?;
    }
    for skip in &plan.skipped {
        say(format_args!(
            "cm: {}: skipped: the client may be the client of {} ({})",
            skip.place, skip.known_as, skip.by
        ));
    }
    // The files of the first row and the last.
    let range = match cases.as_slice() {
        [] => String::new(),
        [one] => format!(": {}", one.display),
        [first, .., last] => format!(": {} to {}", first.display, last.display),
    };
    if refused {
        say(format_args!(
            "cm: error: {} problem(s) in {}; nothing was written",
            problems.len(),
            sheet.file
        ));
    } else if args.dry_run {
        say(format_args!(
            "cm: would import {} case(s){range}; nothing was written (--dry-run)",
            cases.len()
        ));
    } else {
        say(format_args!("cm: imported {} case(s){range}", cases.len()));
    }
    Ok(status)
}
