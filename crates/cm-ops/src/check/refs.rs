//! Reference rules within one case: `file-name`, `duplicate-item`, `unknown-goal`,
//! `unknown-domain`, `unknown-caseworker`, and the `no-consent` warning.

use std::collections::HashSet;
use std::path::Path;

use cm_base::at;
use cm_base::path::{Step, dotted, key_name, keys_of};
use cm_base::text::suggest;
use cm_base::yaml::{Node, Place, Style, Value};
use cm_case::privacy::{is_allowed, leads_to_allowed};
use cm_case::{ConsentDecision, LoadedCase};

use super::{Code, Ctx, Finding};

/// `file-name`: the file is named `<id>.yaml` (or `.yml`), the extension in small letters (a
/// `.YAML` file is read, so that no case is passed over, but named the way every tool expects).
pub fn file_name(case: &LoadedCase, _: &Ctx<'_>, out: &mut Vec<Finding>) {
    let Some(id) = case.case.id.as_deref() else {
        return;
    };
    let path = Path::new(&case.display);
    let stem = path
        .file_stem()
        .and_then(|s| s.to_str())
        .unwrap_or_default();
    let ext = path.extension().and_then(|s| s.to_str()).unwrap_or("yaml");
    let proper = ext.to_ascii_lowercase();
    if stem != id || ext != proper {
        let message = if stem != id {
            format!("the file is named `{stem}.{ext}` but holds case `{id}`")
        } else {
            format!("the file's extension is `.{ext}`; case files end in `.{proper}`")
        };
        out.push(
            Finding::error(Code::FileName, Place::At(at!["id"]), message)
                .help(format!("name the file `{id}.{proper}`")),
        );
    }
}

/// `duplicate-item` and `unknown-goal`: goal and service ids are unique, and services and
/// reviews name goals the plan has.
pub fn items(case: &LoadedCase, _: &Ctx<'_>, out: &mut Vec<Finding>) {
    let c = &case.case;
    let goals: Vec<&str> = c.goals().iter().filter_map(|g| g.id.as_deref()).collect();
    let unique = |list: &'static str, ids: Vec<Option<&str>>, out: &mut Vec<Finding>| {
        let mut seen = HashSet::new();
        for (i, id) in ids.into_iter().enumerate() {
            if let Some(id) = id.filter(|id| !seen.insert(*id)) {
                out.push(Finding::error(
                    Code::DuplicateItem,
                    Place::At(path_of(list, i, "id")),
                    format!("id `{}` is used twice in {list}", key_name(id)),
                ));
            }
        }
    };
    unique(
        "plan.goals",
        c.goals().iter().map(|g| g.id.as_deref()).collect(),
        out,
    );
    unique(
        "services",
        c.services.iter().map(|s| s.id.as_deref()).collect(),
        out,
    );
    let unknown = |goal: &str| {
        let help = match suggest(goal, goals.iter().copied()) {
            Some(s) => format!("did you mean `{s}`?"),
            None if goals.is_empty() => "the plan has no goals yet".to_string(),
            None => format!("the plan's goals are {}", goals.join(", ")),
        };
        (
            format!("there is no goal `{}` in the plan", key_name(goal)),
            help,
        )
    };
    for (i, s) in c.services.iter().enumerate() {
        if let Some(goal) = s.goal.as_deref().filter(|g| !goals.contains(g)) {
            let (message, help) = unknown(goal);
            out.push(
                Finding::error(
                    Code::UnknownGoal,
                    Place::At(at!["services", i, "goal"]),
                    message,
                )
                .help(help),
            );
        }
    }
    for (i, r) in c.reviews.iter().enumerate() {
        for goal in r.goals.keys().filter(|g| !goals.contains(&g.as_str())) {
            let (message, help) = unknown(goal);
            out.push(
                Finding::error(
                    Code::UnknownGoal,
                    Place::KeyOf(at!["reviews", i, "goals", goal]),
                    message,
                )
                .help(help),
            );
        }
    }
}

fn path_of(list: &'static str, i: usize, field: &'static str) -> Vec<Step> {
    let mut path: Vec<Step> = list.split('.').map(Step::from).collect();
    path.push(Step::Index(i));
    path.push(Step::from(field));
    path
}

