//! Phase rules: `phase-history` (the history only moves forward and ends in `phase`) and
//! `approval` (phases listed in `[workflow].approval` are entered with a supervisor's approval).

use super::{Ctx, Finding, Place, at};
use crate::case::{LoadedCase, Phase};

/// `phase-history`.
pub fn history(case: &LoadedCase, _: &Ctx<'_>, out: &mut Vec<Finding>) {
    let c = &case.case;
    let mut last: Option<Phase> = None;
    for (i, entry) in c.history.iter().enumerate() {
        let Some(phase) = entry.phase else { continue };
        match last {
            None if phase != Phase::Intake && i == 0 => out.push(Finding::error(
                "phase-history",
                Place::At(at!["history", i, "phase"]),
                format!("the history starts with `{phase}`; every case starts with `intake`"),
            )),
            Some(prev) if phase <= prev => out.push(
                Finding::error(
                    "phase-history",
                    Place::At(at!["history", i, "phase"]),
                    format!(
                        "history[{i}] enters `{phase}` after `{prev}`; phases only move forward"
                    ),
                )
                .help("phases may be skipped but never repeated or gone back to"),
            ),
            _ => {}
        }
        last = Some(last.map_or(phase, |l| l.max(phase)));
    }
    let last_entry = c.history.iter().rev().find_map(|h| h.phase);
    if let (Some(phase), Some(entered)) = (c.phase, last_entry)
        && phase != entered
    {
        out.push(
            Finding::error(
                "phase-history",
                Place::At(at!["phase"]),
                format!("phase is `{phase}` but the last history entry enters `{entered}`"),
            )
            .help("move a case with `cm advance`, which writes both"),
        );
    }
}

/// `approval`.
pub fn approval(case: &LoadedCase, ctx: &Ctx<'_>, out: &mut Vec<Finding>) {
    let settings = ctx.settings;
    let c = &case.case;
    for (i, entry) in c.history.iter().enumerate() {
        let Some(phase) = entry.phase else { continue };
        if !settings.workflow.approval.contains(&phase) {
            continue;
        }
        let Some(approver) = entry.approved_by.as_deref() else {
            out.push(
                Finding::error(
                    "approval",
                    Place::KeyOf(at!["history", i]),
                    format!("entering `{phase}` needs a supervisor's approval (`approved_by`)"),
                )
                .help("record it with `cm advance --approved-by SUPERVISOR`"),
            );
            continue;
        };
        let place = || Place::At(at!["history", i, "approved_by"]);
        let own =
            c.caseworker.as_deref() == Some(approver) || entry.by.as_deref() == Some(approver);
        if own {
            out.push(Finding::error(
                "approval",
                place(),
                format!("`{approver}` cannot approve their own case"),
            ));
        } else if !settings.caseworkers.is_empty()
            && !settings
                .caseworker(approver)
                .is_some_and(|cw| cw.supervisor)
        {
            out.push(
                Finding::error(
                    "approval",
                    place(),
                    format!("`{approver}` is not a supervisor in the roster"),
                )
                .help("supervisors have `supervisor = true` in cm.toml"),
            );
        }
    }
}
