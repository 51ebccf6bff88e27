//! `cm find`: is this person already known here?

use std::io::Write;

use super::{Env, Status, Usage, among, check_include, each_head, finish, say};
use cm_base::error::{Error, Result};
use cm_case::INCLUDABLE_IN_LISTINGS;
use cm_ops::find::{self, Query};
use cm_ops::output::Format;

/// Find a client among the open and the closed cases: by name, in any spelling (Arabic or
/// Persian letters, with or without ZWNJ, in Latin script), or by national id or phone number
/// (any digits, spaces and dashes).
///
/// Prints id, program, phase, caseworker, opened, what matched (name, national_id, phone) and
/// how well (score, 1 the same), best first: the 10 best, or every match with --all. A table
/// shows the client's name too, since you asked by it; CSV and JSON only with --include
/// client.name. Exit status 1 when no case matches.
#[derive(Debug, clap::Args)]
#[command(
    after_help = "Examples:\n  cm find \"مریم رضایی\"\n  cm find \"Maryam Rezaei\" --all\n  cm find 0012345678"
)]
pub struct Args {
    /// A name (any script), or a national id or phone number (at least 5 digits); several words
    /// are one query, quoted or not.
    #[arg(required = true, num_args = 1..)]
    query: Vec<String>,
    /// Every match, not only the 10 best.
    #[arg(long)]
    all: bool,
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
    /// Exit with status 1 when a case file is left out for its errors.
    #[arg(long)]
    strict: bool,
}

pub fn run(mut args: Args, env: &Env, out: &mut dyn Write) -> Result<Status> {
    check_include(&mut args.include, INCLUDABLE_IN_LISTINGS)?;
    let query = Query::parse(&args.query.join(" ")).ok_or(Error::request(Usage::FindWhat))?;
    let ws = env.workspace()?;
    let format = Format::pick(args.format, env.terminal);
    // Asked by name, a person at the terminal sees the names found; a program only when it asks.
    let mut include = args.include;
    if format == Format::Table && !include.iter().any(|f| f == "client.name") {
        include.insert(0, "client.name".to_string());
    }
    let read = each_head(&ws, env, |listed| {
        find::found(&query, &listed.case, listed.display, &include)
    })?;
    let status = match (read.kept.is_empty(), read.status(args.strict)) {
        (true, _) => {
            say(format_args!("cm: no case matches"));
            Status::Problems
        }
        (false, status) => status,
    };
    let (table, more) = find::table(read.kept, args.all, &include);
    if more > 0 {
        say(format_args!(
            "cm: {more} more case(s) match; --all shows them"
        ));
    }
    finish(
        table.write(out, format, &env.shown(&ws, args.bom, "cases found")),
        status,
    )
}
