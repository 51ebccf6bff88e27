//! `cm show`: one case at a glance, for the coordinator's own screen — the client's name, sex
//! and age, the caseworker with the roster's name, the episodes of a reopened case, the history,
//! the transfers, domain scores baseline → latest, goals with their status as of their last
//! update and their latest attainment, services with their status as of their last update,
//! their provider (the directory's name for it) and end, the household and the cases of
//! relatives, and the next item due. Notes and goal texts are not shown.

use std::io::Write;
use std::path::PathBuf;

use chrono::NaiveDate;
use cm_base::calendar::{self, Calendar};
use cm_base::error::{Error, Result};
use cm_base::text::{printable, width};
use cm_case::reading::Judge;
use cm_case::settings::Settings;
use cm_case::workspace::Workspace;
use cm_case::{Case, LoadedCase, Phase, Relation, view};

use crate::check::Rules;
use crate::monitor;

/// The case `id` of `ws` as `cm show` shows it: found (see [`cm_case::find`]), and valid by
/// `rules`. A case with an error is not shown: its first error is the refusal
/// ([`Error::Invalid`]), and so is `cm validate`'s `duplicate-id` for the second of two files
/// with one id (the files named after the id are the ones looked at).
pub fn find(ws: &Workspace, rules: &Rules<'_>, id: &str) -> Result<(PathBuf, LoadedCase)> {
    let (path, loaded) = cm_case::find(ws, id)?;
    if let Some(error) = rules.first_error(&loaded) {
        return Err(Error::Invalid(Box::new(error)));
    }
    let files = ws.case_files(&[], &ws.root)?;
    let named = |p: &&PathBuf| p.file_stem().and_then(|s| s.to_str()) == Some(id);
    if let Some(first) = files
        .iter()
        .filter(named)
        .take_while(|p| **p != path)
        .find(|p| cm_case::load(p, "").is_ok_and(|c| c.case.id.as_deref() == Some(id)))
    {
        let error = cm_case::duplicate(&path, &loaded.display, id, &ws.display_path(first));
        return Err(Error::Invalid(Box::new(error)));
    }
    Ok((path, loaded))
}

/// A case of the client's family, as the card lists it: linked to this one, in its household,
/// or both.
#[derive(Clone, Debug, PartialEq)]
pub struct Relative {
    pub id: String,
    /// What its client is to this case's client, when the case links it.
    pub relation: Option<Relation>,
    /// Of the same household.
    pub household: bool,
    /// Its phase on the card's day; `None` when it is not in the workspace, not yet opened,
    /// or cannot be read.
    pub phase: Option<Phase>,
}

