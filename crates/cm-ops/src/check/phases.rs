//! Phase rules: `phase-history` (the history only moves forward within each episode and ends in
//! `phase`) and `approval` (phases listed in `[workflow].approval` are entered, or passed over,
//! with a supervisor's approval, in each episode).
//!
//! An episode starts with the first entry; an `intake` entry right after a `closed` entry (what
//! `cm reopen` writes) starts another.

use cm_base::at;
use cm_base::yaml::Place;
use cm_case::{LoadedCase, Phase};

use super::{Code, Ctx, Finding};

/// `phase-history`.
pub fn history(case: &LoadedCase, _: &Ctx<'_>, out: &mut Vec<Finding>) {
    let c = &case.case;
    let mut last: Option<Phase> = None;
    let mut previous: Option<Phase> = None;
    for (i, entry) in c.history.iter().enumerate() {
        let Some(phase) = entry.phase else { continue };
        if reopens(previous, phase) {
            // A new episode: the phases move forward again from intake.
            last = None;
        }
        previous = Some(phase);
        match last {
            None if phase != Phase::Intake && i == 0 => out.push(Finding::error(
                Code::PhaseHistory,
                Place::At(at!["history", i, "phase"]),
                format!("the history starts with `{phase}`; every case starts with `intake`"),
            )),
            Some(prev) if phase <= prev => out.push(
                Finding::error(
                    Code::PhaseHistory,
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
                Code::PhaseHistory,
                Place::At(at!["phase"]),
                format!("phase is `{phase}` but the last history entry enters `{entered}`"),
            )
            .help("move a case with `cm advance`, which writes both"),
        );
    }
}

/// `approval`: every history entry whose move enters a phase of `[workflow].approval`, or
/// passes over one, names the supervisor who approved it (but those made in the office the case
/// came from). A skip counts like an entry, or a case
/// could leave out an approval simply by moving past the phase (`--to implementation` from
/// `assessment` passing over `planning`).
pub fn approval(case: &LoadedCase, ctx: &Ctx<'_>, out: &mut Vec<Finding>) {
    let settings = ctx.settings;
    let needs = &settings.workflow.approval;
    let c = &case.case;
    // The furthest phase entered so far: a move passes over the phases between it and the one
    // entered. A phase entered earlier is not passed over by a later move, and a move back
    // (a `phase-history` error) passes over nothing.
    let mut reached: Option<Phase> = None;
    let mut previous: Option<Phase> = None;
    for (i, entry) in c.history.iter().enumerate() {
        let Some(phase) = entry.phase else { continue };
        // A new episode needs its own approvals.
        if reopens(previous, phase) {
            reached = None;
        }
        previous = Some(phase);
        let from = reached;
        reached = Some(from.map_or(phase, |r| r.max(phase)));
        let skipped: Vec<Phase> = match from {
            Some(from) => Phase::ALL
                .iter()
                .copied()
                .filter(|p| from < *p && *p < phase && needs.contains(p))
                .collect(),
            None => Vec::new(),
        };
        let enters = needs.contains(&phase);
        // A move made in the office the case came from was approved by its workflow.
        if !enters && skipped.is_empty() || c.recorded_elsewhere(entry.date) {
            continue;
        }
        let Some(approver) = entry.approved_by.as_deref() else {
            let message = match from {
                Some(from) if !enters => format!(
                    "moving from `{from}` to `{phase}` passes over {}, which {} a supervisor's \
                     approval (`approved_by`)",
                    phase_list(&skipped),
                    if skipped.len() == 1 { "needs" } else { "need" }
                ),
                _ => format!("entering `{phase}` needs a supervisor's approval (`approved_by`)"),
            };
            out.push(
                Finding::error(Code::Approval, Place::KeyOf(at!["history", i]), message)
                    .help("record it with `cm advance --approved-by SUPERVISOR`"),
            );
            continue;
        };
        let place = || Place::At(at!["history", i, "approved_by"]);
        // Their own case is the case they had when the phase was entered: a supervisor who
        // approved a move may take the case over later.
        let holder = match entry.date {
            Some(day) => cm_case::view::caseworker_on(c, day),
            None => c.caseworker.as_deref(),
        };
        let own = holder == Some(approver) || entry.by.as_deref() == Some(approver);
        if own {
            out.push(Finding::error(
                Code::Approval,
                place(),
                format!("`{approver}` cannot approve their own case"),
            ));
        } else {
            out.extend(not_a_supervisor(
                Code::Approval,
                place(),
                approver,
                settings,
            ));
        }
    }
}

/// Whether entering `phase` right after an entry that entered `previous` starts a new episode:
/// an `intake` entry right after a `closed` one.
fn reopens(previous: Option<Phase>, phase: Phase) -> bool {
    previous == Some(Phase::Closed) && phase == Phase::Intake
}

/// The finding of `code` at `place` when `approver` is not a supervisor of the roster (with no
/// roster, anyone may approve): the approval of a phase and of a transfer alike.
pub(super) fn not_a_supervisor(
    code: Code,
    place: Place,
    approver: &str,
    settings: &cm_case::Settings,
) -> Option<Finding> {
    let supervisor = settings
        .caseworker(approver)
        .is_some_and(|cw| cw.supervisor);
    (!settings.caseworkers.is_empty() && !supervisor).then(|| {
        Finding::error(
            code,
            place,
            format!("`{approver}` is not a supervisor in the roster"),
        )
        .help("supervisors have `supervisor = true` in cm.toml")
    })
}

/// Phases as a sentence lists them: `` `planning` ``, `` `assessment` and `planning` ``.
fn phase_list(phases: &[Phase]) -> String {
    let names: Vec<String> = phases.iter().map(|p| format!("`{p}`")).collect();
    match names.split_last() {
        Some((last, rest)) if !rest.is_empty() => format!("{} and {last}", rest.join(", ")),
        Some((last, _)) => last.clone(),
        None => String::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::super::testing::findings;
    use super::*;

    /// Every finding about a case with `history` (and what the phase and the closure it ends in
    /// need), as `line:col code: message`, on 2026-11-01, with approval for `planning` and
    /// `closed`.
    fn check(phase: &str, closure: &str, episodes: &str, history: &str) -> Vec<String> {
        let text = format!(
            "id: CM-2026-0001\nprogram: general\nopened: 2026-01-05\ncaseworker: s.ahmadi\n\
             risk: low\nphase: {phase}\nclient: {{name: A, sex: female}}\n\
             consent: {{given: true, date: 2026-01-05}}\n\
             assessment: {{date: 2026-01-10, domains: {{income: 2}}}}\n\
             plan: {{date: 2026-01-20, goals: [{{id: G1, domain: income, text: x, status: active}}]}}\n\
             {closure}{episodes}history:\n{history}"
        );
        findings(
            "[workflow]\napproval = [\"planning\", \"closed\"]\n\n[[caseworkers]]\nid = \"s.ahmadi\"\n\n[[caseworkers]]\nid = \"m.karimi\"\nsupervisor = true\n",
            &text,
        )
    }

    const FIRST: &str = "  - {date: 2026-01-05, phase: intake, by: s.ahmadi, risk: low}
  - {date: 2026-01-10, phase: assessment, by: s.ahmadi}
  - {date: 2026-01-20, phase: planning, by: s.ahmadi, approved_by: m.karimi}
  - {date: 2026-03-01, phase: closed, by: s.ahmadi, approved_by: m.karimi}
";
    const EPISODES: &str =
        "episodes: [{opened: 2026-01-05, closure: {date: 2026-03-01, reason: moved}}]\n";

    /// A reopened case: an intake entry right after the closed one starts a second episode, in
    /// which the phases move forward again, and need their approvals again.
    #[test]
    fn a_reopened_history_moves_forward_within_each_episode() {
        let second = "  - {date: 2026-04-01, phase: intake, by: s.ahmadi, risk: low, reason: back}
  - {date: 2026-04-05, phase: assessment, by: s.ahmadi}
  - {date: 2026-04-09, phase: planning, by: s.ahmadi, approved_by: m.karimi}
";
        let history = format!("{FIRST}{second}");
        assert_eq!(
            check("planning", "", EPISODES, &history),
            Vec::<String>::new()
        );
        // Closed again: the closure of the second episode, after the first.
        let closed = format!(
            "{history}  - {{date: 2026-05-01, phase: closed, by: s.ahmadi, approved_by: m.karimi}}\n"
        );
        assert_eq!(
            check(
                "closed",
                "closure: {date: 2026-05-01, reason: goals-achieved}\n",
                EPISODES,
                &closed
            ),
            Vec::<String>::new()
        );
        // The new episode's planning needs its own approval.
        let unapproved = history.replace(
            "2026-04-09, phase: planning, by: s.ahmadi, approved_by: m.karimi",
            "2026-04-09, phase: planning, by: s.ahmadi",
        );
        assert_eq!(
            check("planning", "", EPISODES, &unapproved),
            ["19:5 approval: entering `planning` needs a supervisor's approval (`approved_by`)"]
        );
    }

    /// Going back to intake without a closed entry right before it is still going back; so is
    /// any other phase after `closed`.
    #[test]
    fn going_back_without_a_closure_stays_an_error() {
        let back = "  - {date: 2026-01-05, phase: intake, by: s.ahmadi, risk: low}
  - {date: 2026-01-10, phase: assessment, by: s.ahmadi}
  - {date: 2026-04-01, phase: intake, by: s.ahmadi}
";
        assert_eq!(
            check("intake", "", "", back),
            [
                "14:31 phase-history: history[2] enters `intake` after `assessment`; phases only move forward"
            ]
        );
        let after_closed =
            format!("{FIRST}  - {{date: 2026-04-01, phase: assessment, by: s.ahmadi}}\n");
        assert_eq!(
            check("assessment", "", EPISODES, &after_closed),
            [
                "17:31 phase-history: history[4] enters `assessment` after `closed`; phases only move forward"
            ]
        );
    }

    /// The dates of the episodes: each opened before it closed, and closed before the entry that
    /// reopened the case.
    #[test]
    fn episodes_are_in_date_order() {
        let second = "  - {date: 2026-02-01, phase: intake, by: s.ahmadi}\n";
        let history = format!("{FIRST}{second}");
        assert_eq!(
            check("intake", "", EPISODES, &history),
            [
                "17:12 date-order: history[4].date (2026-02-01) is before the entry above it (2026-03-01)"
            ]
        );
        let late = "episodes: [{opened: 2026-01-05, closure: {date: 2026-12-01, reason: moved}}]\n";
        let history = format!("{FIRST}  - {{date: 2026-04-01, phase: intake, by: s.ahmadi}}\n");
        let found = check("intake", "", late, &history);
        assert!(
            found
                .iter()
                .any(|f| f.contains("date-future: episodes[0].closure.date")),
            "{found:?}"
        );
        assert!(
            found.iter().any(|f| f.contains("date-order: history[4].date (2026-04-01) is before episodes[0].closure.date (2026-12-01)")),
            "{found:?}"
        );
    }

    #[test]
    fn phases_are_listed_as_in_a_sentence() {
        use Phase::*;
        assert_eq!(phase_list(&[Planning]), "`planning`");
        assert_eq!(
            phase_list(&[Assessment, Planning]),
            "`assessment` and `planning`"
        );
        assert_eq!(
            phase_list(&[Assessment, Planning, Implementation]),
            "`assessment`, `planning` and `implementation`"
        );
    }
}
