//! Date rules: `date-invalid`, `date-implausible`, `date-order`, `date-future`.
//!
//! Event dates are the days something happened (opening, assessment, plan, goals added,
//! referrals, the updates of services and goals, reviews, contacts, changes of risk, phase
//! changes, consent, closure, and the opening and closure of each earlier episode of a reopened
//! case). They may not precede `opened`, follow the closure, or lie after today. Planned dates (`target_date`, `next_due`) may lie
//! ahead.

use chrono::NaiveDate;
use serde_json::Value as Json;

use cm_base::at;
use cm_base::calendar::{PLAUSIBLE_YEARS, as_solar_hijri, is_plausible, iso_year, parse_iso};
use cm_base::path::{Step, dotted};
use cm_base::yaml::Place;
use cm_case::privacy::may_quote;
use cm_case::{LoadedCase, Phase};

use super::{Code, Ctx, Finding};

/// Keys whose values are dates, wherever they stand in a case (outside `extra`).
const DATE_KEYS: &[&str] = &[
    "opened",
    "date",
    "birth_date",
    "target_date",
    "referred",
    "ended",
    "next_due",
    "added",
];

/// `date-invalid` and `date-implausible`, the dates as written: a date written YYYY-MM-DD that no
/// calendar has (2026-02-30), and one before 1900 or after 2100 — a Solar Hijri date written
/// where a Gregorian one belongs (1362-04-15), or a slip of the keyboard (0000-01-01). A year
/// outside those is `date-implausible` whether or not its day exists: 1362-06-31 is a good Solar
/// Hijri day. The other date rules pass over such a date: its one error is this one.
pub fn written(case: &LoadedCase, _: &Ctx<'_>, out: &mut Vec<Finding>) {
    /// The path walked so far, borrowed from the case: made into steps only for a finding.
    fn walk<'a>(value: &'a Json, path: &mut Vec<(&'a str, usize)>, out: &mut Vec<Finding>) {
        match value {
            Json::Object(map) => {
                for (key, v) in map {
                    if path.is_empty() && key == "extra" {
                        continue;
                    }
                    path.push((key, 0));
                    match v {
                        Json::String(s) if DATE_KEYS.contains(&key.as_str()) => {
                            if let Some(finding) = judge(s, path) {
                                out.push(finding);
                            }
                        }
                        _ => walk(v, path, out),
                    }
                    path.pop();
                }
            }
            Json::Array(items) => {
                for (i, v) in items.iter().enumerate() {
                    path.push(("", i));
                    walk(v, path, out);
                    path.pop();
                }
            }
            _ => {}
        }
    }
    walk(&case.json, &mut Vec::new(), out);
}

/// The error of the date `s` written at `path`, if it has one.
fn judge(s: &str, path: &[(&str, usize)]) -> Option<Finding> {
    let year = iso_year(s)?;
    let plausible = PLAUSIBLE_YEARS.contains(&year);
    if plausible && parse_iso(s).is_some() {
        return None;
    }
    let steps: Vec<Step> = path
        .iter()
        .map(|&(key, i)| match key {
            "" => Step::Index(i),
            key => Step::from(key.to_string()),
        })
        .collect();
    let place = dotted(&steps);
    // A personal value is never shown, nor anything made of it, such as its Gregorian day.
    let quoted = may_quote(&steps);
    let finding = |code, message: String| Finding::error(code, Place::At(steps.clone()), message);
    if plausible {
        return Some(finding(
            Code::DateInvalid,
            if quoted {
                format!("{place} is `{s}`, a day that does not exist")
            } else {
                format!("{place} is a day that does not exist")
            },
        ));
    }
    Some(match as_solar_hijri(s) {
        Some(gregorian) if quoted => finding(
            Code::DateImplausible,
            format!(
                "{place} is `{s}`, which looks like a Solar Hijri date; files keep Gregorian dates"
            ),
        )
        .help(format!(
            "Solar Hijri {s} is {gregorian} in the Gregorian calendar"
        )),
        Some(_) => finding(
            Code::DateImplausible,
            format!(
                "{place} looks like a Solar Hijri date (a year before {}); files keep Gregorian \
                 dates",
                PLAUSIBLE_YEARS.start()
            ),
        )
        .help(
            "write its Gregorian day; the value is personal, so it is neither shown nor converted \
             here (cm reads Solar Hijri dates only on the command line, with --calendar persian)",
        ),
        None => {
            let when = if year < *PLAUSIBLE_YEARS.start() {
                format!("before {}", PLAUSIBLE_YEARS.start())
            } else {
                format!("after {}", PLAUSIBLE_YEARS.end())
            };
            finding(
                Code::DateImplausible,
                if quoted {
                    format!("{place} is `{s}`, a date {when}")
                } else {
                    format!("{place} is a date {when}")
                },
            )
            .help(format!(
                "dates in a case file are Gregorian, written YYYY-MM-DD, from {}-01-01 to \
                 {}-12-31",
                PLAUSIBLE_YEARS.start(),
                PLAUSIBLE_YEARS.end()
            ))
        }
    })
}

