//! `cm show`: one case at a glance.

use std::io::Write;

use super::{DateArg, Env, Status, Usage, written};
use cm_base::error::{Error, Result};
use cm_base::text::printable_lines;
use cm_case::view;
use cm_ops::check::{Rules, Schema};
use cm_ops::show;

/// Show one case: phase and history, risk, consent in force, domain scores baseline → latest,
/// goals with their latest attainment, services, and the next item due.
///
/// This is the coordinator's own screen: it shows the client's name, but no notes or goal texts.
/// A case with errors is not shown: its first error is (exit status 1).
#[derive(Debug, clap::Args)]
#[command(after_help = "Example:\n  cm show THR-2026-0004")]
pub struct Args {
    /// The case id, e.g. THR-2026-0004.
    id: String,
    /// Show the case as it stood at the end of this day instead of today (YYYY-MM-DD): only
    /// what was dated by then, the next item due counted from it.
    #[arg(long, value_name = "DATE")]
    as_of: Option<DateArg>,
}

pub fn run(args: Args, env: &Env, out: &mut dyn Write) -> Result<Status> {
    let ws = env.workspace()?;
    let schema = Schema::for_workspace(&ws)?;
    let rules = Rules {
        schema: &schema,
        settings: &ws.settings,
        calendar: env.calendar(&ws),
    };
    let (_, loaded) = show::find(&ws, &rules, &args.id)?;
    // The case as it stood at the end of the day.
    let as_of = env.date(&ws, args.as_of.as_ref())?;
    let Some(then) = view::as_of(&loaded.case, as_of) else {
        let opened = loaded
            .case
            .opened
            .map(|d| env.day(&ws, d))
            .unwrap_or_default();
        return Err(Error::request(Usage::NotYetOpened {
            id: args.id,
            opened,
            day: env.day(&ws, as_of),
        }));
    };
    let mut text = Vec::new();
    written(show::render(
        &then,
        &loaded.display,
        &ws.settings,
        as_of,
        env.calendar(&ws),
        &mut text,
    ))?;
    written(out.write_all(printable_lines(&String::from_utf8_lossy(&text)).as_bytes()))?;
    Ok(Status::Ok)
}
