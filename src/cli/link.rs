//! `cm link`: link the cases of two relatives, both ways.

use std::io::Write;

use super::{Edit, Env, Status, apply_all, desk, one_of};
use cm_base::error::Result;
use cm_case::Relation;
use cm_ops::register::Register;
use cm_ops::workflow;

/// Link the cases of two relatives: OTHER's client is RELATION to ID's client.
///
/// Writes {case: OTHER, relation: RELATION} in the links of ID, and the mirror in the links of
/// OTHER: a mother's or father's mirror is child, a child's is mother or father by the sex of
/// ID's client, a guardian's is ward and a ward's guardian, a sibling, spouse or other is the
/// same both ways. Both files are written, under one lock, or neither. A half that is there
/// already is kept, so a link missing its mirror is mended by linking again. With
/// --same-household, both cases are put in one household: the one either has, or a new one,
/// HH-ID (HH-ID-2, … when another household has that name).
#[derive(Debug, clap::Args)]
#[command(
    after_help = "Examples:\n  cm link THR-2026-0005 THR-2026-0004 --relation mother\n  cm link THR-2026-0005 THR-2026-0006 --relation sibling --same-household --dry-run"
)]
pub struct Args {
    /// The case id, e.g. THR-2026-0005.
    id: String,
    /// The case of the relative.
    other: String,
    /// What OTHER's client is to ID's client.
    #[arg(long, value_parser = one_of::<Relation>())]
    relation: Relation,
    /// Put both cases in one household (household: HH-…).
    #[arg(long)]
    same_household: bool,
    #[command(flatten)]
    edit: Edit,
}

pub fn run(args: Args, env: &Env, out: &mut dyn Write) -> Result<Status> {
    let (desk, _lock) = desk(env, args.edit.dry_run)?;
    // Whether a case is in a household, asked only to name a new one.
    let register = std::cell::OnceCell::new();
    let taken = |household: &str| {
        let register = match register.get() {
            Some(r) => r,
            None => {
                let opened = Register::open(&desk.ws, true)?;
                register.get_or_init(|| opened)
            }
        };
        register.has_household(household)
    };
    let proposals = workflow::link(
        &desk,
        &workflow::Linking {
            id: args.id,
            other: args.other,
            relation: args.relation,
            same_household: args.same_household,
        },
        &taken,
    );
    apply_all(proposals, &args.edit, env, out)
}
