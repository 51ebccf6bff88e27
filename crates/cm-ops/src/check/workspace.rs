//! Rules across cases: `duplicate-id`, `link`, and the warnings `duplicate-client`,
//! `possible-duplicate` and `over-caseload`.
//! Each is one pass with a hash map, so the cost grows with the number of cases, not its square.

use std::collections::HashMap;

use cm_case::workspace::SETTINGS_FILE;
use cm_case::{Relation, duplicate_id};

use super::{Code, Ctx, Diagnostic, Severity, Summary};
use crate::duplicates::{self, By, Pair, Person};
use cm_base::yaml::Pos;

/// Appends the cross-case diagnostics; `cases` are in path order, so "first" is stable.
pub fn check(cases: &[&Summary], ctx: &Ctx<'_>, out: &mut Vec<Diagnostic>) {
    // The pairs of alike clients are found beside the rest.
    let people: Vec<&Person> = cases.iter().map(|c| &c.person).collect();
    let (caseload, pairs) =
        rayon::join(|| ids_and_links(cases, out), || duplicates::pairs(&people));
    for pair in pairs {
        out.push(duplicate(
            cases[pair.first],
            cases[pair.second],
            &pair,
            Asked::Validate,
        ));
    }
    for cw in &ctx.settings.caseworkers {
        let open = caseload.get(cw.id.as_str()).copied().unwrap_or(0);
        if let Some(max) = cw.max_caseload.filter(|max| open > *max) {
            out.push(Diagnostic::new(
                SETTINGS_FILE,
                cw.line.max(1),
                1,
                Severity::Warning,
                Code::OverCaseload,
                format!(
                    "{} has {open} open cases, more than max_caseload {max}",
                    cw.id
                ),
            ));
        }
    }
}

/// The `duplicate-id` and `link` errors; returns the open cases of each caseworker.
fn ids_and_links<'a>(cases: &[&'a Summary], out: &mut Vec<Diagnostic>) -> HashMap<&'a str, u32> {
    let mut ids: HashMap<&str, &Summary> = HashMap::with_capacity(cases.len());
    let mut caseload: HashMap<&str, u32> = HashMap::new();
    for case in cases {
        if let Some((id, pos)) = &case.id {
            if let Some(first) = ids.get(id.as_str()) {
                out.push(duplicate_id(&case.display, *pos, id, &first.display));
            } else {
                ids.insert(id, case);
            }
        }
        if case.person.open
            && let Some(cw) = &case.caseworker
        {
            *caseload.entry(cw).or_default() += 1;
        }
    }
    for case in cases {
        links(case, &ids, out);
    }
    caseload
}

/// The `link` errors of `case`: each linked case exists, is not this one, is linked once, and
/// links back with the mirror of the relation (a mirror that does not match is told once, in
/// the first of the two cases by path); each case `not_duplicate_of` names exists and is not
/// this one. A case that came from another office may name cases that stayed there.
fn links(case: &Summary, ids: &HashMap<&str, &Summary>, out: &mut Vec<Diagnostic>) {
    let Some((id, _)) = &case.id else {
        return;
    };
    for (other, pos) in &case.apart {
        let message = if other == id {
            "the case is recorded as not of its own client".to_string()
        } else if !ids.contains_key(other.as_str()) && !case.arrived {
            format!("there is no case {other} in the workspace")
        } else {
            continue;
        };
        out.push(link_error(
            case,
            pos,
            message,
            "`not_duplicate_of` names cases of other people: correct the id, or remove it".into(),
        ));
    }
    let mut seen = std::collections::HashSet::new();
    for (link, pos) in &case.links {
        let (Some(other), Some(relation)) = (&link.case, link.relation) else {
            continue; // the schema has said so
        };
        let problem = |message: String, help: String| link_error(case, pos, message, help);
        if other == id {
            out.push(problem(
                "the case is linked to itself".to_string(),
                "a link names the case of a relative: remove this one".to_string(),
            ));
        } else if !seen.insert(other) {
            out.push(problem(
                format!("{other} is linked twice"),
                "a case is linked once, with one relation: remove one".to_string(),
            ));
        } else {
            let Some(linked) = ids.get(other.as_str()) else {
                if case.arrived {
                    continue;
                }
                out.push(problem(
                    format!("there is no case {other} in the workspace"),
                    "correct the id, or remove the link".to_string(),
                ));
                continue;
            };
            let back = linked
                .links
                .iter()
                .find(|(l, _)| l.case.as_deref() == Some(id.as_str()));
            match back.and_then(|(l, _)| l.relation) {
                None if back.is_none() => out.push(problem(
                    format!("{other} has no link back to this case"),
                    format!(
                        "`cm link {id} {other} --relation {relation}` writes the link in both \
                         cases"
                    ),
                )),
                Some(back) if !relation.mirrored_by(back) && case.display < linked.display => {
                    out.push(problem(
                        format!(
                            "{other} is linked as `{relation}`, but links back as `{back}`, \
                             which is not its mirror"
                        ),
                        format!(
                            "a `{relation}` links back as {}: correct one of the two",
                            mirrors(relation)
                        ),
                    ));
                }
                _ => {}
            }
        }
    }
}

