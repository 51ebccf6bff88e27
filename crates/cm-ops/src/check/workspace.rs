//! Rules across cases: `duplicate-id`, and the warnings `duplicate-client` and `over-caseload`.
//! Each is one pass with a hash map, so the cost grows with the number of cases, not its square.

use std::collections::HashMap;

use cm_case::duplicate_id;
use cm_case::workspace::SETTINGS_FILE;

use super::{Code, Ctx, Diagnostic, Severity, Summary};

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
                        Code::DuplicateClient,
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
                Code::OverCaseload,
                format!(
                    "{} has {open} open cases, more than max_caseload {max}",
                    cw.id
                ),
            ));
        }
    }
}
