//! `cm refer`: refer the client to a provider.

use std::io::Write;

use super::{DateArg, Edit, Env, Status, apply, desk, number};
use cm_base::error::Result;
use cm_ops::workflow;

/// Refer the client to a provider: add a service in status `referred` to the case.
///
/// The service takes the next free id (S1, S2, …) and is written at the end of the case's
/// services, with who made the referral (`by`). With a provider directory in cm.toml
/// ([[providers]]), --provider is one of its ids. Nothing is changed when the case would not be
/// valid: a goal the plan does not have, a date after today or before the case was opened. A
/// closed case takes no referrals.
#[derive(Debug, clap::Args)]
#[command(
    after_help = "Examples:\n  cm refer THR-2026-0004 --type rent-deposit-loan --provider emdad-housing --goal G4\n  cm refer THR-2026-0012 --type legal-aid --provider \"Tehran Bar Association legal aid clinic\" --note \"Eviction notice of 20 October\""
)]
pub struct Args {
    /// The case id, e.g. THR-2026-0004.
    id: String,
    /// The kind of service, e.g. vocational-training, legal-aid, cash-assistance (written as the
    /// service's `type`).
    #[arg(long = "type", value_name = "TYPE")]
    kind: String,
    /// The organisation the client is referred to: with a provider directory in cm.toml, one of
    /// its ids; never a person's name.
    #[arg(long, value_name = "PROVIDER")]
    provider: String,
    /// The goal of the plan the service serves, e.g. G1.
    #[arg(long, value_name = "GOAL")]
    goal: Option<String>,
    /// The day of the referral (YYYY-MM-DD; default today).
    #[arg(long, value_name = "DATE")]
    date: Option<DateArg>,
    /// The service's cost, a whole number in the workspace's currency.
    #[arg(long, value_name = "N", value_parser = number::<u64>)]
    cost: Option<u64>,
    /// Who makes the referral (a roster id; default the case's caseworker).
    #[arg(long, value_name = "ID")]
    by: Option<String>,
    /// A note on the referral.
    #[arg(long, value_name = "TEXT")]
    note: Option<String>,
    #[command(flatten)]
    edit: Edit,
}

pub fn run(args: Args, env: &Env, out: &mut dyn Write) -> Result<Status> {
    let (desk, _lock) = desk(env, args.edit.dry_run)?;
    let proposal = workflow::refer(
        &desk,
        &workflow::Referral {
            id: args.id,
            kind: args.kind,
            provider: args.provider,
            goal: args.goal,
            date: env.date(&desk.ws, args.date.as_ref())?,
            cost: args.cost,
            by: args.by,
            note: args.note,
        },
    );
    apply(proposal, &args.edit, env, out)
}