/// Writes the card of `c` (from the file shown as `path`) as of `as_of`, dates in `cal`, with
/// the cases of its client's `relatives`. Each
/// value is escaped on its line: a line break in a value is shown as `\n`, so that it cannot forge
/// a line of the screen.
pub fn render(
    c: &Case,
    path: &str,
    settings: &Settings,
    as_of: NaiveDate,
    cal: Calendar,
    relatives: &[Relative],
    out: &mut dyn Write,
) -> std::io::Result<()> {
    let day = |d: NaiveDate| calendar::display(d, cal);
    // Each value on its line: a line break in a value is shown as `\n`, so that it cannot
    // forge a line of the screen.
    let or_dash =
        |v: Option<String>| v.map_or_else(|| "-".to_string(), |v| printable(&v).into_owned());
    writeln!(out, "{}  ({})", or_dash(c.id.clone()), printable(path))?;
    let client = c.client.clone().unwrap_or_default();
    // No age from a birth date no one has (a Solar Hijri one read as Gregorian is 600 years
    // ago): such a case has an error and is not shown, but the card does not count on it.
    let age = match (client.birth_date, c.opened) {
        (Some(b), Some(_)) if calendar::is_plausible(b) => {
            as_of.years_since(b).map(|y| format!(", {y}"))
        }
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
    if let Some(household) = &c.household {
        writeln!(out, "household   {}", printable(household))?;
    }
    if !relatives.is_empty() {
        writeln!(out, "relatives")?;
        for r in relatives {
            // Of the household only, when the case does not link it.
            let relation = r
                .relation
                .map_or_else(|| "household".to_string(), |r| r.to_string());
            let phase = r.phase.map_or_else(|| "-".to_string(), |p| p.to_string());
            writeln!(out, "  {:<14} {relation:<10} {phase}", printable(&r.id))?;
        }
    }
    // The roster's name of the caseworker, for the person reading.
    let named = |id: &String| match settings.caseworker(id).map(|cw| cw.name.as_str()) {
        Some(name) if !name.is_empty() => format!("{id} ({name})"),
        _ => id.clone(),
    };
    writeln!(
        out,
        "caseworker  {}",
        or_dash(c.caseworker.as_ref().map(named))
    )?;
    // The risk with the day of the decision that set it, when one did.
    let decided = view::risk_decisions(c)
        .last()
        .filter(|d| Some(d.risk) == c.risk)
        .map(|d| format!(" (decided {})", day(d.date)))
        .unwrap_or_default();
    writeln!(
        out,
        "risk        {}{decided}",
        or_dash(c.risk.map(|r| r.to_string()))
    )?;
    writeln!(out, "opened      {}", or_dash(c.opened.map(day)))?;
    // A reopened case: each earlier episode with its closure, then the current one.
    if !c.episodes.is_empty() {
        for (k, e) in c.episodes.iter().enumerate() {
            let closure = e.closure.clone().unwrap_or_default();
            writeln!(
                out,
                "{:<12}{} → {}  {}",
                format!("episode {}", k + 1),
                or_dash(e.opened.map(day)),
                or_dash(closure.date.map(day)),
                or_dash(closure.reason.map(|r| r.to_string()))
            )?;
        }
        let current = view::episodes(c).last().map(|e| e.start);
        writeln!(
            out,
            "{:<12}since {}",
            format!("episode {}", c.episodes.len() + 1),
            or_dash(current.map(day))
        )?;
    }
    writeln!(
        out,
        "phase       {}",
        or_dash(c.phase.map(|p| p.to_string()))
    )?;
    // Who approved a move or a transfer, after it.
    let approved = |by: &Option<String>| {
        by.as_ref()
            .map(|a| format!(", approved by {}", printable(a)))
            .unwrap_or_default()
    };
    for h in &c.history {
        let approved = approved(&h.approved_by);
        writeln!(
            out,
            "  {}  {:<15} by {}{approved}",
            or_dash(h.date.map(day)),
            or_dash(h.phase.map(|p| p.to_string())),
            or_dash(h.by.clone())
        )?;
    }
    for t in &c.transfers {
        let approved = approved(&t.approved_by);
        writeln!(
            out,
            "transferred {} {} → {}{approved}",
            or_dash(t.date.map(day)),
            or_dash(t.from.clone()),
            or_dash(t.to.clone())
        )?;
    }
    // The decision in force on the day the card is about; its organisations counted.
    let consent = match view::consent_on(c, as_of) {
        None => "none recorded".to_string(),
        Some(on) => {
            let shared = match (on.is_given(), on.share_with.len()) {
                (false, _) => String::new(),
                (true, 0) => ", shared with no organisation".to_string(),
                (true, 1) => ", shared with 1 organisation".to_string(),
                (true, n) => format!(", shared with {n} organisations"),
            };
            format!("{} {}{shared}", on.decision, or_dash(on.date.map(day)))
        }
    };
    writeln!(out, "consent     {consent}")?;
    if c.assessment.is_some() {
        writeln!(out, "domains     baseline → latest")?;
        for (domain, base, now) in view::assessed(c).unwrap_or_default() {
            writeln!(out, "  {:<18} {base} → {now}", printable(domain))?;
        }
    }
    if !c.goals().is_empty() {
        writeln!(out, "goals")?;
        // The status, and the day of the last update that brought it, when there is one.
        let status = |g: &cm_case::Goal| {
            let status = or_dash(g.status.map(|s| s.to_string()));
            match g.updates.last().and_then(|u| u.date) {
                Some(date) => format!("{status} {}", day(date)),
                None => status,
            }
        };
        // As wide as the widest (`partly-achieved` at least), so that the attainments line up.
        let wide = c
            .goals()
            .iter()
            .map(|g| width(&status(g)))
            .fold("partly-achieved".len(), usize::max)
            + 1;
        for g in c.goals() {
            let id = or_dash(g.id.clone());
            let gas =
                g.id.as_deref()
                    .and_then(|id| view::attainment(c, id))
                    .map_or_else(
                        || "not yet scored".to_string(),
                        |(s, date)| format!("{s:+} at {}", or_dash(date.map(day))),
                    );
            let status = status(g);
            let pad = " ".repeat(wide.saturating_sub(width(&status)));
            writeln!(
                out,
                "  {id:<4} {:<16} {status}{pad}{gas}",
                or_dash(g.domain.clone()),
            )?;
        }
    }
    if !c.services.is_empty() {
        writeln!(out, "services")?;
        // The status, and the day of the last update that brought it, when there is one.
        let status = |s: &cm_case::Service| {
            let last = s.updates.last();
            let status = or_dash(
                s.status
                    .or(last.and_then(|u| u.status))
                    .map(|x| x.to_string()),
            );
            match last.and_then(|u| u.date) {
                Some(date) => format!("{status} {}", day(date)),
                None => status,
            }
        };
        // As wide as the widest (`in-progress` at least), so that the referrals line up.
        let wide = c
            .services
            .iter()
            .map(|s| width(&status(s)))
            .fold("in-progress".len(), usize::max)
            + 1;
        for s in &c.services {
            let ended = s
                .ended
                .map(|d| format!(", ended {}", day(d)))
                .unwrap_or_default();
            // The directory's name for the provider, with its id; else the text written.
            let provider = s
                .provider
                .as_deref()
                .map(|p| match settings.provider(p) {
                    Some(entry) if !entry.name.is_empty() => {
                        format!(", by {} ({})", printable(&entry.name), printable(p))
                    }
                    _ => format!(", by {}", printable(p)),
                })
                .unwrap_or_default();
            let status = status(s);
            let pad = " ".repeat(wide.saturating_sub(width(&status)));
            writeln!(
                out,
                "  {:<4} {:<24} {status}{pad} referred {}{ended}{provider}",
                or_dash(s.id.clone()),
                or_dash(s.kind.clone()),
                or_dash(s.referred.map(day))
            )?;
        }
    }
    writeln!(out, "reviews     {}", c.reviews.len())?;
    // The contact log, and its last entry (the log is kept in date order).
    let last_contact = c.contacts.iter().rev().find(|x| x.date.is_some());
    match last_contact {
        Some(x) => writeln!(
            out,
            "contacts    {}, last {} ({})",
            c.contacts.len(),
            or_dash(x.date.map(day)),
            or_dash(x.kind.map(|k| k.to_string()))
        )?,
        None => writeln!(out, "contacts    {}", c.contacts.len())?,
    }
    match &c.closure {
        Some(cl) if cl.date.is_some() => writeln!(
            out,
            "closed      {} ({})",
            or_dash(cl.date.map(day)),
            or_dash(cl.reason.map(|r| r.to_string()))
        )?,
        // Written ahead (the exit scores ready), for `cm advance --to closed` to complete.
        Some(_) => writeln!(out, "closure     written ahead, not yet closed")?,
        None => {}
    }
    if let Some(item) = monitor::next_due(c, settings) {
        let late = (as_of - item.due).num_days();
        let days = |n: i64| format!("{n} day{}", if n == 1 { "" } else { "s" });
        let state = match late {
            0 => "today".to_string(),
            late if late > 0 => format!("overdue by {}", days(late)),
            early => format!("in {}", days(-early)),
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