/// The event dates of a case with their places, in file order. A date before 1900 or after 2100
/// is left out: its one error is `date-implausible`, and compared with the others it would only
/// add errors that follow from it.
fn events(case: &LoadedCase) -> Vec<(Vec<Step>, NaiveDate)> {
    let c = &case.case;
    let mut out = Vec::new();
    let mut push = |path: Vec<Step>, date: Option<NaiveDate>| {
        if let Some(d) = date.filter(|d| is_plausible(*d)) {
            out.push((path, d));
        }
    };
    if let Some(consent) = &c.consent {
        push(at!["consent", "date"], consent.date);
        for (j, u) in consent.updates.iter().enumerate() {
            push(at!["consent", "updates", j, "date"], u.date);
        }
    }
    push(
        at!["assessment", "date"],
        c.assessment.as_ref().and_then(|x| x.date),
    );
    push(at!["plan", "date"], c.plan.as_ref().and_then(|x| x.date));
    for (i, g) in c.goals().iter().enumerate() {
        push(at!["plan", "goals", i, "added"], g.added);
        for (j, u) in g.updates.iter().enumerate() {
            push(at!["plan", "goals", i, "updates", j, "date"], u.date);
        }
    }
    for (i, s) in c.services.iter().enumerate() {
        push(at!["services", i, "referred"], s.referred);
        for (j, u) in s.updates.iter().enumerate() {
            push(at!["services", i, "updates", j, "date"], u.date);
        }
        push(at!["services", i, "ended"], s.ended);
    }
    for (i, r) in c.reviews.iter().enumerate() {
        push(at!["reviews", i, "date"], r.date);
    }
    for (i, x) in c.contacts.iter().enumerate() {
        push(at!["contacts", i, "date"], x.date);
    }
    for (i, x) in c.risk_changes.iter().enumerate() {
        push(at!["risk_changes", i, "date"], x.date);
    }
    for (i, h) in c.history.iter().enumerate() {
        push(at!["history", i, "date"], h.date);
    }
    for (i, t) in c.transfers.iter().enumerate() {
        push(at!["transfers", i, "date"], t.date);
    }
    for (k, e) in c.episodes.iter().enumerate() {
        push(at!["episodes", k, "opened"], e.opened);
        push(
            at!["episodes", k, "closure", "date"],
            e.closure.as_ref().and_then(|x| x.date),
        );
    }
    push(
        at!["closure", "date"],
        c.closure.as_ref().and_then(|x| x.date),
    );
    out
}

/// The dates of the earlier episodes and of the entries that reopened them, in the order they
/// must be in: each episode's opening, its closure, then the history entry that reopened the
/// case after it (an `intake` entry right after a `closed` one), and so on.
fn episode_dates(case: &LoadedCase) -> Vec<(Vec<Step>, Option<NaiveDate>)> {
    let c = &case.case;
    let mut reopenings = Vec::new();
    let mut previous: Option<(Phase, Option<NaiveDate>)> = None;
    for (i, h) in c.history.iter().enumerate() {
        let Some(phase) = h.phase else { continue };
        if let Some((Phase::Closed, closed)) = previous
            && phase == Phase::Intake
        {
            // An entry before the closed one above it is told as out of the history's order.
            let told = h.date.zip(closed).is_some_and(|(d, c)| d < c);
            reopenings.push((at!["history", i, "date"], h.date.filter(|_| !told)));
        }
        previous = Some((phase, h.date));
    }
    let mut reopenings = reopenings.into_iter();
    let mut out = Vec::new();
    for (k, e) in c.episodes.iter().enumerate() {
        out.push((at!["episodes", k, "opened"], e.opened));
        out.push((
            at!["episodes", k, "closure", "date"],
            e.closure.as_ref().and_then(|x| x.date),
        ));
        out.extend(reopenings.next());
    }
    out
}

