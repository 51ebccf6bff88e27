//! `cm service`: record a change of a service's status.

use std::io::Write;

use super::{DateArg, Edit, Env, Status, among, apply, desk, number, one_of};
use cm_base::error::Result;
use cm_case::{DeclineReason, ServiceStatus};
use cm_ops::workflow;

/// The statuses a service may move to (all but `referred`, where every service starts).
const MOVES_TO: &[ServiceStatus] = &[
    ServiceStatus::Accepted,
    ServiceStatus::InProgress,
    ServiceStatus::Completed,
    ServiceStatus::Declined,
    ServiceStatus::Cancelled,
];

/// Record a change of a service's status: accepted, in progress, completed, declined, cancelled.
///
/// The change is appended to the service's updates ({date, status, by, reason, note}), and the
/// service's status becomes it; completed, declined and cancelled are final, and set the
/// service's `ended` to --date. A service moves referred → accepted, declined or cancelled;
/// accepted → in-progress, completed, declined or cancelled; in-progress → completed or
/// cancelled. --reason says why the provider declined, with --status declined only. A service
/// of a closed case is not changed.
#[derive(Debug, clap::Args)]
#[command(
    after_help = "Examples:\n  cm service THR-2026-0004 S5 --status accepted\n  cm service THR-2026-0004 S5 --status declined --reason no-capacity --note \"Micro-loan fund closed until spring\"\n  cm service THR-2026-0004 S5 --status completed --cost 45000000"
)]
pub struct Args {
    /// The case id, e.g. THR-2026-0004.
    id: String,
    /// The service's id in the case, e.g. S5.
    service: String,
    /// The status the service moves to.
    #[arg(long, value_name = "STATUS", value_parser = among(MOVES_TO))]
    status: ServiceStatus,
    /// Why the provider declined (with --status declined, and only then).
    #[arg(long, value_name = "REASON", value_parser = one_of::<DeclineReason>())]
    reason: Option<DeclineReason>,
    /// The day of the change (YYYY-MM-DD; default today).
    #[arg(long, value_name = "DATE")]
    date: Option<DateArg>,
    /// The service's cost, a whole number in the workspace's currency (written as its `cost`).
    #[arg(long, value_name = "N", value_parser = number::<u64>)]
    cost: Option<u64>,
    /// Who records the change (a roster id; default the case's caseworker).
    #[arg(long, value_name = "ID")]
    by: Option<String>,
    /// A note on the change.
    #[arg(long, value_name = "TEXT")]
    note: Option<String>,
    #[command(flatten)]
    edit: Edit,
}

pub fn run(args: Args, env: &Env, out: &mut dyn Write) -> Result<Status> {
    let (desk, _lock) = desk(env, args.edit.dry_run)?;
    let proposal = workflow::service(
        &desk,
        &workflow::ServiceChange {
            id: args.id,
            service: args.service,
            status: args.status,
            reason: args.reason,
            date: env.date(&desk.ws, args.date.as_ref())?,
            cost: args.cost,
            by: args.by,
            note: args.note,
        },
    );
    apply(proposal, &args.edit, env, out)
}
