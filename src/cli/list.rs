//! `cm list`: one row per case.

use std::io::Write;

use super::{DateArg, Env, Status, check_include, each_case, finish, of};
use cm_base::error::Result;
use cm_case::{INCLUDABLE_IN_LISTINGS, Phase, Program, Risk};
use cm_ops::monitor;
use cm_ops::output::{Cell, Format, Table};
use cm_ops::report::{PERSONAL_DATE_COLUMN, personal_cells};

/// List the cases, one row each: id, program, caseworker, risk, phase, opened, next_due.
///
/// `next_due` is the earliest item falling due (assessment, plan, review or referral
/// follow-up); it is marked `(overdue)` in tables when it is before --as-of (default today).
///
/// Example: cm list --open --caseworker s.ahmadi --format csv
#[derive(Debug, clap::Args)]
pub struct Args {
    /// Only cases in this phase (intake, assessment, planning, implementation, monitoring, closed).
    #[arg(long)]
    phase: Option<Phase>,
    /// Only cases at this risk (low, medium, high, critical).
    #[arg(long)]
    risk: Option<Risk>,
    /// Only cases of this program (child-protection, disability, female-headed-household,
    /// older-person, general).
    #[arg(long)]
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
    #[arg(long, value_enum)]
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

pub fn run(args: Args, env: &Env, out: &mut dyn Write) -> Result<Status> {
    check_include(&args.include, INCLUDABLE_IN_LISTINGS)?;
    let ws = env.workspace()?;
    let format = Format::pick(args.format, env.terminal);
    let as_of = env.date(&ws, args.as_of.as_ref())?;
    // Each case becomes its row as it is read: only the rows are held.
    let read = each_case(&ws, env, |listed| {
        let c = &listed.case;
        let chosen = args.phase.is_none_or(|p| c.phase == Some(p))
            && args.risk.is_none_or(|r| c.risk == Some(r))
            && of(c, args.program, args.caseworker.as_deref())
            && (!args.open || c.is_open())
            && (!args.closed || !c.is_open());
        if !chosen {
            return None;
        }
        let next = monitor::next_due(c, &ws.settings)
            .map(|item| Cell::Date(item.due, item.is_overdue(as_of).then_some("(overdue)")));
        let mut row: Vec<Cell> = vec![
            c.id.as_deref().into(),
            c.program.map(|p| p.as_str()).into(),
            c.caseworker.as_deref().into(),
            c.risk.map(|r| r.as_str()).into(),
            c.phase.map(|p| p.as_str()).into(),
            c.opened.into(),
            next.into(),
        ];
        row.extend(personal_cells(c, &args.include));
        Some((c.id.clone(), listed.display, row))
    })?;
    let status = read.status(args.strict);
    let mut rows = read.kept;
    rows.sort_by(|a, b| (&a.0, &a.1).cmp(&(&b.0, &b.1)));
    let mut header: Vec<String> = [
        "id",
        "program",
        "caseworker",
        "risk",
        "phase",
        "opened",
        "next_due",
    ]
    .map(String::from)
    .to_vec();
    header.extend(args.include.iter().cloned());
    let mut table = Table::with_header(header).dates(&["opened", "next_due", PERSONAL_DATE_COLUMN]);
    for (_, _, row) in rows {
        table.push(row);
    }
    finish(
        table.write(out, format, args.bom, env.calendar(&ws)),
        status,
    )
}
