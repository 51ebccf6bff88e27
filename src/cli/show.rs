//! `cm show`: one case at a glance.

use std::io::Write;

use chrono::NaiveDate;

use super::{DateArg, Env, Status, written};
use cm_base::calendar::{self, Calendar};
use cm_base::error::{Error, Result};
use cm_base::text::{printable, printable_lines};
use cm_case::Case;
use cm_case::settings::Settings;
use cm_ops::check::{Schema, first_error};
use cm_ops::monitor;

/// Show one case: phase and history, risk, domain scores baseline → latest, goals with their
/// latest attainment, services, and the next item due.
///
/// This is the coordinator's own screen: it shows the client's name, but no notes or goal texts.
/// A case with errors is not shown: its first error is (exit status 1).
///
/// Example: cm show THR-2026-0004
#[derive(Debug, clap::Args)]
pub struct Args {
    /// The case id, e.g. THR-2026-0004.
    id: String,
    /// Count the next due item from this day instead of today (YYYY-MM-DD).
    #[arg(long, value_name = "DATE")]
    as_of: Option<DateArg>,
}

pub fn run(args: Args, env: &Env, out: &mut dyn Write) -> Result<Status> {
    let ws = env.workspace()?;
    let (path, loaded) = cm_case::find(&ws, &args.id)?;
    let schema = Schema::for_workspace(&ws)?;
    if let Some(error) = first_error(&loaded, &schema, &ws.settings) {
        return Err(Error::Invalid(Box::new(error)));
    }
    // The second of two files with one id is `cm validate`'s duplicate-id: it is not shown
    // (the files named after the id are the ones looked at).
    let files = ws.case_files(&[], &ws.root)?;
    let named = |p: &&std::path::PathBuf| p.file_stem().and_then(|s| s.to_str()) == Some(&args.id);
    if let Some(first) = files
        .iter()
        .filter(named)
        .take_while(|p| **p != path)
        .find(|p| cm_case::load(p, "").is_ok_and(|c| c.case.id.as_deref() == Some(&args.id)))
    {
        let error = cm_case::duplicate(&path, &loaded.display, &args.id, &ws.display_path(first));
        return Err(Error::Invalid(Box::new(error)));
    }
    let mut text = Vec::new();
    written(render(
        &loaded.case,
        &loaded.display,
        &ws.settings,
        env.date(&ws, args.as_of.as_ref())?,
        env.calendar(&ws),
        &mut text,
    ))?;
    written(out.write_all(printable_lines(&String::from_utf8_lossy(&text)).as_bytes()))?;
    Ok(Status::Ok)
}

fn render(
    c: &Case,
    path: &str,
    settings: &Settings,
    as_of: NaiveDate,
    cal: Calendar,
    out: &mut dyn Write,
) -> std::io::Result<()> {
    let day = |d: NaiveDate| calendar::display(d, cal);
    // Each value on its line: a line break in a value is shown as `\n`, so that it cannot
    // forge a line of the screen (the whole text is escaped again at the end).
    let or_dash =
        |v: Option<String>| v.map_or_else(|| "-".to_string(), |v| printable(&v).into_owned());
    writeln!(out, "{}  ({path})", or_dash(c.id.clone()))?;
    let client = c.client.clone().unwrap_or_default();
    let age = match (client.birth_date, c.opened) {
        (Some(b), Some(_)) => as_of.years_since(b).map(|y| format!(", {y}")),
        _ => None,
    };
    writeln!(
        out,
        "client      {} ({}{})",
        or_dash(client.name),
        or_dash(client.sex.map(|s| s.to_string())),
        age.unwrap_or_default()
    )?;
    writeln!(
        out,
        "program     {}",
        or_dash(c.program.map(|p| p.to_string()))
    )?;
    writeln!(out, "caseworker  {}", or_dash(c.caseworker.clone()))?;
    writeln!(
        out,
        "risk        {}",
        or_dash(c.risk.map(|r| r.to_string()))
    )?;
    writeln!(out, "opened      {}", or_dash(c.opened.map(day)))?;
    writeln!(
        out,
        "phase       {}",
        or_dash(c.phase.map(|p| p.to_string()))
    )?;
    for h in &c.history {
        let approved = h
            .approved_by
            .as_ref()
            .map(|a| format!(", approved by {}", printable(a)))
            .unwrap_or_default();
        writeln!(
            out,
            "  {}  {:<15} by {}{approved}",
            or_dash(h.date.map(day)),
            or_dash(h.phase.map(|p| p.to_string())),
            or_dash(h.by.clone())
        )?;
    }
    if let Some(a) = &c.assessment {
        writeln!(out, "domains     baseline → latest")?;
        let mut latest = a.domains.clone();
        for r in &c.reviews {
            latest.extend(r.domains.iter().map(|(k, v)| (k.clone(), *v)));
        }
        if let Some(cl) = &c.closure {
            latest.extend(cl.domains.iter().map(|(k, v)| (k.clone(), *v)));
        }
        for (domain, base) in &a.domains {
            let now = latest.get(domain).copied().unwrap_or(*base);
            writeln!(out, "  {:<18} {base} → {now}", printable(domain))?;
        }
    }
    if !c.goals().is_empty() {
        writeln!(out, "goals")?;
        for g in c.goals() {
            let id = or_dash(g.id.clone());
            let gas = c
                .reviews
                .iter()
                .rev()
                .find_map(|r| {
                    r.goals
                        .get(&id)
                        .map(|s| format!("{s:+} at {}", or_dash(r.date.map(day))))
                })
                .unwrap_or_else(|| "not yet scored".to_string());
            writeln!(
                out,
                "  {id:<4} {:<16} {:<16} {gas}",
                or_dash(g.domain.clone()),
                or_dash(g.status.map(|s| s.to_string()))
            )?;
        }
    }
    if !c.services.is_empty() {
        writeln!(out, "services")?;
        for s in &c.services {
            writeln!(
                out,
                "  {:<4} {:<24} {:<12} referred {}",
                or_dash(s.id.clone()),
                or_dash(s.kind.clone()),
                or_dash(s.status.map(|x| x.to_string())),
                or_dash(s.referred.map(day))
            )?;
        }
    }
    writeln!(out, "reviews     {}", c.reviews.len())?;
    if let Some(cl) = &c.closure {
        writeln!(
            out,
            "closed      {} ({})",
            or_dash(cl.date.map(day)),
            or_dash(cl.reason.map(|r| r.to_string()))
        )?;
    }
    if let Some(item) = monitor::next_due(c, settings) {
        let late = (as_of - item.due).num_days();
        let state = if late > 0 {
            format!("overdue by {late} day{}", if late == 1 { "" } else { "s" })
        } else {
            format!("in {} days", -late)
        };
        let service = item
            .service
            .map(|s| format!(" {}", printable(&s)))
            .unwrap_or_default();
        writeln!(
            out,
            "next due    {}{service} on {} ({state})",
            item.kind.as_str(),
            day(item.due)
        )?;
    }
    Ok(())
}