/// `date-order`: nothing before `opened`, history, reviews, contacts, risk changes and transfers in
/// order, the decisions about consent in order, a service's updates in order after its referral,
/// a service ends after its referral, a goal added after the plan was made and its updates in
/// order after that, and nothing after the closure but a decision about consent.
/// Dates in messages are in the user's calendar.
pub fn order(case: &LoadedCase, ctx: &Ctx<'_>, out: &mut Vec<Finding>) {
    let c = &case.case;
    let day = |d: NaiveDate| ctx.date(d);
    let events = events(case);
    if let Some(opened) = c.opened.filter(|d| is_plausible(*d)) {
        for (path, date) in &events {
            if *date < opened {
                out.push(Finding::error(
                    Code::DateOrder,
                    Place::At(path.clone()),
                    format!(
                        "{} ({}) is before the case was opened ({})",
                        dotted(path),
                        day(*date),
                        day(opened)
                    ),
                ));
            }
        }
    }
    let in_order = |list: &'static str, dates: Vec<Option<NaiveDate>>, out: &mut Vec<Finding>| {
        let mut last: Option<NaiveDate> = None;
        for (i, date) in dates.into_iter().enumerate() {
            let Some(date) = date.filter(|d| is_plausible(*d)) else {
                continue;
            };
            if let Some(prev) = last.filter(|prev| date < *prev) {
                out.push(
                    Finding::error(
                        Code::DateOrder,
                        Place::At(at![list, i, "date"]),
                        format!(
                            "{list}[{i}].date ({}) is before the entry above it ({})",
                            day(date),
                            day(prev)
                        ),
                    )
                    .help(format!("{list} are kept oldest first")),
                );
            }
            last = Some(last.map_or(date, |l| l.max(date)));
        }
    };
    in_order("history", c.history.iter().map(|h| h.date).collect(), out);
    let mut last: Option<(Vec<Step>, NaiveDate)> = None;
    for (path, date) in episode_dates(case) {
        let Some(date) = date.filter(|d| is_plausible(*d)) else {
            continue;
        };
        if let Some((before, prev)) = last.as_ref().filter(|(_, prev)| date < *prev) {
            out.push(
                Finding::error(
                    Code::DateOrder,
                    Place::At(path.clone()),
                    format!(
                        "{} ({}) is before {} ({})",
                        dotted(&path),
                        day(date),
                        dotted(before),
                        day(*prev)
                    ),
                )
                .help(
                    "episodes are kept oldest first, each opened before it was closed and closed \
                     before the history entry that reopened the case",
                ),
            );
            continue;
        }
        last = Some((path, date));
    }
    in_order("reviews", c.reviews.iter().map(|r| r.date).collect(), out);
    in_order(
        "transfers",
        c.transfers.iter().map(|t| t.date).collect(),
        out,
    );
    in_order("contacts", c.contacts.iter().map(|x| x.date).collect(), out);
    in_order(
        "risk_changes",
        c.risk_changes.iter().map(|x| x.date).collect(),
        out,
    );
    if let Some(consent) = &c.consent {
        updates_in_order(
            at!["consent", "updates"],
            consent.updates.iter().map(|u| u.date),
            consent.date.map(|d| (d, "the first decision")),
            "decisions about consent are kept oldest first",
            ctx,
            out,
        );
    }
    for (i, s) in c.services.iter().enumerate() {
        if let (Some(referred), Some(ended)) = (s.referred, s.ended)
            && is_plausible(referred)
            && is_plausible(ended)
            && ended < referred
        {
            out.push(Finding::error(
                Code::DateOrder,
                Place::At(at!["services", i, "ended"]),
                format!(
                    "services[{i}] ended ({}) before it was referred ({})",
                    day(ended),
                    day(referred)
                ),
            ));
        }
        updates_in_order(
            at!["services", i, "updates"],
            s.updates.iter().map(|u| u.date),
            s.referred.map(|d| (d, "the service was referred")),
            "a service's updates are kept oldest first",
            ctx,
            out,
        );
    }
    goals(case, ctx, out);
    if let Some(closed) = c
        .closure
        .as_ref()
        .and_then(|x| x.date)
        .filter(|d| is_plausible(*d))
    {
        // A client may withdraw (or give) consent to sharing a closed case's data.
        let after_closing = |path: &[Step]| {
            matches!(path, [Step::Key(consent), Step::Key(updates), ..]
                if consent == "consent" && updates == "updates")
        };
        for (path, date) in &events {
            if *date > closed && !after_closing(path) {
                out.push(
                    Finding::error(
                        Code::DateOrder,
                        Place::At(path.clone()),
                        format!(
                            "{} ({}) is after the case was closed ({})",
                            dotted(path),
                            day(*date),
                            day(closed)
                        ),
                    )
                    .help("closure.date is the last date of a case"),
                );
            }
        }
    }
}

