//! `risk`: the risk of a case is always a dated decision — at intake (the first history entry),
//! at a review, or a change between reviews — and `risk` is the latest one.

use cm_base::at;
use cm_base::yaml::Place;
use cm_case::LoadedCase;
use cm_case::view::{RiskFrom, risk_decisions};

use super::{Code, Ctx, Finding};

/// `risk`: a warning when the first history entry does not record the risk at intake (a file
/// written before it did); an error when `risk` is not the risk of the latest decision, which
/// is a risk changed by hand, with no date or reason.
pub fn decided(case: &LoadedCase, ctx: &Ctx<'_>, out: &mut Vec<Finding>) {
    let c = &case.case;
    if c.history.first().is_some_and(|h| h.risk.is_none()) {
        out.push(
            Finding::warning(
                Code::Risk,
                Place::KeyOf(at!["history", 0]),
                "the first history entry does not record the risk at intake",
            )
            .help("run `cm migrate` to record it"),
        );
    }
    let (Some(risk), Some(latest)) = (c.risk, risk_decisions(c).last().copied()) else {
        return;
    };
    if risk == latest.risk {
        return;
    }
    let place = match latest.from {
        RiskFrom::History(i) => format!("history[{i}]"),
        RiskFrom::Review(i) => format!("reviews[{i}]"),
        RiskFrom::Change(i) => format!("risk_changes[{i}]"),
    };
    out.push(
        Finding::error(
            Code::Risk,
            Place::At(at!["risk"]),
            format!(
                "risk is `{risk}` but the latest decision about it, {place} ({}), is `{}`",
                ctx.date(latest.date),
                latest.risk
            ),
        )
        .help(
            "change the risk with `cm risk ID LEVEL --note TEXT` (or at a review, `cm review \
             --risk`), which records the decision and the risk together",
        ),
    );
}

#[cfg(test)]
mod tests {
    use super::super::testing::{ROSTER, findings};

    /// A case in monitoring with `decisions` (lines of the file, up to the history) and `risk`.
    fn case(risk: &str, intake: &str, decisions: &str) -> String {
        format!(
            "id: CM-2026-0001
program: general
opened: 2026-03-02
caseworker: s.ahmadi
risk: {risk}
phase: assessment
client: {{name: maryam, sex: female}}
consent: {{given: true, date: 2026-03-02}}
assessment: {{date: 2026-03-09, domains: {{income: 2}}}}
{decisions}history:
  - {{date: 2026-03-02, phase: intake, by: s.ahmadi{intake}}}
  - {{date: 2026-03-09, phase: assessment, by: s.ahmadi}}
"
        )
    }

    #[test]
    fn the_risk_is_that_of_the_latest_decision() {
        let changes = "risk_changes:\n  - {date: 2026-04-01, risk: high, by: s.ahmadi}\n";
        assert!(findings(ROSTER, &case("high", ", risk: low", changes)).is_empty());
        assert!(findings(ROSTER, &case("low", ", risk: low", "")).is_empty());
        assert_eq!(
            findings(ROSTER, &case("medium", ", risk: low", changes)),
            [
                "5:7 risk: risk is `medium` but the latest decision about it, risk_changes[0] \
              (2026-04-01), is `high`"
            ]
        );
        // On one day, a change after the intake's decision.
        let same_day = "risk_changes:\n  - {date: 2026-03-02, risk: high, by: s.ahmadi}\n";
        assert!(findings(ROSTER, &case("high", ", risk: low", same_day)).is_empty());
    }

    #[test]
    fn an_intake_without_its_risk_is_a_warning_and_changes_are_in_order() {
        assert_eq!(
            findings(ROSTER, &case("low", "", "")),
            ["11:5 risk: the first history entry does not record the risk at intake"]
        );
        let changes = "risk_changes:\n  - {date: 2026-05-01, risk: high, by: s.ahmadi}\n  \
                       - {date: 2026-04-01, risk: medium, by: x.nobody}\n";
        assert_eq!(
            findings(ROSTER, &case("high", ", risk: low", changes)),
            [
                "12:12 date-order: risk_changes[1].date (2026-04-01) is before the entry above \
                 it (2026-05-01)",
                "12:42 unknown-caseworker: `x.nobody` is not in the roster of cm.toml",
            ]
        );
    }
}
