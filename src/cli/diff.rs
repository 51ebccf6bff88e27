//! `cm diff`: what changed in the cases between two revisions, for review.

use std::io::Write;

use super::{Env, Status, among, check_include, say, written};
use cm_base::error::Result;
use cm_case::keys::personal_fields;
use cm_case::{Settings, Workspace};
use cm_ops::diff::{Sides, diff};
use cm_ops::output::{self, Format};

/// Tell what changed in the cases between two revisions of the git repository, in words.
///
/// With no revision, the working tree (with new files git does not track yet) is compared with
/// HEAD; with one, the working tree with that revision; with two, the first with the second.
/// One line per changed case: its id, then each change (phase moves with their dates, risk,
/// consent, reviews added with the scores they moved, goals, services, closure, caseworker),
/// then the paths of any other fields that changed. A changed cm.toml has a line of its own
/// first: the roster, then each setting, defaults included. Personal fields are named, their
/// values shown only with --include. A file that cannot be read at one side is reported and the
/// others go on.
#[derive(Debug, clap::Args)]
#[command(
    after_help = "Examples:\n  cm diff                  # what is not committed yet\n  cm diff main             # this branch's work, against main\n  cm diff HEAD~5 HEAD --format json"
)]
pub struct Args {
    /// The revisions to compare (default: HEAD against the working tree).
    #[arg(value_name = "REV", num_args = 0..=2)]
    revs: Vec<String>,
    /// Output format.
    #[arg(long, value_parser = among(Format::LINES), default_value = "text")]
    format: Format,
    /// Show the values of a personal field that changed (repeat for several), e.g. client.phone.
    #[arg(long, value_name = "FIELD")]
    include: Vec<String>,
}

pub fn run(mut args: Args, env: &Env, out: &mut dyn Write) -> Result<Status> {
    check_include(&mut args.include, &personal_fields())?;
    // A cm.toml that cannot be read (in a merge, say) is one of the changes to tell, not a
    // reason to stop: the settings, which give only the calendar here, are the defaults.
    let root = Workspace::find_root(&env.root()?, env.explicit)?;
    let ws = Workspace::open(root.clone()).unwrap_or_else(|e| {
        if env.calendar.is_none() {
            say(format_args!(
                "cm: warning: {e}\n  so dates are shown in the gregorian calendar (--calendar \
                 chooses one)"
            ));
        }
        Workspace {
            root,
            settings: Settings::default(),
        }
    });
    let sides = Sides {
        from: args.revs.first().map_or("HEAD", String::as_str),
        to: args.revs.get(1).map(String::as_str),
    };
    let diffs = diff(&ws, &sides, &args.include)?;
    let calendar = env.calendar(&ws);
    written(match args.format {
        Format::Json => output::json(out, &diffs),
        _ => output::lines(out, diffs.lines(calendar)),
    })?;
    Ok(Status::Ok)
}
