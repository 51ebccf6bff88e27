//! Rules across cases: `duplicate-id`, and the warnings `duplicate-client` and `over-caseload`.
//! Each is one pass with a hash map, so the cost grows with the number of cases, not its square.

use std::collections::HashMap;

use super::{Ctx, Diagnostic, Severity, Summary};
use crate::workspace::SETTINGS_FILE;
use crate::yaml::Pos;

/// The `duplicate-id` error of the case file shown as `display`, whose id `id` (at `pos`) the
/// file shown as `first` has already.
pub fn duplicate_id(display: &str, pos: Pos, id: &str, first: &str) -> Diagnostic {
    Diagnostic::new(
        display,
        pos.line,
        pos.col,
        Severity::Error,
        "duplicate-id",
        format!("id `{id}` is also used by {first}"),
    )
    .with_help("every case needs its own id; give each office its own id_prefix")
}

/// Appends the cross-case diagnostics; `cases` are in path order, so "first" is stable.
pub fn check(cases: &[Summary], ctx: &Ctx<'_>, out: &mut Vec<Diagnostic>) {
    let mut ids: HashMap<&str, &Summary> = HashMap::new();
    let mut clients: HashMap<&str, &Summary> = HashMap::new();
    let mut caseload: HashMap<&str, u32> = HashMap::new();
    for case in cases {
        if let Some((id, pos)) = &case.id {
            if let Some(first) = ids.get(id.as_str()) {
                out.push(duplicate_id(&case.display, *pos, id, &first.display));
            } else {
                ids.insert(id, case);
            }
        }
        if !case.open {
            continue;
        }
        if let Some((nid, pos)) = &case.national_id {
            if let Some(first) = clients.get(nid.as_str()) {
                out.push(
                    Diagnostic::new(
                        &case.display,
                        pos.line,
                        pos.col,
                        Severity::Warning,
                        "duplicate-client",
                        format!("the same national id is in the open case {}", first.display),
                    )
                    .with_help(
                        "two open cases for one client duplicate effort; merge or close one",
                    ),
                );
            } else {
                clients.insert(nid, case);
            }
        }
        if let Some(cw) = &case.caseworker {
            *caseload.entry(cw).or_default() += 1;
        }
    }
    for cw in &ctx.settings.caseworkers {
        let open = caseload.get(cw.id.as_str()).copied().unwrap_or(0);
        if let Some(max) = cw.max_caseload.filter(|max| open > *max) {
            out.push(Diagnostic::new(
                SETTINGS_FILE,
                cw.line.max(1),
                1,
                Severity::Warning,
                "over-caseload",
                format!(
                    "{} has {open} open cases, more than max_caseload {max}",
                    cw.id
                ),
            ));
        }
    }
}
