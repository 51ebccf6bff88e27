//! `cm show`: one case at a glance.

use std::io::Write;

use super::{DateArg, Env, Status, Usage, each_head, written};
use chrono::NaiveDate;
use cm_base::error::{Error, Result};
use cm_base::text::printable_lines;
use cm_case::Case;
use cm_case::reading::Judge;
use cm_case::view;
use cm_case::workspace::Workspace;
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
    let relatives = relatives(&ws, env, &rules, &then, as_of)?;
    let mut text = Vec::new();
    written(show::render(
        &then,
        &loaded.display,
        &ws.settings,
        as_of,
        env.calendar(&ws),
        &relatives,
        &mut text,
    ))?;
    written(out.write_all(printable_lines(&String::from_utf8_lossy(&text)).as_bytes()))?;
    Ok(Status::Ok)
}

/// The cases of the family of `case`'s client on `as_of`: those it links, and those of its
/// household, each with its phase that day (a case the links name and the workspace has not
/// is listed without one). Only the head of each case is read, then each relative whole.
fn relatives(
    ws: &Workspace,
    env: &Env,
    rules: &Rules<'_>,
    case: &Case,
    as_of: NaiveDate,
) -> Result<Vec<show::Relative>> {
    if case.household.is_none() && case.links.is_empty() {
        return Ok(Vec::new());
    }
    let linked = |id: &str| {
        case.links
            .iter()
            .find(|l| l.case.as_deref() == Some(id))
            .and_then(|l| l.relation)
    };
    let found = each_head(ws, env, |listed| {
        let id = listed.case.id.clone()?;
        let household = case.household.is_some() && listed.case.household == case.household;
        let relation = linked(&id);
        (id.as_str() != case.id.as_deref().unwrap_or_default() && (household || relation.is_some()))
            .then_some((id, listed.display, relation, household))
    })?
    .kept;
    let mut relatives: Vec<show::Relative> = found
        .into_iter()
        .map(|(id, display, relation, household)| {
            // The relative as it stood that day, when it is valid.
            let phase = cm_case::load(&ws.root.join(&display), &display)
                .ok()
                .filter(|loaded| rules.first_error(loaded).is_none())
                .and_then(|loaded| view::into_as_of(loaded.case, as_of))
                .and_then(|then| then.phase);
            show::Relative {
                id,
                relation,
                household,
                phase,
            }
        })
        .collect();
    // A linked case the workspace does not have (`cm validate` says so): listed all the same.
    for link in &case.links {
        if let Some(id) = &link.case
            && !relatives.iter().any(|r| &r.id == id)
        {
            relatives.push(show::Relative {
                id: id.clone(),
                relation: link.relation,
                household: false,
                phase: None,
            });
        }
    }
    relatives.sort_by(|a, b| a.id.cmp(&b.id));
    Ok(relatives)
}
