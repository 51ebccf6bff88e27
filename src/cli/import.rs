//! `cm import`: the cases an office keeps in a spreadsheet, brought in.

use std::io::Write;
use std::path::PathBuf;

use super::{Env, Status, written};
use cm_base::error::{Error, Result};
use cm_ops::import::{self, sheet::Sheet};

/// Bring cases in from a spreadsheet (CSV, or a sheet of an XLSX, XLS or ODS workbook).
///
/// --template FILE prints a first map of FILE's columns to the case fields (MAP.toml): a column
/// whose header names a case field (name or client.name, sex, program, opened, birth_date,
/// national_id, caseworker…, or the Persian headers offices use, such as نام, جنسیت, کد ملی) is
/// mapped to it already; every other field is listed, commented out, with what it is and how it
/// may be read (calendar, format, digits, a table of values, a default).
#[derive(Debug, clap::Args)]
#[command(
    after_help = "Examples:\n  cm import --template clients.xlsx > map.toml\n  cm import --template clients.xlsx --sheet Tehran > map.toml"
)]
pub struct Args {
    /// Print a first map of the columns of FILE, from its header row.
    #[arg(long, value_name = "FILE", required = true)]
    template: PathBuf,
    /// The sheet of a workbook (default: the first).
    #[arg(long, value_name = "NAME")]
    sheet: Option<String>,
}

pub fn run(args: Args, env: &Env, out: &mut dyn Write) -> Result<Status> {
    // Relative to the folder of `-C`, as every path that follows it.
    let path = env.cwd.join(&args.template);
    let shown = args.template.display().to_string();
    let sheet = Sheet::read(&path, &shown, args.sheet.as_deref()).map_err(Error::request)?;
    written(out.write_all(import::template(&sheet).as_bytes()))?;
    Ok(Status::Ok)
}