/// `unknown-domain`: scored domains are the agency's (when cm.toml lists them), and a goal's
/// domain is one the assessment scored. Scores given before the case came from another office
/// are of that office's domains.
pub fn domains(case: &LoadedCase, ctx: &Ctx<'_>, out: &mut Vec<Finding>) {
    let c = &case.case;
    let known = &ctx.settings.assessment.domains;
    if !known.is_empty() {
        let mut scored: Vec<(Vec<Step>, &String)> = Vec::new();
        let here = |date| !c.recorded_elsewhere(date);
        if let Some(a) = c.assessment.as_ref().filter(|a| here(a.date)) {
            scored.extend(
                a.domains
                    .keys()
                    .map(|d| (at!["assessment", "domains", d], d)),
            );
        }
        for (i, r) in c.reviews.iter().enumerate().filter(|(_, r)| here(r.date)) {
            scored.extend(
                r.domains
                    .keys()
                    .map(|d| (at!["reviews", i, "domains", d], d)),
            );
        }
        if let Some(cl) = &c.closure {
            scored.extend(cl.domains.keys().map(|d| (at!["closure", "domains", d], d)));
        }
        for (path, domain) in scored {
            if !known.contains(domain) {
                let help = match suggest(domain, known.iter().map(String::as_str)) {
                    Some(s) => format!("did you mean `{s}`?"),
                    None => format!("cm.toml lists {}", known.join(", ")),
                };
                out.push(
                    Finding::error(
                        Code::UnknownDomain,
                        Place::KeyOf(path),
                        format!(
                            "`{}` is not one of the agency's assessment domains",
                            key_name(domain)
                        ),
                    )
                    .help(help),
                );
            }
        }
    }
    let Some(assessment) = &c.assessment else {
        return;
    };
    let assessed: Vec<&str> = assessment.domains.keys().map(String::as_str).collect();
    for (i, goal) in c.goals().iter().enumerate() {
        if let Some(domain) = goal.domain.as_deref().filter(|d| !assessed.contains(d)) {
            out.push(
                Finding::error(
                    Code::UnknownDomain,
                    Place::At(at!["plan", "goals", i, "domain"]),
                    format!("goal domain `{}` was not assessed", key_name(domain)),
                )
                .help(format!("the assessment scored {}", assessed.join(", "))),
            );
        }
    }
}