/// The goals' part of `date-order`: a goal is added once the plan is made, and each update of
/// it is after its start (its `added`, else the plan's date) and after the update above it.
fn goals(case: &LoadedCase, ctx: &Ctx<'_>, out: &mut Vec<Finding>) {
    let c = &case.case;
    let day = |d: NaiveDate| ctx.date(d);
    let planned = c
        .plan
        .as_ref()
        .and_then(|p| p.date)
        .filter(|d| is_plausible(*d));
    for (i, g) in c.goals().iter().enumerate() {
        let added = g.added.filter(|d| is_plausible(*d));
        if let (Some(added), Some(planned)) = (added, planned)
            && added < planned
        {
            out.push(
                Finding::error(
                    Code::DateOrder,
                    Place::At(at!["plan", "goals", i, "added"]),
                    format!(
                        "plan.goals[{i}].added ({}) is before the plan was made ({})",
                        day(added),
                        day(planned)
                    ),
                )
                .help("a goal of the plan as it was made has no `added`"),
            );
        }
        let start = match added {
            Some(added) => Some((added, "the goal was added")),
            None => planned.map(|p| (p, "the plan was made")),
        };
        updates_in_order(
            at!["plan", "goals", i, "updates"],
            g.updates.iter().map(|u| u.date),
            start,
            "a goal's updates are kept oldest first",
            ctx,
            out,
        );
    }
}

/// The part of `date-order` about a list of updates at `list` (`services[1].updates`): each is
/// after `start`, the day of what it updates (and said so in the message: `the service was
/// referred`), and after the update above it (the help, `kept`, says how they are kept).
fn updates_in_order(
    list: Vec<Step>,
    dates: impl Iterator<Item = Option<NaiveDate>>,
    start: Option<(NaiveDate, &str)>,
    kept: &str,
    ctx: &Ctx<'_>,
    out: &mut Vec<Finding>,
) {
    let name = dotted(&list);
    let day = |d: NaiveDate| ctx.date(d);
    let start = start.filter(|(d, _)| is_plausible(*d));
    let mut last: Option<NaiveDate> = None;
    for (j, date) in dates.enumerate() {
        let Some(date) = date.filter(|d| is_plausible(*d)) else {
            continue;
        };
        let mut path = list.clone();
        path.extend([Step::Index(j), Step::from("date")]);
        if let Some((start, since)) = start.filter(|(s, _)| date < *s) {
            out.push(Finding::error(
                Code::DateOrder,
                Place::At(path),
                format!(
                    "{name}[{j}].date ({}) is before {since} ({})",
                    day(date),
                    day(start)
                ),
            ));
        } else if let Some(prev) = last.filter(|prev| date < *prev) {
            out.push(
                Finding::error(
                    Code::DateOrder,
                    Place::At(path),
                    format!(
                        "{name}[{j}].date ({}) is before the update above it ({})",
                        day(date),
                        day(prev)
                    ),
                )
                .help(kept),
            );
        }
        last = Some(last.map_or(date, |l| l.max(date)));
    }
}

/// `date-future`: an event date (or a birth date) after today, or a year of birth after this
/// year.
pub fn future(case: &LoadedCase, ctx: &Ctx<'_>, out: &mut Vec<Finding>) {
    let mut dates = events(case);
    if let Some(opened) = case.case.opened.filter(|d| is_plausible(*d)) {
        dates.push((at!["opened"], opened));
    }
    if let Some(b) = case
        .case
        .client
        .as_ref()
        .and_then(|c| c.birth_date)
        .filter(|d| is_plausible(*d))
    {
        dates.push((at!["client", "birth_date"], b));
    }
    // A year of birth after this one (personal: named, never quoted).
    let year = case.case.client.as_ref().and_then(|c| c.birth_year);
    if year.is_some_and(|y| y > chrono::Datelike::year(&ctx.today)) {
        out.push(Finding::error(
            Code::DateFuture,
            Place::At(at!["client", "birth_year"]),
            format!(
                "client.birth_year is after the year of today ({})",
                ctx.date(ctx.today)
            ),
        ));
    }
    for (path, date) in dates {
        if date > ctx.today {
            let shown = if !may_quote(&path) {
                String::new()
            } else {
                format!(" ({})", ctx.date(date))
            };
            out.push(Finding::error(
                Code::DateFuture,
                Place::At(path.clone()),
                format!(
                    "{}{shown} is after today ({})",
                    dotted(&path),
                    ctx.date(ctx.today)
                ),
            ));
        }
    }
}
