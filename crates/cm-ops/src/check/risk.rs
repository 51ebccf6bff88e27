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