/// `unknown-caseworker`: with a roster in cm.toml, `caseworker`, every `by` (of the history,
/// the reviews, the contacts, the risk changes, the consent and its updates, the services and
/// their updates, the updates of goals) and every name of a transfer
/// (`from`, `to`, `by`, `approved_by`) name one of it. The names of entries dated before the case
/// came from another office, and those of the transfer that brought it but its `to`, are that
/// office's staff.
pub fn caseworkers(case: &LoadedCase, ctx: &Ctx<'_>, out: &mut Vec<Finding>) {
    /// Where a name stands; the place is made only for the names that are not in the roster.
    enum Stands {
        Caseworker,
        Entry(&'static str, usize),
        Update(usize, usize),
        Consent(Option<usize>),
        GoalUpdate(usize, usize),
        Transfer(usize, &'static str),
    }
    let roster = &ctx.settings.caseworkers;
    if roster.is_empty() {
        return;
    }
    let c = &case.case;
    // Each name, where it stands, and the day of its entry.
    let history = c
        .history
        .iter()
        .enumerate()
        .map(|(i, h)| (h.by.as_deref(), Stands::Entry("history", i), h.date));
    let reviews = c
        .reviews
        .iter()
        .enumerate()
        .map(|(i, r)| (r.by.as_deref(), Stands::Entry("reviews", i), r.date));
    let contacts = c
        .contacts
        .iter()
        .enumerate()
        .map(|(i, x)| (x.by.as_deref(), Stands::Entry("contacts", i), x.date));
    let risk_changes = c
        .risk_changes
        .iter()
        .enumerate()
        .map(|(i, x)| (x.by.as_deref(), Stands::Entry("risk_changes", i), x.date));
    let updates = c.services.iter().enumerate().flat_map(|(i, s)| {
        let updates = s
            .updates
            .iter()
            .enumerate()
            .map(move |(j, u)| (u.by.as_deref(), Stands::Update(i, j), u.date));
        std::iter::once((s.by.as_deref(), Stands::Entry("services", i), s.referred)).chain(updates)
    });
    let consent = c.consent.iter().flat_map(|x| {
        let updates = x
            .updates
            .iter()
            .enumerate()
            .map(|(j, u)| (u.by.as_deref(), Stands::Consent(Some(j)), u.date));
        std::iter::once((x.by.as_deref(), Stands::Consent(None), x.date)).chain(updates)
    });
    let goal_updates = c.goals().iter().enumerate().flat_map(|(i, g)| {
        g.updates
            .iter()
            .enumerate()
            .map(move |(j, u)| (u.by.as_deref(), Stands::GoalUpdate(i, j), u.date))
    });
    let transfers = c.transfers.iter().enumerate().flat_map(|(i, t)| {
        // The transfer that brought the case from another office is made there: only its
        // `to` is of this office.
        let there = t.from_office.is_some() || c.recorded_elsewhere(t.date);
        let to_here = t.from_office.is_some() || !there;
        [
            (t.from.as_deref(), Stands::Transfer(i, "from"), there),
            (t.to.as_deref(), Stands::Transfer(i, "to"), !to_here),
            (t.by.as_deref(), Stands::Transfer(i, "by"), there),
            (
                t.approved_by.as_deref(),
                Stands::Transfer(i, "approved_by"),
                there,
            ),
        ]
    });
    let dated = |(who, stands, date)| (who, stands, c.recorded_elsewhere(date));
    let named = std::iter::once((c.caseworker.as_deref(), Stands::Caseworker, false))
        .chain(history.map(dated))
        .chain(reviews.map(dated))
        .chain(contacts.map(dated))
        .chain(risk_changes.map(dated))
        .chain(consent.map(dated))
        .chain(updates.map(dated))
        .chain(goal_updates.map(dated))
        .chain(transfers)
        .filter(|(.., there)| !there)
        .map(|(who, stands, _)| (who, stands));
    for (who, stands) in named {
        let Some(who) = who.filter(|w| ctx.settings.caseworker(w).is_none()) else {
            continue;
        };
        let path = match stands {
            Stands::Caseworker => at!["caseworker"],
            Stands::Entry(list, i) => at![list, i, "by"],
            Stands::Update(i, j) => at!["services", i, "updates", j, "by"],
            Stands::Consent(None) => at!["consent", "by"],
            Stands::Consent(Some(j)) => at!["consent", "updates", j, "by"],
            Stands::GoalUpdate(i, j) => at!["plan", "goals", i, "updates", j, "by"],
            Stands::Transfer(i, key) => at!["transfers", i, key],
        };
        let f = Finding::error(
            Code::UnknownCaseworker,
            Place::At(path),
            format!("`{who}` is not in the roster of cm.toml"),
        );
        out.push(match suggest(who, roster.iter().map(|c| c.id.as_str())) {
            Some(s) => f.help(format!("did you mean `{s}`?")),
            None => f.help("add them as a [[caseworkers]] entry in cm.toml"),
        });
    }
}

/// `no-consent` (warning): an open case whose client has not consented, on the day of the
/// check: no decision recorded, or the one in force refuses or withdraws consent.
pub fn consent(case: &LoadedCase, ctx: &Ctx<'_>, out: &mut Vec<Finding>) {
    let c = &case.case;
    if !c.is_open() {
        return;
    }
    let on = cm_case::view::consent_on(c, ctx.today);
    let (place, message) = match on {
        Some(on) if on.is_given() => return,
        Some(on) => {
            let place = match on.update {
                Some(i) => at!["consent", "updates", i, "decision"],
                None => at!["consent", "given"],
            };
            let when = on
                .date
                .map(|d| format!(" ({})", ctx.date(d)))
                .unwrap_or_default();
            let did = match on.decision {
                ConsentDecision::Withdrawn => "withdrew",
                _ => "refused",
            };
            (
                Place::At(place),
                format!("the client {did} consent{when}, and this case is open"),
            )
        }
        None if c.consent.is_some() => (
            Place::At(at!["consent", "given"]),
            "this open case has no recorded consent from the client".to_string(),
        ),
        None => (
            Place::KeyOf(at!["client"]),
            "this open case has no recorded consent from the client".to_string(),
        ),
    };
    out.push(
        Finding::warning(Code::NoConsent, place, message)
            .help("record the client's consent with `cm consent ID --given` once they agree"),
    );
}

/// `alias`: an alias (`*name`) where a value that may be shown belongs. Which values may be
/// shown is judged by where they stand; an alias would carry a value written elsewhere — the
/// client's name, say — to such a place, so these values are written where they stand.
pub fn aliases(case: &LoadedCase, _: &Ctx<'_>, out: &mut Vec<Finding>) {
    fn walk(node: &Node, path: &mut Vec<Step>, out: &mut Vec<Finding>) {
        if node.style == Style::Alias {
            let keys = keys_of(path);
            if is_allowed(&keys) || leads_to_allowed(&keys) {
                out.push(
                    Finding::error(
                        Code::Alias,
                        Place::At(path.clone()),
                        format!(
                            "{} is an alias (`*name`) of a value written elsewhere",
                            dotted(path)
                        ),
                    )
                    .help("write the value itself here: what reports and exports may show is judged by where it is written"),
                );
            }
            return;
        }
        match &node.value {
            Value::Map(entries) => {
                for entry in entries {
                    path.push(Step::from(&entry.key));
                    walk(&entry.value, path, out);
                    path.pop();
                }
            }
            Value::Seq(items) => {
                for (i, item) in items.iter().enumerate() {
                    path.push(Step::Index(i));
                    walk(item, path, out);
                    path.pop();
                }
            }
            _ => {}
        }
    }
    // An alias is written with a `*`, and read by the full parser only.
    if let Some(tree) = case.full_tree()
        && case.source.contains('*')
    {
        walk(tree, &mut Vec::new(), out);
    }
}
