//! `cm contact`: record a contact with the client.

use std::io::Write;

use super::{DateArg, Edit, Env, Status, apply, desk, one_of};
use cm_base::error::Result;
use cm_case::ContactType;
use cm_ops::workflow;

/// Record a contact with the client: a home or office visit, a call, a message, a group session.
///
/// The contact is appended to the case's contact log ({date, type, by, with, note}); entries
/// are never changed or removed by cm. --with and --note are personal, like the client's name:
/// they are never shown by listings, reports or diffs. Nothing is changed when the contact would
/// make the case invalid: a date before the case was opened, before the last contact or after
/// today, or --by not in the roster. A closed case takes no more contacts.
#[derive(Debug, clap::Args)]
#[command(
    after_help = "Examples:\n  cm contact THR-2026-0004 --type phone\n  cm contact THR-2026-0004 --type home-visit --date 2026-10-28 --with \"mother\" --note \"Rent paid for October\"\n  cm contact THR-2026-0012 --type message --by a.karimi --dry-run"
)]
pub struct Args {
    /// The case id, e.g. THR-2026-0004.
    id: String,
    /// How the contact was made.
    #[arg(long = "type", value_name = "TYPE", value_parser = one_of::<ContactType>())]
    kind: ContactType,
    /// Who the contact was with, when not (only) the client (personal).
    #[arg(long, value_name = "WHO")]
    with: Option<String>,
    /// The day of the contact (YYYY-MM-DD; default today).
    #[arg(long, value_name = "DATE")]
    date: Option<DateArg>,
    /// Who made the contact (a roster id; default the case's caseworker).
    #[arg(long, value_name = "ID")]
    by: Option<String>,
    /// A note on the contact (personal).
    #[arg(long, value_name = "TEXT")]
    note: Option<String>,
    #[command(flatten)]
    edit: Edit,
}

pub fn run(args: Args, env: &Env, out: &mut dyn Write) -> Result<Status> {
    let (desk, _lock) = desk(env, args.edit.dry_run)?;
    let proposal = workflow::contact(
        &desk,
        &workflow::ContactEntry {
            id: args.id,
            kind: args.kind,
            date: env.date(&desk.ws, args.date.as_ref())?,
            by: args.by,
            with: args.with,
            note: args.note,
        },
    );
    apply(proposal, &args.edit, env, out)
}
