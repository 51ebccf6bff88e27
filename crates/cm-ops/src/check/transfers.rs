//! `transfer`: the transfers of a case between caseworkers are a chain that ends in its
//! caseworker, and with `[workflow].transfer_approval` each names the supervisor who approved it.

use cm_base::at;
use cm_base::yaml::Place;
use cm_case::LoadedCase;

use super::{Code, Ctx, Finding};

/// `transfer`: each transfer passes the case to someone else, from the one the transfer above
/// it passed it to; `caseworker` is the last one's `to`; and when transfers need approval, each
/// names a supervisor who is neither of the two (but those made in the office the case came
/// from).
pub fn chain(case: &LoadedCase, ctx: &Ctx<'_>, out: &mut Vec<Finding>) {
    let c = &case.case;
    let settings = ctx.settings;
    let mut holder: Option<&str> = None;
    for (i, t) in c.transfers.iter().enumerate() {
        let (from, to) = (t.from.as_deref(), t.to.as_deref());
        if let (Some(from), Some(to)) = (from, to)
            && from == to
        {
            out.push(Finding::error(
                Code::Transfer,
                Place::At(at!["transfers", i, "to"]),
                format!("transfers[{i}] passes the case from `{from}` to `{to}` themselves"),
            ));
        }
        if let (Some(held), Some(from)) = (holder, from)
            && held != from
        {
            out.push(
                Finding::error(
                    Code::Transfer,
                    Place::At(at!["transfers", i, "from"]),
                    format!(
                        "transfers[{i}] is from `{from}`, but the transfer above it passed the \
                         case to `{held}`"
                    ),
                )
                .help("each transfer is from the caseworker the one before it passed the case to"),
            );
        }
        if to.is_some() {
            holder = to;
        }
        // Approved, when it is, where it was made: the office the case came from.
        let elsewhere = t.from_office.is_some() || c.recorded_elsewhere(t.date);
        if settings.workflow.transfer_approval && !elsewhere {
            approval(t.approved_by.as_deref(), from, to, i, ctx, out);
        }
    }
    if let (Some(held), Some(caseworker)) = (holder, c.caseworker.as_deref())
        && held != caseworker
    {
        out.push(
            Finding::error(
                Code::Transfer,
                Place::At(at!["caseworker"]),
                format!(
                    "caseworker is `{caseworker}` but the last transfer passed the case to `{held}`"
                ),
            )
            .help("pass a case to another caseworker with `cm transfer`, which writes both"),
        );
    }
}

/// The approval of transfer `i` when `[workflow].transfer_approval` asks for one.
fn approval(
    approver: Option<&str>,
    from: Option<&str>,
    to: Option<&str>,
    i: usize,
    ctx: &Ctx<'_>,
    out: &mut Vec<Finding>,
) {
    let settings = ctx.settings;
    let Some(approver) = approver else {
        out.push(
            Finding::error(
                Code::Transfer,
                Place::KeyOf(at!["transfers", i]),
                "a transfer needs a supervisor's approval (`approved_by`)",
            )
            .help("record it with `cm transfer --approved-by SUPERVISOR`"),
        );
        return;
    };
    let place = || Place::At(at!["transfers", i, "approved_by"]);
    if from == Some(approver) || to == Some(approver) {
        out.push(Finding::error(
            Code::Transfer,
            place(),
            format!("`{approver}` cannot approve a transfer of their own"),
        ));
    } else {
        out.extend(super::phases::not_a_supervisor(
            Code::Transfer,
            place(),
            approver,
            settings,
        ));
    }
}