/// A `link` error at `pos` of `case`.
fn link_error(case: &Summary, pos: &Pos, message: String, help: String) -> Diagnostic {
    Diagnostic::new(
        &case.display,
        pos.line,
        pos.col,
        Severity::Error,
        Code::Link,
        message,
    )
    .with_help(help)
}

/// The relations that mirror `relation`, in words: "`child`", "`mother` or `father`".
fn mirrors(relation: Relation) -> String {
    let all: Vec<String> = Relation::ALL
        .iter()
        .filter(|back| relation.mirrored_by(**back))
        .map(|back| format!("`{back}`"))
        .collect();
    all.join(" or ")
}

/// Who asks whether a client is known twice: `cm validate` of cases written, or `cm new` of a
/// case it is about to write.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Asked {
    Validate,
    New,
}

/// The warning, in the later case `second`, that its client may be the client of `first`.
pub fn duplicate(first: &Summary, second: &Summary, pair: &Pair, asked: Asked) -> Diagnostic {
    let (a, b) = (&first.person, &second.person);
    let id = |p: &Person| p.id.clone().unwrap_or_else(|| "ID".to_string());
    let state = if a.open { "open" } else { "closed" };
    let what = match (a.open, b.open) {
        (true, true) if asked == Asked::New => {
            format!(
                "one client, one case: work in {} rather than open a second",
                id(a)
            )
        }
        (true, true) => "two open cases for one client duplicate effort: merge or close one".into(),
        (false, true) => format!(
            "a returning client: `cm reopen {}` rather than a second case",
            id(a)
        ),
        (true, false) => format!(
            "a returning client: `cm reopen {}` rather than a second case",
            id(b)
        ),
        (false, false) => "two closed cases of one client".into(),
    };
    let apart = match asked {
        Asked::Validate => format!("record it in this case: `not_duplicate_of: [{}]`", id(a)),
        Asked::New => format!("open it with `--not-duplicate-of {}`", id(a)),
    };
    let help = format!("{what}; if they are two people, {apart}");
    let (pos, code, message) = match pair.by {
        By::NationalId => (
            second.national_id_at,
            Code::DuplicateClient,
            format!(
                "the same national id is in the {state} case {}",
                first.display
            ),
        ),
        By::NameAndBirthDate | By::NameAndBirthYear => (
            second.name_at,
            Code::PossibleDuplicate,
            format!(
                "the client may be the client of the {state} case {}: names alike ({:.2}), the same sex and {}",
                first.display,
                pair.score,
                if pair.by == By::NameAndBirthDate {
                    "birth date"
                } else {
                    "year of birth"
                }
            ),
        ),
    };
    Diagnostic::new(
        &second.display,
        pos.line,
        pos.col,
        Severity::Warning,
        code,
        message,
    )
    .with_help(help)
}
